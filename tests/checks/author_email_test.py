from __future__ import annotations

import os
import subprocess

import pytest

from pushguard.checks.author_email import example_email
from testing.gitrepo import commit, git
from testing.run import check_json, run_pushguard

POLICY = "[author]\nemail = '@example\\.com$'\n"


def _check(*argv):
    return check_json('author-email', *argv)


def _as(monkeypatch, author, committer=None):
    monkeypatch.setenv('GIT_AUTHOR_EMAIL', author)
    monkeypatch.setenv('GIT_COMMITTER_EMAIL', committer or author)


def _run_fix(fix):
    """Run a fix as a user would: identity from `git config`, not from the tests' pinned env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(('GIT_AUTHOR', 'GIT_COMMITTER'))}
    subprocess.run(fix, shell=True, check=True, capture_output=True, env=env)


@pytest.fixture
def based(repo):
    (repo / '.pushguard.toml').write_text(POLICY)
    git('config', 'user.name', 'Ada Tester')
    return commit(repo, 'chore: base')


@pytest.mark.parametrize(('author', 'committer', 'message'), (
    pytest.param('ada@example.com', 'ada@example.com', None, id='both-match'),
    pytest.param('ada@gmail.com', 'ada@gmail.com',
                 "author and committer email 'ada@gmail.com' do not match '@example\\\\.com$'",
                 id='both-fail'),
    pytest.param('ada@gmail.com', 'ada@example.com',
                 "author email 'ada@gmail.com' does not match", id='author-fails'),
    pytest.param('ada@example.com', 'bot@ci.local',
                 "committer email 'bot@ci.local' does not match", id='committer-fails'),
    pytest.param('ada@example.com.evil.org', 'ada@example.com',
                 "author email 'ada@example.com.evil.org' does not match", id='anchored-end'),
    pytest.param('ada@gmail.com', 'bot@ci.local',
                 "author email 'ada@gmail.com' and committer email 'bot@ci.local' do not match",
                 id='both-fail-differently'),
))
def test_identities(repo, based, monkeypatch, author, committer, message):
    _as(monkeypatch, author, committer)
    sha = commit(repo, 'feat: work', {'a.txt': 'a\n'})
    code, findings = _check(f'{based}..HEAD', '--branch', 'feat/x')
    if message is None:
        assert (code, findings) == (0, [])
        return
    assert code == 1
    [finding] = findings
    assert (finding['check'], finding['ref'], finding['commit']) == (
        'author-email', 'refs/heads/feat/x', sha,
    )
    assert finding['message'].startswith(message)


def test_fix_rewrites_from_the_oldest_failing_commit(repo, based, monkeypatch):
    commit(repo, 'feat: fine', {'a.txt': 'a\n'})
    _as(monkeypatch, 'ada@gmail.com')
    bad = commit(repo, 'feat: from home', {'b.txt': 'b\n'})
    commit(repo, 'feat: empty')
    code, findings = _check(f'{based}..HEAD', '--branch', 'main')
    assert code == 1
    assert [f['commit'] for f in findings][0] == bad
    assert len(findings) == 2
    fix = ("git config user.email you@example.com && git rebase --exec "
           "'git commit --amend --no-edit --no-verify --allow-empty --reset-author' "
           f'{bad[:12]}~1')
    assert {f['fix'] for f in findings} == {fix}
    _run_fix(fix)
    assert _check(f'{based}..HEAD', '--branch', 'main') == (0, [])
    assert git('log', '--format=%s', f'{based}..HEAD').split('\n')[:3] == [
        'feat: empty', 'feat: from home', 'feat: fine',
    ]


def test_committer_only_fix_keeps_the_author(repo, based, monkeypatch):
    _as(monkeypatch, 'grace@example.com', 'bot@ci.local')
    sha = commit(repo, 'feat: by grace, committed by the bot', {'a.txt': 'a\n'})
    _, [finding] = _check(f'{based}..HEAD', '--branch', 'main')
    assert finding['message'] == ("committer email 'bot@ci.local' does not match "
                                  "'@example\\\\.com$' (author.email)")
    assert finding['fix'] == (f'git config user.email you@example.com && '
                              f'git rebase --force-rebase {sha[:12]}~1')
    _run_fix(finding['fix'])
    assert _check(f'{based}..HEAD', '--branch', 'main') == (0, [])
    assert git('log', '-1', '--format=%ae %ce').split() == ['grace@example.com', 'you@example.com']


def test_merge_commits_count_and_the_fix_keeps_them(repo, based, monkeypatch):
    git('checkout', '-q', '-b', 'side')
    commit(repo, 'feat: side', {'s.txt': 's\n'})
    git('checkout', '-q', 'main')
    commit(repo, 'feat: main', {'m.txt': 'm\n'})
    _as(monkeypatch, 'ada@example.com', 'merger@gmail.com')
    git('merge', '-q', '--no-ff', '--no-edit', 'side')
    merge = git('rev-parse', 'HEAD').strip()
    code, [finding] = _check(f'{based}..HEAD', '--branch', 'main')
    assert code == 1
    assert finding['commit'] == merge
    assert finding['fix'] == (f'git config user.email you@example.com && '
                              f'git rebase --force-rebase --rebase-merges {merge[:12]}~1')
    _run_fix(finding['fix'])
    assert _check(f'{based}..HEAD', '--branch', 'main') == (0, [])
    assert len(git('log', '-1', '--format=%P').split()) == 2


def test_root_commit_fix_rebases_from_the_root(repo, monkeypatch):
    (repo / '.pushguard.toml').write_text(POLICY)
    _as(monkeypatch, 'ada@gmail.com')
    root = commit(repo, 'chore: first')
    _, [finding] = _check('HEAD', '--branch', 'main')
    assert finding['commit'] == root
    assert finding['fix'].endswith("--reset-author' --root")
    git('config', 'user.name', 'Ada Tester')
    _run_fix(finding['fix'])
    assert _check('HEAD', '--branch', 'main') == (0, [])


def test_text_output(repo, based, monkeypatch):
    _as(monkeypatch, 'ada@gmail.com')
    sha = commit(repo, 'feat: work')
    result = run_pushguard('check', f'{based}..HEAD', '--branch', 'feat/x',
                           '--only', 'author-email')
    assert result.code == 1
    assert "error [author-email] author and committer email 'ada@gmail.com'" in result.out
    assert f'(feat/x, {sha[:12]})' in result.out
    assert 'fix: git config user.email you@example.com && git rebase --exec' in result.out


@pytest.mark.parametrize(('pattern', 'example'), (
    pytest.param('@example\\.com$', 'you@example.com', id='domain-suffix'),
    pytest.param('^[a-z]+\\.[a-z]+@corp\\.example\\.org$', None, id='no-guess'),
    pytest.param('@(corp|dev)\\.example\\.org$', None, id='alternatives'),
    pytest.param('example.com', 'you@example.com', id='unescaped-dot'),
    pytest.param('^.+@users\\.noreply\\.github\\.com$', 'you@users.noreply.github.com',
                 id='anchored-start'),
))
def test_example_email_is_verified_against_the_pattern(pattern, example):
    assert example_email(pattern) == example


def test_no_example_shows_the_pattern(repo, monkeypatch):
    (repo / '.pushguard.toml').write_text("[author]\nemail = '^[a-z]+\\.[a-z]+@corp\\.org$'\n")
    base = commit(repo, 'chore: base')
    commit(repo, 'feat: work')
    _, [finding] = _check(f'{base}..HEAD', '--branch', 'main')
    assert finding['fix'].startswith('git config user.email YOUR-EMAIL && git rebase --exec')
    assert finding['fix'].endswith('  # an address matching ^[a-z]+\\.[a-z]+@corp\\.org$')
