"""`pushguard install --server`, chained hooks that keep their name, hooks git tracks, and the
ready-made scripts of the top-level hooks/ folder: each through real git."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testing import gitrepo
from testing.policies import JIRA
from testing.run import run_pushguard

ROOT = Path(__file__).resolve().parents[2]
HOOK_TYPES = ('commit-msg', 'prepare-commit-msg', 'pre-commit', 'pre-push', 'pre-receive')


def _script(path: Path, body: str, shebang: str = '#!/bin/sh') -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'{shebang}\n{body}\n')
    path.chmod(0o755)


def _push(repo: Path, *args: str) -> tuple[int, str]:
    proc = subprocess.run(('git', 'push', *args), cwd=repo, capture_output=True)
    return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


@pytest.fixture
def server(tmp_path, monkeypatch):
    server = gitrepo.bare_remote(tmp_path)
    (tmp_path / 'policy.toml').write_text(JIRA)
    return server


@pytest.fixture
def work(tmp_path, server):
    repo = gitrepo.init(tmp_path / 'work')
    gitrepo.git('remote', 'add', 'origin', str(server), cwd=repo)
    return repo


def _install_server(server: Path, *args: str):
    return run_pushguard('install', '--server', *args, cwd=server)


def test_install_server_writes_the_pre_receive_hook_with_its_policy(server, work, tmp_path):
    result = _install_server(server, '--config', str(tmp_path / 'policy.toml'))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        'installed pre-receive hook: hooks/pre-receive',
        f'the pre-receive hook applies {tmp_path / "policy.toml"}',
    ]
    assert os.access(server / 'hooks' / 'pre-receive', os.X_OK)
    gitrepo.commit(work, 'PROJ-1 good')
    assert _push(work, 'origin', 'main')[0] == 0
    gitrepo.commit(work, 'bad')
    code, said = _push(work, 'origin', 'main')
    assert code != 0 and 'remote: error [jira-ticket]' in said
    assert _install_server(server, '--config', str(tmp_path / 'policy.toml')).out.startswith(
        'unchanged pre-receive hook')


def test_install_server_with_a_bad_policy_writes_nothing(server, tmp_path):
    (tmp_path / 'bad.toml').write_text('[commit.jira]\nproject = 1\n')
    result = _install_server(server, '--config', str(tmp_path / 'bad.toml'))
    assert result.code == 2 and 'bad.toml' in result.err
    assert not (server / 'hooks' / 'pre-receive').exists()


def test_install_server_takes_no_other_hook_type(server):
    result = _install_server(server, '--hook', 'pre-push')
    assert result.code == 2 and result.err.count('\n') == 1


@pytest.mark.parametrize('shebang', ['#!/bin/sh', '#!/usr/bin/env bash', '#!/bin/sh -e', ''])
def test_a_chained_pre_receive_hook_keeps_its_name_and_its_input(server, work, tmp_path, shebang):
    """A multiplexer reads its own name from $0 and runs `hooks/NAME.parts/*`: chained, it
    still finds them."""
    seen = tmp_path / 'seen'
    _script(server / 'hooks' / 'pre-receive', f'''
echo "name=${{0##*/}}" >> "{seen}"
for hook in "$0.parts"/*; do "$hook" || exit 1; done
cat >> "{seen}"
exit 0''', shebang)
    _script(server / 'hooks' / 'pre-receive.parts' / 'audit', f'echo audit >> "{seen}"')
    result = _install_server(server, '--config', str(tmp_path / 'policy.toml'))
    assert result.code == 0, result.err
    assert 'kept as pre-receive.legacy' in result.out
    gitrepo.commit(work, 'PROJ-1 good')
    code, said = _push(work, 'origin', 'main')
    assert code == 0, said
    lines = seen.read_text().splitlines()
    assert lines[:2] == ['name=pre-receive', 'audit']
    assert lines[-1].endswith(' refs/heads/main')
    gitrepo.commit(work, 'bad')
    code, said = _push(work, 'origin', 'main')
    assert code != 0 and '[jira-ticket]' in said


def test_gitea_style_hooks_folder_gets_its_own_file(server, work, tmp_path):
    """Gitea/Forgejo's pre-receive runs every hook in pre-receive.d with the same input."""
    _script(server / 'hooks' / 'pre-receive', '''
data=$(cat)
for hook in "${0%/*}/pre-receive.d"/*; do
    [ -x "$hook" ] || continue
    printf '%s\\n' "$data" | "$hook" || exit 1
done''')
    (server / 'hooks' / 'pre-receive.d').mkdir()
    before = (server / 'hooks' / 'pre-receive').read_bytes()
    result = _install_server(server, '--config', str(tmp_path / 'policy.toml'))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == \
        'installed pre-receive hook: hooks/pre-receive.d/pushguard'
    assert (server / 'hooks' / 'pre-receive').read_bytes() == before
    gitrepo.commit(work, 'bad')
    code, said = _push(work, 'origin', 'main')
    assert code != 0 and '[jira-ticket]' in said


