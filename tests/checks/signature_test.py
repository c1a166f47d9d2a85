from __future__ import annotations

import os
import subprocess

import pytest

from testing.gitrepo import commit, git
from testing.run import check_json, run_pushguard

EMAIL = 'ada@example.com'  # the committer conftest pins


def _check(*argv):
    return check_json('signature', *argv)


def _policy(repo, verify):
    (repo / '.pushguard.toml').write_text(f'[signing]\nrequired = true\nverify = {verify}\n')


def _keygen(path):
    subprocess.run(('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', str(path)),
                   check=True)
    return path.with_suffix('.pub')


def _signed(repo, message, files=None):
    for name, content in (files or {}).items():
        (repo / name).write_text(content)
    git('add', '-A')
    git('commit', '-q', '-S', '--allow-empty', '--no-verify', '-m', message)
    return git('rev-parse', 'HEAD').strip()


@pytest.fixture
def ssh(repo, tmp_path):
    """SSH signing in the repo: `mine` is allowed for EMAIL, `other` for no one."""
    mine, other = _keygen(tmp_path / 'mine'), _keygen(tmp_path / 'other')
    allowed = tmp_path / 'allowed_signers'
    allowed.write_text(f'{EMAIL} {mine.read_text()}')
    git('config', 'gpg.format', 'ssh')
    git('config', 'user.signingkey', str(mine))
    git('config', 'gpg.ssh.allowedSignersFile', str(allowed))
    return {'mine': mine, 'other': other}


@pytest.mark.parametrize(('how', 'verify', 'why'), (
    pytest.param('unsigned', 'false', 'is not signed', id='unsigned'),
    pytest.param('unsigned', 'true', 'is not signed', id='unsigned-verify'),
    pytest.param('mine', 'false', None, id='signed'),
    pytest.param('mine', 'true', None, id='signed-verified'),
    pytest.param('other', 'false', None, id='not-allowed-without-verify'),
    pytest.param('other', 'true', 'is signed with an SSH key that no entry of '
                 'gpg.ssh.allowedSignersFile allows (no allowed signer)', id='not-allowed-verify'),
    pytest.param('no-allowed-file', 'true', 'has an SSH signature git cannot check: '
                 'gpg.ssh.allowedSignersFile is not set', id='no-allowed-signers-file'),
))
def test_ssh_signatures(repo, ssh, how, verify, why):
    _policy(repo, verify)
    base = commit(repo, 'chore: base')
    if how == 'unsigned':
        sha = commit(repo, 'feat: work', {'a.txt': 'a\n'})
    else:
        if how == 'other':
            git('config', 'user.signingkey', str(ssh['other']))
        sha = _signed(repo, 'feat: work', {'a.txt': 'a\n'})
        if how == 'no-allowed-file':
            git('config', '--unset', 'gpg.ssh.allowedSignersFile')
    code, findings = _check(f'{base}..HEAD', '--branch', 'feat/x')
    if why is None:
        assert (code, findings) == (0, [])
        return
    assert code == 1
    [finding] = findings
    assert (finding['check'], finding['ref'], finding['commit'], finding['path']) == (
        'signature', 'refs/heads/feat/x', sha, None,
    )
    assert finding['message'] == f'commit {sha[:12]} {why}'
    assert finding['fix'].startswith(
        f'git config commit.gpgsign true && git rebase --force-rebase --gpg-sign {sha[:12]}~1',
    )
    if how in ('other', 'no-allowed-file'):
        assert 'gpg.ssh.allowedSignersFile ~/.ssh/allowed_signers' in finding['fix']


def test_fix_re_signs_from_the_oldest_unsigned_commit(repo, ssh):
    _policy(repo, 'true')
    base = commit(repo, 'chore: base')
    signed = _signed(repo, 'feat: signed', {'a.txt': 'a\n'})
    first = commit(repo, 'feat: unsigned one', {'b.txt': 'b\n'})
    second = commit(repo, 'feat: unsigned two')
    code, findings = _check(f'{base}..HEAD', '--branch', 'main')
    assert code == 1
    assert [f['commit'] for f in findings] == [first, second]
    fix = findings[0]['fix']
    assert fix.splitlines()[0] == ('git config commit.gpgsign true && '
                                   f'git rebase --force-rebase --gpg-sign {first[:12]}~1')
    assert 'no signing key set up? git config gpg.format ssh' in fix
    subprocess.run(fix.splitlines()[0], shell=True, check=True, capture_output=True)
    assert _check(f'{base}..HEAD', '--branch', 'main') == (0, [])
    assert git('rev-parse', 'HEAD~2').strip() == signed  # the signed commit is kept as it was
    assert git('log', '-1', '--format=%s').strip() == 'feat: unsigned two'


