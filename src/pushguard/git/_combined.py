"""A merge's file diff in git's combined format (`diff-tree --cc`), cut down to the lines the
merge adds against every parent, written as the `-U0` hunks of an ordinary diff.

A combined hunk `@@@ -a,b -c,d +N,M @@@` has one marker column per parent: a line with '-' in
a column is not in the merge's file; the others are its lines N, N+1, ...; a line with '+' in
every column ('++', '+++' for an octopus) is one the merge adds against every parent (a
conflict resolution, an evil merge's own line, a file only the merge adds). A merge of upstream
work is thus not blamed for what a parent already has. `--cc` shows only the paths that differ
from every parent, and drops the hunks where the merge took one parent's text as it was.

git prints "Binary files differ" for a binary file (a NUL byte, `-diff` or `binary` in the
repository's .gitattributes) in the combined format, whatever --text says: such a file is
diffed against each parent instead (`-m --text`), and the lines added against every parent are
kept by content, so its lines are scanned as any other file's.
"""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING
from pushguard.git import fs_path, run
from pushguard.git._quoting import patch_path

if TYPE_CHECKING:
    from collections.abc import Callable

_Found = tuple[str, bytes, 'tuple[str, str] | None']  # path, -U0 hunks, blobs


class Rediff:
    """How to diff one merge again: git's options before `diff-tree` and after it (with -U0),
    and how to read an ordinary file diff (its text after `diff --`): patch.file_hunks."""

    def __init__(self, config: tuple[str, ...], flags: tuple[str, ...],
                 file_hunks: Callable[[bytes, None], _Found | None]) -> None:
        self.config, self.flags, self.file_hunks = config, flags, file_hunks


def combined_hunks(diff: bytes, commit: str | None, rediff: Rediff) -> _Found | None:
    """`patch.file_hunks` of a merge's combined file diff (its text after `diff --`)."""
    hunks = diff.find(b'\n@@@')
    header = diff if hunks < 0 else diff[:hunks]
    if commit is None or b'\n+++ /dev/null' in header or b'\ndeleted file mode ' in header:
        return None
    path = combined_path(header)
    if hunks >= 0:
        own, sure = own_hunks(diff[hunks + 1:])
        if own and not sure:
            own = exact_own_hunks(commit, path, rediff)
    elif b'\nBinary files differ' in header:
        own = binary_own_hunks(commit, path, parent_count(header), rediff)
    else:
        return None
    # no blobs: a file's text is scanned whole against one old text, and a merge has several
    return (path, own, None) if own else None


def combined_path(header: bytes) -> str:
    """The path of a combined file diff, from its `+++ b/...` line or else its first line."""
    target = header.find(b'\n+++ ')
    if target < 0:
        return fs_path(patch_path(header[3:header.find(b'\n')]))
    end = header.find(b'\n', target + 1)
    return fs_path(patch_path(header[target + 5:end if end > 0 else len(header)])[2:])


def own_hunks(text: bytes) -> tuple[bytes, bool]:
    """The combined hunks `text` (from the first `@@@`) as `-U0` hunks of the lines every
    parent lacks, numbered in the merge's file; and whether those numbers are sure.

    With -U0, git leaves out a line of a hunk that every parent has when it is shown only to
    hang '-' lines before it (combine-diff.c dump_sline), and counts it nowhere: a line after a
    '-' line may be further down than its place in the hunk says. With context (`exact_own_hunks`)
    every line of a hunk is shown."""
    out: list[bytes] = []
    width, line_no, follows, sure, lost = 0, 0, -1, True, False
    for raw in text.split(b'\n'):
        if raw.startswith(b'@@'):
            width = len(raw) - len(raw.lstrip(b'@')) - 1
            line_no, lost = int(raw.split(b' ')[width + 1][1:].split(b',')[0]), False
            continue
        markers = raw[:width]
        if len(raw) < width or raw.startswith(b'\\'):
            continue  # "\ No newline at end of file"
        if b'-' in markers:
            lost = True  # a line the merge does not have
            continue
        if markers.count(b'+') == width:
            sure = sure and not lost
            if line_no != follows:
                out.append(b'@@ -0,0 +%d @@' % line_no)
            out.append(b'+' + raw[width:])
            follows = line_no + 1
        line_no += 1
    return b'\n'.join(out), sure


def exact_own_hunks(commit: str, path: str, rediff: Rediff) -> bytes:
    """`own_hunks` of the merge's file diff of `path`, from a combined diff with context, so
    that every line of a hunk is shown and counted."""
    flags = tuple('-U1' if flag == '-U0' else flag for flag in rediff.flags)
    out = _merge_diff(rediff.config, '--cc', flags, commit)
    for piece in out.split(b'\ndiff --cc ')[1:]:
        hunks = piece.find(b'\n@@@')
        if hunks >= 0 and combined_path(b'cc ' + piece[:hunks]) == path:
            return own_hunks(piece[hunks + 1:])[0]
    return b''


def binary_own_hunks(commit: str, path: str, parents: int, rediff: Rediff) -> bytes:
    """The lines that each of a merge's diffs (`-m --text`, one per parent) adds to the binary
    file `path`, kept by content, as `-U0` hunks numbered in the merge's file."""
    out = _merge_diff(rediff.config, '-m', rediff.flags, commit)
    added: list[list[tuple[int, bytes]]] = []
    for piece in out.split(b'\ndiff --git '):
        found = rediff.file_hunks(b'git ' + piece, None)
        if found is not None and found[0] == path:
            added.append(_numbered(found[1]))
    if len(added) != parents:
        return b''
    common = set(line for _, line in added[0]).intersection(
        *({line for _, line in lines} for lines in added[1:]))
    return b'\n'.join(b'@@ -0,0 +%d @@\n+%s' % (line_no, line)
                      for line_no, line in added[0] if line in common)


_last: list[tuple[tuple[str, ...], bytes]] = []  # the last merge diff: one git per merge


def _merge_diff(config: tuple[str, ...], form: str, flags: tuple[str, ...], commit: str
                ) -> bytes:
    args = (*config, 'diff-tree', form, *flags, commit)
    if not _last or _last[0][0] != args:
        _last[:] = [(args, run(*args))]
    return _last[0][1]


def _numbered(hunks: bytes) -> list[tuple[int, bytes]]:
    """Each added line of `-U0` hunks, undecoded, with its number in the new file."""
    lines: list[tuple[int, bytes]] = []
    line_no = 0
    for raw in hunks.split(b'\n'):
        if raw.startswith(b'+'):
            lines.append((line_no, raw[1:]))
            line_no += 1
        elif raw.startswith(b'@@ '):
            line_no = int(raw.split(b' ')[2][1:].split(b',')[0])
    return lines


def parent_count(header: bytes) -> int:
    """How many parents a combined file diff's `index A,B..C` line names (2 if it has none)."""
    start = header.find(b'\nindex ')
    if start < 0:
        return 2
    return header[start:header.find(b'..', start)].count(b',') + 1
