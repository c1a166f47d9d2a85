"""The schema of `.pushguard.toml` / `[tool.pushguard]` (cfgv) and reading the TOML.

Every key is validated; unknown keys and bad values are a ConfigError whose one line names the
file, the key path and why. The result is the policy's fields as plain values (tuples, dicts,
frozensets: what the cache can hold), only those the file sets; `pushguard.config` makes the
records, whose defaults fill in the rest. This module imports nothing of `pushguard.config`, so
there is no import cycle. Imported only when a policy file is not in the cache (config.load):
tomllib and cfgv are a large share of a hook's start-up.
"""
from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from typing import Any

import cfgv

from pushguard import patterns
from pushguard.errors import ConfigError

if sys.version_info >= (3, 11):  # pragma: no cover
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_SIZE = re.compile(r'\s*(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?\s*', re.IGNORECASE)
_UNITS = {
    'b': 1, 'kb': 10**3, 'mb': 10**6, 'gb': 10**9, 'kib': 2**10, 'mib': 2**20, 'gib': 2**30,
}
_PROJECT_KEY = re.compile(r'[A-Z][A-Z0-9_]+')
JIRA_PLACES = ('subject', 'anywhere', 'scope')
MAX_TIMEOUT = 600


# --- value checks (each raises cfgv.ValidationError with the "why") --------------------------

def _check_str_list(value: object) -> None:
    cfgv.check_array(cfgv.check_string)(value)


def _check_regex(value: object) -> None:
    try:
        patterns.check(value)
    except patterns.Invalid as e:
        raise cfgv.ValidationError(str(e)) from None


def _check_regex_list(value: object) -> None:
    cfgv.check_array(_check_regex)(value)


def _check_project_keys(value: object) -> None:
    _check_str_list(value)
    for key in value:  # type: ignore[attr-defined]
        if not _PROJECT_KEY.fullmatch(key):
            raise cfgv.ValidationError(
                f'{key!r} is not a Jira project key (uppercase letters and digits, e.g. "PROJ")',
            )


def parse_size(value: object) -> int:
    """`10MB`, `1.5 GiB`, `500` (bytes) -> bytes. MB is 10^6, MiB 2^20, as the forges write them.
    A size is at least one byte and finite."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.fullmatch(value) if isinstance(value, str) else None
    number = float(match[1]) * _UNITS[(match[2] or 'B').lower()] if match else 0.0
    if not match or not 1 <= number < 2**63:
        raise cfgv.ValidationError(
            f'{value!r} is not a size of at least one byte '
            f'(use a number of bytes or e.g. "10MB", "100MiB")',
        )
    return int(number)


def _check_jira_url(value: object) -> None:
    cfgv.check_string(value)
    assert isinstance(value, str)
    if value and not re.fullmatch(r'https?://[^/\s@]+(/\S*)?', value):
        raise cfgv.ValidationError(f'expected a Jira base URL such as '
                                   f'"https://example.atlassian.net" (no user or token), '
                                   f'got {value!r}')


def _check_size(value: object) -> None:
    parse_size(value)


def _check_timeout(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 < value <= MAX_TIMEOUT:
        raise cfgv.ValidationError(f'expected a number of seconds above 0 and at most '
                                   f'{MAX_TIMEOUT}, got {value!r}')


def _check_non_negative_int(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise cfgv.ValidationError(f'expected a whole number >= 0, got {value!r}')


def _check_check_ids(value: object) -> None:
    from pushguard.checks import CHECK_IDS
    _check_str_list(value)
    for check_id in value:  # type: ignore[attr-defined]
        if check_id not in CHECK_IDS:
            raise cfgv.ValidationError(f'{check_id!r} is not a check id')


def _check_style_options(value: object) -> None:
    if not isinstance(value, dict):
        raise cfgv.ValidationError('expected a table of gitlint rule options')
    from pushguard.checks import _style_options
    try:
        _style_options.lint_config(value)
    except _style_options.Invalid as e:
        raise cfgv.ValidationError(str(e)) from None


def _table(name: str, *items: Any) -> cfgv.Map:
    keys = tuple(item.key for item in items)
    return cfgv.Map(name, None, *items, cfgv.NoAdditionalKeys(keys))


def _keys(name: str, **checks: Any) -> cfgv.Map:
    """A table whose keys (given as `max_size=`: `max-size`) are optional: a key left out takes
    the record's default (pushguard.config)."""
    return _table(name, *(cfgv.OptionalNoDefault(key.replace('_', '-'), check)
                          for key, check in checks.items()))


