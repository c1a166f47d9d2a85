"""`pushguard ci` in a job's clone of a served repository, under each CI's own variables."""
from __future__ import annotations

import json

import pytest

from testing import ci, gitrepo
from testing.policies import JIRA
from testing.run import run_pushguard

ZERO = '0' * 40


@pytest.fixture(autouse=True)
def no_ci(monkeypatch):
    ci.clean_env(monkeypatch)


@pytest.fixture
def served(tmp_path):
    return ci.served(tmp_path, JIRA)


def _push_event(ref, before, after, default='main'):
    return {'ref': ref, 'before': before, 'after': after,
            'repository': {'default_branch': default}}


def _job(tmp_path, server, rev, monkeypatch, depth=1):
    path = ci.job_clone(server, tmp_path / f'job-{rev[:7]}', rev, depth)
    monkeypatch.chdir(path)
    return path


def _json(*argv):
    result = run_pushguard('ci', *argv, '--format', 'json')
    return result, (json.loads(result.out)['findings'] if result.out.startswith('{') else None)


# --- GitHub Actions -----------------------------------------------------------------------------

def test_github_push_checks_before_to_after(served, tmp_path, monkeypatch):
    server, dev = served
    before = gitrepo.head(dev)
    gitrepo.commit(dev, 'PROJ-2 good')
    bad = gitrepo.commit(dev, 'bad')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/heads/main', before, bad))
    _job(tmp_path, server, bad, monkeypatch)
    result, found = _json()
    assert result.code == 1, result.err
    assert [(f['check'], f['commit']) for f in found] == [('jira-ticket', bad)]


def test_github_annotations_and_step_summary(served, tmp_path, monkeypatch):
    server, dev = served
    before = gitrepo.head(dev)
    bad = gitrepo.commit(dev, 'bad | pipe')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    summary = ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/heads/main', before, bad))
    _job(tmp_path, server, bad, monkeypatch)
    result = run_pushguard('ci', '--format', 'github', '--format', 'sarif',
                           '--output', 'out.sarif', '--output', 'out.xml')
    assert result.code == 1
    assert result.out.startswith('::notice')
    assert '::error title=pushguard jira-ticket::' in result.out
    sarif = json.loads((tmp_path / f'job-{bad[:7]}' / 'out.sarif').read_text())
    assert sarif['runs'][0]['results'][0]['ruleId'] == 'jira-ticket'
    assert '<testsuites' in (tmp_path / f'job-{bad[:7]}' / 'out.xml').read_text()
    text = summary.read_text()
    assert text.startswith('### pushguard: blocked') and '| :x: | jira-ticket |' in text
    assert 'bad \\| pipe' in text


def test_an_output_without_a_format_it_can_guess_is_a_usage_error(served, tmp_path, monkeypatch):
    server, dev = served
    monkeypatch.chdir(dev)
    result = run_pushguard('ci', '--range', 'HEAD', '--output', 'report.dat')
    assert result.code == 2 and result.err.count('\n') == 1 and 'report.dat' in result.err


def test_github_new_branch_checks_what_the_default_branch_lacks(served, tmp_path, monkeypatch):
    server, dev = served
    gitrepo.commit(dev, 'old but on main, never mind the key')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    gitrepo.git('checkout', '-q', '-b', 'feat', cwd=dev)
    new = gitrepo.commit(dev, 'new on feat')
    gitrepo.git('push', '-q', 'origin', 'feat', cwd=dev)
    ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/heads/feat', ZERO, new))
    _job(tmp_path, server, new, monkeypatch)
    result, found = _json()
    assert result.code == 1, result.err
    assert [f['commit'] for f in found] == [new]


def test_github_first_commit_of_a_repository(tmp_path, monkeypatch):
    server = gitrepo.bare_remote(tmp_path)
    dev = gitrepo.with_origin(tmp_path / 'dev', server, JIRA, 'no key in the first commit')
    first = gitrepo.head(dev)
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/heads/main', ZERO, first))
    _job(tmp_path, server, first, monkeypatch)
    result, found = _json()
    assert result.code == 1 and [f['commit'] for f in found] == [first]


def test_github_forced_push_checks_what_before_lacks(served, tmp_path, monkeypatch):
    server, dev = served
    base = gitrepo.head(dev)
    gitrepo.commit(dev, 'PROJ-2 will be dropped')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    before = gitrepo.head(dev)
    gitrepo.git('reset', '-q', '--hard', base, cwd=dev)
    forced = gitrepo.commit(dev, 'rewritten without a key')
    gitrepo.git('push', '-q', '--force', 'origin', 'main', cwd=dev)
    event = {**_push_event('refs/heads/main', before, forced), 'forced': True}
    ci.github(monkeypatch, tmp_path, 'push', event)
    _job(tmp_path, server, forced, monkeypatch)
    result, found = _json()
    assert result.code == 1 and [f['commit'] for f in found] == [forced]


