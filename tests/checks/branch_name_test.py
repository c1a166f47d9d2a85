from __future__ import annotations

import re
import subprocess

import pytest

from pushguard import checks, engine, sources
from pushguard.config import Config
from pushguard.model import RefUpdate
from testing.gitrepo import bare_remote, commit, git, zeros
from testing.run import check_json, run_pushguard

SPEC_PATTERN = r'^(feat|fix|chore|docs|hotfix|release)/[A-Z][A-Z0-9]+-[0-9]+(-[a-z0-9-]+)?$'


def _policy(repo, pattern=SPEC_PATTERN, extra=''):
    (repo / '.pushguard.toml').write_text(f"[branch]\npattern = '{pattern}'\n{extra}")


def _check(*argv):
    return check_json('branch-name', *argv)


@pytest.fixture
def pushed(repo):
    """main with a base commit; one more commit on HEAD to push."""
    _policy(repo)
    base = commit(repo, 'chore: base')
    tip = commit(repo, 'feat: more', {'a.txt': 'a\n'})
    return base, tip


@pytest.mark.parametrize('branch', (
    pytest.param('feat/PROJ-1-login', id='matches'),
    pytest.param('fix/OPS-22', id='matches-without-description'),
    pytest.param('main', id='exempt-name'),
    pytest.param('release/2.0', id='exempt-glob'),
))
def test_allowed_branch_names(repo, pushed, branch):
    base, _ = pushed
    assert _check(f'{base}..HEAD', '--branch', branch) == (0, [])


@pytest.mark.parametrize(('branch', 'suggested'), (
    pytest.param('login-page', 'feat/PROJ-123-login-page', id='bare-description'),
    pytest.param('feature/PROJ-7-login', 'feat/PROJ-7-login', id='type-alias-keeps-key'),
    pytest.param('bugfix/OPS-7-Crash_On_Start', 'fix/OPS-7-crash-on-start', id='separators'),
    pytest.param('PROJ-9', 'feat/PROJ-9', id='key-only'),
    pytest.param('develop-2', 'feat/PROJ-123-develop-2', id='near-an-exempt-name'),
))
def test_rejected_branch_names_get_a_matching_suggestion(repo, pushed, branch, suggested):
    base, tip = pushed
    code, [finding] = _check(f'{base}..HEAD', '--branch', branch)
    assert code == 1
    assert (finding['check'], finding['ref'], finding['commit'], finding['path']) == (
        'branch-name', f'refs/heads/{branch}', tip, None,
    )
    assert finding['message'] == (f'branch name {branch!r} does not match {SPEC_PATTERN!r} '
                                  '(branch.pattern)')
    assert finding['fix'].startswith(f'git branch -m {branch} {suggested}')
    assert re.search(SPEC_PATTERN, suggested)
    assert ('your issue key' in finding['fix']) is ('PROJ-123' in suggested)


def test_suggestion_uses_the_jira_project(repo, pushed):
    base, _ = pushed
    _policy(repo, extra='[commit.jira]\nprojects = ["OPS"]\n')
    _, [finding] = _check(f'{base}..HEAD', '--branch', 'login')
    assert finding['fix'] == ('git branch -m login feat/OPS-123-login'
                              '  # with your issue key in place of OPS-123')
    _, [finding] = _check(f'{base}..HEAD', '--branch', 'ops-7-login')
    assert finding['fix'] == 'git branch -m ops-7-login feat/OPS-7-login'


def test_following_the_fix_passes(repo, pushed):
    base, _ = pushed
    git('checkout', '-q', '-b', 'fix/PROJ-4_typo')
    _, [finding] = _check(f'{base}..HEAD', '--branch', 'fix/PROJ-4_typo')
    subprocess.run(finding['fix'], shell=True, check=True, capture_output=True)
    new = git('symbolic-ref', '--short', 'HEAD').strip()
    assert new == 'fix/PROJ-4-typo'
    assert _check(f'{base}..HEAD', '--branch', new) == (0, [])


def test_pattern_is_searched_not_anchored(repo, pushed):
    base, _ = pushed
    _policy(repo, pattern='PROJ-[0-9]+')
    assert _check(f'{base}..HEAD', '--branch', 'someone/PROJ-12/try') == (0, [])
    code, _ = _check(f'{base}..HEAD', '--branch', 'someone/try')
    assert code == 1


def test_no_suggestion_shows_the_pattern(repo, pushed):
    base, _ = pushed
    _policy(repo, pattern='^users/[a-z]+/[0-9]{4}$')
    code, [finding] = _check(f'{base}..HEAD', '--branch', 'wip')
    assert code == 1
    assert finding['fix'] == 'git branch -m wip NEW-NAME  # a name matching ^users/[a-z]+/[0-9]{4}$'


