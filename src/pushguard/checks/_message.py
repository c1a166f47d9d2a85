"""Message helpers shared by the message checks: exemptions, subject and body, fixes."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from pushguard import patterns
from pushguard._typing import TYPE_CHECKING
from pushguard.checks._paths import rebase_base
from pushguard.checks._stream import Stream
from pushguard.config import Config
from pushguard.model import Commit, Context, Finding, Place, Severity

if TYPE_CHECKING:
    from pushguard.pushed import Pushed

__all__ = ['rebase_base']
# git rebase --autosquash folds these into the commit they name (git 2.32 added amend!)
AUTOSQUASH = re.compile(r'(?:fixup|squash|amend)! ')
# the checks that read messages, in the order they run: the first selected reports fixups
MESSAGE_CHECKS = ('jira-ticket', 'conventional-commit', 'message-pattern', 'commit-style', 'dco')


def _exempt(ctx: Context, cfg: Config) -> list[patterns.Pattern]:
    """`[commit] exempt` at commit time, `[commit] push-exempt` once the commit exists."""
    at_commit = ctx.place is Place.COMMIT_MSG
    key = 'commit.exempt' if at_commit else 'commit.push-exempt'
    return [patterns.compile(pattern, key, cfg.source)
            for pattern in (cfg.exempt if at_commit else cfg.push_exempt)]


def checked_commits(ctx: Context, cfg: Config) -> Iterator[Commit]:
    """The commits whose messages are checked: not exempt (merges, reverts, ...) here, and not
    an unsquashed fixup!/squash!/amend! commit, which `unsquashed` reports instead."""
    return _checked(ctx, _exempt(ctx, cfg), ctx.commits)


def _checked(ctx: Context, exempt: list[patterns.Pattern], commits: Iterable[Commit]
             ) -> Iterator[Commit]:
    for commit in commits:
        if not any(p.search(commit.message) for p in exempt) and not _unsquashed(ctx, commit):
            yield commit


def _unsquashed(ctx: Context, commit: Commit) -> bool:
    return ctx.place is not Place.COMMIT_MSG and AUTOSQUASH.match(commit.message) is not None


def unsquashed(ctx: Context, cfg: Config, check_id: str) -> Iterator[Finding]:
    """fixup!/squash!/amend! commits in a push: the server judges their messages as they are,
    so they fail, with the rebase that squashes them. Each is reported once, by the first
    message check that runs (`check_id` when the engine did not say which run)."""
    return _unsquashed_in(ctx, _exempt(ctx, cfg), check_id, ctx.commits)


def _unsquashed_in(ctx: Context, exempt: list[patterns.Pattern], check_id: str,
                   commits: Iterable[Commit]) -> Iterator[Finding]:
    owner = next((c for c in ctx.checks if c in MESSAGE_CHECKS), check_id)
    if owner != check_id:
        return
    for commit in commits:
        if _unsquashed(ctx, commit) and not any(p.search(commit.message) for p in exempt):
            kind = commit.message.split('!', 1)[0]
            target = autosquash_target(commit, ctx.index)
            if target is None:
                yield finding(check_id, commit, (
                    f'a {kind}! commit is pushed, and the commit it names is not in this push, '
                    f'so --autosquash cannot fold it in'), edit_fix(commit, 'reword it'))
            else:
                yield finding(check_id, commit, (
                    f'a {kind}! commit is pushed unsquashed: the server checks its message as '
                    f'it is'), f'git rebase -i --autosquash {rebase_base(target)} '
                               f'(folds it into {target.short})')


class Messages(Stream):
    """A message check over a streamed push, in `check`'s order: the unsquashed fixups first,
    then what `judge` finds in the checked commits."""

    def __init__(self, ctx: Context, cfg: Config, check_id: str,
                 judge: Callable[[Sequence[Commit]], Iterable[Finding]]) -> None:
        self.ctx, self.check_id, self.judge = ctx, check_id, judge
        self.exempt = _exempt(ctx, cfg)
        self.early: list[Finding] = []
        self.late: list[Finding] = []

    def commits(self, batch: Sequence[Commit]) -> Iterable[Finding]:
        self.early += _unsquashed_in(self.ctx, self.exempt, self.check_id, batch)
        checked = list(_checked(self.ctx, self.exempt, batch))
        if checked:
            self.late += self.judge(checked)
        return ()

    def finish(self) -> Iterable[Finding]:
        return [*self.early, *self.late]


def autosquash_target(commit: Commit, pushed: Pushed) -> Commit | None:
    """The commit `git rebase --autosquash` folds `commit` into, among those pushed before it:
    the subject after every fixup!/squash!/amend! prefix, matched as git does (whole subject, a
    sha, a subject's start)."""
    wanted = subject(commit.message)
    while AUTOSQUASH.match(wanted):
        wanted = wanted.split('! ', 1)[1].strip()
    before = pushed.position(commit.sha)
    if before is None:
        return None
    lines = ((i, pushed.subject(i)) for i in reversed(range(before)))
    candidates = [(i, line.strip()) for i, line in lines if not AUTOSQUASH.match(line)]
    for matches in (lambda i, line: line == wanted,
                    lambda i, line: bool(wanted) and pushed.sha(i).startswith(wanted),
                    lambda i, line: bool(wanted) and line.startswith(wanted)):
        found = next((i for i, line in candidates if matches(i, line)), None)
        if found is not None:
            return pushed.commit(found)
    return None


def subject(message: str) -> str:
    return message.split('\n', 1)[0].strip()


def finding(check_id: str, commit: Commit, message: str, fix: str, line: int | None = None
            ) -> Finding:
    """A message finding, at the commit (or the message being written) it concerns. What it
    quotes of the message (a subject in a "reword it like" fix, a matched text) goes through
    `redact`: a credential pasted into a commit message is not printed back."""
    return Finding(check_id, Severity.ERROR, redact(message), redact(fix), ref=commit.ref,
                   commit=commit.sha, line=line)


# what a credential in a message looks like, without detect-secrets (too heavy for commit-msg):
# a private key's armour, a URL's password, the value after a secret-sounding key, and a long
# token holding digits (API keys, tokens; a 40-digit sha too, which costs nothing)
_SECRET_LIKE = re.compile(
    r'-----BEGIN [A-Z ]*PRIVATE KEY-----'
    r'|(?P<scheme>://)[^\s/@:]+:[^\s/@]+@'
    r'|(?P<key>(?i:password|passwd|secret|token|api[_-]?key)\s*[:=]\s*)[^\s\'"]+'
    r'|[A-Za-z0-9+/=_-]{20,}'
)


def redact(text: str) -> str:
    """`text` with every credential-like part replaced by `<redacted>`."""
    return _SECRET_LIKE.sub(_redacted, text)


def _redacted(match: re.Match[str]) -> str:
    if match['scheme']:
        return '://<redacted>@'
    if match['key']:
        return f'{match["key"]}<redacted>'
    if match[0].startswith('-----') or any(c.isdigit() for c in match[0]):
        return '<redacted>'
    return match[0]  # a long word, not a key: `internationalization`, `x-forwarded-for-header`


def edit_fix(commit: Commit, what: str) -> str:
    """`what` to change in the message, and for a commit already made, how to get at it."""
    if commit.sha is None:
        return what
    return f'{what}: {_reword(commit)}'


def reword_fix(commit: Commit, example: str) -> str:
    """How to change the message: reword the pushed commit, or edit the message being written."""
    if commit.sha is None:
        return f'write the message like: {example}'
    return f'reword it like "{example}": {_reword(commit)}'


def _reword(commit: Commit) -> str:
    return (f'git rebase -i {rebase_base(commit)} (mark the commit "reword"), '
            f'or git commit --amend for the last commit')
