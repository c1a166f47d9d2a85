"""`pushguard check [RANGE...] [--branch NAME]`: check commits as a push of them would be checked.

Same engine, same checks, same commit selection as the pre-push hook: `A..B` is what B has that A
lacks, a single `X` is every commit reachable from X, and the default is what HEAD has that its
upstream lacks.
"""
from __future__ import annotations

import argparse

from pushguard import git
from pushguard.errors import PushguardError
from pushguard.report import count
from pushguard.sources import RangeSource
from pushguard.verdict import check_and_report, load_config

DEFAULT_RANGE = '@{upstream}..HEAD'
DETACHED_NOTE = ('HEAD is detached, so no branch is pushed and branch checks were skipped '
                 '(pass --branch NAME to check these commits as a push to NAME)')
UNBORN_NOTE = 'nothing to check: the current branch has no commits yet'


def check(args: argparse.Namespace) -> int:
    cfg = load_config(args, git.toplevel())
    notes: list[str] = []
    revisions = list(args.range) or _default_range(notes)
    branch = _branch(args.branch)
    if branch is None and revisions:
        notes.append(DETACHED_NOTE)
    source = RangeSource(revisions, branch)
    commits = source.context().commits
    checked = count(len(commits), 'commit')
    if branch is not None:
        checked += f' on {branch}'
    return check_and_report(source, args, cfg, checked, tuple(notes))


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


def _branch(given: str | None) -> str | None:
    if given:
        return given.removeprefix('refs/heads/')
    return git.current_branch()