_IS_TABLE = cfgv.check_type(dict, typename='table')
_JIRA = _keys(
    'commit.jira', projects=_check_project_keys, where=cfgv.check_one_of(JIRA_PLACES),
    from_branch=cfgv.check_bool, url=_check_jira_url, statuses=_check_str_list,
)
_CONVENTIONAL = _keys(
    'commit.conventional', types=_check_str_list, scopes=_check_str_list,
    require_scope=cfgv.check_bool, lowercase_type=cfgv.check_bool,
)
_COMMIT = _keys(
    'commit', jira=_IS_TABLE, conventional=_IS_TABLE, style=_check_style_options,
    exempt=_check_regex_list, push_exempt=_check_regex_list, pattern=_check_regex,
    forbidden_pattern=_check_regex,
    dco=cfgv.check_bool,
)
_BRANCH = _keys('branch', pattern=_check_regex, exempt=_check_str_list)
_FILES = _keys(
    'files', max_size=_check_size, warn_size=_check_size, forbidden=_check_str_list,
    max_path_length=_check_non_negative_int,
)
_SECRETS = _keys('secrets', baseline=cfgv.check_string)
_SIGNING = _keys('signing', required=cfgv.check_bool, verify=cfgv.check_bool)
_AUTHOR = _keys('author', email=_check_regex)
_REMOTE = _keys(
    'remote', enabled=cfgv.check_bool,
    platform=cfgv.check_one_of(('auto', 'github', 'gitlab', 'bitbucket', 'bitbucket-server',
                                'gitea')),
    api_url=cfgv.check_string, timeout=_check_timeout, cache_ttl=_check_non_negative_int,
    offline=cfgv.check_one_of(('warn', 'fail')),
    restrictions=cfgv.check_array(cfgv.check_type(dict, 'table')),
)
# [[remote.restrictions]]: Bitbucket branch restrictions an admin ships (forges/bitbucket.py)
_CLOUD_KINDS = ('push', 'force', 'delete')
_SERVER_KINDS = ('read-only', 'pull-request-only', 'fast-forward-only', 'no-deletes')
_RESTRICTION = _table(
    'restriction',
    cfgv.Required('kind', cfgv.check_string),
    cfgv.OptionalNoDefault('pattern', cfgv.check_string),
    cfgv.OptionalNoDefault('branch-type', cfgv.check_one_of(
        ('development', 'production', 'feature', 'bugfix', 'release', 'hotfix'))),
    cfgv.Optional('users', _check_str_list, []),
    cfgv.Optional('groups', _check_str_list, []),
)
_CHECKS = _keys('checks', warn=_check_check_ids, skip=_check_check_ids)
_SECTIONS = {
    'commit': _COMMIT, 'branch': _BRANCH, 'files': _FILES, 'secrets': _SECRETS,
    'signing': _SIGNING, 'author': _AUTHOR, 'remote': _REMOTE, 'checks': _CHECKS,
}
_ROOT = _table('config', *(cfgv.OptionalNoDefault(name, _IS_TABLE) for name in _SECTIONS))
# (section, key) -> the field of pushguard.config.Config it sets
_FIELDS = {
    ('commit', 'style'): 'style', ('commit', 'exempt'): 'exempt',
    ('commit', 'push-exempt'): 'push_exempt',
    ('commit', 'pattern'): 'pattern', ('commit', 'forbidden-pattern'): 'forbidden_pattern',
    ('commit', 'dco'): 'dco', ('branch', 'pattern'): 'branch_pattern',
    ('branch', 'exempt'): 'branch_exempt', ('files', 'max-size'): 'max_size',
    ('files', 'warn-size'): 'warn_size', ('files', 'forbidden'): 'forbidden',
    ('files', 'max-path-length'): 'max_path_length', ('secrets', 'baseline'): 'secrets_baseline',
    ('signing', 'required'): 'signing_required', ('signing', 'verify'): 'signing_verify',
    ('author', 'email'): 'author_email', ('checks', 'warn'): 'warn', ('checks', 'skip'): 'skip',
}
_SETS = frozenset({'warn', 'skip'})
_SIZES = frozenset({'max_size', 'warn_size'})


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _record(table: Mapping[str, Any]) -> dict[str, Any]:
    """A nested table (`[commit.jira]`) as the fields of its record."""
    return {key.replace('-', '_'): _plain(value) for key, value in table.items()}


