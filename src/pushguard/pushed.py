"""What the engine keeps of every commit of a push while the push streams by: a few bytes each.

A push of 10,000 commits is read once, oldest first, and each commit is handed to the checks and
let go. What a check needs to know about the whole push afterwards is kept here, compactly: each
commit's sha and first parent (raw bytes), the merges' other parents, the pushed ref through which
git reached it (a run per ref), and with `subjects` its subject (for the commit a fixup! names).
Counts, the last commit, the refs that carry a merge and the root commits come with it.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator

from pushguard._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pushguard.model import Commit

_BLOCK = 1024  # shas per block of `stdin`


class Pushed:
    """Facts about the commits of a push, in the order they were added (git's, oldest first).

    `record` makes the commits it answers with (model.Commit: the model imports this module)."""

    def __init__(self, record: Callable[..., Commit], subjects: bool = True) -> None:
        self._record = record
        self.count = 0
        self.last: str | None = None  # the last commit added: the push's tip
        # each ref through which a merge is pushed -> its first merge
        self.merge_refs: dict[str | None, str | None] = {}
        self.merges: dict[str, int] = {}  # merge sha -> how many parents
        self._width = 0
        self._records = bytearray()  # per commit: sha, then first parent (zeros for a root)
        self._more: dict[int, tuple[str, ...]] = {}  # a merge's position -> its other parents
        self._starts: list[int] = []  # positions where the ref changes ...
        self._refs: list[str | None] = []  # ... and the ref from there on
        self._subjects: bytearray | None = bytearray() if subjects else None
        import array  # here: a commit-time hook makes an empty index, and pays for no module
        self._ends = array.array('Q')  # where each subject ends in _subjects
        self._cursor = 0  # where the last lookup found its commit: the next is often next to it
        self._cache: tuple[str | None, int | None] = (None, None)

    @classmethod
    def of(cls, commits: Iterable[Commit], record: Callable[..., Commit]) -> Pushed:
        pushed = cls(record)
        for commit in commits:
            pushed.add(commit)
        return pushed

    def add(self, commit: Commit) -> None:
        self.count += 1
        self.last = commit.sha
        if commit.is_merge:
            self.merge_refs.setdefault(commit.ref, commit.sha)
        if commit.sha is None:
            return
        raw = bytes.fromhex(commit.sha)
        self._width = self._width or len(raw)
        position = len(self._records) // (2 * self._width)
        parents = commit.parents
        self._records += raw + (bytes.fromhex(parents[0]) if parents else bytes(len(raw)))
        if len(parents) > 1:
            self._more[position] = parents[1:]
            self.merges[commit.sha] = len(parents)
        if not self._refs or self._refs[-1] != commit.ref:
            self._starts.append(position)
            self._refs.append(commit.ref)
        if self._subjects is not None:
            self._subjects += commit.message.split('\n', 1)[0].encode('utf-8', 'surrogatepass')
            self._ends.append(len(self._subjects))

    # --- by position ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._records) // (2 * self._width) if self._width else 0

    def sha(self, position: int) -> str:
        start = position * 2 * self._width
        return self._records[start:start + self._width].hex()

    def commit(self, position: int) -> Commit:
        """The commit at `position`, without its message and identities."""
        start = position * 2 * self._width
        first = self._records[start + self._width:start + 2 * self._width]
        parents = (first.hex(), *self._more.get(position, ())) if any(first) else ()
        return self._record(self.sha(position), '', parents, ref=self.ref(position))

    def ref(self, position: int) -> str | None:
        """The pushed ref through which the commit at `position` came."""
        return self._refs[bisect.bisect_right(self._starts, position) - 1]

    def subject(self, position: int) -> str:
        """The commit's first line, as the message has it (kept with `subjects`)."""
        assert self._subjects is not None
        start = self._ends[position - 1] if position else 0
        return self._subjects[start:self._ends[position]].decode('utf-8', 'surrogatepass')

    # --- by sha --------------------------------------------------------------------------------

    def position(self, sha: str | None) -> int | None:
        """Where the commit `sha` is, or None when it is not in the push."""
        if sha is None or not self._width:
            return None
        if self._cache[0] == sha:
            return self._cache[1]
        try:
            raw = bytes.fromhex(sha)
        except ValueError:
            return None
        found = self._find(raw) if len(raw) == self._width else None
        self._cache = (sha, found)
        return found

    def _find(self, raw: bytes) -> int | None:
        step = 2 * self._width
        for guess in (self._cursor, self._cursor + 1):  # lookups mostly follow the push's order
            if self._records[guess * step:guess * step + self._width] == raw:
                self._cursor = guess
                return guess
        at = self._records.find(raw)
        while at != -1:
            if at % step == 0:
                self._cursor = at // step
                return self._cursor
            at = self._records.find(raw, at + 1)
        return None

    def get(self, sha: str | None, default: Commit | None = None) -> Commit | None:
        """The commit `sha` of the push (as `commit`), else `default`: a dict's `get`."""
        position = self.position(sha)
        return default if position is None else self.commit(position)

    def ref_of(self, sha: str | None) -> str | None:
        """The pushed ref `sha` came through; None for a sha not in the push."""
        position = self.position(sha)
        return None if position is None else self.ref(position)

    def stdin(self) -> Iterator[bytes]:
        """The shas as `--stdin` lines, in the push's order, a block at a time."""
        for start in range(0, len(self), _BLOCK):
            yield b''.join(self.sha(i).encode() + b'\n'
                           for i in range(start, min(start + _BLOCK, len(self))))
