"""remote: the forge could not be asked, or could not tell everything: a warning that names what
was not checked and why (an error with `remote.offline = "fail"`). It also applies the forge's own
content rules (message, email, name, path, size, signature patterns) to the pushed commits, under
the content checks' ids, with the forge's parameters.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pushguard.checks import _forge_content
from pushguard.checks._stream import Stream, whole
from pushguard.config import Config
from pushguard.model import Commit, Context, FileChange, Finding, Need, Severity

ID = 'remote'
NEEDS = frozenset({Need.FORGE, Need.MESSAGES})
UNCHECKED = ('protected-branch, force-push, branch-deletion, branch-creation, linear-history, '
             'status-checks, protected-tag and the forge\'s content rules')


def stream(ctx: Context, cfg: Config) -> Stream:
    """What the forge could not tell, then its content rules over the push, streamed."""
    return _Remote(ctx, cfg)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)


class _Remote(Stream):
    def __init__(self, ctx: Context, cfg: Config) -> None:
        self.ctx, self.cfg = ctx, cfg
        self.content = _forge_content.Content(ctx)

    def commits(self, batch: Sequence[Commit]) -> Iterable[Finding]:
        return self.content.commits(batch)

    def changes(self, batch: Sequence[FileChange]) -> Iterable[Finding]:
        return self.content.changes(batch)

    def finish(self) -> Iterator[Finding]:
        yield from _unasked(self.ctx, self.cfg)
        yield from self.content.finish()


def _unasked(ctx: Context, cfg: Config) -> Iterator[Finding]:
    severity = Severity.ERROR if cfg.remote.offline == 'fail' else Severity.WARNING
    for problem in ctx.forge_problems:  # the problem says what to set
        yield Finding(ID, severity, f'the forge was not asked: {problem}; not checked: '
                      f'{UNCHECKED}', None)
    for ref, facts in ctx.forge.items():
        for unread in facts.unread:
            yield Finding(ID, severity, unread, _fix(cfg, unread), ref=ref)
        for rule in facts.rules:
            if rule.check == ID and not rule.bypass:
                yield Finding(ID, Severity.WARNING, f'{rule.reason} ({rule.source})', None,
                              ref=ref)


# what to do, by what went wrong (the reason texts of forges/_http.py)
_FIXES = (
    ('TLS failed', 'trust the forge\'s certificate authority: SSL_CERT_FILE=/path/to/ca.pem (or '
                   'REQUESTS_CA_BUNDLE), as for pip'),
    ('remote.timeout', 'check the network and the proxy (HTTPS_PROXY, NO_PROXY), or raise '
                       '[remote] timeout'),
    ('connection refused', 'check [remote] api-url and that the forge is up'),
    ('network error', 'check the network, the proxy (HTTPS_PROXY, NO_PROXY) and [remote] api-url'),
)


def _fix(cfg: Config, why: str = '') -> str:
    offline = ('' if cfg.remote.offline == 'fail'
               else '; set [remote] offline = "fail" to block when the forge cannot be asked')
    first = next((fix for sign, fix in _FIXES if sign in why),
                 'check the token (PUSHGUARD_TOKEN or the forge\'s variable) and its scopes')
    return f'{first}, then `pushguard remote` to see what the forge says{offline}'
