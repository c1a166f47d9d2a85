"""jira-ticket: the message names no issue key (PROJ-123) of an allowed project.

Mirrors GitHub's `commit_message_pattern`, GitLab's `commit_message_regex` and Bitbucket's commit
checkers, as commonly set up to require a Jira key. Keys are uppercase and whole words: `XPROJ-1`
is not `PROJ-1`, `PROJ-` is not a key. A finding says why a key-like word was not taken (lower
case, a project not allowed, issue number 0, in the body when the subject is asked for), and its
example passes conventional-commit too when that check is configured.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from pushguard.checks._jira_keys import (
    LOOKALIKE, find_key, where_to_look, with_required_key,
)
from pushguard.checks._message import Messages, finding, reword_fix, subject
from pushguard.checks._stream import whole
from pushguard.config import Config, Jira
from pushguard.model import Commit, Context, Finding, Need

ID = 'jira-ticket'
NEEDS = frozenset({Need.MESSAGES})
def _describe(jira: Jira) -> str:
    projects = ', '.join(jira.projects) if jira.projects else 'any project'
    place = {'subject': 'in the subject line', 'anywhere': 'in the message',
             'scope': 'as the Conventional Commits scope'}[jira.where]
    return f'no Jira issue key ({projects}) {place}'


def _example(commit: Commit, cfg: Config, jira: Jira) -> str:
    """The commit's own subject with a key where it belongs; a header that passes
    conventional-commit too when that check is configured, so one reword fixes both."""
    line = subject(commit.message)
    if cfg.conventional is not None:
        from pushguard.checks.conventional_commit import fixed_header
        line = fixed_header(line, cfg.conventional)
    return with_required_key(line, commit, jira)


def _lookalikes(message: str, jira: Jira) -> Iterator[str]:
    """Why each key-like word of `message` is not a key of an allowed project."""
    allowed = set(jira.projects)
    for match in LOOKALIKE.finditer(message):
        word, project, number = match[0], match[1], match[2]
        upper = project.upper()
        if project != upper:
            if upper in allowed:  # without a project list, `utf-8` is no near miss
                yield f'{word!r} is not a key: keys are upper case ({upper}-{number})'
        elif allowed and upper not in allowed:
            yield f'{word!r}: project {project} is not allowed'
        elif number.startswith('0'):
            yield f'{word!r} is not an issue: issue numbers start at 1'


def _why(message: str, jira: Jira) -> str:
    reasons = list(dict.fromkeys(_lookalikes(where_to_look(message, jira.where), jira)))
    if not reasons and jira.where != 'anywhere' and find_key(message, jira._replace(
            where='anywhere')):
        where = 'is not the scope' if jira.where == 'scope' else 'is not in the subject line'
        reasons = [f'the key in the message {where}']
    return _describe(jira) + (f' ({"; ".join(reasons[:3])})' if reasons else '')


def stream(ctx: Context, cfg: Config) -> Messages:
    """The messages a batch at a time; with `jira.url`, the keys they name are kept (with each
    commit's subject) and Jira is asked about them all at the end."""
    jira = cfg.jira or Jira()
    if not jira.url:
        return Messages(ctx, cfg, ID, lambda commits: _missing(commits, cfg, jira))
    from pushguard.checks import _jira_verify
    named: dict[str, list[Commit]] = {}

    def judge(commits: Sequence[Commit]) -> Iterator[Finding]:
        _jira_verify.add_named(named, commits, jira)
        return _missing(commits, cfg, jira)
    return _Verified(ctx, cfg, judge, lambda: _jira_verify.verified(named, ctx, cfg, jira))


class _Verified(Messages):
    """Messages, then Jira's word on the keys they named."""

    def __init__(self, ctx: Context, cfg: Config,
                 judge: Callable[[Sequence[Commit]], Iterable[Finding]],
                 then: Callable[[], Iterable[Finding]]) -> None:
        super().__init__(ctx, cfg, ID, judge)
        self.then = then

    def finish(self) -> Iterable[Finding]:
        return [*super().finish(), *self.then()]


def _missing(commits: Sequence[Commit], cfg: Config, jira: Jira) -> Iterator[Finding]:
    for commit in commits:
        if find_key(commit.message, jira) is None:
            fix = reword_fix(commit, _example(commit, cfg, jira))
            yield finding(ID, commit, _why(commit.message, jira), fix)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
