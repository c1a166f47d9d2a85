"""The policy: where it is read from, and the frozen records the checks read.

The file is validated by `pushguard.schema` (cfgv) the first time it is seen; its fields are
then kept in pushguard's cache under the file's exact bytes and the versions of what validated
them, so a hook that starts on an unchanged policy imports neither tomllib nor cfgv.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from pushguard import cache, files
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
MAX_FILE_SIZE = 2**20  # a policy, or a pyproject.toml holding one, is a few KiB
# fixup!/squash!/amend! commits wait for `git rebase --autosquash` at commit time, not in a push
AUTOSQUASH_EXEMPT = ('^fixup! ', '^squash! ', '^amend! ')
DEFAULT_PUSH_EXEMPT = tuple(p for p in DEFAULT_EXEMPT if p not in AUTOSQUASH_EXEMPT)


# --- the records ------------------------------------------------------------------------------

class Jira(NamedTuple):
    projects: tuple[str, ...] = ()
    where: str = 'subject'
    from_branch: bool = True
    url: str = ''                      # a Jira base URL: verify the keys exist (pushguard.jira)
    statuses: tuple[str, ...] = ()     # ... and are in one of these statuses (any when empty)


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
    # Bitbucket restrictions an admin ships ([[remote.restrictions]]): each a tuple of (key, value)
    # pairs as written (kind, pattern, branch-type, users, groups); None: none listed
    restrictions: tuple[tuple[tuple[str, object], ...], ...] | None = None


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

    @property
    def remote_enabled(self) -> bool:
        return self.remote.enabled

    def enabled_checks(self) -> frozenset[str]:
        """The checks this policy turns on: those whose section (the registry says which) is
        set, and those of the embedded default, which are always on."""
        from pushguard import registry
        on = {check_id for check_id, check in registry.CHECKS.items()
              if not check.turned_on_by or any(_is_set(getattr(self, name))
                                               for name in check.turned_on_by)}
        return frozenset(on) - self.skip


def _is_set(value: object) -> bool:
    """A section or key the file sets: an empty `[commit.style]` ({}) is set, `pattern = ''` is
    not."""
    return value not in (None, False, '', ())


# --- finding and reading the file ---------------------------------------------------------------

_NESTED = {'jira': Jira, 'conventional': Conventional, 'remote': Remote}
_NO_TABLE = 'no [tool.pushguard] table'
# pushguard's own files whose edit changes what a policy file means (the installed versions of
# pushguard and its libraries are in every cache key: pushguard.cache)
_SHAPING = ('config.py', 'schema.py', 'patterns.py', os.path.join('checks', '_style_options.py'))


def load(explicit: str | None = None, root: str | None = None) -> Config:
    """The policy: `explicit`, else `.pushguard.toml`, else `[tool.pushguard]`, else the default.

    A path that is there but is no readable file (a symbolic link to nothing, a FIFO) is an
    error, never the default."""
    if explicit is not None:
        return _policy(explicit, explicit) or Config()
    root = root if root is not None else os.getcwd()
    own = os.path.join(root, CONFIG_FILE)
    if os.path.lexists(own):
        return _policy(own, own) or Config()
    pyproject = os.path.join(root, 'pyproject.toml')
    if os.path.lexists(pyproject):
        return _policy(pyproject, f'{pyproject} [tool.pushguard]', in_pyproject=True) or Config()
    return Config()


def validate(table: Mapping[str, object], source: str) -> Config:
    """The policy in a TOML table already read (the schema's checks, then the records)."""
    from pushguard import schema
    return _records(schema.validate(table, source), source)


def _policy(path: str, source: str, in_pyproject: bool = False) -> Config | None:
    """The policy in `path` (None: a pyproject.toml without the table), from the cache when the
    file's bytes and pushguard's schema are those it was stored with."""
    raw = files.read(path, MAX_FILE_SIZE, error=ConfigError)
    stamp = _schema_stamp()
    key = (source, in_pyproject, raw, stamp)
    entry = cache.name_for('policy', path)
    stored = cache.load(entry, key) if stamp else None
    if stored == _NO_TABLE:
        return None
    if stored is not None:
        try:
            return _records(stored, source)
        except (AssertionError, TypeError):  # not what this version stores: work it out again
            pass
    from pushguard import schema
    fields = schema.parse(raw, path, source, in_pyproject)
    if stamp:
        cache.store(entry, key, _NO_TABLE if fields is None else fields)
    return None if fields is None else _records(fields, source)


def _schema_stamp() -> tuple[int, ...] | None:
    """Changes when the schema or these records do (an upgrade, an edit), so stored policies go
    stale; None when the source files cannot be seen (no cache then)."""
    here = os.path.dirname(__file__)
    try:
        stats = [os.stat(os.path.join(here, name)) for name in _SHAPING]
    except OSError:
        return None
    return tuple(number for st in stats for number in (st.st_mtime_ns, st.st_size))


def _records(fields: object, source: str) -> Config:
    """The schema's fields (as validated, or as the cache kept them) as the frozen records."""
    assert isinstance(fields, dict)
    values = dict(fields, source=source)
    if 'exempt' in values and 'push_exempt' not in values:
        # fixup!/squash!/amend! wait for --autosquash at commit time; a push still holding
        # them is judged as the server judges it
        values['push_exempt'] = tuple(p for p in values['exempt'] if p not in AUTOSQUASH_EXEMPT)
    for name, record in _NESTED.items():
        if name in values:
            values[name] = record(**values[name])
    return Config(**values)
