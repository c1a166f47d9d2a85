"""fixup!/squash!/amend! commits: exempt at commit time, but a push that still holds them fails
with the rebase that squashes them, and that rebase works when pasted."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from testing import gitrepo
from testing.run import run_console, run_pushguard

POLICY = '[commit.jira]\nprojects = ["PROJ"]\n[commit.conventional]\n'


def _history(repo, kind='fixup'):
    gitrepo.commit(repo, 'chore: PROJ-1 start', {'.pushguard.toml': POLICY})
    base = gitrepo.head(repo)
    target = gitrepo.commit(repo, 'feat: PROJ-2 add login', {'login.py': 'a\n'})
    gitrepo.commit(repo, 'fix: PROJ-3 other', {'other.py': 'b\n'})
    body = '\n\nfeat: PROJ-2 add login' if kind == 'amend' else ''  # amend! brings the new message
    gitrepo.commit(repo, f'{kind}! feat: PROJ-2 add login{body}', {'login.py': 'a\nb\n'})
    return base, target


def _paste(repo, fix):
    """Run the printed rebase as a user would, with git's own todo list accepted as it is."""
    command = re.search(r'git rebase -i --autosquash \S+', fix)
    assert command is not None, fix
    gitrepo.git(*command[0].split()[1:], cwd=repo, env={'GIT_SEQUENCE_EDITOR': ':',
                                                         'GIT_EDITOR': ':'})


@pytest.mark.parametrize('kind', ('fixup', 'squash', 'amend'))
def test_check_fails_with_a_rebase_that_works(repo, kind):
    base, target = _history(repo, kind)
    result = run_pushguard('check', f'{base}..HEAD', '--only', 'conventional-commit')
    assert result.code == 1, result.out
    assert f'a {kind}! commit is pushed unsquashed' in result.out
    assert f'git rebase -i --autosquash {target[:12]}~1' in result.out
    _paste(repo, result.out)
    assert gitrepo.git('log', '--format=%s', f'{base}..HEAD', cwd=repo).split('\n')[:2] == [
        'fix: PROJ-3 other', 'feat: PROJ-2 add login']
    after = run_pushguard('check', f'{base}..HEAD', '--only', 'conventional-commit')
    assert after.code == 0
    assert after.out.startswith('pushguard: 0 errors, 0 warnings in 2 commits')


def test_each_message_check_blocks_it(repo):
    base, _ = _history(repo)
    for check_id in ('jira-ticket', 'conventional-commit', 'dco'):
        result = run_pushguard('check', f'{base}..HEAD', '--only', check_id)
        assert result.code == 1
        assert f'[{check_id}]' in result.out and 'unsquashed' in result.out
        errors = [line for line in result.out.splitlines() if line.startswith('error [')]
        assert len(errors) == (3 if check_id == 'dco' else 1)  # no commit here is signed off


def test_root_target_rebases_from_root(repo):
    gitrepo.commit(repo, 'feat: PROJ-1 first')
    gitrepo.commit(repo, 'fixup! feat: PROJ-1 first')
    (repo.parent / 'empty.toml').write_text('')
    result = run_pushguard('check', 'HEAD', '--only', 'jira-ticket', '--config',
                           str(repo.parent / 'empty.toml'))
    assert 'git rebase -i --autosquash --root' in result.out
    _paste(repo, result.out)
    assert gitrepo.git('log', '--format=%s', cwd=repo).split('\n')[0] == 'feat: PROJ-1 first'


def test_target_already_pushed_says_so(repo):
    gitrepo.commit(repo, 'feat: PROJ-1 first', {'.pushguard.toml': POLICY})
    base = gitrepo.head(repo)
    gitrepo.commit(repo, 'fixup! feat: PROJ-1 first')
    result = run_pushguard('check', f'{base}..HEAD', '--only', 'jira-ticket')
    assert result.code == 1
    assert 'the commit it names is not in this push' in result.out
    assert '--autosquash' not in result.out.split('fix:', 1)[1]


