"""pushguard's cache folder: results that are slow to work out and cheap to recognise again.

Each entry is stored with the key it was computed from (the bytes of a policy file, a library's
version, ...) and is used only when that key is equal again, so a stale entry is never read.
A folder that cannot be read or written means no cache, never an error. Entries are `marshal`
data: the one format that loads without importing anything.
"""
from __future__ import annotations

import marshal
import os
import sys

_FORMAT = 1


def folder() -> str:
    """$PUSHGUARD_HOME, else $XDG_CACHE_HOME/pushguard, else ~/.cache/pushguard (as pre-commit)."""
    own = os.environ.get('PUSHGUARD_HOME')
    if own:
        return own
    cache_home = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(cache_home, 'pushguard')


def name_for(kind: str, path: str) -> str:
    """The entry name for what is kept of `kind` about the file at `path` (its absolute path,
    flattened into a file name: no hashing library to import)."""
    flat = os.path.abspath(path).replace(os.sep, '%').replace(':', '%')
    return f'{kind}{flat[-200:]}'


def _path(name: str) -> str:
    return os.path.join(folder(), f'{name}.marshal')


def _full_key(key: object) -> object:
    # marshal's format and the values it holds may differ from one Python to the next
    return (_FORMAT, sys.hexversion, key)


def load(name: str, key: object) -> object | None:
    """What `store(name, key, ...)` kept, when `key` is equal to the stored one; else None."""
    try:
        with open(_path(name), 'rb') as f:
            stored_key, value = marshal.load(f)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored_key == _full_key(key) else None


def store(name: str, key: object, value: object) -> None:
    """Keep `value` under `name`, replacing what was there; written whole or not at all."""
    path = _path(name)
    temporary = f'{path}.{os.getpid()}.tmp'
    try:
        os.makedirs(folder(), mode=0o700, exist_ok=True)
        with open(temporary, 'wb') as f:
            marshal.dump((_full_key(key), value), f)  # type: ignore[arg-type]
        os.replace(temporary, path)
    except (OSError, ValueError):
        _remove(temporary)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
