"""The schema of `.pushguard.toml` / `[tool.pushguard]` (cfgv) and reading the TOML.

Every key is validated; unknown keys and bad values are a ConfigError whose one line names the
file, the key path and why. Imported only when a policy file is not in the cache (config.load):
tomllib and cfgv are a large share of a hook's start-up.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

import cfgv

from pushguard.config import (
    AUTOSQUASH_EXEMPT, CONVENTIONAL_TYPES, DEFAULT_EXEMPT, GITHUB_HARD_LIMIT, GITHUB_WARN_LIMIT,
    JIRA_PLACES, Config, Conventional, Jira, Remote,
)
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


# --- value checks (each raises cfgv.ValidationError with the "why") --------------------------

def _check_str_list(value: object) -> None:
    cfgv.check_array(cfgv.check_string)(value)


def _check_regex_list(value: object) -> None:
    cfgv.check_array(cfgv.check_regex)(value)


def _check_project_keys(value: object) -> None:
    _check_str_list(value)
    for key in value:  # type: ignore[attr-defined]
        if not _PROJECT_KEY.fullmatch(key):
            raise cfgv.ValidationError(
                f'{key!r} is not a Jira project key (uppercase letters and digits, e.g. "PROJ")',
            )


def parse_size(value: object) -> int:
    """`10MB`, `1.5 GiB`, `500` (bytes) -> bytes. MB is 10^6, MiB 2^20, as the forges write them."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.fullmatch(value) if isinstance(value, str) else None
    if not match or float(match[1]) <= 0:
        raise cfgv.ValidationError(
            f'{value!r} is not a size (use a number of bytes or e.g. "10MB", "100MiB")',
        )
    return int(float(match[1]) * _UNITS[(match[2] or 'B').lower()])


def _check_size(value: object) -> None:
    parse_size(value)


