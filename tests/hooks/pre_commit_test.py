from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from testing import gitrepo
from testing.run import counting_git, exit_and_children, run_console, run_pushguard

AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'
SECRET_LINE = f'aws = "{AWS_KEY}"\n'


def hook(*extra: str, cwd=None):
    return run_pushguard('hook', 'pre-commit', *extra, cwd=cwd)


def stage(repo, name: str, content: str | bytes) -> None:
    gitrepo.write(repo, name, content)
    gitrepo.git('add', '--', name, cwd=repo)


def test_staged_secret_blocks_with_path_line_and_fix(repo):
    gitrepo.commit(repo, 'chore: start', {'config.py': 'a = 1\n'})
    stage(repo, 'config.py', 'a = 1\n' + SECRET_LINE)
    result = hook()
    assert result.code == 1
    assert '[secrets] AWS Access Key in a staged line (config.py:2)' in result.out
    assert 'git restore --staged -- config.py' in result.out
    assert 'in the staged files: blocked' in result.out


@pytest.mark.parametrize(('work_tree', 'staged', 'code'), (
    pytest.param(SECRET_LINE, None, 0, id='only-in-work-tree'),
    pytest.param('a = 1\n', SECRET_LINE, 1, id='staged-then-edited-away'),
))
def test_the_index_decides_not_the_work_tree(repo, work_tree, staged, code):
    gitrepo.commit(repo, 'chore: start', {'config.py': 'a = 1\n'})
    if staged is not None:
        stage(repo, 'config.py', staged)
    gitrepo.write(repo, 'config.py', work_tree)
    assert hook().code == code


@pytest.mark.parametrize('unstage', (
    pytest.param(('restore', '--staged', 'config.py'), id='restore-staged'),
    pytest.param(('reset', '-q', '--', 'config.py'), id='reset'),
))
def test_staged_then_unstaged_passes(repo, unstage):
    gitrepo.commit(repo, 'chore: start', {'config.py': 'a = 1\n'})
    stage(repo, 'config.py', SECRET_LINE)
    assert hook().code == 1
    gitrepo.git(*unstage)
    assert hook().code == 0


def test_new_file_unstaged_with_rm_cached_passes(repo):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    stage(repo, 'new.py', SECRET_LINE)
    assert hook().code == 1
    gitrepo.git('rm', '-q', '--cached', 'new.py')
    assert hook().code == 0


@pytest.mark.parametrize(('content', 'code'), (
    pytest.param(SECRET_LINE, 1, id='secret'),
    pytest.param('print("hello")\n', 0, id='clean'),
))
def test_empty_repository_without_head(repo, content, code):
    stage(repo, 'app.py', content)
    result = hook()
    assert result.code == code, result.err
    assert result.err == ''


def test_nothing_staged_passes(repo):
    assert hook() == (0, '', '')


def test_filenames_from_the_pre_commit_framework_are_ignored(repo):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n', 'other.py': 'x = 1\n'})
    stage(repo, 'config.py', SECRET_LINE)
    assert hook('README', 'other.py').code == 1
    gitrepo.git('rm', '-q', '--cached', 'config.py')
    assert hook('config.py').code == 0


def test_secret_is_absent_from_json_output(repo):
    stage(repo, 'config.py', SECRET_LINE)
    result = hook('--format', 'json')
    assert result.code == 1
    [finding] = json.loads(result.out)['findings']
    assert finding == {
        'check': 'secrets', 'severity': 'error', 'message': 'AWS Access Key in a staged line',
        'fix': finding['fix'], 'ref': None, 'commit': None, 'path': 'config.py', 'line': 1,
    }
    assert AWS_KEY not in result.out


def test_not_utf8_and_binary_staged_files_do_not_crash(repo):
    stage(repo, 'latin1.txt', 'caf\xe9\n'.encode('latin-1') + SECRET_LINE.encode())
    stage(repo, 'data.bin', b'\x00\xff' * 50 + AWS_KEY.encode())
    result = hook('--format', 'json')
    assert result.code == 1, result.err
    assert [(f['path'], f['line']) for f in json.loads(result.out)['findings']] == [
        ('latin1.txt', 2),
    ]


def test_baseline_at_the_top_applies_from_a_subdirectory(repo):
    gitrepo.write(repo, 'config.py', SECRET_LINE)
    out = subprocess.run((sys.executable, '-m', 'detect_secrets', 'scan', 'config.py'), cwd=repo,
                         capture_output=True, check=True).stdout
    (repo / '.secrets.baseline').write_bytes(out)
    gitrepo.git('add', 'config.py', '.secrets.baseline')
    (repo / 'sub').mkdir()
    assert hook(cwd=repo / 'sub').code == 0
    (repo / '.secrets.baseline').write_text('{"version": "1.5.0"}')
    result = hook(cwd=repo / 'sub')
    assert result.code == 2
    assert '.secrets.baseline: not a detect-secrets baseline' in result.err


