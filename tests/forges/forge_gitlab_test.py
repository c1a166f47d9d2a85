"""GitLab end to end: real `git push` through the installed pre-push hook to a loopback GitLab
(nested group path) serving the API and the repository; its pre-receive hook plays GitLab."""
from __future__ import annotations

import json

from pushguard import streamed
from testing.forge_server import fixture
from testing.run import run_pushguard

P = '/projects/group%2Fsub%2Fr'
NOT_ALLOWED = 'GitLab: You are not allowed to push code to protected branches on this project.'
FORBIDDEN = {'message': '403 Forbidden'}


def branch(forge, name='main', **fields):
    forge.reply(f'{P}/repository/branches/{name}', {**fixture('gitlab/repository-branch.json'),
                                                    'name': name, **fields})


def protect(forge, name='main', **fields):
    forge.reply(f'{P}/protected_branches', [{**fixture('gitlab/protected-branch.json'),
                                            'name': name, **fields}])


def test_story_2_a_ci_job_token_that_may_not_push_to_a_protected_branch(gitlab):
    branch(gitlab.forge, protected=True, can_push=False)
    gitlab.forge.reply(f'{P}/protected_branches', FORBIDDEN, status=403)
    gitlab.forge.reply(f'{P}/push_rule', FORBIDDEN, status=403)
    gitlab.forge.refuse(NOT_ALLOWED, 'refs/heads/main')
    gitlab.commit('chore(release): 2.0.0')
    assert gitlab.push('--no-verify', 'origin', 'main')[0] == 1
    code, said = gitlab.push('origin', 'main', env={'CI_JOB_TOKEN': 'glcbt-jobsecret'})
    assert code == 1 and '[protected-branch]' in said
    assert 'You are not allowed to push code to protected branches' in said
    assert 'project access token with the write_repository scope' in said
    assert 'Allowed to push and merge' in said
    assert said.count('warning [remote]') == 2 and 'CI job token never reads them' in said
    assert 'merge_requests/new' in said and 'glcbt-jobsecret' not in said
    sent = [{k.lower(): v for k, v in h.items()} for p, h in gitlab.forge.requests
            if p.startswith('/api/')]
    assert sent and all(h.get('job-token') == 'glcbt-jobsecret' for h in sent)


def test_a_developer_token_is_sent_as_private_token(gitlab):
    branch(gitlab.forge, protected=False, can_push=True)
    gitlab.commit('feat: more')
    code, said = gitlab.push('origin', 'main', env={'GITLAB_TOKEN': 'glpat-devsecret'})
    assert code == 0 and 'glpat-devsecret' not in said
    assert any({k.lower(): v for k, v in h.items()}.get('private-token') == 'glpat-devsecret'
               for _, h in gitlab.forge.requests)


def test_force_push_to_a_protected_branch(gitlab):
    branch(gitlab.forge, protected=True, can_push=True)
    protect(gitlab.forge, 'ma*', allow_force_push=False)
    gitlab.forge.refuse('GitLab: You are not allowed to force push code to a protected branch '
                        'on this project.', 'refs/heads/main',
                        '! git merge-base --is-ancestor $old $new')
    gitlab.git('commit', '-q', '--amend', '--allow-empty', '-m', 'feat: reworded')
    assert gitlab.push('--force', '--no-verify', 'origin', 'main')[0] == 1
    code, said = gitlab.push('--force', 'origin', 'main')
    assert code == 1 and '[force-push]' in said and 'GitLab protected branch "ma*"' in said


def test_the_most_permissive_matching_rule_allows_the_force_push(gitlab):
    branch(gitlab.forge, protected=True, can_push=True)
    gitlab.forge.reply(f'{P}/protected_branches', [
        {**fixture('gitlab/protected-branch.json'), 'name': 'main', 'allow_force_push': False},
        {**fixture('gitlab/protected-branch.json'), 'name': '*', 'allow_force_push': True}])
    gitlab.git('commit', '-q', '--amend', '--allow-empty', '-m', 'feat: reworded')
    code, said = gitlab.push('--force', 'origin', 'main')
    assert code == 0 and '[force-push]' not in said, said


def test_deleting_a_protected_branch(gitlab):
    gitlab.git('push', '-q', '--no-verify', 'origin', 'main:stable')
    branch(gitlab.forge, 'stable', protected=True, can_push=True)
    protect(gitlab.forge, 'stable')
    gitlab.forge.refuse('GitLab: You can only delete protected branches using the web interface.',
                        'refs/heads/stable', 'expr "$new" : "^0*$" >/dev/null')
    assert gitlab.push('--no-verify', 'origin', ':stable')[0] == 1
    code, said = gitlab.push('origin', ':stable')
    assert code == 1 and '[branch-deletion]' in said and 'web interface' in said


