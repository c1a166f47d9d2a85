"""`pushguard doctor`: a broken set-up of each kind is named, with the fix; exit 1 on a failure."""
from __future__ import annotations

import json
import socket
import subprocess

import pytest

from testing import gitrepo
from testing.run import run_pushguard


def _doctor(*env_pairs: tuple[str, str]) -> tuple[int, list[dict[str, str]]]:
    result = run_pushguard('doctor', '--format', 'json')
    assert result.err == ''
    return result.code, json.loads(result.out)['items']


def _about(items: list[dict[str, str]], item: str) -> list[dict[str, str]]:
    return [entry for entry in items if entry['item'] == item]


@pytest.fixture
def work(tmp_path, monkeypatch):
    repo = gitrepo.pushed_work(tmp_path, '[commit]\n')
    monkeypatch.chdir(repo)
    return repo


def test_a_healthy_set_up_passes(work):
    assert run_pushguard('install').code == 0
    code, items = _doctor()
    assert code == 0
    assert {(i['item'], i['status']) for i in items} == {
        ('hooks', 'ok'), ('policy', 'ok'), ('remote', 'ok')}


def test_hooks_not_installed_are_a_warning_with_the_fix(work):
    code, items = _doctor()
    assert code == 0
    assert _about(items, 'hooks') == [{
        'item': 'hooks', 'status': 'warn', 'message': 'not installed: commit-msg, '
        'pre-commit, pre-push (what they check reaches the server unchecked)',
        'fix': 'pushguard install'}]


def test_a_hook_whose_python_is_gone_fails_every_push(work, monkeypatch):
    assert run_pushguard('install').code == 0
    hook = work / '.git' / 'hooks' / 'pre-push'
    content = hook.read_bytes()
    start = content.index(b'pg_python=')
    end = content.index(b'\n', start)
    hook.write_bytes(content[:start] + b"pg_python='/gone/bin/python3'" + content[end:])
    monkeypatch.setenv('PATH', '/usr/bin:/bin')  # no pushguard to fall back on
    code, items = _doctor()
    assert code == 1
    failed = [i for i in items if i['status'] == 'fail']
    assert failed[0]['message'].startswith('pre-push starts /gone/bin/python3, which no longer '
                                           'exists')


def test_another_tools_hook_shadows_ours(work):
    hooks = work / '.git' / 'hooks'
    hooks.mkdir(exist_ok=True)
    (hooks / 'pre-push').write_text('#!/bin/sh\nexit 0\n')
    _, items = _doctor()
    assert any("another tool's hook" in i['message'] and i['fix'].startswith('pushguard install')
               for i in items)


def test_core_hooks_path_pointing_elsewhere(work):
    assert run_pushguard('install').code == 0
    gitrepo.git('config', 'core.hooksPath', '.husky', cwd=work)
    _, items = _doctor()
    assert any(i['message'].startswith('core.hooksPath is .husky, so git does not run')
               for i in items)


def test_a_broken_policy_fails(work):
    (work / '.pushguard.toml').write_text('[commit\n')
    code, items = _doctor()
    assert code == 1
    assert _about(items, 'policy')[0]['status'] == 'fail'
    assert '.pushguard.toml' in _about(items, 'policy')[0]['message']


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_an_unreachable_ssh_remote_is_named_with_the_cause(work):
    gitrepo.git('remote', 'set-url', 'origin', f'ssh://git@127.0.0.1:{_closed_port()}/a/b.git',
                cwd=work)
    code, items = _doctor()
    assert code == 1
    remote = _about(items, 'remote')[0]
    assert remote['status'] == 'fail' and remote['message'].endswith('[network]')
    ssh = _about(items, 'ssh')[0]
    assert ssh['status'] == 'fail'


def test_signing_required_but_not_configured(work):
    (work / '.pushguard.toml').write_text('[signing]\nrequired = true\n')
    code, items = _doctor()
    assert code == 1
    assert _about(items, 'signing')[0] == {
        'item': 'signing', 'status': 'fail', 'message': 'the policy requires signed commits, '
        'but git does not sign them (commit.gpgsign is not true)',
        'fix': 'git config commit.gpgsign true'}


