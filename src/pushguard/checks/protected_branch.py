"""protected-branch: a direct push to a branch that needs a pull/merge request, is locked, or that
this credential may not push to.

Mirrors GitHub's `pull_request` / `update` ruleset rules and classic protection (GH006, GH013),
GitLab's push access levels (`can_push: false`), Bitbucket's and Gitea's push restrictions.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.config import Config
from pushguard.forges.rules import Rule
from pushguard.model import Context, Finding, Need, Severity

ID = 'protected-branch'
NEEDS = frozenset({Need.FORGE})


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    for update in ctx.updates:
        if not update.is_branch or update.is_deletion:
            continue
        found = _remote.rules(ctx, update.remote_ref, ID)
        facts = ctx.forge.get(update.remote_ref)
        if facts is not None and facts.can_push is False and not any(
                r.certain and not r.bypass for r in found):
            found = [*found, Rule(ID, 'the forge', 'this credential may not push to it',
                                  'not allowed to push to this branch')]
        what = f'pushing to {update.branch}'
        fix = _remote.via_pull_request(ctx, update)
        for finding in _remote.findings(ctx, update, ID, what, found, fix):
            yield finding
            if finding.severity is Severity.ERROR:
                break
