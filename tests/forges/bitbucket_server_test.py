from __future__ import annotations

import json
import pathlib

import pytest

from pushguard.forges import bitbucket_server
from pushguard.forges.bitbucket import Answer, Who

FIXTURES = pathlib.Path(__file__).parent / 'fixtures' / 'bitbucket-datacenter'
WEB = 'https://bb.example.com/projects/PROJ/repos/app'
UNAUTHORIZED = Answer(401, why='HTTP 401 Unauthorized')
MODEL = Answer(200, {
    'development': {'id': 'refs/heads/develop', 'displayId': 'develop'},
    'production': {'id': 'refs/heads/master', 'displayId': 'master'},
    'types': [{'id': 'FEATURE', 'displayName': 'Feature', 'prefix': 'feature/'},
              {'id': 'RELEASE', 'displayName': 'Release', 'prefix': 'release/'}],
})


def _created():
    """The fixture's restrictions (all on refs/heads/master) as a GET page."""
    return {'values': json.loads((FIXTURES / 'restrictions-created.json').read_text()),
            'size': 4, 'limit': 1000, 'isLastPage': True, 'start': 0}


def _restriction(kind, matcher_id, matcher_type='PATTERN', users=(), groups=(), rid=1):
    return {'id': rid, 'type': kind, 'scope': {'type': 'REPOSITORY', 'resourceId': 1},
            'matcher': {'id': matcher_id, 'displayId': matcher_id, 'active': True,
                        'type': {'id': matcher_type, 'name': matcher_type.title()}},
            'users': [{'name': u, 'slug': u} for u in users], 'groups': list(groups),
            'accessKeys': []}


ADA = Who(frozenset({'ada'}))


def _facts(ref, live=UNAUTHORIZED, project=None, who=ADA, shipped=None,
           model=MODEL):
    answers = {'restrictions': live, 'project': project or Answer(200, {'values': []}),
               'model': model}
    return bitbucket_server.build(answers, [ref], web=WEB, who=who,
                                  shipped=bitbucket_server.from_config(shipped))[ref]


def _page(*values):
    return Answer(200, {'values': list(values), 'isLastPage': True})


@pytest.mark.parametrize(('pattern', 'ref', 'matches'), (
    pytest.param('refs/heads/main', 'refs/heads/main', True, id='full-ref'),
    pytest.param('release/**', 'refs/heads/release/1/2', True, id='double-star'),
    pytest.param('release/*', 'refs/heads/release/1/2', False, id='star-one-segment'),
    pytest.param('release/', 'refs/heads/release/1/2', True, id='trailing-slash'),
    pytest.param('feature-*', 'refs/heads/stable/feature-new', True, id='any-depth'),
    pytest.param('main', 'refs/tags/main', True, id='tags-too-without-refs'),
    pytest.param('refs/heads/*', 'refs/heads/a/b', False, id='anchored-refs'),
    pytest.param('v?', 'refs/tags/v1', True, id='question-mark'),
    pytest.param('**', 'refs/heads/anything/at/all', True, id='any-ref'),
))
def test_data_center_patterns(pattern, ref, matches):
    assert bitbucket_server.pattern_matches(pattern, ref) is matches


def test_the_fixture_restrictions_on_master():
    fact = _facts('refs/heads/master', live=Answer(200, _created()))
    rules = [(rule.check, rule.certain, rule.bypass) for rule in fact.rules]
    assert rules == [
        ('branch-deletion', True, False),  # no-deletes exempts john, not ada
        ('force-push', True, False),  # fast-forward-only
        ('protected-branch', True, False),  # pull-request-only
        ('protected-branch', True, False),  # read-only
    ]
    assert fact.rules[2].server_says == \
        'Branch refs/heads/master can only be modified through pull requests.'
    assert 'id 54' in fact.rules[2].source and 'repository' in fact.rules[2].source
    assert fact.unread == ()
    link = dict(fact.links)['pull request']
    assert link == (f'{WEB}/pull-requests?create&targetBranch=refs%2Fheads%2Fmaster'
                    '&sourceBranch=refs%2Fheads%2F{name}')
    assert _facts('refs/heads/topic', live=Answer(200, _created())).rules == ()


def test_exempt_user_is_a_bypass_note():
    fact = _facts('refs/heads/master', live=Answer(200, _created()), who=Who(frozenset({'john'})))
    assert fact.rules[0].bypass and fact.rules[0].check == 'branch-deletion'


def test_unknown_user_with_exemptions_is_a_warning():
    fact = _facts('refs/heads/master', live=Answer(200, _created()), who=Who())
    assert not fact.rules[0].certain  # no-deletes lists john: is this credential john?
    assert fact.rules[1].certain  # fast-forward-only exempts nobody


