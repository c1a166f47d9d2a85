from __future__ import annotations

import os
import subprocess
import sys

import pytest

from testing import gitrepo
from testing.run import run_pushguard

TEMPLATE = (
    '\n'
    '# Please enter the commit message for your changes. Lines starting\n'
    "# with '#' will be ignored, and an empty message aborts the commit.\n"
    '#\n'
    '# On branch feat/PROJ-123-login\n'
)


def _jira(where='subject', projects='["PROJ"]', extra=''):
    return f'[commit.jira]\nprojects = {projects}\nwhere = "{where}"\n{extra}'


@pytest.fixture
def branch_repo(repo):
    gitrepo.git('checkout', '-q', '-b', 'feat/PROJ-123-login', cwd=repo)
    return repo


def _prepare(repo, message, toml=None, *args):
    """The file after prepare-commit-msg, as `git commit -m` (no editor) runs it."""
    (repo / '.pushguard.toml').write_text(_jira() if toml is None else toml)
    (repo / 'msg').write_bytes(message.encode() if isinstance(message, str) else message)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv('GIT_EDITOR', ':')  # git's word to a hook that no editor runs
        result = run_pushguard('hook', 'prepare-commit-msg', 'msg', *(args or ('message',)))
    assert (result.code, result.out, result.err) == (0, '', '')
    return (repo / 'msg').read_bytes()


def _commit_msg(repo, message, toml=None, *args):
    """The file after the commit-msg hook (an editor ran: git strips comments), and its code."""
    (repo / '.pushguard.toml').write_text(_jira() if toml is None else toml)
    (repo / 'msg').write_bytes(message.encode() if isinstance(message, str) else message)
    result = run_pushguard('hook', 'commit-msg', 'msg', *args)
    assert result.err == ''
    return (repo / 'msg').read_bytes(), result.code


def _passes_jira(repo):
    return run_pushguard('hook', 'commit-msg', 'msg', '--only', 'jira-ticket').code == 0


@pytest.mark.parametrize(('where', 'message', 'expected', 'passes'), (
    pytest.param('subject', 'add login\n', 'PROJ-123 add login\n', True, id='plain'),
    pytest.param('subject', 'feat: add login\n', 'feat: PROJ-123 add login\n', True,
                 id='after-conventional-prefix'),
    pytest.param('subject', 'feat(ui)!: add login\n', 'feat(ui)!: PROJ-123 add login\n', True,
                 id='after-scope-and-bang'),
    pytest.param('subject', 'feat:add login\n', 'PROJ-123 feat:add login\n', True,
                 id='colon-without-space-is-no-prefix'),
    pytest.param('subject', '10:30 standup notes\n', 'PROJ-123 10:30 standup notes\n', True,
                 id='time-is-no-prefix'),
    pytest.param('subject', 'http://example.com is down\n',
                 'PROJ-123 http://example.com is down\n', True, id='url-is-no-prefix'),
    pytest.param('anywhere', 'feat: add login\n\nbody\n', 'feat: PROJ-123 add login\n\nbody\n',
                 True, id='anywhere'),
    pytest.param('scope', 'feat: add login\n', 'feat(PROJ-123): add login\n', True,
                 id='scope'),
    pytest.param('scope', 'feat!: drop Node 6\n', 'feat(PROJ-123)!: drop Node 6\n', True,
                 id='scope-bang'),
    pytest.param('scope', 'feat(ui): add login\n', 'feat(ui): PROJ-123 add login\n', False,
                 id='scope-taken-check-still-fails'),
    pytest.param('scope', 'add login\n', 'PROJ-123 add login\n', False,
                 id='scope-not-conventional-check-still-fails'),
    pytest.param('subject', 'Änderung für Müller\n', 'PROJ-123 Änderung für Müller\n', True,
                 id='non-ascii'),
    pytest.param('subject', '# comment first\n\nadd login\n' + TEMPLATE,
                 '# comment first\n\nPROJ-123 add login\n' + TEMPLATE, True,
                 id='subject-below-comments'),
    pytest.param('subject', 'add login\r\n\r\nbody\r\n', 'PROJ-123 add login\r\n\r\nbody\r\n',
                 True, id='crlf'),
    pytest.param('subject', 'add login\n\nRefs: PROJ-9\n', 'PROJ-123 add login\n\nRefs: PROJ-9\n',
                 True, id='other-key-in-body-with-where-subject'),
    pytest.param('subject', 'add login\n\nRefs: PROJ-123\n',
                 'PROJ-123 add login\n\nRefs: PROJ-123\n', True, id='branch-key-only-in-body'),
))
def test_inserts_the_branch_key(branch_repo, where, message, expected, passes):
    assert _prepare(branch_repo, message, _jira(where)) == expected.encode()
    assert _passes_jira(branch_repo) is passes