def test_unsigned_merge_commit_counts_and_the_fix_keeps_it(repo, ssh):
    _policy(repo, 'true')
    base = commit(repo, 'chore: base')
    git('checkout', '-q', '-b', 'side')
    _signed(repo, 'feat: side', {'s.txt': 's\n'})
    git('checkout', '-q', 'main')
    _signed(repo, 'feat: main', {'m.txt': 'm\n'})
    git('merge', '-q', '--no-ff', '--no-gpg-sign', '--no-edit', 'side')
    merge = git('rev-parse', 'HEAD').strip()
    code, [finding] = _check(f'{base}..HEAD', '--branch', 'main')
    assert code == 1
    assert finding['commit'] == merge
    assert finding['message'] == f'merge commit {merge[:12]} is not signed'
    assert finding['fix'].splitlines()[0] == (
        'git config commit.gpgsign true && '
        f'git rebase --force-rebase --rebase-merges --gpg-sign {merge[:12]}~1'
    )
    subprocess.run(finding['fix'].splitlines()[0], shell=True, check=True, capture_output=True)
    assert _check(f'{base}..HEAD', '--branch', 'main') == (0, [])
    assert len(git('log', '-1', '--format=%P').split()) == 2


def test_root_commit_is_re_signed_with_root(repo, ssh):
    _policy(repo, 'false')
    root = commit(repo, 'chore: first')
    _, [finding] = _check('HEAD', '--branch', 'main')
    assert finding['commit'] == root
    assert finding['fix'].splitlines()[0].endswith('--gpg-sign --root')
    subprocess.run(finding['fix'].splitlines()[0], shell=True, check=True, capture_output=True)
    assert _check('HEAD', '--branch', 'main') == (0, [])


def test_text_output(repo, ssh):
    _policy(repo, 'false')
    base = commit(repo, 'chore: base')
    sha = commit(repo, 'feat: work')
    result = run_pushguard('check', f'{base}..HEAD', '--branch', 'feat/x', '--only', 'signature')
    assert result.code == 1
    assert f'error [signature] commit {sha[:12]} is not signed (feat/x, {sha[:12]})' in result.out
    assert 'fix: git config commit.gpgsign true && git rebase --force-rebase' in result.out


def test_not_required_without_a_signing_section(repo):
    base = commit(repo, 'chore: base')
    commit(repo, 'feat: work')
    result = run_pushguard('check', f'{base}..HEAD', '--branch', 'feat/x', '--skip', 'secrets')
    assert '[signature]' not in result.out


@pytest.fixture
def gpg_home(repo, tmp_path, monkeypatch):
    """A GnuPG home with an ultimately trusted signing key for EMAIL, used by git for -S."""
    home = tmp_path / 'gnupg'
    home.mkdir(mode=0o700)
    monkeypatch.setenv('GNUPGHOME', str(home))
    subprocess.run(('gpg', '--batch', '--quiet', '--passphrase', '', '--quick-gen-key',
                    f'Ada Tester <{EMAIL}>', 'ed25519', 'sign', 'never'), check=True,
                   capture_output=True)
    yield home
    for gnupg in (home, tmp_path / 'gnupg-verifier'):
        if gnupg.exists():
            subprocess.run(('gpgconf', '--kill', 'gpg-agent'), capture_output=True,
                           env={**os.environ, 'GNUPGHOME': str(gnupg)})


@pytest.mark.parametrize(('verifier', 'why'), (
    pytest.param('signer', None, id='trusted-key-G'),
    pytest.param('imported-untrusted', None, id='untrusted-key-U-passes'),
    pytest.param('empty', "has a signature git cannot check: the signer's public key is missing "
                 'here', id='missing-key-E'),
))
def test_gpg_signatures(repo, gpg_home, tmp_path, monkeypatch, verifier, why):
    _policy(repo, 'true')
    base = commit(repo, 'chore: base')
    sha = _signed(repo, 'feat: gpg', {'g.txt': 'g\n'})
    if verifier != 'signer':
        other = tmp_path / 'gnupg-verifier'
        other.mkdir(mode=0o700)
        if verifier == 'imported-untrusted':
            public = subprocess.run(('gpg', '--export', EMAIL), capture_output=True,
                                    check=True).stdout
            subprocess.run(('gpg', '--batch', '--quiet', '--import'), input=public, check=True,
                           capture_output=True, env={**os.environ, 'GNUPGHOME': str(other)})
        monkeypatch.setenv('GNUPGHOME', str(other))
    code, findings = _check(f'{base}..HEAD', '--branch', 'main')
    if why is None:
        assert (code, findings) == (0, [])
        return
    assert code == 1
    [finding] = findings
    assert finding['message'] == f'commit {sha[:12]} {why}'
    assert "or import the signer's public key: gpg --import KEYFILE" in finding['fix']
