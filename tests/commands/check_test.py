from __future__ import annotations

import json
import os
import re
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
    assert '1 commit on branch feat' in result.out


def test_nothing_unpushed_passes_in_one_line(work):
    result = run_pushguard('check', '--only', 'jira-ticket')
    assert (result.code, result.err) == (0, '')
    assert re.fullmatch(r'pushguard: 0 errors, 0 warnings in 0 commits on branch feat '
                        r'by jira-ticket in \d+\.\d\d s: passes\n', result.out)


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
    gitrepo.git('checkout', '-q', '--detach')
    mine = gitrepo.commit(work, 'no key')  # on no branch
    assert run_pushguard('check').code == 2  # a detached HEAD has no upstream either
    code, report = findings('origin/main..HEAD', '--only', 'jira-ticket,branch-name')
    assert blamed(report) == [(None, mine)]
    assert report['notes'] == [DETACHED_NOTE]
    code, report = findings('origin/main..HEAD')
    assert report['notes'] == []  # no branch check selected: nothing was skipped


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
    assert renamed.code == 0 and renamed.out.endswith(': passes\n')
    assert renamed.out.count('\n') == 1
    gitrepo.git('checkout', '-q', '--detach')
    gitrepo.commit(work, 'another change')
    detached = run_pushguard('check', 'origin/main..HEAD', '--only', 'branch-name')
    assert detached.code == 0 and DETACHED_NOTE in detached.out


def test_a_range_is_pushed_to_its_tips_branch_not_the_current_one(work):
    """On feat, `check main..topic` is a push of topic: its findings, name and fix say topic."""
    gitrepo.git('switch', '-q', '-c', 'topic')
    mine = gitrepo.commit(work, 'no key on topic')
    gitrepo.git('switch', '-q', 'feat')
    (work / '.pushguard.toml').write_text(BRANCH + JIRA)
    result = run_pushguard('check', 'origin/main..topic', '--format', 'json')
    found = json.loads(result.out)['findings']
    assert {(f['check'], f['ref']) for f in found} == {
        ('branch-name', 'refs/heads/topic'), ('jira-ticket', 'refs/heads/topic')}
    [branch] = [f for f in found if f['check'] == 'branch-name']
    assert branch['commit'] == mine
    assert branch['fix'].startswith('git branch -m topic ')
    text = run_pushguard('check', 'origin/main..topic', '--only', 'jira-ticket')
    assert 'in 1 commit on branch topic by jira-ticket' in text.out
    assert '(topic, ' in text.out and '(feat, ' not in text.out


@pytest.mark.parametrize(('revision', 'label'), (
    pytest.param('HEAD', 'on branch feat', id='head-on-a-branch'),
    pytest.param('topic', 'on branch topic', id='another-branch'),
    pytest.param('origin/main..origin/topic', 'on branch topic', id='remote-tracking'),
    pytest.param('v1', 'on tag v1', id='lightweight-tag'),
    pytest.param('origin/main..v2', 'on tag v2', id='annotated-tag'),
    pytest.param('topic~1', 'on no branch', id='inside-a-branch'),
    pytest.param('feat topic', 'on no branch', id='two-tips'),
))
def test_the_summary_names_where_the_tip_is(work, revision, label):
    gitrepo.git('switch', '-q', '-c', 'topic')
    gitrepo.commit(work, 'PROJ-2 one')
    gitrepo.commit(work, 'PROJ-3 two')
    gitrepo.git('push', '-q', 'origin', 'topic')
    gitrepo.git('tag', 'v1')
    gitrepo.git('tag', '-a', '-m', 'v2', 'v2')
    gitrepo.git('switch', '-q', 'feat')
    result = run_pushguard('check', *revision.split(), '--only', 'jira-ticket,file-size')
    assert result.code in (0, 1), result  # main's first commit lacks a key, where reached
    summary = result.out.splitlines()[-1]
    assert f' {label} by jira-ticket, file-size in ' in summary, summary