def test_merge_commits_and_status_checks_are_not_push_time_rules_on_gitlab(gitlab):
    branch(gitlab.forge, protected=True, can_push=True)
    protect(gitlab.forge)
    gitlab.git('checkout', '-q', '-b', 'side')
    gitlab.commit('feat: side')
    gitlab.git('checkout', '-q', 'main')
    gitlab.commit('feat: main')
    gitlab.git('merge', '-q', '--no-ff', '--no-edit', 'side')
    code, said = gitlab.push('origin', 'main')
    assert code == 0 and '[linear-history]' not in said and '[status-checks]' not in said, said


def test_a_push_rule_applies_with_gitlabs_own_regex(gitlab):
    branch(gitlab.forge, protected=False, can_push=True)
    gitlab.forge.reply(f'{P}/push_rule', fixture('gitlab/push-rule.json'))
    gitlab.forge.refuse("GitLab: Commit message does not follow the pattern 'Fixes \\d+\\..*'",
                        'refs/heads/main',
                        '! git log -1 --format=%B $new | grep -Eq "Fixes [0-9]+\\."')
    gitlab.commit('feat: no ticket')
    assert gitlab.push('--no-verify', 'origin', 'main')[0] == 1
    code, said = gitlab.push('origin', 'main')
    assert code == 1 and '[message-pattern]' in said and 'GitLab push rule' in said
    gitlab.git('commit', '-q', '--amend', '--allow-empty', '-m', 'Fixes 12. the bug')
    assert gitlab.push('origin', 'main')[0] == 0


def test_a_maintainer_who_may_push_to_a_protected_branch_goes_through(gitlab):
    branch(gitlab.forge, protected=True, can_push=True)
    protect(gitlab.forge)
    gitlab.forge.reply(f'{P}/push_rule', None)
    gitlab.commit('feat: maintainer push')
    code, said = gitlab.push('origin', 'main')
    assert code == 0 and 'error' not in said.split('pushguard:')[-1].split(',')[0], said


def test_a_new_unprotected_branch_goes_through_untouched(gitlab):
    gitlab.forge.reply(f'{P}/protected_branches', [])
    gitlab.forge.reply(f'{P}/push_rule', None)
    gitlab.git('checkout', '-q', '-b', 'feature/x')
    gitlab.commit('feat: new work')
    code, said = gitlab.push('origin', 'feature/x')
    assert code == 0 and '[' not in said.replace('[new branch]', ''), said


def test_a_protected_tag_nobody_may_create(gitlab):
    gitlab.forge.reply(f'{P}/protected_tags', [{'name': 'v*', 'create_access_levels': [
        {'access_level': 0, 'access_level_description': 'No one'}]}])
    gitlab.forge.refuse('GitLab: You are not allowed to create this tag as it is protected.',
                        'refs/tags/v2')
    gitlab.git('tag', 'v2')
    assert gitlab.push('--no-verify', 'origin', 'v2')[0] == 1
    code, said = gitlab.push('origin', 'v2')
    assert code == 1 and '[protected-tag]' in said and 'GitLab protected tag "v*"' in said


def test_a_push_rule_reads_a_streamed_push(gitlab, monkeypatch):
    """The forge's content rules ride the streamed push (no commit held): a rule breaks once per
    commit that breaks it, in the push's order, as over the push held whole."""
    branch(gitlab.forge, protected=False, can_push=True)
    gitlab.forge.reply(f'{P}/push_rule', fixture('gitlab/push-rule.json'))
    old = gitlab.git('rev-parse', 'origin/main').strip()
    bad = [gitlab.commit(f'feat: no ticket {n}') for n in range(3)]
    gitlab.commit('Fixes 12. the bug')
    tip = gitlab.git('rev-parse', 'HEAD').strip()
    streamed_runs = []
    real_run = streamed.run
    monkeypatch.setattr(streamed, 'run', lambda *a, **k: streamed_runs.append(
        real_run(*a, **k)) or streamed_runs[-1])
    monkeypatch.setattr(streamed, 'COMMITS_PER_BATCH', 2)
    said = run_pushguard('hook', 'pre-push', 'origin', gitlab.forge.url, '--format', 'json',
                         stdin=f'refs/heads/main {tip} refs/heads/main {old}\n', cwd=gitlab.work)
    assert said.code == 1, said
    assert len(streamed_runs) == 1 and streamed_runs[0] is not None  # streamed, not held whole
    found = [f for f in json.loads(said.out)['findings'] if f['check'] == 'message-pattern']
    assert [f['commit'] for f in found] == bad
