from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pushguard.hooks.pre_push import PRE_COMMIT_NOTE
from testing import gitrepo
from testing.policies import BRANCH, JIRA
from testing.run import run_pushguard


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A clone-like repo with `origin` (a bare server) that already has main's first commit."""
    repo = gitrepo.pushed_work(tmp_path, JIRA)
    monkeypatch.chdir(repo)
    return repo


UNCHECKED = 'went unchecked'


def line(local_ref, local_sha, remote_ref, remote_sha):
    return f'{local_ref} {local_sha} {remote_ref} {remote_sha}\n'


def pre_push(stdin, remote='origin', url='server.git', *extra):
    result = run_pushguard('hook', 'pre-push', remote, url, '--only', 'jira-ticket',
                           '--format', 'json', *extra, stdin=stdin)
    assert result.code in (0, 1), result
    return result.code, json.loads(result.out)


def blamed(report):
    """(ref, commit) of every jira-ticket finding, in order."""
    return [(f['ref'], f['commit']) for f in report['findings']]


def test_new_branch_off_main_is_not_blamed_for_mains_history(work):
    gitrepo.commit(work, 'no key on main')  # pushed below, so on the remote
    gitrepo.git('push', '-q', 'origin', 'main')
    gitrepo.git('switch', '-q', '-c', 'feat')
    mine = gitrepo.commit(work, 'no key on feat')
    code, report = pre_push(line('refs/heads/feat', mine, 'refs/heads/feat', gitrepo.zeros(work)))
    assert code == 1
    assert blamed(report) == [('refs/heads/feat', mine)]


def test_several_refs_each_commit_once(work):
    base = gitrepo.head(work)
    on_main = gitrepo.commit(work, 'main change')
    gitrepo.git('switch', '-q', '-c', 'feat')
    on_feat = gitrepo.commit(work, 'feat change')
    stdin = (line('refs/heads/main', on_main, 'refs/heads/main', base)
             + line('refs/heads/feat', on_feat, 'refs/heads/feat', gitrepo.zeros(work))
             + line('refs/heads/feat', on_feat, 'refs/heads/copy', gitrepo.zeros(work)))
    result = run_pushguard('hook', 'pre-push', 'origin', 'x', '--only', 'jira-ticket', stdin=stdin)
    assert result.code == 1
    assert '2 commits on 3 refs' in result.out
    code, report = pre_push(stdin)
    assert sorted(c for _, c in blamed(report)) == sorted([on_main, on_feat])
    refs = {commit: ref for ref, commit in blamed(report)}
    assert refs == {on_main: 'refs/heads/main', on_feat: 'refs/heads/feat'}


def test_deletion_only_is_quiet(work):
    stdin = line('(delete)', gitrepo.zeros(work), 'refs/heads/gone', gitrepo.head(work))
    result = run_pushguard('hook', 'pre-push', 'origin', 'x', stdin=stdin)
    assert result == (0, '', '')


def test_deletion_alongside_an_update(work):
    old = gitrepo.head(work)
    new = gitrepo.commit(work, 'no key')
    stdin = (line('(delete)', gitrepo.zeros(work), 'refs/heads/gone', old)
             + line('refs/heads/main', new, 'refs/heads/main', old))
    code, report = pre_push(stdin)
    assert (code, blamed(report)) == (1, [('refs/heads/main', new)])


def test_nothing_new_is_quiet(work):
    sha = gitrepo.head(work)
    stdin = line('refs/heads/main', sha, 'refs/heads/other', gitrepo.zeros(work))
    assert run_pushguard('hook', 'pre-push', 'origin', 'x', stdin=stdin) == (0, '', '')


def test_force_push_checks_only_the_rewritten_commits(work):
    gitrepo.commit(work, 'PROJ-2 kept')
    gitrepo.git('push', '-q', 'origin', 'main')
    pushed = gitrepo.commit(work, 'PROJ-3 to be rewritten')
    gitrepo.git('push', '-q', 'origin', 'main')
    gitrepo.git('reset', '-q', '--hard', 'HEAD~1')
    rewritten = gitrepo.commit(work, 'rewritten without key')
    code, report = pre_push(line('refs/heads/main', rewritten, 'refs/heads/main', pushed))
    assert (code, blamed(report)) == (1, [('refs/heads/main', rewritten)])


