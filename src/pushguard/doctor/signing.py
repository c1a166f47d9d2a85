"""Is signing set up when the policy (or git's commit.gpgsign) asks for signed commits?"""
from __future__ import annotations

import os
from collections.abc import Iterator

from pushguard import _process, git
from pushguard.config import Config
from pushguard.doctor import FAIL, OK, Item

_KEYS = ('commit.gpgSign', 'user.signingKey', 'gpg.format', 'gpg.ssh.allowedSignersFile')


def probe(cfg: Config | None) -> Iterator[Item]:
    values = git.config_values(*_KEYS)
    wants_signing = values.get('commit.gpgsign', '').lower() in ('true', 'yes', 'on', '1')
    required = cfg is not None and cfg.signing_required
    if not (required or wants_signing):
        return
    if required and not wants_signing:
        yield Item('signing', FAIL, 'the policy requires signed commits, but git does not sign '
                   'them (commit.gpgsign is not true)', 'git config commit.gpgsign true')
    fmt = values.get('gpg.format', 'openpgp') or 'openpgp'
    key = values.get('user.signingkey', '')
    found = _ssh_key(key) if fmt == 'ssh' else _gpg_key(key) if fmt == 'openpgp' else None
    if found is not None:
        yield found
    if cfg is not None and cfg.signing_verify and fmt == 'ssh':
        signers = values.get('gpg.ssh.allowedsignersfile', '')
        if not signers or not os.path.exists(os.path.expanduser(signers)):
            yield Item('signing', FAIL, 'signing.verify checks SSH signatures, but '
                       'gpg.ssh.allowedSignersFile is not set or does not exist',
                       'echo "$(git config user.email) $(cat ~/.ssh/id_ed25519.pub)" >> '
                       '~/.ssh/allowed_signers && git config gpg.ssh.allowedSignersFile '
                       '~/.ssh/allowed_signers')


def _ssh_key(key: str) -> Item:
    if not key:
        return Item('signing', FAIL, 'gpg.format is ssh but user.signingkey is not set',
                    'git config user.signingkey ~/.ssh/id_ed25519.pub')
    if key.startswith(('key::', 'ssh-')) or os.path.exists(os.path.expanduser(key)):
        return Item('signing', OK, f'signs with the SSH key {key}')
    return Item('signing', FAIL, f'user.signingkey names {key}, which does not exist',
                'git config user.signingkey <path to your public key>')


def _gpg_key(key: str) -> Item:
    argv = ('gpg', '--batch', '--list-secret-keys', '--with-colons', *([key] if key else []))
    try:
        code, out, _ = _process.run(argv, stdin=b'', timeout=10)
    except FileNotFoundError:
        return Item('signing', FAIL, 'git signs with GnuPG, which is not installed',
                    'install gnupg, or sign with SSH: git config gpg.format ssh')
    except (TimeoutError, OSError):
        return Item('signing', FAIL, 'gpg did not answer', 'gpg --list-secret-keys')
    if code != 0 or b'sec:' not in out:
        what = f'the key {key}' if key else 'a secret key'
        return Item('signing', FAIL, f'gpg has no {what} to sign with',
                    'gpg --full-generate-key; git config user.signingkey <its id>')
    return Item('signing', OK, f'signs with the GnuPG key {key or "(default)"}')
