"""conventional-commit: the message breaks Conventional Commits 1.0.0, or its type/scope is barred.

Mirrors the commit-message rules servers use to enforce Conventional Commits (GitHub's
`commit_message_pattern`, GitLab's `commit_message_regex`). What fails:

- a header that is not `type(scope)!: description`; exactly one space after the colon and a
  non-empty description;
- a type not in `[commit.conventional] types` (an empty list allows any type). Types are compared
  without case, as clause 15 of the spec says (`CI:` is `ci`); `lowercase-type = true` makes
  `Feat` fail with `feat` as the fix, as commitlint's `type-case` rule does;
- an empty scope `feat(): ...`, a scope not in `scopes` (when that list is not empty), and no
  scope when `require-scope` is true;
- a body that does not start after a blank line (a line of only whitespace, `\r` included, is
  blank);
- in the footers, a `BREAKING CHANGE` / `BREAKING-CHANGE` footer that is not uppercase or not
  followed by `: ` and a description.

The footers are the message's last paragraph when its first line is a footer (`Token: value` or
`Token #value`, a token being one word or `BREAKING CHANGE`); any other last paragraph is body
(`See more: <url>`, `related to #418`: clause 9). Inside the footers a line that starts no footer
continues the previous footer's value (clause 10).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pushguard._typing import NamedTuple
from pushguard.checks._message import Messages, edit_fix, finding, reword_fix
from pushguard.checks._stream import whole
from pushguard.config import Config, Conventional, Jira
from pushguard.model import Commit, Context, Finding, Need

ID = 'conventional-commit'
NEEDS = frozenset({Need.MESSAGES})
SPEC_FORM = '`type(scope): description`'
_HEADER = re.compile(
    r'(?P<type>[^\s():!]+)(?:\((?P<scope>[^()]*)\))?(?P<bang>!)?:'
    r'(?P<space>[ \t]*)(?P<description>.*)',
)
_SCOPE_AND_BANG = re.compile(r'(?:\([^()]*\))?!?')
# a footer's first line: a token without whitespace (or BREAKING CHANGE), then ": " or " #"
_FOOTER = re.compile(r'(?:BREAKING CHANGE|[^\s:]+)(?:: | #)')
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
    """The message's lines; a CR ending a line is dropped, so a line of only `\r` is blank."""
    return [line.removesuffix('\r') for line in message.rstrip('\r\n').split('\n')]


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


def _allowed_type(word: str, rules: Conventional) -> str | None:
    """The configured type `word` is, compared without case (clause 15); None when none is."""
    if not rules.types:
        return word
    return next((t for t in rules.types if t.lower() == word.lower()), None)


def _closest_type(wrong: str, rules: Conventional) -> str:
    allowed = _allowed_type(wrong, rules)
    if allowed is not None:
        return allowed.lower() if rules.lowercase_type else allowed
    return _closest(wrong, rules.types) or _default_type(rules)


def _not_a_header(line: str, rules: Conventional) -> tuple[str, str]:
    """Why `line` is no header at all, and the line rewritten as one."""
    first, _, rest = line.strip().partition(' ')
    if rules.types and _allowed_type(first, rules) is not None and rest:
        example = f'{_closest_type(first, rules)}: {rest}'
    else:
        example = f'{_default_type(rules)}: {line.strip() or "describe the change"}'
    if not line.strip():
        return 'the header (first line) is empty', example
    prefix, colon, description = line.partition(':')
    words = prefix.split()
    if (colon and words and prefix != words[0]
            and _allowed_type(words[0], rules) is not None
            and _SCOPE_AND_BANG.fullmatch(''.join(words[1:]))):
        return ('no space is allowed in the type(scope) prefix nor before the colon',
                f'{"".join(words)}: {description.strip()}')
    if colon and '(' in prefix and ')' not in prefix:
        return "the scope's parenthesis is not closed", f'{prefix.strip()}): {description.strip()}'
    return f'the header does not start with {SPEC_FORM}', example


def _type_problems(header: Header, rules: Conventional) -> Iterator[tuple[str, Header]]:
    fixed = header._replace(type=_closest_type(header.type, rules))
    if _allowed_type(header.type, rules) is None:
        yield f'type {header.type!r} is not allowed (allowed: {", ".join(rules.types)})', fixed
    elif rules.lowercase_type and header.type != header.type.lower():
        yield (f'type {header.type!r} must be written {header.type.lower()!r} '
               f'([commit.conventional] lowercase-type)', fixed)


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


def footer_start(lines: list[str]) -> int | None:
    """Index of the footers' first line: the last paragraph, when its first line is a footer.

    Any other last paragraph is body: a token with whitespace is how the spec tells a body
    paragraph from a footer (clause 9). A misspelt BREAKING CHANGE still starts the footers,
    so that it is reported.
    """
    start = len(lines)
    while start > 2 and lines[start - 1].strip():
        start -= 1
    if 2 <= start < len(lines) and not lines[start - 1].strip() and (
            _FOOTER.match(lines[start]) or _BREAKING.match(lines[start])):
        return start
    return None


def footer_problems(lines: list[str]) -> Iterator[Problem]:
    start = footer_start(lines)
    if start is None:
        return
    for index in range(start, len(lines)):
        breaking = _BREAKING.match(lines[index])
        if breaking:
            yield from _breaking_problems(lines[index], breaking, index + 1)


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


def fixed_header(line: str, rules: Conventional) -> str:
    """`line` as a header that passes: every correction applied; `line` itself when it passes."""
    fixes = [problem.fix for problem in header_problems(line, rules)]
    return fixes[0] or line if fixes else line


def _finding(commit: Commit, problem: Problem, jira: Jira | None) -> Finding:
    if problem.line != 1:
        return finding(ID, commit, problem.why, edit_fix(commit, problem.fix or ''), problem.line)
    example = problem.fix or ''
    if jira is not None:  # one suggestion that passes jira-ticket too
        from pushguard.checks._jira_keys import with_required_key
        example = with_required_key(example, commit, jira)
    return finding(ID, commit, problem.why, reword_fix(commit, example), problem.line)


def stream(ctx: Context, cfg: Config) -> Messages:
    rules = cfg.conventional or Conventional()
    return Messages(ctx, cfg, ID, lambda commits: _judged(commits, rules, cfg.jira))


def _judged(commits: Sequence[Commit], rules: Conventional, jira: Jira | None
            ) -> Iterator[Finding]:
    for commit in commits:
        for problem in problems(commit.message, rules):
            yield _finding(commit, problem, jira)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
