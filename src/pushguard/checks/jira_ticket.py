"""jira-ticket: the message names no issue key (PROJ-123) of an allowed project.

Mirrors GitHub's `commit_message_pattern`, GitLab's `commit_message_regex` and Bitbucket's commit
checkers, as commonly set up to require a Jira key. Keys are uppercase and whole words: `XPROJ-1`
is not `PROJ-1`, `PROJ-` is not a key. A finding says why a key-like word was not taken (lower
case, a project not allowed, issue number 0, in the body when the subject is asked for), and its
example passes conventional-commit too when that check is configured.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from pushguard.checks._message import checked_commits, finding, reword_fix, subject, unsquashed
from pushguard.config import Config, Jira
from pushguard.model import Commit, Context, Finding, Need

ID = 'jira-ticket'
NEEDS = frozenset({Need.MESSAGES})
ANY_PROJECT = r'[A-Z][A-Z0-9_]+'
# a Conventional Commits prefix; the colon must end a word, so `http://...` is no prefix
# a word that looks like a key: the findings say why it is not one
_LOOKALIKE = re.compile(r'(?<![A-Za-z0-9_-])([A-Za-z][A-Za-z0-9_]*)-([0-9]+)(?![A-Za-z0-9_])')
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


def with_required_key(line: str, commit: Commit, jira: Jira) -> str:
    """`line` (a subject) with a key where jira-ticket looks for it, unless it has one there:
    the branch's key, else a placeholder of the first allowed project."""
    if find_key(line, jira) is not None:
        return line
    upper = _LOOKALIKE.sub(lambda m: m[0].upper() if m[1].upper() in jira.projects else m[0],
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
    for match in _LOOKALIKE.finditer(message):
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


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    jira = cfg.jira or Jira()
    yield from unsquashed(ctx, cfg, ID)
    for commit in checked_commits(ctx, cfg):
        if find_key(commit.message, jira) is None:
            fix = reword_fix(commit, _example(commit, cfg, jira))
            yield finding(ID, commit, _why(commit.message, jira), fix)
