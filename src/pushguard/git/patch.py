"""The lines commits (or the index) add: `git diff-tree -p -U0`, streamed and parsed."""
from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.git import BOUNDED_CACHE, decode, empty_tree, fs_path, resolve, stdin_lines
from pushguard.git._combined import Rediff, combined_hunks
from pushguard.git._quoting import patch_path
from pushguard.git._stream import streamed as _streamed
from pushguard.git.diff import DIFF_FLAGS, MAX_DIFF_BLOB, RENAMES
from pushguard.model import AddedLines, Commit, FileChange, Sift

if TYPE_CHECKING:
    from typing import IO

    from pushguard.pushed import Pushed

    from pushguard.git.diff import Started

# a commit's sha -> the pushed ref it came through (None for the index's diff)
RefOf = Callable[['str | None'], 'str | None']

NO_BIG_DIFFS = ('-c', f'core.bigFileThreshold={MAX_DIFF_BLOB}', *BOUNDED_CACHE)
# Files git would call binary (a NUL byte, `-diff` or `binary` in .gitattributes, which the
# repository controls) are diffed as text: their lines are scanned as detect-secrets scans any
# file it can read, never left out unsaid. Blobs too big to diff are left out by path instead.
PATCH_FLAGS = ('-p', '-U0', '--text', '--full-index', *RENAMES, *DIFF_FLAGS)
_COMMIT_LINE = re.compile(rb'[0-9a-f]{40}|[0-9a-f]{64}')
PATCH_BLOCK = 1 << 16  # git's patch is read up to this much at a time, then cut into file diffs
# a file diff starts `diff --git ` (a commit with one parent, or none) or `diff --cc ` (a merge)
_FILE_DIFF = b'\ndiff --'
_ADDED_LINE = re.compile(rb'^\+(.*)', re.MULTILINE)


class AddedLinesStream(Iterator[AddedLines]):
    """The lines a diff adds, per path; git starts at the first read, so `sifted` can still
    choose which file diffs are worth parsing."""

    def __init__(self, start: Callable[[Sift | None], Generator[AddedLines, None, None]]) -> None:
        self._start = start
        self._sift: Sift | None = None
        self._lines: Generator[AddedLines, None, None] | None = None

    def sifted(self, sift: Sift) -> AddedLinesStream:
        """Parse only the file diffs that `sift` keeps: it is called with the (path, added) of
        each file diff in a block of the patch, `added` being the lines the diff adds (each less
        its '+', joined by newlines), and says which to parse (a true item); the others are
        skipped whole, never split into lines. Raises ValueError once the stream was read."""
        if self._lines is not None:
            raise ValueError('the added lines are already being read')
        self._sift = sift
        return self

    def __next__(self) -> AddedLines:
        if self._lines is None:
            self._lines = self._start(self._sift)
        return next(self._lines)

    def close(self) -> None:
        """Stop reading: git is stopped, if it was started."""
        if self._lines is not None:
            self._lines.close()


def added_lines(commits: Sequence[Commit] | Pushed, skip: Sequence[FileChange] = ()
                ) -> AddedLinesStream:
    """`git diff-tree --stdin -p -U0 --root --cc`, streamed: the lines each commit adds, per
    path; a merge's are those it adds against every parent (git._combined).

    The commits are given whole, or as a streamed push's index (pushguard.pushed): its shas
    are then fed to git a block at a time. The paths of `skip` are left out of the diff
    (pathspec `:(exclude,literal)`); each skipped change comes first, as an AddedLines with no
    lines and `unread` set.
    """
    return AddedLinesStream(lambda sift: _added_lines(commits, skip, sift))


def _added_lines(commits: Sequence[Commit] | Pushed, skip: Sequence[FileChange],
                 sift: Sift | None) -> Generator[AddedLines, None, None]:
    if not len(commits):
        return
    yield from _unread(skip)
    ref_of: RefOf
    if isinstance(commits, Sequence):
        ref_of = {c.sha: c.ref for c in commits}.get
        stdin: bytes | Iterator[bytes] = stdin_lines(c.sha for c in commits if c.sha)
    else:  # looked up in the push's index, without a dict of 10,000 shas
        ref_of, stdin = commits.ref_of, commits.stdin()
    # a merge's combined diff (--cc), not one diff per parent (-m): in one git run, the
    # 396 merges of 1,450 commits print 70 KB instead of 8.9 MB
    args = (*NO_BIG_DIFFS, 'diff-tree', '--stdin', '--root', '--cc', *PATCH_FLAGS,
            *_excluded(skip))
    with _streamed(*args, stdin=stdin) as out:
        yield from _parse_patch(out, ref_of, sift)


def _unread(skip: Sequence[FileChange]) -> Iterator[AddedLines]:
    for change in skip:
        yield AddedLines(change.commit, change.ref, change.path, (), unread=True)


def _excluded(skip: Sequence[FileChange]) -> list[str]:
    """The pathspec that leaves the paths of `skip` out of a diff."""
    paths = dict.fromkeys(change.path for change in skip)
    return ['--', *(f':(exclude,literal){path}' for path in paths)] if paths else []


def staged_added_lines(skip: Sequence[FileChange] = (), base: str | None = None,
                       started: Started | None = None) -> AddedLinesStream:
    """`git diff-index --cached -p -U0`, streamed: the lines the index adds against `base` (by
    default HEAD, or the empty tree), plumbing, so the user's diff config cannot change paths or
    numbers; `skip` as for `added_lines`. The output of `started` when it is that very command
    (else it is dropped)."""
    return AddedLinesStream(lambda sift: _staged_added_lines(skip, sift, base, started))


