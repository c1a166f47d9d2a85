from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pushguard.commands import install as install_mod
from testing import gitrepo
from testing.policies import JIRA
from testing.run import run_pushguard

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_HOOKS = ('commit-msg', 'pre-commit', 'pre-push')


def _commit(repo: Path, message: str, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    """A real `git commit` (hooks run), of whatever is staged or nothing."""
    return subprocess.run(
        ('git', 'commit', '-q', '--no-gpg-sign', '--allow-empty', '-m', message),
        cwd=repo, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )


def _hooks(repo: Path) -> Path:
    return repo / '.git' / 'hooks'


def _write_hook(path: Path, body: str, mode: int = 0o755) -> bytes:
    content = f'#!/bin/sh\n{body}\n'.encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    path.chmod(mode)
    return content


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.iterdir())}


def _log_count(repo: Path) -> int:
    out = subprocess.run(('git', 'rev-list', '--count', '--all'), cwd=repo, capture_output=True,
                         text=True)
    return int(out.stdout.strip() or 0)


def _fake_pushguard(bin_dir: Path, record: Path) -> Path:
    """A `pushguard` on PATH that notes its arguments, then runs the real one."""
    _write_hook(bin_dir / 'pushguard',
                f'echo "$@" >> "{record}"\nexec "{sys.executable}" -m pushguard "$@"')
    return bin_dir


# --- writing the hooks ----------------------------------------------------------------------

def test_install_writes_executable_marked_hooks(repo):
    result = run_pushguard('install')
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f'installed {hook} hook: .git/hooks/{hook}' for hook in DEFAULT_HOOKS
    ]
    for hook in DEFAULT_HOOKS:
        path = _hooks(repo) / hook
        assert os.access(path, os.X_OK)
        content = path.read_bytes()
        assert content.startswith(b'#!/bin/sh\n')
        assert install_mod.MARKER in content
        assert f'pg_hook={hook}\n'.encode() in content


def test_install_only_the_hook_types_asked_for(repo):
    result = run_pushguard('install', '--hook', 'pre-push', '--hook', 'commit-msg')
    assert result.code == 0
    assert result.out.splitlines() == ['installed pre-push hook: .git/hooks/pre-push',
                                       'installed commit-msg hook: .git/hooks/commit-msg']
    assert not (_hooks(repo) / 'pre-commit').exists()


def test_second_install_changes_nothing(repo):
    _write_hook(_hooks(repo) / 'commit-msg', 'exit 0')
    run_pushguard('install')
    before = _snapshot(_hooks(repo))
    result = run_pushguard('install')
    assert result.code == 0
    assert result.out.splitlines() == [
        f'unchanged {hook} hook: .git/hooks/{hook}' for hook in DEFAULT_HOOKS
    ]
    assert _snapshot(_hooks(repo)) == before
    assert not (_hooks(repo) / 'commit-msg.legacy.legacy').exists()


def test_an_outdated_shim_of_ours_is_rewritten_in_place(repo):
    run_pushguard('install', '--hook', 'commit-msg')
    path = _hooks(repo) / 'commit-msg'
    path.write_bytes(path.read_bytes() + b'# an older version\n')
    result = run_pushguard('install', '--hook', 'commit-msg')
    assert result.out == 'updated commit-msg hook: .git/hooks/commit-msg\n'
    assert path.read_bytes() == install_mod.render(
        'commit-msg', sys.executable, '', install_mod._import_path(),
        install_mod.where.reinstall_command(sys.executable),
    )
    assert not (_hooks(repo) / 'commit-msg.legacy').exists()


def test_uninstall_restores_exactly_what_was_there(repo):
    hooks = _hooks(repo)
    _write_hook(hooks / 'pre-push', 'echo theirs # bytes kept', mode=0o750)
    before = _snapshot(hooks)
    run_pushguard('install')
    result = run_pushguard('install', '--uninstall')
    assert result.code == 0
    assert result.out.splitlines() == [
        'removed commit-msg hook: .git/hooks/commit-msg',
        'removed pre-commit hook: .git/hooks/pre-commit',
        'restored pre-push hook: .git/hooks/pre-push.legacy moved back to .git/hooks/pre-push',
    ]
    assert _snapshot(hooks) == before


def test_plain_install_leaves_out_prepare_commit_msg_but_the_hook_option_writes_it(repo):
    assert run_pushguard('install').code == 0
    assert not (_hooks(repo) / 'prepare-commit-msg').exists()
    result = run_pushguard('install', '--hook', 'prepare-commit-msg')
    assert result.out.splitlines() == [
        'installed prepare-commit-msg hook: .git/hooks/prepare-commit-msg']
    assert install_mod.is_ours(str(_hooks(repo) / 'prepare-commit-msg'))


