"""GitHub end to end: real `git push` through the installed pre-push hook to a loopback forge
that serves the API and the repository; its pre-receive hook plays GitHub's refusal."""
from __future__ import annotations

from testing.forge_server import fixture

PR_ONLY = ('GH013: Repository rule violations found for refs/heads/main. Changes must be made '
           'through a pull request.')


def ruleset(forge, branch, *rules, rid=42, name='protect main', bypass='never'):
    """`rules/branches/BRANCH` lists RULES of ruleset RID; the ruleset says whether we bypass."""
    forge.reply(f'/repos/o/r/rules/branches/{branch}', [
        {'type': kind, 'ruleset_source_type': 'Repository', 'ruleset_source': 'o/r',
         'ruleset_id': rid, 'parameters': params} for kind, params in rules])
    forge.reply(f'/repos/o/r/rulesets/{rid}', {**fixture('github/ruleset.json'), 'id': rid,
                                               'name': name, 'current_user_can_bypass': bypass})


def test_story_1_an_actions_token_cannot_push_to_a_pr_only_main(github):
    ruleset(github.forge, 'main', ('pull_request', {'required_approving_review_count': 1}))
    github.forge.refuse(PR_ONLY, 'refs/heads/main')
    github.commit('chore(release): 1.2.0')
    code, said = github.push('--no-verify', 'origin', 'main')
    assert code == 1 and 'Changes must be made through a pull request' in said
    code, said = github.push('origin', 'main', env={'GITHUB_TOKEN': 'ghs_story1secret'})
    assert code == 1
    assert '[protected-branch]' in said and 'ruleset "protect main" (id 42)' in said
    assert 'pre-receive hook declined' not in said  # stopped here, not by the server
    branch = f'main-{github.git("rev-parse", "HEAD")[:8]}'
    assert f'git push origin {github.git("rev-parse", "HEAD")[:12]}:refs/heads/{branch}' in said
    assert f'/o/r/compare/main...{branch}?expand=1' in said and '/o/r/settings/rules' in said
    assert 'ghs_story1secret' not in said
    headers = [h for p, h in github.forge.requests if p.startswith('/api/')]
    assert all(h.get('Authorization') == 'Bearer ghs_story1secret' for h in headers)


def test_the_fix_the_hook_prints_goes_through(github):
    ruleset(github.forge, 'main', ('pull_request', {}))
    github.forge.refuse(PR_ONLY, 'refs/heads/main')
    sha = github.commit('feat: more')
    code, said = github.push('origin', 'main')
    assert code == 1
    fix = next(line for line in said.splitlines() if 'git push origin' in line)
    command = fix.split('fix:')[-1].strip().split()
    code, said = github.push(*command[2:])
    assert code == 0, said
    assert github.forge.bare.joinpath('refs', 'heads', f'main-{sha[:8]}').exists() or \
        sha in _server_refs(github)


def _server_refs(github):
    import subprocess
    return subprocess.run(('git', 'for-each-ref'), cwd=github.forge.bare, capture_output=True,
                          text=True).stdout


def test_force_push_to_a_branch_that_forbids_it(github):
    ruleset(github.forge, 'main', ('non_fast_forward', {}))
    github.forge.refuse('GH013: Cannot force-push to this branch', 'refs/heads/main',
                        '! git merge-base --is-ancestor $old $new')
    github.git('commit', '-q', '--amend', '--allow-empty', '-m', 'feat: start, reworded')
    code, said = github.push('--force', '--no-verify', 'origin', 'main')
    assert code == 1 and 'Cannot force-push' in said
    code, said = github.push('--force', 'origin', 'main')
    assert code == 1 and '[force-push]' in said and 'git pull --rebase origin main' in said
    github.commit('feat: a fast-forward')  # not forced: nothing to say
    github.git('reset', '-q', '--hard', 'origin/main')
    github.commit('feat: on top')
    code, said = github.push('origin', 'main')
    assert code == 0 and '[force-push]' not in said


