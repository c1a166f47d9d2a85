"""The engine's streamed run: a push read once, oldest commit first, its checks fed in batches.

Memory is bounded by the largest batch (and the largest commit), not by the push: the commits
and their changes are read as git writes them, handed to each check's Stream
(pushguard.checks._stream) a batch at a time and let go. What the checks need to know of the
whole push afterwards stays in ctx.index (pushguard.pushed): a few dozen bytes per commit.
Three passes, each one git process (four with the sizes' `cat-file`), whatever the push's size:
the commits (`git log`), what they change (`git diff-tree --raw`, its blobs sized by one
long-lived `git cat-file --batch-check`), then the lines they add (`git diff-tree -p`), which
the checks that read them (secrets) stream themselves.
"""
from __future__ import annotations

import array
import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.git.blobs import with_sizes
from pushguard.model import Commit, Context, FileChange, Finding, Need, Signature
from pushguard.pushed import Pushed

if TYPE_CHECKING:
    from pushguard import checks
    from pushguard.checks._stream import Stream
    from pushguard.config import Config
    from pushguard.engine import Source
    from pushguard.git.log import HeaderReader

COMMITS_PER_BATCH = 256
CHANGES_PER_BATCH = 512  # at least: a batch holds whole commits
_HOLDS_COMMITS = {Need.MESSAGES, Need.SIGNATURES, Need.CHANGES, Need.SIZES, Need.ATTRIBUTES}
_CHANGES = {Need.CHANGES, Need.SIZES, Need.ADDED_LINES, Need.ATTRIBUTES}


def run(source: Source, cfg: Config, selected: Sequence[checks.Check], needs: set[Need],
        ctx: Context, commits: Iterator[Commit], can: bool = True
        ) -> dict[str, list[Finding]] | None:
    """The findings of each check, by id, the push streamed (ctx as the source made it, the
    forge asked). None when a check needs the whole push after all (signature, a forge's content
    rules, the rules `sync` saved: `can` false): ctx.commits then holds it, for the engine's
    whole run."""
    streams: dict[str, Stream | None] = {
        check.ID: check.stream(ctx, cfg) for check in selected if hasattr(check, 'stream')}
    if not can or any(stream is None for stream in streams.values()) or any(
            check.NEEDS & _HOLDS_COMMITS for check in selected if check.ID not in streams):
        ctx.commits = tuple(commits)
        return None
    with contextlib.ExitStack() as stack:
        if Need.SIGNATURES in needs:
            reader = stack.enter_context(source.header_reader())  # type: ignore[attr-defined]
            commits = _signed(commits, reader, cfg.signing_verify)
        return _streamed(source, cfg, selected, needs, ctx, commits, streams)


def _streamed(source: Source, cfg: Config, selected: Sequence[checks.Check], needs: set[Need],
              ctx: Context, commits: Iterator[Commit], streams: dict[str, Stream | None]
              ) -> dict[str, list[Finding]]:
    live = [(check_id, stream) for check_id, stream in streams.items() if stream is not None]
    found: dict[str, list[Finding]] = {check.ID: [] for check in selected}
    ctx.index = pushed = Pushed(Commit, subjects=Need.MESSAGES in needs)
    for batch in _batches(commits):
        for commit in batch:
            pushed.add(commit)
        for check_id, stream in live:
            found[check_id] += stream.commits(batch)
        del batch  # not kept while the next is read
    too_big: list[FileChange] = []
    if needs & _CHANGES:
        too_big = _changes(source, cfg, ctx, needs, live, found)
    for check_id, stream in live:
        found[check_id] += stream.finish()
    if Need.ADDED_LINES in needs:
        from pushguard import git
        ctx.root = ctx.root or git.work_tree_top()
        ctx._added_lines = source.added_lines(pushed, too_big)  # type: ignore[arg-type]
        ctx.read_blobs = source.read_blobs
    for check in selected:
        if check.ID not in streams:
            found[check.ID] += check.check(ctx, cfg)
    return found