def test_plain_uninstall_removes_a_prepare_commit_msg_hook_an_older_install_wrote(repo):
    assert run_pushguard('install').code == 0
    assert run_pushguard('install', '--hook', 'prepare-commit-msg').code == 0
    result = run_pushguard('install', '--uninstall')
    assert 'removed prepare-commit-msg hook: .git/hooks/prepare-commit-msg' in result.out
    assert not any(_hooks(repo).glob('pre*-commit*'))


def test_plain_uninstall_leaves_a_foreign_prepare_commit_msg_alone(repo):
    content = _write_hook(_hooks(repo) / 'prepare-commit-msg', 'exit 0')
    result = run_pushguard('install', '--uninstall')
    assert 'prepare-commit-msg' not in result.out
    assert (_hooks(repo) / 'prepare-commit-msg').read_bytes() == content


def test_uninstall_leaves_hooks_that_are_not_ours(repo):
    content = _write_hook(_hooks(repo) / 'commit-msg', 'exit 0')
    result = run_pushguard('install', '--uninstall', '--hook', 'commit-msg', '--hook', 'pre-push')
    assert result.out.splitlines() == [
        "left commit-msg hook alone: .git/hooks/commit-msg is not pushguard's",
        'not installed pre-push hook: .git/hooks/pre-push',
    ]
    assert (_hooks(repo) / 'commit-msg').read_bytes() == content


def test_a_foreign_hook_and_a_foreign_legacy_are_never_clobbered(repo):
    hooks = _hooks(repo)
    _write_hook(hooks / 'commit-msg', 'echo new')
    _write_hook(hooks / 'commit-msg.legacy', 'echo old')
    before = _snapshot(hooks)
    result = run_pushguard('install')
    assert result.code == 2
    assert result.err.count('\n') == 1
    assert 'commit-msg' in result.err and 'commit-msg.legacy' in result.err
    assert _snapshot(hooks) == before  # nothing written, not even the other hook types


def test_the_pre_commit_frameworks_hook_is_left_to_it(repo):
    content = _write_hook(_hooks(repo) / 'pre-commit',
                          '# File generated by pre-commit: https://pre-commit.com\nexit 0')
    result = run_pushguard('install', '--hook', 'pre-commit')
    assert result.code == 0
    assert 'add the id pushguard-pre-commit to .pre-commit-config.yaml' in result.out
    assert (_hooks(repo) / 'pre-commit').read_bytes() == content
    assert not (_hooks(repo) / 'pre-commit.legacy').exists()


def test_outside_a_repository_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('GIT_CEILING_DIRECTORIES', str(tmp_path.parent))
    result = run_pushguard('install')
    assert result.code == 2
    assert result.out == ''
    assert result.err == ('pushguard: error: not inside a git repository: '
                          'run `pushguard install` in one\n')


def test_a_bad_policy_file_fails_at_install(repo):
    (repo / 'policy.toml').write_text('[commit.jira]\nproject = ["PROJ"]\n')
    result = run_pushguard('install', '--config', 'policy.toml')
    assert result.code == 2
    assert 'policy.toml' in result.err and 'project' in result.err
    assert not (_hooks(repo) / 'commit-msg').exists()


# --- the hooks at work, through real git ------------------------------------------------------

@pytest.mark.parametrize(('message', 'lands'), [
    pytest.param('PROJ-7 add the login page', True, id='key-in-subject'),
    pytest.param('add the login page', False, id='no-key'),
    pytest.param('OPS-7 add the login page', False, id='other-project'),
])
def test_a_real_commit_runs_the_commit_msg_hook(repo, message, lands):
    (repo / '.pushguard.toml').write_text(JIRA)
    run_pushguard('install', '--hook', 'commit-msg')
    result = _commit(repo, message)
    assert (result.returncode == 0) is lands, result.stdout + result.stderr
    assert _log_count(repo) == (1 if lands else 0)
    if not lands:
        assert '[jira-ticket]' in result.stderr


def test_install_config_is_passed_to_the_hook(repo):
    (repo / 'policies').mkdir()
    (repo / 'policies' / 'strict.toml').write_text(JIRA)
    sub = repo / 'src'
    sub.mkdir()
    result = run_pushguard('install', '--hook', 'commit-msg', '--config', '../policies/strict.toml',
                           cwd=sub)
    assert result.code == 0, result.err
    assert b"pg_config=policies/strict.toml\n" in (_hooks(repo) / 'commit-msg').read_bytes()
    assert _commit(repo, 'no key here').returncode == 1
    assert _commit(repo, 'PROJ-1 a key').returncode == 0


