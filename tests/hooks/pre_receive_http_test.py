"""The server hook behind `git http-backend` (smart HTTP), as a plain git server over https runs
it: a loopback HTTP server hands each request to the CGI program, and real `git push`es go
through it. The hook's reasons reach the pusher as `remote:` lines."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from testing import gitrepo
from testing.policies import JIRA

_CGI_HEADERS = ('CONTENT_TYPE', 'CONTENT_LENGTH', 'QUERY_STRING', 'REQUEST_METHOD',
                'PATH_INFO', 'REMOTE_ADDR', 'HTTP_CONTENT_ENCODING', 'HTTP_GIT_PROTOCOL')


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _backend(root: Path):
    """A WSGI app running `git http-backend` once per request, the CGI way."""
    def app(environ, start_response):
        env = {k: v for k, v in os.environ.items() if not k.startswith('GIT_')}
        env.update({k: environ[k] for k in _CGI_HEADERS if environ.get(k)})
        env.update({'GIT_PROJECT_ROOT': str(root), 'GIT_HTTP_EXPORT_ALL': '1',
                    'REMOTE_USER': 'ada', 'GATEWAY_INTERFACE': 'CGI/1.1'})
        for name in ('HOME', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM'):
            if name in os.environ:
                env[name] = os.environ[name]
        length = int(environ.get('CONTENT_LENGTH') or 0)
        body = environ['wsgi.input'].read(length) if length else b''
        out = subprocess.run(('git', 'http-backend'), input=body, env=env,
                             capture_output=True, check=False).stdout
        head, _, payload = out.partition(b'\r\n\r\n')
        headers = [tuple(line.split(': ', 1)) for line in head.decode().split('\r\n') if line]
        status = next((v for k, v in headers if k.lower() == 'status'), '200 OK')
        start_response(status, [(k, v) for k, v in headers if k.lower() != 'status'])
        return [payload]
    return app


@pytest.fixture
def http_server(tmp_path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / 'srv'
    root.mkdir()
    server = gitrepo.bare_remote(root, 'app.git')
    gitrepo.git('config', 'http.receivepack', 'true', cwd=server)
    (tmp_path / 'policy.toml').write_text(JIRA)
    hook = server / 'hooks' / 'pre-receive'
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-receive '
                    f'--config "{tmp_path / "policy.toml"}"\n')
    hook.chmod(0o755)
    httpd = make_server('127.0.0.1', 0, _backend(root), WSGIServer, handler_class=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{httpd.server_port}/app.git', server
    finally:
        httpd.shutdown()


def test_a_push_over_http_is_judged_by_the_server_hook(http_server, tmp_path):
    url, server = http_server
    work = gitrepo.init(tmp_path / 'work')
    gitrepo.commit(work, 'PROJ-1 fine')
    ok = subprocess.run(('git', 'push', url, 'main'), cwd=work, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    gitrepo.commit(work, 'no key')
    bad = subprocess.run(('git', 'push', url, 'main'), cwd=work, capture_output=True, text=True)
    assert bad.returncode != 0
    assert 'remote: error [jira-ticket]' in bad.stderr
    assert 'pre-receive hook declined' in bad.stderr
    assert gitrepo.head(server, 'main') == gitrepo.head(work, 'main~1')
