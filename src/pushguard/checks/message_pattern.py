"""message-pattern: the message misses `commit.pattern`, or matches `commit.forbidden-pattern`.

Mirrors GitHub's `commit_message_pattern` and GitLab's `commit_message_regex` /
`commit_message_negative_regex`. Both patterns are regexes with RE2's syntax and semantics (as the
forges run them: pushguard.patterns), searched (not anchored) in the whole message with no flags:
`^` and `$` are the message's start and end, not each line's (add `(?m)` to the pattern for per-line
anchors). The message is taken without its trailing newlines, so a commit being written and the same
commit pushed get the same verdict.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from pushguard import patterns
from pushguard.checks._message import Messages, edit_fix, finding
from pushguard.checks._stream import whole
from pushguard.config import Config
from pushguard.text import message_text
from pushguard.model import Commit, Context, Finding, Need

ID = 'message-pattern'
NEEDS = frozenset({Need.MESSAGES})


def mismatches(message: str, pattern: str, forbidden: str) -> Iterator[tuple[str, str]]:
    """(why, what to change) for each pattern `message` breaks."""
    body = message_text(message)
    if pattern and not patterns.compile(pattern, 'commit.pattern').search(body):
        yield (f'the message does not match the required pattern {pattern!r}',
               f'edit the message so that it matches {pattern!r}')
    found = (patterns.compile(forbidden, 'commit.forbidden-pattern').search(body) if forbidden
             else None)
    if found is not None:
        what = repr(found[0]) if found[0] else f'the text at offset {found.start()}'
        yield (f'the message contains {what}, which the forbidden pattern {forbidden!r} matches',
               f'edit the message to remove {what}')


def stream(ctx: Context, cfg: Config) -> Messages:
    # fixups are said whatever is set, so that they are said once
    return Messages(ctx, cfg, ID, lambda commits: _judged(commits, cfg))


def _judged(commits: Sequence[Commit], cfg: Config) -> Iterator[Finding]:
    if not (cfg.pattern or cfg.forbidden_pattern):
        return
    for commit in commits:
        for why, what in mismatches(commit.message, cfg.pattern, cfg.forbidden_pattern):
            yield finding(ID, commit, why, edit_fix(commit, what))


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
