"""A patch's file diffs grouped by commit, so that a merge's per-parent diffs can be cut down
before they are sifted and parsed.

`diff-tree --stdin -m` prints a merge's id once per parent, each followed by the diff against
that parent. Only the lines a merge adds against every parent are its own (`patch._merges_own`),
so only a path that every parent's diff changes can hold one: the others, most of a merge's diff
(a merged branch's whole work, against the first parent), are dropped unread. A commit's file
diffs are held until the next commit starts (or the patch ends), as raw text, up to HOLD bytes;
past that they pass on at once, and only the diffs still held are cut down. A diff with no
commit line before it (the index's, `diff-index`) is never held.
"""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pushguard.git.patch import _FileDiff

HOLD = 16 << 20


class Sections:
    """File diffs in, those that may matter out (`ready`), in the order they came."""

    def __init__(self) -> None:
        self.commit: str | None = None
        self.held: list[list[_FileDiff]] = [[]]  # this commit's, per section (parent)
        self.paths: list[set[str]] = [set()]  # each section's paths, held or passed on
        self.size = 0
        self.out: list[_FileDiff] = []

    def start(self, sha: str) -> None:
        """A commit line: the next section of this merge, or the next commit."""
        if sha == self.commit:
            self.held.append([])
            self.paths.append(set())
            return
        self._flush()
        self.commit, self.held, self.paths, self.size = sha, [[]], [set()], 0

    def add(self, path: str, hunks: bytes, blobs: tuple[str, str] | None) -> None:
        self.paths[-1].add(path)
        if self.commit is None:
            self.out.append((None, path, hunks, blobs))
            return
        self.held[-1].append((self.commit, path, hunks, blobs))
        self.size += len(hunks)
        if self.size > HOLD:  # a huge commit: memory over speed
            self.out.extend(diff for section in self.held for diff in section)
            self.held = [[] for _ in self.held]
            self.size = 0

    def ready(self, end: bool = False) -> list[_FileDiff]:
        """The file diffs that may matter, of the commits that ended (all of them at the end)."""
        if end:
            self._flush()
        out, self.out = self.out, []
        return out

    def _flush(self) -> None:
        if len(self.held) == 1:
            self.out.extend(self.held[0])
        else:
            every = set.intersection(*self.paths)
            self.out.extend(diff for section in self.held for diff in section
                            if diff[1] in every)
        self.held, self.paths, self.size = [[]], [set()], 0
