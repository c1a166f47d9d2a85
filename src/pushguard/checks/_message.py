"""Message helpers shared by the message checks: exemptions, subject and body."""
from __future__ import annotations

from collections.abc import Iterator

from pushguard import patterns
from pushguard.config import Config
from pushguard.model import Commit, Context, Finding, Severity


def checked_commits(ctx: Context, cfg: Config) -> Iterator[Commit]:
    """The commits whose messages are checked: not exempt (merges, reverts, fixup!, ...)."""
    exempt = [patterns.compile(pattern, 'commit.exempt', cfg.source) for pattern in cfg.exempt]
    for commit in ctx.commits:
        if not any(p.search(commit.message) for p in exempt):
            yield commit


def subject(message: str) -> str:
    return message.split('\n', 1)[0].strip()


def finding(check_id: str, commit: Commit, message: str, fix: str, line: int | None = None
            ) -> Finding:
    """A message finding, at the commit (or the message being written) it concerns."""
    return Finding(check_id, Severity.ERROR, message, fix, ref=commit.ref, commit=commit.sha,
                   line=line)


def rebase_base(commit: Commit) -> str:
    """What `git rebase` needs to reach `commit`: its parent, or --root for a root commit."""
    assert commit.sha is not None
    return f'{commit.sha[:12]}~1' if commit.parents else '--root'


def edit_fix(commit: Commit, what: str) -> str:
    """`what` to change in the message, and for a commit already made, how to get at it."""
    if commit.sha is None:
        return what
    return (f'{what}: git rebase -i {rebase_base(commit)} (mark the commit "reword"), '
            f'or git commit --amend for the last commit')


def reword_fix(commit: Commit, example: str) -> str:
    """How to change the message: reword the pushed commit, or edit the message being written."""
    if commit.sha is None:
        return f'write the message like: {example}'
    return (f'reword it like "{example}": git rebase -i {rebase_base(commit)} '
            f'(mark the commit "reword"), or git commit --amend for the last commit')
