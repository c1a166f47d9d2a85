"""The policy and the secrets baseline from the trusted side of a change, never from the commits
under check: a pull request from a fork, or a push to the server, must not switch checks off by
editing `.pushguard.toml` or by listing its own secret in `.secrets.baseline`.

The files are read from a commit (the base of a pull request, the server's HEAD) with one
`git ls-tree` and one `git cat-file --batch`, and written into a folder of pushguard's cache named
by their blob ids: the same files give the same folder, so the policy cache keeps working, and
concurrent runs write the same bytes. What the folder holds is compared with the blobs each time,
so a file planted there is replaced, not trusted. Only regular files are read: a symlink in the
tree names a path on the machine that runs the check, which the commits do not control.
"""
from __future__ import annotations

import hashlib
import os
import tempfile

from pushguard import cache, config, git
from pushguard.config import Config
from pushguard.errors import ConfigError

POLICY_FILES = (config.CONFIG_FILE, 'pyproject.toml')
DEFAULT_BASELINE = '.secrets.baseline'
_REGULAR = ('100644', '100755')
_MAX_SIZE = 32 << 20  # a policy or a baseline bigger than this is not one


def policy(rev: str | None, explicit: str | None = None, notes: list[str] | None = None
           ) -> tuple[Config, str | None]:
    """The policy at `rev` (`explicit` wins when given) and the folder holding `rev`'s trusted
    files, where the secrets check looks for the baseline; (the policy, None) without `rev`.

    A policy at `rev` that does not load gives the embedded default and a line in `notes`: the
    push or merge request that repairs it is judged by the default, not refused for ever."""
    if rev is None:
        return config.load(explicit, _empty_folder()), None
    entries = _entries(rev, [*POLICY_FILES, DEFAULT_BASELINE])
    folder = _folder(entries)
    try:
        cfg = config.load(explicit, folder)
    except ConfigError as e:
        if explicit is not None:
            raise
        said = e.message.replace(folder + os.sep, f'{rev[:12]}:')
        (notes if notes is not None else []).append(
            f'the trusted policy does not load, so the embedded default applies: {said}')
        cfg = Config()
    baseline = os.path.normpath(cfg.secrets_baseline)
    if baseline not in entries and not os.path.isabs(baseline) and not baseline.startswith('..'):
        entries.update(_entries(rev, [baseline]))
    return cfg, _folder(entries)


def _entries(rev: str, paths: list[str]) -> dict[str, str]:
    """`git ls-tree -z --full-tree REV -- PATHS`: path -> blob id, regular files only."""
    out = git.run('ls-tree', '-z', '--full-tree', rev, '--', *paths)
    found: dict[str, str] = {}
    for item in out.split(b'\0'):
        meta, _, path = item.partition(b'\t')
        parts = meta.split(b' ')
        if len(parts) == 3 and parts[0].decode() in _REGULAR and parts[1] == b'blob':
            found[git.fs_path(path)] = parts[2].decode()
    return found


def _folder(entries: dict[str, str]) -> str:
    """The cache folder holding exactly `entries`' bytes. What is there is compared with the
    blobs, never trusted for being there: the folder is rewritten where it differs."""
    digest = hashlib.sha256(repr(sorted(entries.items())).encode()).hexdigest()[:24]
    where = os.path.join(_base(), digest)
    blobs = _blobs(list(dict.fromkeys(entries.values()))) if entries else {}
    for path, blob in entries.items():
        _write(os.path.join(where, path), blobs.get(blob, b''))
    return where


def _write(target: str, content: bytes) -> None:
    try:
        with open(target, 'rb') as f:
            if f.read() == content:
                return  # unchanged: its mtime (a cache key) stays
    except OSError:
        pass
    os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix='.pushguard-')
    with os.fdopen(fd, 'wb') as f:
        f.write(content)
    os.replace(temporary, target)


def _blobs(shas: list[str]) -> dict[str, bytes]:
    """`git cat-file --batch`: each blob's bytes (those over _MAX_SIZE are left out)."""
    out = git.run('cat-file', '--batch', stdin=git.stdin_lines(shas))
    found: dict[str, bytes] = {}
    at = 0
    while at < len(out):
        end = out.index(b'\n', at)
        sha, kind, size = out[at:end].split(b' ')
        start, at = end + 1, end + 1 + int(size) + 1
        if kind == b'blob' and int(size) <= _MAX_SIZE:
            found[sha.decode()] = out[start:start + int(size)]
    return found


def _base() -> str:
    """pushguard's cache folder's `trusted/`, when only this user can write it; else a private
    temporary folder for this run."""
    base = os.path.join(cache.folder(), 'trusted')
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        st = os.stat(base)
        private = st.st_uid == os.getuid() and not st.st_mode & 0o022
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows)
        private = False
    return base if private else tempfile.mkdtemp(prefix='pushguard-trusted-')


def _empty_folder() -> str:
    where = os.path.join(_base(), 'empty')
    os.makedirs(where, mode=0o700, exist_ok=True)
    return where
