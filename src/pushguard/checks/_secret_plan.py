"""What the secrets check knows before it reads a line: the prefilter's needles and the file
extensions its Sift decides alone, kept in pushguard's cache, so that detect-secrets (0.15 s to
import: it pulls in requests) is imported only when some file diff may hold a secret.

They depend on detect-secrets' installed copy (its plugins and transformers) and on the baseline
(its plugin list), so the cache key holds detect-secrets' version file, where it is installed
and when, and the baseline's bytes. An entry is stored only after detect-secrets read that
baseline without error, so a cached baseline is a valid one. A baseline naming files of its own
(custom plugins, a word list) is never cached: those files may change under the same bytes.
"""
from __future__ import annotations

import os
import sys

from pushguard import cache
from pushguard._typing import NamedTuple
from pushguard.checks._secret_prefilter import Needle

_NAME = 'secrets-prefilter'
_FORMAT = 7
_NAMES_FILES = (b'file://', b'"file_name"', b'"model"')


class Plan(NamedTuple):
    needles: tuple[Needle, ...] | None  # None: no Sift (see _secret_prefilter.siftable)
    plain: frozenset[str]  # extensions the Sift decides alone (_prefilter.extension_kinds)
    eager: frozenset[str]  # those it decides when the eager ini transformer must fail
    wide: frozenset[int]  # the needles it searches for over whole blocks (_secret_sift.wide)
    # extensions detect-secrets' filters skip by name (images, archives): never worth parsing
    unscanned: frozenset[str] = frozenset()


def key(baseline: str, trusted: bool = True) -> object | None:
    """What a plan for `baseline` (a path) is computed from; None when it cannot be cached."""
    installed = _detect_secrets()
    if installed is None:
        return None
    if not os.path.lexists(baseline):
        return (_FORMAT, installed, None)
    try:
        with open(baseline, 'rb') as f:
            raw = f.read()
    except OSError:  # detect-secrets says why, on the way that does not cache
        return None
    if any(mark in raw for mark in _NAMES_FILES):
        return None
    return (_FORMAT, installed, raw, trusted)  # untrusted, the baseline's code is left out


def _detect_secrets() -> tuple[str, bytes, int] | None:
    """Where detect-secrets is installed, its version file and that file's time: read without
    importing it, importlib.metadata or importlib.machinery; the first `detect_secrets` package
    folder on sys.path, as the import system finds a plain package (one it cannot find so, in
    a zip, is simply not cached)."""
    for entry in sys.path:
        folder = os.path.join(entry or '.', 'detect_secrets')
        origin = os.path.join(folder, '__init__.py')
        if not os.path.isfile(origin):
            continue
        version = os.path.join(folder, '__version__.py')
        try:
            with open(version, 'rb') as f:
                return (origin, f.read(), os.fstat(f.fileno()).st_mtime_ns)
        except OSError:
            return None
    return None


def load(baseline: str, plan_key: object) -> Plan | None:
    """The plan stored for `baseline` under `plan_key`, or None."""
    value = cache.load(cache.name_for(_NAME, baseline), plan_key)
    if not isinstance(value, tuple) or len(value) != 5:
        return None
    needles, plain, eager, wide, unscanned = value
    return Plan(None if needles is None else tuple(Needle(*n) for n in needles), plain, eager,
                wide, unscanned)


def store(baseline: str, plan_key: object, plan: Plan) -> None:
    """Keep `plan` for `baseline`: one entry per baseline path, as for policies."""
    needles = None if plan.needles is None else tuple(tuple(n) for n in plan.needles)
    value = (needles, plan.plain, plan.eager, plan.wide, plan.unscanned)
    cache.store(cache.name_for(_NAME, baseline), plan_key, value)
