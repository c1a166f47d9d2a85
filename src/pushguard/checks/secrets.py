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

import functools
import itertools
import os
from collections.abc import Callable, Iterable, Iterator

from pushguard.checks import (
    _secret_baseline, _secret_context, _secret_fix, _secret_plan, _secret_prefilter, _secret_sift,
)
from pushguard.config import Config
from pushguard._typing import TYPE_CHECKING
from pushguard.model import AddedLines, Commit, Context, Finding, Need, Severity

if TYPE_CHECKING:
    from pushguard.checks._secret_scan import Hit
    from pushguard.pushed import Pushed

ID = 'secrets'
NEEDS = frozenset({Need.ADDED_LINES})
PRAGMA = _secret_fix.PRAGMA
BIG = 20  # commits: a scan this big shares its work with a helper process from the start


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    commits = ctx.index  # the push's commits by sha, streamed or not
    root = ctx.root or os.getcwd()
    baseline = os.path.join(root, cfg.secrets_baseline)
    unread: list[AddedLines] = []
    if not ctx.trusted:
        yield from _code_not_run(baseline, cfg.secrets_baseline)
    plan = _plan(baseline, ctx.trusted)
    sift = _secret_sift.Sift(plan) if plan.needles is not None else None
    whole: list[AddedLines] = []  # file diffs to scan whole too (_secret_context)
    # the baseline is the audit's record, never content: with no baseline on the trusted side
    # yet (a server, a CI base), its `hashed_secret` lines would otherwise be flagged
    own = os.path.normpath(cfg.secrets_baseline)
    added_lines = (a for a in ctx.added_lines(sift) if os.path.normpath(a.path) != own)
    readable = _set_aside_unread(added_lines, unread, whole)
    context = functools.partial(_secret_context.with_texts, whole, ctx.read_blobs)
    first = next(readable, None)
    if first is not None:  # something the sift kept: only now tempfile, shutil, detect-secrets
        yield from _scanned(itertools.chain((first,), readable), commits, baseline, root, ctx,
                            cfg, context)
    yield from (_not_scanned(added) for added in unread)


def _scanned(readable: Iterable[AddedLines], commits: Pushed, baseline: str,
             root: str, ctx: Context, cfg: Config,
             context: Callable[[], Iterator[tuple[AddedLines, str, str]]]) -> Iterator[Finding]:
    from pushguard.checks._secret_scan import find_secrets
    seen: set[tuple[str, str, str]] = set()
    big = len(commits) >= BIG  # both cores from the start (_secret_pool)
    for added, hit in find_secrets(readable, baseline, trusted=ctx.trusted, context=context,
                                   big=big):
        # the same secret added again (moved, or by a merge): said once
        key = (added.path, hit.type, hit.identity)
        if key not in seen:
            seen.add(key)
            yield _finding(added, hit, commits.get(added.commit), cfg.secrets_baseline, root)


def _code_not_run(baseline: str, shown: str) -> Iterator[Finding]:
    """A warning when the baseline names code of its own, which is not run here."""
    import json
    try:
        with open(baseline, 'rb') as f:
            named = _secret_baseline.refused_code(json.loads(f.read()))
    except (OSError, ValueError):  # no baseline, or one the full read will refuse
        return
    if named:
        yield Finding(
            ID, Severity.WARNING,
            f'{shown} names code to run ({", ".join(named)}): code named by the commits being '
            f'checked is never run where commits from others are checked (check, CI, server '
            f'hooks), so the scan used the rest of the baseline without it',
            'run such plugins and filters where the baseline is trusted: the pre-commit and '
            'pre-push hooks',
        )


def _plan(baseline: str, trusted: bool = True) -> _secret_plan.Plan:
    """The prefilter's plan for this baseline: cached, else made (and the baseline checked)."""
    key = _secret_plan.key(baseline, trusted)
    plan = _secret_plan.load(baseline, key) if key is not None else None
    if plan is None:
        plan = _fresh_plan(baseline, trusted)
        if key is not None:
            _secret_plan.store(baseline, key, plan)
    return plan


def _fresh_plan(baseline: str, trusted: bool = True) -> _secret_plan.Plan:
    from detect_secrets.settings import transient_settings

    raw = _secret_baseline.read(baseline)
    with transient_settings(_secret_baseline.default_plugins() if raw is None else {}):
        if raw is not None:
            _secret_baseline.load(raw, baseline, trusted)
        needles = _secret_prefilter.siftable(_secret_prefilter.needles())
        wide = _secret_sift.wide(needles) if needles is not None else frozenset()
        return _secret_plan.Plan(needles, *_secret_prefilter.extension_kinds(), wide,
                                 _secret_prefilter.unscanned_extensions())


def _set_aside_unread(stream: Iterable[AddedLines], unread: list[AddedLines],
                      whole: list[AddedLines]) -> Iterator[AddedLines]:
    for added in stream:
        if added.unread:
            unread.append(added)
            continue
        if (needed := _secret_context.candidate(added)) is not None:
            whole.append(needed)
        yield added


def _not_scanned(added: AddedLines) -> Finding:
    return Finding(
        ID, Severity.WARNING,
        'not scanned for secrets: the file is over 1 MiB (GitLab\'s secret push protection '
        'skips such blobs too)',
        f'scan it by hand: {_secret_fix.scan_by_hand(added.path)}',
        ref=added.ref, commit=added.commit, path=added.path,
    )


def _finding(added: AddedLines, hit: Hit, commit: Commit | None, baseline: str, root: str
             ) -> Finding:
    where = 'a staged line' if added.commit is None else 'a line this commit adds'
    if not added.lines:  # found scanning the file whole (_secret_context)
        where = 'a value the index changes' if added.commit is None else \
            'a value this commit changes'
    fix = _secret_fix.fix(added, commit, baseline, root)
    return Finding(
        ID, Severity.ERROR, f'{hit.type} in {where}', fix,
        ref=added.ref, commit=added.commit, path=added.path, line=hit.line,
    )
