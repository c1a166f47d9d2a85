"""The forge's content rules saved by `pushguard sync`, read at commit time without the network.

They live in the git dir, `pushguard/synced.json` (0600, in a 0700 folder): the forge, the
repository, when they were read, and per synced ref the content rules (message, email, branch
name, file path, extension and size rules) as `forges.rules.Rule`s. No token is ever stored.
This module reads only JSON: a commit-time hook that loads it imports no HTTP layer.
"""
from __future__ import annotations

import os

from pushguard._typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pushguard.forges.rules import Rule

FILE = ('pushguard', 'synced.json')
# the content rules that can be checked at commit time (signature and dco are left to the push:
# a commit is signed and signed off after its message is written)
SYNCED = ('message-pattern', 'author-email', 'branch-name', 'forbidden-path', 'file-size')


class Synced(NamedTuple):
    forge: str
    repository: str
    synced_at: str                        # ISO 8601, UTC
    refs: dict[str, tuple[Rule, ...]]     # refs/heads/x -> its content rules (applied at
                                          # commit time: with --write, those no key holds)
    seen: dict[str, tuple[str, ...]] = {}  # refs/heads/x -> every rule read, named for humans


def path(git_dir: str) -> str:
    return os.path.join(git_dir, *FILE)


def common_dir() -> str | None:
    """The repository's common git dir, found without starting git (a commit-time hook pays no
    process for it): $GIT_COMMON_DIR or $GIT_DIR, else `.git` above the current directory, a
    linked worktree's `gitdir:` file followed to its `commondir`."""
    if os.environ.get('GIT_COMMON_DIR'):
        return os.path.abspath(os.environ['GIT_COMMON_DIR'])
    if os.environ.get('GIT_DIR'):
        return _common(os.path.abspath(os.environ['GIT_DIR']))
    here = os.getcwd()
    while True:
        dot = os.path.join(here, '.git')
        if os.path.isdir(dot):
            return dot
        if os.path.isfile(dot):
            return _linked(dot)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _linked(dot_git: str) -> str | None:
    try:
        with open(dot_git, encoding='utf-8') as f:
            line = f.readline().strip()
        if not line.startswith('gitdir:'):
            return None
        return _common(os.path.join(os.path.dirname(dot_git), line[len('gitdir:'):].strip()))
    except (OSError, UnicodeError):
        return None


def _common(git_dir: str) -> str:
    """A linked worktree's git dir names the common one in its `commondir` file."""
    try:
        with open(os.path.join(git_dir, 'commondir'), encoding='utf-8') as f:
            return os.path.normpath(os.path.join(git_dir, f.read().strip()))
    except (OSError, UnicodeError):
        return os.path.normpath(git_dir)


def stored() -> str | None:
    """The synced rules' file when there is one (no git process, no import of the forge
    layer: a hook in a repository never synced pays one stat)."""
    where = common_dir()
    if where is None or not os.path.isfile(path(where)):
        return None
    return where


def load(git_dir: str) -> Synced | None:
    """The saved rules, or None when never synced or unreadable (then nothing is applied)."""
    import json  # on use: a commit-time hook in a repository never synced reads no JSON
    try:
        with open(path(git_dir), encoding='utf-8') as f:
            raw = json.load(f)
        return Synced(str(raw['forge']), str(raw['repository']), str(raw['synced_at']),
                      {str(ref): tuple(_rule(r) for r in rules)
                       for ref, rules in raw['refs'].items()},
                      {str(ref): tuple(map(str, names))
                       for ref, names in (raw.get('seen') or {}).items()})
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save(git_dir: str, synced: Synced) -> str:
    import json
    where = path(git_dir)
    os.makedirs(os.path.dirname(where), mode=0o700, exist_ok=True)
    data = {'forge': synced.forge, 'repository': synced.repository,
            'synced_at': synced.synced_at,
            'refs': {ref: [_raw(r) for r in rules] for ref, rules in synced.refs.items()},
            'seen': {ref: list(names) for ref, names in synced.seen.items()}}
    temp = f'{where}.{os.getpid()}.tmp'
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(temp, where)
    return where


def rules_for(synced: Synced, branch: str | None) -> tuple[tuple[Rule, ...], bool]:
    """The rules that apply to `branch`, and whether they were synced for it exactly (else:
    those of every synced ref, which may not apply: warnings)."""
    ref = f'refs/heads/{branch}' if branch else ''
    if ref in synced.refs:
        return synced.refs[ref], True
    union = {r: None for rules in synced.refs.values() for r in rules}
    return tuple(union), False


def _raw(rule: Rule) -> dict[str, object]:
    return {'check': rule.check, 'source': rule.source, 'reason': rule.reason,
            'server_says': rule.server_says, 'params': [[k, _list(v)] for k, v in rule.params]}


def _list(value: object) -> object:
    return [_list(v) for v in value] if isinstance(value, tuple) else value


def _tuple(value: object) -> object:
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


def _rule(raw: dict[str, object]) -> Rule:
    from pushguard.forges.rules import Rule
    check = str(raw['check'])
    if check not in SYNCED:
        raise ValueError(check)
    params = raw.get('params') or []
    assert isinstance(params, list)
    return Rule(check, str(raw['source']), str(raw['reason']), str(raw['server_says']),
                params=tuple((str(k), _tuple(v)) for k, v in params))
