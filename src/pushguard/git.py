"""The only module that starts git.

Every function runs one git command (a fixed handful for a whole push, never one per commit or
file), parses its NUL-separated output and returns plain records. A failing git raises GitError
naming the command, its exit status and what git said.
"""
from __future__ import annotations

import collections
import contextlib
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence

from pushguard import _process
from pushguard._typing import TYPE_CHECKING
from pushguard.errors import GitError
from pushguard.model import AddedLines, Commit, FileChange, Signature

if TYPE_CHECKING:
    from typing import IO

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
NO_BIG_DIFFS = ('-c', f'core.bigFileThreshold={MAX_DIFF_BLOB}')
_FIELDS = '%H%x00%S%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%B'
_COMMIT_LINE = re.compile(rb'[0-9a-f]{40}|[0-9a-f]{64}')
_SIG_PREFIX = {
    b'-----BEGIN PGP SIGNATURE-----': 'gpg',
    b'-----BEGIN SSH SIGNATURE-----': 'ssh',
    b'-----BEGIN SIGNED MESSAGE-----': 'x509',
}


def run(*args: str, stdin: bytes | None = None, ok: Sequence[int] = (0,)) -> bytes:
    """Run `git ARGS`; return stdout. Raise GitError when the exit status is not in `ok`."""
    cmd = ('git', *args)
    try:
        code, out, err = _process.run(cmd, stdin)
    except FileNotFoundError:
        raise GitError('git is not installed or not on PATH') from None
    if code not in ok:
        raise GitError(_describe_failure(cmd, code, err))
    return out


def _describe_failure(cmd: Sequence[str], code: int, stderr: bytes) -> str:
    said = stderr.decode('utf-8', 'replace').strip().splitlines()
    reason = said[-1] if said else 'no message'
    return f'`{" ".join(cmd[:3])}` failed (exit {code}): {reason}'


@contextlib.contextmanager
def _streamed(*args: str, stdin: bytes) -> Iterator[IO[bytes]]:
    """Run git with its stdout read as it comes, so a big diff never sits in memory whole."""
    import subprocess
    import tempfile
    # stdin and stderr are files, not pipes: git answers each line as it reads it, so writing a
    # long input (2,000 shas) to a pipe while nobody reads git's full stdout deadlocks both
    with tempfile.TemporaryFile() as feed, tempfile.TemporaryFile() as said:
        feed.write(stdin)
        feed.seek(0)
        proc = subprocess.Popen(('git', *args), stdin=feed, stdout=subprocess.PIPE, stderr=said)
        assert proc.stdout is not None
        read_to_the_end = False
        try:
            yield proc.stdout
            read_to_the_end = True
        finally:
            proc.stdout.close()
            if not read_to_the_end:  # the reader stopped early: git's failure is not news
                proc.kill()
            if proc.wait() != 0 and read_to_the_end:
                said.seek(0)
                raise GitError(_describe_failure(('git', *args), proc.returncode, said.read()))


def _text(raw: bytes) -> str:
    return raw.decode('utf-8', 'replace')


def _path(raw: bytes) -> str:
    return os.fsdecode(raw)


# --- the repository ------------------------------------------------------------------------

def work_tree_top() -> str | None:
    """`git rev-parse --show-toplevel`; None in a bare repository or outside one.

    A directory that holds `.git` is a work tree's top, and git runs hooks from there: it is
    taken without a git process (unless GIT_WORK_TREE says otherwise).
    """
    if 'GIT_WORK_TREE' not in os.environ and os.path.exists('.git'):
        return os.getcwd()
    out = run('rev-parse', '--show-toplevel', ok=(0, 128))
    return os.fsdecode(out.rstrip(b'\n')) or None


def toplevel() -> str:
    """The work tree's root, as `work_tree_top`; GitError outside a work tree."""
    top = work_tree_top()
    if top is None:
        raise GitError('not inside a git repository (run this in a git work tree)')
    return top


def git_path(name: str) -> str:
    """`git rev-parse --git-path NAME`, absolute: honours core.hooksPath and worktrees."""
    raw = os.fsdecode(run('rev-parse', '--git-path', name).rstrip(b'\n'))
    return os.path.abspath(raw)


def in_repository() -> bool:
    """`git rev-parse --git-dir`: whether the current directory is inside a repository."""
    return run('rev-parse', '--git-dir', ok=(0, 128)) != b''


