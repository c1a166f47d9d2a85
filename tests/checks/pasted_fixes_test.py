"""Every fix the content checks print, pasted into a shell as a user would: it must work."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from testing import gitrepo
from testing.run import check_json, run_pushguard

AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'
MiB = 2**20
ODD_NAMES = [
    pytest.param('-dash.bin', id='leading-dash'),
    pytest.param("it's \"quoted\".bin", id='quotes'),
    pytest.param(b'caf\xe9 data.bin', id='not-utf8'),
]


def paste(command: str) -> None:
    """Run a fix as bash would, from the work tree's top; fail with what it said."""
    proc = subprocess.run(('bash', '-c', command), capture_output=True)
    assert proc.returncode == 0, f'{command}\n{proc.stderr.decode(errors="replace")}'


def _big(repo, name: str | bytes, size: int = 2 * MiB) -> None:
    gitrepo.write(repo, name, b'x' * size)


@pytest.fixture
def policy(repo):
    (repo / '.pushguard.toml').write_text('[files]\nmax-size = "1MB"\n')
    return gitrepo.commit(repo, 'chore: base', {'README': 'hi\n'})


def _file_size_fix(rev: str) -> str:
    code, [finding] = check_json('file-size', rev)
    assert code == 1
    return finding['fix'].splitlines()[0].split('  #')[0]


# --- file-size ------------------------------------------------------------------------------

@pytest.mark.parametrize('name', [*ODD_NAMES, pytest.param('data.bin', id='plain')])
def test_large_file_fix_when_the_commit_only_adds_it(repo, policy, name):
    _big(repo, name)
    gitrepo.commit(repo, 'feat: data')
    paste(_file_size_fix(f'{policy}..HEAD'))
    assert gitrepo.head(repo) == policy  # no empty commit left behind
    assert check_json('file-size', f'{policy}..HEAD') == (0, [])
    assert os.path.exists(os.path.join(os.fsencode(repo), os.fsencode(name)))  # the file stays


def test_large_file_fix_when_the_first_commit_only_adds_it(repo):
    (repo / '.git' / 'info').mkdir(exist_ok=True)
    (repo / '.git' / 'info' / 'exclude').write_text('.pushguard.toml\n')
    (repo / '.pushguard.toml').write_text('[files]\nmax-size = "1MB"\n')
    _big(repo, 'data.bin')
    gitrepo.commit(repo, 'feat: data')
    paste(_file_size_fix('HEAD'))
    unborn = subprocess.run(('git', 'rev-parse', '-q', '--verify', 'HEAD'), capture_output=True)
    assert unborn.returncode != 0  # no empty first commit left behind
    assert gitrepo.git('ls-files') == ''


@pytest.mark.parametrize('name', ODD_NAMES)
def test_large_file_fix_amends_a_commit_with_other_changes(repo, policy, name):
    _big(repo, name)
    gitrepo.commit(repo, 'feat: data', {'keep.txt': 'kept\n'})
    paste(_file_size_fix(f'{policy}..HEAD'))
    assert check_json('file-size', f'{policy}..HEAD') == (0, [])
    assert gitrepo.git('ls-files').split() == ['.pushguard.toml', 'README', 'keep.txt']


# --- secrets --------------------------------------------------------------------------------

def _not_a_secret(rev: str, baseline: str = '.secrets.baseline') -> str:
    code, findings = check_json('secrets', rev)
    assert code == 1
    [line] = [line for finding in findings for line in finding['fix'].splitlines()
              if line.startswith('not a secret?')]
    return line.split(f'list it in {baseline}: ', 1)[1]


def test_not_a_secret_fix_without_a_baseline_creates_one_as_pushguard_scans(repo):
    base = gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    gitrepo.commit(repo, 'test: fixture', {'tests/data.py': f'aws = "{AWS_KEY}"\n'})
    paste(_not_a_secret(f'{base}..HEAD'))
    assert check_json('secrets', f'{base}..HEAD') == (0, [])
    with open(repo / '.secrets.baseline') as f:
        plugins = {plugin['name'] for plugin in json.load(f)['plugins_used']}
    assert 'AWSKeyDetector' in plugins and 'Base64HighEntropyString' not in plugins
    assert gitrepo.git('status', '--porcelain') == 'A  .secrets.baseline\n'


def test_not_a_secret_fix_with_a_baseline(repo):
    (repo / '.secrets.baseline').write_bytes(subprocess.run(
        ('detect-secrets', 'scan'), check=True, capture_output=True).stdout)
    base = gitrepo.commit(repo, 'chore: baseline')
    gitrepo.commit(repo, 'test: fixture', {'tests/data.py': f'aws = "{AWS_KEY}"\n'})
    paste(_not_a_secret(f'{base}..HEAD'))
    assert check_json('secrets', f'{base}..HEAD') == (0, [])


@pytest.mark.parametrize('name', ['gone/data.py', '-gone.py', "it's gone.py"])
def test_not_a_secret_fix_for_a_file_deleted_later_in_the_push(repo, name):
    base = gitrepo.commit(repo, 'chore: start', {'README': 'hi\n', '.gitignore': 'gone*\n'})
    gitrepo.write(repo, name, f'aws = "{AWS_KEY}"\n')
    gitrepo.git('add', '-f', '--', name)
    gitrepo.commit(repo, 'test: fixture')
    gitrepo.git('rm', '-q', '--', name)
    gitrepo.commit(repo, 'test: drop the fixture')
    paste(_not_a_secret(f'{base}..HEAD'))
    assert check_json('secrets', f'{base}..HEAD') == (0, [])
    assert gitrepo.git('status', '--porcelain') == 'A  .secrets.baseline\n'
    assert not os.path.lexists(repo / name)


@pytest.mark.parametrize('name', ['-dash.py', "it's \"quoted\".py", b'caf\xe9 data.py'])
def test_staged_secret_fix_unstages_odd_paths(repo, name):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    gitrepo.write(repo, name, f'aws = "{AWS_KEY}"\n')
    gitrepo.git('add', '-A')
    result = run_pushguard('hook', 'pre-commit', '--only', 'secrets', '--format', 'json')
    [finding] = json.loads(result.out)['findings']
    unstage = finding['fix'].split('or unstage the file: ', 1)[1].split(' (before', 1)[0]
    paste(unstage)
    assert gitrepo.git('diff', '--cached', '--name-only') == ''