def test_target_named_by_sha(repo):
    base, target = _history(repo)
    gitrepo.commit(repo, f'fixup! {target[:9]}')
    result = run_pushguard('check', f'{base}..HEAD', '--only', 'jira-ticket')
    assert result.out.count(f'--autosquash {target[:12]}~1') == 2


def test_commit_time_still_exempt(repo):
    (repo / '.pushguard.toml').write_text(POLICY)
    (repo / 'msg').write_text('fixup! whatever\n')
    assert run_pushguard('hook', 'commit-msg', 'msg').code == 0


def test_push_exempt_lets_them_through(repo):
    base, _ = _history(repo)
    (repo / 'p.toml').write_text(POLICY + '[commit]\npush-exempt = ["^fixup! "]\n')
    assert run_pushguard('check', f'{base}..HEAD', '--config', 'p.toml').code == 0
    (repo / 'p.toml').write_text(POLICY + '[commit]\nexempt = ["^Merge "]\n')
    assert run_pushguard('check', f'{base}..HEAD', '--config', 'p.toml').code == 1


def test_push_exempt_default_follows_exempt(repo):
    gitrepo.commit(repo, 'chore: PROJ-1 start')
    base = gitrepo.head(repo)
    gitrepo.commit(repo, 'WIP whatever')
    (repo / 'p.toml').write_text(POLICY + '[commit]\nexempt = ["^WIP ", "^fixup! "]\n')
    assert run_pushguard('check', f'{base}..HEAD', '--config', 'p.toml').code == 0


def test_bad_push_exempt_is_a_usage_error(repo):
    (repo / 'p.toml').write_text('[commit]\npush-exempt = ["("]\n')
    result = run_pushguard('check', 'HEAD', '--config', 'p.toml')
    assert result.code == 2
    assert 'push-exempt' in result.err


def test_pre_push_through_installed_hooks(repo, tmp_path):
    server = gitrepo.bare_remote(tmp_path)
    gitrepo.git('remote', 'add', 'origin', str(server), cwd=repo)
    gitrepo.commit(repo, 'chore: PROJ-1 start', {'.pushguard.toml': POLICY})
    gitrepo.git('push', '-q', 'origin', 'main', cwd=repo)
    assert run_console('install').code == 0
    gitrepo.commit(repo, 'feat: PROJ-2 add login', {'a': '1\n'})
    gitrepo.commit(repo, 'fixup! feat: PROJ-2 add login', {'a': '2\n'})
    push = subprocess.run(('git', 'push', 'origin', 'main'), cwd=repo, capture_output=True,
                          text=True)
    assert push.returncode == 1
    assert 'git rebase -i --autosquash' in push.stdout + push.stderr
    _paste(repo, push.stdout + push.stderr)
    push = subprocess.run(('git', 'push', 'origin', 'main'), cwd=repo, capture_output=True,
                          text=True)
    assert push.returncode == 0, push.stdout + push.stderr


ALL_MESSAGE_CHECKS = ('[commit.jira]\nprojects = ["PROJ"]\n[commit.conventional]\n[commit]\n'
                      'dco = true\npattern = "PROJ-"\n[commit.style]\n')


@pytest.mark.parametrize('only', (
    None, 'jira-ticket', 'conventional-commit', 'message-pattern', 'commit-style', 'dco',
    'commit-style,dco', 'message-pattern,dco',
))
def test_reported_once_by_the_first_message_check(repo, only):
    """However many message checks run, an unsquashed commit is one error, under the first."""
    base, _ = _history(repo)
    (repo / 'p.toml').write_text(ALL_MESSAGE_CHECKS)
    argv = ('check', f'{base}..HEAD', '--config', 'p.toml', '--format', 'json')
    result = run_pushguard(*argv, *(('--only', only) if only else ()))
    assert result.code == 1, result.err
    fixup = gitrepo.head(repo)
    found = [f for f in json.loads(result.out)['findings'] if f['commit'] == fixup]
    first = 'jira-ticket' if only is None else only.split(',')[0]
    assert [(f['check'], 'unsquashed' in f['message']) for f in found] == [(first, True)]
    assert '--autosquash' in found[0]['fix']
