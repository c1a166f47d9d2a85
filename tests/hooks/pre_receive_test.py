"""The server hook through real `git push`es to a bare repository (file:// and local paths)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from testing import gitrepo
from testing.policies import JIRA
from testing.run import run_pushguard

SECRET = 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n'
ALLOWING = {
    'version': '1.5.0', 'plugins_used': [{'name': 'AWSKeyDetector'}], 'filters_used': [],
    'results': {'settings.ini': [{
        'type': 'AWS Access Key', 'filename': 'settings.ini', 'is_verified': False,
        'hashed_secret': hashlib.sha1(b'AKIAIOSFODNN7EXAMPLE').hexdigest(), 'line_number': 2,
    }]},
}


def serve(server: Path, *options: str) -> None:
    """`server`'s pre-receive hook runs this checkout's pushguard, as install --server would."""
    hook = server / 'hooks' / 'pre-receive'
    hook.parent.mkdir(exist_ok=True)
    extra = ' '.join(options)
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-receive {extra}\n')
    hook.chmod(0o755)


def push(repo: Path, *args: str) -> tuple[int, str]:
    proc = subprocess.run(('git', 'push', *args), cwd=repo, capture_output=True)
    return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


def refs(server: Path) -> dict[str, str]:
    out = gitrepo.git('for-each-ref', '--format=%(refname) %(objectname)', cwd=server)
    return dict(line.split(' ') for line in out.splitlines())


@pytest.fixture
def server(tmp_path):
    server = gitrepo.bare_remote(tmp_path)
    (tmp_path / 'policy.toml').write_text(JIRA)
    serve(server, '--config', str(tmp_path / 'policy.toml'))
    return server


@pytest.fixture
def work(tmp_path, server):
    repo = gitrepo.init(tmp_path / 'work')
    gitrepo.git('remote', 'add', 'origin', server.as_uri(), cwd=repo)
    return repo


def test_a_good_push_lands_and_a_bad_one_is_rejected_per_ref(work, server):
    gitrepo.commit(work, 'PROJ-1 first')
    assert push(work, 'origin', 'main')[0] == 0
    gitrepo.commit(work, 'no key on main')
    gitrepo.git('checkout', '-q', '-b', 'feat', cwd=work)
    gitrepo.commit(work, 'no key on feat')
    before = refs(server)
    code, said = push(work, 'origin', 'main', 'feat')
    assert code != 0
    assert 'remote: error [jira-ticket]' in said
    assert 'in refs/heads/main: blocked' in said and 'in refs/heads/feat: blocked' in said
    assert said.count('remote: error') == 2  # one block per ref, each commit once
    assert '(pre-receive hook declined)' in said
    assert refs(server) == before


def test_the_first_commit_of_a_repository_is_checked(work, server):
    gitrepo.commit(work, 'no key at all')
    code, said = push(work, 'origin', 'main')
    assert code != 0 and '[jira-ticket]' in said
    assert refs(server) == {}


def test_objects_in_quarantine_are_read(work, server):
    """A secret in a blob that exists only in the push's quarantine is found."""
    (Path(str(server)).parent / 'policy.toml').write_text('')
    gitrepo.commit(work, 'PROJ-1 config', {'settings.ini': '[aws]\n' + SECRET})
    code, said = push(work, 'origin', 'main')
    assert code != 0, said
    assert '[secrets]' in said and 'settings.ini:2' in said
    assert 'AKIAIOSFODNN7EXAMPLE' not in said


def test_a_forced_push_checks_only_what_it_brings(work, server):
    gitrepo.commit(work, 'PROJ-1 first')
    gitrepo.commit(work, 'PROJ-2 second')
    assert push(work, 'origin', 'main')[0] == 0
    gitrepo.git('reset', '-q', '--hard', 'HEAD~1', cwd=work)
    gitrepo.commit(work, 'PROJ-3 rewritten')
    assert push(work, '--force', 'origin', 'main')[0] == 0
    gitrepo.commit(work, 'bad rewrite', None, '--amend')
    code, said = push(work, '--force', 'origin', 'main')
    assert code != 0 and said.count('remote: error [jira-ticket]') == 1


def test_deleting_and_tagging_need_no_commits(work, server):
    gitrepo.commit(work, 'PROJ-1 first')
    gitrepo.git('branch', 'old', cwd=work)
    assert push(work, 'origin', 'main', 'old')[0] == 0
    gitrepo.git('tag', '-a', '-m', 'release', 'v1', cwd=work)
    assert push(work, 'origin', 'v1', ':old')[0] == 0
    assert set(refs(server)) == {'refs/heads/main', 'refs/tags/v1'}


