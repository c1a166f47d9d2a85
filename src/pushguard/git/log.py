"""Commits: `git log` over ranges and pushes, commit headers, signatures."""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.errors import GitError
from pushguard.git import decode, run, stdin_lines
from pushguard.git._stream import kept_open, streamed
from pushguard.model import Commit, Signature

if TYPE_CHECKING:
    from typing import IO, Any

_FIELDS = '%H%x00%S%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%B'
# what the user's config could change in `git log`'s output: log.showSignature prints gpg's
# words among the records, i18n.logOutputEncoding re-encodes messages
_PINNED = ('--no-show-signature', '--encoding=UTF-8', '--no-color')
_SIG_PREFIX = {
    b'-----BEGIN PGP SIGNATURE-----': 'gpg',
    b'-----BEGIN SSH SIGNATURE-----': 'ssh',
    b'-----BEGIN SIGNED MESSAGE-----': 'x509',
}


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
    return list(stream_commits(tips, exclude, exclude_remote, extra))


def stream_commits(
        tips: Iterable[str],
        exclude: Iterable[str] = (),
        exclude_remote: str | None = None,
        extra: Sequence[str] = (),
) -> Iterator[Commit]:
    """`new_commits` as they come: git's output is parsed a block at a time, and a commit is
    kept only as long as the caller keeps it."""
    tips = list(dict.fromkeys(tips))
    if not tips:  # with no tip, git log would walk HEAD
        return
    stdin = stdin_lines([*tips, *dict.fromkeys(f'^{sha}' for sha in exclude)])
    args = ['log', '--stdin', '--source', '--reverse', '--topo-order', '-z', *_PINNED,
            f'--format={_FIELDS}']
    # REMOTE may be a URL (`git push https://host/repo main`): no refs/remotes/ exist for it, and
    # a glob character in it must not match some other remote's refs
    if exclude_remote and not any(c in exclude_remote for c in '*?[\\'):
        args += ['--not', f'--remotes={exclude_remote}']
    with streamed(*args, *extra, stdin=stdin) as out:
        yield from _parse_log(out)


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
        out = [r for r in decode(run('rev-parse', *revisions, '--')).split() if r != '--']
    except GitError as e:
        said = e.message.rsplit('): ', 1)[-1].removeprefix('fatal: ')
        raise GitError(f'{said}: not a commit or range in this repository '
                       f'(a range looks like origin/main..HEAD)') from None
    return [r for r in out if not r.startswith('^')], [r[1:] for r in out if r.startswith('^')]


def cut_parents(shas: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The parents each commit names, even those a shallow clone lacks (one cat-file)."""
    return {
        sha: tuple(decode(h[7:]) for h in headers.split(b'\n') if h.startswith(b'parent '))
        for sha, headers in _commit_headers(shas).items()
    }


def _parse_log(out: IO[bytes]) -> Iterator[Commit]:
    """The commits of `git log -z --format=_FIELDS`, read a block at a time: the whole output is
    never in memory."""
    per_commit = _FIELDS.count('%x00') + 1
    # -z puts a NUL between records; with %x00 between fields every record is `per_commit` wide
    fields: list[bytes] = []
    pending = b''
    strings = _Strings()
    read = getattr(out, 'read1', out.read)
    while chunk := read(1 << 16):
        *whole, pending = (pending + chunk).split(b'\0')
        fields += whole
        done = len(fields) - len(fields) % per_commit
        yield from _commits(fields[:done], per_commit, strings)
        del fields[:done]
    fields.append(pending)
    yield from _commits(fields[:len(fields) - len(fields) % per_commit], per_commit, strings)


class _Strings:
    """Equal names, emails and refs kept once (10,000 commits by a few people hold a few copies
    of their names), and a parent's sha the same str as its commit's, which mostly came just
    before (only the latest shas are remembered)."""

    def __init__(self) -> None:
        self.names: dict[bytes, str] = {}
        self.shas: dict[bytes, str] = {}

    def name(self, raw: bytes) -> str:
        text = self.names.get(raw)
        if text is None:
            text = self.names[raw] = decode(raw)
        return text

    def sha(self, raw: bytes) -> str:
        text = self.shas.get(raw)
        if text is None:
            if len(self.shas) >= 1024:
                self.shas.clear()
            text = self.shas[raw] = decode(raw)
        return text


def _commits(fields: list[bytes], per_commit: int, strings: _Strings) -> Iterator[Commit]:
    for start in range(0, len(fields), per_commit):
        sha, source, parents, an, ae, cn, ce, body = fields[start:start + per_commit]
        yield Commit(
            sha=strings.sha(sha), ref=strings.name(source) or None, message=decode(body),
            parents=tuple(map(strings.sha, parents.split())), author_name=strings.name(an),
            author_email=strings.name(ae), committer_name=strings.name(cn),
            committer_email=strings.name(ce),
        )


def _commit_headers(shas: Sequence[str]) -> dict[str, bytes]:
    """`git cat-file --batch`: each commit object's header block, read as stored."""
    found: dict[str, bytes] = {}
    out = run('cat-file', '--batch', stdin=stdin_lines(shas)) if shas else b''
    pos = 0
    for sha in shas:
        header_end = out.index(b'\n', pos)
        size = int(out[pos:header_end].split()[2])
        found[sha] = out[header_end + 1:header_end + 1 + size].split(b'\n\n', 1)[0]
        pos = header_end + 1 + size + 1
    return found


class HeaderReader:
    """`git cat-file --batch` kept running while a push streams by: the signature kind of each
    batch of commits, asked as the batch comes, through one git process for the push."""

    def __init__(self, out: Any) -> None:
        self._out = out

    def signature_kinds(self, shas: Sequence[str]) -> dict[str, str | None]:
        if not shas:
            return {}
        if not hasattr(self._out, 'send'):  # pragma: no cover - Windows: one process a batch
            return signature_kinds(shas)
        self._out.send(stdin_lines(shas))
        found = {}
        for sha in shas:
            header = self._out.readline().split()
            if len(header) != 3:  # `<sha> missing`: not a commit this repository has
                continue
            body = self._out.read(int(header[2]) + 1)[:-1]  # and the newline after it
            found[sha] = _signature_kind(body.split(b'\n\n', 1)[0])
        return found


@contextlib.contextmanager
def header_reader() -> Iterator[HeaderReader]:
    """A HeaderReader for the time of the `with`; git ends with it."""
    with kept_open('cat-file', '--batch') as out:
        yield HeaderReader(out)


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
    out = run('log', '--no-walk=unsorted', '--stdin', *_PINNED, '--format=%H %G?',
              stdin=stdin_lines(shas))
    return dict(line.split(' ', 1) for line in decode(out).splitlines() if ' ' in line)


def with_signatures(commits: Sequence[Commit], verify: bool) -> list[Commit]:
    """The same commits with `signature` filled in: kind always, git's verdict when `verify`."""
    shas = [c.sha for c in commits if c.sha]
    kinds = signature_kinds(shas)
    verdicts = verify_signatures(shas) if verify else {}
    return [
        c._replace(signature=Signature(kinds.get(c.sha or ''), verdicts.get(c.sha or '')))
        for c in commits
    ]
