"""conventional-commit: the message breaks Conventional Commits 1.0.0, or its type/scope is barred.

Mirrors the commit-message rules servers use to enforce Conventional Commits (GitHub's
`commit_message_pattern`, GitLab's `commit_message_regex`). What fails:

- a header that is not `type(scope)!: description`; exactly one space after the colon and a
  non-empty description;
- a type not in `[commit.conventional] types` (an empty list allows any type). Types are compared
  exactly as configured: the spec lets tools accept `Feat`, but a team that lists `feat` wants
  `feat`, so `Feat` fails with the lowercase type as the fix;
- an empty scope `feat(): ...`, a scope not in `scopes` (when that list is not empty), and no
  scope when `require-scope` is true;
- a body that does not start after exactly one blank line;
- a footer whose token has spaces (`Reviewed by: Z`: tokens join words with `-`; only
  `BREAKING CHANGE` may have a space), and a `BREAKING CHANGE` / `BREAKING-CHANGE` footer that
  is not uppercase or not followed by `: ` and a description.

The footers are the message's last paragraph when its first line is a footer (`Token: value` or
`Token #value`); a footer's value may run over several lines, as the spec allows.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from pushguard._typing import NamedTuple
from pushguard.checks._message import checked_commits, edit_fix, finding, reword_fix
from pushguard.config import Config, Conventional
from pushguard.model import Commit, Context, Finding, Need

ID = 'conventional-commit'
NEEDS = frozenset({Need.MESSAGES})
SPEC_FORM = '`type(scope): description`'
_HEADER = re.compile(
    r'(?P<type>[^\s():!]+)(?:\((?P<scope>[^()]*)\))?(?P<bang>!)?:'
    r'(?P<space>[ \t]*)(?P<description>.*)',
)
_SCOPE_AND_BANG = re.compile(r'(?:\([^()]*\))?!?')
_FOOTER = re.compile(r'(?:BREAKING CHANGE|[A-Za-z0-9][A-Za-z0-9-]*)(?:: | #)')
_SPACED_TOKEN = re.compile(
    r'(?P<token>[A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+){1,3})(?P<sep>: | #)(?P<value>.*)',
)
_BREAKING = re.compile(r'(?P<token>breaking[ -]change)\s*(?P<sep>[:#])(?P<value>.*)', re.IGNORECASE)


class Problem(NamedTuple):
    why: str
    fix: str | None = None  # None: show the corrected header
    line: int | None = None


class Header(NamedTuple):
    type: str
    scope: str | None
    bang: bool
    space: str
    description: str

    def render(self) -> str:
        scope = f'({self.scope})' if self.scope is not None else ''
        return f'{self.type}{scope}{"!" if self.bang else ""}:{self.space}{self.description}'


def lines_of(message: str) -> list[str]:
    return message.replace('\r\n', '\n').rstrip('\n').split('\n')


def parse_header(line: str) -> Header | None:
    match = _HEADER.fullmatch(line)
    if match is None:
        return None
    return Header(match['type'], match['scope'], bool(match['bang']), match['space'],
                  match['description'])


def _default_type(rules: Conventional) -> str:
    return 'feat' if 'feat' in rules.types or not rules.types else rules.types[0]


def _closest(word: str, allowed: tuple[str, ...]) -> str | None:
    import difflib  # only when a message fails: the hook's start-up does not pay for it
    close = difflib.get_close_matches(word.lower(), allowed, n=1)
    return close[0] if close else None


def _closest_type(wrong: str, rules: Conventional) -> str:
    if wrong.lower() in rules.types:
        return wrong.lower()
    return _closest(wrong, rules.types) or _default_type(rules)


def _not_a_header(line: str, rules: Conventional) -> tuple[str, str]:
    """Why `line` is no header at all, and the line rewritten as one."""
    first, _, rest = line.strip().partition(' ')
    if first.lower() in rules.types and rest:
        example = f'{first.lower()}: {rest}'
    else:
        example = f'{_default_type(rules)}: {line.strip() or "describe the change"}'
    if not line.strip():
        return 'the header (first line) is empty', example
    prefix, colon, description = line.partition(':')
    words = prefix.split()
    if (colon and words and prefix != words[0]
            and (not rules.types or words[0].lower() in rules.types)
            and _SCOPE_AND_BANG.fullmatch(''.join(words[1:]))):
        return ('no space is allowed in the type(scope) prefix nor before the colon',
                f'{"".join(words)}: {description.strip()}')
    if colon and '(' in prefix and ')' not in prefix:
        return "the scope's parenthesis is not closed", f'{prefix.strip()}): {description.strip()}'
    return f'the header does not start with {SPEC_FORM}', example


def _type_problems(header: Header, rules: Conventional) -> Iterator[tuple[str, Header]]:
    if rules.types and header.type not in rules.types:
        allowed = ', '.join(rules.types)
        why = f'type {header.type!r} is not allowed (allowed: {allowed})'
        if header.type.lower() in rules.types:
            why = f'type {header.type!r} must be written {header.type.lower()!r}'
        yield why, header._replace(type=_closest_type(header.type, rules))


def _scope_problems(header: Header, rules: Conventional) -> Iterator[tuple[str, Header]]:
    suggested = rules.scopes[0] if rules.scopes else 'scope'
    if header.scope is not None and not header.scope.strip():
        scope = suggested if rules.require_scope else None
        yield 'the scope in parentheses is empty', header._replace(scope=scope)
    elif header.scope is not None and rules.scopes and header.scope not in rules.scopes:
        yield (f'scope {header.scope!r} is not allowed (allowed: {", ".join(rules.scopes)})',
               header._replace(scope=_closest(header.scope, rules.scopes) or suggested))
    elif header.scope is None and rules.require_scope:
        yield 'a scope is required: type(scope): description', header._replace(scope=suggested)


def _description_problems(header: Header) -> Iterator[tuple[str, Header]]:
    if not header.description.strip():
        yield 'the description after the colon is empty', header._replace(
            space=' ', description='describe the change')
    elif header.space != ' ':
        why = ('a space is needed after the colon' if not header.space
               else 'exactly one space must follow the colon')
        yield why, header._replace(space=' ')


def header_problems(line: str, rules: Conventional) -> Iterator[Problem]:
    header = parse_header(line)
    if header is None:
        why, example = _not_a_header(line, rules)
        yield Problem(why, example, 1)
        return
    found = [*_type_problems(header, rules), *_scope_problems(header, rules),
             *_description_problems(header)]
    fixed = header
    for _, corrected in found:  # apply every correction, so each finding shows the full fix
        fixed = fixed._replace(**{field: getattr(corrected, field) for field in Header._fields
                                  if getattr(corrected, field) != getattr(header, field)})
    for why, _ in found:
        yield Problem(why, fixed.render(), 1)


def body_problems(lines: list[str]) -> Iterator[Problem]:
    if len(lines) > 1 and lines[1].strip():
        yield Problem('the body must start after one blank line (line 2 is not blank)',
                      'put one blank line between the header and the body', 2)
    elif len(lines) > 3 and not lines[2].strip() and any(line.strip() for line in lines[3:]):
        yield Problem('the body must start after exactly one blank line, not several',
                      'leave exactly one blank line between the header and the body', 3)


def _footer_start(lines: list[str]) -> int | None:
    """Index of the footers' first line: the last paragraph, when it starts with a footer."""
    start = len(lines)
    while start > 2 and lines[start - 1].strip():
        start -= 1
    if 2 <= start < len(lines) and (_FOOTER.match(lines[start])
                                    or _SPACED_TOKEN.fullmatch(lines[start])):
        return start
    return None


