"""What is being checked: one message, the index, a push, or a range of commits.

Each source reads git only through `pushguard.git`, and only when the engine asks; the modules
that read commits and diffs are imported then too, so a commit-msg hook never loads them.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from pushguard import git
from pushguard.model import AddedLines, Commit, Context, FileChange, Place, RefUpdate


class _CommitData:
    """Data for sources whose commits exist in the repository."""

    def with_signatures(self, commits: Sequence[Commit], verify: bool) -> list[Commit]:
        from pushguard.git import log
        return log.with_signatures(commits, verify)

    def changes(self, commits: Sequence[Commit]) -> list[FileChange]:
        from pushguard.git import diff
        return diff.changes(commits)

    def added_lines(self, commits: Sequence[Commit], too_big: Sequence[FileChange]
                    ) -> Iterator[AddedLines]:
        from pushguard.git import patch
        return patch.added_lines(commits, skip=too_big)


class MessageSource(_CommitData):
    """A message about to be committed (commit-msg hook)."""

    def __init__(self, message: str, branch: str | None, place: Place = Place.COMMIT_MSG) -> None:
        self.message = message
        self.branch = branch
        self.place = place

    def context(self) -> Context:
        ref = f'refs/heads/{self.branch}' if self.branch else None
        commit = Commit(None, self.message, ref=ref)
        return Context(self.place, commits=(commit,), branch=self.branch)


class StagedSource:
    """The index, as the pre-commit hook sees it: never the working tree."""

    def __init__(self, branch: str | None, place: Place = Place.PRE_COMMIT) -> None:
        self.branch = branch
        self.place = place

    def context(self) -> Context:
        return Context(self.place, branch=self.branch)

    def with_signatures(self, commits: Sequence[Commit], verify: bool) -> list[Commit]:
        return list(commits)

    def changes(self, commits: Sequence[Commit]) -> list[FileChange]:
        from pushguard.git import diff
        return diff.staged_changes()

    def added_lines(self, commits: Sequence[Commit], too_big: Sequence[FileChange]
                    ) -> Iterator[AddedLines]:
        from pushguard.git import patch
        return patch.staged_added_lines()  # a big staged blob diffs as binary: nothing to skip


class _Commits(_CommitData):
    """A source of commits read from git once: the hook and `check` count them for their summary
    line before the engine runs."""

    place: Place
    _context: Context | None = None

    def context(self) -> Context:
        if self._context is None:
            self._context = self._fetch()
            _note_shallow(self._context)
        return self._context

    def _fetch(self) -> Context:
        raise NotImplementedError


class PushSource(_Commits):
    """Ref updates as git hands them to pre-push: commits the remote lacks, each checked once."""

    def __init__(self, updates: Sequence[RefUpdate], remote: str | None,
                 place: Place = Place.PRE_PUSH) -> None:
        self.updates = updates
        self.remote = remote
        self.place = place

    def _fetch(self) -> Context:
        commits = _commits_for(self.updates, self.remote)
        return Context(self.place, updates=tuple(self.updates), commits=tuple(commits))


class RangeSource(_Commits):
    """`pushguard check A..B [--branch NAME]`: the commits of a range, as a push of them."""

    def __init__(self, revisions: Sequence[str], branch: str | None,
                 place: Place = Place.CHECK) -> None:
        self.revisions = revisions
        self.branch = branch
        self.place = place

    def _fetch(self) -> Context:
        from pushguard.git import log
        ref = f'refs/heads/{self.branch}' if self.branch else None
        tips, bottoms = log.range_ends(self.revisions) if self.revisions else ([], [])
        commits = [c._replace(ref=ref) for c in log.new_commits(tips, bottoms)]
        ctx = Context(self.place, commits=tuple(commits), branch=self.branch)
        if ref is not None and tips:
            # as a push would see it: an update from the one bottom, else a new branch
            old = bottoms[0] if len(bottoms) == 1 else '0' * len(tips[0])
            ctx.updates = (RefUpdate(ref, tips[0], ref, old),)
        return ctx


class PreReceiveSource(PushSource):
    """pre-receive's `old new ref` lines, on the server: what each pushed tip brings that no ref
    of the repository has yet. git exports its quarantine (GIT_OBJECT_DIRECTORY and the
    alternates) to the hook, and every git this process starts inherits it, so the pushed
    objects are readable before they are accepted. `root` holds the trusted files (baseline)."""

    def __init__(self, updates: Sequence[RefUpdate], root: str | None) -> None:
        super().__init__(updates, None, Place.PRE_RECEIVE)
        self.root = root

    def _fetch(self) -> Context:
        commits = _commits_for(self.updates, None, ('--not', '--all'))
        return Context(self.place, updates=tuple(self.updates), commits=tuple(commits),
                       root=self.root)


def _commits_for(updates: Sequence[RefUpdate], remote: str | None, extra: Sequence[str] = ()
                 ) -> list[Commit]:
    """The commits the pushed tips bring that neither the known old tips nor REMOTE's refs have.

    Annotated tags are peeled to their commit; an old tip this repository lacks (someone else
    pushed it) excludes nothing, and the remote-tracking refs stand in for it.
    """
    from pushguard.git import log
    news = [u.local_sha for u in updates if not u.is_deletion]
    olds = [u.remote_sha for u in updates if not u.is_creation]
    commit_of = git.peel_commits([*news, *olds])
    tips: dict[str, str] = {}
    for update in updates:
        if not update.is_deletion and update.local_sha in commit_of:
            tips.setdefault(commit_of[update.local_sha], update.remote_ref)
    known_olds = [commit_of[sha] for sha in olds if sha in commit_of]
    commits = log.new_commits(tips, known_olds, exclude_remote=remote, extra=extra)
    return [c._replace(ref=tips.get(c.ref or '', c.ref)) for c in commits]


def _note_shallow(ctx: Context) -> None:
    roots = git.shallow_roots()
    cut = [c.sha for c in ctx.commits if c.sha in roots]
    if not cut:
        return
    from pushguard.git import log
    parents = log.cut_parents(cut)
    unseen = [f'{sha[:12]} (parent of {child[:12]})'
              for child in cut for sha in parents.get(child, ())] or [sha[:12] for sha in cut]
    ctx.notes.append(
        f'shallow clone: cannot see {", ".join(unseen)}, so the history beyond them was not '
        f'checked (git fetch --unshallow to see it)',
    )
