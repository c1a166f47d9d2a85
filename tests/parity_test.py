"""One corpus of pushes through the four places that judge a push: the pre-push hook,
`pushguard check`, `pushguard ci` and the server's pre-receive hook. For the same commits and
the same policy they agree finding by finding, compared as (check, ref, commit, path, line)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from testing import ci, gitrepo
from testing.run import run_pushguard

POLICY = '''
[commit]
forbidden-pattern = 'WIP'
[commit.jira]
projects = ["PROJ"]
[commit.conventional]
[branch]
pattern = '^feat/PROJ-[0-9]+$'
[files]
max-size = "1KB"
forbidden = ["*.pem"]
[author]
email = '@example\\.com$'
'''
KEY = 'AKIAIOSFODNN7EXAMPLE'  # pragma: allowlist secret
ZERO = '0' * 40


def _key(finding):
    return (finding['check'], finding['ref'], finding['commit'], finding['path'],
            finding['line'])


class Places:
    """The four places, each judging the same push of `tip` to `ref` (old tip `old`)."""

    def __init__(self, tmp: Path, monkeypatch):
        self.tmp, self.monkeypatch = tmp, monkeypatch
        self.server = gitrepo.bare_remote(tmp, 'server.git')
        self.mirror = gitrepo.bare_remote(tmp, 'mirror.git')  # what CI clones: every push lands
        gitrepo.git('config', 'uploadpack.allowAnySHA1InWant', 'true', cwd=self.mirror)
        self.verdicts = tmp / 'pre-receive.json'
        hook = self.server / 'hooks' / 'pre-receive'
        hook.parent.mkdir(exist_ok=True)
        hook.write_text(f'#!/bin/sh\n"{sys.executable}" -m pushguard hook pre-receive '
                        f'--format json 2>"{self.verdicts}"\n')
        hook.chmod(0o755)
        self.dev = gitrepo.with_origin(tmp / 'dev', self.server, POLICY,
                                       'feat: PROJ-1 add the policy')
        gitrepo.git('remote', 'add', 'mirror', str(self.mirror), cwd=self.dev)
        self._land('main', 'main', 'origin', 'mirror')

    def _land(self, src, ref, *remotes):
        for remote in remotes:
            gitrepo.git('push', '-q', '--no-verify', '--force', remote, f'{src}:{ref}',
                        cwd=self.dev)

    def judge(self, ref: str, tip: str, old: str | None) -> dict[str, set[tuple[object, ...]]]:
        found = {'pre-push': self._pre_push(ref, tip, old), 'check': self._check(ref, tip, old),
                 'pre-receive': self._pre_receive(ref, tip, old)}
        self._land(tip, ref, 'mirror')  # whatever the verdict, for CI to clone
        found['ci'] = self._ci(ref, tip, old)
        gitrepo.git('fetch', '-q', 'origin', cwd=self.dev)
        return found

    def _pre_push(self, ref, tip, old):
        line = f'{ref} {tip} {ref} {old or ZERO}\n'
        result = run_pushguard('hook', 'pre-push', 'origin', str(self.server), '--format',
                               'json', stdin=line, cwd=self.dev)
        return {_key(f) for f in json.loads(result.out)['findings']}

    def _check(self, ref, tip, old):
        base = old or 'origin/main'
        result = run_pushguard('check', f'{base}..{tip}', '--branch', ref, '--format', 'json',
                               cwd=self.dev)
        return {_key(f) for f in json.loads(result.out)['findings']}

    def _pre_receive(self, ref, tip, old):
        self.verdicts.write_text('')
        subprocess.run(('git', 'push', '--no-verify', '--force', 'origin', f'{tip}:{ref}'),
                       cwd=self.dev, capture_output=True)
        return {_key(f) for f in json.loads(self.verdicts.read_text())['findings']}

    def _ci(self, ref, tip, old):
        ci.clean_env(self.monkeypatch)
        ci.github(self.monkeypatch, self.tmp, 'push', {
            'ref': ref, 'before': old or ZERO, 'after': tip,
            'repository': {'default_branch': 'main'}})
        job = ci.job_clone(self.mirror, self.tmp / f'job-{tip[:8]}', tip, depth=1)
        gitrepo.git('remote', 'set-url', 'origin', self.mirror.as_uri(), cwd=job)
        result = run_pushguard('ci', '--format', 'json', cwd=job)
        assert result.code in (0, 1), result.err
        return {_key(f) for f in json.loads(result.out)['findings']}


@pytest.fixture
def places(tmp_path, monkeypatch):
    return Places(tmp_path, monkeypatch)


def _branch(places, name, commits):
    gitrepo.git('checkout', '-q', '-B', name, 'origin/main', cwd=places.dev)
    for message, files, *extra in commits:
        gitrepo.commit(places.dev, message, files, *extra)
    return gitrepo.head(places.dev)


CORPUS = {
    'messages': [('no key here', None), ('feat: PROJ-2 WIP half done', None),
                 ('PROJ-3 not conventional', None)],
    'content': [('feat: PROJ-4 add files', {
        'big.bin': b'x' * 4096, 'certs/server.pem': 'not really\n',
        'settings.ini': f'[aws]\naws_access_key_id = {KEY}\n'})],
    'fixups': [('feat: PROJ-5 start', {'docs/a.md': 'hello\n'}),
               ('fixup! feat: PROJ-5 start', {'docs/a.md': 'hello again\n'}),
               ('and no key', None)],
}


@pytest.mark.parametrize('name', sorted(CORPUS))
def test_every_place_agrees_on_a_new_branch(places, name):
    tip = _branch(places, f'feat/PROJ-{len(name)}', CORPUS[name])
    found = places.judge(f'refs/heads/feat/PROJ-{len(name)}', tip, None)
    assert found['pre-push'], 'the corpus push should have findings'
    if name == 'content':
        assert {'file-size', 'forbidden-path', 'secrets'} <= {key[0] for key in found['ci']}
    assert found['check'] == found['pre-push']
    assert found['ci'] == found['pre-push']
    assert found['pre-receive'] == found['pre-push']


def test_every_place_agrees_on_a_badly_named_branch_and_an_author(places, monkeypatch):
    monkeypatch.setenv('GIT_AUTHOR_EMAIL', 'ada@elsewhere.org')
    tip = _branch(places, 'wip-branch', [('feat: PROJ-6 fine message', None)])
    found = places.judge('refs/heads/wip-branch', tip, None)
    checks = {key[0] for key in found['pre-push']}
    assert checks == {'branch-name', 'author-email'}
    assert found['check'] == found['ci'] == found['pre-receive'] == found['pre-push']


def test_every_place_agrees_on_a_forced_push(places):
    good = _branch(places, 'feat/PROJ-7', [('feat: PROJ-7 first try', None)])
    places.judge('refs/heads/feat/PROJ-7', good, None)
    gitrepo.git('reset', '-q', '--hard', 'origin/main', cwd=places.dev)
    forced = gitrepo.commit(places.dev, 'second try, no key')
    found = places.judge('refs/heads/feat/PROJ-7', forced, good)
    assert {key[2] for key in found['pre-push']} == {forced}
    assert found['check'] == found['ci'] == found['pre-receive'] == found['pre-push']


def _baseline(tmp: Path) -> str:
    """A detect-secrets baseline that lists one audited secret, by its hash."""
    folder = tmp / 'audit'
    folder.mkdir()
    (folder / 'settings.ini').write_text(f'[aws]\naws_access_key_id = {KEY}\n')
    scan = subprocess.run((sys.executable, '-m', 'detect_secrets', 'scan', 'settings.ini'),
                          cwd=folder, capture_output=True, text=True, check=True)
    assert '"hashed_secret"' in scan.stdout
    return scan.stdout


def test_a_first_baseline_is_not_scanned_as_content(places):
    """The server and the CI base have no baseline yet: the pushed one is still no content."""
    tip = _branch(places, 'feat/PROJ-8', [
        ('feat: PROJ-8 add the secrets baseline', {'.secrets.baseline': _baseline(places.tmp)})])
    found = places.judge('refs/heads/feat/PROJ-8', tip, None)
    assert not {key for keys in found.values() for key in keys if key[0] == 'secrets'}
    assert found['check'] == found['ci'] == found['pre-receive'] == found['pre-push']
