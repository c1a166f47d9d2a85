"""Blob contents: `git cat-file --batch`, streamed, for the few files a check must read whole."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.git import decode, stdin_lines
from pushguard.git._stream import kept_open, streamed as _streamed
from pushguard.model import SUBMODULE_MODE, FileChange

if TYPE_CHECKING:
    from typing import Any

SIZE_FORMAT = '--batch-check=%(objectname) %(objecttype) %(objectsize)'


def read_blobs(shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """Each blob's id and content, in the order asked, one at a time (one git process).

    Unknown ids and objects that are not blobs are left out."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return
    with _streamed('cat-file', '--batch', stdin=stdin_lines(wanted)) as out:
        for _ in wanted:
            header = out.readline().split()
            if len(header) == 2 and header[1] == b'missing':
                continue
            sha, kind, size = decode(header[0]), header[1], int(header[2])
            content = out.read(size)  # a buffered reader: all of it, unless git stopped
            out.read(1)  # the newline after the content
            if kind == b'blob':
                yield sha, content


class SizeReader:
    """`git cat-file --batch-check` kept running while a push streams by: the sizes of each
    commit's new blobs are asked as its changes come, through one git process for the push."""

    def __init__(self, out: Any) -> None:
        self._out = out

    def sizes(self, blobs: Iterable[str]) -> dict[str, int]:
        """The size of each blob (not the other objects, nor unknown ids)."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return {}
        out = self._out
        if not hasattr(out, 'send'):  # pragma: no cover - Windows: one process per batch
            return blob_sizes(wanted)
        out.send(stdin_lines(wanted))
        found: dict[str, int] = {}
        for _ in wanted:
            add_size(found, out.readline())
        return found


def blob_sizes(blobs: Iterable[str]) -> dict[str, int]:
    """The size of each blob, from one `git cat-file --batch-check`."""
    sizes: dict[str, int] = {}
    wanted = list(dict.fromkeys(blobs))
    if wanted:
        with _streamed('cat-file', SIZE_FORMAT, stdin=stdin_lines(wanted)) as out:
            for line in out:
                add_size(sizes, line)
    return sizes


def add_size(sizes: dict[str, int], line: bytes) -> None:
    """One SIZE_FORMAT answer into `sizes`: a blob's size (other objects and unknown ids are
    left out)."""
    parts = line.split(b' ')
    if len(parts) == 3 and parts[1] == b'blob':
        sizes[decode(parts[0])] = int(parts[2])


@contextlib.contextmanager
def size_reader() -> Iterator[SizeReader]:
    """A SizeReader for the time of the `with`; git ends with it."""
    with kept_open('cat-file', SIZE_FORMAT) as out:
        yield SizeReader(out)


def with_sizes(changes: Sequence[FileChange],
               sizes_of: Callable[[Iterable[str]], dict[str, int]]) -> Iterator[FileChange]:
    """`changes` with the size of each new blob (none for a deletion or a submodule), the
    sizes asked of `sizes_of` at once: a push's whole, or a streamed batch."""
    sizes = sizes_of(c.blob for c in changes if c.status != 'D' and c.mode != SUBMODULE_MODE)
    for change in changes:
        yield change._replace(size=sizes.get(change.blob))
