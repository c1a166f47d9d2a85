"""`.pre-commit-hooks.yaml`: its schema, and the hooks run by the real pre-commit framework.

The framework tests copy this checkout's work tree (uncommitted changes included) into a fresh
repository, commit it, and let pre-commit pip-install it into a virtualenv: once per test run
under a shared PRE_COMMIT_HOME for `pre-commit run` and installed hooks; `pre-commit try-repo`
always builds its own (it uses a throw-away store), so only a few tests use it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest

from pushguard.cli import HOOKS
from testing import gitrepo
from testing.policies import JIRA

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / '.pre-commit-hooks.yaml'
HOOK_IDS = {f'pushguard-{hook_type}': hook_type for hook_type in
            ('commit-msg', 'prepare-commit-msg', 'pre-commit', 'pre-push')}
framework = pytest.mark.pre_commit_framework


def _manifest() -> dict[str, dict[str, object]]:
    return {hook['id']: hook for hook in load_manifest(str(MANIFEST))}


def test_manifest_passes_pre_commits_own_schema_and_names_every_hook():
    assert set(_manifest()) == set(HOOK_IDS)


@pytest.mark.parametrize('hook_id', sorted(HOOK_IDS))
def test_each_hook_runs_at_its_own_stage_through_our_cli(hook_id):
    hook, hook_type = _manifest()[hook_id], HOOK_IDS[hook_id]
    assert hook['stages'] == [hook_type]
    assert hook['entry'] == f'pushguard hook {hook_type}'
    assert hook_type in HOOKS
    assert hook['language'] == 'python'
    assert hook['minimum_pre_commit_version'] == '3.2.0'
    assert hook['always_run'] is True


@pytest.mark.parametrize('hook_id', ['pushguard-pre-commit', 'pushguard-pre-push'])
def test_hooks_that_read_git_themselves_take_no_filenames(hook_id):
    assert _manifest()[hook_id]['pass_filenames'] is False


# --- the real framework ---------------------------------------------------------------------

def _isolated_git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith('GIT_')}
    return {**env, 'GIT_CONFIG_GLOBAL': os.devnull, 'GIT_CONFIG_NOSYSTEM': '1',
            'GIT_AUTHOR_NAME': 'Snapshot', 'GIT_AUTHOR_EMAIL': 'snapshot@example.com',
            'GIT_COMMITTER_NAME': 'Snapshot', 'GIT_COMMITTER_EMAIL': 'snapshot@example.com'}


def _git(*args: str, cwd: Path) -> bytes:
    return subprocess.run(('git', *args), cwd=cwd, env=_isolated_git_env(), check=True,
                          capture_output=True).stdout


@pytest.fixture(scope='session')
def snapshot(tmp_path_factory) -> tuple[str, str]:
    """This checkout's work tree (tracked and untracked, not ignored) committed in a new repo."""
    try:
        listed = _git('ls-files', '-z', '--cached', '--others', '--exclude-standard', cwd=ROOT)
    except subprocess.CalledProcessError:
        pytest.skip(f'{ROOT} is not a git checkout')
    dest = tmp_path_factory.mktemp('pushguard-snapshot')
    for name in filter(None, listed.split(b'\0')):
        source = os.path.join(os.fsencode(ROOT), name)
        if not os.path.lexists(source):  # deleted in the work tree, not yet in the index
            continue
        target = os.path.join(os.fsencode(dest), name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    _git('init', '-q', cwd=dest)
    _git('add', '-A', cwd=dest)
    _git('commit', '-q', '--no-gpg-sign', '--no-verify', '-m', 'snapshot', cwd=dest)
    return str(dest), _git('rev-parse', 'HEAD', cwd=dest).decode().strip()


@pytest.fixture(scope='session')
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp('pre-commit-home')


@pytest.fixture(scope='session')
def _caches(tmp_path_factory) -> dict[str, str]:
    """pip's and virtualenv's caches, kept for the run (tests pin HOME, where they would be)."""
    root = tmp_path_factory.mktemp('caches')
    return {'PIP_CACHE_DIR': str(root / 'pip'), 'VIRTUALENV_OVERRIDE_APP_DATA': str(root / 'venv')}


@pytest.fixture(autouse=True)
def _shared_caches(request, monkeypatch) -> None:
    if request.node.get_closest_marker('pre_commit_framework'):
        for name, value in request.getfixturevalue('_caches').items():
            monkeypatch.setenv(name, value)


def _pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run((sys.executable, '-m', 'pre_commit', *args, '--color', 'never'),
                          cwd=cwd, capture_output=True, text=True)


@framework
@pytest.mark.parametrize(('message', 'passes'), [
    pytest.param('PROJ-123 add login', True, id='key'),
    pytest.param('add login', False, id='no-key'),
])
def test_try_repo_commit_msg(repo, snapshot, message, passes):
    (repo / '.pushguard.toml').write_text(JIRA)
    (repo / 'MSG').write_text(f'{message}\n')
    result = _pre_commit('try-repo', snapshot[0], 'pushguard-commit-msg',
                         '--hook-stage', 'commit-msg', '--commit-msg-filename', 'MSG', cwd=repo)
    assert (result.returncode == 0) is passes, result.stdout + result.stderr
    assert ('[jira-ticket]' in result.stdout) is not passes


@framework
def test_try_repo_prepare_commit_msg_inserts_the_branchs_key(repo, snapshot):
    _on_a_branch_with_a_key(repo)
    result = _pre_commit('try-repo', snapshot[0], 'pushguard-prepare-commit-msg',
                         '--hook-stage', 'prepare-commit-msg', '--commit-msg-filename', 'MSG',
                         '--prepare-commit-message-source', 'message', cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (repo / 'MSG').read_text() == 'PROJ-123 add login\n'


def _on_a_branch_with_a_key(repo: Path) -> None:
    gitrepo.commit(repo, 'PROJ-1 first')
    gitrepo.git('switch', '-q', '-c', 'feat/PROJ-123-login', cwd=repo)
    (repo / '.pushguard.toml').write_text(JIRA)
    (repo / 'MSG').write_text('add login\n')


@pytest.fixture
def pre_commit_config(repo, snapshot, pre_commit_home, monkeypatch) -> Path:
    """A config naming pushguard's four hooks; PRE_COMMIT_HOME shared by the whole test run."""
    hooks = ''.join(f'      - id: {hook_id}\n' for hook_id in sorted(HOOK_IDS))
    # outside the work tree: a commit of its `rev: <sha>` line would be pushed, and secrets
    # rightly sees a 40-digit hex string there
    path = repo.parent / 'pre-commit-config.yaml'
    path.write_text(
        f'repos:\n  - repo: {snapshot[0]}\n    rev: {snapshot[1]}\n    hooks:\n{hooks}')
    monkeypatch.setenv('PRE_COMMIT_HOME', str(pre_commit_home))
    return path


@framework
@pytest.mark.parametrize(('source', 'after'), [
    pytest.param('message', 'PROJ-123 add login\n', id='message'),
    pytest.param('template', 'add login\n', id='template-left-to-commit-msg'),
    pytest.param('commit', 'add login\n', id='amend-left-alone'),
])
def test_prepare_commit_msg_under_pre_commit_by_source(repo, pre_commit_config, source, after):
    _on_a_branch_with_a_key(repo)
    result = _pre_commit('run', '--config', str(pre_commit_config), 'pushguard-prepare-commit-msg',
                         '--hook-stage', 'prepare-commit-msg', '--commit-msg-filename', 'MSG',
                         '--prepare-commit-message-source', source,
                         *(('--commit-object-name', 'HEAD') if source == 'commit' else ()),
                         cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (repo / 'MSG').read_text() == after


def _install_with_pre_commit(repo: Path, config: Path, policy: str) -> None:
    """pushguard's hooks installed as git hooks by pre-commit, with `policy` committed."""
    (repo / '.pushguard.toml').write_text(policy)
    gitrepo.commit(repo, 'PROJ-1 set up the hooks')
    installed = _pre_commit('install', '--install-hooks', '--config', str(config), *(
        arg for hook_type in HOOK_IDS.values() for arg in ('-t', hook_type)), cwd=repo)
    assert installed.returncode == 0, installed.stdout + installed.stderr


def _git_run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(('git', *args), cwd=cwd, capture_output=True, text=True)


@framework
def test_installed_by_pre_commit_the_hooks_check_real_commits_and_pushes(
        repo, tmp_path, pre_commit_config):
    _install_with_pre_commit(repo, pre_commit_config, JIRA)
    gitrepo.git('switch', '-q', '-c', 'feat/PROJ-9-login', cwd=repo)
    gitrepo.write(repo, 'login.txt', 'hello\n')
    gitrepo.git('add', 'login.txt', cwd=repo)

    landed = _git_run('commit', '-q', '--no-gpg-sign', '-m', 'fix: login', cwd=repo)
    assert landed.returncode == 0, landed.stdout + landed.stderr  # the key came from the branch
    assert gitrepo.git('log', '-1', '--format=%s', cwd=repo) == 'fix: PROJ-9 login\n'

    gitrepo.git('switch', '-q', 'main', cwd=repo)
    blocked = _git_run('commit', '-q', '--no-gpg-sign', '--allow-empty', '-m', 'no key', cwd=repo)
    assert blocked.returncode == 1
    assert '[jira-ticket]' in blocked.stderr

    remote = gitrepo.bare_remote(tmp_path)
    gitrepo.git('remote', 'add', 'origin', str(remote), cwd=repo)
    pushed = _git_run('push', '-q', 'origin', 'main', 'feat/PROJ-9-login', cwd=repo)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert 'pushguard (push)' in pushed.stdout + pushed.stderr
    assert gitrepo.head(remote, 'feat/PROJ-9-login') == gitrepo.head(repo, 'feat/PROJ-9-login')


@framework
def test_installed_by_pre_commit_the_pre_commit_hook_reads_the_index(
        repo, pre_commit_config):
    _install_with_pre_commit(repo, pre_commit_config, '[files]\nmax-size = "10B"\n')
    gitrepo.write(repo, 'big.txt', 'more than ten bytes\n')
    gitrepo.write(repo, 'small.txt', 'ok\n')
    gitrepo.git('add', 'big.txt', 'small.txt', cwd=repo)
    blocked = _git_run('commit', '-q', '--no-gpg-sign', '-m', 'add files', cwd=repo)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert 'big.txt' in blocked.stdout + blocked.stderr
    assert 'small.txt' not in blocked.stdout + blocked.stderr


@framework
def test_a_non_editable_install_ships_the_presets_and_the_shim(
        repo, pre_commit_config, pre_commit_home):
    _install_with_pre_commit(repo, pre_commit_config, '')
    pythons = sorted(pre_commit_home.glob('repo*/py_env-*/bin/python'))
    assert pythons, f'no virtualenv under {pre_commit_home}'
    probe = ('from pushguard.commands import init, install\n'
             'import pushguard\n'
             'print(pushguard.__file__)\n'
             'print(" ".join(init.preset_names()))\n'
             'print(install.MARKER in install.template())\n')
    out = subprocess.run((str(pythons[0]), '-c', probe), capture_output=True, text=True,
                         cwd=pre_commit_home, check=True).stdout.splitlines()
    assert 'site-packages' in out[0]  # the built package, not this checkout
    assert {'default', 'conventional', 'jira', 'jira-conventional'} <= set(out[1].split())
    assert out[2] == 'True'