def test_deleting_a_protected_branch(github):
    github.git('push', '-q', '--no-verify', 'origin', 'main:release')
    ruleset(github.forge, 'release', ('deletion', {}))
    github.forge.refuse('GH013: Cannot delete this protected ref.', 'refs/heads/release',
                        'expr "$new" : "^0*$" >/dev/null')
    assert github.push('--no-verify', 'origin', ':release')[0] == 1
    code, said = github.push('origin', ':release')
    assert code == 1 and '[branch-deletion]' in said and 'deleting release' in said


def test_a_merge_commit_to_a_linear_branch(github):
    ruleset(github.forge, 'main', ('required_linear_history', {}))
    github.forge.refuse('GH013: This branch must not contain merge commits.', 'refs/heads/main',
                        '[ -n "$(git rev-list --min-parents=2 $old..$new)" ]')
    github.git('checkout', '-q', '-b', 'side')
    github.commit('feat: side')
    github.git('checkout', '-q', 'main')
    github.commit('feat: main')
    github.git('merge', '-q', '--no-ff', '--no-edit', 'side')
    assert github.push('--no-verify', 'origin', 'main')[0] == 1
    code, said = github.push('origin', 'main')
    assert code == 1 and '[linear-history]' in said and 'git rebase origin/main' in said


def test_a_required_status_check(github):
    ruleset(github.forge, 'main', ('required_status_checks', {
        'required_status_checks': [{'context': 'ci/build'}],
        'strict_required_status_checks_policy': False}))
    github.forge.refuse('GH013: 1 of 1 required status checks are expected.', 'refs/heads/main')
    github.commit('feat: untested')
    assert github.push('--no-verify', 'origin', 'main')[0] == 1
    code, said = github.push('origin', 'main')
    assert code == 1 and '[status-checks]' in said and '"ci/build"' in said


def test_a_content_rule_from_the_forge_applies_with_its_own_parameters(github):
    # the recorded example: messages must start with "issue" (operator starts_with)
    github.forge.reply('/repos/o/r/rules/branches/main', fixture('github/rules-branches.json')[:1])
    github.forge.reply('/repos/o/r/rulesets/42', fixture('github/ruleset.json'))
    github.forge.refuse('GH013: Commit message pattern rule violated.', 'refs/heads/main',
                        '! git log -1 --format=%B $new | grep -q ^issue')
    github.commit('feat: not an issue')
    assert github.push('--no-verify', 'origin', 'main')[0] == 1
    code, said = github.push('origin', 'main')
    assert code == 1 and '[message-pattern]' in said and '/issue/' in said
    github.git('commit', '-q', '--amend', '--allow-empty', '-m', 'issue 7: fixed')
    assert github.push('origin', 'main')[0] == 0


def test_a_rule_this_credential_may_bypass_is_a_note_and_the_push_goes_through(github):
    ruleset(github.forge, 'main', ('pull_request', {}), bypass='always')
    github.commit('feat: admin push')
    code, said = github.push('origin', 'main')
    assert code == 0, said
    assert 'may bypass it' in said and 'error' not in said.split('pushguard:')[-1].split(',')[0]


def test_a_new_unprotected_branch_goes_through_untouched(github):
    github.forge.reply('/repos/o/r/rules/branches/feature', [])
    github.forge.reply('/repos/o/r/branches/feature', None, status=404)
    github.forge.reply('/repos/o/r/branches/feature/protection',
                       {'message': 'Branch not protected'}, status=404)
    github.git('checkout', '-q', '-b', 'feature')
    github.commit('feat: new work')
    code, said = github.push('origin', 'feature')
    assert code == 0 and '[' not in said.replace('[new branch]', ''), said


def test_a_protected_tag(github):
    github.forge.reply('/repos/o/r/rulesets', [{'id': 7, 'name': 'release tags', 'target': 'tag'}])
    github.forge.reply('/repos/o/r/rulesets/7', {
        'id': 7, 'name': 'release tags', 'target': 'tag', 'enforcement': 'active',
        'current_user_can_bypass': 'never',
        'conditions': {'ref_name': {'include': ['refs/tags/v*'], 'exclude': []}},
        'rules': [{'type': 'creation'}]})
    github.forge.refuse('GH013: Cannot create this protected ref.', 'refs/tags/v1.0')
    github.git('tag', 'v1.0')
    assert github.push('--no-verify', 'origin', 'v1.0')[0] == 1
    code, said = github.push('origin', 'v1.0')
    assert code == 1 and '[protected-tag]' in said and 'ruleset "release tags" (id 7)' in said
    github.git('tag', 'other')
    assert github.push('origin', 'other')[0] == 0


