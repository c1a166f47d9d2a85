"""remote: the forge could not be asked, or could not tell everything: a warning that names what
was not checked and why (an error with `remote.offline = "fail"`). It also applies the forge's own
content rules (message, email, name, path, size, signature patterns) to the pushed commits, under
the content checks' ids, with the forge's parameters.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks import _forge_content
from pushguard.config import Config
from pushguard.model import Context, Finding, Need, Severity

ID = 'remote'
NEEDS = frozenset({Need.FORGE, Need.MESSAGES})
UNCHECKED = ('protected-branch, force-push, branch-deletion, branch-creation, linear-history, '
             'status-checks, protected-tag and the forge\'s content rules')


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    severity = Severity.ERROR if cfg.remote.offline == 'fail' else Severity.WARNING
    fix = _fix(cfg)
    for problem in ctx.forge_problems:
        yield Finding(ID, severity, f'the forge was not asked: {problem}; not checked: '
                      f'{UNCHECKED}', fix)
    for ref, facts in ctx.forge.items():
        for unread in facts.unread:
            yield Finding(ID, severity, unread, fix, ref=ref)
        for rule in facts.rules:
            if rule.check == ID and not rule.bypass:
                yield Finding(ID, Severity.WARNING, f'{rule.reason} ({rule.source})', None,
                              ref=ref)
    yield from _forge_content.findings(ctx)


def _fix(cfg: Config) -> str:
    offline = ('' if cfg.remote.offline == 'fail'
               else '; set [remote] offline = "fail" to block when the forge cannot be asked')
    return ('check the token (PUSHGUARD_TOKEN or the forge\'s variable) and its scopes, then '
            f'`pushguard remote` to see what the forge says{offline}')
