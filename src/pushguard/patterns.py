"""The user's regular expressions, with RE2's semantics: no pattern can hang a commit.

Python's `re` backtracks: `^(a+)+$` against thirty `a`s and a `!` runs for minutes. RE2 (the
engine GitHub's and GitLab's push rules use) runs in time linear in the text, and refuses what it
cannot do so (look-arounds, back-references), which is then a one-line config error naming the
key. RE2 (google-re2) is imported only for a pattern that needs it: a literal prefix such as the
default exemptions (`^Merge `) cannot backtrack and means the same in `re`, which a hook has
imported anyway.
"""
from __future__ import annotations

import re

from pushguard._typing import TYPE_CHECKING
from pushguard.errors import ConfigError

if TYPE_CHECKING:
    from typing import Protocol

    class Match(Protocol):
        def __getitem__(self, group: int) -> str: ...
        def start(self) -> int: ...

    class Pattern(Protocol):
        @property
        def pattern(self) -> str: ...

        def search(self, text: str) -> Match | None: ...

# characters that stand for themselves in both engines (with `\\`, any punctuation does)
_LITERAL = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
                     ' !"#%&\',/:;<=>@_`~-')
_PUNCTUATION = frozenset('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
_compiled: dict[str, Pattern] = {}
# Python's spellings that RE2 writes otherwise (and `\\.`, to step over escaped backslashes)
_PYTHON_ESCAPE = r'(?s)\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|Z|.)'


class Invalid(ValueError):
    """RE2 cannot take the pattern; the message says why."""


def compile(pattern: str, key: str, source: str = '') -> Pattern:
    """`pattern` (the value of config `key` in `source`) compiled with RE2's semantics; a
    ConfigError naming the key when RE2 cannot take it."""
    try:
        return _compile(pattern)
    except Invalid as e:
        where = f'{source}: ' if source else ''
        raise ConfigError(f'{where}key {key}: {e}') from None


def _compile(pattern: str) -> Pattern:
    """The compiled pattern; Invalid when RE2 cannot take it."""
    compiled = _compiled.get(pattern)
    if compiled is None:
        compiled = _compiled[pattern] = _build(pattern)
    return compiled


def compiled_or_none(pattern: str) -> Pattern | None:
    """The compiled pattern, or None when RE2 cannot take it: for patterns that come from a
    forge, where a rule pushguard cannot run is left to the server, not a config error."""
    try:
        return _compile(pattern)
    except Invalid:
        return None


def check(pattern: object) -> None:
    """Invalid (with why) unless `pattern` is a string RE2 takes: for config validation."""
    if not isinstance(pattern, str):
        raise Invalid(f'expected a regular expression (a string), got {pattern!r}')
    _compile(pattern)


def _build(pattern: str) -> Pattern:
    if _is_literal(pattern):
        return re.compile(pattern)
    import re2
    options = re2.Options()
    options.log_errors = False  # RE2 writes its own copy of the error to stderr otherwise
    try:
        compiled: Pattern = re2.compile(re.sub(_PYTHON_ESCAPE, _as_re2, pattern), options)
    except re2.error as e:
        why = e.args[0].decode('utf-8', 'replace') if e.args and isinstance(e.args[0], bytes) \
            else str(e)
        why += _hint(why)
        raise Invalid(f'{pattern!r} is not a regular expression RE2 can run: {why}') from None
    except TypeError as e:
        raise Invalid(f'{pattern!r}: {e}') from None
    return compiled


def _is_literal(pattern: str) -> bool:
    """`^` or nothing, then only characters that match themselves: no repetition, so no
    backtracking, and the same meaning in `re` and RE2."""
    rest = pattern[1:] if pattern.startswith('^') else pattern
    escaped = False
    for char in rest:
        if escaped:
            if char not in _PUNCTUATION:
                return False
            escaped = False
        elif char == '\\':
            escaped = True
        elif char not in _LITERAL:
            return False
    return not escaped


def _hint(why: str) -> str:
    if 'perl operator' in why or why[-2:-1] == '\\' and why[-1:].isdigit():
        return ' (RE2 has no look-arounds or back-references)'
    return ''


def _as_re2(escape: re.Match[str]) -> str:
    """`\\uFFFD` -> `\\x{FFFD}`, `\\Z` -> `\\z`: the same meaning in RE2's syntax."""
    what = escape[1]
    if what == 'Z':
        return '\\z'
    if len(what) > 1:
        return f'\\x{{{what[1:]}}}'
    return escape[0]
