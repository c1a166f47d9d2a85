"""Jira issue keys: where a message has one, the branch's key, and a subject with a key put where
`[commit.jira] where` looks. Shared by jira-ticket, conventional-commit's suggestion that passes
both, and the hooks that write the branch's key into a message.
"""
from __future__ import annotations

import re

from pushguard.checks._message import subject
from pushguard.config import Jira
from pushguard.model import Commit

ANY_PROJECT = r'[A-Z][A-Z0-9_]+'
# a word that looks like a key: the findings say why it is not one
LOOKALIKE = re.compile(r'(?<![A-Za-z0-9_-])([A-Za-z][A-Za-z0-9_]*)-([0-9]+)(?![A-Za-z0-9_])')
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


def with_required_key(line: str, commit: Commit, jira: Jira) -> str:
    """`line` (a subject) with a key where jira-ticket looks for it, unless it has one there:
    the branch's key, else a placeholder of the first allowed project."""
    if find_key(line, jira) is not None:
        return line
    upper = LOOKALIKE.sub(lambda m: m[0].upper() if m[1].upper() in jira.projects else m[0],
                           line)
    if find_key(upper, jira) is not None:  # `proj-12 add login` -> `PROJ-12 add login`
        return upper
    branch = (commit.ref or '').removeprefix('refs/heads/')
    key = branch_key(branch, jira) or f'{jira.projects[0] if jira.projects else "PROJ"}-123'
    line = line or 'describe the change'
    prefix = _PREFIX.match(line)
    if jira.where == 'scope' and (prefix is None or prefix['scope'] is not None):
        kind, rest = (prefix['type'], line[prefix.end():]) if prefix else ('feat', line)
        return f'{kind}({key}): {rest}'
    return with_key(line, key, jira.where)