def test_github_tag_push(served, tmp_path, monkeypatch):
    server, dev = served
    tagged = gitrepo.head(dev)
    gitrepo.git('tag', 'v1', cwd=dev)
    gitrepo.git('push', '-q', 'origin', 'v1', cwd=dev)
    ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/tags/v1', ZERO, tagged))
    _job(tmp_path, server, tagged, monkeypatch)
    result = run_pushguard('ci')
    assert result.code == 0, result.out + result.err


def test_github_pull_request_from_a_fork_cannot_switch_checks_off(served, tmp_path, monkeypatch):
    server, dev = served
    base = gitrepo.head(dev)
    fork = gitrepo.bare_remote(tmp_path, 'fork.git')
    gitrepo.git('push', '-q', str(fork), 'main', cwd=dev)
    gitrepo.git('checkout', '-q', '-b', 'patch-1', cwd=dev)
    head = gitrepo.commit(dev, 'no key, and no more jira', {'.pushguard.toml': ''})
    gitrepo.git('push', '-q', str(fork), 'patch-1', cwd=dev)
    # GitHub keeps a fork's pull request head in the base repository as refs/pull/N/head
    gitrepo.git('push', '-q', 'origin', 'HEAD:refs/pull/1/head', cwd=dev)
    event = {'number': 1, 'pull_request': {
        'base': {'sha': base, 'ref': 'main', 'repo': {'full_name': 'acme/app'}},
        'head': {'sha': head, 'ref': 'patch-1', 'repo': {'full_name': 'mallory/app'}}}}
    ci.github(monkeypatch, tmp_path, 'pull_request_target', event)
    _job(tmp_path, server, base, monkeypatch)  # pull_request_target checks out the base
    result, found = _json()
    assert result.code == 1, result.err
    assert [(f['check'], f['commit']) for f in found] == [('jira-ticket', head)]


def test_github_merge_group(served, tmp_path, monkeypatch):
    server, dev = served
    base = gitrepo.head(dev)
    head = gitrepo.commit(dev, 'queued without a key')
    gitrepo.git('push', '-q', 'origin', 'HEAD:refs/heads/gh-readonly-queue/main/pr-9', cwd=dev)
    event = {'merge_group': {'base_sha': base, 'head_sha': head, 'base_ref': 'refs/heads/main',
                             'head_ref': 'refs/heads/gh-readonly-queue/main/pr-9'}}
    ci.github(monkeypatch, tmp_path, 'merge_group', event)
    _job(tmp_path, server, head, monkeypatch)
    result, found = _json()
    assert result.code == 1, result.err
    assert [(f['ref'], f['commit']) for f in found] == [('refs/heads/main', head)]


@pytest.mark.parametrize(('name', 'event', 'said'), [
    ('push', {'ref': 'refs/heads/main'}, 'the event has no before'),
    ('issues', {}, 'the issues event names no commits'),
])
def test_github_bad_events_are_one_line_errors(tmp_path, monkeypatch, repo, name, event, said):
    ci.github(monkeypatch, tmp_path, name, event)
    result = run_pushguard('ci')
    assert result.code == 2 and said in result.err and result.err.count('\n') == 1


def test_a_token_is_named_never_shown(served, tmp_path, monkeypatch):
    server, dev = served
    monkeypatch.setenv('GITHUB_TOKEN', 'ghs_s3cr3tvalue')
    monkeypatch.chdir(dev)
    result = run_pushguard('ci', '--range', 'HEAD', '--branch', 'main')
    assert 'forge checks skipped' in result.out and 'origin is on this machine' in result.out
    assert 'ghs_s3cr3tvalue' not in result.out + result.err


# --- shallow clones ---------------------------------------------------------------------------

def test_a_shallow_clone_is_deepened(served, tmp_path, monkeypatch):
    server, dev = served
    before = gitrepo.head(dev)
    shas = [gitrepo.commit(dev, f'PROJ-{n} fine') for n in range(2, 6)]
    bad = gitrepo.commit(dev, 'bad in the middle')
    shas += [gitrepo.commit(dev, f'PROJ-{n} fine') for n in range(6, 9)]
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/heads/main', before, shas[-1]))
    _job(tmp_path, server, shas[-1], monkeypatch, depth=1)
    result, found = _json()
    assert result.code == 1, result.err
    assert [f['commit'] for f in found] == [bad]


