"""What commits change: paths and their new blobs, blob sizes, attributes."""
from __future__ import annotations

import collections
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.git import BOUNDED_CACHE, decode, empty_tree, fs_path, resolve, run, stdin_lines
from pushguard.git._stream import streamed
from pushguard.model import Commit, FileChange

if TYPE_CHECKING:
    from typing import IO

# Every diff pins what the user's config could change in its output (git_diff_basic_config is
# read even by plumbing): no external driver, no textconv, no colour, fixed prefixes, no
# relative paths, no order file, hunks never merged across unchanged lines (-U0 with
# diff.interHunkContext would put context lines between added ones and shift every number).
DIFF_FLAGS = ('--no-ext-diff', '--no-textconv', '--no-color', '--src-prefix=a/',
              '--dst-prefix=b/', '--no-relative', '-O/dev/null', '--inter-hunk-context=0')
# A rename brings no new blob, and a rename with edits brings only its edits: exact renames are
# always found; inexact ones at git's default similarity, with the limit pinned
# (diff.renameLimit is read by plumbing too). Copies are not looked for (that reads every file).
RENAMES = ('-M50%', '-l1000')
# A merge's changes are diffed against each parent (-m), and only what differs from every parent
# is kept (_merges_own_changes): a merge of upstream work (`git pull`) is not blamed for what
# upstream already has, while an evil merge or a conflict resolution is still seen. (Its added
# lines come from the combined diff, `--cc`: git._combined.)
MERGES = '-m'
# Blobs over core.bigFileThreshold diff as "Binary files differ", so no big text file is diffed
# line by line. 1 MiB is where GitLab's secret push protection stops scanning a blob too. git 2.39
# still reads a big *added* blob whole before saying so (builtin_diff's fill_mmfile), so the
# paths of big blobs are also left out of the diff (too_big_to_diff, added_lines(skip=...)).
MAX_DIFF_BLOB = 1 << 20


_REMEMBERED = 256  # paths and modes shared between changes, at most
# a commit's sha as diff-tree prints it -> the sha string and ref its changes carry
CommitOf = Callable[[str], 'tuple[str, str | None]']


def changes(commits: Sequence[Commit]) -> list[FileChange]:
    """`git diff-tree --stdin -r -z --root`: every path each commit touches, with its new blob."""
    by_sha = {c.sha: c for c in commits if c.sha}
    if not by_sha:
        return []
    return list(stream_changes(stdin_lines(by_sha), lambda sha: _sha_and_ref(by_sha, sha),
                               {sha: max(1, len(c.parents)) for sha, c in by_sha.items()}))


def stream_changes(shas: bytes | Iterable[bytes], commit_of: CommitOf,
                   parents: Mapping[str, int]) -> Iterator[FileChange]:
    """The changes of the commits `shas` (git's stdin) as git prints them, a block at a time:
    each with the sha and ref `commit_of` gives its commit; of a merge (`parents` says how many
    it has), only what differs from every parent."""
    with streamed(*BOUNDED_CACHE, 'diff-tree', '--stdin', '-r', '-z', '--root', MERGES,
                  *RENAMES, *DIFF_FLAGS, stdin=shas) as out:
        yield from _merges_own_changes(_parse_raw(_fields(out), commit_of), parents)


def _sha_and_ref(by_sha: Mapping[str, Commit], sha: str) -> tuple[str, str | None]:
    """The commit's own sha string (shared, not one more copy per change) and its ref."""
    commit = by_sha.get(sha)
    return (sha, None) if commit is None else (commit.sha or sha, commit.ref)


def _fields(out: IO[bytes]) -> Iterator[bytes]:
    """The NUL-separated fields of git's output, read a block at a time."""
    pending = b''
    read = getattr(out, 'read1', out.read)
    while chunk := read(1 << 16):
        *whole, pending = (pending + chunk).split(b'\0')
        yield from whole
    if pending:
        yield pending