def test_text_output(repo, pushed):
    base, tip = pushed
    result = run_pushguard('check', f'{base}..HEAD', '--branch', 'wip', '--only', 'branch-name')
    assert result.code == 1
    assert "error [branch-name] branch name 'wip' does not match" in result.out
    assert f'(wip, {tip[:12]})' in result.out
    assert 'fix: git branch -m wip feat/PROJ-123-wip' in result.out


def test_only_pushed_branches_are_checked(repo, pushed):
    """Tags and deletions pass; a push from a detached HEAD gets a push-under-the-new-name fix."""
    base, tip = pushed
    no = zeros(repo)
    updates = (
        RefUpdate('refs/tags/v1', tip, 'refs/tags/v1', no),
        RefUpdate('(delete)', no, 'refs/heads/old-junk', base),
        RefUpdate('refs/heads/main', tip, 'refs/heads/main', base),
        RefUpdate('HEAD', tip, 'refs/heads/hack', no),
    )
    cfg = Config(branch_pattern=SPEC_PATTERN)
    _, findings = engine.run(sources.PushSource(updates, None), cfg, [checks.load('branch-name')])
    assert [(f.ref, f.commit, f.fix) for f in findings] == [
        ('refs/heads/hack', tip, f'git push origin {tip[:12]}:refs/heads/feat/PROJ-123-hack'
                                 '  # with your issue key in place of PROJ-123'),
    ]


def test_without_branch_the_current_branch_is_checked(repo, pushed):
    base, tip = pushed
    git('checkout', '-q', '-b', 'wip')
    code, [finding] = _check(f'{base}..HEAD')
    assert code == 1
    assert (finding['ref'], finding['commit']) == ('refs/heads/wip', tip)


def test_a_real_push_of_a_badly_named_branch_is_stopped(repo, tmp_path):
    server = bare_remote(tmp_path)
    git('remote', 'add', 'origin', str(server))
    _policy(repo, extra='[remote]\nenabled = false\n')
    commit(repo, 'chore: base')
    git('push', '-q', 'origin', 'main')
    assert run_pushguard('install', '--hook', 'pre-push').code == 0
    git('checkout', '-q', '-b', 'login-page')
    commit(repo, 'feat: login', {'login.txt': 'x\n'})
    push = subprocess.run(('git', 'push', '-q', 'origin', 'login-page'), capture_output=True,
                          text=True)
    assert push.returncode != 0
    assert "[branch-name] branch name 'login-page' does not match" in push.stdout + push.stderr
    assert 'git branch -m login-page feat/PROJ-123-login-page' in push.stdout + push.stderr
    assert git('ls-remote', str(server)).count('refs/heads/') == 1  # only main got there
    git('branch', '-m', 'login-page', 'feat/PROJ-5-login-page')
    push = subprocess.run(('git', 'push', '-q', 'origin', 'feat/PROJ-5-login-page'),
                          capture_output=True, text=True)
    assert push.returncode == 0, push.stdout + push.stderr


def _push(*refspecs):
    return subprocess.run(('git', 'push', '-q', 'origin', *refspecs), capture_output=True,
                          text=True)


@pytest.fixture
def installed(repo, tmp_path):
    server = bare_remote(tmp_path)
    git('remote', 'add', 'origin', str(server))
    _policy(repo, extra='[remote]\nenabled = false\n')
    commit(repo, 'chore: base')
    assert _push('main').returncode == 0
    assert run_pushguard('install', '--hook', 'pre-push').code == 0
    return server


def test_only_the_remote_name_is_wrong_the_fix_pushes_under_the_local_name(repo, installed):
    git('checkout', '-q', '-b', 'feat/PROJ-5-login')
    commit(repo, 'feat: login', {'login.txt': 'x\n'})
    push = _push('feat/PROJ-5-login:login')
    assert push.returncode != 0
    assert "branch name 'login' does not match" in push.stdout
    fix = 'git push origin feat/PROJ-5-login:feat/PROJ-5-login'
    assert f'fix: {fix}\n' in push.stdout  # not a rename of the branch, whose name is fine
    subprocess.run(fix, shell=True, check=True, capture_output=True)
    heads = git('ls-remote', '--heads', str(installed))
    assert 'refs/heads/feat/PROJ-5-login' in heads and 'refs/heads/login' not in heads


def test_both_names_wrong_the_fix_pushes_under_a_good_name_and_keeps_the_local_branch(
        repo, installed):
    git('checkout', '-q', '-b', 'wip')
    commit(repo, 'feat: login', {'login.txt': 'x\n'})
    push = _push('wip:login')
    assert push.returncode != 0
    fix = ('git push origin wip:feat/PROJ-123-login'
           '  # with your issue key in place of PROJ-123')
    assert f'fix: {fix}\n' in push.stdout
    subprocess.run(fix.replace('PROJ-123', 'PROJ-9'), shell=True, check=True,
                   capture_output=True)
    assert 'refs/heads/feat/PROJ-9-login' in git('ls-remote', '--heads', str(installed))
    assert git('symbolic-ref', '--short', 'HEAD').strip() == 'wip'