def test_model_matchers():
    live = _page(_restriction('pull-request-only', 'production', 'MODEL_BRANCH'),
                 _restriction('no-deletes', 'RELEASE', 'MODEL_CATEGORY', rid=2))
    assert [r.check for r in _facts('refs/heads/master', live=live).rules] == ['protected-branch']
    assert [r.check for r in _facts('refs/heads/release/2', live=live).rules] == \
        ['branch-deletion']
    unknown = _facts('refs/heads/master', live=live, model=Answer(404, why='HTTP 404'))
    assert unknown.rules == () and len(unknown.unread) == 2


def test_tags_are_protected_by_patterns():
    live = _page(_restriction('read-only', 'refs/tags/**'),
                 _restriction('no-deletes', 'refs/tags/**', rid=2))
    fact = _facts('refs/tags/v1.0', live=live)
    assert [(r.check, r.params) for r in fact.rules] == [
        ('protected-tag', ()), ('protected-tag', (('action', 'delete'),))]


def test_project_restrictions_are_read_too_and_each_once():
    live = _page(_restriction('no-deletes', 'main'))
    project = _page(_restriction('no-deletes', 'main'), _restriction('read-only', '**', rid=9))
    fact = _facts('refs/heads/main', live=live, project=project)
    assert [r.check for r in fact.rules] == ['branch-deletion', 'protected-branch']


def test_project_restrictions_unreadable_is_said():
    fact = _facts('refs/heads/main', live=_page(), project=UNAUTHORIZED)
    assert fact.rules == () and 'PROJECT_ADMIN' in fact.unread[0]


def test_unreadable_without_config_is_one_note():
    (note,) = _facts('refs/heads/main').unread
    assert 'REPO_ADMIN' in note and 'HTTP 401' in note and '[[remote.restrictions]]' in note


def test_unreadable_uses_the_admin_shipped_rules():
    shipped = [(('kind', 'pull-request-only'), ('pattern', 'refs/heads/main')),
               (('kind', 'fast-forward-only'), ('branch-type', 'release'), ('users', ('ada',)))]
    fact = _facts('refs/heads/main', shipped=shipped)
    (rule,) = fact.rules
    assert rule.source == '.pushguard.toml [[remote.restrictions]] #1 (pull-request-only)'
    assert rule.certain and fact.unread == ()
    (bypassed,) = _facts('refs/heads/release/3', shipped=shipped).rules
    assert bypassed.check == 'force-push' and bypassed.bypass


def test_malformed_page_is_no_crash():
    fact = _facts('refs/heads/main', live=Answer(200, {'values': [{'type': 'read-only'}, 'x']}))
    assert fact.rules == ()  # a restriction without a matcher matches nothing


# --- end to end: git push through the hook to a loopback Bitbucket Data Center -----------------

PR_ONLY = ('remote: Branch refs/heads/main can only be modified through pull requests.\n'
           'remote: Check your branch permissions configuration with the project administrator.')
RESTRICTIONS = '/branch-permissions/latest/projects/o/repos/r/restrictions'


@pytest.fixture
def server(github):
    """The loopback forge (API + git) with a Data Center policy; `github` only names it. The
    repository o/r is project `o`, repository `r`."""
    github.policy('cache-ttl = 0\n', 'bitbucket-server')
    github.forge.reply(RESTRICTIONS, {'errors': [{'message': 'no'}]}, status=401)
    github.forge.reply('/branch-permissions/latest/projects/o/restrictions', {'errors': []},
                       status=401)
    github.forge.reply('/branch-utils/latest/projects/o/repos/r/branchmodel', MODEL.data)
    return github


def _live_page(server, *values):
    server.forge.reply(RESTRICTIONS, {'values': list(values), 'isLastPage': True})
    server.forge.reply('/branch-permissions/latest/projects/o/restrictions',
                       {'values': [], 'isLastPage': True})


def test_e2e_pull_request_only_main(server):
    _live_page(server, _restriction('pull-request-only', 'refs/heads/main', 'BRANCH'))
    server.forge.refuse(PR_ONLY, 'refs/heads/main')
    sha = server.commit('feat: straight to main')
    code, said = server.push('--no-verify', 'origin', 'main')
    assert code == 1 and 'can only be modified through pull requests' in said
    code, said = server.push('origin', 'main', env={'BITBUCKET_TOKEN': 'bbdc_secret_1'})
    assert code == 1 and '[protected-branch]' in said and 'pre-receive hook declined' not in said
    assert 'Branch refs/heads/main can only be modified through pull requests.' in said
    assert f'git push origin {sha[:12]}:refs/heads/main-{sha[:8]}' in said
    assert (f'/projects/o/repos/r/pull-requests?create&targetBranch=refs%2Fheads%2Fmain'
            f'&sourceBranch=refs%2Fheads%2Fmain-{sha[:8]}') in said
    assert 'bbdc_secret_1' not in said


