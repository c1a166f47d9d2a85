"""Real `git commit` through the installed hooks: the branch's Jira key ends up where
`[commit.jira] where` puts it in the message the user wrote, whatever the flow; an empty message
or an untouched template still aborts; and the commit-msg verdict is the verdict `check` gives
the stored commit, for every cleanup mode."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from testing import gitrepo
from testing.run import run_console, run_pushguard

POLICY = '[commit.jira]\nprojects = ["PROJ"]\n[commit.conventional]\n'
EDITOR = '''\
import json, os, sys
path, edit = sys.argv[1], json.loads(os.environ['PG_EDIT'])
old = open(path, encoding='utf-8', newline='').read()
if edit['action'] == 'prepend':
    new = edit['text'] + old
elif edit['action'] == 'replace-first':
    lines = old.split('\\n')
    lines[0] = edit['text']
    new = '\\n'.join(lines)
elif edit['action'] == 'keep':
    new = old
else:
    new = edit['text']
open(path, 'w', encoding='utf-8', newline='').write(new)
'''


@pytest.fixture
def flow(repo, tmp_path):
    """A repository on feat/PROJ-123-login with pushguard's hooks installed."""
    gitrepo.commit(repo, 'chore: PROJ-1 start', {'.pushguard.toml': POLICY})
    gitrepo.git('checkout', '-q', '-b', 'feat/PROJ-123-login', cwd=repo)
    assert run_console('install').code == 0
    (tmp_path / 'editor.py').write_text(EDITOR)
    return repo


def _commit(repo, *args, edit=None, verify=True, stdin=None):
    editor = f'"{sys.executable}" "{repo.parent / "editor.py"}"'
    env = {**os.environ, 'GIT_EDITOR': editor, 'PG_EDIT': json.dumps(edit or {'action': 'keep'})}
    argv = ('git', 'commit', '--no-gpg-sign', '--allow-empty', *args,
            *(() if verify else ('--no-verify',)))
    return subprocess.run(argv, cwd=repo, capture_output=True, text=True, env=env)


def _without_hooks(repo, message):
    gitrepo.git('-c', 'core.hooksPath=/nonexistent', 'commit', '-q', '--no-gpg-sign',
                '--allow-empty', '-m', message, cwd=repo)


def _last(repo, fmt='%B'):
    return gitrepo.git('log', '-1', f'--format={fmt}', cwd=repo)


def _head(repo):
    return gitrepo.head(repo)


@pytest.mark.parametrize(('args', 'edit'), (
    pytest.param(('-m', 'feat: add login'), None, id='m'),
    pytest.param(('-F', 'msg.txt'), None, id='F'),
    pytest.param(('-m', 'feat: add login', '-e'), {'action': 'keep'}, id='m-then-editor'),
    pytest.param((), {'action': 'prepend', 'text': 'feat: add login\n'}, id='editor'),
    pytest.param((), {'action': 'replace-first', 'text': 'feat: add login'},
                 id='editor-replaces-first-line'),
    pytest.param(('--cleanup=whitespace', '-m', 'feat: add login'), None, id='whitespace'),
    pytest.param(('--cleanup=verbatim', '-m', 'feat: add login'), None, id='verbatim'),
))
def test_every_flow_gives_the_same_message(flow, args, edit):
    (flow / 'msg.txt').write_text('feat: add login\n')
    result = _commit(flow, *args, edit=edit)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _last(flow, '%s') == 'feat: PROJ-123 add login\n'


def test_empty_editor_message_aborts(flow):
    before = _head(flow)
    result = _commit(flow, edit={'action': 'set', 'text': ''})
    assert result.returncode == 1
    assert 'Aborting commit due to empty commit message' in result.stderr
    assert '[jira-ticket]' not in result.stdout + result.stderr  # no noise on git's abort
    assert _head(flow) == before


def test_only_comments_and_sign_off_still_abort(flow):
    before = _head(flow)
    result = _commit(flow, '-s', edit={'action': 'keep'})
    assert result.returncode == 1, result.stdout + result.stderr
    assert _head(flow) == before


def test_no_key_before_the_conventional_type(flow):
    result = _commit(flow, edit={'action': 'prepend', 'text': 'fix(ui)!: drop IE\n\nbody\n'})
    assert result.returncode == 0, result.stdout + result.stderr
    assert _last(flow) == 'fix(ui)!: PROJ-123 drop IE\n\nbody\n\n'


