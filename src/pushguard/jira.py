"""Ask Jira whether issue keys exist and which status each is in (`[commit.jira] url`).

One parallel round of `GET /rest/api/2/issue/{key}?fields=status` through the forge layer's
client (one deadline: `remote.timeout`), answers kept in the git dir for `remote.cache-ttl`
seconds under a salted digest of the credential (never the token). Credentials: JIRA_API_TOKEN
with JIRA_USER (Jira Cloud: Basic email:API token) or alone (Data Center: Bearer personal access
token), else `git credential fill` for the Jira host, never prompting.
"""
from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from pushguard._typing import NamedTuple
from pushguard.forges import _cache, _credentials
from pushguard.forges._http import Client

FOLDER = ('pushguard', 'jira-cache')


class Issue(NamedTuple):
    key: str
    status: str | None = None   # the status name, when the issue was read
    missing: bool = False       # Jira says there is no such issue (404)
    why: str = ''               # why it could not be verified (then neither of the above)


def credential(url: str) -> _credentials.Credential:
    token = os.environ.get('JIRA_API_TOKEN', '').strip()
    user = os.environ.get('JIRA_USER', '').strip()
    if token:
        return _credential(user, token, 'JIRA_API_TOKEN')
    parts = urlsplit(url)
    found_user, password = _credentials._fill(parts.netloc, parts.scheme or 'https', 2.0)
    if password:
        return _credential(found_user, password, 'git credential')
    return _credentials.Credential(None, 'no token')


def _credential(user: str, token: str, origin: str) -> _credentials.Credential:
    if user:
        pair = base64.b64encode(f'{user}:{token}'.encode()).decode('ascii')
        return _credentials.Credential(('Authorization', f'Basic {pair}'), origin, token)
    return _credentials.Credential(('Authorization', f'Bearer {token}'), origin, token)


def verify(keys: Sequence[str], url: str, timeout: float, ttl: int, git_dir: str
           ) -> dict[str, Issue]:
    """Each key's Issue: from the cache when young enough, else from Jira in one round."""
    started = time.monotonic()
    cred = credential(url)
    digest = _digest(git_dir, cred)
    names = {key: _cache.key('jira', url, key, digest) for key in keys}
    out = {key: issue for key in keys if (issue := _load(git_dir, names[key], ttl, key))}
    missing = [key for key in keys if key not in out]
    if not missing:
        return out
    left = max(timeout - (time.monotonic() - started), 0.05)
    client = Client(url.rstrip('/'), cred.header, left, configured=timeout)
    paths = {key: f'/rest/api/2/issue/{quote(key, safe="")}?fields=status' for key in missing}
    answers = client.get_many(list(paths.values()))
    for key in missing:
        answer = answers[paths[key]]
        if answer.ok and _status(answer.data) is None:
            issue = Issue(key, why='Jira answered without the issue\'s status')
        elif answer.ok:
            issue = Issue(key, _status(answer.data))
        elif answer.status == 404:
            issue = Issue(key, missing=True)
        else:
            issue = Issue(key, why=client.redact(answer.why))
        out[key] = issue
        if not issue.why:
            _store(git_dir, names[key], issue)
    return out


def _status(data: object) -> str | None:
    fields = data.get('fields') if isinstance(data, dict) else None
    status = fields.get('status') if isinstance(fields, dict) else None
    name = status.get('name') if isinstance(status, dict) else None
    return str(name) if name is not None else None


def _digest(git_dir: str, cred: _credentials.Credential) -> str:
    if not cred.secret:
        return 'anonymous'
    try:
        return cred.digest(_cache.salt(git_dir))
    except OSError:
        return cred.digest(b'')


def _folder(git_dir: str) -> str:
    return os.path.join(git_dir, *FOLDER)


def _load(git_dir: str, name: str, ttl: int, key: str) -> Issue | None:
    if ttl <= 0:
        return None
    path = os.path.join(_folder(git_dir), name)
    try:
        if time.time() - os.stat(path).st_mtime > ttl:
            return None
        with open(path, encoding='utf-8') as f:
            raw = json.load(f)
        return Issue(key, raw.get('status'), raw.get('missing') is True)
    except (OSError, ValueError, AttributeError):
        return None


def _store(git_dir: str, name: str, issue: Issue) -> None:
    try:
        os.makedirs(_folder(git_dir), mode=0o700, exist_ok=True)
        _cache._write(os.path.join(_folder(git_dir), name),
                      json.dumps({'status': issue.status, 'missing': issue.missing}).encode())
    except OSError:
        pass
