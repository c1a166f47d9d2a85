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


# --- end to end: git push through the hook to a loopback Gitea --------------------------------

NOT_ALLOWED = 'Not allowed to push to protected branch main'


@pytest.fixture
def forge(github):
    """The loopback forge (API + git) with a Gitea policy; `github` only names the server."""
    github.policy('cache-ttl = 0\n', 'gitea')
    github.forge.reply('/user', {'login': 'ada'})
    github.forge.reply('/repos/o/r/branch_protections', {'message': 'token is required'},
                       status=403)
    github.forge.reply('/repos/o/r/tag_protections', [])
    return github


def _branch_reply(forge, name, **fields):
    forge.forge.reply(f'/repos/o/r/branches/{name}', {
        **json.loads((FIXTURES / 'branch-get.json').read_text()), 'name': name, **fields})


def test_e2e_direct_push_to_a_pull_request_only_branch(forge):
    _branch_reply(forge, 'main', protected=True, user_can_push=False,
                  effective_branch_protection_name='main')
    forge.forge.refuse(NOT_ALLOWED, 'refs/heads/main')
    sha = forge.commit('feat: straight to main')
    code, said = forge.push('--no-verify', 'origin', 'main')
    assert code == 1 and NOT_ALLOWED in said
    code, said = forge.push('origin', 'main', env={'PUSHGUARD_TOKEN': 'gitea_secret_1'})
    assert code == 1 and '[protected-branch]' in said and 'pre-receive hook declined' not in said
    assert 'Gitea branch protection "main"' in said and NOT_ALLOWED in said
    assert f'git push origin {sha[:12]}:refs/heads/main-{sha[:8]}' in said
    assert f'/o/r/compare/main...main-{sha[:8]}' in said
    assert 'gitea_secret_1' not in said
    sent = [h.get('Authorization') for p, h in forge.forge.requests if p.startswith('/api/')]
    assert sent and set(sent) == {'token gitea_secret_1'}


def test_e2e_force_push_refused_by_a_readable_protection(forge):
    _branch_reply(forge, 'main', protected=True, user_can_push=True)
    forge.forge.reply('/repos/o/r/branch_protections', [_protection('main', enable_push=True)])
    forge.forge.refuse('Branch main is protected from force push', 'refs/heads/main',
                       '! git merge-base --is-ancestor $old $new')
    forge.git('commit', '-q', '--amend', '--allow-empty', '-m', 'feat: start, reworded')
    assert forge.push('--force', '--no-verify', 'origin', 'main')[0] == 1
    code, said = forge.push('--force', 'origin', 'main')
    assert code == 1 and '[force-push]' in said and 'protected from force push' in said
    assert '[protected-branch]' not in said


def test_e2e_deleting_a_protected_branch(forge):
    forge.git('push', '-q', '--no-verify', 'origin', 'main:release')
    _branch_reply(forge, 'release', protected=True, user_can_push=True)
    forge.forge.refuse('Branch release is protected from deletion', 'refs/heads/release',
                       'expr "$new" : "^0*$" >/dev/null')
    assert forge.push('--no-verify', 'origin', ':release')[0] == 1
    code, said = forge.push('origin', ':release')
    assert code == 1 and '[branch-deletion]' in said and 'protected from deletion' in said


def test_e2e_new_unprotected_branch_goes_through(forge):
    forge.forge.reply('/repos/o/r/branches/feature', {'message': 'not found'}, status=404)
    forge.forge.reply('/repos/o/r/branch_protections', [_protection('main')])
    forge.git('checkout', '-q', '-b', 'feature')
    forge.commit('feat: new work')
    code, said = forge.push('origin', 'feature')
    assert code == 0 and '[' not in said.replace('[new branch]', ''), said


def test_e2e_push_allow_list_is_a_note_and_goes_through(forge):
    _branch_reply(forge, 'main', protected=True, user_can_push=True)
    forge.forge.reply('/repos/o/r/branch_protections', [_protection(
        'main', enable_push=True, enable_push_whitelist=True, push_whitelist_usernames=['ada'])])
    forge.commit('feat: allowed')
    code, said = forge.push('origin', 'main')
    assert code == 0, said
    assert 'may bypass it' in said and 'push allow-list' in said


def test_e2e_protected_tag(forge):
    forge.forge.reply('/repos/o/r/tag_protections', [
        {'id': 1, 'name_pattern': 'v*', 'whitelist_usernames': ['release-bot'],
         'whitelist_teams': []}])
    forge.forge.refuse('Tag v1.0 is protected', 'refs/tags/v1.0')
    forge.git('tag', 'v1.0')
    assert forge.push('--no-verify', 'origin', 'v1.0')[0] == 1
    code, said = forge.push('origin', 'v1.0')
    assert code == 1 and '[protected-tag]' in said and 'Gitea protected tag "v*"' in said
    forge.git('tag', 'other')
    assert forge.push('origin', 'other')[0] == 0


@pytest.mark.parametrize('status', (401, 403))
def test_e2e_refused_token_is_a_warning_naming_what_went_unchecked(forge, status):
    forge.forge.token = 'the-right-one'
    forge.forge.reply('/repos/o/r/tag_protections', {'message': 'no'}, status=status)
    forge.commit('feat: more')
    code, said = forge.push('origin', 'main', env={'PUSHGUARD_TOKEN': 'a_wrong_secret'})
    assert code == 0, said
    assert '[remote]' in said and 'a_wrong_secret' not in said
