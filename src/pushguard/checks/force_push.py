"""force-push: a non-fast-forward update (the old tip is not an ancestor of the new one, or is not
known here) of a branch that forbids force pushes.

Mirrors GitHub's `non_fast_forward` rule and classic `allow_force_pushes`, GitLab's
`allow_force_push`, Bitbucket's `force` restriction, Gitea's `enable_force_push`.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.config import Config
from pushguard.model import Context, Finding, Need

ID = 'force-push'
NEEDS = frozenset({Need.FORGE, Need.ANCESTRY})


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    for update in ctx.updates:
        if update.remote_ref not in ctx.forced:
            continue
        remote, branch = ctx.remote or 'origin', update.branch
        fix = _remote.settings_fix(
            ctx, update, f'git pull --rebase {remote} {branch}  # then push without --force')
        what = (f'force-pushing {branch} (its old tip {update.remote_sha[:12]} is not an '
                'ancestor of the new one)')
        found = _remote.rules(ctx, update.remote_ref, ID)
        yield from _remote.findings(ctx, update, ID, what, found, fix)
