"""dco: the message has no `Signed-off-by: Name <email>` trailer matching the commit's author.

Mirrors GitLab's `reject_non_dco_commits` push rule (Developer Certificate of Origin). The trailer
is a line of the body (never the subject), `Signed-off-by: Name <email>` as `git commit -s`
writes it (the token in any case). It passes when one such trailer's email is the author's email
(compared case-insensitively). A message not yet committed (the commit-msg hook) has no author
yet, so there any well-formed `Signed-off-by` trailer passes.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pushguard.checks._message import Messages, finding, rebase_base
from pushguard.checks._stream import whole
from pushguard.config import Config
from pushguard.text import message_text
from pushguard.model import Commit, Context, Finding, Need

ID = 'dco'
NEEDS = frozenset({Need.MESSAGES})
_SIGNED_OFF = re.compile(
    r'signed-off-by:[ \t]*(?P<name>[^<>\n]*?)[ \t]*<(?P<email>[^<>\s]+)>[ \t]*', re.IGNORECASE,
)


def signers(message: str) -> list[str]:
    """The emails of the body's well-formed Signed-off-by trailers, in order."""
    lines = message_text(message).split('\n')[1:]
    return [match['email'] for line in lines
            if (match := _SIGNED_OFF.fullmatch(line)) and match['name']]


def _fix(commit: Commit) -> str:
    if commit.sha is None:
        return ('commit with -s (git commit -s), or add the line '
                '"Signed-off-by: Your Name <your@email>" at the end of the message')
    return (f'git commit --amend -s --no-edit for the last commit, or '
            f'git rebase --signoff {rebase_base(commit)} '
            f'to sign off this commit and the ones after it')


def problem(commit: Commit) -> str | None:
    emails = signers(commit.message)
    if not emails:
        return 'no "Signed-off-by: Name <email>" trailer (DCO sign-off)'
    author = commit.author_email.strip().lower()
    if author and author not in (email.lower() for email in emails):
        return (f'no Signed-off-by trailer matches the author {commit.author_email} '
                f'(signed off by {", ".join(emails)})')
    return None


def stream(ctx: Context, cfg: Config) -> Messages:
    return Messages(ctx, cfg, ID, _judged)


def _judged(commits: Sequence[Commit]) -> Iterator[Finding]:
    for commit in commits:
        why = problem(commit)
        if why is not None:
            yield finding(ID, commit, why, _fix(commit))


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
