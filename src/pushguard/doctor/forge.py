"""The forge behind the remote: which forge and repository, the token found and what it may do,
and whether the forge's API answers. One parallel round of requests, within `remote.timeout`;
the token is named by where it came from, never shown.

- GitHub (and Gitea): the repository's `permissions` (admin, push); GitHub's `X-OAuth-Scopes`
  header for a classic token (fine-grained and app tokens send none).
- GitLab: the project's `permissions` (the role: Guest .. Owner), and the token's own name,
  scopes and expiry (`/personal_access_tokens/self`); a CI job token can read neither.
- Bitbucket Cloud and Data Center: the repository answers (the permissions need an admin).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import quote

from pushguard._typing import TYPE_CHECKING
from pushguard.config import Config
from pushguard.doctor import FAIL, OK, WARN, Item

if TYPE_CHECKING:
    from pushguard.forges import Repo
    from pushguard.forges._http import Answer

ROLES = {10: 'Guest', 15: 'Planner', 20: 'Reporter', 30: 'Developer', 40: 'Maintainer',
         50: 'Owner'}
SET_TOKEN = {
    'github': 'export GITHUB_TOKEN=<a token with repo read>   (or `gh auth login`)',
    'gitlab': 'export GITLAB_TOKEN=<a personal access token with read_api>',
    'bitbucket': 'export BITBUCKET_TOKEN=<an API token or app password>',
    'bitbucket-server': 'export BITBUCKET_TOKEN=<an HTTP access token>',
    'gitea': 'export PUSHGUARD_TOKEN=<an access token with read:repository>',
}


def probe(cfg: Config, url: str | None) -> Iterator[Item]:
    """The forge items for the remote `url` (None or a local path: nothing to say here)."""
    from pushguard.errors import ForgeError
    from pushguard.forges import is_local, locate
    if not url or is_local(url):
        return
    if not cfg.remote.enabled:
        yield Item('forge', OK, 'not asked: remote.enabled is false in the policy')
        return
    try:
        repo = locate(url, cfg.remote)
    except ForgeError as e:
        yield Item('forge', WARN, f'{e.message}; the forge checks only warn',
                   '[remote]\nplatform = "github"   (or gitlab, bitbucket, bitbucket-server, '
                   'gitea; and api-url when the API is elsewhere)')
        return
    yield Item('forge', OK, f'{repo.forge}: {repo.label} (API {repo.api})')
    yield from _asked(cfg, repo, url)


def _asked(cfg: Config, repo: Repo, url: str) -> Iterator[Item]:
    import time

    from pushguard.forges import _credentials
    from pushguard.forges._ask import _user_and_password
    from pushguard.forges._http import Client
    started, timeout = time.monotonic(), cfg.remote.timeout
    scheme = 'http' if repo.web.startswith('http://') else 'https'
    credential = _credentials.find(repo.forge, repo.host, scheme, min(2.0, timeout / 2),
                                   _user_and_password(url))
    client = Client(repo.api, credential.header,
                    max(timeout - (time.monotonic() - started), 0.05))
    paths = _paths(repo.forge, repo.path, credential.header)
    answers = client.get_many(list(paths.values()))
    got = {name: answers[path] for name, path in paths.items()}
    main = got['repository']
    if main.status == 0:
        status = FAIL if cfg.remote.offline == 'fail' else WARN
        yield Item('forge-api', status, f'{repo.api} did not answer: {client.redact(main.why)}',
                   'check the network, the proxy (HTTPS_PROXY, NO_PROXY) and remote.api-url; '
                   f'remote.timeout is {timeout:g} s')
        return
    yield Item('forge-api', OK, f'{repo.api} answers (HTTP {main.status})')
    yield _token(repo, credential.origin, credential.header, got)


def _paths(forge: str, path: str, header: tuple[str, str] | None) -> dict[str, str]:
    if forge == 'gitlab':
        paths = {'repository': f'/projects/{quote(path, safe="")}'}
        if header is not None and header[0] != 'JOB-TOKEN':
            paths['token'] = '/personal_access_tokens/self'
        return paths
    if forge == 'bitbucket':
        return {'repository': f'/repositories/{path}'}
    if forge == 'bitbucket-server':
        key, _, slug = path.partition('/')
        return {'repository': f'/api/latest/projects/{quote(key, safe="")}/repos/'
                              f'{quote(slug, safe="")}'}
    return {'repository': f'/repos/{path}'}


def _token(repo: Repo, origin: str, header: tuple[str, str] | None,
           got: Mapping[str, Answer]) -> Item:
    answer = got['repository']
    if header is None:
        return Item('token', WARN, 'no token found (PUSHGUARD_TOKEN, the forge\'s variable, '
                    'gh, git credential): the forge is asked anonymously, and a private '
                    'repository\'s rules cannot be read', SET_TOKEN[repo.forge])
    if answer.status == 401:
        return Item('token', WARN, f'{origin}: the forge refuses it ({answer.why})',
                    f'renew the token, then {SET_TOKEN[repo.forge]}')
    if header[0] == 'JOB-TOKEN':
        return Item('token', OK, f'{origin} (sent as JOB-TOKEN): it cannot read its role nor '
                    'the protected branches; a push to a protected branch needs a project '
                    'access token with write_repository, or the branch\'s "Allowed to push"')
    if not answer.ok:
        return Item('token', WARN, f'{origin}: {repo.label} is not readable with it '
                    f'({answer.why})', f'give the token read access to {repo.label}')
    may, can_push = _may(repo.forge, answer, got.get('token'))
    if can_push is False:
        return Item('token', WARN, f'{origin}: {may}; it cannot push to {repo.label}',
                    f'ask a maintainer of {repo.label} for write access')
    return Item('token', OK, f'{origin}: {may}')


def _may(forge: str, answer: Answer, token: Answer | None) -> tuple[str, bool | None]:
    """What the token may do, in words, and whether it may push (None: not known)."""
    data = answer.data if isinstance(answer.data, dict) else {}
    if forge == 'gitlab':
        return _gitlab(data, token)
    permissions = data.get('permissions')
    if not isinstance(permissions, dict):
        return 'its permissions on the repository are not shown to it', None
    held = [name for name in ('admin', 'maintain', 'push', 'triage', 'pull')
            if permissions.get(name) is True]
    words = f'on the repository: {", ".join(held) or "no permission listed"}'
    if forge == 'github':
        scopes = answer.scopes
        words = (f'scopes {scopes}' if scopes else 'scopes not listed (a fine-grained, app or '
                 'Actions token)' if scopes is None else 'no scopes') + f'; {words}'
    push = permissions.get('push')
    return words, push if isinstance(push, bool) else None


def _gitlab(project: Mapping[str, object], token: Answer | None) -> tuple[str, bool | None]:
    permissions = project.get('permissions')
    levels = []
    if isinstance(permissions, dict):
        for kind in ('project_access', 'group_access'):
            access = permissions.get(kind)
            if isinstance(access, dict) and isinstance(access.get('access_level'), int):
                levels.append(access['access_level'])
    role = ROLES.get(max(levels), f'access level {max(levels)}') if levels else None
    words = f'role {role}' if role else 'its role is not shown to it'
    if token is not None and token.ok and isinstance(token.data, dict):
        scopes = token.data.get('scopes')
        if isinstance(scopes, list):
            words += f'; token scopes {", ".join(str(s) for s in scopes)}'
        if token.data.get('expires_at'):
            words += f'; expires {token.data["expires_at"]}'
    return words, (max(levels) >= 30) if levels else None