@pytest.mark.parametrize(('toml', 'message', 'args'), (
    pytest.param(None, 'PROJ-123 add login\n', (), id='key-already-in-subject'),
    pytest.param(None, TEMPLATE, (), id='empty-template-git-aborts'),
    pytest.param(None, '', (), id='empty-file-git-aborts'),
    pytest.param(None, 'Signed-off-by: A <a@example.com>\n', (), id='only-sign-off-git-aborts'),
    pytest.param(None, 'add login\n', ('', ''), id='editor-follows'),
    pytest.param(None, 'add login\n', ('template', ''), id='template'),
    pytest.param(_jira('anywhere'), 'add login\n\nRefs: PROJ-9\n', (),
                 id='other-key-already-passes'),
    pytest.param(None, 'Merge branch "x"\n' + TEMPLATE, ('merge',), id='merge'),
    pytest.param(None, 'squashed\n', ('squash',), id='squash'),
    pytest.param(None, 'add login\n', ('commit', 'HEAD'), id='amend-or-reuse'),
    pytest.param('[commit.conventional]\n', 'add login\n', (), id='no-jira-configured'),
    pytest.param(_jira(extra='from-branch = false\n'), 'add login\n', (), id='from-branch-off'),
    pytest.param(_jira(projects='["OPS"]'), 'add login\n', (), id='branch-key-not-allowed'),
    pytest.param(_jira(extra='[checks]\nskip = ["jira-ticket"]\n'), 'add login\n', (),
                 id='jira-skipped'),
    pytest.param(None, 'add login\n', ('message', '', '--skip', 'jira-ticket'), id='skip-flag'),
    pytest.param(None, b'add caf\xe9 \xff login\n', (), id='not-utf8-left-alone'),
    pytest.param(None, 'fixup! add login\n', ('message',), id='fixup-stays-first'),
    pytest.param(None, 'amend! add login\n\nbetter words\n', ('message',), id='amend-bang'),
    pytest.param(None, 'Revert "add login"\n\nThis reverts commit 1234.\n' + TEMPLATE,
                 ('message',), id='revert'),
))
def test_leaves_the_file_alone(branch_repo, toml, message, args):
    raw = message.encode() if isinstance(message, str) else message
    assert _prepare(branch_repo, message, toml, *args) == raw


@pytest.mark.parametrize('branch', (
    pytest.param('feature/login', id='no-key'),
    pytest.param('feat/XPROJ-123-login', id='longer-project'),
    pytest.param('feat/proj-123-login', id='lowercase'),
    pytest.param('feat/PROJ-login', id='no-number'),
    pytest.param('feat/PROJ-0', id='zero'),
    pytest.param('feat/PROJ-12x', id='letters-after'),
))
def test_branch_without_a_key(repo, branch):
    gitrepo.git('checkout', '-q', '-b', branch, cwd=repo)
    assert _prepare(repo, 'add login\n') == b'add login\n'


@pytest.mark.parametrize(('branch', 'key'), (
    pytest.param('feat/PROJ-123-login', 'PROJ-123', id='slash'),
    pytest.param('PROJ-123', 'PROJ-123', id='bare'),
    pytest.param('bugfix-PROJ-12', 'PROJ-12', id='dash-before'),
    pytest.param('ada_PROJ-12_login', 'PROJ-12', id='underscores'),
    pytest.param('release/PROJ-1.2', 'PROJ-1', id='dot-after'),
))
def test_key_found_in_branch_names(repo, branch, key):
    gitrepo.git('checkout', '-q', '-b', branch, cwd=repo)
    assert _prepare(repo, 'add login\n') == f'{key} add login\n'.encode()


def test_branch_key_of_any_project_when_projects_empty(repo):
    gitrepo.git('checkout', '-q', '-b', 'ABC-7', cwd=repo)
    assert _prepare(repo, 'add login\n', '[commit.jira]\n') == b'ABC-7 add login\n'


def test_detached_head(repo):
    gitrepo.commit(repo, 'PROJ-1 base')
    gitrepo.git('checkout', '-q', '--detach', cwd=repo)
    assert _prepare(repo, 'add login\n') == b'add login\n'


def test_custom_comment_char(branch_repo):
    gitrepo.git('config', 'core.commentChar', ';', cwd=branch_repo)
    template = '\n; Please enter the commit message\n; On branch feat/PROJ-123-login\n'
    assert _commit_msg(branch_repo, template) == (template.encode(), 0)  # git aborts: empty
    message = '; comment\n#hashtag is the subject\n'
    expected = b'; comment\nPROJ-123 #hashtag is the subject\n'
    assert _commit_msg(branch_repo, message) == (expected, 0)


