"""`[commit.style]` -> one gitlint LintConfig, every value checked against its option's type.

gitlint's own setters take any Python value and fail late, or not at all: `int([72])` raises
TypeError, `int(72.5)` quietly gives 72, a word `(` crashes the rule when it runs, a regex option
is compiled by `re` (which can hang). So each value is checked here by the type of the option it
sets; a regex option is run with RE2 semantics (pushguard.patterns). Imported by the schema (for
validation) and by commit-style; nothing here imports pushguard.config (no import cycle).
"""
from __future__ import annotations

from collections.abc import Mapping

from pushguard import patterns
from pushguard._typing import TYPE_CHECKING
from pushguard.checks import _gitlint

if TYPE_CHECKING:
    from typing import Any

    from gitlint.config import LintConfig

GENERAL = ('ignore', 'contrib')
UNSUPPORTED = {
    'body-changed-file-mention': 'it needs the changed files, which message checks do not read',
    'B7': 'see body-changed-file-mention',
    'contrib-allowed-authors': 'it reads an AUTHORS file of the repository, which message checks '
                               'do not read; use [author] email = REGEX instead',
    'CC3': 'see contrib-allowed-authors',
}
_REGEX_CHARACTERS_SHOWN = '\\.^$*+?{}[]|()'
_REGEX_CHARACTERS = frozenset(_REGEX_CHARACTERS_SHOWN)
_MAX_INT = 2**31


class Invalid(Exception):
    """A `[commit.style]` key or value gitlint cannot take; the message says which and why."""


def _names(value: object, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(f'{key}: expected a list of gitlint rule names, got {value!r}')
    return value


def _known(config: LintConfig, wrong: str) -> str:
    import difflib
    names = [rule.name for rule in config.rules if rule.name not in UNSUPPORTED]
    close = difflib.get_close_matches(wrong, names, n=1)
    return f'did you mean {close[0]!r}?' if close else f'rules: {", ".join(names)}'


def _value(kind: str, rule: str, option: str, value: object) -> Any:
    """`value` as gitlint's option of class `kind` takes it; Invalid when it has the wrong type."""
    where = f'{rule}: option {option!r}'
    if kind == 'IntOption':
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _MAX_INT:
            raise Invalid(f'{where}: expected a whole number >= 0, got {value!r}')
        return value
    if kind == 'BoolOption':
        if not isinstance(value, bool):
            raise Invalid(f'{where}: expected true or false, got {value!r}')
        return 'true' if value else 'false'
    if kind in ('ListOption', 'StrOption'):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise Invalid(f'{where}: expected a string or a list of strings, got {value!r}')
        return items if kind == 'ListOption' else ','.join(items)
    if kind == 'RegexOption':
        try:
            patterns.check(value)
        except patterns.Invalid as e:
            raise Invalid(f'{where}: {e}') from None
        return value
    raise Invalid(f'{where}: options of this kind ({kind}) cannot be set from pushguard')


def _check_words(rule: str, words: list[str]) -> None:
    """title-must-not-contain-word builds `\\bWORD\\b` regexes with `re`: only plain words."""
    for word in words:
        if _REGEX_CHARACTERS & set(word):
            raise Invalid(f'{rule}: {word!r} is not a plain word (gitlint searches for each word '
                          f'as a regular expression: leave out {_REGEX_CHARACTERS_SHOWN})')


def _set_rule(config: LintConfig, key: str, value: object) -> None:
    from gitlint.config import LintConfigError
    rule = config.rules.find_rule(key)
    if key in UNSUPPORTED:
        raise Invalid(f'{key!r} is not supported: {UNSUPPORTED[key]}')
    if rule is None:
        raise Invalid(f'{key!r} is not a gitlint rule name or id ({_known(config, key)})')
    if isinstance(value, dict):
        options = value
    elif rule.options:
        options = {next(iter(rule.options)): value}
    else:
        raise Invalid(f'{key}: the rule has no option to set (turn it off with ignore = ["{key}"])')
    for name, option_value in options.items():
        option = rule.options.get(name)
        if option is None:
            raise Invalid(f'{key}: {name!r} is not an option of the rule '
                          f'(options: {", ".join(rule.options) or "none"})')
        given = _value(type(option).__name__, key, name, option_value)
        if type(option).__name__ == 'RegexOption':
            option.value = patterns.compile(given, f'commit.style.{key}.{name}')
            continue
        if rule.name == 'title-must-not-contain-word':
            _check_words(key, given)
        try:
            config.set_rule_option(key, name, given)
        except LintConfigError as e:
            raise Invalid(f'{key}: {" ".join(str(e).split())}') from None


def lint_config(options: Mapping[str, Any]) -> LintConfig:
    """One gitlint LintConfig from `[commit.style]`; Invalid says which key is wrong and why."""
    _gitlint.load()
    from gitlint.config import LintConfig, LintConfigError
    config = LintConfig()
    config.regex_style_search = True
    contrib = _names(options.get('contrib', []), 'contrib')
    for name in contrib:
        if name in UNSUPPORTED:
            raise Invalid(f'contrib: {name!r} is not supported: {UNSUPPORTED[name]}')
    try:
        if contrib:  # setting it, even to [], imports every contrib rule module
            config.contrib = contrib
    except LintConfigError as e:
        raise Invalid(f'contrib: {e}') from None
    ignored = _names(options.get('ignore', []), 'ignore')
    for name in ignored:
        if config.rules.find_rule(name) is None:
            raise Invalid(f'ignore: {name!r} is not a gitlint rule name or id '
                          f'({_known(config, name)})')
    config.ignore = ignored
    for key, value in options.items():
        if key not in GENERAL:
            _set_rule(config, key, value)
    return config