def _staged_added_lines(skip: Sequence[FileChange], sift: Sift | None, base: str | None,
                        started: Started | None = None) -> Generator[AddedLines, None, None]:
    yield from _unread(skip)
    args = staged_patch_args(base or resolve('HEAD') or empty_tree(), skip)
    if started is not None and started.args != args:
        started.drop()
        started = None
    with started or _streamed(*args, stdin=b'') as out:
        yield from _parse_patch(out, _no_ref, sift)


def staged_patch_args(base: str, skip: Sequence[FileChange] = ()) -> tuple[str, ...]:
    """The arguments of `staged_added_lines` against `base`."""
    return (*NO_BIG_DIFFS, 'diff-index', '--cached', *PATCH_FLAGS, base, *_excluded(skip))


def _parse_patch(out: IO[bytes], ref_of: RefOf, sift: Sift | None = None
                 ) -> Iterator[AddedLines]:
    commit: str | None = None  # none for the index's diff (diff-index)
    for pieces in _pieces(out):
        files: list[_FileDiff] = []
        for piece in pieces:
            diff, shas = _split_commit_lines(piece)
            found = file_hunks(diff, commit)
            if found is not None:
                files.append((commit, *found))
            if shas:  # diff-tree --stdin names each commit before its diffs
                commit = decode(shas[-1])
        yield from _parsed(files, ref_of, sift)


def _parsed(files: list[_FileDiff], ref_of: RefOf, sift: Sift | None) -> Iterator[AddedLines]:
    if sift is not None and files:
        files = _sifted(files, sift)
    for sha, path, hunks, blobs in files:
        lines = _hunk_lines(hunks)
        if lines:
            yield AddedLines(sha, ref_of(sha), path, tuple(lines), blobs=blobs)


_FileDiff = tuple[str | None, str, bytes, tuple[str, str] | None]  # commit, path, hunks, blobs


def _no_ref(sha: str | None) -> None:
    """The index's diff: no commit, no pushed ref."""
    return None


def _sifted(files: list[_FileDiff], sift: Sift) -> list[_FileDiff]:
    kept = sift([(path, b'\n'.join(_ADDED_LINE.findall(hunks))) for _, path, hunks, _ in files])
    return [file for file, keep in zip(files, kept, strict=True) if keep]


def _pieces(out: IO[bytes]) -> Iterator[list[bytes]]:
    """git's patch cut before each file diff's `diff --` (which is left out: a piece starts
    `git ` or `cc `), a block at a time; the first piece is what comes before the first file
    diff. Memory: a block and one file diff."""
    pending = b'\n'  # so that a patch starting with a file diff is cut there too
    # read1: what git has written so far, so that parsing keeps pace with git (2,000 commits:
    # 0.28 s, against 0.30 s waiting for whole 64 KiB blocks and 0.41 s for 1 MiB ones)
    read = getattr(out, 'read1', out.read)
    while block := read(PATCH_BLOCK):
        pending += block
        cut = pending.rfind(_FILE_DIFF)
        if cut > 0:  # all before the last file diff is whole
            yield pending[:cut].split(_FILE_DIFF)
            pending = pending[cut:]
    yield pending.split(_FILE_DIFF)


def _split_commit_lines(piece: bytes) -> tuple[bytes, list[bytes]]:
    """The piece's own text, and the commit id lines that end it (diff-tree --stdin)."""
    shas: list[bytes] = []
    text = piece.rstrip(b'\n')
    while text:
        start = text.rfind(b'\n') + 1
        if not _COMMIT_LINE.fullmatch(text, start):
            break
        shas.append(text[start:])
        text = text[:max(start - 1, 0)]
    return text, shas[::-1]


def file_hunks(diff: bytes, commit: str | None
               ) -> tuple[str, bytes, tuple[str, str] | None] | None:
    """The path of one file's diff (its text after `diff --`), its `-U0` hunks and its (old,
    new) blobs (`index` line, --full-index; none for a merge); None when it has no hunks (a
    mode change, a deletion, a pure rename, or no file diff at all). A merge's combined diff
    (`cc `) is cut down to the lines it adds against every parent."""
    if diff.startswith(b'cc '):
        return combined_hunks(diff, commit, _REDIFF)
    hunks = diff.find(b'\n@@ ')
    target = diff.rfind(b'\n+++ ', 0, hunks)
    if hunks < 0 or target < 0:
        return None
    target_path = diff[target + 5:diff.find(b'\n', target + 1)]
    if target_path == b'/dev/null':
        return None
    return fs_path(patch_path(target_path)[2:]), diff[hunks + 1:], _blobs(diff, hunks)


_REDIFF = Rediff(NO_BIG_DIFFS, PATCH_FLAGS, file_hunks)  # a merge diffed again (git._combined)


def _blobs(diff: bytes, end: int) -> tuple[str, str] | None:
    """The `index OLD..NEW[ MODE]` line's blob ids."""
    start = diff.find(b'\nindex ', 0, end)
    if start < 0:
        return None
    ids = diff[start + 7:diff.find(b'\n', start + 1)].split(b' ')[0].split(b'..')
    return (decode(ids[0]), decode(ids[1])) if len(ids) == 2 else None


def _hunk_lines(text: bytes) -> list[tuple[int, str]]:
    """Each added line of `-U0` hunks, with its number in the new file."""
    lines: list[tuple[int, str]] = []
    line_no = 0
    for raw in text.split(b'\n'):
        if raw.startswith(b'+'):
            lines.append((line_no, decode(raw[1:])))
            line_no += 1
        elif raw.startswith(b'@@ '):
            line_no = _hunk_start(raw)
    return lines


def _hunk_start(header: bytes) -> int:
    new = header.split(b' ')[2]  # b'+12,3' or b'+12'
    return int(new[1:].split(b',')[0])
