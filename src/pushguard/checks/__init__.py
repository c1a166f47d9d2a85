"""The registry of checks: id -> module path. Nothing is imported until a check is used.

Each module has `ID`, `NEEDS` (a frozenset of model.Need) and
`check(ctx, cfg) -> Iterator[Finding]`, which reads only what the engine fetched. Where each check
makes sense is `PLACES`, kept here so that a commit-msg hook never imports a content check.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator

from pushguard._typing import TYPE_CHECKING
from pushguard.config import Config
from pushguard.model import Context, Finding, Need, Place

if TYPE_CHECKING:
    from typing import Protocol

CHECKS = {
    'jira-ticket': 'pushguard.checks.jira_ticket',
    'conventional-commit': 'pushguard.checks.conventional_commit',
    'message-pattern': 'pushguard.checks.message_pattern',
    'commit-style': 'pushguard.checks.commit_style',
    'branch-name': 'pushguard.checks.branch_name',
    'file-size': 'pushguard.checks.file_size',
    'forbidden-path': 'pushguard.checks.forbidden_path',
    'secrets': 'pushguard.checks.secrets',
    'signature': 'pushguard.checks.signature',
    'author-email': 'pushguard.checks.author_email',
    'dco': 'pushguard.checks.dco',
    'protected-branch': 'pushguard.checks.protected_branch',
    'force-push': 'pushguard.checks.force_push',
    'branch-deletion': 'pushguard.checks.branch_deletion',
    'branch-creation': 'pushguard.checks.branch_creation',
    'linear-history': 'pushguard.checks.linear_history',
    'status-checks': 'pushguard.checks.status_checks',
    'protected-tag': 'pushguard.checks.protected_tag',
    'remote': 'pushguard.checks.remote',
}
# remote checks: they ask the forge (pushguard.forges), at push time only
REMOTE_CHECKS = (
    'protected-branch', 'force-push', 'branch-deletion', 'branch-creation', 'linear-history',
    'status-checks', 'protected-tag', 'remote',
)
CHECK_IDS = frozenset(CHECKS) | frozenset(REMOTE_CHECKS)

_MESSAGE = frozenset(Place) - {Place.PRE_COMMIT}
_CONTENT = frozenset(Place) - {Place.COMMIT_MSG}
_COMMITTED = frozenset({Place.PRE_PUSH, Place.CHECK, Place.PRE_RECEIVE})
PLACES = {
    'jira-ticket': _MESSAGE,
    'conventional-commit': _MESSAGE,
    'message-pattern': _MESSAGE,
    'commit-style': _MESSAGE,
    'branch-name': _COMMITTED,
    'file-size': _CONTENT,
    'forbidden-path': _CONTENT,
    'secrets': _CONTENT,
    'signature': _COMMITTED,
    'author-email': _COMMITTED,
    'dco': _MESSAGE,
    **dict.fromkeys(REMOTE_CHECKS, frozenset({Place.PRE_PUSH, Place.CHECK})),
}


if TYPE_CHECKING:
    class Check(Protocol):
        ID: str
        NEEDS: frozenset[Need]

        def check(self, ctx: Context, cfg: Config) -> Iterator[Finding]: ...


def load(check_id: str) -> Check:
    __import__(CHECKS[check_id])  # not importlib: it imports warnings, at every start
    module: Check = sys.modules[CHECKS[check_id]]
    return module
