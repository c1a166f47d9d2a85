"""What a streamed push's commits change: `git diff-tree --stdin -r -z --root`, read as it comes.

The same records as `diff.changes`, for the commits a pushguard.pushed.Pushed holds: the shas are
fed to git a block at a time and each change is handed on as soon as it is read; only the last
few thousand paths are remembered (to share equal strings), never every path of the push.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard._typing import TYPE_CHECKING
from pushguard.git import BOUNDED_CACHE, decode, fs_path
from pushguard.git._stream import streamed
from pushguard.git.diff import DIFF_FLAGS, MERGES, RENAMES, _fields, _merges_own_changes
from pushguard.model import FileChange

if TYPE_CHECKING:
    from pushguard.pushed import Pushed

_REMEMBERED = 256  # paths and modes shared between changes, at most


def stream_changes(pushed: Pushed) -> Iterator[FileChange]:
    """Every path each pushed commit touches, with its new blob, in the push's order; of a
    merge, only what differs from every parent (as diff.changes)."""
    if not len(pushed):
        return
    with streamed(*BOUNDED_CACHE, 'diff-tree', '--stdin', '-r', '-z', '--root', MERGES,
                  *RENAMES, *DIFF_FLAGS, stdin=pushed.stdin()) as out:
        yield from _merges_own_changes(_parse_raw(_fields(out), pushed),
                                       pushed.merges)  # type: ignore[arg-type]


def _parse_raw(items: Iterator[bytes], pushed: Pushed) -> Iterator[FileChange]:
    """diff.changes' parse, each commit found in `pushed`, strings shared within a bound."""
    sha: str | None = None
    ref: str | None = None
    once: dict[bytes, str] = {}
    for item in items:
        if not item:
            continue
        if not item.startswith(b':'):
            sha = decode(item.strip())
            position = pushed.position(sha)  # always in the push
            ref = None if position is None else pushed.ref(position)
            continue
        _, new_mode, old_blob, new_blob, status = item[1:].split(b' ')
        path = next(items)
        if status[:1] in (b'R', b'C'):
            path = next(items)  # the source path came first; the destination is what is added
        if len(once) >= _REMEMBERED:
            once.clear()
        if path not in once:
            once[path] = fs_path(path)
        if new_mode not in once:
            once[new_mode] = decode(new_mode)
        yield FileChange(sha, ref, once[path], decode(status[:1]), decode(new_blob),
                         once[new_mode], old_blob=decode(old_blob))
