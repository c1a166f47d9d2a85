"""signature: a pushed commit (merges too) carries no signature (GPG, SSH or X.509), or, with
`signing.verify`, git does not verify its signature.

Mirrors GitHub's `required_signatures` rule and GitLab's `reject_unsigned_commits` push rule.
Whether a commit is signed comes from its header; verifying asks git (`%G?`). `G` passes; `U`
(a good signature from a key whose trust is unknown) passes for GPG and X.509, as the forges
check signatures against the keys users upload, not against a local web of trust; for SSH, `U`
means no entry of gpg.ssh.allowedSignersFile allows the key, and fails. The fix re-signs the
pushed commits from the oldest one that fails.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from pushguard.checks._paths import rebase_base
from pushguard.checks._stream import Failing, Stream, whole
from pushguard.config import Config
from pushguard.model import Commit, Context, Finding, Need

ID = 'signature'
NEEDS = frozenset({Need.SIGNATURES, Need.MESSAGES})
_ALLOW_SSH_KEY = ('or allow your key: echo "$(git config user.email) $(cat ~/.ssh/id_ed25519.pub)"'
                  ' >> ~/.ssh/allowed_signers && git config gpg.ssh.allowedSignersFile'
                  ' ~/.ssh/allowed_signers')
_SET_UP_SIGNING = ('no signing key set up? git config gpg.format ssh && '
                   'git config user.signingkey ~/.ssh/id_ed25519.pub')
# git's %G? letters other than G (and U outside SSH): why the signature does not count
_WHY = {
    'B': 'has a bad signature (the commit changed after signing, or the key does not match)',
    'E': "has a signature git cannot check: the signer's public key is missing here",
    'X': 'has a good signature that has expired',
    'Y': 'is signed with a key that has expired',
    'R': 'is signed with a revoked key',
    'N': 'has a signature git could not check (is gpg, gpgsm or ssh-keygen set up?)',
}
_SSH_WHY = {
    'U': 'is signed with an SSH key that no entry of gpg.ssh.allowedSignersFile allows'
         ' (no allowed signer)',
    'N': 'has an SSH signature git cannot check: gpg.ssh.allowedSignersFile is not set',
}
_IMPORT_KEY = "or import the signer's public key: gpg --import KEYFILE (or gpg --recv-keys KEYID)"


def problem(commit: Commit, verify: bool) -> str | None:
    """Why `commit`'s signature does not count, or None when it does (or was not fetched)."""
    if commit.sha is None or commit.signature is None:
        return None
    kind, status = commit.signature
    if kind is None:
        return 'is not signed'
    if not verify or not status or status == 'G' or (status == 'U' and kind != 'ssh'):
        return None
    reasons = _SSH_WHY if kind == 'ssh' else {}
    return reasons.get(status) or _WHY.get(status, f'has a signature git rejects ({status})')


def _resign(oldest: Commit, merges: bool) -> str:
    merge_flag = ' --rebase-merges' if merges else ''
    return (f'git config commit.gpgsign true && '
            f'git rebase --force-rebase{merge_flag} --gpg-sign {rebase_base(oldest)}')


def _hint(commit: Commit) -> str | None:
    kind, status = commit.signature or (None, None)
    if kind is None:
        return _SET_UP_SIGNING
    if kind == 'ssh' and status in ('U', 'N'):
        return _ALLOW_SSH_KEY
    return _IMPORT_KEY if status == 'E' else None


def _fix(oldest: Commit, merges: bool, failing: Sequence[Commit]) -> str:
    hints = [hint for hint in map(_hint, failing) if hint]
    return '\n'.join(dict.fromkeys([_resign(oldest, merges), *hints]))


class _Signatures(Failing):
    check_id = ID

    def __init__(self, ctx: Context, verify: bool) -> None:
        super().__init__(ctx)
        self.verify = verify

    def why(self, commit: Commit) -> str | None:
        return problem(commit, self.verify)

    def fix(self, on_ref: list[Commit], merges: bool) -> str:
        return _fix(on_ref[0], merges, on_ref)

    def say(self, commit: Commit, why: str) -> str:
        return f'{"merge commit" if commit.is_merge else "commit"} {commit.short} {why}'


def stream(ctx: Context, cfg: Config) -> Stream:
    """Streamed: each batch of commits comes with its signatures' kinds, and git's verdicts
    under `signing.verify`."""
    return _Signatures(ctx, cfg.signing_verify)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