def test_a_shallow_clone_that_cannot_be_deepened_is_refused(served, tmp_path, monkeypatch):
    server, dev = served
    before = gitrepo.head(dev)
    gitrepo.commit(dev, 'PROJ-2 one')
    tip = gitrepo.commit(dev, 'PROJ-3 two')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/heads/main', before, tip))
    job = _job(tmp_path, server, tip, monkeypatch, depth=1)
    gitrepo.git('remote', 'set-url', 'origin', (tmp_path / 'gone.git').as_uri(), cwd=job)
    result = run_pushguard('ci')
    assert result.code == 2, result.out
    assert 'fetch-depth: 0' in result.err and result.err.count('\n') == 1


# --- GitLab CI ----------------------------------------------------------------------------------

def _gitlab(monkeypatch, **values):
    ci.variables(monkeypatch, {'GITLAB_CI': 'true', 'CI_DEFAULT_BRANCH': 'main', **values})


def test_gitlab_merged_results_pipeline_checks_the_source_branch(served, tmp_path, monkeypatch):
    server, dev = served
    base = gitrepo.head(dev)
    gitrepo.git('checkout', '-q', '-b', 'feat', cwd=dev)
    head = gitrepo.commit(dev, 'no key on the source branch')
    gitrepo.git('checkout', '-q', 'main', cwd=dev)
    gitrepo.git('merge', '-q', '--no-ff', '--no-edit', 'feat', cwd=dev)
    merged = gitrepo.head(dev)  # GitLab's merge commit, not pushed by anyone
    gitrepo.git('push', '-q', 'origin', f'{merged}:refs/merge-requests/4/merge',
                f'{head}:refs/heads/feat', cwd=dev)
    _gitlab(monkeypatch, CI_COMMIT_SHA=merged, CI_MERGE_REQUEST_IID='4',
            CI_MERGE_REQUEST_EVENT_TYPE='merged_result', CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
            CI_MERGE_REQUEST_SOURCE_BRANCH_NAME='feat', CI_MERGE_REQUEST_SOURCE_BRANCH_SHA=head,
            CI_MERGE_REQUEST_TARGET_BRANCH_NAME='main', CI_COMMIT_BEFORE_SHA=ZERO)
    _job(tmp_path, server, merged, monkeypatch, depth=20)
    result, found = _json()
    assert result.code == 1, result.err
    assert [f['commit'] for f in found] == [head]


def test_gitlab_branch_pipeline_of_a_new_branch(served, tmp_path, monkeypatch):
    server, dev = served
    gitrepo.commit(dev, 'already on main: not this pipeline\'s')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    gitrepo.git('checkout', '-q', '-b', 'feat', cwd=dev)
    good = gitrepo.commit(dev, 'PROJ-5 fine')
    gitrepo.git('push', '-q', 'origin', 'feat', cwd=dev)
    _gitlab(monkeypatch, CI_COMMIT_SHA=good, CI_COMMIT_BRANCH='feat', CI_COMMIT_BEFORE_SHA=ZERO)
    _job(tmp_path, server, good, monkeypatch, depth=20)
    result = run_pushguard('ci')
    assert result.code == 0, result.out + result.err


def test_gitlab_tag_pipeline(served, tmp_path, monkeypatch):
    server, dev = served
    tip = gitrepo.head(dev)
    _gitlab(monkeypatch, CI_COMMIT_SHA=tip, CI_COMMIT_TAG='v1.0.0', CI_COMMIT_BEFORE_SHA=ZERO)
    _job(tmp_path, server, tip, monkeypatch, depth=20)
    assert run_pushguard('ci').code == 0


# --- Bitbucket Pipelines ------------------------------------------------------------------------

def test_bitbucket_pull_request(served, tmp_path, monkeypatch):
    server, dev = served
    base = gitrepo.head(dev)
    gitrepo.git('checkout', '-q', '-b', 'feat', cwd=dev)
    head = gitrepo.commit(dev, 'no key')
    gitrepo.git('push', '-q', 'origin', 'feat', cwd=dev)
    ci.variables(monkeypatch, {
        'BITBUCKET_BUILD_NUMBER': '7', 'BITBUCKET_COMMIT': head, 'BITBUCKET_BRANCH': 'feat',
        'BITBUCKET_PR_ID': '3', 'BITBUCKET_PR_DESTINATION_BRANCH': 'main'})
    _job(tmp_path, server, head, monkeypatch, depth=50)
    result, found = _json()
    assert result.code == 1, result.err
    assert [f['commit'] for f in found] == [head]
    assert base != head


def test_bitbucket_branch_pipeline_checks_what_no_other_branch_has(served, tmp_path, monkeypatch):
    server, dev = served
    gitrepo.git('checkout', '-q', '-b', 'feat', cwd=dev)
    head = gitrepo.commit(dev, 'no key')
    gitrepo.git('push', '-q', 'origin', 'feat', cwd=dev)
    ci.variables(monkeypatch, {'BITBUCKET_BUILD_NUMBER': '8', 'BITBUCKET_COMMIT': head,
                               'BITBUCKET_BRANCH': 'feat'})
    _job(tmp_path, server, head, monkeypatch, depth=50)
    result, found = _json()
    assert result.code == 1, result.err
    assert [f['commit'] for f in found] == [head]


