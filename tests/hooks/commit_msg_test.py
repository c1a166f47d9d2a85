from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testing import gitrepo
from testing.policies import JIRA
from testing.run import exit_and_children, run_pushguard

ALL_MESSAGE_CHECKS = '''\
[commit.jira]
projects = ["PROJ"]
where = "anywhere"

[commit.conventional]

[commit.style]
ignore = ["body-is-missing"]

[commit]
pattern = '[A-Z]+-[0-9]+'
forbidden-pattern = '(?i)\\bwip\\b'
'''
JIRA_CONVENTIONAL = JIRA + '\n[commit.conventional]\n'
TEMPLATE = '''
# Please enter the commit message for your changes. Lines starting
# with '#' will be ignored, and an empty message aborts the commit.
#
# On branch main
'''


def _hook(repo, message, toml=JIRA_CONVENTIONAL, *args):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_bytes(message.encode() if isinstance(message, str) else message)
    return run_pushguard('hook', 'commit-msg', 'msg', *args)


@pytest.mark.parametrize('message', (
    pytest.param('feat: PROJ-1 add login\n' + TEMPLATE, id='git-template-comments'),
    pytest.param('# leading comment\n\nfeat: PROJ-1 add login\n', id='leading-comment'),
    pytest.param('feat: PROJ-1 add login\n\n'
                 '# ------------------------ >8 ------------------------\n'
                 '# Do not modify or remove the line above.\n'
                 'diff --git a/x b/x\nadd everything, even this is no header\n', id='scissors'),
    pytest.param('\n\n  \nfeat: PROJ-1 add login   \n\n\n\nbody\n', id='blank-lines-stripped'),
    pytest.param('feat: PROJ-1 Änderung: 日本語のメッセージ\n', id='non-ascii'),
    pytest.param('Merge branch "feat/x" into main\n', id='exempt-merge'),
    pytest.param('Revert "feat: PROJ-1 add login"\n\nThis reverts commit abc.\n',
                 id='exempt-revert'),
    pytest.param('fixup! feat: PROJ-1 add login\n', id='exempt-fixup'),
    pytest.param('squash! whatever\n', id='exempt-squash'),
    pytest.param('amend! whatever\n', id='exempt-amend'),
))
def test_accepted(repo, message):
    result = _hook(repo, message)
    assert (result.code, result.out, result.err) == (0, '', '')


@pytest.mark.parametrize(('message', 'expected'), (
    pytest.param('add login\n', ('[jira-ticket]', '[conventional-commit]'), id='both'),
    pytest.param('# feat: PROJ-1 add login\nadd login\n', ('[jira-ticket]',), id='comment-hidden'),
    pytest.param('feat: add login\n\n# ------------------------ >8 ------------------------\n'
                 'PROJ-1 below the scissors\n', ('[jira-ticket]',), id='below-scissors'),
))
def test_rejected(repo, message, expected):
    result = _hook(repo, message)
    assert result.code == 1
    for check_id in expected:
        assert check_id in result.out
    assert 'fix: write the message like:' in result.out


def test_custom_comment_char(repo):
    gitrepo.git('config', 'core.commentChar', ';', cwd=repo)
    message = ('; the template, commented with ;\nfeat: PROJ-1 add login\n'
               '# not a comment now\n; ------------------------ >8 ------------------------\n'
               '; Do not modify or remove the line above.\ngarbage\n')
    toml = (JIRA + '[commit]\n'
            "forbidden-pattern = 'garbage|template'\npattern = '# not a comment'\n")
    result = _hook(repo, message, toml)
    assert (result.code, result.out) == (0, '')
    assert _hook(repo, '# PROJ-1 is not a comment here\n').code == 1  # no header: conventional


def test_auto_comment_char_means_hash(repo):
    gitrepo.git('config', 'core.commentChar', 'auto', cwd=repo)
    assert _hook(repo, '# x\nfeat: PROJ-1 add login\n').code == 0


def test_invalid_utf8_is_replaced_not_a_traceback(repo):
    result = _hook(repo, b'feat: PROJ-1 caf\xe9 \xff\xfe\n',
                   JIRA_CONVENTIONAL + "\n[commit]\nforbidden-pattern = '\\ufffd'\n")
    assert result.code == 1
    assert "contains '\ufffd'" in result.out
    assert 'Traceback' not in result.err


def test_commit_encoding_latin1_is_decoded(repo):
    gitrepo.git('config', 'i18n.commitEncoding', 'ISO-8859-1', cwd=repo)
    latin1 = 'feat: PROJ-1 Änderung für Müller\n'.encode('latin-1')
    result = _hook(repo, latin1, JIRA_CONVENTIONAL + "\n[commit]\npattern = 'Änderung für'\n")
    assert (result.code, result.out, result.err) == (0, '', '')


