"""The forge layer: which forge serves a remote, and the modules that ask it.

Nothing here is imported by a commit-time hook; forge modules are imported on use. `locate` reads
a remote URL as git uses it (https with a user or token, ssh:// with a port, scp-like, nested
GitLab groups, Bitbucket Data Center's /scm/ and /projects/.../repos/ forms) and never keeps the
URL's user or password.
"""
from __future__ import annotations

import re

from pushguard._typing import TYPE_CHECKING, NamedTuple
from pushguard.errors import ForgeError

if TYPE_CHECKING:
    from pushguard.config import Remote

FORGES = {
    'github': 'pushguard.forges.github',
    'gitlab': 'pushguard.forges.gitlab',
    'bitbucket': 'pushguard.forges.bitbucket',
    'bitbucket-server': 'pushguard.forges.bitbucket_server',
    'gitea': 'pushguard.forges.gitea',
}
KNOWN_HOSTS = {'github.com': 'github', 'gitlab.com': 'gitlab', 'bitbucket.org': 'bitbucket'}
_API_PATHS = {'github': '/api/v3', 'gitlab': '/api/v4', 'bitbucket': '/2.0',
              'bitbucket-server': '/rest', 'gitea': '/api/v1'}
_PUBLIC_API = {'github.com': 'https://api.github.com', 'gitlab.com': 'https://gitlab.com/api/v4',
               'bitbucket.org': 'https://api.bitbucket.org/2.0'}
_SCP = re.compile(r'^(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+):(?!//)(.*)$')


class Repo(NamedTuple):
    """A repository on a forge: the forge's name, its host, the repository path, the bases."""

    forge: str    # a key of FORGES
    host: str     # host[:port] of the git remote, without any user or password
    path: str     # owner/name, group/sub/name, PROJECT/repo (no .git, no leading slash)
    api: str      # the API base, no trailing slash
    web: str      # the web base: https://host/path

    @property
    def label(self) -> str:
        return f'{self.host}/{self.path}'


def is_local(url: str) -> bool:
    """A path or file:// URL: a repository on this machine, no forge to ask."""
    if url.startswith('file://') or url.startswith(('/', './', '../')) or url in ('.', '..'):
        return True
    if '://' in url:
        return False
    return _SCP.match(url) is None or len(url) > 1 and url[1] == ':'  # C:\ is a path


def locate(url: str, remote: Remote) -> Repo:
    """The forge and repository a remote URL names; ForgeError when it cannot be known."""
    scheme, host, path = _split(url)
    bare_host = host.rsplit(':', 1)[0] if not host.startswith('[') else host
    forge = remote.platform if remote.platform != 'auto' else KNOWN_HOSTS.get(bare_host.lower())
    if forge is None:
        raise ForgeError(f'remote host {bare_host!r} is not a known forge: set remote.platform '
                         f'({", ".join(FORGES)}) in .pushguard.toml')
    if forge not in FORGES:
        raise ForgeError(f'remote.platform: {forge!r} is not one of {", ".join(FORGES)}')
    path = _repository_path(forge, path)
    if not path:
        raise ForgeError(f'remote URL names no repository: {redact_url(url)}')
    web_scheme = scheme if scheme in ('http', 'https') else 'https'
    web_host = host if scheme in ('http', 'https') else bare_host
    api = remote.api_url.rstrip('/') if remote.api_url else (
        _PUBLIC_API.get(bare_host.lower()) or f'{web_scheme}://{web_host}{_API_PATHS[forge]}')
    return Repo(forge, host, path, api, f'{web_scheme}://{web_host}/{path}')


def _split(url: str) -> tuple[str, str, str]:
    """(scheme, host[:port], path) of a git URL, user and password dropped."""
    if '://' in url:
        from urllib.parse import urlsplit
        parts = urlsplit(url)
        host = parts.hostname or ''
        if ':' in host:
            host = f'[{host}]'
        try:
            port = parts.port
        except ValueError:
            raise ForgeError(f'remote URL has a bad port: {redact_url(url)}') from None
        keep_port = port is not None and parts.scheme in ('http', 'https')
        return parts.scheme.lower(), host + (f':{port}' if keep_port else ''), parts.path
    match = _SCP.match(url)
    if match is None:
        raise ForgeError(f'remote URL is not one git reads: {redact_url(url)}')
    return 'ssh', match[1], '/' + match[2]


def _repository_path(forge: str, path: str) -> str:
    path = path.strip('/')
    if path.endswith('.git'):
        path = path[:-4]
    parts = [p for p in path.split('/') if p]
    if forge == 'bitbucket-server':
        if len(parts) >= 2 and parts[0] == 'scm':
            parts = parts[1:]
        if len(parts) >= 4 and parts[0] == 'projects' and parts[2] == 'repos':
            parts = [parts[1], parts[3]]
        parts = parts[-2:]
    elif forge != 'gitlab':
        parts = parts[-2:] if len(parts) > 2 else parts
    return '/'.join(parts)


def redact_url(url: str) -> str:
    """The URL with any user and password replaced: safe to print."""
    return re.sub(r'(://)[^/@]*@', r'\1***@', url)
