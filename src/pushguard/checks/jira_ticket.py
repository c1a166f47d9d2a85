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
from pushguard.model import Commit, Context, Finding, Need

ID = 'jira-ticket'
NEEDS = frozenset({Need.MESSAGES})
ANY_PROJECT = r'[A-Z][A-Z0-9_]+'
# a Conventional Commits prefix; the colon must end a word, so `http://...` is no prefix
_PREFIX = re.compile(r'(?P<type>[^\s():!]+)(?P<scope>\([^()]*\))?(?P<bang>!)?:(?:[ \t]+|$)')


def key_pattern(projects: tuple[str, ...]) -> re.Pattern[str]:
    """A whole-word issue key of one of `projects` (any project when empty)."""
    names = '|'.join(map(re.escape, projects)) if projects else ANY_PROJECT
    return re.compile(rf'(?<![A-Za-z0-9_-])(?:{names})-[1-9][0-9]*(?![A-Za-z0-9_])')


def where_to_look(message: str, where: str) -> str:
    """The part of the message a key must be in, for `[commit.jira] where`."""
    if where == 'anywhere':
        return message
    if where == 'scope':
        prefix = _PREFIX.match(subject(message))
        return prefix['scope'][1:-1] if prefix and prefix['scope'] else ''
    return subject(message)


def find_key(message: str, jira: Jira) -> str | None:
    found = key_pattern(jira.projects).search(where_to_look(message, jira.where))
    return found[0] if found else None


def _describe(jira: Jira) -> str:
    projects = ', '.join(jira.projects) if jira.projects else 'any project'
    place = {'subject': 'in the subject line', 'anywhere': 'in the message',
             'scope': 'as the Conventional Commits scope'}[jira.where]
    return f'no Jira issue key ({projects}) {place}'


def branch_key(branch: str, jira: Jira) -> str | None:
    """The first issue key of an allowed project in the branch name.

    Unlike in a message, `-` and `_` may surround the key: `bugfix-PROJ-12`, `ada_PROJ-12_x`.
    """
    names = '|'.join(map(re.escape, jira.projects)) if jira.projects else ANY_PROJECT
    found = re.search(rf'(?<![A-Za-z0-9])(?:{names})-[1-9][0-9]*(?![A-Za-z0-9])', branch)
    return found[0] if found else None


def with_key(subject_line: str, key: str, where: str) -> str:
    """`subject_line` with `key` put where `[commit.jira] where` looks for it."""
    text = subject_line.lstrip()
    indent = subject_line[:len(subject_line) - len(text)]
    prefix = _PREFIX.match(text)
    if prefix is None:
        return f'{indent}{key} {text}'
    rest = text[prefix.end():]
    if where == 'scope' and prefix['scope'] is None:
        return f'{indent}{prefix["type"]}({key}){"!" if prefix["bang"] else ""}: {rest}'
    return f'{indent}{text[:prefix.end()].rstrip()} {key} {rest}'


def _example(commit: Commit, jira: Jira) -> str:
    """The commit's own subject with a key where it belongs: the branch's key, or a placeholder."""
    branch = (commit.ref or '').removeprefix('refs/heads/')
    key = branch_key(branch, jira) or f'{jira.projects[0] if jira.projects else "PROJ"}-123'
    line = subject(commit.message) or 'describe the change'
    prefix = _PREFIX.match(line)
    if jira.where == 'scope' and (prefix is None or prefix['scope'] is not None):
        kind, rest = (prefix['type'], line[prefix.end():]) if prefix else ('feat', line)
        return f'{kind}({key}): {rest}'
    return with_key(line, key, jira.where)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    jira = cfg.jira or Jira()
    for commit in checked_commits(ctx, cfg):
        if find_key(commit.message, jira) is None:
            fix = reword_fix(commit, _example(commit, jira))
            yield finding(ID, commit, _describe(jira), fix)