def test_gitlab_server_hooks_folder(server, work, tmp_path):
    """GitLab self-managed: custom_hooks/pre-receive.d/ in the repository (run by Gitaly; here by
    a stand-in pre-receive that runs that folder as Gitaly does)."""
    (server / 'custom_hooks' / 'pre-receive.d').mkdir(parents=True)
    _script(server / 'hooks' / 'pre-receive', '''
data=$(cat)
for hook in custom_hooks/pre-receive.d/*; do
    printf '%s\\n' "$data" | "$hook" || exit 1
done''')
    result = _install_server(server, '--config', str(tmp_path / 'policy.toml'))
    assert result.out.splitlines()[0] == \
        'installed pre-receive hook: custom_hooks/pre-receive.d/pushguard'
    gitrepo.commit(work, 'bad')
    code, said = _push(work, 'origin', 'main')
    assert code != 0 and '[jira-ticket]' in said


# --- a chained client hook keeps its name too ---------------------------------------------

def test_a_chained_commit_msg_hook_sees_its_own_name(repo, tmp_path):
    seen = tmp_path / 'seen'
    _script(repo / '.git' / 'hooks' / 'commit-msg', f'echo "$0" > "{seen}"', '#!/usr/bin/env sh')
    (repo / '.pushguard.toml').write_text(JIRA)
    assert run_pushguard('install', '--hook', 'commit-msg').code == 0
    proc = subprocess.run(('git', 'commit', '-q', '--allow-empty', '-m', 'PROJ-1 x'), cwd=repo,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert seen.read_text().strip().endswith('.git/hooks/commit-msg')


# --- hooks that git tracks (husky) ------------------------------------------------------------

def test_a_tracked_hooks_folder_is_left_alone_without_force(repo):
    husky = repo / '.husky'
    _script(husky / 'pre-commit', 'npm test')
    gitrepo.git('add', '.husky', cwd=repo)
    gitrepo.commit(repo, 'chore: husky')
    gitrepo.git('config', 'core.hooksPath', '.husky', cwd=repo)
    before = (husky / 'pre-commit').read_bytes()
    result = run_pushguard('install', '--hook', 'pre-commit', '--hook', 'commit-msg')
    assert result.code == 0
    assert 'pushguard: warning: skipped pre-commit hook: .husky/pre-commit is tracked by git' \
        in result.err and '--force' in result.err
    assert result.out == 'installed commit-msg hook: .husky/commit-msg\n'
    assert (husky / 'pre-commit').read_bytes() == before
    assert gitrepo.git('status', '--porcelain', '--untracked-files=no', cwd=repo) == ''
    forced = run_pushguard('install', '--hook', 'pre-commit', '--force')
    assert forced.code == 0 and 'kept as pre-commit.legacy' in forced.out
    assert (husky / 'pre-commit.legacy').read_bytes() == before


# --- the top-level hooks/ folder ----------------------------------------------------------------

def _git_dir() -> str:
    return os.path.dirname(shutil.which('git') or '/usr/bin/git')


def _python3_only(tmp_path: Path) -> Path:
    """A folder whose only program is `python3`: this interpreter (it has the dependencies)."""
    folder = tmp_path / 'py'
    folder.mkdir()
    (folder / 'python3').symlink_to(sys.executable)
    return folder


def test_the_hooks_folder_has_a_script_per_hook_type():
    for hook in HOOK_TYPES:
        path = ROOT / 'hooks' / hook
        assert os.access(path, os.X_OK), hook
        assert path.read_bytes() == (ROOT / 'hooks' / 'shim.sh').read_bytes()


def test_core_hooks_path_to_the_hooks_folder_works_without_install(repo, tmp_path):
    (repo / '.pushguard.toml').write_text(JIRA)
    gitrepo.git('config', 'core.hooksPath', str(ROOT / 'hooks'), cwd=repo)
    env = {**os.environ, 'PATH': f'{_python3_only(tmp_path)}:{_git_dir()}'}
    env.pop('PYTHONPATH', None)  # found through the checkout's src/, next to hooks/
    bad = subprocess.run(('git', 'commit', '-q', '--allow-empty', '-m', 'no key'), cwd=repo,
                         capture_output=True, text=True, env=env)
    assert bad.returncode != 0 and '[jira-ticket]' in bad.stderr
    good = subprocess.run(('git', 'commit', '-q', '--allow-empty', '-m', 'PROJ-1 key'), cwd=repo,
                          capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stderr


def test_a_copied_pre_receive_script_serves_and_fails_closed(server, work, tmp_path):
    hook = server / 'hooks' / 'pre-receive'
    hook.parent.mkdir(exist_ok=True)
    shutil.copyfile(ROOT / 'hooks' / 'pre-receive', hook)
    hook.chmod(0o755)
    (tmp_path / 'bin').mkdir()
    _script(tmp_path / 'bin' / 'pushguard', f'exec "{sys.executable}" -m pushguard "$@"')
    gitrepo.commit(work, 'PROJ-1 policy', {'.pushguard.toml': JIRA})
    path = f'{tmp_path / "bin"}:{os.environ["PATH"]}'
    proc = subprocess.run(('git', 'push', 'origin', 'main'), cwd=work, capture_output=True,
                          text=True, env={**os.environ, 'PATH': path})
    assert proc.returncode == 0, proc.stderr
    gitrepo.commit(work, 'bad')
    proc = subprocess.run(('git', 'push', 'origin', 'main'), cwd=work, capture_output=True,
                          text=True, env={**os.environ, 'PATH': path})
    assert proc.returncode != 0 and '[jira-ticket]' in proc.stderr
    # no pushguard anywhere: the push is refused, with the reason
    empty = tmp_path / 'nothing'
    empty.mkdir()
    env = {**os.environ, 'PATH': f'{empty}:{_git_dir()}'}
    env.pop('PYTHONPATH', None)
    proc = subprocess.run(('git', 'push', 'origin', 'main'), cwd=work, capture_output=True,
                          text=True, env=env)
    assert proc.returncode != 0
    assert 'the pre-receive hook found no pushguard' in proc.stderr


def test_uninstall_server_restores_the_hook_that_was_there(server, tmp_path):
    _script(server / 'hooks' / 'pre-receive', 'exit 0')
    before = (server / 'hooks' / 'pre-receive').read_bytes()
    assert _install_server(server, '--config', str(tmp_path / 'policy.toml')).code == 0
    result = _install_server(server, '--uninstall')
    assert result.code == 0, result.err
    assert result.out == ('restored pre-receive hook: hooks/pre-receive.legacy moved back to '
                          'hooks/pre-receive\n')
    assert (server / 'hooks' / 'pre-receive').read_bytes() == before
