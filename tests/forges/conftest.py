from __future__ import annotations

import os
import subprocess
import sys

import pytest

from testing import gitrepo
from testing.forge_server import ForgeServer

_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


class Push:
    """A work repository whose `origin` is a loopback forge, with the pre-push hook installed."""

    def __init__(self, tmp_path, forge: ForgeServer, platform: str, extra: str = '') -> None:
        self.forge = forge
        self.work = gitrepo.init(tmp_path / 'work')
        gitrepo.git('remote', 'add', 'origin', forge.url, cwd=self.work)
        self.policy(f'cache-ttl = 0\n{extra}', platform)
        gitrepo.commit(self.work, 'feat: start')
        self.git('push', '-q', 'origin', 'main')
        hook = self.work / '.git' / 'hooks' / 'pre-push'
        hook.parent.mkdir(exist_ok=True)
        hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-push "$@"\n')
        hook.chmod(0o755)

    def policy(self, remote_keys: str, platform: str) -> None:
        self.platform = platform
        (self.work / '.pushguard.toml').write_text(
            f'[remote]\nplatform = "{platform}"\napi-url = "{self.forge.api_url}"\n{remote_keys}')

    def git(self, *args: str) -> str:
        return gitrepo.git(*args, cwd=self.work)

    def commit(self, message: str = 'feat: change', files: dict[str, str] | None = None) -> str:
        return gitrepo.commit(self.work, message, files)

    def push(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
        """`git push ARGS` through the hook: (exit code, everything git and the hook said)."""
        proc = subprocess.run(('git', 'push', *args), cwd=self.work, capture_output=True,
                              env={**os.environ, **(env or {})}, timeout=60)
        return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


@pytest.fixture(autouse=True)
def loopback_env(monkeypatch):
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy',
                 'ALL_PROXY'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('NO_PROXY', '127.0.0.1')
    monkeypatch.setenv('PYTHONPATH', os.pathsep.join((os.path.join(_ROOT, 'src'), _ROOT)))


@pytest.fixture
def github(tmp_path):
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        forge.reply('/repos/o/r', {'default_branch': 'main',
                                   'permissions': {'admin': False, 'push': True}})
        forge.reply('/repos/o/r/rulesets', [])
        yield Push(tmp_path, forge, 'github')


@pytest.fixture
def gitlab(tmp_path):
    with ForgeServer(tmp_path, 'group/sub/r', '/api/v4') as forge:
        yield Push(tmp_path, forge, 'gitlab')