@pytest.mark.parametrize(('body', 'code'), [
    pytest.param('echo "legacy says no" >&2; exit 1', 1, id='exit-1'),
    pytest.param('echo "legacy says no" >&2; exit 3', 3, id='exit-3'),
])
def test_a_failing_foreign_hook_still_blocks(repo, body, code):
    _write_hook(_hooks(repo) / 'commit-msg', body)
    run_pushguard('install', '--hook', 'commit-msg')
    (repo / '.pushguard.toml').write_text(JIRA)
    result = _commit(repo, 'PROJ-1 a message pushguard accepts')
    assert result.returncode != 0
    assert 'legacy says no' in result.stderr
    assert _log_count(repo) == 0
    hook = _hooks(repo) / 'commit-msg'
    direct = subprocess.run((str(hook), str(repo / 'msg')), cwd=repo, capture_output=True)
    assert direct.returncode == code


def test_a_foreign_hook_runs_first_with_the_same_arguments(repo, tmp_path):
    seen = tmp_path / 'seen'
    _write_hook(_hooks(repo) / 'commit-msg',
                f'echo "legacy: $# $1" >> "{seen}"; cat "$1" >> "{seen}"')
    run_pushguard('install', '--hook', 'commit-msg')
    (repo / '.pushguard.toml').write_text(JIRA)
    assert _commit(repo, 'PROJ-2 with a key').returncode == 0
    assert seen.read_text() == 'legacy: 1 .git/COMMIT_EDITMSG\nPROJ-2 with a key\n'
    assert _commit(repo, 'without a key').returncode == 1  # ran, then pushguard refused
    assert seen.read_text().count('legacy: 1') == 2


def _push_setup(repo: Path, tmp_path: Path) -> tuple[Path, str]:
    remote = gitrepo.bare_remote(tmp_path)
    gitrepo.git('remote', 'add', 'origin', str(remote), cwd=repo)
    (repo / '.pushguard.toml').write_text('')
    sha = gitrepo.commit(repo, 'feat: first', {'a.txt': 'a\n'})
    return remote, sha


def test_stdin_is_replayed_to_a_foreign_pre_push_hook(repo, tmp_path):
    remote, sha = _push_setup(repo, tmp_path)
    got = tmp_path / 'stdin-seen'
    _write_hook(_hooks(repo) / 'pre-push', f'echo "$@" > "{got}.args"; cat > "{got}"')
    run_pushguard('install', '--hook', 'pre-push')
    push = subprocess.run(('git', 'push', '-q', 'origin', 'main'), cwd=repo, capture_output=True,
                          text=True)
    assert push.returncode == 0, push.stderr
    assert got.read_text() == f'refs/heads/main {sha} refs/heads/main {gitrepo.zeros(repo)}\n'
    assert Path(f'{got}.args').read_text() == f'origin {remote}\n'
    assert gitrepo.head(remote, 'main') == sha


def test_git_lfs_pre_push_hook_is_kept_and_still_runs(repo, tmp_path, monkeypatch):
    remote, sha = _push_setup(repo, tmp_path)
    lfs_hook = ('command -v git-lfs >/dev/null 2>&1 || { echo >&2 "git-lfs was not found"; '
                'exit 2; }\ngit lfs pre-push "$@"')
    content = _write_hook(_hooks(repo) / 'pre-push', lfs_hook)
    bin_dir, seen = tmp_path / 'bin', tmp_path / 'lfs-seen'
    _write_hook(bin_dir / 'git-lfs', f'echo "$@" > "{seen}.args"; cat > "{seen}"')
    monkeypatch.setenv('PATH', f'{bin_dir}{os.pathsep}{os.environ["PATH"]}')
    run_pushguard('install', '--hook', 'pre-push')
    assert (_hooks(repo) / 'pre-push.legacy').read_bytes() == content
    push = subprocess.run(('git', 'push', '-q', 'origin', 'main'), cwd=repo, capture_output=True,
                          text=True)
    assert push.returncode == 0, push.stderr
    assert Path(f'{seen}.args').read_text() == f'pre-push origin {remote}\n'
    assert seen.read_text() == f'refs/heads/main {sha} refs/heads/main {gitrepo.zeros(repo)}\n'


def test_relative_core_hooks_path_is_honoured(repo):
    gitrepo.git('config', 'core.hooksPath', '.githooks', cwd=repo)
    (repo / '.pushguard.toml').write_text(JIRA)
    sub = repo / 'deep' / 'down'
    sub.mkdir(parents=True)
    result = run_pushguard('install', '--hook', 'commit-msg', cwd=sub)
    assert result.code == 0, result.err
    assert os.access(repo / '.githooks' / 'commit-msg', os.X_OK)
    assert not (_hooks(repo) / 'commit-msg').exists()
    assert _commit(repo, 'no key').returncode == 1