def _parse_raw(items: Iterator[bytes], commit_of: CommitOf) -> Iterator[FileChange]:
    """`diff-tree --stdin --raw -z` records, each change with the sha and ref `commit_of`
    gives its commit; the paths and modes seen lately share one string."""
    sha: str | None = None
    ref: str | None = None
    recent: dict[bytes, str] = {}
    for item in items:
        if not item:
            continue
        if not item.startswith(b':'):
            sha, ref = commit_of(decode(item.strip()))
            continue
        _, new_mode, old_blob, new_blob, status = item[1:].split(b' ')
        path = next(items)
        if status[:1] in (b'R', b'C'):
            path = next(items)  # the source path came first; the destination is what is added
        yield FileChange(sha, ref, _shared(recent, path, fs_path), decode(status[:1]),
                         decode(new_blob), _shared(recent, new_mode, decode),
                         old_blob=decode(old_blob))


def _shared(recent: dict[bytes, str], raw: bytes, convert: Callable[[bytes], str]) -> str:
    """One string for a path or mode seen among the last _REMEMBERED: a path every commit
    touches is kept once, and the cache never grows with the push."""
    text = recent.pop(raw, None)
    if text is None:
        text = convert(raw)
        if len(recent) >= _REMEMBERED:
            del recent[next(iter(recent))]  # the least recently seen
    recent[raw] = text
    return text


def _raw_change(item: bytes, items: Iterator[bytes], commit: str | None, ref: str | None
                ) -> FileChange:
    """One `--raw -z` record: `:old_mode new_mode old_blob new_blob status`, then its path(s)."""
    _, new_mode, old_blob, new_blob, status = decode(item[1:]).split(' ')
    path = next(items)
    if status[0] in 'RC':
        path = next(items)  # the source path came first; the destination is what is added
    return FileChange(commit, ref, fs_path(path), status[0], new_blob, new_mode,
                      old_blob=old_blob)


def _merges_own_changes(found: Iterable[FileChange], parents: Mapping[str, int]
                        ) -> Iterator[FileChange]:
    """Each change once; of a merge's, only those in its diff against every parent."""
    merge = ''
    times: collections.Counter[tuple[str, str]] = collections.Counter()
    kept: dict[tuple[str, str], FileChange] = {}
    for change in found:
        if parents.get(change.commit or '', 1) == 1:
            yield change
            continue
        if change.commit != merge:
            yield from _in_every_diff(kept, times, parents.get(merge, 1))
            merge, times, kept = change.commit or '', collections.Counter(), {}
        key = (change.path, change.blob)
        times[key] += 1
        kept.setdefault(key, change)
    yield from _in_every_diff(kept, times, parents.get(merge, 1))


def _in_every_diff(kept: dict[tuple[str, str], FileChange],
                   times: collections.Counter[tuple[str, str]], parents: int
                   ) -> Iterator[FileChange]:
    return (change for key, change in kept.items() if times[key] == parents)


def staged_changes(base: str | None = None, started: Started | None = None
                   ) -> list[FileChange]:
    """`git diff-index --cached -r -z`: what the index changes against `base` (by default HEAD,
    or the empty tree). The output of `started` when it is that very command."""
    args = staged_args(base or resolve('HEAD') or empty_tree())
    if started is not None and started.args == args:
        with started as stream:
            out = stream.read()
    else:
        out = run(*args)
    items = iter(out.split(b'\0'))
    found = [_raw_change(item, items, None, None) for item in items if item.startswith(b':')]
    _staged.update(change.blob for change in found)
    return found


def staged_args(base: str) -> tuple[str, ...]:
    """The arguments of `staged_changes` against `base`."""
    return ('diff-index', '--cached', '-r', '-z', *RENAMES, *DIFF_FLAGS, base)


class Started:
    """A git command started before its output is wanted, so that git runs while the caller
    does other work (a hook loads its policy and checks): the same command, only sooner.

    Read it once as `streamed` is read (`with started as stream:`), or `drop` it: git is stopped
    when it was not read to the end, and a failure of a dropped command is no news.
    """

    def __init__(self, *args: str) -> None:
        self.args = args
        self._run = streamed(*args, stdin=b'')
        self._stream = self._run.__enter__()
        self._over = False

    def __enter__(self) -> IO[bytes]:
        return self._stream

    def __exit__(self, *exc: object) -> bool | None:
        self._over = True
        return self._run.__exit__(*exc)  # type: ignore[arg-type]

    def drop(self) -> None:
        if not self._over:
            self._over = True
            self._run.__exit__(_Dropped, _Dropped(), None)