def config_values(*keys: str) -> dict[str, str]:
    """`git config -z --get-regexp`: several keys in one git process; keys lowercased."""
    pattern = '^(' + '|'.join(re.escape(key.lower()) for key in keys) + ')$'
    out = run('config', '-z', '--get-regexp', pattern, ok=(0, 1))
    values: dict[str, str] = {}
    for item in out.split(b'\0'):
        if item:
            key, _, value = _text(item).partition('\n')
            values[key] = value  # the last one listed is the most local, as git reads it
    return values


def current_branch() -> str | None:
    """`git symbolic-ref -q --short HEAD`; None on a detached HEAD."""
    out = run('symbolic-ref', '-q', '--short', 'HEAD', ok=(0, 1))
    return _text(out.strip()) or None


def upstream() -> str | None:
    """`git rev-parse --abbrev-ref @{upstream}`; None when the branch has no upstream."""
    out = run('rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}', ok=(0, 128))
    return _text(out.strip()) or None


def resolve(rev: str) -> str | None:
    """`git rev-parse --verify -q REV^{commit}`: the commit's sha, or None."""
    out = run('rev-parse', '--verify', '-q', f'{rev}^{{commit}}', ok=(0, 1, 128))
    return _text(out.strip()) or None


def shallow_roots() -> frozenset[str]:
    """The commits whose parents a shallow clone lacks, from `$GIT_DIR/shallow`."""
    try:
        with open(git_path('shallow'), encoding='ascii') as f:
            return frozenset(line.strip() for line in f if line.strip())
    except FileNotFoundError:
        return frozenset()


def empty_tree() -> str:
    """`git hash-object -t tree --stdin`: the empty tree in this repository's hash."""
    return _text(run('hash-object', '-t', 'tree', '--stdin', stdin=b'').strip())


def peel_commits(revs: Iterable[str]) -> dict[str, str]:
    """`git cat-file --batch-check` on `REV^{commit}`: each rev naming a commit -> the commit.

    Annotated tags peel to their commit; unknown objects and tags of trees or blobs are left out.
    """
    wanted = list(dict.fromkeys(revs))
    if not wanted:
        return {}
    peeled = _lines(f'{rev}^{{commit}}' for rev in wanted)
    out = run('cat-file', '--batch-check=%(objectname)', stdin=peeled)
    lines = _text(out).splitlines()
    return {rev: line for rev, line in zip(wanted, lines, strict=False) if ' ' not in line}


def _lines(items: Iterable[str]) -> bytes:
    return b''.join(os.fsencode(item) + b'\n' for item in items)


# --- commits ---------------------------------------------------------------------------------

def new_commits(
        tips: Iterable[str],
        exclude: Iterable[str] = (),
        exclude_remote: str | None = None,
        extra: Sequence[str] = (),
) -> list[Commit]:
    """Commits reachable from `tips` and from none of `exclude` (nor the remote's refs).

    One `git log --stdin --source -z`, oldest first. Each commit's `ref` is the tip through which
    git first reached it, so a commit shared by two pushed refs appears once.
    """
    tips = list(dict.fromkeys(tips))
    if not tips:  # with no tip, git log would walk HEAD
        return []
    stdin = _lines([*tips, *dict.fromkeys(f'^{sha}' for sha in exclude)])
    args = ['log', '--stdin', '--source', '--reverse', '--topo-order', '-z', f'--format={_FIELDS}']
    # REMOTE may be a URL (`git push https://host/repo main`): no refs/remotes/ exist for it, and
    # a glob character in it must not match some other remote's refs
    if exclude_remote and not any(c in exclude_remote for c in '*?[\\'):
        args += ['--not', f'--remotes={exclude_remote}']
    return _parse_log(run(*args, *extra, stdin=stdin))


def commits_in(revisions: Sequence[str]) -> list[Commit]:
    """The commits of a range such as `A..B` (or every commit reachable from `X`), oldest first."""
    tips, bottoms = range_ends(revisions)
    return new_commits(tips, bottoms)


