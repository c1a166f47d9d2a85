from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from pushguard import checks
from pushguard.commands.check import DETACHED_NOTE, UNBORN_NOTE
from testing import gitrepo
from testing.policies import BRANCH, EVERY_CHECK, JIRA
from testing.run import run_pushguard


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A repo whose main is pushed to `origin`, on a branch `feat` tracking origin/main."""
    repo = gitrepo.pushed_work(tmp_path, JIRA, 'no key, already pushed')
    gitrepo.git('switch', '-q', '-c', 'feat', '--track', 'origin/main', cwd=repo)
    monkeypatch.chdir(repo)
    return repo


def findings(*argv):
    result = run_pushguard('check', '--only', 'jira-ticket', '--format', 'json', *argv)
    assert result.code in (0, 1), result
    return result.code, json.loads(result.out)


def blamed(report):
    return [(f['ref'], f['commit']) for f in report['findings']]


def test_default_range_is_what_upstream_lacks(work):
    mine = gitrepo.commit(work, 'no key, mine')
    code, report = findings()
    assert (code, blamed(report)) == (1, [('refs/heads/feat', mine)])
    result = run_pushguard('check', '--only', 'jira-ticket')
    assert '1 commit on feat' in result.out


def test_nothing_unpushed_passes(work):
    assert run_pushguard('check', '--only', 'jira-ticket') == (0, '', '')


def test_no_upstream_says_to_pass_a_range(work):
    gitrepo.git('branch', '-q', '--unset-upstream')
    result = run_pushguard('check')
    assert result.code == 2
    assert "'feat' has no upstream" in result.err
    assert 'pushguard check origin/main..HEAD' in result.err
    assert 'pushguard check HEAD' in result.err


def test_single_revision_means_all_its_history(work):
    first = gitrepo.head(work)
    second = gitrepo.commit(work, 'no key either')
    code, report = findings('HEAD')
    assert [c for _, c in blamed(report)] == [first, second]


def test_explicit_range_and_branch(work):
    mine = gitrepo.commit(work, 'no key')
    code, report = findings('origin/main..HEAD', '--branch', 'feat/PROJ-7')
    assert blamed(report) == [('refs/heads/feat/PROJ-7', mine)]


@pytest.mark.parametrize('revision', [
    pytest.param('nope', id='unknown'),
    pytest.param('nope..HEAD', id='unknown-bottom'),
    pytest.param('HEAD..n\u00f6pe', id='unknown-tip-non-ascii'),
])
def test_bad_revision_is_a_usage_error_naming_it(work, revision):
    result = run_pushguard('check', revision)
    assert result.code == 2
    assert result.out == ''
    assert revision in result.err
    assert result.err.count('\n') == 1


def test_option_like_revision_is_refused(work):
    result = run_pushguard('check', '--', '--all')
    assert result.code == 2
    assert "'--all' is not a revision" in result.err


def test_detached_head_skips_branch_checks_with_a_note(work):
    mine = gitrepo.commit(work, 'no key')
    gitrepo.git('checkout', '-q', '--detach')
    assert run_pushguard('check').code == 2  # a detached HEAD has no upstream either
    code, report = findings('origin/main..HEAD')
    assert blamed(report) == [(None, mine)]
    assert report['notes'] == [DETACHED_NOTE]


def test_unborn_head_has_nothing_to_check(repo):
    result = run_pushguard('check')
    assert result.code == 0
    assert UNBORN_NOTE in result.out
    bad = run_pushguard('check', 'HEAD')
    assert bad.code == 2
    assert 'HEAD' in bad.err


def test_check_and_a_real_pre_push_agree(work, tmp_path):
    (work / '.pushguard.toml').write_text(EVERY_CHECK)
    gitrepo.git('switch', '-q', '-c', 'topic/bad-name')
    gitrepo.commit(work, 'WIP no key', {'key.pem': 'x', 'big.bin': 'y' * 4000})
    gitrepo.commit(work, 'feat: PROJ-9 fine\n\nSigned-off-by: Ada Tester <ada@example.com>')
    only = ','.join(checks.CHECKS)
    out = tmp_path / 'pushed.json'
    hook = work / '.git' / 'hooks' / 'pre-push'
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f'#!/bin/sh\n"{sys.executable}" -m pushguard hook pre-push --only {only} '
                    f'--format json "$@" > "{out}"\n')
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    env = {'PYTHONPATH': os.pathsep.join(sys.path)}
    pushed = subprocess.run(('git', 'push', 'origin', 'topic/bad-name'), capture_output=True,
                            env={**os.environ, **env})
    assert pushed.returncode != 0, pushed.stderr  # the hook blocked it
    checked = run_pushguard('check', 'origin/main..HEAD', '--only', only, '--format', 'json')
    from_push = json.loads(out.read_text())['findings']
    from_check = json.loads(checked.out)['findings']
    assert from_push, 'the policy should find something to compare'
    assert checked.code == 1
    assert from_check == from_push


def test_branch_checks_follow_the_branch(work):
    (work / '.pushguard.toml').write_text(BRANCH)
    gitrepo.commit(work, 'a change')
    named = run_pushguard('check', 'origin/main..HEAD', '--only', 'branch-name')
    assert named.code == 1 and "branch name 'feat'" in named.out
    renamed = run_pushguard('check', 'origin/main..HEAD', '--only', 'branch-name',
                            '--branch', 'feat/PROJ-1')
    assert renamed == (0, '', '')
    gitrepo.git('checkout', '-q', '--detach')
    detached = run_pushguard('check', 'origin/main..HEAD', '--only', 'branch-name')
    assert detached.code == 0 and DETACHED_NOTE in detached.out
