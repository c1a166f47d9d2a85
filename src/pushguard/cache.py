"""pushguard's cache folder: results that are slow to work out and cheap to recognise again.

Each entry is stored with the key it was computed from (the bytes of a policy file, a library's
version, ...) and is used only when that key is equal again, so a stale entry is never read.
Every key also holds the versions of pushguard and of the installed libraries that shape a
result (gitlint, detect-secrets, cfgv, RE2), so an upgrade of any of them makes every entry stale.

A cached policy decides which checks run, so the cache trusts only what the user wrote: the
folder is made 0700, and a folder or an entry that is not the user's own, or that another user
may write, is not read (nor written to). A folder that cannot be read or written means no cache,
never an error. Entries are `marshal` data: the one format that loads without importing anything.
"""
from __future__ import annotations

import marshal
import os
import stat
import sys

_FORMAT = 2
_DISTRIBUTIONS = ('pushguard', 'gitlint_core', 'detect_secrets', 'cfgv', 'google_re2')
_LIMIT = 16 * 2**20
# a planted symbolic link is not followed, a FIFO not waited on (no such flags on Windows)
_NO_FOLLOW = sum(getattr(os, flag, 0) for flag in ('O_NOFOLLOW', 'O_NONBLOCK', 'O_BINARY'))
_installed: tuple[tuple[str, str], ...] | None = None


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


def installed() -> tuple[tuple[str, str], ...]:
    """(distribution, where its metadata is: the name holds the version) for pushguard and the
    libraries whose upgrade may change a cached result; read once, without importlib.metadata
    (about 20 ms): the first `NAME-VERSION.dist-info` on sys.path, as importlib finds it."""
    global _installed
    if _installed is None:
        found: dict[str, str] = {}
        for entry in sys.path:
            try:
                names = os.listdir(entry or '.')
            except OSError:
                continue
            for name in names:
                if name.endswith(('.dist-info', '.egg-info')):
                    found.setdefault(name.split('-', 1)[0].lower(), os.path.join(entry, name))
        _installed = tuple((name, found.get(name, '')) for name in _DISTRIBUTIONS)
    return _installed


def _full_key(key: object) -> object:
    # marshal's format and the values it holds may differ from one Python to the next
    return (_FORMAT, sys.hexversion, installed(), key)


def _trusted(st: os.stat_result) -> bool:
    """Owned by the user running pushguard, and writable by no one else (Windows has no owner
    in a stat: its folder under the user's profile is the user's)."""
    owner = os.geteuid() if hasattr(os, 'geteuid') else st.st_uid
    return st.st_uid == owner and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trusted_folder() -> bool:
    try:
        st = os.stat(folder())
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _trusted(st)


def load(name: str, key: object) -> object | None:
    """What `store(name, key, ...)` kept, when `key` is equal to the stored one; else None."""
    if not _trusted_folder():
        return None
    try:
        fd = os.open(_path(name), os.O_RDONLY | _NO_FOLLOW)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) and _trusted(st)) or st.st_size > _LIMIT:
            return None
        with os.fdopen(os.dup(fd), 'rb') as f:
            stored_key, value = marshal.load(f)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        os.close(fd)
    return value if stored_key == _full_key(key) else None


def store(name: str, key: object, value: object) -> None:
    """Keep `value` under `name`, replacing what was there; written whole or not at all."""
    path = _path(name)
    temporary = f'{path}.{os.getpid()}.tmp'
    try:
        os.makedirs(folder(), mode=0o700, exist_ok=True)
        if not _trusted_folder():
            return
        data = marshal.dumps((_full_key(key), value))  # type: ignore[arg-type]
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.replace(temporary, path)
    except (OSError, ValueError):
        _remove(temporary)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