class _Dropped(Exception):
    """Thrown into a started command's reader: stop git, read nothing more."""


def blob_sizes(blobs: Iterable[str]) -> dict[str, int]:
    """The size of each blob, as `git cat-file --batch-check` reads it from the object store.

    The few blobs `staged_changes` found in the index (the pre-commit hook's) are mostly loose
    objects, as `git add` leaves them: those are read here instead. A loose object starts with
    the header `blob SIZE\\0`, zlib-compressed, the very header cat-file reads for it (the name
    is the hash of the content, header included, so whichever copy is found, its size is that
    blob's). The others (packed, or a push's: the same git processes for 3 commits as for 300)
    come from one `git cat-file --batch-check`.
    """
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    sizes = _loose_sizes([blob for blob in wanted if blob in _staged])
    rest = [blob for blob in wanted if blob not in sizes]
    if not rest:
        return sizes
    from pushguard.git.blobs import blob_sizes as from_cat_file
    return {**sizes, **from_cat_file(rest)}


# the new blobs of the index, as `staged_changes` found them (1,000 loose ones are read here in
# 22 ms, by cat-file in 26 ms: no count is too many)
_staged: set[str] = set()
_OBJECT_ID = frozenset('0123456789abcdef')


def _loose_sizes(blobs: Sequence[str]) -> dict[str, int]:
    """The sizes of those of `blobs` that are loose objects of this repository."""
    objects = _objects_dir() if blobs else None
    if objects is None:
        return {}
    import zlib
    sizes: dict[str, int] = {}
    for blob in blobs:
        if len(blob) not in (40, 64) or not _OBJECT_ID.issuperset(blob):
            continue
        try:
            with open(os.path.join(objects, blob[:2], blob[2:]), 'rb') as f:
                # the header is at most 32 bytes, after the first deflate block's code tables
                # (under 300 bytes): the first KiB always holds it
                header = zlib.decompressobj().decompress(f.read(1024), 64)
        except (OSError, zlib.error):
            continue
        kind, _, rest = header.partition(b' ')
        size, end, _ = rest.partition(b'\0')
        if kind == b'blob' and end and size.isdigit():
            sizes[blob] = int(size)
    return sizes


def _objects_dir() -> str | None:
    """Where git keeps this repository's objects ($GIT_OBJECT_DIRECTORY, or `objects` in the
    common git dir), found without a git process; None when not found."""
    if os.environ.get('GIT_OBJECT_DIRECTORY'):
        return os.path.abspath(os.environ['GIT_OBJECT_DIRECTORY'])
    from pushguard.sync import common_dir
    common = common_dir()
    return os.path.join(common, 'objects') if common is not None else None


def attributes(paths: Iterable[str], attribute: str, cached: bool = False) -> dict[str, str]:
    """`git check-attr -z --stdin ATTRIBUTE`: the attribute's value for each path."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return {}
    args = ['check-attr', '-z', '--stdin', *(['--cached'] if cached else []), attribute]
    out = run(*args, stdin=b''.join(os.fsencode(p) + b'\0' for p in wanted)).split(b'\0')
    return {fs_path(out[i]): decode(out[i + 2]) for i in range(0, len(out) - 2, 3)}


def lfs_paths(paths: Iterable[str], cached: bool = False) -> frozenset[str]:
    """Of `paths`, those .gitattributes sends to Git LFS (`filter=lfs`): one `git check-attr`.
    Empty when attributes cannot be read (no work tree, say): no LFS hint, the same verdict."""
    from pushguard.errors import GitError
    try:
        attrs = attributes(paths, 'filter', cached=cached)
    except GitError:
        return frozenset()
    return frozenset(path for path, value in attrs.items() if value == 'lfs')


def too_big_to_diff(changes: Iterable[FileChange]) -> list[FileChange]:
    """The changes whose blob (size already fetched) is over MAX_DIFF_BLOB: not to be diffed."""
    return [c for c in changes if (c.size or 0) > MAX_DIFF_BLOB]
