from __future__ import annotations

import json
import pathlib

import pytest

from pushguard.forges import gitea
from pushguard.forges.gitea import Answer

FIXTURES = pathlib.Path(__file__).parent / 'fixtures' / 'gitea'
WEB = 'https://git.example.com/foo/baz'
FORBIDDEN = Answer(403, why='HTTP 403 Forbidden')


def _branch(**fields):
    data = json.loads((FIXTURES / 'branch-get.json').read_text())
    data.update(fields)
    return Answer(200, data)


def _protection(rule_name, **fields):
    return {'rule_name': rule_name, 'enable_push': False, 'enable_force_push': False,
            'require_signed_commits': False, 'protected_file_patterns': '',
            'unprotected_file_patterns': '', **fields}


def _facts(ref, branch, protections=FORBIDDEN, login='ada', tags=FORBIDDEN, default='main'):
    answers = {ref: branch, 'protections': protections, 'tags': tags,
               'user': Answer(200, {'login': login}) if login else FORBIDDEN}
    return gitea.build(answers, [ref], default_branch=default, web=WEB)[ref]


def _by_check(fact):
    return {rule.check: rule for rule in fact.rules}


@pytest.mark.parametrize(('pattern', 'name', 'matches'), (
    pytest.param('release/*', 'release/1.0', True, id='star-in-segment'),
    pytest.param('release/*', 'release/a/b', False, id='star-stops-at-slash'),
    pytest.param('release/**', 'release/a/b', True, id='double-star-crosses'),
    pytest.param('{main,dev}', 'dev', True, id='alternatives'),
    pytest.param('{main,dev}', 'devx', False, id='alternatives-anchored'),
    pytest.param('v?.x', 'v1.x', True, id='question-mark'),
    pytest.param('v?.x', 'v/.x', False, id='question-not-slash'),
    pytest.param('[!a]x', 'bx', True, id='negated-class'),
    pytest.param('[a-c]x', 'dx', False, id='range'),
    pytest.param('feat\\*', 'feat*', True, id='escape'),
    pytest.param('feat[', 'feat[', True, id='invalid-glob-is-literal'),
    pytest.param('a.b*', 'axb', False, id='dot-is-literal'),
))
def test_gobwas_globs(pattern, name, matches):
    assert bool(gitea.glob_regex(pattern).match(name)) is matches


def test_first_match_plain_names_first_then_order():
    rules = [_protection('**'), _protection('release/*'), _protection('MAIN')]
    assert gitea.first_match(rules, 'main')['rule_name'] == 'MAIN'  # plain, case-insensitive
    assert gitea.first_match(rules, 'release/1')['rule_name'] == '**'  # oldest glob first
    rules[1]['priority'], rules[0]['priority'] = 1, 2
    assert gitea.first_match(rules, 'release/1')['rule_name'] == 'release/*'
    assert gitea.first_match(rules[1:], 'a/b') is None


def test_unprotected_branch_from_the_fixture():
    fact = _facts('refs/heads/feature', _branch(name='feature'))
    assert fact.rules == () and fact.unread == () and fact.can_push is True


def test_default_branch_cannot_be_deleted():
    fact = _facts('refs/heads/main', _branch())
    assert [r.check for r in fact.rules] == ['branch-deletion']
    assert 'default branch' in fact.rules[0].server_says


def test_user_cannot_push_without_reading_the_protection():
    fact = _facts('refs/heads/main', _branch(protected=True, user_can_push=False,
                                             effective_branch_protection_name='main'))
    rules = _by_check(fact)
    assert rules['protected-branch'].certain
    assert rules['protected-branch'].server_says == 'Not allowed to push to protected branch main'
    assert rules['protected-branch'].source == 'Gitea branch protection "main"'
    assert not rules['force-push'].certain  # default: refused, unless the unread rule allows
    assert rules['branch-deletion'].server_says == 'Branch main is protected from deletion'
    assert fact.can_push is False
    assert 'repository admin' in fact.unread[0]
    assert ('settings', f'{WEB}/settings/branches') in fact.links


