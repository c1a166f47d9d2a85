from __future__ import annotations

import pytest

from pushguard.git import log
from pushguard.checks import jira_ticket
from pushguard.config import Config, Jira
from pushguard.model import Context, Place
from testing import gitrepo
from testing.run import run_pushguard


PROJ_OPS = '[commit.jira]\nprojects = ["PROJ", "OPS"]\n'


def _hook(repo, message, toml=PROJ_OPS):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_bytes(message.encode())
    return run_pushguard('hook', 'commit-msg', 'msg')


@pytest.mark.parametrize(('where', 'message'), (
    pytest.param('subject', 'PROJ-123 add login', id='subject-start'),
    pytest.param('subject', 'feat: PROJ-123 add login', id='subject-after-prefix'),
    pytest.param('subject', 'feat(PROJ-123): add login', id='subject-in-scope'),
    pytest.param('subject', 'add login (OPS-7)', id='subject-other-project-parenthesised'),
    pytest.param('subject', 'PROJ-1: Ümlaut-Änderung', id='subject-non-ascii'),
    pytest.param('subject', '[PROJ-9] add login', id='subject-brackets'),
    pytest.param('anywhere', 'add login\n\nRefs: PROJ-123', id='anywhere-footer'),
    pytest.param('anywhere', 'PROJ-123 add login', id='anywhere-subject'),
    pytest.param('scope', 'feat(PROJ-123): add login', id='scope'),
    pytest.param('scope', 'feat(OPS-1)!: drop Node 6', id='scope-bang'),
    pytest.param('subject', 'Merge branch "x"', id='exempt-merge'),
    pytest.param('subject', 'fixup! add login', id='exempt-fixup'),
))
def test_accepted(repo, where, message):
    result = _hook(repo, message, PROJ_OPS + f'where = "{where}"\n')
    assert (result.code, result.out) == (0, '')


@pytest.mark.parametrize(('where', 'message'), (
    pytest.param('subject', 'add login', id='no-key'),
    pytest.param('subject', 'XPROJ-1 add login', id='longer-project-is-not-proj'),
    pytest.param('subject', 'PROJX-1 add login', id='project-prefix-only'),
    pytest.param('subject', 'PROJ- add login', id='no-number'),
    pytest.param('subject', 'PROJ-0 add login', id='zero-is-no-issue'),
    pytest.param('subject', 'proj-1 add login', id='lowercase-is-no-key'),
    pytest.param('subject', 'PROJ-1a add login', id='trailing-letters'),
    pytest.param('subject', 'ABC-1 add login', id='other-project'),
    pytest.param('subject', 'add login\n\nRefs: PROJ-123', id='subject-ignores-body'),
    pytest.param('scope', 'feat: PROJ-123 add login', id='scope-not-description'),
    pytest.param('scope', 'PROJ-123 add login', id='scope-not-conventional'),
    pytest.param('anywhere', 'add login\n\n# PROJ-1 only in a comment',
                 id='comment-does-not-count'),
))
def test_rejected(repo, where, message):
    result = _hook(repo, message, PROJ_OPS + f'where = "{where}"\n')
    assert result.code == 1
    assert '[jira-ticket] no Jira issue key (PROJ, OPS)' in result.out
    suggested = result.out.split('write the message like: ', 1)[1].split('\n', 1)[0]
    expected = 'PROJ-1' if message.startswith('proj-1 ') else 'PROJ-123'  # upper-cased
    assert jira_ticket.find_key(suggested, Jira(('PROJ', 'OPS'), where)) == expected


def test_the_suggestion_keeps_the_subject_and_uses_the_branch_key(repo):
    gitrepo.git('checkout', '-q', '-b', 'feat/OPS-42-login')
    result = _hook(repo, 'feat(ui): add login', PROJ_OPS + 'from-branch = false\n')
    assert 'write the message like: feat(ui): OPS-42 add login' in result.out


def test_any_project_when_projects_empty(repo):
    assert _hook(repo, 'ANY_THING2-5 add login', '[commit.jira]\n').code == 0
    result = _hook(repo, 'add login', '[commit.jira]\n')
    assert result.code == 1
    assert 'no Jira issue key (any project) in the subject line' in result.out


def test_pushed_commit_names_the_commit(repo):
    gitrepo.commit(repo, 'PROJ-1 base')
    sha = gitrepo.commit(repo, 'add login')
    ctx = Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))
    findings = list(jira_ticket.check(ctx, Config(jira=Jira(projects=('PROJ',)))))
    assert [f.commit for f in findings] == [sha]
    assert f'git rebase -i {sha[:12]}~1' in (findings[0].fix or '')


@pytest.mark.parametrize(('where', 'message', 'reason'), (
    pytest.param('subject', 'proj-12 add login', "'proj-12' is not a key: keys are upper case "
                 '(PROJ-12)', id='lower-case'),
    pytest.param('subject', 'ABC-12 add login', "'ABC-12': project ABC is not allowed",
                 id='project-not-allowed'),
    pytest.param('subject', 'PROJ-0 add login', "'PROJ-0' is not an issue: issue numbers start "
                 'at 1', id='zero'),
    pytest.param('subject', 'add login\n\nRefs: PROJ-12', 'the key in the message is not in the '
                 'subject line', id='key-in-body'),
    pytest.param('scope', 'feat: PROJ-12 add login', 'the key in the message is not the scope',
                 id='key-not-scope'),
))
def test_says_why_a_key_was_not_accepted(repo, where, message, reason):
    result = _hook(repo, message, PROJ_OPS + f'where = "{where}"\n')
    assert result.code == 1
    assert reason in result.out.split('\n', 1)[0]


def test_a_lower_case_key_is_suggested_in_upper_case(repo):
    result = _hook(repo, 'fix: proj-12 add login')
    assert 'write the message like: fix: PROJ-12 add login\n' in result.out


def test_utf8_is_no_near_miss_without_projects(repo):
    result = _hook(repo, 'convert to utf-8', '[commit.jira]\n')
    assert 'no Jira issue key (any project) in the subject line (main)\n' in result.out


JIRA_AND_CONVENTIONAL = PROJ_OPS + '[commit.conventional]\n'


@pytest.mark.parametrize(('toml', 'message'), (
    pytest.param(JIRA_AND_CONVENTIONAL, 'add login', id='neither'),
    pytest.param(JIRA_AND_CONVENTIONAL, 'Feature: add login', id='bad-type-no-key'),
    pytest.param(JIRA_AND_CONVENTIONAL, 'feat:add login', id='no-space-no-key'),
    pytest.param(JIRA_AND_CONVENTIONAL, 'PROJ-12 add login', id='key-but-no-type'),
    pytest.param(JIRA_AND_CONVENTIONAL.replace('[commit.conventional]', 'where = "scope"\n'
                                               '[commit.conventional]'), 'add login',
                 id='scope-neither'),
    pytest.param(JIRA_AND_CONVENTIONAL.replace('[commit.conventional]', 'where = "anywhere"\n'
                                               '[commit.conventional]'), 'Fix login crash',
                 id='anywhere-word-type'),
))
def test_jira_and_conventional_suggest_one_message_that_passes_both(repo, toml, message):
    result = _hook(repo, message, toml)
    assert result.code == 1
    suggested = {line.split('write the message like: ', 1)[1]
                 for line in result.out.splitlines() if 'write the message like: ' in line}
    assert len(suggested) == 1, result.out
    again = _hook(repo, suggested.pop(), toml)
    assert (again.code, again.out) == (0, '')
