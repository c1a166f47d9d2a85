"""What is being checked: one message, the index, a push, or a range of commits.

Each source reads git only through `pushguard.git`, and only when the engine asks.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from pushguard import git
from pushguard.model import AddedLines, Commit, Context, FileChange, Place, RefUpdate


class _CommitData:
    """Data for sources whose commits exist in the repository."""

    def with_signatures(self, commits: Sequence[Commit], verify: bool) -> list[Commit]:
        return git.with_signatures(commits, verify)

    def changes(self, commits: Sequence[Commit]) -> list[FileChange]:
        return git.changes(commits)

    def added_lines(self, commits: Sequence[Commit]) -> Iterator[AddedLines]:
        return git.added_lines(commits)


@dataclasses.dataclass
class MessageSource(_CommitData):
    """A message about to be committed (commit-msg hook)."""

    message: str
    branch: str | None
    place: Place = Place.COMMIT_MSG

    def context(self) -> Context:
        ref = f'refs/heads/{self.branch}' if self.branch else None
        commit = Commit(None, self.message, ref=ref)
        return Context(self.place, commits=(commit,), branch=self.branch)


@dataclasses.dataclass
class StagedSource:
    """The index, as the pre-commit hook sees it: never the working tree."""

    branch: str | None
    place: Place = Place.PRE_COMMIT

    def context(self) -> Context:
        return Context(self.place, branch=self.branch)

    def with_signatures(self, commits: Sequence[Commit], verify: bool) -> list[Commit]:
        return list(commits)

    def changes(self, commits: Sequence[Commit]) -> list[FileChange]:
        return git.staged_changes()

    def added_lines(self, commits: Sequence[Commit]) -> Iterator[AddedLines]:
        return git.staged_added_lines()


@dataclasses.dataclass
class PushSource(_CommitData):
    """Ref updates as git hands them to pre-push: commits the remote lacks, each checked once."""

    updates: Sequence[RefUpdate]
    remote: str | None
    place: Place = Place.PRE_PUSH

    def context(self) -> Context:
        tips = {u.local_sha: u.remote_ref for u in self.updates if not u.is_deletion}
        olds = [u.remote_sha for u in self.updates if not u.is_creation]
        known_olds = git.existing(olds) if olds else frozenset()
        remote = self.remote if self.remote and _has_remote_refs(self.remote) else None
        commits = git.new_commits(tips, known_olds, exclude_remote=remote) if tips else []
        commits = [dataclasses.replace(c, ref=tips.get(c.ref or '', c.ref)) for c in commits]
        ctx = Context(self.place, updates=tuple(self.updates), commits=tuple(commits))
        _note_shallow(ctx)
        return ctx


@dataclasses.dataclass
class RangeSource(_CommitData):
    """`pushguard check A..B [--branch NAME]`: the commits of a range, as a push of them."""

    revisions: Sequence[str]
    branch: str | None
    place: Place = Place.CHECK

    def context(self) -> Context:
        ref = f'refs/heads/{self.branch}' if self.branch else None
        commits = [dataclasses.replace(c, ref=ref) for c in git.commits_in(self.revisions)]
        ctx = Context(self.place, commits=tuple(commits), branch=self.branch)
        if ref is not None and commits and commits[-1].sha:
            ctx.updates = (RefUpdate(ref, commits[-1].sha, ref, '0' * len(commits[-1].sha)),)
        _note_shallow(ctx)
        return ctx


def _has_remote_refs(remote: str) -> bool:
    return bool(git.run('for-each-ref', '--count=1', f'refs/remotes/{remote}/'))


def _note_shallow(ctx: Context) -> None:
    roots = git.shallow_roots()
    cut = [c.short for c in ctx.commits if c.sha in roots]
    if cut:
        ctx.notes.append(
            f'shallow clone: history before {", ".join(cut)} is not here, so commits older than '
            f'those were not checked (git fetch --unshallow to see them)',
        )