def footer_problems(lines: list[str]) -> Iterator[Problem]:
    start = _footer_start(lines)
    for index in range(1, len(lines)):
        line = lines[index]
        breaking = _BREAKING.match(line)
        if breaking:
            yield from _breaking_problems(line, breaking, index + 1)
        elif start is not None and index >= start:
            spaced = _SPACED_TOKEN.fullmatch(line)
            if spaced:
                token = spaced['token'].replace(' ', '-')
                yield Problem(
                    f'footer token {spaced["token"]!r} has spaces: footer tokens join words '
                    f'with "-" (only BREAKING CHANGE may have a space)',
                    f'write the footer as "{token}{spaced["sep"]}{spaced["value"]}"', index + 1,
                )


def _breaking_problems(line: str, match: re.Match[str], line_no: int) -> Iterator[Problem]:
    token, value = match['token'], match['value'].strip()
    fixed_token = token.upper()
    if token != fixed_token:
        yield Problem(f'the footer token {token!r} must be uppercase: {fixed_token}',
                      f'write the footer as "{fixed_token}: {value or "what breaks"}"', line_no)
    elif not (line.startswith(f'{token}: ') and value):
        yield Problem(f'{token} must be followed by ": " and a description',
                      f'write the footer as "{token}: {value or "what breaks"}"', line_no)


def problems(message: str, rules: Conventional) -> Iterator[Problem]:
    """Every way `message` breaks Conventional Commits 1.0.0 or the configured rules."""
    lines = lines_of(message)
    yield from header_problems(lines[0], rules)
    yield from body_problems(lines)
    yield from footer_problems(lines)


def _finding(commit: Commit, problem: Problem) -> Finding:
    is_header = problem.line == 1
    fix = (reword_fix(commit, problem.fix or '') if is_header
           else edit_fix(commit, problem.fix or ''))
    return finding(ID, commit, problem.why, fix, problem.line)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    rules = cfg.conventional or Conventional()
    for commit in checked_commits(ctx, cfg):
        for problem in problems(commit.message, rules):
            yield _finding(commit, problem)