def test_unknown_commit_encoding_falls_back_to_utf8(repo):
    gitrepo.git('config', 'i18n.commitEncoding', 'no-such-charset', cwd=repo)
    assert _hook(repo, 'feat: PROJ-1 Änderung\n').code == 0


def test_missing_file_is_a_one_line_error(repo):
    (repo / '.pushguard.toml').write_text(JIRA_CONVENTIONAL)
    result = run_pushguard('hook', 'commit-msg', 'nope')
    assert result.code == 2
    assert result.err.startswith('pushguard: error: nope: cannot read the commit message')


def test_json_output_has_no_commit_and_the_branch_ref(repo):
    result = _hook(repo, 'add login\n', JIRA_CONVENTIONAL, '--format', 'json')
    found = json.loads(result.out)['findings']
    assert {f['check'] for f in found} == {'jira-ticket', 'conventional-commit'}
    assert {f['commit'] for f in found} == {None}
    assert {f['ref'] for f in found} == {'refs/heads/main'}


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda text: text.encode('utf-8', 'surrogatepass')),
    st.lists(st.sampled_from([
        b'feat: ', b'PROJ-1', b'(', b')', b'!', b':', b' ', b'\n', b'\r\n', b'# ', b'\t',
        b'BREAKING CHANGE: ', b'Signed-off-by: ', b'------------------------ >8 --------'
        b'----------------', b'\xff', b'\xc3', b'\xe9', b'WIP', b'x' * 90,
    ]), max_size=25).map(b''.join),
))
def test_arbitrary_bytes_never_crash(repo, raw):
    result = _hook(repo, raw, ALL_MESSAGE_CHECKS)
    assert result.code in (0, 1), result.err
    assert result.err == ''


_MODULES_SCRIPT = '''
import sys
from pushguard.cli import main
code = main(["hook", "commit-msg", "msg"])
modules = sorted(sys.modules)
import json
with open("modules.json", "w") as f:
    json.dump({"code": code, "modules": modules}, f)
'''


# each of these cost a hook start-up more time than the checks' own work; a policy file seen
# before comes from the cache, so tomllib and cfgv are not imported either
_SLOW_TO_IMPORT = ('detect_secrets', 'urllib.request', 'http.client', 'gitlint', 'dataclasses',
                   'inspect', 'typing', 'argparse', 'subprocess', 'tomllib', 'cfgv',
                   'pushguard.schema', 'pushguard.git.log', 'pushguard.git.diff',
                   'pushguard.git.patch', 'contextlib', 'pushguard.forges',
                   'pushguard.forges.rules', 'pushguard.checks._remote', 'urllib.parse',
                   # a message that passes prints nothing: no renderer, no JSON (never synced)
                   'pushguard.report.text', 'pushguard.report._shared', 'hashlib', 'json')


@pytest.mark.parametrize(('toml', 'absent'), (
    pytest.param(JIRA_CONVENTIONAL, _SLOW_TO_IMPORT, id='jira-conventional'),
    pytest.param(ALL_MESSAGE_CHECKS, ('detect_secrets',), id='with-commit-style'),
))
def test_commit_msg_hook_imports_no_heavy_modules(repo, toml, absent):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_text('feat: PROJ-1 add login\n\nA body that explains the change.\n')
    for _ in range(2):  # the first run fills the cache; -S as the installed hook runs it
        subprocess.run((sys.executable, '-S', '-c', _MODULES_SCRIPT), cwd=repo, check=True,
                       env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})
    with open(repo / 'modules.json') as f:
        seen = json.load(f)
    assert seen['code'] == 0
    assert {'pushguard.checks.jira_ticket', 'pushguard.checks.conventional_commit'} <= set(
        seen['modules'])  # the checks did run
    assert sorted(set(absent) & set(seen['modules'])) == []
    if 'commit.style' in toml:
        assert 'gitlint' in seen['modules']


def test_a_changed_policy_is_read_again_not_taken_from_the_cache(repo):
    (repo / '.pushguard.toml').write_text(JIRA_CONVENTIONAL)
    assert _hook(repo, 'feat: PROJ-1 add login\n', JIRA_CONVENTIONAL).code == 0
    stricter = JIRA_CONVENTIONAL.replace('"PROJ"', '"OTHER"')
    result = _hook(repo, 'feat: PROJ-1 add login\n', stricter)
    assert result.code == 1
    assert '[jira-ticket]' in result.out
    assert _hook(repo, 'feat: PROJ-1 add login\n', stricter + '[nope]\n').code == 2