def test_signing_with_a_missing_ssh_key(work):
    (work / '.pushguard.toml').write_text('[signing]\nrequired = true\n')
    for key, value in {'commit.gpgsign': 'true', 'gpg.format': 'ssh',
                       'user.signingkey': '/nowhere/id.pub'}.items():
        gitrepo.git('config', key, value, cwd=work)
    _, items = _doctor()
    assert _about(items, 'signing')[0]['message'] == ('user.signingkey names /nowhere/id.pub, '
                                                       'which does not exist')


def test_signing_with_a_real_ssh_key_is_fine(work, tmp_path):
    key = tmp_path / 'id'
    subprocess.run(('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', str(key)), check=True)
    (work / '.pushguard.toml').write_text('[signing]\nrequired = true\n')
    for name, value in {'commit.gpgsign': 'true', 'gpg.format': 'ssh',
                        'user.signingkey': f'{key}.pub'}.items():
        gitrepo.git('config', name, value, cwd=work)
    _, items = _doctor()
    assert _about(items, 'signing') == [{'item': 'signing', 'status': 'ok',
                                         'message': f'signs with the SSH key {key}.pub',
                                         'fix': None}]


def test_a_shallow_clone_in_github_actions_names_fetch_depth(work, tmp_path, monkeypatch):
    gitrepo.commit(work, 'feat: two')
    gitrepo.commit(work, 'feat: three')
    shallow = tmp_path / 'shallow'
    gitrepo.git('clone', '-q', '--depth', '1', f'file://{work}', str(shallow))
    monkeypatch.chdir(shallow)
    monkeypatch.setenv('GITHUB_ACTIONS', 'true')
    _, items = _doctor()
    assert _about(items, 'shallow')[0]['fix'] == 'actions/checkout with `fetch-depth: 0`'


def test_text_output_is_one_line_per_item_with_its_fix(work):
    result = run_pushguard('doctor')
    assert result.code == 0
    assert result.out.splitlines()[:2] == [
        'warn hooks: not installed: commit-msg, pre-commit, pre-push (what '
        'they check reaches the server unchecked)', '     fix: pushguard install']


def test_outside_a_repository_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_pushguard('doctor')
    assert result.code == 2
    assert result.err.count('\n') == 1 and 'not inside a git repository' in result.err


# --- the forge behind the remote (a loopback forge: API and git over smart HTTP) ---------------

SECRET = 'ghp_DOCTORSECRET0123456789'  # pragma: allowlist secret


@pytest.fixture
def forge_env(tmp_path, monkeypatch):
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY',
                 'GITHUB_TOKEN', 'GH_TOKEN', 'GITLAB_TOKEN', 'CI_JOB_TOKEN', 'PUSHGUARD_TOKEN'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('NO_PROXY', '127.0.0.1')
    monkeypatch.setenv('GH_CONFIG_DIR', str(tmp_path / 'no-gh'))


def _forge_work(tmp_path, monkeypatch, forge, platform, extra=''):
    work = gitrepo.init(tmp_path / 'forge-work')
    gitrepo.git('remote', 'add', 'origin', forge.url, cwd=work)
    (work / '.pushguard.toml').write_text(
        f'[remote]\nplatform = "{platform}"\napi-url = "{forge.api_url}"\n{extra}')
    gitrepo.commit(work, 'feat: start')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=work)
    monkeypatch.chdir(work)
    return work


def test_github_forge_token_scopes_and_permissions(tmp_path, monkeypatch, forge_env):
    from testing.forge_server import ForgeServer
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        forge.reply('/repos/o/r', {'permissions': {'admin': False, 'push': True, 'pull': True}},
                    headers={'X-OAuth-Scopes': 'repo, workflow'})
        _forge_work(tmp_path, monkeypatch, forge, 'github')
        monkeypatch.setenv('GITHUB_TOKEN', SECRET)
        result = run_pushguard('doctor')
        assert result.code == 0, result.out
        assert f'ok   forge: github: 127.0.0.1:{forge.base.rsplit(":", 1)[1]}/o/r' in result.out
        assert f'ok   forge-api: {forge.api_url} answers (HTTP 200)' in result.out
        assert 'ok   token: GITHUB_TOKEN: scopes repo, workflow; on the repository: push, pull' \
            in result.out
        assert SECRET not in result.out + result.err
        assert any(h.get('Authorization') == f'Bearer {SECRET}' for _, h in forge.requests)