def test_skip_secrets_passes(repo):
    stage(repo, 'config.py', SECRET_LINE)
    assert hook('--skip', 'secrets').code == 0


def _install_hook(repo) -> None:
    path = repo / '.git' / 'hooks' / 'pre-commit'
    path.parent.mkdir(exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-commit\n')
    path.chmod(0o755)


def test_real_git_commit_is_refused_for_a_staged_secret(repo):
    _install_hook(repo)
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    before = gitrepo.head(repo)
    stage(repo, 'deploy/settings.py', SECRET_LINE)
    proc = subprocess.run(('git', 'commit', '-q', '--no-gpg-sign', '-m', 'feat: deploy'),
                          capture_output=True, env={**os.environ, 'NO_COLOR': '1'})
    said = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode != 0
    assert '[secrets] AWS Access Key in a staged line (deploy/settings.py:1)' in said
    assert 'git restore --staged -- deploy/settings.py' in said
    assert AWS_KEY not in said
    assert gitrepo.head(repo) == before

    stage(repo, 'deploy/settings.py', f'aws = "{AWS_KEY}"  # pragma: allowlist secret\n')
    proc = subprocess.run(('git', 'commit', '-q', '--no-gpg-sign', '-m', 'feat: deploy'),
                          capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert gitrepo.head(repo) != before


@pytest.mark.parametrize('how', (
    pytest.param(('-a',), id='commit-a'),
    pytest.param(('--', 'config.py'), id='commit-only-path'),
))
def test_real_git_commit_of_work_tree_changes_checks_the_index_git_builds(repo, how):
    # git commit -a / git commit PATH stage into a temporary index named by GIT_INDEX_FILE
    _install_hook(repo)
    gitrepo.commit(repo, 'chore: start', {'config.py': 'a = 1\n'})
    gitrepo.write(repo, 'config.py', SECRET_LINE)
    proc = subprocess.run(('git', 'commit', '-q', '--no-gpg-sign', '-m', 'feat: key', *how),
                          capture_output=True)
    assert proc.returncode != 0
    assert b'[secrets] AWS Access Key in a staged line (config.py:1)' in proc.stdout + proc.stderr


def test_console_script_does_not_crash_without_head(repo):
    stage(repo, 'a.py', SECRET_LINE)
    result = run_console('hook', 'pre-commit', 'a.py', cwd=repo)
    assert result.code == 1
    assert '[secrets]' in result.out


_MODULES_SCRIPT = '''
import sys
from pushguard.cli import main
code = main(["hook", "pre-commit"])
modules = sorted(sys.modules)
import json
with open("../modules.json", "w") as f:
    json.dump({"code": code, "modules": modules}, f)
'''
# each costs the hook more than its own work when nothing staged may hold a secret
_SLOW_TO_IMPORT = ('detect_secrets', 'requests', 'subprocess', 'tempfile', 'typing', 'argparse',
                   'tomllib', 'cfgv', 'dataclasses', 'inspect', 'urllib.request', 'http.client',
                   'locale',
                   # nothing to say: no renderer, no JSON (the repository was never synced)
                   'pushguard.report.text', 'pushguard.report._shared', 'hashlib', 'json')


def test_nothing_risky_staged_imports_no_heavy_module(repo):
    """The installed hook (python -S) on a small change with no secret-like word."""
    gitrepo.commit(repo, 'chore: start', {'settings.py': 'RETRIES = 1\n'})
    stage(repo, 'settings.py', '"""Settings."""\nRETRIES = 2\nNAMES = ["alpha", "beta"]\n')
    for _ in range(2):  # the first run fills the caches (policy, the secrets prefilter's plan)
        subprocess.run((sys.executable, '-S', '-c', _MODULES_SCRIPT), cwd=repo, check=True,
                       env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})
    with open(repo.parent / 'modules.json') as f:
        seen = json.load(f)
    assert seen['code'] == 0
    assert {'pushguard.checks.secrets', 'pushguard.checks.file_size'} <= set(seen['modules'])
    assert sorted(set(_SLOW_TO_IMPORT) & set(seen['modules'])) == []


def test_a_staged_secret_still_brings_detect_secrets_in(repo):
    gitrepo.commit(repo, 'chore: start', {'settings.py': 'RETRIES = 1\n'})
    stage(repo, 'settings.py', SECRET_LINE)
    script = _MODULES_SCRIPT.replace('../modules.json', '../secret.json')
    subprocess.run((sys.executable, '-S', '-c', script), cwd=repo, check=True,
                   env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})
    with open(repo.parent / 'secret.json') as f:
        seen = json.load(f)
    assert seen['code'] == 1
    assert 'detect_secrets' in seen['modules']


