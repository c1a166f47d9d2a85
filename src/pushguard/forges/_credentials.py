"""The developer's own credential for a forge: the SPEC's variables, then git's credential store.

Order: PUSHGUARD_TOKEN; the forge's usual variables (GH_TOKEN, GITHUB_TOKEN; GITLAB_TOKEN,
CI_JOB_TOKEN; BITBUCKET_TOKEN); a user and token in the remote URL; GitHub CLI's stored token
(`gh auth token`, read from its hosts.yml by `_stored`); then `git credential fill` for the host,
never prompting (no terminal prompt, no askpass, a bounded time, the question on stdin). The token
goes only into the header the forge reads; `digest` is a one-way hash for the answer cache.
"""
from __future__ import annotations

import hashlib
import os

from pushguard._typing import NamedTuple

ENV_TOKENS = {
    'github': ('GH_TOKEN', 'GITHUB_TOKEN'),
    'gitlab': ('GITLAB_TOKEN', 'CI_JOB_TOKEN'),
    'bitbucket': ('BITBUCKET_TOKEN',),
    'bitbucket-server': ('BITBUCKET_TOKEN',),
    'gitea': (),
}
_FILL_SECONDS = 2.0


class Credential(NamedTuple):
    header: tuple[str, str] | None  # (name, value) to send; None: ask anonymously
    origin: str                      # where it came from: 'GITHUB_TOKEN', 'git credential'
    secret: str = ''                 # the token itself: for redaction and the digest, never printed

    def digest(self, salt: bytes) -> str:
        """A one-way name for this credential: two tokens never share a cache entry."""
        return hashlib.sha256(salt + self.secret.encode('utf-8', 'surrogateescape')).hexdigest()


def find(forge: str, host: str, scheme: str = 'https', timeout: float = _FILL_SECONDS,
         in_url: tuple[str, str] = ('', '')) -> Credential:
    """The first credential found for `forge` at `host`, or an anonymous one. `in_url` is the
    (user, password) of the remote URL (`https://x-access-token:TOKEN@host/...`): git uses it."""
    for name in ('PUSHGUARD_TOKEN', *ENV_TOKENS.get(forge, ())):
        token = os.environ.get(name, '').strip()
        if token:
            return Credential(_header(forge, token, name), name, token)
    if in_url[1]:
        return Credential(_header(forge, in_url[1], 'git credential', in_url[0]),
                          'the remote URL', in_url[1])
    if forge == 'github':
        from pushguard.forges import _stored
        token = _stored.gh_token(host.rsplit(':', 1)[0] if not host.startswith('[') else host)
        if token:
            return Credential(_header(forge, token, 'gh'), 'gh (hosts.yml)', token)
    user, password = _fill(host, scheme, timeout)
    if password:
        return Credential(_header(forge, password, 'git credential', user), 'git credential',
                          password)
    return Credential(None, 'no token')


def _header(forge: str, token: str, origin: str, user: str = '') -> tuple[str, str]:
    if forge == 'gitlab':
        if origin == 'CI_JOB_TOKEN':
            return ('JOB-TOKEN', token)
        return ('PRIVATE-TOKEN', token) if origin != 'git credential' else (
            'Authorization', f'Bearer {token}')
    if forge == 'gitea':
        return ('Authorization', f'token {token}')
    if forge in ('bitbucket', 'bitbucket-server') and user and origin == 'git credential':
        import base64
        pair = base64.b64encode(f'{user}:{token}'.encode()).decode('ascii')
        return ('Authorization', f'Basic {pair}')
    return ('Authorization', f'Bearer {token}')


def _fill(host: str, scheme: str, timeout: float) -> tuple[str, str]:
    """`git credential fill` for the host, without a prompt: (username, password) or ('', '')."""
    import subprocess
    question = f'protocol={scheme}\nhost={host}\n\n'.encode()
    env = {**os.environ, 'GIT_TERMINAL_PROMPT': '0', 'GIT_ASKPASS': 'false',
           'SSH_ASKPASS': 'false', 'GCM_INTERACTIVE': 'never'}
    try:
        proc = subprocess.run(
            ('git', '-c', 'core.askPass=false', '-c', 'credential.interactive=false',
             'credential', 'fill'),
            input=question, capture_output=True, env=env, timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired):
        return '', ''
    if proc.returncode:
        return '', ''
    fields = dict(line.split('=', 1) for line in proc.stdout.decode('utf-8', 'replace').splitlines()
                  if '=' in line)
    return fields.get('username', ''), fields.get('password', '')
