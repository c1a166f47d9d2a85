"""`pushguard ci` asks the forge as the pre-push hook does, when the job has a token: a job's clone
of a loopback forge, under GitHub Actions' and GitLab CI's variables."""
from __future__ import annotations

import json
import os
import sys

import pytest

from testing import ci, gitrepo
from testing.forge_server import ForgeServer, fixture
from testing.run import run_console

SECRET = 'ghs_CIFORGESECRET0123456789'  # pragma: allowlist secret
JOB_SECRET = 'glcbt-CIJOBSECRET0123456789'  # pragma: allowlist secret
P = '/projects/group%2Fsub%2Fr'


@pytest.fixture(autouse=True)
def no_ci(monkeypatch):
    ci.clean_env(monkeypatch)


def _served(tmp_path, forge: ForgeServer, policy: str = ''):
    """A developer's clone of the loopback forge with two commits pushed: (before, after)."""
    dev = gitrepo.init(tmp_path / 'dev')
    gitrepo.git('remote', 'add', 'origin', forge.url, cwd=dev)
    (dev / '.pushguard.toml').write_text(f'[remote]\ncache-ttl = 300\n{policy}')
    before = gitrepo.commit(dev, 'feat: start')
    after = gitrepo.commit(dev, 'chore(release): 1.2.0')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    return before, after


def _job(tmp_path, forge: ForgeServer, rev: str):
    path = gitrepo.init(tmp_path / 'job')
    gitrepo.git('remote', 'add', 'origin', forge.url, cwd=path)
    gitrepo.git('fetch', '-q', 'origin', 'main', cwd=path)
    gitrepo.git('checkout', '-q', '--detach', rev, cwd=path)
    return path


def _github_env(tmp_path, forge, before, after, **extra):
    event = tmp_path / 'event.json'
    event.write_text(json.dumps({'ref': 'refs/heads/main', 'before': before, 'after': after,
                                 'repository': {'default_branch': 'main'}}))
    return {'GITHUB_ACTIONS': 'true', 'CI': 'true', 'GITHUB_EVENT_NAME': 'push',
            'GITHUB_EVENT_PATH': str(event), 'GITHUB_SERVER_URL': forge.base,
            'GITHUB_REPOSITORY': 'o/r', 'GITHUB_API_URL': forge.api_url, **extra}


def _pr_only(forge):
    forge.reply('/repos/o/r', {'default_branch': 'main',
                               'permissions': {'admin': False, 'push': True}})
    forge.reply('/repos/o/r/rules/branches/main', [
        {'type': 'pull_request', 'ruleset_source_type': 'Repository', 'ruleset_source': 'o/r',
         'ruleset_id': 42, 'parameters': {}}])
    forge.reply('/repos/o/r/rulesets/42', {**fixture('github/ruleset.json'), 'id': 42,
                                           'name': 'protect main',
                                           'current_user_can_bypass': 'never'})


def test_github_actions_job_asks_the_forge_with_github_token(tmp_path):
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        _pr_only(forge)
        before, after = _served(tmp_path, forge)
        job = _job(tmp_path, forge, after)
        forge.requests.clear()
        trace = tmp_path / 'trace.log'
        env = {**_github_env(tmp_path, forge, before, after, GITHUB_TOKEN=SECRET),
               'GIT_TRACE': str(trace), 'NO_PROXY': '127.0.0.1'}
        result = run_console('ci', '--format', 'sarif', '--output', 'report.sarif', cwd=job,
                             env=env)
        assert result.code == 1, result.err
        assert '[protected-branch]' in result.out and 'ruleset "protect main" (id 42)' in \
            result.out
        sarif = json.loads((job / 'report.sarif').read_text())
        assert [r['ruleId'] for r in sarif['runs'][0]['results']] == ['protected-branch']
        sent = [h for p, h in forge.requests if p.startswith('/api/')]
        assert sent and all(h.get('Authorization') == f'Bearer {SECRET}' for h in sent)
        seen = [result.out, result.err, trace.read_text(errors='replace')]
        for folder, _, files in os.walk(job):
            seen += [open(os.path.join(folder, f), 'rb').read().decode('latin-1') for f in files]
        assert 'git' in seen[2] and not [text for text in seen if SECRET in text]
        assert not (job / '.git' / 'pushguard' / 'forge-cache').exists()  # no state kept


def test_github_actions_job_without_a_token_says_what_was_skipped(tmp_path):
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        _pr_only(forge)
        before, after = _served(tmp_path, forge)
        job = _job(tmp_path, forge, after)
        forge.requests.clear()
        result = run_console('ci', cwd=job, env=_github_env(tmp_path, forge, before, after))
        assert result.code == 0, result.err
        skipped = [line for line in result.out.splitlines() if 'forge checks skipped' in line]
        assert len(skipped) == 1 and 'no token in PUSHGUARD_TOKEN, GH_TOKEN, GITHUB_TOKEN' in \
            skipped[0]
        assert forge.api_requests() == []


def _gitlab_env(forge, before, after, **extra):
    return {'GITLAB_CI': 'true', 'CI': 'true', 'CI_COMMIT_SHA': after,
            'CI_COMMIT_BEFORE_SHA': before, 'CI_COMMIT_BRANCH': 'main',
            'CI_DEFAULT_BRANCH': 'main', 'CI_SERVER_URL': forge.base,
            'CI_PROJECT_PATH': 'group/sub/r', 'CI_API_V4_URL': forge.api_url, **extra}


