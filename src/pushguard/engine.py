"""One engine for every place: select checks, fetch what they need (batched), run, collect.

A `Source` says what is being checked (a message, the index, a push, a range); the engine asks it
only for the data that the selected checks declared in NEEDS.

Two ways to run, the same findings in the same order:

- Streamed (pushguard.streamed), for a source of commits in the repository (`check`, CI,
  pre-push, pre-receive): the push is read once, oldest commit first, and handed to each
  check's Stream (checks._stream) in batches: its commits, then its changes (sized), then
  `finish`; the added lines stream as before. ctx.commits and ctx.changes stay empty; what a
  check needs of the whole push afterwards is ctx.index (pushguard.pushed: sha, parents, ref
  and subject of each commit, the merges, the last commit), a few dozen bytes per commit.
  Memory is bounded by a batch and the largest commit, not by the push; the git processes are
  the same fixed handful.
- Whole, when a selected check's `stream` says None or it has none and reads commits or
  changes (no check of today), at commit time, and for a source whose commits were already
  read: ctx.commits and ctx.changes hold the push, and each check's
  `check(ctx, cfg)` reads them (a streaming check's `check` is its Stream over the whole
  push).

A check's findings are its own list, whatever the order the engine feeds the checks in: the
report lists them check by check, in selection order, as before.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pushguard import checks, registry
from pushguard._typing import TYPE_CHECKING
from pushguard.config import Config
from pushguard.errors import ConfigError
from pushguard.model import (
    Commit, Context, FileChange, Finding, Need, Place, Severity,
)



if TYPE_CHECKING:
    from typing import Protocol

    from pushguard.model import AddedLinesFeed
    from pushguard.sync.apply import Prepared

    class Source(Protocol):
        place: Place

        def context(self) -> Context: ...
        def with_signatures(self, commits: Sequence[Commit], verify: bool) -> list[Commit]: ...
        def changes(self, commits: Sequence[Commit]) -> list[FileChange]: ...
        def added_lines(self, commits: Sequence[Commit], too_big: Sequence[FileChange]
                        ) -> AddedLinesFeed: ...
        def lfs_paths(self, paths: Sequence[str]) -> frozenset[str]: ...
        def read_blobs(self, shas: Sequence[str]) -> Iterator[tuple[str, bytes]]: ...


def select(cfg: Config, place: Place, only: Iterable[str] = (), skip: Iterable[str] = ()
           ) -> list[checks.Check]:
    """The checks to run here: --only wins over the config; --skip and [checks] skip remove."""
    return [checks.load(check_id) for check_id in selected_ids(cfg, place, only, skip)]


def selected_ids(cfg: Config, place: Place, only: Iterable[str] = (), skip: Iterable[str] = ()
                 ) -> list[str]:
    """The ids `select` picks, none of their modules imported: a hook that only needs to know
    whether a check runs pays nothing for the checks."""
    only, skip = list(only), set(skip) | cfg.skip
    for check_id in [*only, *skip]:
        if check_id not in checks.CHECK_IDS:
            raise ConfigError(f'--only/--skip: {check_id!r} is not a check id '
                              f'(known: {", ".join(sorted(checks.CHECK_IDS))})')
    for check_id in only:
        if check_id not in checks.CHECKS:  # never a silent pass for a check asked for by name
            raise ConfigError(f'--only: {registry.not_built("check", check_id)}')
    wanted = set(only) if only else cfg.enabled_checks()
    return [check_id for check_id in checks.CHECKS
            if check_id in wanted and check_id not in skip and place in checks.PLACES[check_id]]


def run(
        source: Source, cfg: Config, selected: Sequence[checks.Check],
) -> tuple[Context, list[Finding]]:
    """Fetch what `selected` needs from `source`, run each check, return the findings in order."""
    needs: set[Need] = set().union(*(c.NEEDS for c in selected)) if selected else set()
    commits: Iterator[Commit] | None = None
    if getattr(source, 'streams', None) is not None and source.streams():  # type: ignore[attr-defined]
        ctx, commits = source.stream()  # type: ignore[attr-defined]  # a push: maybe 10,000
    else:
        ctx = source.context()
    ctx.checks = tuple(check.ID for check in selected)
    if Need.FORGE in needs:
        needs |= _ask_forge(source, ctx, cfg)
    synced = _synced(ctx, cfg)
    if synced is not None:
        from pushguard.sync import apply
        needs |= apply.needs(synced.rules)
    if Need.ANCESTRY in needs and ctx.forge and hasattr(source, 'forced'):
        ctx.forced = source.forced()
    if commits is not None:
        from pushguard import streamed
        by_check = streamed.run(source, cfg, selected, needs, ctx, commits, synced is None)
        if by_check is not None:
            found = [f for check in selected for f in _apply_policy(by_check[check.ID], cfg)]
            return ctx, list(dict.fromkeys(found))
    if Need.SIGNATURES in needs:
        ctx.commits = tuple(source.with_signatures(ctx.commits, cfg.signing_verify))
    # added lines need the sizes too: a blob too big to diff is named, not read
    if needs & {Need.CHANGES, Need.SIZES, Need.ADDED_LINES, Need.ATTRIBUTES}:
        ctx.changes = tuple(_unique(source.changes(ctx.commits)))
    if needs & {Need.SIZES, Need.ADDED_LINES, Need.ATTRIBUTES}:
        from pushguard.git import diff
        from pushguard.git.blobs import with_sizes
        ctx.changes = tuple(with_sizes(ctx.changes, diff.blob_sizes))
    if Need.ATTRIBUTES in needs:  # only for blobs big enough to be reported: a few paths
        big = min(cfg.max_size, cfg.warn_size)
        ctx.lfs_paths = source.lfs_paths([c.path for c in ctx.changes if (c.size or 0) > big])
    if Need.ADDED_LINES in needs:
        from pushguard import git
        from pushguard.git import diff
        ctx.root = ctx.root or git.work_tree_top()
        ctx._added_lines = source.added_lines(ctx.commits, diff.too_big_to_diff(ctx.changes))
        ctx.read_blobs = source.read_blobs
    findings: list[Finding] = []
    for check in selected:
        findings.extend(_apply_policy(check.check(ctx, cfg), cfg))
    if synced is not None:
        findings.extend(_apply_policy(apply.findings(ctx, synced), cfg))
    return ctx, list(dict.fromkeys(findings))


def _ask_forge(source: Source, ctx: Context, cfg: Config) -> set[Need]:
    """ctx.forge from the source (a push knows its remote); the data the forge's content rules
    need on top of what the selected checks asked for."""
    if not cfg.remote.enabled or not hasattr(source, 'forge_facts'):
        return set()
    ctx.forge, ctx.forge_problems = source.forge_facts(cfg.remote)
    from pushguard.checks._forge_content import NEEDS_BY_CHECK
    kinds = {rule.check for facts in ctx.forge.values() for rule in facts.rules}
    return {need for kind in kinds for need in NEEDS_BY_CHECK.get(kind, ())}


def _synced(ctx: Context, cfg: Config) -> Prepared | None:
    """The forge's content rules `pushguard sync` saved, for the commit-time hooks."""
    if ctx.place not in (Place.COMMIT_MSG, Place.PRE_COMMIT) or not cfg.remote.enabled:
        return None
    from pushguard import sync
    where = sync.stored()
    if where is None:
        return None
    from pushguard.sync import apply
    return apply.prepare(where, ctx.place, ctx.branch, cfg.skip)


def _apply_policy(found: Iterable[Finding], cfg: Config) -> Iterator[Finding]:
    for finding in found:
        if finding.check in cfg.warn and finding.severity is Severity.ERROR:
            finding = finding._replace(severity=Severity.WARNING)
        yield finding


def _unique(changes: Iterable[FileChange]) -> Iterator[FileChange]:
    """Each (path, blob) once: a merge repeats what its branch's own commits already brought."""
    seen: set[tuple[str, str]] = set()
    for change in changes:
        key = (change.path, change.blob)
        if key not in seen:
            seen.add(key)
            yield change



def blocks(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