def _install_hook(repo, hook):
    path = repo / '.git' / 'hooks' / hook
    path.parent.mkdir(exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook {hook} "$@"\n')
    path.chmod(0o755)


def _git_commit(repo, *args):
    return subprocess.run(('git', 'commit', '--no-gpg-sign', '--allow-empty', *args), cwd=repo,
                          capture_output=True, text=True)


def test_real_git_commit_through_the_hook(repo):
    (repo / '.pushguard.toml').write_text(JIRA_CONVENTIONAL)
    _install_hook(repo, 'commit-msg')
    refused = _git_commit(repo, '-m', 'add login')
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert '[jira-ticket]' in said
    assert '[conventional-commit]' in said
    assert 'write the message like: feat: PROJ-123 add login' in said  # one fix for both
    assert subprocess.run(('git', 'rev-parse', '-q', '--verify', 'HEAD'), cwd=repo,
                          capture_output=True).returncode != 0
    landed = _git_commit(repo, '-m', 'feat: PROJ-1 add login')
    assert landed.returncode == 0, landed.stderr
    assert gitrepo.git('log', '-1', '--format=%s', cwd=repo) == 'feat: PROJ-1 add login\n'


def test_real_git_commit_with_editor_template_and_verbose_diff(repo):
    (repo / '.pushguard.toml').write_text(JIRA_CONVENTIONAL)
    _install_hook(repo, 'commit-msg')
    gitrepo.write(repo, 'a.txt', 'add everything\n')
    gitrepo.git('add', 'a.txt', cwd=repo)
    editor = f'"{sys.executable}" -c "import sys; open(sys.argv[1], \'a\').write(\'\')"'
    result = subprocess.run(
        ('git', 'commit', '--no-gpg-sign', '-v', '-m', 'feat: PROJ-1 add a.txt', '-e'),
        cwd=repo, capture_output=True, text=True, env={**os.environ, 'GIT_EDITOR': editor},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hash_subject_given_with_m_is_the_message(repo, monkeypatch):
    toml = "[commit]\npattern = '^#12 fix crash$'\n"
    monkeypatch.setenv('GIT_EDITOR', ':')  # what git sets for a hook when no editor runs
    assert _hook(repo, '#12 fix crash\n', toml).code == 0
    monkeypatch.delenv('GIT_EDITOR')  # edited: a comment, and the subject is the next line
    assert _hook(repo, '#12 fix crash\nfix crash\n' + TEMPLATE, toml).code == 1


def test_real_git_commit_m_with_hash_subject(repo):
    (repo / '.pushguard.toml').write_text("[commit]\npattern = '^#12 fix crash$'\n")
    _install_hook(repo, 'commit-msg')
    result = _git_commit(repo, '-m', '#12 fix crash')
    assert result.returncode == 0, result.stdout + result.stderr
    assert gitrepo.git('log', '-1', '--format=%s', cwd=repo) == '#12 fix crash\n'


def test_the_settings_started_first_are_what_git_config_values_reads(repo, monkeypatch):
    """The commit-msg hook starts `git config` before it imports the rest: the same command
    as `git.config_values` runs, and the same answer, -c settings and the most local included."""
    import re

    from pushguard import git
    from pushguard.hooks import _git_settings
    assert _git_settings.PATTERN == '^(' + '|'.join(
        re.escape(git._canonical(key)) for key in _git_settings.KEYS) + ')$'
    assert _git_settings.Started().values() == git.config_values(*_git_settings.KEYS) == {}
    gitrepo.git('config', 'core.commentChar', ';', cwd=repo)
    gitrepo.git('config', 'commit.cleanup', 'scissors', cwd=repo)
    gitrepo.git('config', 'Commit.Verbose', 'true', cwd=repo)
    monkeypatch.setenv('GIT_CONFIG_PARAMETERS', "'i18n.commitEncoding'='latin-1'")
    started = _git_settings.start()
    assert started is not None
    assert started.values() == git.config_values(*_git_settings.KEYS) == {
        'core.commentchar': ';', 'commit.cleanup': 'scissors', 'commit.verbose': 'true',
        'i18n.commitencoding': 'latin-1'}


def test_settings_git_cannot_read_are_a_one_line_error(repo):
    (repo / '.git' / 'config').write_text('[core\n')
    (repo / 'msg').write_text('feat: PROJ-1 add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', cwd=repo)
    assert result.code == 2
    assert result.err.startswith('pushguard: error: `git config -z` failed (exit ')
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(('name', 'code'), (('msg', 0), ('missing', 2)))
def test_the_hook_leaves_no_git_process_behind_even_when_it_fails(repo, name, code):
    (repo / '.pushguard.toml').write_text(JIRA_CONVENTIONAL)
    (repo / 'msg').write_text('feat: PROJ-1 add login\n')
    assert exit_and_children('hook', 'commit-msg', name, cwd=repo) == [str(code), 'waited']
