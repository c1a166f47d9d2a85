"""status-checks: a direct push to a branch whose required status checks the new commit cannot
have yet (checks run after a push, on a pull request's branch).

Mirrors GitHub's `required_status_checks` (ruleset, with `do_not_enforce_on_create`, and classic).
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.config import Config
from pushguard.forges.rules import items, param
from pushguard.model import Context, Finding, Need

ID = 'status-checks'
NEEDS = frozenset({Need.FORGE})


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    for update in ctx.updates:
        if not update.is_branch or update.is_deletion:
            continue
        found = [r for r in _remote.rules(ctx, update.remote_ref, ID)
                 if not (update.is_creation and param(r, 'do_not_enforce_on_create') is True)]
        contexts = sorted({str(c) for r in found for c in items(param(r, 'contexts'))})
        named = ', '.join(f'"{c}"' for c in contexts) or 'the required checks'
        what = (f'pushing {update.local_sha[:12]} to {update.branch} ({named} cannot have run '
                'on it yet)')
        yield from _remote.findings(ctx, update, ID, what, found,
                                    _remote.via_pull_request(ctx, update))
