"""Each CI example in config-examples/ runs its own pushguard command, read from the file,
under that CI's variables in a real job clone, and writes the report it promises."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from pushguard import config
from testing import ci, gitrepo
from testing.policies import JIRA
from testing.run import run_pushguard

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / 'config-examples'
ZERO = '0' * 40


@pytest.fixture(autouse=True)
def no_ci(monkeypatch):
    ci.clean_env(monkeypatch)


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    """`pushguard` on PATH: this checkout's, as `pip install "$PUSHGUARD"` would have put it."""
    folder = tmp_path / 'bin'
    folder.mkdir()
    script = folder / 'pushguard'
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv('PATH', f'{folder}{os.pathsep}{os.environ["PATH"]}')
    return folder


@pytest.fixture
def pushed(tmp_path):
    """A served repository whose main got a push of a good and a bad commit: (server, before,
    the bad commit)."""
    server, dev = ci.served(tmp_path, JIRA)
    before = gitrepo.head(dev)
    gitrepo.commit(dev, 'PROJ-2 fine')
    bad = gitrepo.commit(dev, 'no key')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    return server, before, bad


def _sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(('sh', '-c', command), cwd=cwd, capture_output=True, text=True)


def _pushguard_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if re.match(r'\s*pushguard ci\b', line)]


def test_github_actions_example(pushed, tmp_path, monkeypatch, bin_dir):
    workflow = yaml.safe_load((EXAMPLES / 'github-actions.yml').read_text())
    steps = workflow['jobs']['pushguard']['steps']
    assert steps[0]['with']['fetch-depth'] == 0
    [command] = _pushguard_lines([step.get('run', '') for step in steps])
    upload = next(step for step in steps if 'upload-sarif' in step.get('uses', ''))
    server, before, bad = pushed
    summary = ci.github(monkeypatch, tmp_path, 'push', {
        'ref': 'refs/heads/main', 'before': before, 'after': bad,
        'repository': {'default_branch': 'main'}})
    job = ci.job_clone(server, tmp_path / 'job', bad, depth=None)
    proc = _sh(command, job)
    assert proc.returncode == 1, proc.stderr
    assert '::error title=pushguard jira-ticket::' in proc.stdout
    sarif = json.loads((job / upload['with']['sarif_file']).read_text())
    assert sarif['version'] == '2.1.0'
    assert [r['ruleId'] for r in sarif['runs'][0]['results']] == ['jira-ticket']
    assert summary.read_text().startswith('### pushguard: blocked')


def test_github_actions_preflight_job(pushed, tmp_path, bin_dir):
    workflow = yaml.safe_load((EXAMPLES / 'github-actions.yml').read_text())
    steps = workflow['jobs']['release-preflight']['steps']
    runs = [step['run'] for step in steps if 'run' in step]
    commands = [line for line in runs if 'pushguard install' in line or 'push --dry-run' in line]
    server = pushed[0]
    job = tmp_path / 'release'
    gitrepo.git('clone', '-q', server.as_uri(), str(job))
    gitrepo.commit(job, 'no key in the release commit')
    for command in commands:
        proc = _sh(command, job)
    assert proc.returncode != 0 and '[jira-ticket]' in proc.stdout + proc.stderr
    assert gitrepo.git('ls-remote', '--tags', str(server)) == ''  # nothing was sent


def test_github_actions_preflight_asks_the_forge_before_the_deploy(tmp_path, bin_dir,
                                                                  monkeypatch):
    """The `pushguard remote main` step, with the job's GITHUB_TOKEN, against a loopback forge
    whose main takes changes only through a pull request: the job stops there, with the way
    through, and the token is not printed."""
    from testing.forge_server import ForgeServer, fixture
    workflow = yaml.safe_load((EXAMPLES / 'github-actions.yml').read_text())
    job_spec = workflow['jobs']['release-preflight']
    assert 'GITHUB_TOKEN' in job_spec['env']
    [command] = [s['run'] for s in job_spec['steps'] if 'pushguard remote' in s.get('run', '')]
    runs = [s['run'] for s in job_spec['steps'] if 'run' in s]
    assert runs.index(command) < runs.index(next(r for r in runs if 'push --dry-run' in r))
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'):
        monkeypatch.delenv(name, raising=False)
    secret = 'ghs_PREFLIGHTSECRET0123'  # pragma: allowlist secret
    with ForgeServer(tmp_path, 'o/r', '/api/v3') as forge:
        forge.reply('/repos/o/r', {'default_branch': 'main', 'permissions': {'push': True}})
        forge.reply('/repos/o/r/rules/branches/main', [
            {'type': 'pull_request', 'ruleset_source_type': 'Repository',
             'ruleset_source': 'o/r', 'ruleset_id': 7, 'parameters': {}}])
        forge.reply('/repos/o/r/rulesets/7', {**fixture('github/ruleset.json'), 'id': 7,
                                              'name': 'release gate',
                                              'current_user_can_bypass': 'never'})
        dev = gitrepo.init(tmp_path / 'dev')
        gitrepo.commit(dev, 'PROJ-1 start')
        gitrepo.git('push', '-q', forge.url, 'main', cwd=dev)
        job = tmp_path / 'release'
        gitrepo.git('clone', '-q', forge.url, str(job))
        ci.variables(monkeypatch, {'GITHUB_ACTIONS': 'true', 'GITHUB_API_URL': forge.api_url,
                                   'GITHUB_TOKEN': secret, 'NO_PROXY': '127.0.0.1'})
        proc = _sh(command, job)
        assert proc.returncode == 1, proc.stderr
        assert 'push: no' in proc.stdout and 'ruleset "release gate"' in proc.stdout
        assert 'way through: git push origin HEAD:refs/heads/main-change' in proc.stdout
        assert secret not in proc.stdout + proc.stderr
        assert any(h.get('Authorization') == f'Bearer {secret}' for _, h in forge.requests)