def range_ends(revisions: Sequence[str]) -> tuple[list[str], list[str]]:
    """`git rev-parse REVISIONS --`: the tips and the excluded bottoms (`A..B` -> [B], [A]).

    GitError naming the revision when git does not know it.
    """
    for rev in revisions:
        if rev.startswith('-'):
            raise GitError(f'{rev!r} is not a revision (a range looks like main..HEAD)')
    try:
        out = [r for r in _text(run('rev-parse', *revisions, '--')).split() if r != '--']
    except GitError as e:
        said = e.message.rsplit('): ', 1)[-1].removeprefix('fatal: ')
        raise GitError(f'{said}: not a commit or range in this repository '
                       f'(a range looks like origin/main..HEAD)') from None
    return [r for r in out if not r.startswith('^')], [r[1:] for r in out if r.startswith('^')]


def cut_parents(shas: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The parents each commit names, even those a shallow clone lacks (one cat-file)."""
    return {
        sha: tuple(_text(h[7:]) for h in headers.split(b'\n') if h.startswith(b'parent '))
        for sha, headers in _commit_headers(shas).items()
    }


def _parse_log(out: bytes) -> list[Commit]:
    fields = out.split(b'\0')
    per_commit = _FIELDS.count('%x00') + 1
    commits = []
    # -z puts a NUL between records; with %x00 between fields every record is `per_commit` wide
    for start in range(0, len(fields) - per_commit + 1, per_commit):
        sha, source, parents, an, ae, cn, ce, body = fields[start:start + per_commit]
        commits.append(Commit(
            sha=_text(sha), ref=_text(source) or None, message=_text(body),
            parents=tuple(_text(parents).split()), author_name=_text(an),
            author_email=_text(ae), committer_name=_text(cn), committer_email=_text(ce),
        ))
    return commits


def _commit_headers(shas: Sequence[str]) -> dict[str, bytes]:
    """`git cat-file --batch`: each commit object's header block, read as stored."""
    found: dict[str, bytes] = {}
    out = run('cat-file', '--batch', stdin=_lines(shas)) if shas else b''
    pos = 0
    for sha in shas:
        header_end = out.index(b'\n', pos)
        size = int(out[pos:header_end].split()[2])
        found[sha] = out[header_end + 1:header_end + 1 + size].split(b'\n\n', 1)[0]
        pos = header_end + 1 + size + 1
    return found


def signature_kinds(shas: Sequence[str]) -> dict[str, str | None]:
    """Each commit's signature kind from its header, without verifying (one cat-file)."""
    return {sha: _signature_kind(headers) for sha, headers in _commit_headers(shas).items()}


def _signature_kind(headers: bytes) -> str | None:
    for line in headers.split(b'\n'):
        if line.startswith((b'gpgsig ', b'gpgsig-sha256 ')):
            armour = line.split(b' ', 1)[1].strip()
            return _SIG_PREFIX.get(armour, 'gpg')
    return None


def verify_signatures(shas: Sequence[str]) -> dict[str, str]:
    """`git log --no-walk=unsorted --stdin --format=%H %G?`: git's verdict on each signature."""
    if not shas:
        return {}
    out = run('log', '--no-walk=unsorted', '--stdin', '--format=%H %G?', stdin=_lines(shas))
    return dict(line.split(' ', 1) for line in _text(out).splitlines() if ' ' in line)


def with_signatures(commits: Sequence[Commit], verify: bool) -> list[Commit]:
    """The same commits with `signature` filled in: kind always, git's verdict when `verify`."""
    shas = [c.sha for c in commits if c.sha]
    kinds = signature_kinds(shas)
    verdicts = verify_signatures(shas) if verify else {}
    return [
        c._replace(signature=Signature(kinds.get(c.sha or ''), verdicts.get(c.sha or '')))
        for c in commits
    ]


# --- paths, sizes and lines -------------------------------------------------------------------

def changes(commits: Sequence[Commit]) -> list[FileChange]:
    """`git diff-tree --stdin -r -z --root`: every path each commit touches, with its new blob."""
    if not commits:
        return []
    refs = {c.sha: c.ref for c in commits}
    out = run('diff-tree', '--stdin', '-r', '-z', '--root', MERGES, *DIFF_FLAGS,
              stdin=_lines(c.sha for c in commits if c.sha))
    found: list[FileChange] = []
    commit: str | None = None
    items = iter(out.split(b'\0'))
    for item in items:
        if not item:
            continue
        if not item.startswith(b':'):
            commit = _text(item.strip())
            continue
        _, new_mode, _, new_blob, status = _text(item[1:]).split(' ')
        path = next(items)
        if status[0] in 'RC':
            path = next(items)  # the source path came first; the destination is what is added
        found.append(
            FileChange(commit, refs.get(commit), _path(path), status[0], new_blob, new_mode),
        )
    return _merges_own_changes(found, _parent_counts(commits))


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


def _parent_counts(commits: Sequence[Commit]) -> dict[str | None, int]:
    """How many diffs `-m` prints for each commit: one per parent, one for a root."""
    return {c.sha: max(1, len(c.parents)) for c in commits}


def staged_changes() -> list[FileChange]:
    """`git diff-index --cached -r -z`: what the index changes against HEAD (or the empty tree)."""
    base = resolve('HEAD') or empty_tree()
    out = run('diff-index', '--cached', '-r', '-z', '--no-renames', base)
    found = []
    items = iter(out.split(b'\0'))
    for item in items:
        if item.startswith(b':'):
            _, new_mode, _, new_blob, status = _text(item[1:]).split(' ')
            found.append(FileChange(None, None, _path(next(items)), status[0], new_blob, new_mode))
    return found


def blob_sizes(blobs: Iterable[str]) -> dict[str, int]:
    """`git cat-file --batch-check`: the size of each blob, read from the object store."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    out = run('cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)',
              stdin=_lines(wanted))
    sizes = {}
    for line in _text(out).splitlines():
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
    return {_path(out[i]): _text(out[i + 2]) for i in range(0, len(out) - 2, 3)}


def too_big_to_diff(changes: Iterable[FileChange]) -> list[FileChange]:
    """The changes whose blob (size already fetched) is over MAX_DIFF_BLOB: not to be diffed."""
    return [c for c in changes if (c.size or 0) > MAX_DIFF_BLOB]


# shown each file diff's (path, added lines) of a block of the patch: which ones to parse
Sift = Callable[[Sequence[tuple[str, bytes]]], Sequence[bool]]
PATCH_BLOCK = 1 << 16  # git's patch is read up to this much at a time, then cut into file diffs
_FILE_DIFF = b'\ndiff --git '
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


def added_lines(commits: Sequence[Commit], skip: Sequence[FileChange] = ()) -> AddedLinesStream:
    """`git diff-tree --stdin -p -U0 --root`, streamed: the lines each commit adds, per path.

    The paths of `skip` are left out of the diff (pathspec `:(exclude,literal)`); each skipped
    change comes first, as an AddedLines with no lines and `unread` set.
    """
    return AddedLinesStream(lambda sift: _added_lines(commits, skip, sift))


def _added_lines(commits: Sequence[Commit], skip: Sequence[FileChange], sift: Sift | None
                 ) -> Generator[AddedLines, None, None]:
    if not commits:
        return
    for change in skip:
        yield AddedLines(change.commit, change.ref, change.path, (), unread=True)
    paths = dict.fromkeys(change.path for change in skip)
    refs = {c.sha: c.ref for c in commits}
    args = (*NO_BIG_DIFFS, 'diff-tree', '--stdin', '-p', '-U0', '--root', MERGES, *DIFF_FLAGS,
            *(['--', *(f':(exclude,literal){path}' for path in paths)] if paths else []))
    with _streamed(*args, stdin=_lines(c.sha for c in commits if c.sha)) as out:
        yield from _merges_own(_parse_patch(out, refs, sift), _parent_counts(commits))


def _merges_own(stream: Iterator[AddedLines], parents: dict[str | None, int]
                ) -> Iterator[AddedLines]:
    """Non-merges pass through; of a merge's per-parent diffs, the lines added against all."""
    merge: str | None = None
    per_path: dict[str, list[AddedLines]] = {}
    for added in stream:
        if added.commit != merge:
            yield from _common(per_path, parents.get(merge, 1))
            merge, per_path = added.commit, {}
        if parents.get(added.commit, 1) == 1:
            yield added
        else:
            per_path.setdefault(added.path, []).append(added)
    yield from _common(per_path, parents.get(merge, 1))


def _common(per_path: dict[str, list[AddedLines]], parents: int) -> Iterator[AddedLines]:
    for first, *others in per_path.values():
        if len(others) + 1 == parents:
            common = set(first.lines).intersection(*(other.lines for other in others))
            lines = tuple(line for line in first.lines if line in common)
            if lines:
                yield AddedLines(first.commit, first.ref, first.path, lines)


def staged_added_lines() -> AddedLinesStream:
    """`git diff --cached -p -U0`, streamed: the lines the index adds."""
    return AddedLinesStream(_staged_added_lines)


def _staged_added_lines(sift: Sift | None) -> Generator[AddedLines, None, None]:
    base = resolve('HEAD') or empty_tree()
    args = (*NO_BIG_DIFFS, 'diff', '--cached', '-p', '-U0', *DIFF_FLAGS, base)
    with _streamed(*args, stdin=b'') as out:
        yield from _parse_patch(out, {}, sift)


def _parse_patch(out: IO[bytes], refs: dict[str | None, str | None], sift: Sift | None = None
                 ) -> Iterator[AddedLines]:
    commit: str | None = None
    for pieces in _pieces(out):
        files: list[tuple[str | None, str, bytes]] = []  # commit, path, hunks
        for piece in pieces:
            diff, shas = _split_commit_lines(piece)
            found = _file_hunks(diff)
            if found is not None:
                files.append((commit, *found))
            if shas:  # diff-tree --stdin names each commit before its diffs
                commit = _text(shas[-1])
        if sift is not None and files:
            files = _sifted(files, sift)
        for sha, path, hunks in files:
            lines = _hunk_lines(hunks)
            if lines:
                yield AddedLines(sha, refs.get(sha), path, tuple(lines))


def _sifted(files: list[tuple[str | None, str, bytes]], sift: Sift
            ) -> list[tuple[str | None, str, bytes]]:
    kept = sift([(path, b'\n'.join(_ADDED_LINE.findall(hunks))) for _, path, hunks in files])
    return [file for file, keep in zip(files, kept, strict=True) if keep]


def _pieces(out: IO[bytes]) -> Iterator[list[bytes]]:
    """git's patch cut before each `diff --git ` (which is left out), a block at a time; the
    first piece is what comes before the first file diff. Memory: a block and one file diff."""
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


def _file_hunks(diff: bytes) -> tuple[str, bytes] | None:
    """The path of one file's diff (its text after `diff --git `) and its hunks; None when it has
    none (binary, a mode change, a deletion, or no file diff at all)."""
    hunks = diff.find(b'\n@@ ')
    target = diff.rfind(b'\n+++ ', 0, hunks)
    if hunks < 0 or target < 0:
        return None
    target_path = diff[target + 5:diff.find(b'\n', target + 1)]
    if target_path == b'/dev/null':
        return None
    return _path(_patch_path(target_path)[2:]), diff[hunks + 1:]


def _hunk_lines(text: bytes) -> list[tuple[int, str]]:
    """Each added line of `-U0` hunks, with its number in the new file."""
    lines: list[tuple[int, str]] = []
    line_no = 0
    for raw in text.split(b'\n'):
        if raw.startswith(b'+'):
            lines.append((line_no, _text(raw[1:])))
            line_no += 1
        elif raw.startswith(b'@@ '):
            line_no = _hunk_start(raw)
    return lines


def _hunk_start(header: bytes) -> int:
    new = header.split(b' ')[2]  # b'+12,3' or b'+12'
    return int(new[1:].split(b',')[0])


def _patch_path(raw: bytes) -> bytes:
    """The path of a `+++ b/...` line, unquoted, less the TAB git adds after a name with a space."""
    if raw.startswith(b'"'):
        return _unquote(raw)
    # diff.c appends a TAB to an unquoted name that contains a space, for GNU patch
    return raw[:-1] if raw.endswith(b'\t') and b' ' in raw else raw


def _unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (core.quotePath): "a\\tb\\303\\251" -> bytes."""
    if not raw.startswith(b'"'):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    escapes = {ord('n'): 10, ord('t'): 9, ord('"'): 34, ord('\\'): 92, ord('a'): 7,
               ord('b'): 8, ord('f'): 12, ord('r'): 13, ord('v'): 11}
    while i < len(body):
        if body[i] == 92 and i + 1 < len(body):
            nxt = body[i + 1]
            if 48 <= nxt <= 55:
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        out.append(body[i])
        i += 1
    return bytes(out)
