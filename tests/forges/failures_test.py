"""When the forge cannot be asked: one `remote` warning naming what was not checked and why (an
error with `remote.offline = "fail"`); never a traceback, never a silent pass, never the token."""
from __future__ import annotations

import os
import socket
import time

import pytest

SECRET = 'ghp_FAILSECRET0123456789'  # pragma: allowlist secret
CLEAN = {'rules/branches/main': [], 'branches/main': {'name': 'main', 'protected': False}}


def _unprotected(forge):
    forge.reply('/repos/o/r/rules/branches/main', [])
    forge.reply('/repos/o/r/branches/main', {'name': 'main', 'protected': False})
    forge.reply('/repos/o/r/branches/main/protection', {'message': 'Branch not protected'},
                status=404)


def _warned(said):
    assert 'Traceback' not in said and 'crashed' not in said
    return [line for line in said.splitlines() if '[remote]' in line]


@pytest.mark.parametrize(('status', 'data', 'why'), (
    (500, {'message': 'boom'}, 'server error (500)'),
    (403, {'message': 'Resource not accessible by integration'}, '403'),
    (404, {'message': 'Not Found'}, '404'),
    (429, {'message': 'rate limited'}, 'rate limited (429)'),
))
def test_a_failing_forge_is_a_warning_and_the_push_goes_through(github, status, data, why):
    github.forge.fail_all(status, data, headers={'Retry-After': '60'} if status == 429 else None)
    github.commit('feat: more')
    code, said = github.push('origin', 'main', env={'GITHUB_TOKEN': SECRET})
    warned = _warned(said)
    assert code == 0, said
    assert warned and why in ' '.join(warned) and 'not checked' in said
    assert SECRET not in said


def test_a_refused_token_is_named_but_never_printed(github):
    github.forge.token = 'the-right-one'
    github.commit('feat: more')
    code, said = github.push('origin', 'main', env={'GITHUB_TOKEN': SECRET})
    print(said)
    assert code == 0 and "401" in ' '.join(_warned(said))
    assert SECRET not in said


def test_offline_fail_blocks_when_the_forge_cannot_be_asked(github):
    github.policy('cache-ttl = 0\noffline = "fail"\n', 'github')
    github.commit('feat: policy')
    github.forge.fail_all(500, {'message': 'boom'})
    code, said = github.push('origin', 'main')
    assert code == 1 and _warned(said) and 'error [remote]' in said


def test_429_is_asked_again_after_retry_after_within_the_bound(github):
    _unprotected(github.forge)
    github.forge.fail_all(429, {'message': 'slow down'}, once=True, headers={'Retry-After': '1'})
    github.commit('feat: more')
    code, said = github.push('origin', 'main')
    assert code == 0 and _warned(said) == [], said


def test_a_hanging_forge_costs_at_most_the_timeout(github):
    github.policy('cache-ttl = 0\ntimeout = 1.0\n', 'github')
    github.commit('feat: policy')
    github.forge.fail_all(200, [], delay=30)
    started = time.monotonic()
    code, said = github.push('origin', 'main')
    assert time.monotonic() - started < 10
    assert code == 0 and 'remote.timeout' in ' '.join(_warned(said))
    assert 'no answer within remote.timeout (1 s)' in said  # as set, not what was left of it
    assert 'fix: check the network and the proxy (HTTPS_PROXY, NO_PROXY)' in said


def test_malformed_json_is_a_warning(github):
    github.forge.fail_all(200, body=b'{"half": ')
    github.commit('feat: more')
    code, said = github.push('origin', 'main')
    assert code == 0 and 'malformed JSON' in ' '.join(_warned(said))


def test_a_redirect_to_a_login_page_is_a_warning(github):
    github.forge.fail_all(302, body=b'', headers={'Location': 'https://sso.example.com/login'})
    github.commit('feat: more')
    code, said = github.push('origin', 'main', env={'GITHUB_TOKEN': SECRET})
    assert code == 0 and 'login page' in ' '.join(_warned(said))
    assert not [p for p, _ in github.forge.requests if 'login' in p]


def test_a_refused_connection_is_a_warning(github):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    github.policy('cache-ttl = 0\n', 'github')
    text = (github.work / '.pushguard.toml').read_text().replace(
        github.forge.api_url, f'http://127.0.0.1:{port}/api/v3')
    (github.work / '.pushguard.toml').write_text(text)
    github.commit('feat: policy')
    code, said = github.push('origin', 'main')
    assert code == 0 and 'connection refused' in ' '.join(_warned(said))


def test_an_unknown_host_without_a_platform_is_a_warning(github):
    (github.work / '.pushguard.toml').write_text('[remote]\ncache-ttl = 0\n')
    github.commit('feat: policy')
    code, said = github.push('origin', 'main')
    assert code == 0 and 'remote.platform' in ' '.join(_warned(said))


def test_a_cache_hit_makes_no_request_and_two_tokens_share_nothing(github):
    github.policy('cache-ttl = 300\n', 'github')
    github.commit('feat: policy')
    _unprotected(github.forge)
    assert github.push('origin', 'main', env={'GITHUB_TOKEN': 'token-one'})[0] == 0
    asked = len(github.forge.api_requests())
    assert asked > 0
    github.commit('feat: more')
    code, said = github.push('origin', 'main', env={'GITHUB_TOKEN': 'token-one'})
    assert code == 0 and len(github.forge.api_requests()) == asked, said
    github.commit('feat: again')
    assert github.push('origin', 'main', env={'GITHUB_TOKEN': 'token-two'})[0] == 0
    assert len(github.forge.api_requests()) > asked  # another token: asked anew
    cache = github.work / '.git' / 'pushguard' / 'forge-cache'
    for name in os.listdir(cache):
        assert os.stat(cache / name).st_mode & 0o077 == 0
        content = (cache / name).read_bytes()
        assert b'token-one' not in content and b'token-two' not in content


