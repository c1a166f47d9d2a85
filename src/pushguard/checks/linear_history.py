"""linear-history: a merge commit among the commits pushed to a branch that requires a linear
history.

Mirrors GitHub's `required_linear_history` (ruleset and classic).
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.config import Config
from pushguard.model import Context, Finding, Need

ID = 'linear-history'
NEEDS = frozenset({Need.FORGE, Need.MESSAGES})


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    for update in ctx.updates:
        if not update.is_branch or update.is_deletion:
            continue
        merges = [c for c in ctx.commits if c.ref == update.remote_ref and c.is_merge]
        if not merges:
            continue
        remote, branch = ctx.remote or 'origin', update.branch
        fix = f'git rebase {remote}/{branch}  # replays your commits without the merge'
        what = f'pushing merge commit {merges[0].short} to {branch}'
        for finding in _remote.findings(ctx, update, ID, what,
                                        _remote.rules(ctx, update.remote_ref, ID), fix):
            yield finding._replace(commit=merges[0].sha)
