"""Ask the forge about a push's refs: locate, authenticate, read the cache, one round of requests.

The one entry point the engine and `pushguard remote` use. Whatever goes wrong (an unknown host,
no module for the forge, a refused token, a timeout) comes back as text in `problems` or in a
ref's `unread`, for the `remote` check to report: never an exception, never a silent pass.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Sequence

from pushguard._typing import NamedTuple
from pushguard.config import Remote
from pushguard.errors import ForgeError
from pushguard.forges import FORGES, Repo, is_local, locate
from pushguard.forges import _cache, _credentials
from pushguard.forges.rules import RefFacts

SHIPPED = ('bitbucket', 'bitbucket-server')  # the forges whose rules an admin ships in config


class Asked(NamedTuple):
    facts: dict[str, RefFacts]
    problems: tuple[str, ...] = ()   # why nothing could be asked at all
    repo: Repo | None = None
    credential: str = ''             # where the token came from, for humans
    requests: int = 0                # how many requests went out (0: all from the cache)


def ask(url: str | None, refs: Sequence[str], remote: Remote, git_dir: str,
        default_branch: str | None = None) -> Asked:
    """What the forge serving `url` enforces on each of `refs` (full ref names)."""
    if not url or is_local(url) or not refs:
        return Asked({})
    started = time.monotonic()
    try:
        repo = locate(url, remote)
    except ForgeError as e:
        return Asked({}, (e.message,))
    scheme = 'http' if repo.web.startswith('http://') else 'https'
    credential = _credentials.find(repo.forge, repo.host, scheme, min(2.0, remote.timeout / 2),
                                   _user_and_password(url))
    # cache-ttl 0: no cache at all, not even its salt (a CI job keeps nothing)
    names = _names(git_dir, repo, refs, credential, remote.restrictions) \
        if remote.cache_ttl > 0 else {}
    found = {ref: _cache.load(git_dir, names[ref], remote.cache_ttl) if names else None
             for ref in refs}
    missing = [ref for ref in refs if found[ref] is None]
    facts = {ref: f for ref, f in found.items() if f is not None}
    if not missing:  # a cache hit: neither the HTTP layer nor the forge module is loaded
        return Asked(facts, (), repo, credential.origin, 0)
    try:
        __import__(FORGES[repo.forge])
    except ImportError:
        return Asked({}, (f'{repo.forge}: not supported by this pushguard yet',), repo)
    module = sys.modules[FORGES[repo.forge]]
    from pushguard.forges._http import Client
    left = remote.timeout - (time.monotonic() - started)
    client = Client(repo.api, credential.header, max(left, 0.05), configured=remote.timeout)
    shipped = {'restrictions': remote.restrictions} if repo.forge in SHIPPED else {}
    asked = module.facts(client, repo, missing, default_branch=default_branch, **shipped)
    for ref in missing:
        ref_facts = asked.get(ref) or RefFacts(ref, unread=(
            'the forge module gave no answer; not checked: every remote check',))
        ref_facts = ref_facts._replace(unread=tuple(client.redact(u) for u in ref_facts.unread))
        facts[ref] = ref_facts
        if names and not client.had_transient:
            _cache.store(git_dir, names[ref], ref_facts)
    return Asked(facts, (), repo, credential.origin, client.requests)


def _user_and_password(url: str) -> tuple[str, str]:
    if '://' not in url or '@' not in url:
        return '', ''
    from urllib.parse import unquote, urlsplit
    parts = urlsplit(url)
    return unquote(parts.username or ''), unquote(parts.password or '')


def _names(git_dir: str, repo: Repo, refs: Sequence[str], credential: _credentials.Credential,
           restrictions: object = None) -> dict[str, str]:
    """Each ref's cache entry name: forge, repository, ref, the credential's one-way digest, and
    the restrictions an admin shipped (a changed `[[remote.restrictions]]` is never answered from
    an entry made under the old ones)."""
    try:
        digest = credential.digest(_cache.salt(git_dir)) if credential.secret else 'anonymous'
    except OSError:
        digest = credential.digest(b'') if credential.secret else 'anonymous'
    policy = repr(restrictions) if repo.forge in SHIPPED else ''
    return {ref: _cache.key(repo.forge, repo.api, repo.path, ref, digest, policy) for ref in refs}
