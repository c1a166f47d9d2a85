"""`.secrets.baseline`: reading it with detect-secrets, and the plugins used without one."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator

from pushguard._typing import TYPE_CHECKING
from pushguard.errors import ConfigError

if TYPE_CHECKING:
    from typing import Any

ENTROPY_PLUGINS = frozenset({'Base64HighEntropyString', 'HexHighEntropyString'})


def default_plugins() -> dict[str, Any]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    plugins: Iterable[Any] = get_mapping_from_secret_type_to_class().values()
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


def load(raw: dict[str, Any], path: str) -> frozenset[str]:
    """Configure plugins and filters from the baseline; return the hashes it lists."""
    from detect_secrets.core import baseline
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.settings import get_filters, get_plugins

    classes: dict[str, type] = get_mapping_from_secret_type_to_class()
    known_plugins = {cls.__name__ for cls in classes.values()}
    for plugin in raw.get('plugins_used', []):
        name = plugin.get('name') if isinstance(plugin, dict) else None
        if name not in known_plugins and not (isinstance(plugin, dict) and 'path' in plugin):
            raise ConfigError(f'{path}: not a detect-secrets baseline: unknown plugin {name!r} in '
                              f'"plugins_used"')
    try:
        # wordlist and custom plugin paths in a baseline are relative to its folder
        with inside(os.path.dirname(os.path.abspath(path))):
            collection = baseline.load(raw, filename=os.path.basename(path))
            get_plugins(), get_filters()
    except KeyError as e:
        raise ConfigError(f'{path}: not a detect-secrets baseline: missing key {e}') from None
    except (TypeError, ValueError, AttributeError, OSError) as e:
        raise ConfigError(f'{path}: not a detect-secrets baseline: {e or type(e).__name__}'
                          ) from None
    return frozenset(secret.secret_hash for _, secret in collection)


@contextlib.contextmanager
def inside(folder: str) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)
