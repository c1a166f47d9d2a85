from __future__ import annotations

import os
import subprocess

import pytest

from pushguard import checks, engine, sources
from pushguard.checks.forbidden_path import compile_rule, forbidding_rule
from pushguard.config import Config
from testing.gitrepo import commit, git, init, write
from testing.run import check_json, run_pushguard

BRANCH = 'feat/PROJ-1-keys'
REF = f'refs/heads/{BRANCH}'
POLICY = '[files]\nforbidden = ["*.pem", "id_rsa", "secrets/", "/build", "!test/fixtures/*.pem"]\n'


def _check(*argv):
    return check_json('forbidden-path', *argv)


@pytest.fixture
def based(repo):
    (repo / '.pushguard.toml').write_text(POLICY)
    base = commit(repo, 'chore: base', {'README': 'hi\n', 'notes.txt': 'n\n'})
    git('checkout', '-q', '-b', BRANCH)
    return base


@pytest.mark.parametrize(('patterns', 'path'), (
    pytest.param(['*.pem'], 'key.pem', id='ext-top'),
    pytest.param(['*.pem'], 'a/b/key.pem', id='ext-deep'),
    pytest.param(['*.pem'], 'key.pem.txt', id='ext-not-suffix'),
    pytest.param(['*.pem'], 'pem/x.txt', id='ext-not-dir-name'),
    pytest.param(['id_rsa'], 'home/.ssh/id_rsa', id='name-deep'),
    pytest.param(['id_rsa'], 'id_rsa.pub', id='name-not-prefix'),
    pytest.param(['secrets/'], 'secrets/db.txt', id='dir-top'),
    pytest.param(['secrets/'], 'app/secrets/x/y.txt', id='dir-deep'),
    pytest.param(['secrets/'], 'secrets', id='dir-pattern-not-file'),
    pytest.param(['/build'], 'build/out.o', id='anchored'),
    pytest.param(['/build'], 'src/build/out.o', id='anchored-not-deep'),
    pytest.param(['config/*.key'], 'config/a.key', id='slash-anchors'),
    pytest.param(['config/*.key'], 'x/config/a.key', id='slash-anchors-not-deep'),
    pytest.param(['config/*.key'], 'config/sub/a.key', id='star-not-slash'),
    pytest.param(['**/private/*.json'], 'a/b/private/c.json', id='leading-doublestar'),
    pytest.param(['**/private/*.json'], 'private/c.json', id='leading-doublestar-zero'),
    pytest.param(['docs/**'], 'docs/a/b.md', id='trailing-doublestar'),
    pytest.param(['a/**/z'], 'a/z', id='middle-doublestar-zero'),
    pytest.param(['a/**/z'], 'a/b/c/z', id='middle-doublestar-many'),
    pytest.param(['*.p1[0-9]'], 'x.p12', id='class'),
    pytest.param(['*.p1[0-9]'], 'x.p1a', id='class-miss'),
    pytest.param(['*.p1[!0-9]'], 'x.p1a', id='class-negated'),
    pytest.param(['?.env'], 'a.env', id='question'),
    pytest.param(['?.env'], 'ab.env', id='question-one-char'),
    pytest.param(['*.pem', '!test/*.pem'], 'test/x.pem', id='negation-re-allows'),
    pytest.param(['*.pem', '!test/*.pem'], 'prod/x.pem', id='negation-elsewhere'),
    pytest.param(['!test/*.pem', '*.pem'], 'test/x.pem', id='last-match-wins'),
    pytest.param(['\\#notes'], '#notes', id='escaped-hash'),
    pytest.param(['my key.pem'], 'dir/my key.pem', id='space'),
))
def test_matcher_agrees_with_git_check_ignore(tmp_path, patterns, path):
    """The gitignore-style matcher decides as git itself decides for the same .gitignore."""
    repo = init(tmp_path / 'oracle')
    write(repo, '.gitignore', ''.join(f'{p}\n' for p in patterns))
    write(repo, path, 'x')
    ignored = subprocess.run(('git', 'check-ignore', '-q', path), cwd=repo).returncode == 0
    rules = [compile_rule(p) for p in patterns]
    assert (forbidding_rule([r for r in rules if r], path) is not None) is ignored