def test_a_linked_worktree_installs_into_the_shared_hooks(repo, tmp_path):
    gitrepo.commit(repo, 'PROJ-1 first')
    worktree = tmp_path / 'wt'
    gitrepo.git('worktree', 'add', '-q', '-b', 'other', str(worktree), cwd=repo)
    (worktree / '.pushguard.toml').write_text(JIRA)
    result = run_pushguard('install', '--hook', 'commit-msg', cwd=worktree)
    assert result.code == 0, result.err
    assert (_hooks(repo) / 'commit-msg').exists()
    assert not (repo / '.git' / 'worktrees' / 'wt' / 'hooks').exists()
    assert _commit(worktree, 'no key').returncode == 1
    assert _commit(worktree, 'PROJ-2 a key').returncode == 0


# --- finding pushguard when the interpreter that installed it is gone -------------------------

def _rebake(hook: Path, python: str) -> None:
    """Point the hook at `python`, with no import folders of the interpreter it was made with."""
    content = hook.read_bytes()
    baked = f'pg_python={sys.executable}\n'.encode()
    folders = f'pg_path={shlex.quote(install_mod._import_path())}\n'.encode()
    assert baked in content and folders in content
    content = content.replace(baked, f'pg_python={python}\n'.encode())
    hook.write_bytes(content.replace(folders, b"pg_path=''\n"))


def _python_without_pushguard(tmp_path: Path) -> str:
    """An interpreter that cannot import pushguard: no site-packages, no PYTHONPATH."""
    wrapper = tmp_path / 'bare-python'
    _write_hook(wrapper, f'exec "{sys.executable}" -I -S "$@"')
    return str(wrapper)


@pytest.mark.parametrize('baked', [
    pytest.param(lambda tmp: str(tmp / 'gone' / 'python3'), id='interpreter-gone'),
    pytest.param(_python_without_pushguard, id='interpreter-without-pushguard'),
])
def test_the_shim_falls_back_to_pushguard_on_path(repo, tmp_path, monkeypatch, baked):
    (repo / '.pushguard.toml').write_text(JIRA)
    run_pushguard('install', '--hook', 'commit-msg')
    _rebake(_hooks(repo) / 'commit-msg', baked(tmp_path))
    record = tmp_path / 'calls'
    bin_dir = _fake_pushguard(tmp_path / 'bin', record)
    monkeypatch.setenv('PATH', f'{bin_dir}{os.pathsep}{os.environ["PATH"]}')
    result = _commit(repo, 'no key')
    assert result.returncode == 1
    assert '[jira-ticket]' in result.stderr
    assert record.read_text() == 'hook commit-msg .git/COMMIT_EDITMSG\n'


def test_without_any_pushguard_the_hook_fails_and_says_what_to_do(repo, tmp_path):
    run_pushguard('install', '--hook', 'commit-msg')
    hook = _hooks(repo) / 'commit-msg'
    _rebake(hook, str(tmp_path / 'gone' / 'python3'))
    empty = tmp_path / 'empty-path'
    empty.mkdir()
    result = subprocess.run(('/bin/sh', str(hook), 'msg'), cwd=repo, capture_output=True,
                            text=True, env={**os.environ, 'PATH': str(empty)})
    assert result.returncode == 2
    assert 'found no pushguard' in result.stderr
    # from where it came (here: this environment's install), never an index it is not on
    reinstall = install_mod.where.reinstall_command(sys.executable)
    assert reinstall and f'reinstall it from where it came: {reinstall},' in result.stderr
    assert '--no-verify' in result.stderr


@pytest.mark.parametrize(('origin', 'command'), [
    pytest.param({'url': 'file:///src/pushguard', 'dir_info': {'editable': True}},
                 "py -m pip install -e /src/pushguard", id='editable-checkout'),
    pytest.param({'url': 'file:///dl/pushguard-0.1.0-py3-none-any.whl', 'archive_info': {}},
                 'py -m pip install /dl/pushguard-0.1.0-py3-none-any.whl', id='wheel'),
    pytest.param({'url': 'https://github.com/acme/pushguard',
                  'vcs_info': {'vcs': 'git', 'commit_id': 'abc123', 'requested_revision': 'v0.1'}},
                 'py -m pip install git+https://github.com/acme/pushguard@v0.1', id='git-url'),
])
def test_the_reinstall_command_names_where_pushguard_came_from(origin, command):
    assert install_mod.where._from_origin('py -m pip install', origin) == command


