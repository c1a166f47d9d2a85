from __future__ import annotations

import json
import pathlib

import pytest

from pushguard.forges import bitbucket
from pushguard.forges.bitbucket import Answer, Who
from testing.run import run_pushguard

FIXTURES = pathlib.Path(__file__).parent / 'fixtures' / 'bitbucket-cloud'
WEB = 'https://bitbucket.org/ws/repo'
FORBIDDEN = Answer(403, why='HTTP 403 Forbidden')
ADA = Who(frozenset({'ada', '{uuid-ada}'}))


def _load(name):
    return json.loads((FIXTURES / name).read_text())


def _restriction(kind, pattern='main', users=(), groups=(), **extra):
    return {'kind': kind, 'pattern': pattern, 'branch_match_kind': 'glob', 'id': 7,
            'users': [{'nickname': u, 'type': 'user'} for u in users],
            'groups': [{'slug': g} for g in groups], **extra}


def _facts(ref, live=FORBIDDEN, model=None, who=ADA, shipped=None, default='master'):
    answers = {'restrictions': live, 'model': model or Answer(200, _load('branching-model.json'))}
    return bitbucket.build(answers, [ref], default_branch=default, web=WEB,
                           shipped=bitbucket.from_config(shipped), who=who)[ref]


def _page(*values):
    return Answer(200, {'values': list(values), 'page': 1, 'pagelen': 100})


@pytest.mark.parametrize(('pattern', 'name', 'expected'), (
    pytest.param('main', 'main', True, id='literal'),
    pytest.param('main', 'mainx', False, id='anchored'),
    pytest.param('release/*', 'release/1.0', True, id='star'),
    pytest.param('release/*', 'release/a/b', None, id='star-across-slash-unconfirmed'),
    pytest.param('PROJ-?', 'PROJ-1', True, id='question-mark'),
    pytest.param('a.b', 'axb', False, id='dot-literal'),
))
def test_cloud_globs(pattern, name, expected):
    assert bitbucket.glob_match(pattern, name) is expected


def test_branching_model_types_from_the_fixture():
    model = _load('branching-model.json')
    assert bitbucket.model_types(model, 'master', 'master') == {'development'}
    assert bitbucket.model_types(model, 'production', 'master') == {'production'}
    assert bitbucket.model_types(model, 'feature/x', 'master') == {'feature'}
    assert bitbucket.model_types(model, 'topic', 'master') == set()


def test_live_restrictions_from_the_fixture():
    fact = _facts('refs/heads/master', live=Answer(200, _load('branch-restrictions.json')))
    rules = {rule.check: rule for rule in fact.rules}
    assert set(rules) == {'force-push', 'branch-deletion'}  # merge-time kinds act on PRs only
    assert rules['force-push'].source == 'Bitbucket restriction force on "master" (id 26520790)'
    assert all(rule.certain and not rule.bypass for rule in fact.rules)
    assert fact.unread == ()
    assert ('settings', f'{WEB}/admin/branch-restrictions') in fact.links
    assert _facts('refs/heads/topic', live=Answer(200, _load('branch-restrictions.json'))) \
        .rules == ()


def test_push_restriction_with_nobody_listed_means_pull_requests_only():
    (rule,) = _facts('refs/heads/main', live=_page(_restriction('push'))).rules
    assert rule.check == 'protected-branch' and rule.certain
    assert rule.server_says == 'Permission denied to update branch main.'
    assert 'pull request' in rule.reason


def test_any_matching_push_restriction_listing_the_user_grants_write():
    live = _page(_restriction('push', pattern='*'), _restriction('push', users=['ada']))
    (rule,) = _facts('refs/heads/main', live=live).rules
    assert rule.bypass


def test_access_tokens_cannot_be_exempted():
    live = _page(_restriction('push', users=['ada']))
    (rule,) = _facts('refs/heads/main', live=live, who=Who(access_token=True)).rules
    assert not rule.bypass and rule.certain
    assert 'access token cannot be exempted' in rule.reason


@pytest.mark.parametrize(('who', 'users', 'groups'), (
    pytest.param(Who(), ['bob'], [], id='user-unknown'),
    pytest.param(ADA, ['bob'], ['devs'], id='group-membership-unknown'),
))
def test_unknown_exemption_is_a_warning(who, users, groups):
    live = _page(_restriction('push', users=users, groups=groups))
    (rule,) = _facts('refs/heads/main', live=live, who=who).rules
    assert not rule.certain and not rule.bypass


def test_star_across_slash_is_a_warning():
    (rule,) = _facts('refs/heads/release/a/b', live=_page(_restriction('force', 'release/*'))).rules
    assert not rule.certain