def test_github_token_that_cannot_push_or_is_refused(tmp_path, monkeypatch, forge_env):
    from testing.forge_server import ForgeServer
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        forge.reply('/repos/o/r', {'permissions': {'admin': False, 'push': False, 'pull': True}})
        _forge_work(tmp_path, monkeypatch, forge, 'github')
        monkeypatch.setenv('GITHUB_TOKEN', SECRET)
        code, items = _doctor()
        [token] = _about(items, 'token')
        assert token['status'] == 'warn' and 'cannot push to' in token['message']
        assert 'scopes not listed' in token['message']
        forge.token = 'another'  # now every request is refused: 401
        code, items = _doctor()
        [token] = _about(items, 'token')
        assert token['status'] == 'warn' and 'the forge refuses it' in token['message']
        assert SECRET not in json.dumps(items)


def test_no_token_is_a_warning_with_the_variable_to_set(tmp_path, monkeypatch, forge_env):
    from testing.forge_server import ForgeServer
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        forge.reply('/repos/o/r', {'permissions': {'pull': True}})
        _forge_work(tmp_path, monkeypatch, forge, 'github')
        code, items = _doctor()
        [token] = _about(items, 'token')
        assert token['status'] == 'warn' and 'GITHUB_TOKEN' in token['fix']


def test_gitlab_role_and_token_scopes(tmp_path, monkeypatch, forge_env):
    from testing.forge_server import ForgeServer
    with ForgeServer(tmp_path, 'group/sub/r', '/api/v4') as forge:
        forge.reply('/projects/group%2Fsub%2Fr', {'permissions': {
            'project_access': {'access_level': 30}, 'group_access': {'access_level': 40}}})
        forge.reply('/personal_access_tokens/self', {'name': 'laptop', 'scopes': ['api'],
                                                     'expires_at': '2027-01-31'})
        _forge_work(tmp_path, monkeypatch, forge, 'gitlab')
        monkeypatch.setenv('GITLAB_TOKEN', 'glpat-doctorsecret')
        code, items = _doctor()
        [token] = _about(items, 'token')
        assert token == {'item': 'token', 'status': 'ok', 'fix': None, 'message':
                         'GITLAB_TOKEN: role Maintainer; token scopes api; expires 2027-01-31'}
        monkeypatch.delenv('GITLAB_TOKEN')
        monkeypatch.setenv('CI_JOB_TOKEN', 'glcbt-doctorsecret')
        code, items = _doctor()
        [token] = _about(items, 'token')
        assert 'sent as JOB-TOKEN' in token['message'] and 'write_repository' in token['message']
        assert 'doctorsecret' not in json.dumps(items)


def test_a_hanging_forge_costs_at_most_the_timeout(tmp_path, monkeypatch, forge_env):
    import time

    from testing.forge_server import ForgeServer
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        _forge_work(tmp_path, monkeypatch, forge, 'github', 'timeout = 1\noffline = "fail"\n')
        forge.reply('/repos/o/r', {'permissions': {}}, delay=5)
        monkeypatch.setenv('GITHUB_TOKEN', SECRET)
        started = time.monotonic()
        code, items = _doctor()
        took = time.monotonic() - started
        [api] = _about(items, 'forge-api')
        assert api['status'] == 'fail' and 'did not answer' in api['message'] and code == 1
        assert took < 4.5, took  # the forge part is bounded by remote.timeout (1 s)


def test_an_unknown_forge_host_says_which_setting_names_it(tmp_path, monkeypatch, forge_env):
    from testing.forge_server import ForgeServer
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        work = _forge_work(tmp_path, monkeypatch, forge, 'github')
        (work / '.pushguard.toml').write_text('[remote]\n')
        code, items = _doctor()
        [item] = _about(items, 'forge')
        assert item['status'] == 'warn' and 'remote.platform' in item['message']
        assert 'platform = "github"' in item['fix']
