"""A loopback forge for tests: its API payloads (from the recorded fixtures) and real git over
smart HTTP (`git http-backend` as CGI) for the same repository URL, on 127.0.0.1, port 0.

The served bare repository's pre-receive hook plays the forge's rejection, so a test shows both
sides: with `--no-verify` the server refuses; with pushguard installed the push stops locally.
"""
from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / 'tests' / 'forges' / 'fixtures'


def fixture(name: str) -> Any:
    """A recorded payload: `fixture('github/ruleset.json')`."""
    with open(FIXTURES / name, encoding='utf-8') as f:
        return json.load(f)


class Reply:
    def __init__(self, status: int = 200, data: Any = None, body: bytes | None = None,
                 headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        self.status, self.data, self.body, self.delay = status, data, body, delay
        self.headers = headers or {}


class _Server(ThreadingHTTPServer):
    # a forge takes a push's whole parallel round at once: with the default backlog (5) the
    # kernel drops connections beyond it and the client waits a second for SYN retries
    request_queue_size = 512

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a client that gave up is no error


class ForgeServer:
    """`with ForgeServer(tmp_path, 'o/r', api='/api/v3') as forge:` ... `forge.url`."""

    def __init__(self, root: Path, path: str = 'o/r', api: str = '/api/v3',
                 tls: tuple[Path, Path] | None = None) -> None:
        self.root, self.path, self.api = root / 'served', path, api
        self.bare = self.root / f'{path}.git'
        subprocess.run(('git', 'init', '-q', '--bare', '-b', 'main', str(self.bare)), check=True)
        subprocess.run(('git', 'config', 'http.receivepack', 'true'), cwd=self.bare, check=True)
        self.replies: dict[str, Reply] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.token: str | None = None  # when set: the API answers 401 unless a header carries it
        self.failure: Reply | None = None  # when set: every API path answers this
        self.fail_once = False  # ... only the first time each path is asked
        self._failed: set[str] = set()
        self._httpd = _Server(('127.0.0.1', 0), _handler(self))
        self.scheme = 'http'
        if tls is not None:  # (certificate, key): the same server, over HTTPS
            import ssl
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*map(str, tls))
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = 'https'
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> ForgeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base(self) -> str:
        return f'{self.scheme}://127.0.0.1:{self._httpd.server_address[1]}'

    @property
    def url(self) -> str:
        """The git remote URL: the same host and port as the API."""
        return f'{self.base}/{self.path}.git'

    @property
    def api_url(self) -> str:
        return f'{self.base}{self.api}'

    def reply(self, path: str, data: Any = None, status: int = 200, **kw: Any) -> None:
        """Answer GET `api + path` (the query string ignored) with `data` as JSON."""
        self.replies[path.split('?')[0]] = Reply(status, data, **kw)

    def fail_all(self, status: int, data: Any = None, once: bool = False, **kw: Any) -> None:
        """Every API path answers `status` (once per path with `once`)."""
        self.failure, self.fail_once = Reply(status, data, **kw), once

    def api_requests(self) -> list[str]:
        return [p for p, _ in self.requests if p.startswith(self.api)]

    def pre_receive(self, script: str) -> None:
        """The served repository's pre-receive hook (sh; reads `old new ref` lines)."""
        hook = self.bare / 'hooks' / 'pre-receive'
        hook.parent.mkdir(exist_ok=True)
        hook.write_text('#!/bin/sh\n' + script)
        hook.chmod(0o755)

    def refuse(self, message: str, ref: str = '', condition: str = 'true') -> None:
        """The hook refuses pushes to `ref` (all refs when empty) when `condition` holds (sh, with
        $old $new $ref set), printing the forge's own message."""
        match = f'[ "$ref" = "{ref}" ]' if ref else 'true'
        self.pre_receive(
            'status=0\nwhile read old new ref; do\n'
            f'  if {match} && {condition}; then echo "{message}" >&2; status=1; fi\n'
            'done\nexit $status\n')


def _handler(server: ForgeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self._serve()

        def do_POST(self) -> None:  # noqa: N802
            self._serve()

        def _serve(self) -> None:
            server.requests.append((self.path, dict(self.headers.items())))
            if self.path.startswith(server.api + '/'):
                self._api()
            else:
                self._git()

        def _api(self) -> None:
            if server.token is not None and server.token not in ' '.join(self.headers.values()):
                return self._send(401, json.dumps({'message': 'Bad credentials'}).encode())
            path = self.path[len(server.api):].split('?')[0]
            reply = server.replies.get(path, Reply(404, {'message': 'Not Found'}))
            if server.failure is not None and not (server.fail_once and path in server._failed):
                server._failed.add(path)
                reply = server.failure
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body if reply.body is not None else json.dumps(reply.data).encode()
            self._send(reply.status, body, reply.headers)

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            headers = {'Content-Type': 'application/json', **(headers or {})}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
                data = b''
                while True:
                    size = int(self.rfile.readline().strip() or b'0', 16)
                    if size == 0:
                        self.rfile.readline()
                        return data
                    data += self.rfile.read(size)
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get('Content-Length') or 0))

        def _git(self) -> None:
            path, _, query = self.path.partition('?')
            env = {k: v for k, v in os.environ.items() if not k.startswith('GIT_')}
            env.update({
                'GIT_PROJECT_ROOT': str(server.root), 'GIT_HTTP_EXPORT_ALL': '1',
                'PATH_INFO': path, 'QUERY_STRING': query, 'REQUEST_METHOD': self.command,
                'CONTENT_TYPE': self.headers.get('Content-Type', ''), 'REMOTE_USER': 'tester',
                'REMOTE_ADDR': '127.0.0.1', 'GIT_CONFIG_NOSYSTEM': '1',
                'HOME': str(server.root),
            })
            if self.headers.get('Content-Encoding'):
                env['HTTP_CONTENT_ENCODING'] = self.headers['Content-Encoding']
            body = self._body() if self.command == 'POST' else b''
            env['CONTENT_LENGTH'] = str(len(body))
            out = subprocess.run(('git', 'http-backend'), input=body, env=env,
                                 capture_output=True).stdout
            head, _, rest = out.partition(b'\r\n\r\n')
            status, headers = 200, {}
            for line in head.decode('latin-1').split('\r\n'):
                name, _, value = line.partition(':')
                if name.lower() == 'status':
                    status = int(value.strip().split()[0])
                elif name:
                    headers[name] = value.strip()
            headers.pop('Content-Length', None)
            self._send(status, rest, headers)

    return Handler