def test_branching_model_restriction():
    live = _page(_restriction('delete', pattern='', branch_match_kind='branching_model',
                              branch_type='production'))
    (rule,) = _facts('refs/heads/production', live=live).rules
    assert rule.check == 'branch-deletion' and 'branch type production' in rule.source
    assert _facts('refs/heads/master', live=live).rules == ()
    unknown = _facts('refs/heads/production', live=live, model=FORBIDDEN)
    assert unknown.rules == () and 'branching model' in unknown.unread[0]


def test_unreadable_without_config_is_one_note():
    fact = _facts('refs/heads/main')
    assert fact.rules == ()
    (note,) = fact.unread
    assert 'repository:admin' in note and '[[remote.restrictions]]' in note
    assert 'HTTP 403 Forbidden' in note


def test_unreadable_uses_the_admin_shipped_rules():
    shipped = [(('kind', 'push'), ('pattern', 'main'), ('users', ('ada',))),
               (('kind', 'force'), ('branch-type', 'development'))]
    fact = _facts('refs/heads/main', shipped=shipped, default='main')
    rules = {rule.check: rule for rule in fact.rules}
    assert rules['protected-branch'].bypass
    assert rules['protected-branch'].source == '.pushguard.toml [[remote.restrictions]] #1 (push)'
    assert rules['force-push'].certain and fact.unread == ()


def test_live_rules_win_over_shipped_ones():
    shipped = [(('kind', 'push'), ('pattern', 'main'))]
    assert _facts('refs/heads/main', live=_page(), shipped=shipped).rules == ()


def test_shipped_empty_list_means_no_restrictions():
    fact = _facts('refs/heads/main', shipped=[])
    assert fact.rules == () and fact.unread == ()


def test_tags_are_not_restricted_on_cloud():
    assert _facts('refs/tags/v1', live=_page(_restriction('push', pattern='*'))) == \
        bitbucket.RefFacts('refs/tags/v1')


def test_more_pages_than_read_is_said():
    live = Answer(200, {'values': [], 'next': 'https://api.bitbucket.org/...page=2'})
    assert 'first page' in _facts('refs/heads/main', live=live).unread[-1]


def test_who_from_user_answer():
    user = Answer(200, {'nickname': 'ada', 'uuid': '{u}', 'account_id': '123', 'type': 'user'})
    assert bitbucket.who_from(user, object()).ids == {'ada', '{u}', '123'}
    assert bitbucket.who_from(FORBIDDEN, object()) == Who()


# --- [[remote.restrictions]] in the config ------------------------------------------------------

def _config(repo, body, platform='bitbucket'):
    (repo / '.pushguard.toml').write_text(f'[remote]\nplatform = "{platform}"\n{body}')
    (repo / 'msg').write_text('feat: x\n')
    return run_pushguard('hook', 'commit-msg', 'msg')


@pytest.mark.parametrize(('body', 'platform', 'expected'), (
    pytest.param('[[remote.restrictions]]\nkind = "read-only"\npattern = "main"\n', 'bitbucket',
                 "key remote.restrictions #1.kind: 'read-only' is not a Bitbucket Cloud",
                 id='server-kind-on-cloud'),
    pytest.param('[[remote.restrictions]]\nkind = "push"\npattern = "main"\n', 'bitbucket-server',
                 "'push' is not a Bitbucket Data Center", id='cloud-kind-on-server'),
    pytest.param('[[remote.restrictions]]\nkind = "push"\n', 'bitbucket',
                 'key remote.restrictions #1: give exactly one of pattern and branch-type',
                 id='no-pattern'),
    pytest.param('[[remote.restrictions]]\nkind = "push"\npattern = "m"\nuser = ["a"]\n',
                 'bitbucket', "key remote.restrictions #1: unknown key 'user'", id='unknown-key'),
    pytest.param('[[remote.restrictions]]\nkind = "push"\nbranch-type = "main"\n', 'bitbucket',
                 'key remote.restrictions #1.branch-type:', id='bad-branch-type'),
    pytest.param('[[remote.restrictions]]\nkind = "push"\npattern = "m"\n', 'gitea',
                 'key remote.restrictions: only Bitbucket', id='not-bitbucket'),
    pytest.param('restrictions = "main"\n', 'bitbucket', 'key remote.restrictions:',
                 id='not-an-array'),
))
def test_bad_restrictions_are_one_line_errors(repo, body, platform, expected):
    result = _config(repo, body, platform)
    assert result.code == 2
    assert expected in result.err and '.pushguard.toml' in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_restrictions_reach_the_config_record(repo):
    from pushguard import config
    body = ('[[remote.restrictions]]\nkind = "push"\npattern = "main"\nusers = ["ada"]\n'
            '[[remote.restrictions]]\nkind = "delete"\nbranch-type = "production"\n')
    assert _config(repo, body).code == 0
    for _ in range(2):  # the second read comes from the policy cache
        restrictions = config.load().remote.restrictions
        assert bitbucket.from_config(restrictions) == (
            bitbucket.Restriction('push', '.pushguard.toml [[remote.restrictions]] #1 (push)',
                                  'main', '', (frozenset({'ada'}),), ()),
            bitbucket.Restriction('delete', '.pushguard.toml [[remote.restrictions]] #2 (delete)',
                                  '', 'production'),
        )
    assert config.Config().remote.restrictions is None


