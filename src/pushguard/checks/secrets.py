"""secrets: a line that a commit (or the index) adds holds a secret.

detect-secrets scans only the added lines of each commit, never whole files nor removed lines,
with its plugins and default filters, or with those of the repository's baseline
(`[secrets] baseline`, `.secrets.baseline` at the top) when there is one. Secrets the baseline
lists pass, matched by their hash (not their file: a commit in the push may hold the secret under
a path the file had before a rename, and the value is what was audited); `pragma: allowlist secret`
passes through detect-secrets' own filter. A finding names the secret's type and where it is,
never the secret nor its hash. Mirrors GitLab's `prevent_secrets` and GitHub push protection.

With no baseline, the two generic high-entropy plugins are off: they flag every commit hash and
checksum (a pinned `rev:` in .pre-commit-config.yaml, lock files), while the forges' push
protection looks for known credential formats. A baseline's `plugins_used` applies as written.

Most added lines hold nothing any plugin could match: a prefilter made of the active plugins' own
patterns (regex plugins' denylists, the keyword plugin's keywords) skips those (commit, path)s
before detect-secrets' per-line, per-plugin scan; an entropy or custom plugin turns it off.
Its patterns are cached (`_secret_plan`), and applied to each file diff before it is parsed
(`_secret_sift`): detect-secrets is imported only when some file may hold a secret.
"""

from __future__ import annotations

import itertools
import os
import shlex
from collections.abc import Iterable, Iterator

from pushguard._typing import NamedTuple
from pushguard.checks import _secret_baseline, _secret_plan, _secret_prefilter, _secret_sift
from pushguard.config import Config
from pushguard.model import AddedLines, Commit, Context, Finding, Need, Severity

ID = 'secrets'
NEEDS = frozenset({Need.ADDED_LINES})
PRAGMA = 'pragma: allowlist secret'


class Hit(NamedTuple):
    """One secret detect-secrets found: its type, its hash (for matching only) and its line."""

    type: str
    hashed: str
    line: int


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    commits: dict[str | None, Commit] = {c.sha: c for c in ctx.commits if c.sha}
    baseline = os.path.join(ctx.root or os.getcwd(), cfg.secrets_baseline)
    seen: set[tuple[str, str, str]] = set()
    unread: list[AddedLines] = []
    readable = _set_aside_unread(_sifted(ctx.added_lines(), _plan(baseline)), unread)
    for added, hit in find_secrets(readable, baseline):
        # a merge's first-parent diff repeats lines its branch already added: say it once
        key = (added.path, hit.type, hit.hashed)
        if key not in seen:
            seen.add(key)
            yield _finding(added, hit, commits.get(added.commit), cfg.secrets_baseline)
    yield from (_not_scanned(added) for added in unread)


def _plan(baseline: str) -> _secret_plan.Plan:
    """The prefilter's plan for this baseline: cached, else made (and the baseline checked)."""
    key = _secret_plan.key(baseline)
    plan = _secret_plan.load(baseline, key) if key is not None else None
    if plan is None:
        plan = _fresh_plan(baseline)
        if key is not None:
            _secret_plan.store(baseline, key, plan)
    return plan


def _fresh_plan(baseline: str) -> _secret_plan.Plan:
    from detect_secrets.settings import transient_settings

    raw = _secret_baseline.read(baseline)
    with transient_settings(_secret_baseline.default_plugins() if raw is None else {}):
        if raw is not None:
            _secret_baseline.load(raw, baseline)
        needles = _secret_prefilter.siftable(_secret_prefilter.needles())
        wide = _secret_sift.wide(needles) if needles is not None else frozenset()
        return _secret_plan.Plan(needles, *_secret_prefilter.extension_kinds(), wide)


def _sifted(stream: Iterator[AddedLines], plan: _secret_plan.Plan) -> Iterator[AddedLines]:
    """The stream, told to parse only the file diffs the Sift keeps (when it can be told)."""
    sifted = getattr(stream, 'sifted', None)
    if plan.needles is None or sifted is None:
        return stream
    result: Iterator[AddedLines] = sifted(_secret_sift.Sift(plan))
    return result


def _set_aside_unread(stream: Iterable[AddedLines], unread: list[AddedLines]
                      ) -> Iterator[AddedLines]:
    for added in stream:
        if added.unread:
            unread.append(added)
        else:
            yield added


def _not_scanned(added: AddedLines) -> Finding:
    return Finding(
        ID, Severity.WARNING,
        'not scanned for secrets: the file is over 1 MiB (GitLab\'s secret push protection '
        'skips such blobs too)',
        f'scan it by hand: detect-secrets scan {shlex.quote(_printable(added.path))}',
        ref=added.ref, commit=added.commit, path=added.path,
    )


def _finding(added: AddedLines, hit: Hit, commit: Commit | None, baseline: str) -> Finding:
    where = 'a staged line' if added.commit is None else 'a line this commit adds'
    return Finding(
        ID, Severity.ERROR, f'{hit.type} in {where}', _fix(added, commit, baseline),
        ref=added.ref, commit=added.commit, path=added.path, line=hit.line,
    )