def test_outside_any_ci_without_range_is_a_usage_error(repo):
    result = run_pushguard('ci')
    assert result.code == 2 and '--range' in result.err


def test_github_forced_push_whose_old_tip_is_gone(served, tmp_path, monkeypatch):
    server, dev = served
    gitrepo.git('checkout', '-q', '-b', 'feat', cwd=dev)
    gitrepo.commit(dev, 'PROJ-2 first try')
    gitrepo.git('push', '-q', 'origin', 'feat', cwd=dev)
    before = gitrepo.head(dev)
    gitrepo.git('reset', '-q', '--hard', 'main', cwd=dev)
    forced = gitrepo.commit(dev, 'second try without a key')
    gitrepo.git('push', '-q', '--force', 'origin', 'feat', cwd=dev)
    gitrepo.git('gc', '-q', '--prune=now', cwd=server)  # the old tip is gone from the server
    ci.github(monkeypatch, tmp_path, 'push', _push_event('refs/heads/feat', before, forced))
    _job(tmp_path, server, forced, monkeypatch)
    result, found = _json()
    assert result.code == 1, result.err
    assert [f['commit'] for f in found] == [forced]
    assert f'{before[:12]}, the tip before the push, is not on origin' in \
        run_pushguard('ci').out


def test_github_deleted_branch_has_nothing_to_check(served, tmp_path, monkeypatch):
    server, dev = served
    ci.github(monkeypatch, tmp_path, 'push',
              _push_event('refs/heads/gone', gitrepo.head(dev), ZERO))
    _job(tmp_path, server, gitrepo.head(dev), monkeypatch)
    result = run_pushguard('ci')
    assert result.code == 0 and 'refs/heads/gone was deleted' in result.out


@pytest.mark.parametrize('event_name', ['pull_request', 'pull_request_target'])
def test_github_pull_request_checks_the_head_branch_name(served, tmp_path, monkeypatch,
                                                         event_name):
    server, dev = served
    (dev / '.pushguard.toml').write_text(JIRA + "[branch]\npattern = '^feat/'\n")
    base = gitrepo.commit(dev, 'PROJ-2 branch rule')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    gitrepo.git('checkout', '-q', '-b', 'badname', cwd=dev)
    head = gitrepo.commit(dev, 'PROJ-3 fine message')
    gitrepo.git('push', '-q', 'origin', 'HEAD:refs/pull/2/head', cwd=dev)
    event = {'number': 2, 'pull_request': {'base': {'sha': base, 'ref': 'main'},
                                           'head': {'sha': head, 'ref': 'badname'}}}
    ci.github(monkeypatch, tmp_path, event_name, event)
    _job(tmp_path, server, base, monkeypatch)
    result, found = _json()
    assert result.code == 1, result.err
    assert [(f['check'], f['ref']) for f in found] == [('branch-name', 'refs/heads/badname')]


@pytest.mark.parametrize(('variables', 'setting'), [
    pytest.param(lambda tip, before: {
        'GITLAB_CI': 'true', 'CI_COMMIT_SHA': tip, 'CI_COMMIT_BRANCH': 'main',
        'CI_COMMIT_BEFORE_SHA': before, 'CI_DEFAULT_BRANCH': 'main'}, 'GIT_DEPTH: 0',
        id='gitlab'),
    pytest.param(lambda tip, before: {
        'BITBUCKET_BUILD_NUMBER': '1', 'BITBUCKET_COMMIT': tip, 'BITBUCKET_BRANCH': 'feat',
        'BITBUCKET_PR_ID': '1', 'BITBUCKET_PR_DESTINATION_BRANCH': 'main',
        'BITBUCKET_PR_DESTINATION_COMMIT': before}, 'clone: depth: full', id='bitbucket'),
])
def test_a_refused_shallow_clone_names_the_ci_setting(served, tmp_path, monkeypatch, variables,
                                                      setting):
    server, dev = served
    before = gitrepo.head(dev)
    gitrepo.commit(dev, 'PROJ-2 one')
    tip = gitrepo.commit(dev, 'PROJ-3 two')
    gitrepo.git('push', '-q', 'origin', 'main', 'main:feat', cwd=dev)
    ci.variables(monkeypatch, variables(tip, before))
    job = _job(tmp_path, server, tip, monkeypatch, depth=1)
    gitrepo.git('remote', 'set-url', 'origin', (tmp_path / 'gone.git').as_uri(), cwd=job)
    result = run_pushguard('ci')
    assert result.code == 2, result.out
    assert setting in result.err and result.err.count('\n') == 1
