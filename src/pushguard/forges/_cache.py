"""The forge's answers, kept in the git dir for `remote.cache-ttl` seconds.

One file per (forge, repository, ref, credential): its name is a SHA-256 of those, the
credential entering only as a salted one-way digest, so two tokens never share an answer and no
file holds a token. Files are 0600 in a 0700 folder; a hit makes no request.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable

from pushguard.forges.rules import RefFacts, Rule

FOLDER = ('pushguard', 'forge-cache')


def folder(git_dir: str) -> str:
    return os.path.join(git_dir, *FOLDER)


def salt(git_dir: str) -> bytes:
    """This repository's random salt for credential digests, made on first use."""
    path = os.path.join(folder(git_dir), 'salt')
    try:
        with open(path, 'rb') as f:
            value = f.read()
        if len(value) >= 16:
            return value
    except OSError:
        pass
    os.makedirs(folder(git_dir), mode=0o700, exist_ok=True)
    value = os.urandom(32)
    _write(path, value)
    return value


def key(*parts: str) -> str:
    return hashlib.sha256('\0'.join(parts).encode('utf-8', 'surrogateescape')).hexdigest()


def load(git_dir: str, name: str, ttl: float) -> RefFacts | None:
    """The facts stored under `name`, when younger than `ttl` seconds."""
    if ttl <= 0:
        return None
    path = os.path.join(folder(git_dir), name)
    try:
        if time.time() - os.stat(path).st_mtime > ttl:
            return None
        with open(path, encoding='utf-8') as f:
            return _facts(json.load(f))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def store(git_dir: str, name: str, facts: RefFacts) -> None:
    try:
        os.makedirs(folder(git_dir), mode=0o700, exist_ok=True)
        _write(os.path.join(folder(git_dir), name), json.dumps(facts).encode())
    except OSError:
        pass  # a cache that cannot be written only costs the next push a request


def _write(path: str, data: bytes) -> None:
    temp = f'{path}.{os.getpid()}.tmp'
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'wb') as f:
        f.write(data)
    os.replace(temp, path)


def _tuples(value: object) -> object:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _facts(raw: list[object]) -> RefFacts:
    ref, rules, can_push, unread, links = raw
    assert isinstance(rules, list) and isinstance(unread, list) and isinstance(links, list)
    return RefFacts(str(ref), tuple(_rule(r) for r in rules),
                    can_push if isinstance(can_push, bool) else None,
                    tuple(str(u) for u in unread), tuple((str(a), str(b)) for a, b in links))


def _rule(raw: Iterable[object]) -> Rule:
    check, source, reason, says, certain, bypass, params = raw
    return Rule(check, source, reason, says, certain, bypass,  # type: ignore[arg-type]
                tuple((k, _tuples(v)) for k, v in params))  # type: ignore[attr-defined]