def test_the_token_is_nowhere_but_in_the_request_header(github, tmp_path):
    github.policy('cache-ttl = 300\n', 'github')
    github.commit('feat: policy')
    _unprotected(github.forge)
    trace = tmp_path / 'trace.log'
    env = {'GITHUB_TOKEN': SECRET, 'GIT_TRACE': str(trace), 'GIT_TRACE_SETUP': str(trace)}
    code, said = github.push('origin', 'main', env=env)
    github.forge.fail_all(401, {'message': 'Bad credentials'})
    github.commit('feat: more')
    code2, said2 = github.push('origin', 'main', env={**env, 'PUSHGUARD_TOKEN': SECRET + 'x'})
    assert code == code2 == 0
    assert trace.read_text() and 'pre-push' in trace.read_text()
    seen = [said, said2, trace.read_text(errors='replace')]
    for folder, _, files in os.walk(github.work / '.git'):
        seen += [open(os.path.join(folder, f), 'rb').read().decode('latin-1') for f in files]
    assert not [text for text in seen if SECRET in text]
    assert any(h.get('Authorization') == f'Bearer {SECRET}' for _, h in github.forge.requests)


def test_git_credential_fill_gives_the_token_without_a_prompt_nor_argv(github, tmp_path):
    _unprotected(github.forge)
    store = tmp_path / 'credentials'
    host = github.forge.base.removeprefix('http://')
    store.write_text(f'http://ada:{SECRET}@{host}\n')
    github.git('config', 'credential.helper', f'store --file={store}')
    trace = tmp_path / 'trace.log'
    github.commit('feat: more')
    code, said = github.push('origin', 'main', env={'GIT_TRACE': str(trace)})
    assert code == 0, said
    assert any(h.get('Authorization') == f'Bearer {SECRET}' for _, h in github.forge.requests)
    assert 'credential fill' in trace.read_text() and SECRET not in trace.read_text() + said


def test_gh_stored_token_is_used_before_git_credential_fill(github, tmp_path):
    """`gh auth login` kept a token in hosts.yml: it is read (no process), sent as the header,
    and comes before git's credential helper; the environment's variables still come first."""
    _unprotected(github.forge)
    config = tmp_path / 'gh'
    config.mkdir()
    (config / 'hosts.yml').write_text(
        'github.com:\n    oauth_token: gho_other_host\n'
        '127.0.0.1:\n    users:\n        ada:\n            oauth_token: gho_inactive\n'
        f'    git_protocol: https\n    oauth_token: "{SECRET}"  # active account\n'
        '    user: ada\n')
    store = tmp_path / 'credentials'
    store.write_text(f'http://ada:helper_token@{github.forge.base.removeprefix("http://")}\n')
    github.git('config', 'credential.helper', f'store --file={store}')
    trace = tmp_path / 'trace.log'
    github.commit('feat: more')
    code, said = github.push('origin', 'main', env={'GH_CONFIG_DIR': str(config),
                                                    'GIT_TRACE': str(trace)})
    assert code == 0, said
    sent = {h.get('Authorization') for p, h in github.forge.requests if p.startswith('/api/')}
    assert sent == {f'Bearer {SECRET}'}
    assert 'credential fill' not in trace.read_text() and SECRET not in said
    github.forge.requests.clear()
    github.commit('feat: again')
    code, said = github.push('origin', 'main', env={'GH_CONFIG_DIR': str(config),
                                                    'GITHUB_TOKEN': 'ghs_env_first'})
    assert code == 0, said
    sent = {h.get('Authorization') for p, h in github.forge.requests if p.startswith('/api/')}
    assert sent == {'Bearer ghs_env_first'}


def _self_signed(tmp_path):
    """A certificate for 127.0.0.1 that no trust store knows, made here with openssl."""
    import subprocess
    cert, key = tmp_path / 'cert.pem', tmp_path / 'key.pem'
    subprocess.run(('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
                    '-keyout', str(key), '-out', str(cert)), check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls_api(tmp_path, github):
    """The same forge's API served over HTTPS with a private CA; git still pushes over HTTP."""
    from testing.forge_server import ForgeServer
    cert, key = _self_signed(tmp_path)
    with ForgeServer(tmp_path / 'tls', 'o/r', '/api/v3', tls=(cert, key)) as api:
        _unprotected(api)
        api.reply('/repos/o/r', {'default_branch': 'main', 'permissions': {'push': True}})
        api.reply('/repos/o/r/rulesets', [])
        (github.work / '.pushguard.toml').write_text(
            f'[remote]\nplatform = "github"\napi-url = "{api.api_url}"\ncache-ttl = 0\n')
        github.commit('feat: the api over https')
        yield api, cert


def test_a_certificate_no_trust_store_knows_is_one_tls_warning(github, tls_api):
    api, _ = tls_api
    code, said = github.push('origin', 'main', env={'GITHUB_TOKEN': SECRET})
    assert code == 0, said
    warned = _warned(said)
    found = [line for line in warned if line.startswith('warning [remote]')]
    assert found and all('TLS failed' in line for line in found)
    assert 'fix: trust the forge\'s certificate authority: SSL_CERT_FILE=' in said
    assert SECRET not in said


def test_a_private_ca_in_ssl_cert_file_is_trusted(github, tls_api):
    api, cert = tls_api
    code, said = github.push('origin', 'main', env={'GITHUB_TOKEN': SECRET,
                                                    'SSL_CERT_FILE': str(cert)})
    assert code == 0, said
    assert _warned(said) == []
    assert api.api_requests()