def _build(raw: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for (section, key), field in _FIELDS.items():
        if key in raw.get(section, {}):
            value = raw[section][key]
            fields[field] = (frozenset(value) if field in _SETS else
                             parse_size(value) if field in _SIZES else _plain(value))
    if 'signing' in raw:  # a [signing] table turns the check on
        fields.setdefault('signing_required', True)
    for name in ('jira', 'conventional'):
        if name in raw.get('commit', {}):
            fields[name] = _record(raw['commit'][name])
    if 'remote' in raw:
        fields['remote'] = {**_record(raw['remote']),
                            'restrictions': _restrictions(raw['remote'])}
    return fields


def validate(raw: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Check `raw` against the schema: the fields it sets, or a ConfigError that names
    `source`, the key path and why."""
    try:
        cfgv.validate(raw, _ROOT)
        for name, schema in _SECTIONS.items():
            if name in raw:
                _validate_at(raw[name], schema, (name,))
        for name, schema in (('jira', _JIRA), ('conventional', _CONVENTIONAL)):
            if name in raw.get('commit', {}):
                _validate_at(raw['commit'][name], schema, ('commit', name))
        _validate_restrictions(raw.get('remote', {}))
    except cfgv.ValidationError as e:
        raise ConfigError(f'{source}: {_one_line(e)}') from None
    return _build(raw)


def _validate_restrictions(remote: Mapping[str, Any]) -> None:
    if 'restrictions' not in remote:
        return
    platform = remote.get('platform', 'auto')
    if platform not in ('auto', 'bitbucket', 'bitbucket-server'):
        raise cfgv.ValidationError(cfgv.ValidationError(
            f'only Bitbucket has restrictions to ship (remote.platform is {platform!r})',
        ), ctx='remote.restrictions')
    kinds = _SERVER_KINDS if platform == 'bitbucket-server' else _CLOUD_KINDS
    for number, entry in enumerate(remote['restrictions'], 1):
        where = ('remote', f'restrictions #{number}')
        _validate_at(entry, _RESTRICTION, where)
        if entry['kind'] not in kinds:
            forge = 'Data Center' if platform == 'bitbucket-server' else 'Cloud'
            raise cfgv.ValidationError(cfgv.ValidationError(
                f'{entry["kind"]!r} is not a Bitbucket {forge} restriction kind '
                f'(one of {", ".join(kinds)}; set remote.platform for the other Bitbucket)',
            ), ctx='.'.join((*where, 'kind')))
        if ('pattern' in entry) == ('branch-type' in entry):
            raise cfgv.ValidationError(cfgv.ValidationError(
                'give exactly one of pattern and branch-type',
            ), ctx='.'.join(where))


def _restrictions(remote: Mapping[str, Any]) -> tuple[tuple[tuple[str, object], ...], ...] | None:
    if 'restrictions' not in remote:
        return None
    return tuple(
        tuple((key, tuple(value) if isinstance(value, list) else value)
              for key, value in sorted(entry.items()))
        for entry in remote['restrictions']
    )


def _validate_at(value: Any, schema: cfgv.Map, path: tuple[str, ...]) -> None:
    try:
        cfgv.validate(value, schema)
    except cfgv.ValidationError as e:
        raise cfgv.ValidationError(e, ctx='.'.join(path)) from None


def _one_line(error: cfgv.ValidationError) -> str:
    """cfgv's nested "==> At key: x" chain -> `key a.b.c: why`."""
    path: list[str] = []
    err: Any = error
    while isinstance(err, cfgv.ValidationError) and err.ctx is not None:
        ctx = str(err.ctx)
        if ctx.startswith('At key: '):
            path.append(ctx[len('At key: '):])
        elif not ctx.startswith('At '):
            path.append(ctx)
        err = err.error_msg
    why = str(err.error_msg if isinstance(err, cfgv.ValidationError) else err)
    extra = re.match(r'Additional keys found: (.*?)\.\s+Only these keys are allowed: (.*)', why)
    if extra:
        why = f'unknown key {extra[1]!r} (allowed: {extra[2]})'
    why = ' '.join(why.split())  # one line, whatever the value held
    return f'key {".".join(path)}: {why}' if path else why


# --- reading the file ---------------------------------------------------------------------------

def parse(raw: bytes, path: str, source: str, in_pyproject: bool = False
          ) -> dict[str, Any] | None:
    """The policy's fields in the TOML bytes `raw` read from `path`; with `in_pyproject`, its
    `[tool.pushguard]` table, or None when it has none."""
    try:
        table = tomllib.loads(raw.decode('utf-8'))
    except UnicodeDecodeError as e:
        raise ConfigError(f'{path}: invalid TOML: not UTF-8 (byte {e.start})') from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f'{path}: invalid TOML: {e}') from None
    if in_pyproject:
        tool = table.get('tool')
        if tool is not None and not isinstance(tool, dict):
            raise ConfigError(f'{path}: key tool: expected a table, got {tool!r}')
        table = (tool or {}).get('pushguard')
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f'{source}: expected a table, got {table!r}')
    return validate(table, source)