def test_gitlab_ci_example_on_a_merge_request(pushed, tmp_path, monkeypatch, bin_dir):
    pipeline = yaml.safe_load((EXAMPLES / 'gitlab-ci.yml').read_text())
    job_spec = pipeline['pushguard']
    assert job_spec['variables']['GIT_DEPTH'] == 0
    [command] = _pushguard_lines(job_spec['script'])
    server, before, bad = pushed
    ci.variables(monkeypatch, {
        'GITLAB_CI': 'true', 'CI_PIPELINE_SOURCE': 'merge_request_event', 'CI_COMMIT_SHA': bad,
        'CI_MERGE_REQUEST_IID': '12', 'CI_MERGE_REQUEST_DIFF_BASE_SHA': before,
        'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME': 'feat', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME':
        'main', 'CI_DEFAULT_BRANCH': 'main'})
    job = ci.job_clone(server, tmp_path / 'job', bad, depth=None)
    proc = _sh(command, job)
    assert proc.returncode == 1, proc.stderr
    reports = job_spec['artifacts']['reports']
    quality = json.loads((job / reports['codequality']).read_text())
    assert [issue['check_name'] for issue in quality] == ['jira-ticket']
    assert {'description', 'fingerprint', 'severity', 'location'} <= set(quality[0])
    suite = ElementTree.parse(job / reports['junit']).getroot()
    assert suite.get('failures') == '1'


def test_bitbucket_pipelines_example_on_a_branch(pushed, tmp_path, monkeypatch, bin_dir):
    pipeline = yaml.safe_load((EXAMPLES / 'bitbucket-pipelines.yml').read_text())
    assert pipeline['clone']['depth'] == 'full'
    step = pipeline['definitions']['steps'][0]['step']
    [command] = _pushguard_lines(step['script'])
    server, before, bad = pushed
    ci.variables(monkeypatch, {'BITBUCKET_BUILD_NUMBER': '4', 'BITBUCKET_COMMIT': bad,
                               'BITBUCKET_BRANCH': 'main'})
    job = ci.job_clone(server, tmp_path / 'job', bad, depth=50)
    (job / 'test-results').mkdir()
    proc = _sh(command, job)
    # main is the only branch: every commit of it is checked, the first one's too
    assert proc.returncode == 1, proc.stderr
    suite = ElementTree.parse(job / 'test-results' / 'pushguard.xml').getroot()
    assert suite.get('failures') == '1'


def test_pre_commit_example_uses_the_four_hook_ids():
    example = yaml.safe_load((EXAMPLES / 'pre-commit-config.yaml').read_text())
    ids = [hook['id'] for hook in example['repos'][0]['hooks']]
    manifest = yaml.safe_load((ROOT / '.pre-commit-hooks.yaml').read_text())
    assert sorted(ids) == sorted(hook['id'] for hook in manifest)


@pytest.mark.parametrize(('script', 'layout', 'hook'), [
    ('plain-git.sh', (), 'hooks/pre-receive'),
    ('gitea.sh', ('hooks/pre-receive.d',), 'hooks/pre-receive.d/pushguard'),
    ('gitlab.sh', ('custom_hooks/pre-receive.d',), 'custom_hooks/pre-receive.d/pushguard'),
])
def test_server_set_ups(tmp_path, script, layout, hook):
    lines = (EXAMPLES / 'server' / script).read_text().splitlines()
    [install] = [line for line in lines if line.startswith('pushguard install --server')]
    policy = tmp_path / 'policy.toml'
    policy.write_text(JIRA)
    server = gitrepo.bare_remote(tmp_path)
    for folder in layout:
        (server / folder).mkdir(parents=True)
    argv = install.split()[1:]
    argv[argv.index('--config') + 1] = str(policy)
    result = run_pushguard(*argv, cwd=server)
    assert result.code == 0, result.err
    assert os.access(server / hook, os.X_OK)


def test_the_server_policy_example_is_valid():
    cfg = config.load(str(EXAMPLES / 'server' / 'policy.toml'))
    assert cfg.conventional is not None and cfg.branch_pattern