@pytest.mark.parametrize(('where', 'expected'), (
    pytest.param('subject', 'feat: PROJ-123 add login', id='subject'),
    pytest.param('anywhere', 'feat: PROJ-123 add login', id='anywhere'),
    pytest.param('scope', 'feat(PROJ-123): add login', id='scope'),
))
def test_where_places_the_key(flow, where, expected):
    (flow / '.pushguard.toml').write_text(POLICY.replace(']\n', f']\nwhere = "{where}"\n', 1))
    result = _commit(flow, edit={'action': 'prepend', 'text': 'feat: add login\n'})
    assert result.returncode == 0, result.stdout + result.stderr
    assert _last(flow, '%s') == f'{expected}\n'


def test_amend(flow):
    _without_hooks(flow, 'feat: add login')
    assert _commit(flow, '--amend', '--no-edit').returncode == 0
    assert _last(flow, '%s') == 'feat: PROJ-123 add login\n'
    reworded = _commit(flow, '--amend', edit={'action': 'replace-first', 'text': 'feat: login'})
    assert reworded.returncode == 0, reworded.stdout + reworded.stderr
    assert _last(flow, '%s') == 'feat: PROJ-123 login\n'


def test_fixup_keeps_fixup_first(flow):
    _without_hooks(flow, 'feat: add login')
    assert _commit(flow, '--fixup=HEAD').returncode == 0
    assert _last(flow, '%s') == 'fixup! feat: add login\n'


def _side_branch(repo):
    gitrepo.git('checkout', '-q', '-b', 'side', 'main', cwd=repo)
    gitrepo.commit(repo, 'feat: PROJ-9 side work', {'side.txt': 'x\n'})
    gitrepo.git('checkout', '-q', 'feat/PROJ-123-login', cwd=repo)


def test_merge(flow):
    _side_branch(flow)
    merged = subprocess.run(('git', 'merge', '--no-ff', '--no-edit', 'side'), cwd=flow,
                            capture_output=True, text=True)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert _last(flow, '%s') == "Merge branch 'side' into feat/PROJ-123-login\n"  # exempt


def test_merge_with_own_message(flow):
    _side_branch(flow)
    merged = subprocess.run(('git', 'merge', '--no-ff', '-m', 'feat: bring side in', 'side'),
                            cwd=flow, capture_output=True, text=True)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert _last(flow, '%s') == 'feat: PROJ-123 bring side in\n'


def test_squash(flow):
    _side_branch(flow)
    gitrepo.git('merge', '--squash', 'side', cwd=flow)
    result = _commit(flow, edit={'action': 'prepend', 'text': 'feat: add login\n\n'})
    assert result.returncode == 0, result.stdout + result.stderr
    assert _last(flow, '%s') == 'feat: PROJ-123 add login\n'


@pytest.mark.parametrize('how', ('config', 'flag'))
def test_template(flow, how):
    (flow.parent / 'template.txt').write_text('feat: \n\n# why was this needed?\n')
    args = ('-t', str(flow.parent / 'template.txt')) if how == 'flag' else ()
    if how == 'config':
        gitrepo.git('config', 'commit.template', str(flow.parent / 'template.txt'), cwd=flow)
    before = _head(flow)
    untouched = _commit(flow, *args, edit={'action': 'keep'})
    assert untouched.returncode == 1
    assert 'you did not edit the message' in untouched.stderr
    assert _head(flow) == before
    edited = _commit(flow, *args, edit={'action': 'replace-first', 'text': 'feat: add login'})
    assert edited.returncode == 0, edited.stdout + edited.stderr
    assert _last(flow) == 'feat: PROJ-123 add login\n\n'


# --- one verdict for one message: commit-msg and `check` agree, whatever git's cleanup ---------

MESSAGES = {
    'comment-below': 'feat: PROJ-1 add login\n\n# a note\n',
    'comment-first': '# heading\nfeat: PROJ-1 add login\n',
    'cr-only-lines': 'feat: PROJ-1 add login\n\r\n\r\nbody after CR-only lines\n',
    'crlf': 'feat: PROJ-1 add login\r\n\r\nbody\r\n',
    'scissors': 'feat: PROJ-1 add login\n\n# ------------------------ >8 ------------------------'
                '\nnot a header: below the cut\n',
}
VERDICT_POLICY = POLICY + "[commit]\nforbidden-pattern = '(?m)^# a note|below the cut'\n"


