"""A check's side of a streamed push: the engine reads a push once, oldest commit first, and
hands each batch of commits, then each batch of changes, to every check; a check keeps only its
findings and small facts, and what it needs of the whole push is in `ctx.index` (pushguard.pushed).

A check module that streams has `stream(ctx, cfg) -> Stream | None` (None: this run needs the
whole push in `ctx.commits` and `ctx.changes`, as `check` reads them); its `check(ctx, cfg)` is
`whole(stream(ctx, cfg), ctx)`, so both ways give the same findings in the same order.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.model import Commit, Context, FileChange, Finding, Severity

if TYPE_CHECKING:
    from typing import Any


class Stream:
    """No findings by default: a check overrides what it reads."""

    def commits(self, batch: Sequence[Commit]) -> Iterable[Finding]:
        """A batch of the push's commits, in order; ctx.index already holds them."""
        return ()

    def changes(self, batch: Sequence[FileChange]) -> Iterable[Finding]:
        """A batch of the push's changes, in order, whole commits at a time; after every commit
        was seen (ctx.index is complete)."""
        return ()

    def finish(self) -> Iterable[Finding]:
        """After the last batch (ctx.lfs_paths is known then)."""
        return ()


class AtEnd(Stream):
    """A check that reads only ctx.index (and the refs, the forge): `findings` run at the end."""

    def __init__(self, findings: Callable[[], Iterable[Finding]]) -> None:
        self.findings = findings

    def finish(self) -> Iterable[Finding]:
        return self.findings()


class Failing(Stream):
    """A rule each commit passes or fails (`why`): the failing commits are kept, less their
    messages, and reported at the end, each pushed ref with one fix (`fix`) made from its
    failing commits, oldest first, since the fix rewrites them all."""

    check_id: str

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.failing: dict[Commit, Any] = {}  # a failing commit -> why (`why`'s answer)

    def why(self, commit: Commit) -> Any:
        """Why `commit` fails (anything true), or something false when it passes."""
        raise NotImplementedError

    def fix(self, on_ref: list[Commit], merges: bool) -> str:
        """The fix for a ref: `on_ref` its failing commits, `merges` whether it pushes one."""
        raise NotImplementedError

    def say(self, commit: Commit, why: Any) -> str:
        """The finding's message for a failing commit."""
        raise NotImplementedError

    def commits(self, batch: Sequence[Commit]) -> Iterable[Finding]:
        for commit in batch:
            if why := self.why(commit):
                self.failing[commit._replace(message='')] = why
        return ()

    def finish(self) -> Iterator[Finding]:
        fixes: dict[str | None, str] = {}
        for commit in self.failing:
            if commit.ref not in fixes:
                on_ref = [c for c in self.failing if c.ref == commit.ref]
                fixes[commit.ref] = self.fix(on_ref, commit.ref in self.ctx.index.merge_refs)
        for commit, why in self.failing.items():
            yield Finding(self.check_id, Severity.ERROR, self.say(commit, why),
                          fixes[commit.ref], ref=commit.ref, commit=commit.sha)


def whole(stream: Stream | None, ctx: Context) -> Iterator[Finding]:
    """A stream's findings over a push held whole (the commit-time hooks, a forge's rules)."""
    if stream is None:
        return
    yield from stream.commits(ctx.commits)
    yield from stream.changes(ctx.changes)
    yield from stream.finish()
