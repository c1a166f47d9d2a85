"""Can this repository reach its remote: the URL, `git ls-remote`, ssh authentication, and a
shallow clone in CI. Each probe is bounded in time and never prompts."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator

from pushguard import _process, git
from pushguard.doctor import FAIL, OK, WARN, Item
from pushguard.errors import PushguardError

TIMEOUT = 15.0  # seconds, for each network probe
_SCP_LIKE = re.compile(r'^(?:(?P<user>[^@/]+)@)?(?P<host>[^:/]+):(?!//)')
_SSH_URL = re.compile(r'^ssh://(?:(?P<user>[^@/]+)@)?(?P<host>[^:/]+)(?::(?P<port>\d+))?/')
_AUTHENTICATED = re.compile(r'successfully authenticated|Welcome to GitLab|logged in as|'
                            r'authenticated via|You can use git', re.IGNORECASE)


def quiet_env() -> dict[str, str]:
    """The environment for a probe: no terminal prompt, no askpass, ssh in batch mode."""
    env = {**os.environ, 'GIT_TERMINAL_PROMPT': '0', 'GIT_ASKPASS': 'true', 'SSH_ASKPASS': 'true',
           'GCM_INTERACTIVE': 'never'}
    if 'GIT_SSH_COMMAND' not in env and 'GIT_SSH' not in env and not git.config_values(
            'core.sshCommand'):
        env['GIT_SSH_COMMAND'] = 'ssh -o BatchMode=yes -o ConnectTimeout=10'
    return env


def remote_name() -> str | None:
    """The remote pushes go to: the upstream's, else origin, else the only one."""
    upstream = git.upstream()
    names = git.decode(git.run('remote')).split()
    if upstream and upstream.split('/')[0] in names:
        return upstream.split('/')[0]
    if 'origin' in names:
        return 'origin'
    return names[0] if len(names) == 1 else None


def push_url() -> str | None:
    """The URL pushes go to (insteadOf applied), or None without a remote."""
    name = remote_name()
    return git.decode(git.run('ls-remote', '--get-url', name)).strip() if name else None


def probe() -> Iterator[Item]:
    name = remote_name()
    if name is None:
        yield Item('remote', WARN, 'no remote to push to (or several, none of them origin)',
                   'git remote add origin <URL>')
        return
    url = git.decode(git.run('ls-remote', '--get-url', name)).strip()
    yield from _reachable(name, url)
    ssh = ssh_target(url)
    if ssh is not None:
        yield from _ssh_auth(*ssh)


def _reachable(name: str, url: str) -> Iterator[Item]:
    try:
        code, _, err = _process.run(('git', 'ls-remote', '--heads', name), env=quiet_env(),
                                    timeout=TIMEOUT)
    except TimeoutError:
        yield Item('remote', FAIL, f'{name} did not answer within {TIMEOUT:.0f} s',
                   f'git ls-remote {name}   (try again; check the network and proxy)')
        return
    if code == 0:
        yield Item('remote', OK, f'{name} answers ({_without_userinfo(url)})')
        return
    yield _from_git_failure('remote', name, err.decode('utf-8', 'replace'))


def _from_git_failure(item: str, name: str, said: str) -> Item:
    """What git said, explained by the same catalogue `pushguard explain` uses."""
    from pushguard.explain import explain
    cause = explain(said, name)[0]
    last = said.strip().splitlines()[-1] if said.strip() else 'no message'
    if cause.cause == 'unknown':
        return Item(item, FAIL, f'{name} could not be reached: {last}', f'git ls-remote {name}')
    return Item(item, FAIL, f'{name}: {cause.message} [{cause.cause}]', cause.fix)


def ssh_target(url: str) -> tuple[str, str, str | None] | None:
    """(user, host, port) of an ssh remote; None for https, file and local paths."""
    match = _SSH_URL.match(url) or (None if '://' in url or url.startswith(('/', '.'))
                                    else _SCP_LIKE.match(url))
    if match is None:
        return None
    groups = match.groupdict()
    return groups['user'] or 'git', groups['host'], groups.get('port')


def _ssh_auth(user: str, host: str, port: str | None) -> Iterator[Item]:
    argv = ('ssh', '-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10',
            *(('-p', port) if port else ()), f'{user}@{host}')
    try:
        _, out, err = _process.run(argv, stdin=b'', env=quiet_env(), timeout=TIMEOUT)
    except (TimeoutError, OSError) as e:
        yield Item('ssh', FAIL, f'ssh to {host} did not finish: {type(e).__name__}',
                   f'ssh -vT {user}@{host}')
        return
    said = (out + err).decode('utf-8', 'replace')
    if _AUTHENTICATED.search(said):
        yield Item('ssh', OK, f'ssh authenticates to {host}')
    else:
        yield _from_git_failure('ssh', 'origin', said)


def shallow() -> Iterator[Item]:
    try:
        is_shallow = git.run('rev-parse', '--is-shallow-repository').strip() == b'true'
    except PushguardError:
        return
    if not is_shallow:
        return
    setting = _ci_setting()
    yield Item('shallow', WARN, 'this is a shallow clone: checks cannot see the history beyond '
               'its cut, and `pushguard ci` needs the base of the range',
               setting or 'git fetch --unshallow')


def _ci_setting() -> str | None:
    if os.environ.get('GITHUB_ACTIONS'):
        return 'actions/checkout with `fetch-depth: 0`'
    if os.environ.get('GITLAB_CI'):
        return 'variables: GIT_DEPTH: 0   (in .gitlab-ci.yml)'
    if os.environ.get('BITBUCKET_BUILD_NUMBER'):
        return 'clone: depth: full   (in bitbucket-pipelines.yml)'
    return None


def _without_userinfo(url: str) -> str:
    """A URL fit to print: a user or token before `@` in an https URL never is."""
    return re.sub(r'^([a-z+]+://)[^@/]*@', r'\1', url)
