"""What commits change: paths and their new blobs, blob sizes, attributes."""
from __future__ import annotations

import collections
import os
from collections.abc import Iterable, Sequence

from pushguard.git import decode, empty_tree, fs_path, resolve, run, stdin_lines
from pushguard.model import Commit, FileChange

DIFF_FLAGS = ('--no-ext-diff', '--no-textconv', '--no-color')
# A merge is diffed against each parent (-m), and only what differs from every parent is kept
# (_merges_own): a merge of upstream work (`git pull`) is not blamed for what upstream already
# has, while an evil merge or a conflict resolution is still seen, as with `git diff --cc`.
MERGES = '-m'
# Blobs over core.bigFileThreshold diff as "Binary files differ", so no big text file is diffed
# line by line. 1 MiB is where GitLab's secret push protection stops scanning a blob too. git 2.39
# still reads a big *added* blob whole before saying so (builtin_diff's fill_mmfile), so the
# paths of big blobs are also left out of the diff (too_big_to_diff, added_lines(skip=...)).
MAX_DIFF_BLOB = 1 << 20


def changes(commits: Sequence[Commit]) -> list[FileChange]:
    """`git diff-tree --stdin -r -z --root`: every path each commit touches, with its new blob."""
    if not commits:
        return []
    refs = {c.sha: c.ref for c in commits}
    out = run('diff-tree', '--stdin', '-r', '-z', '--root', MERGES, *DIFF_FLAGS,
              stdin=stdin_lines(c.sha for c in commits if c.sha))
    found: list[FileChange] = []
    commit: str | None = None
    items = iter(out.split(b'\0'))
    for item in items:
        if not item:
            continue
        if not item.startswith(b':'):
            commit = decode(item.strip())
            continue
        _, new_mode, _, new_blob, status = decode(item[1:]).split(' ')
        path = next(items)
        if status[0] in 'RC':
            path = next(items)  # the source path came first; the destination is what is added
        found.append(
            FileChange(commit, refs.get(commit), fs_path(path), status[0], new_blob, new_mode),
        )
    return _merges_own_changes(found, parent_counts(commits))


def _merges_own_changes(found: list[FileChange], parents: dict[str | None, int]
                        ) -> list[FileChange]:
    """Each change once; of a merge's, only those in its diff against every parent."""
    times = collections.Counter((c.commit, c.path, c.blob) for c in found)
    kept: dict[tuple[str | None, str, str], FileChange] = {}
    for change in found:
        key = (change.commit, change.path, change.blob)
        if times[key] == parents.get(change.commit, 1):
            kept.setdefault(key, change)
    return list(kept.values())


def parent_counts(commits: Sequence[Commit]) -> dict[str | None, int]:
    """How many diffs `-m` prints for each commit: one per parent, one for a root."""
    return {c.sha: max(1, len(c.parents)) for c in commits}


def staged_changes(base: str | None = None) -> list[FileChange]:
    """`git diff-index --cached -r -z`: what the index changes against `base` (by default HEAD,
    or the empty tree)."""
    base = base or resolve('HEAD') or empty_tree()
    out = run('diff-index', '--cached', '-r', '-z', '--no-renames', base)
    found = []
    items = iter(out.split(b'\0'))
    for item in items:
        if item.startswith(b':'):
            _, new_mode, _, new_blob, status = decode(item[1:]).split(' ')
            path = fs_path(next(items))
            found.append(FileChange(None, None, path, status[0], new_blob, new_mode))
    return found


def blob_sizes(blobs: Iterable[str]) -> dict[str, int]:
    """`git cat-file --batch-check`: the size of each blob, read from the object store."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    out = run('cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)',
              stdin=stdin_lines(wanted))
    sizes = {}
    for line in decode(out).splitlines():
        parts = line.split(' ')
        if len(parts) == 3 and parts[1] == 'blob':
            sizes[parts[0]] = int(parts[2])
    return sizes


def attributes(paths: Iterable[str], attribute: str, cached: bool = False) -> dict[str, str]:
    """`git check-attr -z --stdin ATTRIBUTE`: the attribute's value for each path."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return {}
    args = ['check-attr', '-z', '--stdin', *(['--cached'] if cached else []), attribute]
    out = run(*args, stdin=b''.join(os.fsencode(p) + b'\0' for p in wanted)).split(b'\0')
    return {fs_path(out[i]): decode(out[i + 2]) for i in range(0, len(out) - 2, 3)}


def too_big_to_diff(changes: Iterable[FileChange]) -> list[FileChange]:
    """The changes whose blob (size already fetched) is over MAX_DIFF_BLOB: not to be diffed."""
    return [c for c in changes if (c.size or 0) > MAX_DIFF_BLOB]