# --- end to end: git push through the hook to a loopback Bitbucket Cloud -----------------------

DENIED = 'Permission denied to update branch main.'
SHIPPED_PR_ONLY = '[[remote.restrictions]]\nkind = "push"\npattern = "main"\n'


@pytest.fixture
def cloud(github):
    """The loopback forge (API + git) with a Bitbucket Cloud policy; `github` only names it."""
    github.policy('cache-ttl = 0\n', 'bitbucket')
    github.forge.reply('/repositories/o/r/branch-restrictions', {'type': 'error'}, status=403)
    github.forge.reply('/repositories/o/r/effective-branching-model',
                       _load('branching-model.json'))
    github.forge.reply('/user', {'nickname': 'ada', 'uuid': '{ada}', 'type': 'user'})
    return github


def _live(cloud, *values):
    cloud.forge.reply('/repositories/o/r/branch-restrictions', {'values': list(values)})


def test_e2e_story_3_admin_shipped_pull_request_only_main(cloud):
    cloud.policy(f'cache-ttl = 0\n{SHIPPED_PR_ONLY}', 'bitbucket')
    cloud.forge.refuse(f'remote: {DENIED}', 'refs/heads/main')
    sha = cloud.commit('feat: straight to main')
    code, said = cloud.push('--no-verify', 'origin', 'main')
    assert code == 1 and DENIED in said
    code, said = cloud.push('origin', 'main', env={'BITBUCKET_TOKEN': 'bb_secret_story3'})
    assert code == 1 and '[protected-branch]' in said and 'pre-receive hook declined' not in said
    assert '.pushguard.toml [[remote.restrictions]] #1 (push)' in said and DENIED in said
    assert f'git push origin {sha[:12]}:refs/heads/main-{sha[:8]}' in said
    assert f'/o/r/pull-requests/new?source=main-{sha[:8]}&dest=main' in said
    assert 'bb_secret_story3' not in said


def test_e2e_live_restrictions_win_and_force_push_is_refused(cloud):
    _live(cloud, _restriction('force', 'main'))
    cloud.policy(f'cache-ttl = 0\n{SHIPPED_PR_ONLY}', 'bitbucket')  # stale: the live list wins
    cloud.forge.refuse('remote: force push refused', 'refs/heads/main',
                       '! git merge-base --is-ancestor $old $new')
    cloud.git('commit', '-q', '--amend', '--allow-empty', '-m', 'feat: start, reworded')
    assert cloud.push('--force', '--no-verify', 'origin', 'main')[0] == 1
    code, said = cloud.push('--force', 'origin', 'main')
    assert code == 1 and '[force-push]' in said and 'Bitbucket restriction force on "main"' in said
    assert '[protected-branch]' not in said


def test_e2e_deleting_a_restricted_branch(cloud):
    cloud.git('push', '-q', '--no-verify', 'origin', 'main:production')
    _live(cloud, _restriction('delete', pattern='', branch_match_kind='branching_model',
                              branch_type='production'))
    cloud.forge.refuse('remote: deletion refused', 'refs/heads/production',
                       'expr "$new" : "^0*$" >/dev/null')
    assert cloud.push('--no-verify', 'origin', ':production')[0] == 1
    code, said = cloud.push('origin', ':production')
    assert code == 1 and '[branch-deletion]' in said and 'branch type production' in said


def test_e2e_new_unrestricted_branch_goes_through(cloud):
    _live(cloud, _restriction('push', 'main'))
    cloud.git('checkout', '-q', '-b', 'feature/x')
    cloud.commit('feat: new work')
    code, said = cloud.push('origin', 'feature/x')
    assert code == 0 and '[' not in said.replace('[new branch]', ''), said


def test_e2e_exempt_user_is_a_note_and_goes_through(cloud):
    _live(cloud, _restriction('push', users=['ada']))
    cloud.commit('feat: allowed')
    code, said = cloud.push('origin', 'main', env={'BITBUCKET_TOKEN': 'oauth-user-token'})
    assert code == 0, said
    assert 'may bypass it' in said and 'this user is exempt' in said