# --- the shim template: one source, shipped in the package; hooks/shim.sh links to it ----------

def test_top_level_hooks_shim_is_the_packaged_template():
    assert (ROOT / 'hooks' / 'shim.sh').read_bytes() == install_mod.template()
    assert (ROOT / 'src' / 'pushguard' / 'hooks' / 'shim.sh').read_bytes() == install_mod.template()


def test_a_hand_copied_shim_takes_its_type_from_its_name(repo, tmp_path, monkeypatch):
    (repo / '.pushguard.toml').write_text(JIRA)
    hook = _hooks(repo) / 'commit-msg'
    hook.parent.mkdir()
    hook.write_bytes((ROOT / 'hooks' / 'shim.sh').read_bytes())
    hook.chmod(0o755)
    record = tmp_path / 'calls'
    bin_dir = _fake_pushguard(tmp_path / 'bin', record)
    monkeypatch.setenv('PATH', f'{bin_dir}{os.pathsep}{os.environ["PATH"]}')
    assert _commit(repo, 'no key').returncode == 1
    assert _commit(repo, 'PROJ-3 with a key').returncode == 0
    assert record.read_text().splitlines() == ['hook commit-msg .git/COMMIT_EDITMSG'] * 2


def test_pushguard_reads_the_same_stdin_after_the_foreign_pre_push_hook(repo, tmp_path,
                                                                        monkeypatch):
    remote, sha = _push_setup(repo, tmp_path)
    legacy_saw, pushguard_saw = tmp_path / 'legacy-saw', tmp_path / 'pushguard-saw'
    _write_hook(_hooks(repo) / 'pre-push', f'cat > "{legacy_saw}"')
    run_pushguard('install', '--hook', 'pre-push')
    _rebake(_hooks(repo) / 'pre-push', str(tmp_path / 'gone' / 'python3'))
    _write_hook(tmp_path / 'bin' / 'pushguard', f'echo "$@" > "{pushguard_saw}.args"; '
                f'cat > "{pushguard_saw}"')
    monkeypatch.setenv('PATH', f'{tmp_path / "bin"}{os.pathsep}{os.environ["PATH"]}')
    push = subprocess.run(('git', 'push', '-q', 'origin', 'main'), cwd=repo, capture_output=True,
                          text=True)
    assert push.returncode == 0, push.stderr
    expected = f'refs/heads/main {sha} refs/heads/main {gitrepo.zeros(repo)}\n'
    assert legacy_saw.read_text() == pushguard_saw.read_text() == expected
    assert Path(f'{pushguard_saw}.args').read_text() == f'hook pre-push origin {remote}\n'


def test_the_hook_starts_python_without_site_and_finds_pushguard(repo):
    run_pushguard('install', '--hook', 'commit-msg')
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('add login\n')
    hook = _hooks(repo) / 'commit-msg'
    assert f"pg_path={shlex.quote(install_mod._import_path())}" in hook.read_text()
    proc = subprocess.run(('sh', str(hook), 'msg'), capture_output=True, text=True)
    assert proc.returncode == 1
    assert '[jira-ticket]' in proc.stdout


def test_stale_import_folders_fall_back_to_the_ordinary_start(repo):
    run_pushguard('install', '--hook', 'commit-msg')
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('add login\n')
    hook = _hooks(repo) / 'commit-msg'
    text = hook.read_text()
    start = text.index('pg_path=')
    end = text.index('\n', start)
    hook.write_text(text[:start] + "pg_path='/nonexistent/site-packages'" + text[end:])
    proc = subprocess.run(('sh', str(hook), 'msg'), capture_output=True, text=True)
    assert proc.returncode == 1
    assert '[jira-ticket]' in proc.stdout


@pytest.mark.parametrize('baked', (True, False), ids=('python-S', 'ordinary-start'))
def test_files_of_the_repository_are_never_imported_as_modules(repo, baked):
    run_pushguard('install', '--hook', 'commit-msg')
    hook = _hooks(repo) / 'commit-msg'
    if not baked:
        text = hook.read_text()
        start = text.index('pg_path=')
        hook.write_text(text[:start] + "pg_path=''" + text[text.index('\n', start):])
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    for module in ('re', 'enum', 'pushguard', 'cfgv'):
        (repo / f'{module}.py').write_text('raise SystemExit("the repository\'s file ran")\n')
    (repo / 'msg').write_text('add login\n')
    proc = subprocess.run(('sh', str(hook), 'msg'), capture_output=True, text=True)
    assert 'ran' not in proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert '[jira-ticket]' in proc.stdout
