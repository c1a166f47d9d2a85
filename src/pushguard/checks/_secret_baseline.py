"""`.secrets.baseline`: reading it with detect-secrets, and the plugins used without one."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator

from pushguard._typing import TYPE_CHECKING
from pushguard.errors import ConfigError

if TYPE_CHECKING:
    from typing import Any

ENTROPY_PLUGINS = frozenset({'Base64HighEntropyString', 'HexHighEntropyString'})
# types whose hash is that of a header every such secret shares (detect-secrets hashes the
# `BEGIN ... PRIVATE KEY` line): listed in a baseline, one passes only in its own file
HEADER_ONLY = frozenset({'Private Key'})


def default_plugins() -> dict[str, Any]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    plugins: Iterable[type] = get_mapping_from_secret_type_to_class().values()
    return {'plugins_used': [{'name': plugin.__name__} for plugin in plugins
                             if plugin.__name__ not in ENTROPY_PLUGINS]}


def read(path: str) -> dict[str, Any] | None:
    """The baseline's JSON through detect-secrets' reader; None when the file does not exist."""
    from detect_secrets.core import baseline
    from detect_secrets.exceptions import UnableToReadBaselineError

    if not os.path.lexists(path):
        return None
    try:
        raw = baseline.load_from_file(path)
    except UnableToReadBaselineError as e:
        why = e.__cause__
        reason = f'not valid JSON: {why}' if isinstance(why, ValueError) else \
            f'cannot read: {getattr(why, "strerror", None) or why}'
        raise ConfigError(f'{path}: {reason}') from None
    if not isinstance(raw, dict) or not isinstance(raw.get('results'), dict) \
            or not isinstance(raw.get('version'), str):
        raise ConfigError(f'{path}: not a detect-secrets baseline (needs "version" and "results"; '
                          f'make one with: detect-secrets scan > .secrets.baseline)')
    return raw


def load(raw: dict[str, Any], path: str, trusted: bool = True) -> frozenset[str]:
    """Configure plugins and filters from the baseline; return the secrets it lists (`entry`).

    Untrusted (`Place.trusts_content`), the plugins and filters that name code of their own
    (`refused_code`) are left out: the others apply as written.
    """
    from detect_secrets.core import baseline
    from detect_secrets.core.log import log
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.settings import get_filters, get_plugins

    if not trusted:
        raw = _without_code(raw)
    _check_plugin_names(raw, path, get_mapping_from_secret_type_to_class())
    try:
        # wordlist and custom plugin paths in a baseline are relative to its folder
        with inside(os.path.dirname(os.path.abspath(path))), _quiet(log):
            collection = baseline.load(raw, filename=os.path.basename(path))
            get_mapping_from_secret_type_to_class.cache_clear()  # now with the custom plugins
            _custom_plugins_load(raw, path)
            get_plugins(), get_filters()
    except KeyError as e:
        raise ConfigError(f'{path}: not a detect-secrets baseline: missing key {e}') from None
    except (TypeError, ValueError, AttributeError, OSError) as e:
        raise ConfigError(f'{path}: not a detect-secrets baseline: {str(e) or type(e).__name__}'
                          ) from None
    return frozenset(entry(filename if secret.type in HEADER_ONLY else None, secret.secret_hash)
                     for filename, secret in collection)


def _check_plugin_names(raw: dict[str, Any], path: str, classes: dict[str, type]) -> None:
    known_plugins = {cls.__name__ for cls in classes.values()}
    for plugin in raw.get('plugins_used', []):
        name = plugin.get('name') if isinstance(plugin, dict) else None
        if name not in known_plugins and not (isinstance(plugin, dict) and 'path' in plugin):
            raise ConfigError(f'{path}: not a detect-secrets baseline: unknown plugin {name!r} in '
                              f'"plugins_used"')


def _custom_plugins_load(raw: dict[str, Any], path: str) -> None:
    """ConfigError naming each custom plugin whose file does not define it."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    try:
        classes: Iterable[type] = get_mapping_from_secret_type_to_class().values()
        loaded = {plugin_class.__name__ for plugin_class in classes}
    except Exception as e:  # the plugin file's own code failed: say how
        raise ConfigError(f'{path}: a custom plugin file of "plugins_used" fails to load: '
                          f'{type(e).__name__}: {e}') from None
    for plugin in raw.get('plugins_used', []):
        if isinstance(plugin, dict) and 'path' in plugin and plugin.get('name') not in loaded:
            raise ConfigError(f'{path}: custom plugin {plugin.get("name")!r} is not defined in '
                              f'{plugin["path"]} (a BasePlugin subclass with a secret_type)')


def refused_code(raw: object) -> list[str]:
    """The plugins and filters of a baseline's JSON that name code of their own: custom plugin
    files, filters outside detect-secrets' own (a file, or any importable module)."""
    if not isinstance(raw, dict):
        return []
    named = [f'custom plugin {p["path"]}' for p in raw.get('plugins_used') or ()
             if isinstance(p, dict) and 'path' in p]
    named += [f'filter {f["path"]}' for f in raw.get('filters_used') or ()
              if isinstance(f, dict) and not str(f.get('path')).startswith(OWN_FILTERS)]
    return named


OWN_FILTERS = 'detect_secrets.filters.'


def _without_code(raw: dict[str, Any]) -> dict[str, Any]:
    def kept(items: object, own: Callable[[dict[str, Any]], bool]) -> list[Any]:
        return [item for item in items or () if isinstance(item, dict) and own(item)] \
            if isinstance(items, list) else []
    safe = dict(raw)
    if 'plugins_used' in raw:  # none left: detect-secrets' own set, never no plugin at all
        safe['plugins_used'] = kept(raw['plugins_used'], lambda p: 'path' not in p) \
            or default_plugins()['plugins_used']
    if 'filters_used' in raw:
        safe['filters_used'] = kept(raw['filters_used'],
                                    lambda f: str(f.get('path')).startswith(OWN_FILTERS))
    return safe


@contextlib.contextmanager
def _quiet(log: Any) -> Iterator[None]:
    """detect-secrets' own log lines say less than pushguard's one-line error."""
    before, log.disabled = log.disabled, True
    try:
        yield
    finally:
        log.disabled = before


def entry(path: str | None, hashed: str) -> str:
    """A secret as `load` lists it: its hash, with its file for a header-only type."""
    return hashed if path is None else f'{path}\0{hashed}'


@contextlib.contextmanager
def inside(folder: str) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)
