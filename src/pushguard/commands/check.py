"""`pushguard check [RANGE...] [--branch NAME]`: check commits as a push of them would be checked.

Same engine, same checks, same commit selection as the pre-push hook: `A..B` is what B has that A
lacks, a single `X` is every commit reachable from X, and the default is what HEAD has that its
upstream lacks. The push is of the range's tip: to the branch or tag it names (`A..feat`, `v1.0`,
`HEAD` on a branch), else to the one local branch whose tip it is, else to no branch (`--branch`
says which). The current branch has no say unless the tip is HEAD.
"""
from __future__ import annotations

import argparse
import sys
import time

from pushguard import checks, engine, git
from pushguard.config import Config
from pushguard.errors import PushguardError
from pushguard.model import Context, Options, Place
from pushguard.report import Report, count, render
from pushguard.report._shared import silence
from pushguard.sources import RangeSource
from pushguard.status import Status
from pushguard.verdict import load_config, options

DEFAULT_RANGE = '@{upstream}..HEAD'
DETACHED_NOTE = ("the range's tip is on no branch (or on several), so branch checks were skipped "
                 '(pass --branch NAME to check these commits as a push to NAME)')
UNBORN_NOTE = 'nothing to check: the current branch has no commits yet'
_REMOTE_TRACKING = 'refs/remotes/'


def check(args: argparse.Namespace) -> int:
    started = time.monotonic()
    opts = options(args)
    cfg = load_config(opts, git.toplevel())
    notes: list[str] = []
    revisions = list(args.range) or _default_range(notes)
    ref, local_ref = _destination(args.branch, revisions)
    branch = ref.removeprefix('refs/heads/') if ref and ref.startswith('refs/heads/') else None
    if ref is None and revisions and _branch_checks_run(opts, cfg):
        notes.append(DETACHED_NOTE)
    source = RangeSource(revisions, branch, ref=ref, local_ref=local_ref)
    selected = engine.select(cfg, source.place, opts.only, opts.skip)
    ctx, found = engine.run(source, cfg, selected)
    checked = f'{count(ctx.commit_count, "commit")} {_on(ref)}'
    ran = _ran([check.ID for check in selected], ctx, ref, notes)
    # as verdict.report, and with what ran and how long it took: a pass is then one line
    report = Report(tuple(found), (*notes, *ctx.notes), checked, ran,
                    time.monotonic() - started)
    try:
        render(opts.format, report, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` left early: the output ends, the verdict stands
        silence(sys.stdout)
    return Status.BLOCKED if engine.blocks(found) else Status.OK


def _ran(selected: list[str], ctx: Context, ref: str | None, notes: list[str]
         ) -> tuple[str, ...]:
    """The checks that ran: the forge's only when the forge told something. When it could not
    be asked, the `remote` check's warning says so; when it was not asked, a note says why."""
    forge = [check_id for check_id in selected if check_id in checks.REMOTE_CHECKS]
    if not forge or ctx.forge:
        return tuple(selected)
    if ctx.forge_problems:
        return tuple(c for c in selected if c not in forge or c == 'remote')
    notes.append(f'the forge was not asked ({_why_no_forge(ctx, ref)}), so '
                 f'{", ".join(c for c in forge if c != "remote") or "its rules"} did not run')
    return tuple(check_id for check_id in selected if check_id not in forge)


def _why_no_forge(ctx: Context, ref: str | None) -> str:
    if ref is None or not ctx.updates:
        return 'the range is pushed to no branch'
    if ctx.remote is None:
        name = ref.removeprefix('refs/heads/')
        if not ref.startswith('refs/heads/'):
            return f'no remote is known for {_on(ref).removeprefix("on ")}'
        return f'branch {name} has no remote: git config branch.{name}.remote NAME sets one'
    from pushguard.sources import _remote_url as remote_url
    url = remote_url(ctx.remote)
    if not url:
        return f'remote {ctx.remote} has no URL'
    return f'remote {ctx.remote} is a path on this machine: {url}'


def _destination(branch: str | None, revisions: list[str]) -> tuple[str | None, str | None]:
    """(the ref pushed to, the local ref pushed from). `--branch NAME` is a push of a local NAME
    (in CI: the branch the checkout is of); else the range's tip says both."""
    if branch:
        return f'refs/heads/{branch.removeprefix("refs/heads/")}', None
    tip_ref = _tip_ref(revisions) if revisions else None
    return _pushed_ref(tip_ref), tip_ref


def _default_range(notes: list[str]) -> list[str]:
    """`@{upstream}..HEAD`; nothing on an unborn branch; an error with no upstream."""
    if git.resolve('HEAD') is None:
        notes.append(UNBORN_NOTE)
        return []
    if git.upstream() is None:
        where = 'HEAD is detached' if git.current_branch() is None else (
            f'branch {git.current_branch()!r} has no upstream')
        raise PushguardError(
            f'{where}, so there is no default range: pass one, e.g. '
            f'`pushguard check origin/main..HEAD`, or `pushguard check HEAD` for all history',
        )
    return [DEFAULT_RANGE]


def _tip_ref(revisions: list[str]) -> str | None:
    """The full name of the ref the range's one tip is (`refs/heads/feat` for `main..feat` or
    for HEAD on feat, `refs/tags/v1`), else of the one local branch whose tip it is; None for
    several tips, or a tip on no branch or on several. A bad revision is left for the range
    reading to name."""
    from pushguard.git import log
    tips, _ = log.range_ends(revisions)
    if len(tips) != 1:
        return None
    out = git.run('rev-parse', '--symbolic-full-name', *revisions, '--', ok=(0, 128))
    names = [name for name in git.decode(out).split()
             if name.startswith('refs/') and not name.startswith('^')]
    if len(names) == 1:
        return names[0]
    out = git.run('for-each-ref', f'--points-at={tips[0]}', '--format=%(refname)', 'refs/heads/')
    branches = git.decode(out).split()
    return branches[0] if len(branches) == 1 else None


def _pushed_ref(tip_ref: str | None) -> str | None:
    """Where a push of the tip goes: its branch or tag; a remote-tracking `origin/feat` is
    branch `feat`; anything else (a note, a stash) goes nowhere."""
    if tip_ref is None:
        return None
    if tip_ref.startswith(('refs/heads/', 'refs/tags/')):
        return tip_ref
    if tip_ref.startswith(_REMOTE_TRACKING):
        _remote, _, name = tip_ref[len(_REMOTE_TRACKING):].partition('/')
        return f'refs/heads/{name}' if name and name != 'HEAD' else None
    return None


def _on(ref: str | None) -> str:
    """`on branch main`, `on tag v1.0`, `on no branch`: what the summary line says was pushed."""
    if ref is None:
        return 'on no branch'
    if ref.startswith('refs/heads/'):
        return f'on branch {ref[len("refs/heads/"):]}'
    return f'on tag {ref[len("refs/tags/"):]}' if ref.startswith('refs/tags/') else f'on {ref}'


def _branch_checks_run(opts: Options, cfg: Config) -> bool:
    return 'branch-name' in engine.selected_ids(cfg, Place.CHECK, opts.only, opts.skip)
