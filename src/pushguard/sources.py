"""What is being checked: one message, the index, a push, or a range of commits.

Each source reads git only through `pushguard.git`, and only when the engine asks; the modules
that read commits and diffs are imported then too, so a commit-msg hook never loads them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pushguard import git
from pushguard._typing import TYPE_CHECKING
from pushguard.errors import GitError
from pushguard.model import Commit, Context, FileChange, Place, RefUpdate

if TYPE_CHECKING:
    import contextlib

    from pushguard.config import Remote
    from pushguard.forges.rules import RefFacts
    from pushguard.git.blobs import SizeReader
    from pushguard.git.diff import Started
    from pushguard.git.log import HeaderReader
    from pushguard.model import AddedLinesFeed
    from pushguard.pushed import Pushed


class _CommitData:
    """Data for sources whose commits exist in the repository."""

    def with_signatures(self, commits: Sequence[Commit], verify: bool) -> list[Commit]:
        from pushguard.git import log
        return log.with_signatures(commits, verify)

    def changes(self, commits: Sequence[Commit]) -> list[FileChange]:
        from pushguard.git import diff
        return diff.changes(commits)

    def added_lines(self, commits: Sequence[Commit] | Pushed, too_big: Sequence[FileChange]
                    ) -> AddedLinesFeed:
        from pushguard.git import patch
        return patch.added_lines(commits, skip=too_big)

    def header_reader(self) -> contextlib.AbstractContextManager[HeaderReader]:
        from pushguard.git import log
        return log.header_reader()

    def stream_changes(self, pushed: Pushed) -> Iterator[FileChange]:
        from pushguard.git import diff
        return diff.stream_changes(pushed.stdin(), lambda sha: (sha, pushed.ref_of(sha)),
                                   pushed.merges)

    def size_reader(self) -> contextlib.AbstractContextManager[SizeReader]:
        from pushguard.git import blobs
        return blobs.size_reader()

    def lfs_paths(self, paths: Sequence[str]) -> frozenset[str]:
        from pushguard.git import diff
        return diff.lfs_paths(paths)

    def read_blobs(self, shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        from pushguard.git import blobs
        return blobs.read_blobs(shas)


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
    """The index, as the pre-commit hook sees it: never the working tree.

    It is diffed against `head` (HEAD's commit, when the caller already knows it) or HEAD, or the
    empty tree before the first commit: resolved once for both the paths and the added lines.

    Each diff starts before the engine asks for it, so git works while Python does: the paths
    (`start`, called by the hook before it loads the policy and the checks), then the added lines
    as soon as the paths came from HEAD (while the engine reads the sizes). These are the very
    commands the engine would run; the patch is the one without exclusions, dropped (git
    stopped) when a blob turns out too big to diff. `stop` drops whatever was not asked for.
    """

    def __init__(self, branch: str | None, place: Place = Place.PRE_COMMIT,
                 head: str | None = None) -> None:
        self.branch = branch
        self.place = place
        self._base = head
        self._started: dict[str, Started] = {}
        self._context: Context | None = None

    def start(self, what: str = 'changes') -> None:
        """Start the diff for `what` ('changes' or 'added') now, against the base known so far."""
        from pushguard.git import diff, patch
        base = self._base or 'HEAD'
        args = diff.staged_args(base) if what == 'changes' else patch.staged_patch_args(base)
        try:
            self._started[what] = diff.Started(*args)
        except (GitError, OSError):  # said again, and properly, when the engine asks
            pass

    def stop(self) -> None:
        for started in self._started.values():
            started.drop()

    def base(self) -> str:
        if self._base is None:
            self._base = git.resolve('HEAD') or git.empty_tree()
        return self._base

    def context(self) -> Context:
        self._context = Context(self.place, branch=self.branch)
        return self._context

    def _reads_added_lines(self) -> bool:
        """Whether a check the engine selected (`ctx.checks`) reads the added lines."""
        from pushguard import checks
        from pushguard.model import Need
        ran = self._context.checks if self._context is not None else ()
        return any(Need.ADDED_LINES in checks.load(check_id).NEEDS for check_id in ran)

    def with_signatures(self, commits: Sequence[Commit], verify: bool) -> list[Commit]:
        return list(commits)

    def changes(self, commits: Sequence[Commit]) -> list[FileChange]:
        from pushguard.git import diff
        started = self._started.get('changes')
        if self._base is None:
            # `HEAD` as git reads it, without a git process to resolve it first; an unborn
            # branch (the first commit) fails there, and is then diffed against the empty tree
            try:
                found = diff.staged_changes('HEAD', started)
            except GitError:
                pass
            else:
                self._base = 'HEAD'
                if self._reads_added_lines():
                    self.start('added')  # while the engine reads the sizes
                return found
        return diff.staged_changes(self.base(), started)

    def added_lines(self, commits: Sequence[Commit], too_big: Sequence[FileChange]
                    ) -> AddedLinesFeed:
        from pushguard.git import patch
        return patch.staged_added_lines(skip=too_big, base=self.base(),
                                        started=self._started.get('added'))

    def lfs_paths(self, paths: Sequence[str]) -> frozenset[str]:
        from pushguard.git import diff
        return diff.lfs_paths(paths, cached=True)  # the index's .gitattributes

    def read_blobs(self, shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        from pushguard.git import blobs
        return blobs.read_blobs(shas)  # the index's blobs are in the object store too


class _Commits(_CommitData):
    """A source of commits read from git once: whole (`context`, for the checks that need the
    push whole) or streamed (`stream`: the engine reads them one batch at a time)."""

    place: Place
    _context: Context | None = None

    def context(self) -> Context:
        if self._context is None:
            self._context = self._fetch()
            _note_shallow(self._context)
        return self._context

    def _fetch(self) -> Context:
        ctx, commits = self._prepare()
        ctx.commits = tuple(commits)
        return ctx

    def _prepare(self) -> tuple[Context, Iterator[Commit]]:
        """The context, less its commits, and the commits, oldest first, as git gives them."""
        raise NotImplementedError

    def streams(self) -> bool:
        """Whether `stream` may be used: the commits were not read whole already."""
        return self._context is None and type(self)._prepare is not _Commits._prepare

    def stream(self) -> tuple[Context, Iterator[Commit]]:
        """The context, without its commits, and the commits as git gives them: read once."""
        ctx, commits = self._prepare()
        self._context = ctx  # what forge_facts and forced ask for: the updates, the remote
        return ctx, _shallow_noted(ctx, commits)


class PushSource(_Commits):
    """Ref updates as git hands them to pre-push: commits the remote lacks, each checked once."""

    def __init__(self, updates: Sequence[RefUpdate], remote: str | None,
                 place: Place = Place.PRE_PUSH, url: str | None = None) -> None:
        self.updates = updates
        self.remote = remote
        self.url = url
        self.place = place
        self.url = url

    def _prepare(self) -> tuple[Context, Iterator[Commit]]:
        ctx = Context(self.place, updates=tuple(self.updates))
        ctx.remote = self.remote
        return ctx, _commits_for(self.updates, self.remote)

    def forge_facts(self, remote: Remote) -> tuple[dict[str, RefFacts], tuple[str, ...]]:
        """What the forge serving the remote enforces on the pushed refs (forges/ on use)."""
        url = self.url or (_remote_url(self.remote) if self.remote else None)
        return _ask_forge(url, [u.remote_ref for u in self.updates], remote)

    def forced(self) -> frozenset[str]:
        """The remote refs whose update is not a fast-forward (old tip unknown here counts)."""
        return frozenset(u.remote_ref for u in self.updates
                         if not u.is_creation and not u.is_deletion and u.is_branch
                         and not _is_ancestor(u.remote_sha, u.local_sha))


class RangeSource(_Commits):
    """`pushguard check A..B [--branch NAME]`: the commits of a range, as a push of them."""

    def __init__(self, revisions: Sequence[str], branch: str | None,
                 place: Place = Place.CHECK, ref: str | None = None,
                 local_ref: str | None = None) -> None:
        self.revisions = revisions
        self.branch = branch
        self.place = place
        # the ref pushed to (a branch's, or a tag's), and the local ref that names the tip
        self.ref = ref or (f'refs/heads/{branch}' if branch else None)
        self.local_ref = local_ref

    def _prepare(self) -> tuple[Context, Iterator[Commit]]:
        from pushguard.git import log
        ref = self.ref
        tips, bottoms = log.range_ends(self.revisions) if self.revisions else ([], [])
        commits = (c._replace(ref=ref) for c in log.stream_commits(tips, bottoms))
        ctx = Context(self.place, branch=self.branch)
        if ref is not None and tips:
            # as a push would see it: an update from the one bottom, else a new branch
            old = bottoms[0] if len(bottoms) == 1 else '0' * len(tips[0])
            ctx.updates = (RefUpdate(self.local_ref or ref, tips[0], ref, old),)
            ctx.remote = _branch_remote(self.branch)
        return ctx, commits

    def forge_facts(self, remote: Remote) -> tuple[dict[str, RefFacts], tuple[str, ...]]:
        """The forge is asked when the branch's remote is known (`branch.NAME.remote`)."""
        ctx = self.context()
        if ctx.remote is None or not ctx.updates:
            return {}, ()
        return _ask_forge(_remote_url(ctx.remote), [u.remote_ref for u in ctx.updates], remote)


class PreReceiveSource(PushSource):
    """pre-receive's `old new ref` lines, on the server: what each pushed tip brings that no ref
    of the repository has yet. git exports its quarantine (GIT_OBJECT_DIRECTORY and the
    alternates) to the hook, and every git this process starts inherits it, so the pushed
    objects are readable before they are accepted. `root` holds the trusted files (baseline)."""

    def __init__(self, updates: Sequence[RefUpdate], root: str | None) -> None:
        super().__init__(updates, None, Place.PRE_RECEIVE)
        self.root = root

    def _prepare(self) -> tuple[Context, Iterator[Commit]]:
        ctx = Context(self.place, updates=tuple(self.updates), root=self.root)
        return ctx, _commits_for(self.updates, None, ('--not', '--all'))


def _commits_for(updates: Sequence[RefUpdate], remote: str | None, extra: Sequence[str] = ()
                 ) -> Iterator[Commit]:
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
    commits = log.stream_commits(tips, known_olds, exclude_remote=remote, extra=extra)
    return (c._replace(ref=tips.get(c.ref or '', c.ref)) for c in commits)


def _ask_forge(url: str | None, refs: Sequence[str], remote: Remote
               ) -> tuple[dict[str, RefFacts], tuple[str, ...]]:
    from pushguard.forges import is_local
    if not url or is_local(url):
        return {}, ()  # a repository on this machine: no forge to ask
    from pushguard.forges._ask import ask
    asked = ask(url, list(dict.fromkeys(refs)), remote, git.git_path('.'))
    return asked.facts, asked.problems


def _branch_remote(branch: str | None) -> str | None:
    """The remote `branch` pushes to, when git knows one (`branch.NAME.remote`)."""
    if not branch:
        return None
    key = f'branch.{branch}.remote'
    name = git.config_values(key).get(key)
    return name if name and name != '.' else None


def _remote_url(remote: str) -> str | None:
    """`git ls-remote --get-url REMOTE`: the URL git pushes to, insteadOf applied."""
    return git.decode(git.run('ls-remote', '--get-url', remote, ok=(0, 128)).strip()) or None


def _is_ancestor(old: str, new: str) -> bool:
    """Whether `old` is an ancestor of `new`; an `old` this repository lacks is not (one git
    process per pushed branch that is neither created nor deleted)."""
    from pushguard import _process
    code, _, _ = _process.run(('git', 'merge-base', '--is-ancestor', old, new))
    return code == 0


def _shallow_noted(ctx: Context, commits: Iterable[Commit]) -> Iterator[Commit]:
    """`commits`, passed on; once they are all read, the shallow clone's note (_note_shallow)."""
    roots = git.shallow_roots()
    cut: list[str] = []
    for commit in commits:
        if commit.sha is not None and commit.sha in roots:
            cut.append(commit.sha)
        yield commit
    _say_shallow(ctx, cut)


def _note_shallow(ctx: Context) -> None:
    roots = git.shallow_roots()
    _say_shallow(ctx, [c.sha for c in ctx.commits if c.sha is not None and c.sha in roots])


def _say_shallow(ctx: Context, cut: Sequence[str]) -> None:
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
