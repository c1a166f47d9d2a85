"""Jira issue verification ([commit.jira] url) against a loopback Jira stand-in on 127.0.0.1:
real pushes through the installed pre-push hook to a bare remote, and `pushguard check`."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from testing import gitrepo

_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TOKEN = 'jira-pat-verysecret-0123456789'  # pragma: allowlist secret


class Jira:
    """GET /rest/api/2/issue/KEY?fields=status: 200 with the status, 404 for an unknown key,
    401 unless the Authorization header is the one expected; `hang` never answers in time."""

    def __init__(self, issues: dict[str, str]) -> None:
        self.issues, self.expected, self.hang = issues, f'Bearer {TOKEN}', 0.0
        self.requests: list[tuple[str, str]] = []
        jira = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                jira.requests.append((self.path, self.headers.get('Authorization', '')))
                if jira.hang:
                    time.sleep(jira.hang)
                key = self.path.split('?')[0].rsplit('/', 1)[-1]
                if self.headers.get('Authorization') != jira.expected:
                    status, body = 401, {'errorMessages': ['You are not authenticated.']}
                elif jira.issues.get(key) == '':
                    status, body = 200, ['not', 'an', 'issue']
                elif key in jira.issues:
                    status, body = 200, {'key': key, 'fields': {'status': {
                        'name': jira.issues[key], 'statusCategory': {'key': 'indeterminate'}}}}
                else:
                    status, body = 404, {'errorMessages': ['Issue Does Not Exist'], 'errors': {}}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *args: None  # a client that gave up on a hang
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.httpd.server_address[1]}'


@pytest.fixture
def jira(monkeypatch):
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy',
                 'ALL_PROXY', 'JIRA_USER'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('NO_PROXY', '127.0.0.1')
    monkeypatch.setenv('JIRA_API_TOKEN', TOKEN)
    monkeypatch.setenv('PYTHONPATH', os.pathsep.join((os.path.join(_ROOT, 'src'), _ROOT)))
    server = Jira({'PROJ-1': 'In Progress', 'PROJ-2': 'Done', 'PROJ-3': 'In Review'})
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def work(tmp_path, jira, extra=''):
    policy = (f'[commit.jira]\nprojects = ["PROJ"]\nurl = "{jira.url}"\n'
              f'statuses = ["In Progress", "In Review"]\n[remote]\ntimeout = 2\n{extra}')
    repo = gitrepo.pushed_work(tmp_path, policy)
    hook = repo / '.git' / 'hooks' / 'pre-push'
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-push "$@"\n')
    hook.chmod(0o755)
    return repo


def push(repo, env=None):
    proc = subprocess.run(('git', 'push', 'origin', 'main'), cwd=repo, capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=60)
    return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


def test_existing_keys_in_an_allowed_status_go_through(tmp_path, jira):
    repo = work(tmp_path, jira)
    gitrepo.commit(repo, 'PROJ-3 add the login form')
    jira.requests.clear()
    code, said = push(repo)
    assert code == 0, said
    assert [p for p, _ in jira.requests] == ['/rest/api/2/issue/PROJ-3?fields=status']


def test_an_unknown_key_blocks_the_push(tmp_path, jira):
    repo = work(tmp_path, jira)
    gitrepo.commit(repo, 'PROJ-99 add the login form')
    code, said = push(repo)
    assert code == 1 and '[jira-ticket]' in said and 'PROJ-99 is not an issue in Jira' in said
    assert 'PROJ-NUMBER add the login form' in said


def test_a_status_not_allowed_blocks_the_push(tmp_path, jira):
    repo = work(tmp_path, jira)
    gitrepo.commit(repo, 'PROJ-2 add the login form')
    code, said = push(repo)
    assert code == 1 and "PROJ-2 is in status 'Done', not one of In Progress, In Review" in said
    assert f'{jira.url}/browse/PROJ-2' in said


def test_all_keys_are_asked_in_one_round_and_then_cached(tmp_path, jira):
    repo = work(tmp_path, jira, 'cache-ttl = 300\n')
    gitrepo.commit(repo, 'PROJ-1 one')
    gitrepo.commit(repo, 'PROJ-3 two')
    jira.requests.clear()
    assert push(repo)[0] == 0
    assert len(jira.requests) == 2
    gitrepo.commit(repo, 'PROJ-1 three')
    assert push(repo)[0] == 0 and len(jira.requests) == 2  # PROJ-1 came from the cache


def test_a_refused_token_warns_and_names_what_was_not_verified(tmp_path, jira):
    repo = work(tmp_path, jira)
    jira.expected = 'Bearer another'
    gitrepo.commit(repo, 'PROJ-1 add the login form')
    code, said = push(repo)
    assert code == 0 and 'warning [jira-ticket] not verified in Jira: PROJ-1' in said, said
    assert '401' in said and 'JIRA_API_TOKEN' in said


def test_offline_fail_blocks_when_jira_cannot_be_asked(tmp_path, jira):
    repo = work(tmp_path, jira, 'offline = "fail"\n')
    jira.expected = 'Bearer another'
    gitrepo.commit(repo, 'PROJ-1 add the login form')
    code, said = push(repo)
    assert code == 1 and 'error [jira-ticket] not verified in Jira: PROJ-1' in said, said


def test_a_hanging_jira_is_bounded_by_the_remote_timeout(tmp_path, jira):
    repo = work(tmp_path, jira)
    (repo / '.pushguard.toml').write_text((repo / '.pushguard.toml').read_text()
                                          .replace('timeout = 2', 'timeout = 1'))
    gitrepo.commit(repo, 'PROJ-1 add the login form', {'x': 'y'})
    jira.hang = 8
    started = time.monotonic()
    code, said = push(repo)
    assert time.monotonic() - started < 6
    assert code == 0 and 'not verified in Jira: PROJ-1' in said and 'remote.timeout' in said


def test_an_answer_without_a_status_is_not_verified_not_passed(tmp_path, jira):
    repo = work(tmp_path, jira)
    jira.issues['PROJ-5'] = ''
    gitrepo.commit(repo, 'PROJ-5 add the login form')
    code, said = push(repo)
    assert code == 0 and 'not verified in Jira: PROJ-5' in said and 'without' in said, said


def test_jira_cloud_gets_basic_email_and_api_token(tmp_path, jira):
    repo = work(tmp_path, jira)
    jira.expected = 'Basic ' + base64.b64encode(f'me@example.com:{TOKEN}'.encode()).decode()
    gitrepo.commit(repo, 'PROJ-1 add the login form')
    code, said = push(repo, {'JIRA_USER': 'me@example.com'})
    assert code == 0 and 'jira-ticket' not in said, said


def test_the_credential_can_come_from_git_credential(tmp_path, jira, monkeypatch):
    repo = work(tmp_path, jira)
    monkeypatch.delenv('JIRA_API_TOKEN')
    store = tmp_path / 'credentials'
    store.write_text(f'http://me%40example.com:{TOKEN}@{jira.url.split("//")[1]}\n')
    gitrepo.git('config', 'credential.helper', f'store --file={store}', cwd=repo)
    jira.expected = 'Basic ' + base64.b64encode(f'me@example.com:{TOKEN}'.encode()).decode()
    gitrepo.commit(repo, 'PROJ-2 add the login form')
    code, said = push(repo)
    assert code == 1 and "PROJ-2 is in status 'Done'" in said and TOKEN not in said


def test_check_verifies_too_and_commit_time_never_asks(tmp_path, jira, monkeypatch):
    repo = work(tmp_path, jira)
    hook = repo / '.git' / 'hooks' / 'commit-msg'
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook commit-msg "$@"\n')
    hook.chmod(0o755)
    jira.requests.clear()
    gitrepo.git('commit', '-q', '--allow-empty', '-m', 'PROJ-99 add the form', cwd=repo)
    assert jira.requests == []
    proc = subprocess.run((sys.executable, '-m', 'pushguard', 'check', 'origin/main..HEAD',
                           '--branch', 'main'), cwd=repo, capture_output=True)
    said = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 1 and 'PROJ-99 is not an issue in Jira' in said


def test_the_token_is_in_no_output_and_no_file(tmp_path, jira):
    repo = work(tmp_path, jira, 'cache-ttl = 300\n')
    gitrepo.commit(repo, 'PROJ-1 one')
    gitrepo.commit(repo, 'PROJ-99 two')
    said = push(repo)[1] + push(repo, {'JIRA_USER': 'me@example.com'})[1]
    jira.hang = 5
    said += push(repo)[1]
    assert 'PROJ-99' in said and TOKEN not in said
    for root, _, names in os.walk(tmp_path):
        for name in names:
            with open(os.path.join(root, name), 'rb') as f:
                assert TOKEN.encode() not in f.read(), os.path.join(root, name)


def test_a_bad_url_is_a_one_line_error(tmp_path, jira):
    repo = work(tmp_path, jira)
    bad = 'https://me:pw@jira.example'  # pragma: allowlist secret
    (repo / '.pushguard.toml').write_text(f'[commit.jira]\nurl = "{bad}"\n')
    proc = subprocess.run((sys.executable, '-m', 'pushguard', 'check', 'HEAD'), cwd=repo,
                          capture_output=True)
    said = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 2 and 'commit.jira' in said and 'url' in said
    assert len(said.strip().splitlines()) == 1 and 'Traceback' not in said


def test_a_streamed_push_is_verified_as_the_whole_push(tmp_path, jira, monkeypatch):
    """`check` streams the push with `jira.url` too: the keys (and each commit's subject) are
    kept, not the messages, and Jira's word is the same as over the push held whole."""
    from pushguard import engine
    from pushguard.model import Options, Place
    from pushguard.sources import RangeSource
    from pushguard.verdict import load_config
    repo = work(tmp_path, jira)
    gitrepo.commit(repo, 'PROJ-99 add the login form\n\n' + 'A long body.\n' * 50)
    gitrepo.commit(repo, 'PROJ-2 add the logout button')
    gitrepo.commit(repo, 'PROJ-3 add the profile page')
    monkeypatch.chdir(repo)
    cfg = load_config(Options(), str(repo))
    runs = []
    for held_whole in (False, True):
        source = RangeSource(['origin/main..main'], 'main')
        if held_whole:
            source.context()
        runs.append(engine.run(source, cfg, engine.select(cfg, Place.CHECK)))
    (streamed_ctx, streamed), (whole_ctx, whole) = runs
    assert streamed_ctx.commits == () and len(whole_ctx.commits) == 3
    assert streamed == whole
    said = [f.message for f in streamed if f.check == 'jira-ticket']
    assert said == [f'PROJ-99 is not an issue in Jira ({jira.url}), or this credential may not '
                    'see it', "PROJ-2 is in status 'Done', not one of In Progress, In Review"]
    assert 'PROJ-NUMBER add the login form' in streamed[0].fix
