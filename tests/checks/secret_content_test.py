"""What the content checks read of a commit: binary files, lone CRs, the user's diff config,
renames, and secrets that only differ after their first line."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from testing import gitrepo
from testing.run import run_pushguard

AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'
KEY_BODY = 'MIIEowIBAAKCAQEA7bq98{n}Zr4kTHAkRjmWJ1n7ZJ9rX1gBp0QuMEdyk0gqWE5x4v1LwT0hN\n'


def findings(*argv: str, only: str = 'secrets') -> list[dict[str, object]]:
    result = run_pushguard('check', *argv, '--only', only, '--format', 'json')
    assert result.code in (0, 1), result.err
    return json.loads(result.out)['findings']


def where(found: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(f['path'], f['line']) for f in found]


def private_key(n: int) -> str:
    return (f'-----BEGIN RSA PRIVATE KEY-----\n{KEY_BODY.format(n=n) * 3}'
            '-----END RSA PRIVATE KEY-----\n')


# --- binary files (a NUL byte, or .gitattributes saying so) are scanned --------------------

@pytest.mark.parametrize('attributes', (
    pytest.param(None, id='nul-byte'),
    pytest.param('*.cfg -diff\n', id='minus-diff'),
    pytest.param('*.cfg binary\n', id='binary'),
    pytest.param('*.cfg diff=opaque\n', id='driver-says-binary'),
))
def test_a_file_git_calls_binary_is_scanned(repo, attributes):
    gitrepo.git('config', 'diff.opaque.binary', 'true')
    files = {'app.cfg': f'name = x\x00y\naws = "{AWS_KEY}"\n'.encode()}
    if attributes is not None:
        files = {'.gitattributes': attributes, 'app.cfg': f'aws = "{AWS_KEY}"\n'}
    sha = gitrepo.commit(repo, 'feat: config', files)
    assert where(findings(sha)) == [('app.cfg', 2 if attributes is None else 1)]
    more = f'aws = "{AWS_KEY}"\nb = "AKIAXYZDQCEN4B6JSJQI"\n'
    gitrepo.commit(repo, 'feat: more', {'app.cfg': more})
    assert where(findings('HEAD~1..HEAD')) == [('app.cfg', 2)]


def test_a_staged_binary_file_is_scanned(repo):
    gitrepo.commit(repo, 'chore: start', {'.gitattributes': '*.cfg -diff\n'})
    gitrepo.write(repo, 'app.cfg', f'aws = "{AWS_KEY}"\n')
    gitrepo.git('add', 'app.cfg')
    result = run_pushguard('hook', 'pre-commit', '--only', 'secrets')
    assert result.code == 1
    assert 'app.cfg:1' in result.out + result.err


# --- a lone CR ends a line, as detect-secrets reads files -----------------------------------

def test_a_pragma_before_a_lone_cr_does_not_reach_the_next_line(repo):
    sha = gitrepo.commit(repo, 'feat: config', {
        'app.py': f'# pragma: allowlist nextline secret\rx = 1\naws = "{AWS_KEY}"\n'.encode(),
    })
    assert where(findings(sha)) == [('app.py', 2)]


def test_a_pragma_after_a_lone_cr_allowlists_what_follows_as_detect_secrets_does(repo):
    sha = gitrepo.commit(repo, 'feat: config', {
        'app.py': f'x = 1\r# pragma: allowlist nextline secret\naws = "{AWS_KEY}"\r\n'.encode(),
    })
    assert findings(sha) == []


# --- the user's diff config cannot move paths or lines --------------------------------------

USER_DIFF_CONFIG = {
    'diff.noprefix': 'true', 'diff.mnemonicPrefix': 'true', 'diff.interHunkContext': '20',
    'diff.context': '9', 'color.ui': 'always', 'color.diff': 'always', 'diff.relative': 'true',
    'diff.external': 'false', 'diff.renames': 'copies', 'diff.orderFile': 'order.txt',
    'diff.srcPrefix': 'SRC/', 'diff.dstPrefix': 'DST/', 'core.quotePath': 'false',
    'log.showSignature': 'true', 'diff.suppressBlankEmpty': 'true', 'diff.renameLimit': '1',
}


def _with_user_config(repo):
    for key, value in USER_DIFF_CONFIG.items():
        gitrepo.git('config', key, value)
    (repo / 'order.txt').write_text('z*\n')
    gitrepo.write(repo, '.git/info/attributes', '*.py diff=hide\n')
    gitrepo.git('config', 'diff.hide.textconv', 'true')  # textconv to nothing
    gitrepo.git('config', 'diff.hide.command', 'true')


def _file(changed: dict[int, str], size: int = 40) -> str:
    return ''.join(changed.get(n, f'line{n} = {n}') + '\n' for n in range(1, size + 1))


def test_committed_lines_ignore_the_user_diff_config(repo):
    gitrepo.commit(repo, 'chore: start', {'sub/app.py': _file({})})
    sha = gitrepo.commit(repo, 'feat: key', {
        'sub/app.py': _file({3: 'x = 2', 8: f'aws = "{AWS_KEY}"'})})
    _with_user_config(repo)
    assert where(findings(f'{sha}~1..{sha}')) == [('sub/app.py', 8)]


def test_staged_lines_ignore_the_user_diff_config(repo):
    gitrepo.commit(repo, 'chore: start', {'sub/app.py': _file({})})
    gitrepo.write(repo, 'sub/app.py', _file({3: 'x = 2', 8: f'aws = "{AWS_KEY}"'}))
    gitrepo.git('add', 'sub/app.py')
    _with_user_config(repo)
    result = run_pushguard('hook', 'pre-commit', '--only', 'secrets', cwd=repo / 'sub')
    assert result.code == 1
    assert 'sub/app.py:8' in result.out + result.err, result.out + result.err


# --- a rename brings nothing new; a rename with edits brings its edits ---------------------

def test_a_pure_rename_adds_no_secret_and_no_big_file(repo):
    policy = '[files]\nmax-size = "1 KiB"\n'
    base = gitrepo.commit(repo, 'chore: start', {
        '.pushguard.toml': policy, 'old/app.py': f'aws = "{AWS_KEY}"\n',
        'old/big.txt': 'x' * 5000})
    gitrepo.git('mv', 'old', 'new')
    gitrepo.git('update-index', '--chmod=+x', 'new/big.txt')
    gitrepo.commit(repo, 'refactor: move')
    for check in ('secrets', 'file-size'):
        assert findings(f'{base}..HEAD', only=check) == []
    assert len(findings(base, only='file-size')) == 1


def test_a_rename_with_edits_is_judged_on_its_edits(repo):
    body = ''.join(f'line{n} = {n}\n' for n in range(30))
    base = gitrepo.commit(repo, 'chore: start', {'old.py': f'aws = "{AWS_KEY}"\n{body}'})
    gitrepo.git('mv', 'old.py', 'new.py')
    gitrepo.write(repo, 'new.py', f'aws = "{AWS_KEY}"\n{body}b = "AKIAXYZDQCEN4B6JSJQI"\n')
    gitrepo.commit(repo, 'refactor: move and add')
    assert where(findings(f'{base}..HEAD')) == [('new.py', 32)]


def test_a_pushed_rename_of_what_the_remote_has_passes(tmp_path, monkeypatch):
    server = gitrepo.bare_remote(tmp_path)
    repo = gitrepo.init(tmp_path / 'work')
    monkeypatch.chdir(repo)
    gitrepo.git('remote', 'add', 'origin', str(server))
    gitrepo.commit(repo, 'chore: start', {'keys/app.py': f'aws = "{AWS_KEY}"\n'})
    gitrepo.git('push', '-q', 'origin', 'main')
    gitrepo.git('mv', 'keys', 'config')
    new = gitrepo.commit(repo, 'refactor: move')
    hook = (repo / '.git' / 'hooks')
    hook.mkdir(exist_ok=True)
    (hook / 'pre-push').write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-push --only secrets "$@"\n')
    (hook / 'pre-push').chmod(0o755)
    proc = subprocess.run(('git', 'push', 'origin', 'main'), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    assert gitrepo.git('rev-parse', 'main', cwd=server).strip() == new


# --- every secret reported ------------------------------------------------------------------

def test_two_private_keys_added_by_two_commits_are_two_findings(repo):
    first = gitrepo.commit(repo, 'feat: key', {'keys.txt': private_key(1)})
    both = private_key(1) + private_key(2)
    second = gitrepo.commit(repo, 'feat: another key', {'keys.txt': both})
    assert [(f['commit'], f['line']) for f in findings(second)] == [(first, 1), (second, 6)]


def test_a_baseline_private_key_passes_only_in_its_own_file(repo):
    gitrepo.commit(repo, 'test: fixture key', {'tests/fixture.pem': private_key(1)})
    out = subprocess.run((sys.executable, '-m', 'detect_secrets', 'scan'), cwd=repo,
                         capture_output=True, check=True).stdout
    base = gitrepo.commit(repo, 'chore: baseline', {'.secrets.baseline': out})
    assert findings('HEAD') == []
    gitrepo.commit(repo, 'feat: real key', {'deploy/id_rsa': private_key(2)})
    assert where(findings(f'{base}..HEAD')) == [('deploy/id_rsa', 1)]


# --- secrets that need their file's context -------------------------------------------------

MULTI_LINE = [
    pytest.param('app.ini', '[db]\npassword = first\n   {value}\nport = 1\n', 3, id='ini'),
    pytest.param('app.yaml', 'db:\n  user: x\n  password: >\n    {value}\n    more\n', 3,
                 id='yaml-folded'),
    pytest.param('.env', 'user = x\npassword = first\n  {value}\n', 3, id='eager-ini'),
]


@pytest.mark.parametrize(('name', 'text', 'line'), MULTI_LINE)
def test_a_changed_continuation_of_an_unchanged_key_is_found(repo, name, text, line):
    base = gitrepo.commit(repo, 'chore: start', {name: text.format(value='old')})
    gitrepo.commit(repo, 'feat: new secret', {name: text.format(value='Zk8PqW3nR5tY7uJ2')})
    [finding] = findings(f'{base}..HEAD')
    assert (finding['path'], finding['line']) == (name, line)
    assert finding['message'] == 'Secret Keyword in a value this commit changes'


@pytest.mark.parametrize(('name', 'text', 'line'), MULTI_LINE[:2])
def test_a_staged_continuation_of_an_unchanged_key_is_found(repo, name, text, line):
    gitrepo.commit(repo, 'chore: start', {name: text.format(value='old')})
    gitrepo.write(repo, name, text.format(value='Zk8PqW3nR5tY7uJ2'))
    gitrepo.git('add', name)
    result = run_pushguard('hook', 'pre-commit', '--only', 'secrets')
    assert result.code == 1
    assert f'({name}:{line})' in result.out


def test_a_secret_the_file_already_held_is_not_added_by_a_continuation(repo):
    text = '[db]\npassword = Zk8PqW3nR5tY7uJ2\nhosts = a\n   {host}\n'
    base = gitrepo.commit(repo, 'chore: start', {'app.ini': text.format(host='b')})
    gitrepo.commit(repo, 'feat: host', {'app.ini': text.format(host='c')})
    assert findings(f'{base}..HEAD') == []


def test_a_staged_file_too_big_to_diff_is_named_not_read(repo):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    gitrepo.write(repo, 'dump.sql', f'aws = "{AWS_KEY}"\n' + 'x' * (2 << 20))
    gitrepo.git('add', 'dump.sql')
    result = run_pushguard('hook', 'pre-commit', '--only', 'secrets', '--format', 'json')
    [finding] = json.loads(result.out)['findings']
    assert (finding['severity'], finding['path']) == ('warning', 'dump.sql')
    assert 'over 1 MiB' in finding['message']


def test_a_file_detect_secrets_skips_by_name_is_never_parsed(tmp_path):
    from pushguard.checks import _secret_sift, secrets
    sift = _secret_sift.Sift(secrets._fresh_plan(str(tmp_path / 'none')))
    text = f'aws = "{AWS_KEY}"'.encode()
    assert list(sift([('logo.png', b'\x89PNG' + text), ('app.py', text)])) == [False, True]