def _fix(added: AddedLines, commit: Commit | None, baseline: str) -> str:
    path = shlex.quote(_printable(added.path))
    not_secret = (f'not a secret? end the line with "# {PRAGMA}", or audit it into {baseline} '
                  f'(detect-secrets scan --baseline {shlex.quote(baseline)})')
    if added.commit is None:
        return (f'remove it from {path} and stage that (git add {path}), or unstage the file: '
                f'git restore --staged {path} (before the first commit: git rm --cached {path}); '
                f'rotate it if it was ever shared\n{not_secret}')
    short = added.commit[:12]
    rebase = 'git rebase -i --root' if commit is not None and not commit.parents else \
        f'git rebase -i {short}~1'
    return (f'remove it and rotate it: once pushed anywhere, the credential is exposed\n'
            f'rewrite the commits that hold it: {rebase} (mark {short} "edit", remove the line, '
            f'git commit --amend, git rebase --continue), or git commit --amend if it is the '
            f'last commit\n{not_secret}')


def _printable(path: str) -> str:
    return path.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')


# --- detect-secrets ---------------------------------------------------------------------------

def find_secrets(stream: Iterable[AddedLines], baseline: str, prefilter: bool = True
                 ) -> Iterator[tuple[AddedLines, Hit]]:
    """Scan each (commit, path)'s added lines in-process; skip what the baseline knows.

    Each one that the prefilter (`_secret_prefilter`; off with `prefilter=False`) cannot rule
    out is written as a file under its own repository path (plugins and filters read the name
    and extension) in a temporary folder, scanned, then removed: memory and disk stay bounded by
    one diff. detect-secrets' process pool is not used (one process, no forks), and it is not
    even imported when the stream is empty.
    """
    stream = iter(stream)
    first = next(stream, None)
    if first is None:
        return
    import tempfile  # with detect-secrets: a commit with nothing to scan imports neither

    from detect_secrets.settings import transient_settings

    raw = _secret_baseline.read(baseline)
    settings = transient_settings(_secret_baseline.default_plugins() if raw is None else {})
    with settings, tempfile.TemporaryDirectory(prefix='pushguard-secrets-') as tmp:
        known = _secret_baseline.load(raw, baseline) if raw is not None else frozenset()
        needles = _secret_prefilter.needles() if prefilter else None
        slot = os.path.join(tmp, 'tree')
        for added in itertools.chain((first,), stream):
            hits = _scan(added, slot, needles)
            yield from ((added, hit) for hit in hits if hit.hashed not in known)


def _scan(added: AddedLines, slot: str, needles: tuple[_secret_prefilter.Needle, ...] | None
          ) -> list[Hit]:
    from detect_secrets.core.scan import scan_file

    content, origin = _render(added.lines)
    name = _relative(added.path)
    if needles is not None and not _secret_prefilter.may_hold_secrets(needles, name, content):
        return []
    name = _write_under(slot, name, content)
    try:
        # filters see the repository path, as `detect-secrets scan` shows it
        with _secret_baseline.inside(slot):
            found = list(scan_file(name))
    finally:
        os.unlink(os.path.join(slot, name))  # folders stay: making them anew costs more
    hits = []
    for secret in found:
        number = secret.line_number
        line = origin[number - 1] if 0 < number <= len(origin) else None
        if line is not None:
            hits.append(Hit(secret.type, secret.secret_hash, line))
    return hits


def _render(lines: tuple[tuple[int, str], ...]) -> tuple[str, list[int | None]]:
    """The file's text for the added lines, and each of its lines' number in the real file."""
    origin: list[int | None] = []
    text: list[str] = []
    for number, line in lines:
        if origin and origin[-1] is not None and number != origin[-1] + 1:
            origin.append(None)  # a gap between hunks: keep "allowlist nextline" to its own hunk
            text.append('')
        origin.append(number)
        # universal newlines would split a lone CR into two lines and shift every number after it
        text.append(line.rstrip('\r').replace('\r', ' '))
    return '\n'.join(text) + '\n', origin


def _write_under(slot: str, name: str, content: str) -> str:
    """Write `content` at `name` under `slot`; return the name used."""
    try:
        return _write(slot, name, content)
    except OSError:
        # a folder an earlier path left is where this file goes: start from an empty slot
        import shutil
        shutil.rmtree(slot, ignore_errors=True)
    try:
        return _write(slot, name, content)
    except OSError:  # a name this file system refuses: keep the extension, plugins read it
        return _write(slot, 'file' + os.path.splitext(name)[1][:16], content)


def _write(slot: str, name: str, content: str) -> str:
    target = os.path.join(slot, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    import locale

    # detect-secrets reads with the locale's encoding and skips what fails to decode as binary
    with open(target, 'w', encoding=locale.getpreferredencoding(False), errors='replace') as f:
        f.write(content)
    return name


def _relative(path: str) -> str:
    """The repository path as a safe relative path (git never stores '..' or absolute ones)."""
    parts = [part for part in path.split('/') if part not in ('', '.', '..')]
    return os.path.join(*parts) if parts else 'unnamed'