def test_readable_protection_gives_every_rule():
    rule = _protection('main', require_signed_commits=True, protected_file_patterns='*.lock; ci/**',
                       enable_force_push=True, enable_force_push_allowlist=True,
                       force_push_allowlist_usernames=['Ada'])
    fact = _facts('refs/heads/main', _branch(protected=True, user_can_push=False),
                  protections=Answer(200, [rule]))
    rules = _by_check(fact)
    assert rules['protected-branch'].certain and fact.unread == ()
    assert rules['force-push'].bypass
    assert rules['signature'].server_says.startswith('Branch main is protected from unverified')
    assert dict(rules['forbidden-path'].params)['restricted_file_paths'] == ('*.lock', 'ci/**')


def test_push_allow_list_is_a_bypass_note():
    rule = _protection('main', enable_push=True, enable_push_whitelist=True,
                       push_whitelist_usernames=['ada'])
    fact = _facts('refs/heads/main', _branch(protected=True, user_can_push=True),
                  protections=Answer(200, [rule]))
    rules = _by_check(fact)
    assert rules['protected-branch'].bypass
    assert not rules['force-push'].bypass and rules['force-push'].certain


def test_unprotected_file_patterns_make_the_push_rule_uncertain():
    rule = _protection('main', unprotected_file_patterns='docs/**')
    fact = _facts('refs/heads/main', _branch(protected=True, user_can_push=False),
                  protections=Answer(200, [rule]))
    assert not _by_check(fact)['protected-branch'].certain


def test_new_branch_under_a_protected_glob():
    rules = Answer(200, [_protection('release/*')])
    fact = _facts('refs/heads/release/2', Answer(404, why='HTTP 404'), protections=rules)
    assert _by_check(fact)['protected-branch'].certain
    assert _by_check(fact)['protected-branch'].source == 'Gitea branch protection "release/*"'
    free = _facts('refs/heads/topic', Answer(404, why='HTTP 404'), protections=rules)
    assert free.rules == () and free.unread == ()


def test_new_branch_when_protections_cannot_be_read():
    fact = _facts('refs/heads/topic', Answer(404, why='HTTP 404'))
    assert fact.rules == ()
    assert 'HTTP 403 Forbidden' in fact.unread[0]


def test_branch_answer_failing_is_unread():
    fact = _facts('refs/heads/topic', Answer(500, why='HTTP 500'))
    assert 'branch topic: HTTP 500' in fact.unread


@pytest.mark.parametrize(('pattern', 'users', 'teams', 'expect'), (
    pytest.param('v*', [], [], 'error', id='glob-nobody'),
    pytest.param('/^v[0-9]+\\./', [], [], 'error', id='regex'),
    pytest.param('v*', ['ada'], [], 'bypass', id='allowed-user'),
    pytest.param('v*', ['bob'], ['release'], 'warning', id='team-unknown'),
    pytest.param('x*', [], [], 'none', id='no-match'),
))
def test_protected_tags(pattern, users, teams, expect):
    tags = Answer(200, [{'name_pattern': pattern, 'whitelist_usernames': users,
                         'whitelist_teams': teams}])
    fact = _facts('refs/tags/v1.2', None, tags=tags)
    if expect == 'none':
        assert fact.rules == ()
        return
    (rule,) = fact.rules
    assert rule.check == 'protected-tag' and rule.server_says == 'Tag v1.2 is protected'
    assert (rule.bypass, rule.certain) == {
        'error': (False, True), 'bypass': (True, True), 'warning': (False, False)}[expect]


def test_tag_protections_unreadable():
    fact = _facts('refs/tags/v1', None)
    assert fact.rules == () and 'tag v1' in fact.unread[0]


def test_malformed_answers_are_unread_not_crashes():
    fact = _facts('refs/heads/main', Answer(200, ['not', 'a', 'dict']),
                  protections=Answer(200, {'oops': 1}))
    assert fact.unread and fact.can_push is None