def _signed(commits: Iterator[Commit], reader: HeaderReader, verify: bool) -> Iterator[Commit]:
    """The commits with their signature's kind, a batch at a time; with `verify`, git's verdict
    too: one `git log %G?` a batch (git runs gpg or ssh-keygen for every commit anyway)."""
    from pushguard.git import log
    for batch in _batches(commits):
        shas = [c.sha for c in batch if c.sha]
        kinds = reader.signature_kinds(shas)
        verdicts = log.verify_signatures(shas) if verify else {}
        yield from (c._replace(signature=Signature(kinds.get(c.sha or ''),
                                                   verdicts.get(c.sha or '')))
                    for c in batch)


def _batches(commits: Iterator[Commit]) -> Iterator[list[Commit]]:
    batch: list[Commit] = []
    for commit in commits:
        batch.append(commit)
        if len(batch) == COMMITS_PER_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _changes(source: Source, cfg: Config, ctx: Context, needs: set[Need],
             live: Sequence[tuple[str, Stream]], found: dict[str, list[Finding]]
             ) -> list[FileChange]:
    """Feed the changes to the checks, sized; the changes too big to diff (a few)."""
    from pushguard.git.diff import MAX_DIFF_BLOB
    sized = bool(needs & {Need.SIZES, Need.ADDED_LINES, Need.ATTRIBUTES})
    big = min(cfg.max_size, cfg.warn_size)
    too_big: list[FileChange] = []
    big_paths: list[str] = []
    with source.size_reader() as reader:  # type: ignore[attr-defined]
        changes = _unique(source.stream_changes(ctx.index))  # type: ignore[attr-defined]
        for batch in _change_batches(changes):
            if sized:
                batch = list(with_sizes(batch, reader.sizes))
                too_big += (c for c in batch if (c.size or 0) > MAX_DIFF_BLOB)
                big_paths += (c.path for c in batch if (c.size or 0) > big)
            for check_id, stream in live:
                found[check_id] += stream.changes(batch)
    if Need.ATTRIBUTES in needs:  # only for blobs big enough to be reported: a few paths
        ctx.lfs_paths = source.lfs_paths(big_paths)
    return too_big


def _change_batches(changes: Iterable[FileChange]) -> Iterator[list[FileChange]]:
    """At least CHANGES_PER_BATCH changes a batch, cut between commits only."""
    batch: list[FileChange] = []
    for change in changes:
        if len(batch) >= CHANGES_PER_BATCH and change.commit != batch[-1].commit:
            yield batch
            batch = []
        batch.append(change)
    if batch:
        yield batch


def _unique(changes: Iterable[FileChange]) -> Iterator[FileChange]:
    """Each (path, blob) once, as the engine's whole run: a merge repeats what its branch's own
    commits brought. What is remembered of each is an 8-byte keyed hash (the key drawn afresh
    each run, so no repository can make two collide on purpose), not a path and a sha."""
    salt = os.urandom(16)
    seen = _Seen()
    for change in changes:
        digest = hashlib.blake2b(change.path.encode('utf-8', 'surrogateescape') + b'\0'
                                 + change.blob.encode(), key=salt, digest_size=8).digest()
        if seen.add(int.from_bytes(digest, 'little') | 1):
            yield change


class _Seen:
    """A set of non-zero 64-bit keys in one array (open addressing): 16 bytes a key, and no
    object per key that would pin the memory pages it sits on."""

    def __init__(self) -> None:
        self.slots = array.array('Q', bytes(8 * 1024))
        self.used = 0

    def add(self, key: int) -> bool:
        """Add `key`; whether it was new."""
        slots, mask = self.slots, len(self.slots) - 1
        i = key & mask
        while slots[i]:
            if slots[i] == key:
                return False
            i = (i + 1) & mask
        slots[i] = key
        self.used += 1
        if self.used * 2 > len(slots):
            self._grow()
        return True

    def _grow(self) -> None:
        old = self.slots
        self.slots, self.used = array.array('Q', bytes(16 * len(old))), 0
        for key in old:
            if key:
                self.add(key)