@pytest.mark.parametrize(('path', 'pattern'), (
    pytest.param('certs/server.pem', '*.pem', id='extension'),
    pytest.param('home/.ssh/id_rsa', 'id_rsa', id='name'),
    pytest.param('app/secrets/prod.env', 'secrets/', id='directory'),
    pytest.param('build/out.o', '/build', id='anchored'),
    pytest.param('test/fixtures/self-signed.pem', None, id='re-allowed'),
    pytest.param('src/build/out.o', None, id='anchored-elsewhere'),
    pytest.param('id_rsa.pub', None, id='public-key'),
))
def test_pushed_paths(repo, based, path, pattern):
    sha = commit(repo, 'feat: add', {path: 'data\n'})
    code, findings = _check(f'{based}..HEAD', '--branch', BRANCH)
    if pattern is None:
        assert (code, findings) == (0, [])
        return
    assert code == 1
    [finding] = findings
    assert (finding['check'], finding['ref'], finding['commit'], finding['path']) == (
        'forbidden-path', REF, sha, path,
    )
    assert f"the forbidden pattern '{pattern}' (files.forbidden)" in finding['message']


def test_text_output_and_tip_fix(repo, based):
    sha = commit(repo, 'feat: key', {'server.pem': 'k\n', 'app.py': 'print()\n'})
    result = run_pushguard('check', f'{based}..HEAD', '--branch', BRANCH,
                           '--only', 'forbidden-path')
    assert result.code == 1
    assert (f'error [forbidden-path] commit {sha[:12]} adds server.pem, which matches the '
            f"forbidden pattern '*.pem'") in result.out
    fix = ("git rm --cached -- server.pem && git commit --amend --no-edit && "
           "echo /server.pem >> .gitignore")
    assert f'fix: {fix}' in result.out
    subprocess.run(fix, shell=True, check=True, capture_output=True)
    assert _check(f'{based}..HEAD', '--branch', BRANCH) == (0, [])
    assert git('ls-files').split() == ['.pushguard.toml', 'README', 'app.py', 'notes.txt']


def test_buried_path_fix_rewrites_only_the_pushed_range(repo, based):
    added = commit(repo, 'feat: key', {'keys/id_rsa': 'secret\n'})
    commit(repo, 'feat: later', {'app.py': 'print()\n'})
    _, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert finding['commit'] == added
    assert finding['fix'].startswith(
        "FILTER_BRANCH_SQUELCH_WARNING=1 git filter-branch --index-filter "
        "'git rm -q --cached --ignore-unmatch -- keys/id_rsa' "
        f'-- {added[:12]}~1..{REF} && echo /keys/id_rsa >> .gitignore',
    )
    subprocess.run(finding['fix'], shell=True, check=True, capture_output=True)
    assert _check(f'{based}..HEAD', '--branch', BRANCH) == (0, [])
    assert git('rev-parse', 'HEAD~2').strip() == based  # history before the push is untouched


def test_rename_to_a_forbidden_path_is_caught(repo, based):
    git('mv', 'notes.txt', 'id_rsa')
    sha = commit(repo, 'chore: rename')
    code, findings = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert code == 1
    assert [(f['commit'], f['path']) for f in findings] == [(sha, 'id_rsa')]


def test_deleting_a_forbidden_path_passes(repo):
    base = commit(repo, 'chore: base', {'old.pem': 'k\n'})
    git('rm', '-q', 'old.pem')
    (repo / '.pushguard.toml').write_text(POLICY)
    commit(repo, 'fix: drop the key')
    assert _check(f'{base}..HEAD', '--branch', 'main') == (0, [])


def test_changing_a_forbidden_path_is_caught(repo):
    base = commit(repo, 'chore: base', {'old.pem': 'k\n'})
    (repo / '.pushguard.toml').write_text(POLICY)
    sha = commit(repo, 'fix: rotate', {'old.pem': 'k2\n'})
    code, [finding] = _check(f'{base}..HEAD', '--branch', 'main')
    assert code == 1
    assert finding['commit'] == sha
    assert finding['message'].startswith(f'commit {sha[:12]} changes old.pem')


@pytest.mark.parametrize('name', (
    pytest.param(b'dir with space/my key.pem', id='spaces'),
    pytest.param(b'line\nbreak.pem', id='newline'),
    pytest.param(b'caf\xe9/k\xffy.pem', id='not-utf8'),
    pytest.param('ключ/ü.pem'.encode(), id='utf8'),
))
def test_odd_paths(repo, based, name):
    write(repo, name, 'k\n')
    commit(repo, 'feat: odd')
    code, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert code == 1
    assert finding['path'] == name.decode('utf-8', 'replace')
    fix_path = finding['fix'].split(' -- ', 1)[1].split(' && ', 1)[0]
    shown = subprocess.run(('bash', '-c', f'printf %s {fix_path}'), capture_output=True).stdout
    assert shown == name  # the fix names the file byte for byte