def test_classic_protection_seen_only_as_protected_is_a_warning_not_an_error(github):
    github.forge.reply('/repos/o/r/branches/main', {**fixture('github/branch-get.json'),
                                                    'protected': True})
    github.forge.reply('/repos/o/r/branches/main/protection', {'message': 'Not Found'}, status=404)
    github.commit('feat: more')
    code, said = github.push('origin', 'main')
    assert code == 0, said
    assert '[protected-branch]' in said and 'may be refused' in said


def test_a_token_in_the_remote_url_is_used_and_never_shown(github):
    ruleset(github.forge, 'main', ('pull_request', {}))
    url = github.forge.url.replace('http://', 'http://x-access-token:ghs_inurl@')
    github.git('remote', 'set-url', 'origin', url)
    github.commit('feat: more')
    code, said = github.push('origin', 'main')
    assert code == 1 and '[protected-branch]' in said and 'ghs_inurl' not in said
    assert any(h.get('Authorization') == 'Bearer ghs_inurl' for _, h in github.forge.requests)


def test_an_insteadof_remote_is_asked_where_git_pushes(github):
    ruleset(github.forge, 'main', ('pull_request', {}))
    github.git('config', f'url.{github.forge.base}/.insteadOf', 'forge:')
    github.git('remote', 'set-url', 'origin', 'forge:o/r.git')
    github.commit('feat: more')
    code, said = github.push('origin', 'main')
    assert code == 1 and '[protected-branch]' in said


def test_classic_protection_read_by_an_admin_is_enforced_on_admins_too(github):
    github.forge.reply('/repos/o/r', {'default_branch': 'main',
                                      'permissions': {'admin': True, 'push': True}})
    github.forge.reply('/repos/o/r/branches/main/protection',
                       fixture('github/branch-protection.json'))
    github.forge.refuse('GH006: Protected branch update failed for refs/heads/main.',
                        'refs/heads/main')
    github.commit('feat: admin push')
    assert github.push('--no-verify', 'origin', 'main')[0] == 1
    code, said = github.push('origin', 'main')
    assert code == 1 and 'GH006' in said and 'classic branch protection' in said
    assert '[protected-branch]' in said and '[status-checks]' in said and '"foo/bar"' in said


def test_classic_protection_without_enforce_admins_lets_an_admin_through(github):
    github.forge.reply('/repos/o/r', {'default_branch': 'main',
                                      'permissions': {'admin': True, 'push': True}})
    github.forge.reply('/repos/o/r/branches/main/protection', {
        **fixture('github/branch-protection.json'), 'enforce_admins': {'enabled': False}})
    github.commit('feat: admin push')
    code, said = github.push('origin', 'main')
    assert code == 0 and 'may bypass it' in said, said


def test_the_rulesets_file_rules_apply_to_every_pushed_commit(github):
    ruleset(github.forge, 'main', ('max_file_size', {'max_file_size': 1}),
            ('file_path_restriction', {'restricted_file_paths': ['config/*.env']}),
            ('file_extension_restriction', {'restricted_file_extensions': ['*.exe']}),
            ('max_file_path_length', {'max_file_path_length': 20}))
    github.commit('feat: big', {'big.bin': 'x' * (1024 * 1024 + 1)})
    github.commit('feat: more', {'config/prod.env': 'A=1\n', 'tool.exe': 'MZ',
                                 'a/very/long/path/name.txt': 'x'})
    code, said = github.push('origin', 'main')
    assert code == 1
    assert '[file-size]' in said and 'big.bin' in said
    assert said.count('[forbidden-path]') == 3
    assert 'config/prod.env' in said and 'tool.exe' in said and 'a/very/long/path' in said


def test_the_rulesets_email_rules_read_author_and_committer(github):
    ruleset(github.forge, 'main', ('committer_email_pattern', {
        'operator': 'ends_with', 'pattern': '@corp.example', 'negate': False}))
    github.commit('feat: from home')
    code, said = github.push('origin', 'main')
    assert code == 1 and '[author-email]' in said and "committer email ada@example.com" in said
