from __future__ import annotations

import pytest

from pushguard.git import log
from pushguard.checks import message_pattern
from pushguard.config import Config
from pushguard.model import Context, Place
from testing import gitrepo
from testing.run import run_pushguard


def _hook(repo, message, pattern='', forbidden=''):
    (repo / '.pushguard.toml').write_text(
        f"[commit]\npattern = '{pattern}'\nforbidden-pattern = '{forbidden}'\n",
    )
    (repo / 'msg').write_bytes(message.encode())
    return run_pushguard('hook', 'commit-msg', 'msg')


@pytest.mark.parametrize(('pattern', 'forbidden', 'message'), (
    pytest.param(r'[A-Z]+-\d+', '', 'PROJ-1 add login', id='searched'),
    pytest.param(r'[A-Z]+-\d+', '', 'add login\n\nRefs: PROJ-1', id='searched-in-body'),
    pytest.param(r'^(feat|fix): ', '', 'fix: x', id='anchored-start'),
    pytest.param(r'login$', '', 'add login\n', id='dollar-ignores-final-newline'),
    pytest.param(r'(?m)^Refs: ', '', 'add login\n\nRefs: x', id='multiline-flag-in-pattern'),
    pytest.param('', r'(?i)\bwip\b', 'add wiping', id='forbidden-absent'),
    pytest.param(r'Änderung', '', 'Änderung der Anmeldung', id='non-ascii'),
    pytest.param('^nothing', '', 'Merge branch "x"', id='exempt-merge'),
))
def test_accepted(repo, pattern, forbidden, message):
    result = _hook(repo, message, pattern, forbidden)
    assert (result.code, result.out) == (0, '')


@pytest.mark.parametrize(('pattern', 'forbidden', 'message', 'expected'), (
    pytest.param(r'[A-Z]+-\d+', '', 'add login',
                 r"does not match the required pattern '[A-Z]+-\\d+'", id='missing'),
    pytest.param('^Refs: ', '', 'add login\n\nRefs: x', "does not match", id='no-multiline'),
    pytest.param(r'login\Z', '', 'login\nmore', 'does not match', id='end-of-message'),
    pytest.param('', r'(?i)\bwip\b', 'WIP: add login',
                 "contains 'WIP', which the forbidden pattern", id='forbidden'),
    pytest.param('', 'fixme', 'add login\n\nfixme later', "contains 'fixme'",
                 id='forbidden-in-body'),
    pytest.param('', 'ß', 'Straße', "contains 'ß'", id='forbidden-non-ascii'),
))
def test_rejected(repo, pattern, forbidden, message, expected):
    result = _hook(repo, message, pattern, forbidden)
    assert result.code == 1
    assert '[message-pattern]' in result.out
    assert expected in result.out
    assert 'fix: edit the message' in result.out


def test_both_patterns_broken_are_two_findings(repo):
    result = _hook(repo, 'WIP add login', r'^PROJ-\d+', 'WIP')
    assert result.out.count('[message-pattern]') == 2


def test_pushed_commit_is_searched_like_the_message_being_written(repo):
    sha = gitrepo.commit(repo, 'add login')
    ctx = Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))
    cfg = Config(pattern=r'login\Z')
    assert list(message_pattern.check(ctx, cfg)) == []
    found = list(message_pattern.check(ctx, Config(forbidden_pattern='login')))
    assert [f.commit for f in found] == [sha]
    assert 'git rebase -i --root' in (found[0].fix or '')