def test_e2e_fast_forward_only_refuses_a_force_push(server):
    _live_page(server, _restriction('fast-forward-only', 'main'))
    server.forge.refuse('remote: rewrite refused', 'refs/heads/main',
                        '! git merge-base --is-ancestor $old $new')
    server.git('commit', '-q', '--amend', '--allow-empty', '-m', 'feat: start, reworded')
    assert server.push('--force', '--no-verify', 'origin', 'main')[0] == 1
    code, said = server.push('--force', 'origin', 'main')
    assert code == 1 and '[force-push]' in said and 'restriction fast-forward-only' in said
    server.git('reset', '-q', '--hard', 'origin/main')
    server.commit('feat: on top')
    assert server.push('origin', 'main')[0] == 0


def test_e2e_no_deletes(server):
    server.git('push', '-q', '--no-verify', 'origin', 'main:release/1')
    _live_page(server, _restriction('no-deletes', 'RELEASE', 'MODEL_CATEGORY'))
    server.forge.refuse('remote: deletion refused', 'refs/heads/release/1',
                        'expr "$new" : "^0*$" >/dev/null')
    assert server.push('--no-verify', 'origin', ':release/1')[0] == 1
    code, said = server.push('origin', ':release/1')
    assert code == 1 and '[branch-deletion]' in said and '"RELEASE"' in said


def test_e2e_new_unrestricted_branch_goes_through(server):
    _live_page(server, _restriction('read-only', 'refs/heads/main', 'BRANCH'))
    server.git('checkout', '-q', '-b', 'feature/x')
    server.commit('feat: new work')
    code, said = server.push('origin', 'feature/x')
    assert code == 0 and '[' not in said.replace('[new branch]', ''), said


def test_e2e_protected_tag(server):
    _live_page(server, _restriction('read-only', 'refs/tags/v*'))
    server.forge.refuse('remote: tag refused', 'refs/tags/v1.0')
    server.git('tag', 'v1.0')
    assert server.push('--no-verify', 'origin', 'v1.0')[0] == 1
    code, said = server.push('origin', 'v1.0')
    assert code == 1 and '[protected-tag]' in said and 'restriction read-only' in said
    server.git('tag', 'other')
    assert server.push('origin', 'other')[0] == 0


def test_e2e_exemption_of_an_unknown_user_is_a_warning(server):
    _live_page(server, _restriction('read-only', '**', users=['release-bot']))
    server.commit('feat: maybe allowed')
    code, said = server.push('origin', 'main', env={'BITBUCKET_TOKEN': 'personal-token'})
    assert code == 0, said
    assert 'warning [protected-branch]' in said and 'may be refused' in said


def test_e2e_401_is_the_admin_note_and_config_fills_in(server):
    server.commit('feat: more')
    code, said = server.push('origin', 'main', env={'BITBUCKET_TOKEN': 'bbdc_secret_401'})
    assert code == 0, said
    assert '[remote]' in said and 'REPO_ADMIN' in said and '[[remote.restrictions]]' in said
    assert 'bbdc_secret_401' not in said
    server.policy('cache-ttl = 0\n[[remote.restrictions]]\nkind = "pull-request-only"\n'
                  'pattern = "refs/heads/main"\n', 'bitbucket-server')
    server.forge.refuse(PR_ONLY, 'refs/heads/main')
    server.commit('feat: again')
    code, said = server.push('origin', 'main', env={'BITBUCKET_TOKEN': 'bbdc_secret_401'})
    assert code == 1 and '[protected-branch]' in said and '[remote]' not in said
    assert '.pushguard.toml [[remote.restrictions]] #1 (pull-request-only)' in said


def test_e2e_exempt_user_from_git_credentials_is_a_note_and_goes_through(server):
    _live_page(server, _restriction('read-only', 'refs/heads/main', 'BRANCH', users=['ada']))
    server.git('config', 'credential.helper',
               '!f() { echo username=ada; echo password=dc_pw_secret; }; f')
    server.commit('feat: exempt push')
    code, said = server.push('origin', 'main')
    assert code == 0, said
    assert 'may bypass it' in said and 'this user is exempt' in said
    assert 'dc_pw_secret' not in said
    sent = {h.get('Authorization') for p, h in server.forge.requests if p.startswith('/api/')}
    assert sent and all(value and value.startswith('Basic ') for value in sent)