def test_force_push_over_an_old_tip_we_do_not_have(work):
    new = gitrepo.commit(work, 'no key')
    unknown = 'f' * len(new)  # someone else's push, never fetched
    code, report = pre_push(line('refs/heads/main', new, 'refs/heads/main', unknown))
    assert (code, blamed(report)) == (1, [('refs/heads/main', new)])


def test_remote_given_as_url_excludes_only_known_olds(work, tmp_path):
    old = gitrepo.head(work)
    new = gitrepo.commit(work, 'no key')
    url = f'file://{tmp_path / "server.git"}'
    code, report = pre_push(line('refs/heads/main', new, 'refs/heads/main', old), remote=url,
                            url=url)
    assert blamed(report) == [('refs/heads/main', new)]
    # a new branch to a bare URL: no remote-tracking refs say what it has, so all history counts
    gitrepo.commit(work, 'PROJ-4 fine')
    code, report = pre_push(line('refs/heads/main', gitrepo.head(work), 'refs/heads/fresh',
                                 gitrepo.zeros(work)), remote=url, url=url)
    assert blamed(report) == [('refs/heads/fresh', new)]


@pytest.mark.parametrize('annotated', [pytest.param(False, id='lightweight'),
                                       pytest.param(True, id='annotated')])
def test_tags(work, annotated):
    tagged = gitrepo.commit(work, 'no key, tagged')
    gitrepo.git('tag', *(['-a', '-m', 'release'] if annotated else []), 'v1')
    tag_sha = gitrepo.head(work, 'refs/tags/v1')
    assert (tag_sha != tagged) is annotated
    code, report = pre_push(line('refs/tags/v1', tag_sha, 'refs/tags/v1', gitrepo.zeros(work)))
    assert (code, blamed(report)) == (1, [('refs/tags/v1', tagged)])


def test_tag_of_a_tree_brings_no_commits(work):
    gitrepo.git('tag', 'tree-tag', 'HEAD^{tree}')
    tree = gitrepo.head(work, 'refs/tags/tree-tag')
    stdin = line('refs/tags/tree-tag', tree, 'refs/tags/tree-tag', gitrepo.zeros(work))
    assert run_pushguard('hook', 'pre-push', 'origin', 'x', stdin=stdin) == (0, '', '')


def test_sha256_repository(tmp_path, monkeypatch):
    repo = gitrepo.init(tmp_path / 'r256', '--object-format=sha256')
    monkeypatch.chdir(repo)
    sha = gitrepo.commit(repo, 'no key', {'.pushguard.toml': JIRA})
    assert len(sha) == 64
    code, report = pre_push(line('refs/heads/main', sha, 'refs/heads/main', '0' * 64))
    assert (code, blamed(report)) == (1, [('refs/heads/main', sha)])
    deletion = line('(delete)', '0' * 64, 'refs/heads/old', sha)
    assert run_pushguard('hook', 'pre-push', 'origin', 'x', stdin=deletion) == (0, '', '')


@pytest.mark.parametrize('bad', [
    pytest.param('refs/heads/main abc refs/heads/main def', id='short-shas'),
    pytest.param('refs/heads/main ' + 'a' * 40 + ' refs/heads/main', id='three-fields'),
    pytest.param('refs/heads/main ' + 'a' * 40 + ' refs/heads/main ' + '0' * 64, id='mixed-hash'),
    pytest.param('refs/heads/main ' + 'a' * 40 + ' refs/heads/x y ' + '0' * 40,
                 id='space-in-remote-ref'),
    pytest.param('refs/heads/main ' + 'G' * 40 + ' refs/heads/main ' + '0' * 40, id='not-hex'),
])
def test_malformed_line_is_a_usage_error_quoting_it(work, bad):
    good = line('refs/heads/main', gitrepo.head(work), 'refs/heads/main', gitrepo.zeros(work))
    result = run_pushguard('hook', 'pre-push', 'origin', 'x', stdin=good + bad + '\n')
    assert result.code == 2
    assert result.out == ''
    assert result.err.count('\n') == 1
    assert repr(bad) in result.err