def test_max_path_length(repo):
    (repo / '.pushguard.toml').write_text('[files]\nmax-path-length = 20\n')
    base = commit(repo, 'chore: base')
    ok = 'a' * 20
    long = 'dir/' + 'b' * 17
    sha = commit(repo, 'feat: paths', {ok: 'x\n', long: 'y\n'})
    code, [finding] = _check(f'{base}..HEAD', '--branch', 'main')
    assert code == 1
    assert (finding['path'], finding['commit']) == (long, sha)
    assert 'a path of 21 characters, longer than the 20 allowed' in finding['message']
    assert finding['fix'] == (f'git mv -- {long} SHORTER/PATH && git commit --amend --no-edit'
                              '  # at most 20 characters')


def test_merge_of_a_new_branch_reports_each_path_once(repo, based):
    git('checkout', '-q', '-b', 'side')
    side = commit(repo, 'feat: side', {'side.pem': 'k\n'})
    git('checkout', '-q', BRANCH)
    commit(repo, 'feat: own', {'own.txt': 'own\n'})
    git('merge', '-q', '--no-ff', '--no-edit', 'side')
    code, findings = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert code == 1
    assert [(f['commit'], f['path']) for f in findings] == [(side, 'side.pem')]


def test_index_at_pre_commit(repo):
    commit(repo, 'chore: base')
    write(repo, 'deploy/prod.pem', 'k\n')
    git('add', '-A')
    os.remove(repo / 'deploy/prod.pem')  # the index counts, not the working tree
    cfg = Config(forbidden=('*.pem',))
    _, [finding] = engine.run(sources.StagedSource('main'), cfg, [checks.load('forbidden-path')])
    assert (finding.commit, finding.path) == (None, 'deploy/prod.pem')
    assert finding.message.startswith('the index adds deploy/prod.pem')
    assert finding.fix == ('git rm --cached -- deploy/prod.pem && '
                           'echo /deploy/prod.pem >> .gitignore')


def test_pre_commit_hook_blocks_a_staged_forbidden_path(repo):
    (repo / '.pushguard.toml').write_text(POLICY)
    commit(repo, 'chore: base')
    write(repo, 'deploy/prod.pem', 'k\n')
    git('add', 'deploy/prod.pem')
    result = run_pushguard('hook', 'pre-commit', '--only', 'forbidden-path')
    assert result.code == 1
    assert "[forbidden-path] the index adds deploy/prod.pem, which matches" in result.out
    fix = 'git rm --cached -- deploy/prod.pem && echo /deploy/prod.pem >> .gitignore'
    assert f'fix: {fix}' in result.out
    subprocess.run(fix, shell=True, check=True, capture_output=True)
    assert run_pushguard('hook', 'pre-commit', '--only', 'forbidden-path').code == 0


@pytest.mark.parametrize(('patterns', 'path', 'forbidden'), (
    pytest.param(['*.p[!/]m'], 'x.p/m', False, id='negated-class-not-slash'),
    pytest.param(['a[.-0]b'], 'a/b', False, id='range-over-slash-not-slash'),
    pytest.param(['a[.-0]b'], 'a0b', True, id='range-over-slash'),
    pytest.param(['a[z-a]b'], 'azb', False, id='reversed-range-matches-nothing'),
    pytest.param(['*.pém'], 'x/y.pém', True, id='non-ascii'),
    pytest.param(['a+b(c).{d}'], 'a+b(c).{d}', True, id='regex-punctuation'),
    pytest.param(['a+b(c).{d}'], 'aab(c)x{d}', False, id='regex-punctuation-literal'),
    pytest.param(['*.pem'], 'a\nb.pem', True, id='newline-in-name'),
))
def test_glob_edges(patterns, path, forbidden):
    rules = [compile_rule(p) for p in patterns]
    assert (forbidding_rule([r for r in rules if r], path) is not None) is forbidden


def test_glob_matching_is_linear():
    """A glob whose backtracking regex would run for minutes is decided at once."""
    import time
    started = time.monotonic()
    rules = [compile_rule('*a*a*a*a*a*a*a*a*b'), compile_rule('/**/*a*a*a*a*a*a*a*b/')]
    assert forbidding_rule([r for r in rules if r], 'a' * 60) is None
    assert forbidding_rule([r for r in rules if r], '/'.join(['a' * 60] * 3)) is None
    assert time.monotonic() - started < 2
