"""One small stdlib JSON client for every forge: one deadline per push, requests in parallel.

Every request of a push shares one deadline (`remote.timeout` for all of them together). Proxies
and CAs are urllib's and ssl's defaults (HTTPS_PROXY, NO_PROXY, SSL_CERT_FILE, the system store),
plus REQUESTS_CA_BUNDLE as pip honours it. The token travels only in a header; redirects are not
followed (urllib would carry the header to the new host); every failure becomes an `Answer` whose
`why` never holds the token.
"""
from __future__ import annotations

import json
import os
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

from pushguard._typing import NamedTuple

USER_AGENT = 'pushguard'
_MAX_BYTES = 8 * 1024 * 1024


class Answer(NamedTuple):
    """One response: `ok` with its JSON `data`, or `why` it could not be had."""

    status: int  # the HTTP status; 0 when no response came
    data: object = None
    why: str = ''  # '' when ok
    transient: bool = False  # a timeout, 5xx, 429, network or JSON failure: not cached
    scopes: str | None = None  # GitHub's X-OAuth-Scopes header (classic tokens), when sent

    @property
    def ok(self) -> bool:
        return not self.why


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # the 3xx surfaces as an HTTPError


class Client:
    """GET JSON from one API base with one credential header, within one deadline."""

    def __init__(self, api: str, header: tuple[str, str] | None, timeout: float,
                 extra_headers: Sequence[tuple[str, str]] = (),
                 configured: float | None = None) -> None:
        self.api = api.rstrip('/')
        self._header = header
        self.scheme, self.user = _scheme_and_user(header)  # ('Basic', 'ada'), ('Bearer', '')
        self._extra = tuple(extra_headers)
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        # what a late answer is said to have missed: remote.timeout as the user set it, of
        # which `timeout` is what is left once the credential was found
        self._late = Answer(0, why='no answer within remote.timeout '
                                   f'({configured if configured is not None else timeout:g} s)',
                            transient=True)
        self.requests = 0  # how many went out: tests and the cache read it
        self.had_transient = False  # a failure worth asking again: nothing is cached
        self._opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(
            context=_ssl_context()))

    def get_many(self, paths: Sequence[str]) -> dict[str, Answer]:
        """Each path's Answer; all of them in parallel, none past the deadline."""
        answers: queue.Queue[tuple[str, Answer]] = queue.Queue()
        unique = list(dict.fromkeys(paths))
        for path in unique:
            threading.Thread(target=lambda p=path: answers.put((p, self.get(p))),
                             daemon=True).start()
        got: dict[str, Answer] = {}
        while len(got) < len(unique):
            left = self.deadline - time.monotonic()
            try:
                path, answer = answers.get(timeout=max(left, 0.001))
            except queue.Empty:
                break
            got[path] = answer
        result = {path: got.get(path, self._late) for path in unique}
        self.had_transient = self.had_transient or any(a.transient for a in result.values())
        return result

    def get(self, path: str) -> Answer:
        """GET one path (relative to the API base), honouring one Retry-After within the bound."""
        answer, retry = self._get_once(path)
        if retry is not None and time.monotonic() + retry < self.deadline:
            time.sleep(retry)
            answer, _ = self._get_once(path)
        return answer

    def _get_once(self, path: str) -> tuple[Answer, float | None]:
        left = self.deadline - time.monotonic()
        if left <= 0:
            return self._late, None
        request = urllib.request.Request(f'{self.api}{path}', headers=self._headers())
        self.requests += 1
        try:
            with self._opener.open(request, timeout=left) as response:
                body = response.read(_MAX_BYTES)
                kind = response.headers.get('Content-Type', '')
                scopes = response.headers.get('X-OAuth-Scopes')
        except urllib.error.HTTPError as e:
            return _http_failure(e), _retry_after(e)
        except (urllib.error.URLError, OSError, ValueError) as e:
            return Answer(0, why=self.redact(_network_reason(e)), transient=True), None
        return _json_answer(body, kind)._replace(scopes=scopes), None

    def _headers(self) -> dict[str, str]:
        headers = {'User-Agent': USER_AGENT, 'Accept': 'application/json', **dict(self._extra)}
        if self._header is not None:
            headers[self._header[0]] = self._header[1]
        return headers

    def redact(self, text: str) -> str:
        if self._header is not None:
            secret = self._header[1].split(' ')[-1]
            if secret:
                text = text.replace(secret, '***')
        return text


def _scheme_and_user(header: tuple[str, str] | None) -> tuple[str, str]:
    """What a credential header says about its kind and owner, never its secret: the
    Authorization scheme ('Basic', 'Bearer', 'token') and a Basic credential's user; the header's
    name for the others ('PRIVATE-TOKEN', 'JOB-TOKEN'); ('', '') when anonymous."""
    if header is None:
        return '', ''
    if header[0] != 'Authorization':
        return header[0], ''
    scheme, _, value = header[1].partition(' ')
    if scheme != 'Basic':
        return scheme, ''
    import base64
    try:
        return scheme, base64.b64decode(value, validate=True).decode('utf-8').partition(':')[0]
    except ValueError:
        return scheme, ''


def _ssl_context():  # type: ignore[no-untyped-def]
    import ssl
    bundle = os.environ.get('REQUESTS_CA_BUNDLE')
    if bundle and os.path.exists(bundle) and not os.environ.get('SSL_CERT_FILE'):
        return ssl.create_default_context(cafile=bundle)
    return ssl.create_default_context()


def _json_answer(body: bytes, kind: str) -> Answer:
    if 'html' in kind.lower():
        return Answer(200, why='the server answered with a web page, not JSON (a login page?)',
                      transient=True)
    try:
        return Answer(200, json.loads(body.decode('utf-8')))
    except (ValueError, UnicodeDecodeError):
        return Answer(200, why='the server answered with malformed JSON', transient=True)


_STATUS_WHY = {
    401: 'the token was refused (401: missing, expired or revoked)',
    403: 'the token may not read this (403: missing scope or role)',
    404: 'not found, or not visible to this token (404)',
    429: 'rate limited (429)',
}


def _http_failure(e: urllib.error.HTTPError) -> Answer:
    code = e.code
    try:
        body = e.read(_MAX_BYTES)
    except OSError:
        body = b''
    data = None
    try:
        data = json.loads(body.decode('utf-8')) if body else None
    except (ValueError, UnicodeDecodeError):
        pass
    if 300 <= code < 400:
        return Answer(code, why=f'redirected ({code}), probably to a login page', transient=True)
    why = _STATUS_WHY.get(code) or (f'server error ({code})' if code >= 500 else f'HTTP {code}')
    return Answer(code, data, why=why, transient=code >= 500 or code == 429)


def _retry_after(e: urllib.error.HTTPError) -> float | None:
    if e.code not in (429, 503):
        return None
    value = e.headers.get('Retry-After', '') if e.headers else ''
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


def _network_reason(e: BaseException) -> str:
    reason = getattr(e, 'reason', e)
    text = str(reason) or type(reason).__name__
    if 'timed out' in text.lower() or isinstance(reason, TimeoutError):
        return 'the forge did not answer in time (remote.timeout)'
    if 'CERTIFICATE' in text.upper() or 'SSL' in text.upper():
        return f'TLS failed: {text} (set SSL_CERT_FILE for a private CA)'
    if isinstance(reason, ConnectionRefusedError) or 'refused' in text.lower():
        return 'connection refused'
    return f'network error: {text}'
