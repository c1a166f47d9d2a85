"""branch-creation: creating a branch that a forge rule forbids creating.

Mirrors GitHub's `creation` ruleset rule and classic `block_creations`; GitLab's "not allowed to
create protected branches".
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.config import Config
from pushguard.model import Context, Finding, Need

ID = 'branch-creation'
NEEDS = frozenset({Need.FORGE})


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    for update in ctx.updates:
        if not (update.is_branch and update.is_creation and not update.is_deletion):
            continue
        fix = _remote.settings_fix(ctx, update, 'push under a name no rule protects, e.g. '
                                   f'git push {ctx.remote or "origin"} HEAD:refs/heads/'
                                   f'{_remote.side_branch(update)}')
        yield from _remote.findings(ctx, update, ID, f'creating {update.branch}',
                                    _remote.rules(ctx, update.remote_ref, ID), fix)
