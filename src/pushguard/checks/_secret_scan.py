"""The secrets check's scan: each (commit, path)'s added lines through detect-secrets,
in-process, as a file under its repository path (plugins and filters read the name).

A secret is known by its hash, as detect-secrets hashes it, except a private key: detect-secrets
hashes only its header line (`BEGIN RSA PRIVATE KEY`), the same for every key, so a key is known
by its whole block, and a baseline's key passes only in the file the baseline lists it for.
"""
from __future__ import annotations

import functools
import itertools
import locale
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from pushguard.checks import (
    _secret_baseline, _secret_context, _secret_pool, _secret_prefilter, _secret_reduce,
)
from pushguard.checks._secret_baseline import HEADER_ONLY
from pushguard.checks._secret_lines import in_memory, scan_hits, scan_lines
from pushguard.model import AddedLines


Context = Callable[[], Iterable[tuple[AddedLines, str, str]]]


class Hit(NamedTuple):
    """One secret detect-secrets found: its type, its hash (for matching only), its line, and
    what tells it from other secrets of its type (its hash, or a hash of a key's block)."""

    type: str
    hashed: str
    line: int
    identity: str


def find_secrets(stream: Iterable[AddedLines], baseline: str, prefilter: bool = True,
                 trusted: bool = True, context: Context = lambda: (), big: bool = False
                 ) -> Iterator[tuple[AddedLines, Hit]]:
    """Scan each (commit, path)'s added lines in-process; skip what the baseline knows.

    Each one that the prefilter (`_secret_prefilter`; off with `prefilter=False`) cannot rule
    out is written as a file under its own repository path (plugins and filters read the name
    and extension) in a temporary folder, scanned, then removed: memory and disk stay bounded by
    one diff. detect-secrets' process pool is not used: a big scan shares its file diffs with one
    forked helper (`_secret_pool`; from the start when `big`), and detect-secrets is not even
    imported when the stream is empty. Untrusted, the baseline's own code is not run
    (`_secret_baseline.load`). Then `context()` (read once the stream is): files to scan whole
    (`_secret_context`), each as (its added lines, the old text, the new text).
    """
    stream = iter(stream)
    first = next(stream, None)
    if first is None:
        return
    from detect_secrets.settings import transient_settings

    raw = _secret_baseline.read(baseline)
    settings = transient_settings(_secret_baseline.default_plugins() if raw is None else {})
    with settings, tempfile.TemporaryDirectory(prefix='pushguard-secrets-') as tmp:
        known = _secret_baseline.load(raw, baseline, trusted) if raw is not None \
            else frozenset()
        needles = _secret_prefilter.needles(exact=True) if prefilter else None
        slot = os.path.join(tmp, 'tree')
        scan = functools.partial(scan_text, around=_secret_reduce.window())
        work = functools.partial(_scan, needles=needles, scan=scan)
        every = itertools.chain((first,), stream)
        warm = functools.partial(_warm, needles)
        for added, hits in _secret_pool.scanned(every, work, slot, big, warm):
            yield from ((added, hit) for hit in hits if _known_key(added, hit) not in known)
        for added, old, new in context():
            name = _relative(added.path)
            new_hits = _secret_context.new_secrets(name, old, new, slot, needles, scan)
            yield from ((added, hit) for hit in new_hits if _known_key(added, hit) not in known)


def _warm(needles: tuple[_secret_prefilter.Needle, ...] | None) -> None:
    """Make now what the scan would make on first use (the needles' compiled searches,
    detect-secrets' plugins and filters), so that a forked helper does not make it again."""
    from detect_secrets.settings import get_filters, get_plugins

    get_plugins(), get_filters()
    _secret_reduce.warm(needles or ())


def _known_key(added: AddedLines, hit: Hit) -> str:
    """How the baseline's set (`_secret_baseline.load`) would list this hit."""
    return _secret_baseline.entry(added.path if hit.type in HEADER_ONLY else None, hit.hashed)


def _scan(added: AddedLines, slot: str, needles: tuple[_secret_prefilter.Needle, ...] | None,
          scan: Callable[..., list[Hit]]) -> list[Hit]:
    content, origin = _render(added.lines)
    hits = []
    for hit in scan(_relative(added.path), content, slot, needles):
        line = origin[hit.line - 1] if 0 < hit.line <= len(origin) else None
        if line is not None:
            hits.append(hit._replace(line=line))
    return hits