def _check_positive_number(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise cfgv.ValidationError(f'expected a positive number, got {value!r}')


def _check_non_negative_int(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
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
    from pushguard.checks.commit_style import validate_options
    validate_options(value)


def _table(name: str, *items: Any) -> cfgv.Map:
    keys = tuple(item.key for item in items)
    return cfgv.Map(name, None, *items, cfgv.NoAdditionalKeys(keys))


_JIRA = _table(
    'commit.jira',
    cfgv.Optional('projects', _check_project_keys, []),
    cfgv.Optional('where', cfgv.check_one_of(JIRA_PLACES), 'subject'),
    cfgv.Optional('from-branch', cfgv.check_bool, True),
)
_CONVENTIONAL = _table(
    'commit.conventional',
    cfgv.Optional('types', _check_str_list, list(CONVENTIONAL_TYPES)),
    cfgv.Optional('scopes', _check_str_list, []),
    cfgv.Optional('require-scope', cfgv.check_bool, False),
    cfgv.Optional('lowercase-type', cfgv.check_bool, False),
)
_COMMIT = _table(
    'commit',
    cfgv.OptionalNoDefault('jira', cfgv.check_type(dict, typename='table')),
    cfgv.OptionalNoDefault('conventional', cfgv.check_type(dict, typename='table')),
    cfgv.OptionalNoDefault('style', _check_style_options),
    cfgv.Optional('exempt', _check_regex_list, list(DEFAULT_EXEMPT)),
    cfgv.OptionalNoDefault('push-exempt', _check_regex_list),
    cfgv.Optional('pattern', cfgv.check_regex, ''),
    cfgv.Optional('forbidden-pattern', cfgv.check_regex, ''),
    cfgv.Optional('dco', cfgv.check_bool, False),
)
_BRANCH = _table(
    'branch',
    cfgv.Optional('pattern', cfgv.check_regex, ''),
    cfgv.Optional('exempt', _check_str_list, ['main', 'master', 'develop', 'release/*']),
)
_FILES = _table(
    'files',
    cfgv.Optional('max-size', _check_size, GITHUB_HARD_LIMIT),
    cfgv.Optional('warn-size', _check_size, GITHUB_WARN_LIMIT),
    cfgv.Optional('forbidden', _check_str_list, []),
    cfgv.Optional('max-path-length', _check_non_negative_int, 0),
)
_SECRETS = _table('secrets', cfgv.Optional('baseline', cfgv.check_string, '.secrets.baseline'))
_SIGNING = _table(
    'signing',
    cfgv.Optional('required', cfgv.check_bool, True),
    cfgv.Optional('verify', cfgv.check_bool, False),
)
_AUTHOR = _table('author', cfgv.Optional('email', cfgv.check_regex, ''))
_REMOTE = _table(
    'remote',
    cfgv.Optional('enabled', cfgv.check_bool, True),
    cfgv.Optional('platform', cfgv.check_one_of(
        ('auto', 'github', 'gitlab', 'bitbucket', 'bitbucket-server', 'gitea'),
    ), 'auto'),
    cfgv.Optional('api-url', cfgv.check_string, ''),
    cfgv.Optional('timeout', _check_positive_number, 3.0),
    cfgv.Optional('cache-ttl', _check_non_negative_int, 300),
    cfgv.Optional('offline', cfgv.check_one_of(('warn', 'fail')), 'warn'),
)
_CHECKS = _table(
    'checks',
    cfgv.Optional('warn', _check_check_ids, []),
    cfgv.Optional('skip', _check_check_ids, []),
)
_SECTIONS = {
    'commit': _COMMIT, 'branch': _BRANCH, 'files': _FILES, 'secrets': _SECRETS,
    'signing': _SIGNING, 'author': _AUTHOR, 'remote': _REMOTE, 'checks': _CHECKS,
}
_ROOT = _table(
    'config', *(cfgv.OptionalNoDefault(name, cfgv.check_type(dict, typename='table'))
                for name in _SECTIONS),
)


def _kebab_to_fields(table: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key.replace('-', '_'): tuple(value) if isinstance(value, list) else value
        for key, value in table.items()
    }


def _push_exempt(commit: Mapping[str, Any]) -> tuple[str, ...]:
    """`[commit] push-exempt`; unset: `exempt` without fixup!/squash!/amend!, which a push holds
    only when they were not squashed."""
    if 'push-exempt' in commit:
        return tuple(commit['push-exempt'])
    return tuple(p for p in commit['exempt'] if p not in AUTOSQUASH_EXEMPT)


def _build(raw: dict[str, Any], source: str) -> Config:
    sections = {name: cfgv.apply_defaults(raw.get(name, {}), schema)
                for name, schema in _SECTIONS.items()}
    commit, files = sections['commit'], sections['files']
    sub = {name: cfgv.apply_defaults(commit[name], schema)
           for name, schema in (('jira', _JIRA), ('conventional', _CONVENTIONAL)) if name in commit}
    signing = raw.get('signing')
    return Config(
        source=source,
        jira=Jira(**_kebab_to_fields(sub['jira'])) if 'jira' in sub else None,
        conventional=(Conventional(**_kebab_to_fields(sub['conventional']))
                      if 'conventional' in sub else None),
        style=commit.get('style'),
        exempt=tuple(commit['exempt']),
        push_exempt=_push_exempt(commit),
        pattern=commit['pattern'],
        forbidden_pattern=commit['forbidden-pattern'],
        dco=commit['dco'],
        branch_pattern=sections['branch']['pattern'],
        branch_exempt=tuple(sections['branch']['exempt']),
        max_size=parse_size(files['max-size']),
        warn_size=parse_size(files['warn-size']),
        forbidden=tuple(files['forbidden']),
        max_path_length=files['max-path-length'],
        secrets_baseline=sections['secrets']['baseline'],
        signing_required=signing is not None and sections['signing']['required'],
        signing_verify=sections['signing']['verify'],
        author_email=sections['author']['email'],
        remote=Remote(**_kebab_to_fields(sections['remote'])),
        warn=frozenset(sections['checks']['warn']),
        skip=frozenset(sections['checks']['skip']),
    )


def validate(raw: dict[str, Any], source: str) -> Config:
    """Check `raw` against the schema; ConfigError names `source`, the key path and why."""
    try:
        cfgv.validate(raw, _ROOT)
        for name, schema in _SECTIONS.items():
            if name in raw:
                _validate_at(raw[name], schema, (name,))
        for name, schema in (('jira', _JIRA), ('conventional', _CONVENTIONAL)):
            if name in raw.get('commit', {}):
                _validate_at(raw['commit'][name], schema, ('commit', name))
    except cfgv.ValidationError as e:
        raise ConfigError(f'{source}: {_one_line(e)}') from None
    return _build(raw, source)


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
    return f'key {".".join(path)}: {why}' if path else why



# --- reading the file ---------------------------------------------------------------------------

def parse(raw: bytes, path: str, source: str, in_pyproject: bool = False) -> Config | None:
    """The policy in the TOML bytes `raw` read from `path`; with `in_pyproject`, its
    `[tool.pushguard]` table, or None when it has none."""
    try:
        table = tomllib.loads(raw.decode('utf-8'))
    except UnicodeDecodeError as e:
        raise ConfigError(f'{path}: invalid TOML: not UTF-8 (byte {e.start})') from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f'{path}: invalid TOML: {e}') from None
    if in_pyproject:
        table = table.get('tool', {}).get('pushguard')
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f'{source}: expected a table')
    return validate(table, source)
