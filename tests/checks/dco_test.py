from __future__ import annotations

import pytest

from pushguard.git import log
from pushguard.checks import dco
from pushguard.config import Config
from pushguard.model import Context, Place
from testing import gitrepo
from testing.run import run_pushguard

SIGNED = 'Signed-off-by: Ada Tester <ada@example.com>'


def _hook(repo, message):
    (repo / '.pushguard.toml').write_text('[commit]\ndco = true\n')
    (repo / 'msg').write_bytes(message.encode())
    return run_pushguard('hook', 'commit-msg', 'msg')


@pytest.mark.parametrize('message', (
    pytest.param(f'add login\n\n{SIGNED}', id='trailer'),
    pytest.param(f'add login\n\nbody\n\nReviewed-by: Z\n{SIGNED}', id='among-trailers'),
    pytest.param('add login\n\nsigned-off-by: Other Person <o@example.org>',
                 id='any-when-no-author'),
    pytest.param('Änderung\n\nSigned-off-by: Jürgen Müller <j@example.de>', id='non-ascii'),
    pytest.param('Merge branch "x"', id='exempt'),
))
def test_accepted_at_commit_time(repo, message):
    result = _hook(repo, message)
    assert (result.code, result.out) == (0, '')


@pytest.mark.parametrize('message', (
    pytest.param('add login', id='none'),
    pytest.param(f'{SIGNED}\n\nbody', id='subject-is-no-trailer'),
    pytest.param('add login\n\nSigned-off-by: <ada@example.com>', id='no-name'),
    pytest.param('add login\n\nSigned-off-by: Ada Tester', id='no-email'),
    pytest.param('add login\n\nSigned-off-by Ada Tester <ada@example.com>', id='no-colon'),
))
def test_rejected_at_commit_time(repo, message):
    result = _hook(repo, message)
    assert result.code == 1
    assert '[dco] no "Signed-off-by: Name <email>" trailer' in result.out
    assert 'git commit -s' in result.out


def _pushed(repo, *messages):
    for message in messages:
        gitrepo.commit(repo, message)
    return Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))


def test_pushed_trailer_must_match_the_author(repo):
    ctx = _pushed(repo, f'base\n\n{SIGNED.upper()}',
                  'add login\n\nSigned-off-by: Eve <eve@example.com>', 'unsigned')
    found = list(dco.check(ctx, Config(dco=True)))
    assert [f.commit for f in found] == [c.sha for c in ctx.commits[1:]]
    assert 'no Signed-off-by trailer matches the author ada@example.com' in found[0].message
    assert 'eve@example.com' in found[0].message
    assert f'git rebase --signoff {ctx.commits[1].sha[:12]}~1' in (found[0].fix or '')
    assert 'git commit --amend -s --no-edit' in (found[1].fix or '')


def test_real_signoff_passes(repo):
    gitrepo.commit(repo, 'base', None, '-s')
    ctx = Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))
    assert list(dco.check(ctx, Config(dco=True))) == []