@pytest.mark.parametrize('message', MESSAGES.values(), ids=MESSAGES.keys())
@pytest.mark.parametrize('mode', ('strip', 'whitespace', 'verbatim', 'scissors', 'default'))
@pytest.mark.parametrize('editor', (False, True), ids=('m', 'editor'))
def test_commit_time_verdict_is_push_time_verdict(flow, message, mode, editor):
    (flow / '.pushguard.toml').write_text(VERDICT_POLICY)
    gitrepo.git('commit', '-q', '-a', '--no-verify', '-m', 'chore: PROJ-1 policy', cwd=flow)
    before = _head(flow)
    args = (f'--cleanup={mode}',) if mode != 'default' else ()
    source = (('-F', '-'),) if not editor else ()
    edit = {'action': 'prepend' if editor else 'keep', 'text': message}
    run = _commit_with_stdin if not editor else _commit
    hooked = run(flow, *args, *[a for pair in source for a in pair], edit=edit, stdin=message)
    if hooked.returncode != 0:
        assert _head(flow) == before, hooked.stderr
        assert run(flow, *args, *[a for pair in source for a in pair], edit=edit, stdin=message,
                   verify=False).returncode == 0
    pushed = run_pushguard('check', f'{before}..HEAD', '--skip', 'secrets')
    assert (hooked.returncode != 0) == (pushed.code != 0), (hooked.stdout, pushed.out)


def _commit_with_stdin(repo, *args, edit=None, stdin='', verify=True):
    env = {**os.environ, 'GIT_EDITOR': ':'}
    argv = ('git', 'commit', '--no-gpg-sign', '--allow-empty', *args,
            *(() if verify else ('--no-verify',)))
    return subprocess.run(argv, cwd=repo, capture_output=True, text=True, env=env, input=stdin)


@pytest.mark.parametrize('mode', ('strip', 'whitespace'))
def test_commit_cleanup_config_is_honoured(flow, mode):
    gitrepo.git('config', 'commit.cleanup', mode, cwd=flow)
    (flow / '.pushguard.toml').write_text(VERDICT_POLICY)
    result = _commit_with_stdin(flow, '-F', '-', stdin='# heading\nfeat: PROJ-1 add login\n')
    assert (result.returncode == 0) is (mode == 'strip'), result.stdout


def test_auto_comment_char_is_the_one_git_picked(flow):
    """`#12` starts a line, so git comments its help with `;` and keeps `#12 fix crash`."""
    gitrepo.git('config', 'core.commentChar', 'auto', cwd=flow)
    (flow / '.pushguard.toml').write_text("[commit]\npattern = '^#12 fix crash'\n")
    result = _commit(flow, '-m', '#12 fix crash\n\nbody', '-e', edit={'action': 'keep'})
    assert result.returncode == 0, result.stdout + result.stderr
    assert _last(flow, '%s') == '#12 fix crash\n'


def test_reword_in_an_interactive_rebase_gets_the_branchs_key(flow):
    """git rebase -i detaches HEAD; the branch being rebased still names the key."""
    for name, message in (('a.txt', 'feat: add login'), ('b.txt', 'feat: PROJ-123 more')):
        gitrepo.write(flow, name)  # not empty: a rebase stops at an empty commit
        gitrepo.git('add', name, cwd=flow)
        _without_hooks(flow, message)
    env = {**os.environ, 'GIT_SEQUENCE_EDITOR': "sed -i '1s/^pick/reword/'",
           'GIT_EDITOR': "sed -i '1s/add login/add the login page/'"}
    rebased = subprocess.run(('git', 'rebase', '-i', 'HEAD~2'), cwd=flow, capture_output=True,
                             text=True, env=env)
    assert rebased.returncode == 0, rebased.stdout + rebased.stderr
    assert _last(flow, '%s').startswith('feat: PROJ-123 more')
    assert gitrepo.git('log', '-1', '--format=%s', 'HEAD~1', cwd=flow) == (
        'feat: PROJ-123 add the login page\n')
