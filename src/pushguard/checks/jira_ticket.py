"""jira-ticket: the message names no issue key (PROJ-123) of an allowed project.

Mirrors GitHub's `commit_message_pattern`, GitLab's `commit_message_regex` and Bitbucket's commit
checkers, as commonly set up to require a Jira key. Keys are uppercase and whole words: `XPROJ-1`
is not `PROJ-1`, `PROJ-` is not a key.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from pushguard.checks._message import checked_commits, finding, reword_fix, subject
from pushguard.config import Config, Jira
from pushguard.model import Context, Finding, Need

ID = 'jira-ticket'
NEEDS = frozenset({Need.MESSAGES})
ANY_PROJECT = r'[A-Z][A-Z0-9_]+'
_CONVENTIONAL_SCOPE = re.compile(r'[^\s(:!]+\(([^)]*)\)!?:')


def key_pattern(projects: tuple[str, ...]) -> re.Pattern[str]:
    """A whole-word issue key of one of `projects` (any project when empty)."""
    names = '|'.join(map(re.escape, projects)) if projects else ANY_PROJECT
    return re.compile(rf'(?<![A-Za-z0-9_-])(?:{names})-[1-9][0-9]*(?![A-Za-z0-9_])')


def where_to_look(message: str, where: str) -> str:
    """The part of the message a key must be in, for `[commit.jira] where`."""
    if where == 'anywhere':
        return message
    if where == 'scope':
        scope = _CONVENTIONAL_SCOPE.match(subject(message))
        return scope[1] if scope else ''
    return subject(message)


def find_key(message: str, jira: Jira) -> str | None:
    found = key_pattern(jira.projects).search(where_to_look(message, jira.where))
    return found[0] if found else None


def _describe(jira: Jira) -> str:
    projects = ', '.join(jira.projects) if jira.projects else 'any project'
    place = {'subject': 'in the subject line', 'anywhere': 'in the message',
             'scope': 'as the Conventional Commits scope'}[jira.where]
    return f'no Jira issue key ({projects}) {place}'


def _example(jira: Jira) -> str:
    key = f'{jira.projects[0] if jira.projects else "PROJ"}-123'
    return f'feat({key}): add login' if jira.where == 'scope' else f'{key} add login'


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    jira = cfg.jira or Jira()
    for commit in checked_commits(ctx, cfg):
        if find_key(commit.message, jira) is None:
            yield finding(ID, commit, _describe(jira), reword_fix(commit, _example(jira)))