def scan_text(name: str, content: str, slot: str,
              needles: tuple[_secret_prefilter.Needle, ...] | None,
              around: tuple[int, int] = (_secret_reduce.CONTEXT, _secret_reduce.CONTEXT)
              ) -> list[Hit]:
    """detect-secrets' findings in `content` read as the file `name` (a safe relative path),
    each at its line in `content`; none when the prefilter rules them out. Only the lines
    that may matter are shown to detect-secrets (`_secret_reduce`, `around` a hit)."""
    cut = None if needles is None else \
        _secret_reduce.lines_to_scan(needles, name, content, around)
    if cut is not None and not cut.lines:
        return []
    if cut is not None and in_memory(content):
        os.makedirs(slot, exist_ok=True)
        with _secret_baseline.inside(slot):  # filters see the repository path, as below
            found = scan_hits(name, content, cut.hits)
        keep = None
    else:
        keep = None if cut is None else cut.lines
        scanned = content if keep is None else _only(content, keep)
        found = _scan_written(slot, name, scanned, cut is None, None if cut is None
                              else cut.plugins)
    hits = []
    for secret in found:
        number = secret.line_number if keep is None else keep[secret.line_number - 1] + 1
        identity = _block_hash(content, number) if secret.type in HEADER_ONLY \
            else secret.secret_hash
        hits.append(Hit(secret.type, secret.secret_hash, number, identity))
    return hits


def _scan_written(slot: str, name: str, content: str, whole: bool,
                  plugins: frozenset[str] | None) -> list[Any]:
    """`content` written as the file `name` under `slot`, scanned (whole: `scan_file`), removed."""
    from detect_secrets.core.scan import scan_file

    name = _write_under(slot, name, content)
    try:
        # filters see the repository path, as `detect-secrets scan` shows it
        with _secret_baseline.inside(slot):
            return list(scan_file(name)) if whole else scan_lines(name, content, plugins)
    finally:
        os.unlink(os.path.join(slot, name))  # folders stay: making them anew costs more


def _only(content: str, keep: list[int]) -> str:
    """The lines of `content` at the indexes `keep` (`_secret_reduce.lines_to_scan`)."""
    lines = content.split('\n')
    return '\n'.join(lines[i] for i in keep) + '\n'


def _block_hash(content: str, number: int) -> str:
    """A hash of the key block starting at line `number`: its lines up to its end marker."""
    import hashlib  # only for a private key: ssl's libraries are slow to load
    lines = content.split('\n')[number - 1:number - 1 + 200]  # a 16 kbit RSA key: ~170
    end = next((i for i, line in enumerate(lines) if i and _ends_key(line)), len(lines) - 1)
    return hashlib.sha256('\n'.join(map(str.strip, lines[:end + 1])).encode()).hexdigest()


def _ends_key(line: str) -> bool:
    return '-----END' in line or line.startswith('Private-MAC:')


def _render(lines: tuple[tuple[int, str], ...]) -> tuple[str, list[int | None]]:
    """The file's text for the added lines, and each of its lines' number in the real file.

    detect-secrets reads files with universal newlines: a lone CR ends a line, so a pragma
    before it cannot reach past it. Each git line is split there too, all its pieces keeping
    its number (a CR before the newline is the CRLF line end, not a piece).
    """
    origin: list[int | None] = []
    text: list[str] = []
    last = None
    for number, line in lines:
        if last is not None and number != last + 1:
            origin.append(None)  # a gap between hunks: keep "allowlist nextline" to its own hunk
            text.append('')
        last = number
        pieces = (line[:-1] if line.endswith('\r') else line).split('\r')
        origin.extend([number] * len(pieces))
        text.extend(pieces)
    return '\n'.join(text) + '\n', origin


def _write_under(slot: str, name: str, content: str) -> str:
    """Write `content` at `name` under `slot`; return the name used."""
    try:
        return _write(slot, name, content)
    except OSError:
        # a folder an earlier path left is where this file goes: start from an empty slot
        shutil.rmtree(slot, ignore_errors=True)
    try:
        return _write(slot, name, content)
    except OSError:  # a name this file system refuses: keep the extension, plugins read it
        return _write(slot, 'file' + os.path.splitext(name)[1][:16], content)


def _write(slot: str, name: str, content: str) -> str:
    target = os.path.join(slot, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # detect-secrets reads with the locale's encoding and skips what fails to decode as binary
    with open(target, 'w', encoding=locale.getpreferredencoding(False), errors='replace') as f:
        f.write(content)
    return name


def _relative(path: str) -> str:
    """The repository path as a safe relative path (git never stores '..' or absolute ones)."""
    parts = [part for part in path.split('/') if part not in ('', '.', '..')]
    return os.path.join(*parts) if parts else 'unnamed'