def _git_counted(tmp_path):
    """A `git` on PATH that logs each run, then runs the real one."""
    return counting_git(tmp_path / 'counting', tmp_path / 'git.log')


@pytest.mark.parametrize(('first', 'started'), (
    pytest.param(False, 2, id='on-a-commit'),  # the paths, the added lines (sizes: loose)
    pytest.param(True, 5, id='first-commit'),  # HEAD fails: resolved, the empty tree (was 7)
))
def test_git_processes_a_small_commit_starts(repo, tmp_path, first, started):
    if not first:
        gitrepo.commit(repo, 'chore: start', {'settings.py': 'RETRIES = 1\n'})
    stage(repo, 'settings.py', 'RETRIES = 2\n')
    result = run_console('hook', 'pre-commit', cwd=repo, env=_git_counted(tmp_path))
    assert result.code == 0, result.err
    assert len((tmp_path / 'git.log').read_text().splitlines()) <= started
    stage(repo, 'key.py', SECRET_LINE)
    assert '[secrets] AWS Access Key in a staged line (key.py:1)' in hook(cwd=repo).out


def test_the_added_lines_diff_starts_before_the_sizes_are_read(repo, tmp_path):
    """git reads the patch while the engine reads the sizes: the patch (`-c
    core.bigFileThreshold=...`) starts right after the paths' diff; the sizes of the blobs `git
    add` just wrote come from their loose objects, without cat-file."""
    gitrepo.commit(repo, 'chore: start', {'settings.py': 'RETRIES = 1\n'})
    stage(repo, 'settings.py', 'RETRIES = 2\n')
    counted = _git_counted(tmp_path)
    result = run_console('hook', 'pre-commit', cwd=repo, env=counted)
    assert result.code == 0, result.err
    # sorted: the two gits run side by side, and a loaded machine may log them in either order
    assert sorted((tmp_path / 'git.log').read_text().split()) == ['-c', 'diff-index']
    gitrepo.git('gc', '-q', '--prune=now', cwd=repo)  # the staged blob is packed now
    (tmp_path / 'git.log').unlink()
    result = run_console('hook', 'pre-commit', cwd=repo, env=counted)
    assert result.code == 0, result.err
    assert sorted((tmp_path / 'git.log').read_text().split()) == ['-c', 'cat-file', 'diff-index']


def test_no_patch_is_started_when_no_check_reads_added_lines(repo, tmp_path):
    gitrepo.commit(repo, 'chore: start', {'settings.py': 'RETRIES = 1\n'})
    stage(repo, 'settings.py', SECRET_LINE)
    result = run_console('hook', 'pre-commit', '--only', 'file-size', cwd=repo,
                         env=_git_counted(tmp_path))
    assert result.code == 0, result.err
    assert (tmp_path / 'git.log').read_text().split() == ['diff-index']


def test_a_blob_too_big_to_diff_drops_the_early_patch(repo, tmp_path):
    """The early patch has no exclusions: with a blob too big to diff it is stopped, and the
    added lines come from the patch that leaves that path out, as before."""
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    stage(repo, 'dump.sql', 'x = 1\n' * (1 << 18))
    stage(repo, 'key.py', SECRET_LINE)
    result = run_console('hook', 'pre-commit', '--format', 'json', cwd=repo,
                         env=_git_counted(tmp_path))
    assert result.code == 1, result.err
    found = {(f['severity'], f['path']) for f in json.loads(result.out)['findings']}
    assert found == {('error', 'key.py'), ('warning', 'dump.sql')}
    assert sorted((tmp_path / 'git.log').read_text().split()) == ['-c', '-c', 'diff-index']


@pytest.mark.parametrize(('policy', 'code'), (
    pytest.param('', 1, id='a-finding'),
    pytest.param('[nope]\n', 2, id='a-bad-policy'),  # the started diff is stopped
    pytest.param('[checks]\nskip = ["secrets", "file-size"]\n', 0, id='nothing-to-check'),
))
def test_the_hook_leaves_no_git_process_behind(repo, policy, code):
    gitrepo.commit(repo, 'chore: start', {'settings.py': 'RETRIES = 1\n'})
    (repo / '.pushguard.toml').write_text(policy)
    stage(repo, 'key.py', SECRET_LINE)
    assert exit_and_children('hook', 'pre-commit', cwd=repo) == [str(code), 'waited']
