"""protected-tag: creating, moving or deleting a tag that the forge protects.

Mirrors GitHub's tag rulesets (`creation`, `update`, `deletion`, `non_fast_forward` on tags) and
GitLab's protected tags.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _remote
from pushguard.config import Config
from pushguard.forges.rules import param
from pushguard.model import Context, Finding, Need, RefUpdate

ID = 'protected-tag'
NEEDS = frozenset({Need.FORGE})


def _action(update: RefUpdate) -> str:
    return 'delete' if update.is_deletion else 'create' if update.is_creation else 'update'


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    for update in ctx.updates:
        if not update.is_tag:
            continue
        action = _action(update)
        found = [r for r in _remote.rules(ctx, update.remote_ref, ID)
                 if param(r, 'action') in (None, action) or
                 (action == 'update' and param(r, 'action') == 'force')]
        tag = _remote.short(update.remote_ref)
        verb = {'delete': 'deleting', 'create': 'creating', 'update': 'moving'}[action]
        fix = _remote.settings_fix(ctx, update, 'use a tag name no rule protects, or have a '
                                   'maintainer push it')
        yield from _remote.findings(ctx, update, ID, f'{verb} tag {tag}', found, fix)