def _recorded_push(work, refspec):
    """What real git writes on a pre-push hook's stdin for `git push origin REFSPEC`; the
    recording hook refuses, so nothing reaches the server."""
    (work / '.git' / 'hooks').mkdir(exist_ok=True)
    hook = work / '.git' / 'hooks' / 'pre-push'
    hook.write_text('#!/bin/sh\ncat > pushed; echo "$2" > url\n'
                    'exit 1\n')
    hook.chmod(0o755)
    subprocess.run(('git', 'push', 'origin', refspec), capture_output=True)
    hook.unlink()
    return (work / 'pushed').read_text(), (work / 'url').read_text().strip()


def test_a_local_ref_with_a_space_is_read_from_the_right(work):
    fix_me = gitrepo.commit(work, 'fix me: no key')
    gitrepo.commit(work, 'PROJ-2 later')
    stdin, url = _recorded_push(work, 'HEAD^{/fix me}:refs/heads/x')
    assert stdin.startswith('HEAD^{/fix me} ')
    code, report = pre_push(stdin, 'origin', url)
    assert (code, blamed(report)) == (1, [('refs/heads/x', fix_me)])


def test_the_remote_url_is_kept_on_the_source(work, monkeypatch):
    from pushguard.hooks import pre_push as hook
    seen = []

    class Recording(hook.PushSource):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            seen.append(self.url)

    monkeypatch.setattr(hook, 'PushSource', Recording)
    stdin = line('refs/heads/main', gitrepo.head(work), 'refs/heads/main', gitrepo.zeros(work))
    pre_push(stdin, 'origin', 'https://git.example.com/team/app.git')
    pre_commit_env(monkeypatch, TO_REF=gitrepo.head(work), REMOTE_BRANCH='refs/heads/main',
                   REMOTE_NAME='origin', REMOTE_URL='ssh://git@example.com/team/app.git')
    pre_push('')
    assert seen == ['https://git.example.com/team/app.git', 'ssh://git@example.com/team/app.git']


# --- under the pre-commit framework -------------------------------------------------------

def pre_commit_env(monkeypatch, **values):
    for key, value in values.items():
        monkeypatch.setenv(f'PRE_COMMIT_{key}', value)


def test_pre_commit_variables_replace_stdin(work, monkeypatch):
    old = gitrepo.head(work)
    new = gitrepo.commit(work, 'no key')
    pre_commit_env(monkeypatch, FROM_REF=old, TO_REF=new, LOCAL_BRANCH='refs/heads/main',
                   REMOTE_BRANCH='refs/heads/main', REMOTE_NAME='origin', REMOTE_URL='x')
    result = run_pushguard('hook', 'pre-push', '--only', 'jira-ticket', '--format', 'json',
                           stdin='this is not read\n')
    report = json.loads(result.out)
    assert (result.code, blamed(report)) == (1, [('refs/heads/main', new)])
    assert report['notes'] == []  # run by hand (no `git push` above): one ref is all there is


def test_pre_commit_first_push_without_from_ref(work, monkeypatch):
    """pre-commit sets no FROM_REF/TO_REF when the push starts at a root commit."""
    gitrepo.git('switch', '-q', '--orphan', 'fresh')
    root = gitrepo.commit(work, 'no key at the root', {'.pushguard.toml': JIRA})
    pre_commit_env(monkeypatch, LOCAL_BRANCH='refs/heads/fresh', REMOTE_BRANCH='refs/heads/fresh',
                   REMOTE_NAME='origin', REMOTE_URL='x')
    result = run_pushguard('hook', 'pre-push', '--only', 'jira-ticket')
    assert result.code == 1
    assert root[:12] in result.out
    assert UNCHECKED not in result.out


def test_pre_commit_zero_from_ref_and_no_remote_name(work, monkeypatch):
    gitrepo.git('switch', '-q', '-c', 'feat')
    new = gitrepo.commit(work, 'no key')
    pre_commit_env(monkeypatch, FROM_REF=gitrepo.zeros(work), TO_REF=new,
                   REMOTE_BRANCH='refs/heads/feat')
    code, report = pre_push('', 'origin')
    assert blamed(report) == [('refs/heads/feat', new)]  # origin/main excluded via the argument


