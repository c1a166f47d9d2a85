"""linear-history: a merge commit among the commits pushed to a branch that requires a linear
history.

Mirrors GitHub's `required_linear_history` (ruleset and classic).
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.checks._stream import AtEnd, Stream
from pushguard.config import Config
from pushguard.model import Context, Finding, Need

ID = 'linear-history'
NEEDS = frozenset({Need.FORGE, Need.MESSAGES})


def stream(ctx: Context, cfg: Config) -> Stream:
    return AtEnd(lambda: check(ctx, cfg))


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    first_merges = ctx.index.merge_refs  # ref -> its first merge, in the order pushed
    for update in ctx.updates:
        if not update.is_branch or update.is_deletion or update.remote_ref not in first_merges:
            continue
        merge = first_merges[update.remote_ref]
        remote, branch = ctx.remote or 'origin', update.branch
        fix = f'git rebase {remote}/{branch}  # replays your commits without the merge'
        what = f'pushing merge commit {merge[:12] if merge else "(new commit)"} to {branch}'
        for finding in _remote.findings(ctx, update, ID, what,
                                        _remote.rules(ctx, update.remote_ref, ID), fix):
            yield finding._replace(commit=merge)
