"""branch-deletion: deleting a branch that the forge protects from deletion.

Mirrors GitHub's `deletion` rule and classic `allow_deletions`, GitLab's protected branches
(deleted only in the web interface), Bitbucket's `delete` restriction, Gitea's protections.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.config import Config
from pushguard.model import Context, Finding, Need

ID = 'branch-deletion'
NEEDS = frozenset({Need.FORGE})


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    for update in ctx.updates:
        if not (update.is_branch and update.is_deletion):
            continue
        fix = _remote.settings_fix(ctx, update, 'keep the branch (do not push the deletion)')
        yield from _remote.findings(ctx, update, ID, f'deleting {update.branch}',
                                    _remote.rules(ctx, update.remote_ref, ID), fix)