def test_below_the_scissors_is_not_the_subject(branch_repo):
    message = ('\n# ------------------------ >8 ------------------------\n'
               '# Do not modify or remove the line above.\ndiff --git a/x b/x\n')
    assert _commit_msg(branch_repo, message) == (message.encode(), 0)  # git aborts: empty
    expected = f'PROJ-123 add x\n{message}'.encode()
    assert _commit_msg(branch_repo, 'add x\n' + message) == (expected, 0)


def test_latin1_commit_encoding_round_trips(branch_repo):
    gitrepo.git('config', 'i18n.commitEncoding', 'ISO-8859-1', cwd=branch_repo)
    message = 'feat: Änderung für Müller\n'.encode('latin-1')
    assert _prepare(branch_repo, message) == 'feat: PROJ-123 Änderung für Müller\n'.encode(
        'latin-1')


def _install_hooks(repo):
    for hook in ('prepare-commit-msg', 'commit-msg'):
        path = repo / '.git' / 'hooks' / hook
        path.parent.mkdir(exist_ok=True)
        path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook {hook} "$@"\n')
        path.chmod(0o755)


def _git_commit(repo, *args, env=None):
    return subprocess.run(('git', 'commit', '--no-gpg-sign', '--allow-empty', *args), cwd=repo,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def test_real_git_commit_gets_the_key(branch_repo):
    (branch_repo / '.pushguard.toml').write_text(_jira() + '\n[commit.conventional]\n')
    _install_hooks(branch_repo)
    result = _git_commit(branch_repo, '-m', 'feat: add login')
    assert result.returncode == 0, result.stdout + result.stderr
    logged = gitrepo.git('log', '-1', '--format=%B', cwd=branch_repo)
    assert logged == 'feat: PROJ-123 add login\n\n'


def test_real_amend_keeps_the_message(branch_repo):
    (branch_repo / '.pushguard.toml').write_text(_jira())
    gitrepo.commit(branch_repo, 'feat: add login')  # before the hooks exist
    _install_hooks(branch_repo)
    amended = _git_commit(branch_repo, '--amend', '--no-edit', '--no-verify')
    assert amended.returncode == 0, amended.stdout + amended.stderr
    assert gitrepo.git('log', '-1', '--format=%B', cwd=branch_repo) == 'feat: add login\n\n'
    reworded = _git_commit(branch_repo, '--amend', '-m', 'feat: add login page')
    assert reworded.returncode == 0, reworded.stdout + reworded.stderr
    assert gitrepo.git('log', '-1', '--format=%s', cwd=branch_repo) == (
        'feat: PROJ-123 add login page\n')


def test_real_git_commit_with_the_editor_template(branch_repo):
    """The editor shows git's template untouched, and quitting it aborts the commit."""
    (branch_repo / '.pushguard.toml').write_text(_jira())
    _install_hooks(branch_repo)
    editor = f'"{sys.executable}" -c "import sys; print(open(sys.argv[1]).read())"'
    result = _git_commit(branch_repo, env={'GIT_EDITOR': editor})
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith('\n# Please enter the commit message')
    assert 'Aborting commit due to empty commit message' in result.stderr


def test_hash_subject_given_with_m_is_the_subject(branch_repo):
    assert _prepare(branch_repo, '#12 fix crash\n', None, 'message') == b'PROJ-123 #12 fix crash\n'
    assert _commit_msg(branch_repo, '#12 fix crash\nfix it\n') == (
        b'#12 fix crash\nPROJ-123 fix it\n', 0)  # edited: the # line is a comment


def test_real_git_commit_m_with_hash_subject(branch_repo):
    (branch_repo / '.pushguard.toml').write_text(_jira())
    _install_hooks(branch_repo)
    result = _git_commit(branch_repo, '-m', '#12 fix crash')
    assert result.returncode == 0, result.stdout + result.stderr
    assert gitrepo.git('log', '-1', '--format=%s', cwd=branch_repo) == 'PROJ-123 #12 fix crash\n'


@pytest.mark.parametrize(('source', 'expected'), (
    pytest.param('merge', b'add login\n', id='merge'),
    pytest.param('commit', b'add login\n', id='amend'),
    pytest.param('message', b'PROJ-123 add login\n', id='message'),
))
def test_source_from_pre_commit_environment(branch_repo, monkeypatch, source, expected):
    monkeypatch.setenv('PRE_COMMIT_COMMIT_MSG_SOURCE', source)
    assert _prepare(branch_repo, 'add login\n', None, '') == expected


def test_real_git_commit_fixup_keeps_fixup_first(branch_repo):
    (branch_repo / '.pushguard.toml').write_text(_jira())
    gitrepo.commit(branch_repo, 'feat: add login')  # before the hooks exist
    _install_hooks(branch_repo)
    fixup = _git_commit(branch_repo, '--fixup=HEAD')
    assert fixup.returncode == 0, fixup.stdout + fixup.stderr
    assert gitrepo.git('log', '-1', '--format=%s', cwd=branch_repo) == 'fixup! feat: add login\n'
