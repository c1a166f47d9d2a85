"""The policy: where it is read from, and the frozen records the checks read.

The file is validated by `pushguard.schema` (cfgv) the first time it is seen; the records are
then kept in pushguard's cache under the file's exact bytes, so a hook that starts on an unchanged
policy imports neither tomllib nor cfgv.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pushguard import cache
from pushguard._typing import TYPE_CHECKING, NamedTuple
from pushguard.errors import ConfigError

if TYPE_CHECKING:
    from typing import Any

CONFIG_FILE = '.pushguard.toml'
DEFAULT_SOURCE = '(embedded default)'
GITHUB_HARD_LIMIT = 100 * 1024 * 1024
GITHUB_WARN_LIMIT = 50 * 1024 * 1024
CONVENTIONAL_TYPES = (
    'feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'build', 'ci', 'chore', 'revert',
)
DEFAULT_EXEMPT = ('^Merge ', '^Revert "', '^fixup! ', '^squash! ', '^amend! ')
# fixup!/squash!/amend! commits wait for `git rebase --autosquash` at commit time, not in a push
AUTOSQUASH_EXEMPT = ('^fixup! ', '^squash! ', '^amend! ')
DEFAULT_PUSH_EXEMPT = tuple(p for p in DEFAULT_EXEMPT if p not in AUTOSQUASH_EXEMPT)
JIRA_PLACES = ('subject', 'anywhere', 'scope')


# --- the records ------------------------------------------------------------------------------

class Jira(NamedTuple):
    projects: tuple[str, ...] = ()
    where: str = 'subject'
    from_branch: bool = True


class Conventional(NamedTuple):
    types: tuple[str, ...] = CONVENTIONAL_TYPES
    scopes: tuple[str, ...] = ()
    require_scope: bool = False
    lowercase_type: bool = False  # commitlint's type-case: `Feat:` fails (the spec allows it)


class Remote(NamedTuple):
    enabled: bool = True
    platform: str = 'auto'
    api_url: str = ''
    timeout: float = 3.0
    cache_ttl: int = 300
    offline: str = 'warn'


class Config(NamedTuple):
    """The policy. A section left out of the file is None; its check then runs only on --only."""

    source: str = DEFAULT_SOURCE
    jira: Jira | None = None
    conventional: Conventional | None = None
    style: Mapping[str, Any] | None = None
    exempt: tuple[str, ...] = DEFAULT_EXEMPT  # at commit time (commit-msg)
    push_exempt: tuple[str, ...] = DEFAULT_PUSH_EXEMPT  # at pre-push, check, ci, pre-receive
    pattern: str = ''
    forbidden_pattern: str = ''
    dco: bool = False
    branch_pattern: str = ''
    branch_exempt: tuple[str, ...] = ('main', 'master', 'develop', 'release/*')
    max_size: int = GITHUB_HARD_LIMIT
    warn_size: int = GITHUB_WARN_LIMIT
    forbidden: tuple[str, ...] = ()
    max_path_length: int = 0
    secrets_baseline: str = '.secrets.baseline'
    signing_required: bool = False
    signing_verify: bool = False
    author_email: str = ''
    remote: Remote = Remote()
    warn: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()

    def enabled_checks(self) -> frozenset[str]:
        """The checks this policy turns on; the embedded default's are always on."""
        on = {'secrets', 'file-size'}
        wanted = {
            'jira-ticket': self.jira is not None,
            'conventional-commit': self.conventional is not None,
            'commit-style': self.style is not None,
            'message-pattern': bool(self.pattern or self.forbidden_pattern),
            'dco': self.dco,
            'branch-name': bool(self.branch_pattern),
            'forbidden-path': bool(self.forbidden or self.max_path_length),
            'signature': self.signing_required,
            'author-email': bool(self.author_email),
        }
        return frozenset(on | {check for check, yes in wanted.items() if yes}) - self.skip



# --- finding and reading the file ---------------------------------------------------------------

_NESTED = {'jira': Jira, 'conventional': Conventional, 'remote': Remote}
_NO_TABLE = 'no [tool.pushguard] table'


def load(explicit: str | None = None, root: str | None = None) -> Config:
    """The policy: `explicit`, else `.pushguard.toml`, else `[tool.pushguard]`, else the default."""
    if explicit is not None:
        return _policy(explicit, explicit) or Config()
    root = root if root is not None else os.getcwd()
    own = os.path.join(root, CONFIG_FILE)
    if os.path.exists(own):
        return _policy(own, own) or Config()
    pyproject = os.path.join(root, 'pyproject.toml')
    if os.path.exists(pyproject):
        return _policy(pyproject, f'{pyproject} [tool.pushguard]', in_pyproject=True) or Config()
    return Config()


def _policy(path: str, source: str, in_pyproject: bool = False) -> Config | None:
    """The policy in `path` (None: a pyproject.toml without the table), from the cache when the
    file's bytes and pushguard's schema are those it was stored with."""
    raw = _read(path)
    stamp = _schema_stamp()
    key = (source, in_pyproject, raw, stamp)
    entry = cache.name_for('policy', path)
    stored = cache.load(entry, key) if stamp else None
    if stored is not None:
        return _from_plain(stored)
    from pushguard import schema
    cfg = schema.parse(raw, path, source, in_pyproject)
    if stamp:
        cache.store(entry, key, _NO_TABLE if cfg is None else _to_plain(cfg))
    return cfg


def _read(path: str) -> bytes:
    try:
        with open(path, 'rb') as f:
            return f.read()
    except OSError as e:
        raise ConfigError(f'{path}: cannot read: {e.strerror}') from None


def _schema_stamp() -> tuple[int, ...] | None:
    """Changes when the schema or these records do (an upgrade, an edit), so stored policies go
    stale; None when the source files cannot be seen (no cache then)."""
    here = os.path.dirname(__file__)
    try:
        stats = [os.stat(os.path.join(here, name)) for name in ('config.py', 'schema.py')]
    except OSError:
        return None
    return tuple(number for st in stats for number in (st.st_mtime_ns, st.st_size))


def _to_plain(cfg: Config) -> tuple[object, ...]:
    """The record as tuples, dicts and sets: what `marshal` (the cache) can hold."""
    nested = {name: None if getattr(cfg, name) is None else tuple(getattr(cfg, name))
              for name in _NESTED}
    return tuple(nested.get(name, value) for name, value in zip(Config._fields, cfg, strict=True))


def _from_plain(plain: object) -> Config | None:
    if plain == _NO_TABLE:
        return None
    assert isinstance(plain, tuple)
    fields = dict(zip(Config._fields, plain, strict=True))
    for name, record in _NESTED.items():
        if fields[name] is not None:
            fields[name] = record(*fields[name])
    return Config(**fields)
