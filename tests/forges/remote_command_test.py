"""`pushguard remote [BRANCH|TAG] [--remote NAME] [--format json]`, and `git push --dry-run`."""
from __future__ import annotations

import json

from forge_github_test import ruleset
from testing.run import run_console


def test_story_1_an_early_pipeline_step_says_the_token_cannot_push_to_main(github):
    ruleset(github.forge, 'main', ('pull_request', {}), name='release gate')
    result = run_console('remote', 'main', cwd=github.work, env={'GITHUB_TOKEN': 'ghs_pipeline'})
    assert result.code == 1, result.out + result.err
    assert 'push: no: changes must be made through a pull request (ruleset "release gate"' \
        in result.out
    assert 'way through: git push origin HEAD:refs/heads/main-change' in result.out
    assert '/o/r/compare/main...main-change?expand=1' in result.out
    assert 'settings: ' in result.out and 'asked with GITHUB_TOKEN' in result.out
    assert 'ghs_pipeline' not in result.out + result.err


def test_json_says_what_each_action_would_meet(github):
    ruleset(github.forge, 'main', ('non_fast_forward', {}), ('deletion', {}))
    result = run_console('remote', '--remote', 'origin', '--format', 'json', cwd=github.work)
    assert result.code == 0, result.err
    said = json.loads(result.out)
    assert said['forge'] == 'github' and said['ref'] == 'refs/heads/main'
    assert said['can'] == {'push': 'yes', 'force-push': 'no', 'create': 'yes', 'delete': 'no'}
    assert {r['check'] for r in said['rules']} == {'force-push', 'branch-deletion'}


def test_a_local_remote_has_no_forge_to_ask(github, tmp_path):
    github.git('remote', 'add', 'disk', str(tmp_path))
    result = run_console('remote', 'main', '--remote', 'disk', cwd=github.work)
    assert result.code == 2 and result.err.count('\n') == 1 and 'no forge to ask' in result.err


def test_story_2_gitlab_job_token_reads_what_it_can(gitlab):
    gitlab.forge.reply('/projects/group%2Fsub%2Fr/repository/branches/main',
                       {'name': 'main', 'protected': True, 'can_push': False})
    gitlab.forge.reply('/projects/group%2Fsub%2Fr/protected_branches', {}, status=403)
    result = run_console('remote', 'main', cwd=gitlab.work, env={'CI_JOB_TOKEN': 'jobsecret'})
    assert result.code == 1
    assert 'push: no' in result.out and 'not read: the protected-branch settings' in result.out
    assert 'asked with CI_JOB_TOKEN' in result.out and 'jobsecret' not in result.out


def test_git_push_dry_run_is_a_real_pre_check_of_the_servers_rules(github):
    ruleset(github.forge, 'main', ('pull_request', {}))
    github.forge.refuse('GH013: Changes must be made through a pull request.', 'refs/heads/main')
    github.commit('feat: more')
    assert github.push('--dry-run', '--no-verify', 'origin', 'main')[0] == 0  # git alone: fine
    code, said = github.push('--dry-run', 'origin', 'main')
    assert code == 1 and '[protected-branch]' in said


def test_check_asks_the_forge_when_the_branch_has_a_remote(github):
    ruleset(github.forge, 'main', ('pull_request', {}))
    github.git('branch', '-q', '--set-upstream-to', 'origin/main')
    github.commit('feat: more')
    result = run_console('check', '--format', 'json', cwd=github.work)
    assert result.code == 1, result.out + result.err
    assert [f['check'] for f in json.loads(result.out)['findings']] == ['protected-branch']
    github.git('checkout', '-q', '-b', 'loose')  # no upstream: nothing to ask
    assert run_console('check', 'origin/main..HEAD', cwd=github.work).code == 0


def test_a_tag_made_elsewhere_is_asked_about_as_a_tag(github):
    """`pushguard remote v1.0` where v1.0 is on the remote only (a release job made it)."""
    github.forge.reply('/repos/o/r/rulesets', [{'id': 7, 'name': 'release tags', 'target': 'tag'}])
    github.forge.reply('/repos/o/r/rulesets/7', {
        'id': 7, 'name': 'release tags', 'target': 'tag', 'enforcement': 'active',
        'current_user_can_bypass': 'never',
        'conditions': {'ref_name': {'include': ['refs/tags/v*'], 'exclude': []}},
        'rules': [{'type': 'update'}, {'type': 'deletion'}]})
    github.git('tag', 'v1.0')
    github.git('push', '-q', '--no-verify', 'origin', 'v1.0')
    github.git('tag', '-d', 'v1.0')
    result = run_console('remote', 'v1.0', '--format', 'json', cwd=github.work)
    assert result.code == 1, result.out + result.err
    said = json.loads(result.out)
    assert said['ref'] == 'refs/tags/v1.0' and said['can']['move'] == 'no'
    result = run_console('remote', 'topic', '--format', 'json', cwd=github.work)
    assert json.loads(result.out)['ref'] == 'refs/heads/topic'  # on neither side: a branch