def _under_pre_commit(work):
    """pushguard's pre-push hook installed by the real pre-commit framework, as the manifest
    declares it (verbose: its output is shown on a pass too)."""
    (work / '.pre-commit-config.yaml').write_text(
        'repos:\n- repo: local\n  hooks:\n  - id: pushguard-pre-push\n    name: pushguard\n'
        f'    entry: "{sys.executable} -m pushguard hook pre-push --only jira-ticket"\n'
        '    language: system\n    stages: [pre-push]\n    pass_filenames: false\n'
        '    always_run: true\n    verbose: true\n',
    )
    gitrepo.git('add', '.pre-commit-config.yaml')
    subprocess.run((sys.executable, '-m', 'pre_commit', 'install', '-t', 'pre-push'), check=True,
                   capture_output=True)


def _push(*args):
    proc = subprocess.run(('git', 'push', *args), capture_output=True)
    return proc.returncode, (proc.stdout + proc.stderr).decode()


def test_real_pre_commit_framework_push(work, tmp_path):
    """pre-commit 4.x runs the hook with PRE_COMMIT_* set and git's stdin already read."""
    _under_pre_commit(work)
    bad = gitrepo.commit(work, 'no key, pushed under pre-commit')
    code, said = _push('origin', 'main')
    assert code != 0, said
    assert f'[jira-ticket] no Jira issue key (PROJ) in the subject line (main, {bad[:12]})' in said
    assert UNCHECKED not in said  # one ref pushed, one checked: nothing to say
    server = tmp_path / 'server.git'
    assert gitrepo.head(server, 'refs/heads/main') != bad


@pytest.mark.parametrize('how', (
    pytest.param(('origin', 'main', 'feat'), id='two-refspecs'),
    pytest.param(('--all', 'origin'), id='all'),
    pytest.param(('--receive-pack', 'git-receive-pack', 'origin', 'main',
                  'feat^{/fix me}:refs/heads/feat'), id='option-value-and-expression'),
))
def test_pre_commit_push_of_several_refs_says_what_went_unchecked(work, tmp_path, how):
    """pre-commit hands over main only; feat, whose commit lacks a key, goes through: the user
    is told, on a push that passes."""
    _under_pre_commit(work)
    gitrepo.commit(work, 'PROJ-2 fine on main')
    gitrepo.git('branch', 'feat')
    gitrepo.git('switch', '-q', 'feat')
    gitrepo.commit(work, 'fix me: no key on feat')
    gitrepo.git('switch', '-q', 'main')
    code, said = _push(*how)
    assert code == 0, said
    assert 'pushguard: note: ' + PRE_COMMIT_NOTE.format(
        checked='refs/heads/main',
        others='feat' if '--all' in how else how[-1],
    ) in said


@pytest.mark.parametrize('feat_too', (True, False))
def test_pre_commit_push_with_push_default_matching(work, feat_too):
    """`git push origin` sends every branch both sides have (in name order: feat first, the
    one pre-commit hands over), main too once the server has feat."""
    _under_pre_commit(work)
    gitrepo.git('config', 'push.default', 'matching')
    gitrepo.git('branch', 'feat')
    if feat_too:
        gitrepo.git('push', '-q', '--no-verify', 'origin', 'feat')
    gitrepo.commit(work, 'no key on main')
    gitrepo.git('switch', '-q', 'feat')
    gitrepo.commit(work, 'PROJ-3 fine on feat')
    gitrepo.git('switch', '-q', 'main')
    code, said = _push('origin')
    if feat_too:
        assert code == 0, said
        assert PRE_COMMIT_NOTE.format(checked='refs/heads/feat', others='main') in said
    else:  # main alone is sent, and checked
        assert code == 1, said
        assert UNCHECKED not in said