def test_without_config_the_policy_comes_from_head_not_from_the_push(work, tmp_path):
    server = gitrepo.bare_remote(tmp_path, 'headpolicy.git')
    serve(server)
    gitrepo.git('remote', 'add', 'head', str(server), cwd=work)
    gitrepo.commit(work, 'PROJ-1 policy', {'.pushguard.toml': JIRA})
    assert push(work, 'head', 'main')[0] == 0
    # the push turns the Jira check off in its own policy: the server still applies HEAD's
    gitrepo.commit(work, 'switch it off', {'.pushguard.toml': ''})
    code, said = push(work, 'head', 'main')
    assert code != 0 and '[jira-ticket]' in said


def test_the_baseline_comes_from_head_not_from_the_push(work, server, tmp_path):
    (tmp_path / 'policy.toml').write_text('')
    gitrepo.commit(work, 'PROJ-1 start', {'README': 'hi\n'})
    assert push(work, 'origin', 'main')[0] == 0
    gitrepo.commit(work, 'PROJ-2 secret and its own allowance', {
        'settings.ini': '[aws]\n' + SECRET, '.secrets.baseline': json.dumps(ALLOWING)})
    # the work tree's baseline allows it, so the pusher's own check passes ...
    assert run_pushguard('check', 'HEAD~1..HEAD', cwd=work).code == 0
    # ... but the server reads the baseline it already has, which does not
    code, said = push(work, 'origin', 'main')
    assert code != 0 and '[secrets]' in said


def test_forge_checks_are_off_on_the_server(work, server):
    gitrepo.commit(work, 'PROJ-1 first')
    code, said = push(work, 'origin', 'main')
    assert code == 0, said
    assert '[remote]' not in said and 'protected-branch' not in said


@pytest.mark.parametrize('line', [
    'abc def refs/heads/main', f'{"0" * 40} {"1" * 64} refs/heads/main', f'{"0" * 40} {"1" * 40}',
])
def test_a_malformed_line_is_a_one_line_error(server, line, monkeypatch):
    monkeypatch.chdir(server)
    result = run_pushguard('hook', 'pre-receive', stdin=line + '\n')
    assert result.code == 2
    assert result.err.startswith('pushguard: error: pre-receive: malformed line')
    assert result.err.count('\n') == 1


def test_the_baseline_already_on_the_server_is_honoured(work, server, tmp_path):
    (tmp_path / 'policy.toml').write_text('')
    gitrepo.commit(work, 'PROJ-1 audited', {'.secrets.baseline': json.dumps(ALLOWING)})
    hook = server / 'hooks' / 'pre-receive'
    hook.rename(hook.with_suffix('.off'))  # the server's admin seeds it: the baseline is there
    assert push(work, 'origin', 'main')[0] == 0
    hook.with_suffix('.off').rename(hook)
    gitrepo.commit(work, 'PROJ-2 the audited value', {'settings.ini': '[aws]\n' + SECRET})
    code, said = push(work, 'origin', 'main')
    assert code == 0, said


def test_a_broken_policy_on_head_can_be_repaired_by_a_push(work, tmp_path):
    server = gitrepo.bare_remote(tmp_path, 'broken.git')
    serve(server)
    gitrepo.git('remote', 'add', 'broken', str(server), cwd=work)
    gitrepo.commit(work, 'PROJ-1 typo', {'.pushguard.toml': '[commit.jira]\nproject = 1\n'})
    code, said = push(work, 'broken', 'main')  # no policy on the server yet: the default
    assert code == 0, said
    gitrepo.commit(work, 'PROJ-2 repaired', {'.pushguard.toml': JIRA})
    code, said = push(work, 'broken', 'main')
    assert code == 0, said
    assert 'the trusted policy does not load, so the embedded default applies' in said
    assert ':.pushguard.toml' in said and 'project' in said
    gitrepo.commit(work, 'now judged by the repaired policy')
    code, said = push(work, 'broken', 'main')
    assert code != 0 and '[jira-ticket]' in said


def test_a_policy_planted_in_the_cache_is_not_trusted(work, tmp_path, monkeypatch):
    monkeypatch.setenv('PUSHGUARD_HOME', str(tmp_path / 'cache'))
    server = gitrepo.bare_remote(tmp_path, 'planted.git')
    serve(server)
    gitrepo.git('remote', 'add', 'planted', str(server), cwd=work)
    gitrepo.commit(work, 'PROJ-1 policy', {'.pushguard.toml': JIRA})
    assert push(work, 'planted', 'main')[0] == 0
    gitrepo.commit(work, 'PROJ-2 judged by the policy on HEAD, kept in the cache')
    assert push(work, 'planted', 'main')[0] == 0
    kept = list((tmp_path / 'cache' / 'trusted').glob('*/.pushguard.toml'))
    assert kept
    for planted in kept:
        planted.write_text('')  # someone switches the Jira check off in the cache
    gitrepo.commit(work, 'no key')
    code, said = push(work, 'planted', 'main')
    assert code != 0 and '[jira-ticket]' in said
