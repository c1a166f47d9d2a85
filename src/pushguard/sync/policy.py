"""`pushguard sync --write`: the forge's content rules as `.pushguard.toml` keys.

The stricter wins: a size or length limit already set lower is kept; globs are added to the
list; a pattern already set to something else is kept (both apply: the local one at commit
time, the server's at push time) and the rule is said not written. A rule no local key can say
(a committer-email or negated branch pattern, GitLab's file_name_regex) is said not written.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from pushguard.forges.rules import Rule, items, param
from pushguard.sync.toml_edit import literal

MIB = 1024 * 1024


def keys(rule: Rule) -> tuple[str, str, object] | str:
    """(table, key, value) for `rule`, or why no key can hold it."""
    kind = str(param(rule, 'type', ''))
    if rule.check in ('message-pattern', 'author-email', 'branch-name'):
        pattern = _regex(rule)
        negate = param(rule, 'negate') is True
        if rule.check == 'message-pattern':
            return ('commit', 'forbidden-pattern' if negate else 'pattern', pattern)
        if negate or 'committer' in kind:
            return f'no key says a {kind} rule{" with negate" if negate else ""}'
        return ('author', 'email', pattern) if rule.check == 'author-email' else \
            ('branch', 'pattern', pattern)
    if kind == 'max_file_size' or rule.check == 'file-size':
        return _limit('max-size', param(rule, 'max_file_size'))
    if kind == 'file_path_restriction':
        return ('files', 'forbidden', [str(g) for g in items(param(rule, 'restricted_file_paths'))])
    if kind == 'file_extension_restriction':
        return ('files', 'forbidden', ['*' + str(e).lstrip('*') for e in
                                       items(param(rule, 'restricted_file_extensions'))])
    if kind == 'max_file_path_length':
        return _limit('max-path-length', param(rule, 'max_file_path_length'))
    return f'no key says a {kind or rule.check} rule (it is checked at push time)'


def _limit(key: str, value: object) -> tuple[str, str, object] | str:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return f'the forge gave no usable limit ({value!r}) for [files] {key}'
    return ('files', key, value)


def _regex(rule: Rule) -> str:
    operator, pattern = str(param(rule, 'operator', 'regex')), str(param(rule, 'pattern', ''))
    if operator == 'starts_with':
        return '^' + re.escape(pattern)
    if operator == 'ends_with':
        return re.escape(pattern) + '$'
    if operator == 'contains':
        return re.escape(pattern)
    return f'(?m){pattern}' if param(rule, 'multiline', True) is True and operator == 'regex' \
        and rule.check == 'message-pattern' and '(?' not in pattern[:3] else pattern


def plan(rules: tuple[Rule, ...], current: Mapping[str, Mapping[str, object]]
         ) -> Iterator[tuple[Rule, tuple[str, str, object] | None, str, bool]]:
    """For each rule: (rule, the key to set or None, what is said about it, whether the file
    then holds it: set now, or already as strict)."""
    chosen: dict[tuple[str, str], object] = {}
    for rule in rules:
        target = keys(rule)
        if isinstance(target, str):
            yield rule, None, target, False
            continue
        table, key, value = target
        have = chosen.get((table, key), current.get(table, {}).get(key))
        if key == 'max-size':
            value = _mib(value, have)
        elif key == 'max-path-length':
            value = min(v for v in (value, have) if isinstance(v, int) and v > 0)
        elif key == 'forbidden':
            value = list(dict.fromkeys([*(have if isinstance(have, list) else []), *value]))  # type: ignore[misc]
        elif have not in (None, '', value):
            yield rule, None, f'[{table}] {key} is already {have!r}: kept (both apply)', False
            continue
        if value == have:
            yield rule, None, f'[{table}] {key} already says it (or is stricter)', True
            continue
        chosen[(table, key)] = value
        yield rule, (table, key, value), f'[{table}] {key} = {literal(value)}', True


def _mib(limit: object, have: object) -> object:
    """The lower of the server's limit (MiB) and the file's, written as the file has it."""
    if not isinstance(limit, int) or limit <= 0:
        return have
    from pushguard.schema import parse_size
    try:
        own = parse_size(have) if have is not None else None
    except Exception:  # noqa: BLE001 - an invalid value is replaced by the server's
        own = None
    return have if own is not None and own <= limit * MIB else f'{limit}MiB'