def test_e2e_access_token_cannot_be_exempted(cloud):
    cloud.policy('cache-ttl = 0\n[[remote.restrictions]]\nkind = "push"\npattern = "main"\n'
                 'users = ["ci-bot"]\n', 'bitbucket')
    cloud.forge.reply('/user', {'type': 'error'}, status=403)  # access tokens have no account
    cloud.forge.refuse(f'remote: {DENIED}', 'refs/heads/main')
    cloud.commit('chore(release): 1.0')
    code, said = cloud.push('origin', 'main', env={'BITBUCKET_TOKEN': 'repo_access_token'})
    assert code == 1 and '[protected-branch]' in said
    assert 'access token cannot be exempted' in said and 'repo_access_token' not in said


@pytest.mark.parametrize('status', (401, 403))
def test_e2e_unreadable_restrictions_without_config_is_the_admin_note(cloud, status):
    cloud.forge.reply('/repositories/o/r/branch-restrictions', {'type': 'error'}, status=status)
    cloud.commit('feat: more')
    code, said = cloud.push('origin', 'main', env={'BITBUCKET_TOKEN': 'bb_secret_401'})
    assert code == 0, said
    assert '[remote]' in said and 'repository:admin' in said
    assert '[[remote.restrictions]]' in said and 'bb_secret_401' not in said


def test_no_settings_link_for_an_access_token():
    fact = _facts('refs/heads/main', live=_page(_restriction('push')), who=Who(access_token=True))
    assert [label for label, _ in fact.links] == ['pull request']


@pytest.mark.parametrize(('header', 'user', 'expected'), (
    pytest.param(('Authorization', 'Bearer tok'), FORBIDDEN, Who(access_token=True),
                 id='bearer-without-account-is-an-access-token'),
    pytest.param(('Authorization', 'Bearer tok'), Answer(200, {'nickname': 'ada'}),
                 Who(frozenset({'ada'})), id='bearer-with-account-is-a-user'),
    pytest.param(('Authorization', 'Basic eC10b2tlbi1hdXRoOnNlY3JldA=='), FORBIDDEN,
                 Who(access_token=True), id='x-token-auth'),
    pytest.param(('Authorization', 'Basic YWRhOnNlY3JldA=='), FORBIDDEN,
                 Who(frozenset({'ada'})), id='basic-user'),
    pytest.param(None, FORBIDDEN, Who(), id='anonymous'),
))
def test_who_the_credential_is(header, user, expected):
    from pushguard.forges._http import Client
    assert bitbucket.who_from(user, Client('http://127.0.0.1:9', header, 1.0)) == expected


def test_config_file_restrictions_reach_the_forge_module(cloud, tmp_path):
    """`--config FILE` names the policy: its shipped restrictions are the ones used (the module
    no longer re-reads .pushguard.toml), and a change to them is not answered from the cache."""
    from testing.run import run_console
    cloud.policy('cache-ttl = 300\n', 'bitbucket')  # the repository's policy ships none
    other = tmp_path / 'team.toml'
    other.write_text(f'[remote]\nplatform = "bitbucket"\napi-url = "{cloud.forge.api_url}"\n'
                     f'cache-ttl = 300\n{SHIPPED_PR_ONLY}')
    env = {'BITBUCKET_TOKEN': 'bb_secret_config'}
    result = run_console('remote', 'main', '--config', str(other), cwd=cloud.work, env=env)
    assert result.code == 1, result.out + result.err
    assert 'push: no' in result.out and '[[remote.restrictions]] #1 (push)' in result.out
    result = run_console('remote', 'main', cwd=cloud.work, env=env)  # other restrictions
    assert result.code == 0 and '(cached)' not in result.out, result.out + result.err
    result = run_console('remote', 'main', cwd=cloud.work, env=env)  # the same again: cached
    assert result.code == 0 and '(cached)' in result.out


def test_the_client_names_its_credential_without_the_secret():
    from pushguard.forges._http import Client
    basic = Client('http://127.0.0.1:9', ('Authorization', 'Basic YWRhOnNlY3JldA=='), 1.0)
    assert (basic.scheme, basic.user) == ('Basic', 'ada')
    job = Client('http://127.0.0.1:9', ('JOB-TOKEN', 'glcbt-x'), 1.0)
    assert (job.scheme, job.user) == ('JOB-TOKEN', '')
    assert (Client('http://127.0.0.1:9', None, 1.0).scheme, 'anonymous')[0] == ''