def test_gitlab_ci_job_token_is_sent_as_job_token(tmp_path):
    with ForgeServer(tmp_path, 'group/sub/r', '/api/v4') as forge:
        forge.reply(f'{P}/repository/branches/main', {
            **fixture('gitlab/repository-branch.json'), 'name': 'main', 'protected': True,
            'can_push': False})
        forge.reply(f'{P}/protected_branches', {'message': '403 Forbidden'}, status=403)
        forge.reply(f'{P}/push_rule', {'message': '403 Forbidden'}, status=403)
        before, after = _served(tmp_path, forge)
        job = _job(tmp_path, forge, after)
        forge.requests.clear()
        trace = tmp_path / 'trace.log'
        env = {**_gitlab_env(forge, before, after, CI_JOB_TOKEN=JOB_SECRET),
               'GIT_TRACE': str(trace)}
        result = run_console('ci', cwd=job, env=env)
        assert result.code == 1, result.err
        assert '[protected-branch]' in result.out and 'CI job token never reads them' in \
            result.out
        sent = [{k.lower(): v for k, v in h.items()} for p, h in forge.requests
                if p.startswith('/api/')]
        assert sent and all(h.get('job-token') == JOB_SECRET for h in sent)
        seen = [result.out, result.err, trace.read_text(errors='replace')]
        for folder, _, files in os.walk(job):
            seen += [open(os.path.join(folder, f), 'rb').read().decode('latin-1') for f in files]
        assert not [text for text in seen if JOB_SECRET in text]


def test_the_job_token_is_in_no_process_arguments(tmp_path):
    """Every process `pushguard ci` starts is traced (argv included): none holds the token."""
    with ForgeServer(tmp_path, 'group/sub/r', '/api/v4') as forge:
        forge.reply(f'{P}/repository/branches/main', {
            **fixture('gitlab/repository-branch.json'), 'name': 'main', 'can_push': True})
        before, after = _served(tmp_path, forge)
        job = _job(tmp_path, forge, after)
        log = tmp_path / 'argv.log'
        probe = tmp_path / 'probe.py'
        probe.write_text(
            'import os, sys, subprocess, runpy\n'
            f'log = open({str(log)!r}, "a")\n'
            'real, spawn = subprocess.Popen.__init__, os.posix_spawnp\n'
            'def spy(self, args, *a, **k):\n'
            '    log.write(repr(args) + "\\n"); log.flush()\n'
            '    real(self, args, *a, **k)\n'
            'def spy_spawn(path, argv, *a, **k):\n'
            '    log.write(repr(argv) + "\\n"); log.flush()\n'
            '    return spawn(path, argv, *a, **k)\n'
            'subprocess.Popen.__init__ = spy\n'
            'os.posix_spawnp = spy_spawn\n'
            'sys.argv = ["pushguard", "ci"]\n'
            'runpy.run_module("pushguard", run_name="__main__")\n')
        import subprocess
        proc = subprocess.run(
            (sys.executable, str(probe)), cwd=job, capture_output=True,
            env={**os.environ, **_gitlab_env(forge, before, after, CI_JOB_TOKEN=JOB_SECRET)})
        assert proc.returncode == 0, proc.stderr
        started = log.read_text()
        assert "'git'" in started and JOB_SECRET not in started
        assert forge.api_requests()  # the forge was asked, with the token in a header only


def test_a_pull_request_from_a_fork_is_not_asked_about(tmp_path):
    """A fork's branch is not this repository's: the base's branch rules do not apply to it."""
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        _pr_only(forge)
        before, after = _served(tmp_path, forge)
        gitrepo.git('push', '-q', forge.url, f'{after}:refs/pull/1/head', cwd=tmp_path / 'dev')
        job = _job(tmp_path, forge, before)
        gitrepo.git('fetch', '-q', 'origin', 'refs/pull/1/head', cwd=job)
        event = tmp_path / 'pr.json'
        event.write_text(json.dumps({'number': 1, 'pull_request': {
            'base': {'sha': before, 'ref': 'main', 'repo': {'full_name': 'o/r'}},
            'head': {'sha': after, 'ref': 'main', 'repo': {'full_name': 'mallory/r'}}}}))
        env = {**_github_env(tmp_path, forge, before, after, GITHUB_TOKEN=SECRET),
               'GITHUB_EVENT_NAME': 'pull_request', 'GITHUB_EVENT_PATH': str(event)}
        forge.requests.clear()
        result = run_console('ci', cwd=job, env=env)
        assert result.code == 0, result.out + result.err
        assert 'forge checks skipped' in result.out and 'the fork mallory/r' in result.out
        assert forge.api_requests() == []


def test_a_gitlab_merge_request_from_a_fork_is_marked():
    from pushguard.ci import gitlab
    env = {'CI_COMMIT_SHA': 'a' * 40, 'CI_MERGE_REQUEST_IID': '4',
           'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME': 'patch-1',
           'CI_MERGE_REQUEST_DIFF_BASE_SHA': 'b' * 40, 'CI_PROJECT_PATH': 'group/r',
           'CI_MERGE_REQUEST_PROJECT_PATH': 'group/r'}
    assert gitlab.plan(env).fork is None
    assert gitlab.plan({**env, 'CI_MERGE_REQUEST_SOURCE_PROJECT_PATH': 'mallory/r'}).fork == \
        'mallory/r'
    assert gitlab.plan({**env, 'CI_MERGE_REQUEST_SOURCE_PROJECT_PATH': 'group/r'}).fork is None