def test_a_tag_range_is_checked_as_a_tag_push(work):
    (work / '.pushguard.toml').write_text(BRANCH + JIRA)
    gitrepo.commit(work, 'PROJ-4 tagged')
    gitrepo.git('tag', 'release-1')
    result = run_pushguard('check', 'origin/main..release-1', '--format', 'json')
    found = json.loads(result.out)
    assert (result.code, found['findings']) == (0, [])
    assert [note.split(', so')[0] for note in found['notes']] == [
        'the forge was not asked (no remote is known for tag release-1)']


def test_hooks_stay_quiet_on_success(work):
    """`check` says a pass in one line; a hook that passes says nothing at all."""
    good = gitrepo.commit(work, 'PROJ-5 fine')
    (work / 'msg').write_text('PROJ-6 fine\n')
    assert run_pushguard('hook', 'commit-msg', 'msg') == (0, '', '')
    stdin = f'refs/heads/feat {good} refs/heads/feat {gitrepo.zeros(work)}\n'
    assert run_pushguard('hook', 'pre-push', 'origin', 'x', stdin=stdin) == (0, '', '')
    lines = run_pushguard('check').out.splitlines()  # the pass, and why the forge was not asked
    assert [line.split(' (')[0] for line in lines][:-1] == [
        'pushguard: note: the forge was not asked']
    assert lines[-1].startswith('pushguard: 0 errors')


_FORGE_ONLY = ('protected-branch', 'force-push', 'branch-deletion', 'branch-creation',
               'linear-history', 'status-checks', 'protected-tag', 'remote')


def _pass_line(out):
    [line] = [line for line in out.splitlines() if line.startswith('pushguard: 0 errors')]
    return line.split(' by ', 1)[1].rsplit(' in ', 1)[0].split(', ')


def test_local_remote_lists_no_forge_check_and_says_why(work):
    """origin is a path on this machine: nothing is asked, so no forge check is said to run."""
    gitrepo.commit(work, 'PROJ-2 mine')
    result = run_pushguard('check')
    assert result.code == 0, result.out
    ran = _pass_line(result.out)
    assert 'jira-ticket' in ran and not set(ran) & set(_FORGE_ONLY)
    assert ('pushguard: note: the forge was not asked (remote origin is a path on this '
            'machine: ') in result.out
    assert '), so protected-branch, force-push, ' in result.out


def test_no_remote_lists_no_forge_check_and_says_why(work):
    gitrepo.git('switch', '-q', '-c', 'alone')
    result = run_pushguard('check', 'origin/main..HEAD')
    assert result.code == 0, result.out
    assert not set(_pass_line(result.out)) & set(_FORGE_ONLY)
    assert ('the forge was not asked (branch alone has no remote: '
            'git config branch.alone.remote NAME sets one)') in result.out


def test_a_forge_that_could_not_be_asked_is_the_remote_warning(work):
    """The remote check's warning says what was not checked; only that check is listed."""
    gitrepo.git('remote', 'set-url', 'origin', 'https://forge.invalid/acme/app.git')
    result = run_pushguard('check', 'origin/main..HEAD')
    assert 'warning [remote] the forge was not asked' in result.out
    assert 'note:' not in result.out
    ran = result.out.rsplit(' by ', 1)[1].rsplit(' in ', 1)[0].split(', ')
    assert 'remote' in ran and 'protected-branch' not in ran


def test_a_branch_with_capitals_has_its_remote(work):
    """`branch.PROJ-2-login.remote`: git keeps a subsection's case, so the remote is found."""
    gitrepo.git('switch', '-q', '-c', 'PROJ-2-login')
    gitrepo.git('push', '-q', '-u', 'origin', 'PROJ-2-login')
    gitrepo.commit(work, 'PROJ-2 mine')
    result = run_pushguard('check')
    assert 'the forge was not asked (remote origin is a path on this machine: ' in result.out