def test_pre_commit_push_of_an_up_to_date_ref_says_nothing(work):
    _under_pre_commit(work)
    gitrepo.git('branch', 'feat')
    gitrepo.git('push', '-q', '--no-verify', 'origin', 'feat')
    gitrepo.commit(work, 'PROJ-2 fine on main')
    code, said = _push('origin', 'main', 'feat')
    assert code == 0, said
    assert UNCHECKED not in said


def _nowhere():
    from pushguard.hooks._push_command import Remote
    return Remote('origin', {}, {}, {})


@pytest.mark.parametrize(('args', 'expected'), (
    (['origin'], None),
    (['origin', 'main'], None),
    (['-u', 'origin', 'HEAD'], None),
    (['origin', 'main', 'feat'], 'feat'),
    (['origin', 'feat', 'main'], 'feat'),
    (['origin', '+x:refs/heads/main', ':gone', 'v1'], ':gone, v1'),
    (['--tags', 'origin'], 'the other refs `git push --tags` sends'),
    (['--mirror'], 'the other refs `git push --mirror` sends'),
    (['--push-option', 'a b', 'origin', 'main'], None),
    (['origin', '--', 'main', 'other'], 'other'),
))
def test_what_a_push_command_line_sends_beyond_the_checked_ref(args, expected):
    from pushguard.hooks._push_command import others
    assert others(args, 'refs/heads/main', _nowhere()) == expected


@pytest.mark.parametrize(('argv', 'args'), (
    (['git', 'push', 'origin'], ['origin']),
    (['/usr/bin/git', '-C', 'x', '-c', 'a=b', 'push', '--all'], ['--all']),
    (['git', 'fetch', 'origin'], None),
    (['python3', '-m', 'pre_commit', 'hook-impl'], None),
    (['git', '-c', 'push'], None),
))
def test_push_arguments(argv, args):
    from pushguard.hooks._push_command import push_arguments
    assert push_arguments(argv) == args


@pytest.mark.parametrize(('local_ref', 'remote_ref', 'fires'), [
    pytest.param('refs/heads/bad', 'refs/heads/bad', True, id='new-branch'),
    pytest.param('(delete)', 'refs/heads/bad', False, id='deletion'),
    pytest.param('refs/tags/bad', 'refs/tags/bad', False, id='tag'),
])
def test_branch_name_only_on_pushed_branches(work, local_ref, remote_ref, fires):
    (work / '.pushguard.toml').write_text(BRANCH)
    sha, zeros = gitrepo.head(work), gitrepo.zeros(work)
    stdin = (line(local_ref, zeros, remote_ref, sha) if local_ref == '(delete)'
             else line(local_ref, sha, remote_ref, zeros))
    result = run_pushguard('hook', 'pre-push', 'origin', 'x', '--only', 'branch-name', stdin=stdin)
    assert (result.code, '[branch-name]' in result.out) == (int(fires), fires)


def test_pre_commit_run_by_hand_with_ref_names(work, monkeypatch):
    """`pre-commit run --hook-stage pre-push --from-ref origin/main --to-ref HEAD`."""
    gitrepo.git('fetch', '-q', 'origin')
    new = gitrepo.commit(work, 'no key')
    pre_commit_env(monkeypatch, FROM_REF='origin/main', TO_REF='HEAD')
    code, report = pre_push('', 'origin')
    assert blamed(report) == [('refs/heads/main', new)]


def test_pre_commit_sha256_deletion_is_nothing_to_push(work, monkeypatch):
    """pre-commit 4.7 knows only 40 zeros as a deletion, so a SHA-256 one arrives as TO_REF."""
    pre_commit_env(monkeypatch, FROM_REF=gitrepo.head(work), TO_REF='0' * 64,
                   REMOTE_BRANCH='refs/heads/gone')
    assert run_pushguard('hook', 'pre-push') == (0, '', '')


def test_the_manifest_shows_the_pre_push_hooks_output_on_a_pass():
    """pre-commit prints a passing hook's output only for a verbose hook: the note needs it."""
    from pathlib import Path

    from pre_commit.clientlib import load_manifest
    manifest = Path(__file__).resolve().parents[2] / '.pre-commit-hooks.yaml'
    verbose = {hook['id']: hook['verbose'] for hook in load_manifest(str(manifest))}
    assert verbose['pushguard-pre-push'] is True
