"""Blob contents: `git cat-file --batch`, streamed, for the few files a check must read whole."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from pushguard.git import decode, stdin_lines
from pushguard.git._stream import streamed as _streamed


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
