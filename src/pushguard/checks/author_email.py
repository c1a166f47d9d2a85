"""author-email: a pushed commit's author or committer email does not match `author.email`.

Mirrors GitHub's `commit_author_email_pattern` and `committer_email_pattern` ruleset rules and
GitLab's `author_email_regex` push rule. The pattern has RE2's syntax and semantics
(pushguard.patterns) and is searched, so `@example\\.com$` means "ends with @example.com". Every
pushed commit counts, merges too. The fix sets the address and rewrites the pushed commits from the
oldest one that fails.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence

from pushguard import patterns
from pushguard.checks._paths import rebase_base
from pushguard.checks._stream import Failing, Stream, whole
from pushguard.config import Config
from pushguard.model import Commit, Context, Finding, Need

ID = 'author-email'
NEEDS = frozenset({Need.MESSAGES})
_DOMAIN = re.compile(r'([A-Za-z0-9-]+(?:\\?\.[A-Za-z0-9-]+)+)')


def example_email(pattern: str) -> str | None:
    """An address the pattern accepts, guessed from its literal parts and checked; or None."""
    compiled = patterns.compile(pattern, 'author.email')
    literal = re.sub(r'\\(.)', r'\1', pattern.strip('^$'))
    domains = [d.replace('\\', '') for d in _DOMAIN.findall(pattern)]
    candidates = [*(f'you@{d}' for d in domains), f'you{literal}', literal, f'you@{literal}']
    return next((c for c in candidates if '@' in c and compiled.search(c)), None)


def failures(commit: Commit, pattern: patterns.Pattern) -> list[tuple[str, str]]:
    """The identities of `commit` whose email the pattern rejects: [('author', email), ...]."""
    found = [('author', commit.author_email), ('committer', commit.committer_email)]
    return [(who, email) for who, email in found if not pattern.search(email)]


def _describe(failed: Sequence[tuple[str, str]], pattern: str) -> str:
    if len(failed) == 2 and failed[0][1] == failed[1][1]:
        parts, verb = f'author and committer email {failed[0][1]!r}', 'do'
    else:
        parts = ' and '.join(f'{who} email {email!r}' for who, email in failed)
        verb = 'does' if len(failed) == 1 else 'do'
    return f'{parts} {verb} not match {pattern!r} (author.email)'


def _fix(oldest: Commit, author_fails: bool, merges: bool, pattern: str) -> str:
    example = example_email(pattern)
    config = f'git config user.email {shlex.quote(example or "YOUR-EMAIL")}'
    merge_flag = ' --rebase-merges' if merges else ''
    if author_fails:
        amend = 'git commit --amend --no-edit --no-verify --allow-empty --reset-author'
        rewrite = f'git rebase{merge_flag} --exec {shlex.quote(amend)} {rebase_base(oldest)}'
    else:  # a rebase writes every commit anew, with the configured committer
        rewrite = f'git rebase --force-rebase{merge_flag} {rebase_base(oldest)}'
    hint = '' if example else f'  # an address matching {pattern}'
    return f'{config} && {rewrite}{hint}'


class _Emails(Failing):
    check_id = ID

    def __init__(self, ctx: Context, pattern: patterns.Pattern, text: str) -> None:
        super().__init__(ctx)
        self.pattern, self.text = pattern, text

    def why(self, commit: Commit) -> list[tuple[str, str]] | None:
        return failures(commit, self.pattern) if commit.sha else None

    def fix(self, on_ref: list[Commit], merges: bool) -> str:
        author_fails = any(who == 'author' for c in on_ref for who, _ in self.failing[c])
        return _fix(on_ref[0], author_fails, merges, self.text)

    def say(self, commit: Commit, why: list[tuple[str, str]]) -> str:
        return _describe(why, self.text)


def stream(ctx: Context, cfg: Config) -> Stream:
    if not cfg.author_email:
        return Stream()
    pattern = patterns.compile(cfg.author_email, 'author.email', cfg.source)
    return _Emails(ctx, pattern, cfg.author_email)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
