from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pushguard.git import log
from pushguard.checks import _gitlint, _style_options, commit_style
from pushguard.config import Config
from pushguard.model import Commit, Context, Place
from testing import gitrepo
from testing.run import run_pushguard

BODY = 'Explain why the change is made, in a few words.'
RELAXED = 'ignore = ["body-is-missing", "body-min-length"]\n'


def _hook(repo, message, toml=''):
    (repo / '.pushguard.toml').write_text(f'[commit.style]\n{toml}')
    (repo / 'msg').write_bytes(message.encode())
    return run_pushguard('hook', 'commit-msg', 'msg')


@pytest.mark.parametrize(('toml', 'message'), (
    pytest.param('', f'feat: add login\n\n{BODY}', id='gitlint-defaults'),
    pytest.param(RELAXED, 'feat: add login', id='ignore-body-rules'),
    pytest.param(RELAXED + 'title-max-length = 100', 'x' * 100, id='main-option'),
    pytest.param(RELAXED + 'T1 = 100', 'x' * 100, id='rule-id'),
    pytest.param('body-max-line-length = { line-length = 100 }',
                 f'feat: add login\n\n{BODY}\n{"y" * 100}', id='options-table'),
    pytest.param('', f'feat: Änderung der Anmeldung überall\n\n{BODY} Ünïcödé 日本語',
                 id='non-ascii'),
    pytest.param('', f'feat: add login\n\n{BODY}\n\ngitlint-ignore: all\n\t trailing ',
                 id='gitlint-ignore-line'),
    pytest.param(RELAXED + 'title-match-regex = "PROJ-[0-9]+"', 'feat: PROJ-1 add login',
                 id='regex-is-searched'),
    pytest.param('', 'WIP: Merge me later', id='exempt-by-commit-exempt-not-gitlint'),
    pytest.param('', 'Merge branch "x"', id='exempt-merge'),
    pytest.param('', f'feat: add login \n\n{BODY} \n', id='trailing-space-git-strips'),
    pytest.param('', 'fixup! feat: add login', id='exempt-fixup'),
    pytest.param(RELAXED + 'contrib = []', 'feat: add login', id='no-contrib-rules'),
))
def test_accepted(repo, toml, message):
    if message.startswith('WIP'):
        toml += RELAXED + 'title-must-not-contain-word = []\n'
    result = _hook(repo, message, toml)
    assert (result.code, result.out, result.err) == (0, '', '')


@pytest.mark.parametrize(('toml', 'message', 'expected'), (
    pytest.param(RELAXED, 'feat: ' + 'x' * 70,
                 ('title-max-length: Title exceeds max length (76>72) (line 1)',
                  'shorten the subject line to at most 72 characters'), id='title-length'),
    pytest.param(RELAXED + 'title-max-length = 20', 'feat: add a longer login',
                 ('(24>20)', 'at most 20 characters'), id='title-length-configured'),
    pytest.param(RELAXED, 'feat: add login.', ('title-trailing-punctuation',), id='punctuation'),
    pytest.param(RELAXED, 'WIP feat: add login', ("Title contains the word 'WIP'",),
                 id='wip'),
    pytest.param(RELAXED + 'title-must-not-contain-word = ["TODO"]', 'feat: TODO login',
                 ("Title contains the word 'TODO'",), id='words-list'),
    pytest.param('', 'feat: add login', ('body-is-missing: Body message is missing',
                                         'add a body, after one blank line'), id='no-body'),
    pytest.param('', f'feat: add login\n\n{BODY}\n{"y" * 81}',
                 ('body-max-line-length: Line exceeds max length (81>80) (line 4)',
                  'wrap line 4 at 80 characters'), id='body-line-length'),
    pytest.param('', f'feat: add login\n{BODY}', ('body-first-line-empty',), id='first-line'),
    pytest.param('', f'feat: Änderung\n\n{BODY}\n{"ü" * 81}', ('(81>80)',), id='non-ascii'),
    pytest.param(RELAXED + 'contrib = ["contrib-body-requires-signed-off-by"]',
                 f'feat: add login\n\n{BODY}', ('contrib-body-requires-signed-off-by',),
                 id='contrib-rule'),
))
def test_rejected(repo, toml, message, expected):
    result = _hook(repo, message, toml)
    assert result.code == 1
    assert '[commit-style]' in result.out
    for text in expected:
        assert text in result.out


def test_line_number_is_in_json(repo):
    (repo / '.pushguard.toml').write_text('[commit.style]\n')
    (repo / 'msg').write_text(f'feat: add login\n\n{BODY}\n{"y" * 81}\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'json')
    assert '"line": 4' in result.out


@pytest.mark.parametrize(('toml', 'why'), (
    pytest.param('title-max-lenght = 72', "'title-max-lenght' is not a gitlint rule name or id "
                 "(did you mean 'title-max-length'?)", id='typo'),
    pytest.param('zzz = 72', 'rules: ignore-by-title, ', id='unknown-lists-rules'),
    pytest.param('title-max-length = "long"', "expected a whole number >= 0, got 'long'",
                 id='bad-int'),
    pytest.param('title-max-length = -1', 'expected a whole number >= 0, got -1', id='negative'),
    pytest.param('title-max-length = 7.5', "expected a whole number >= 0, got 7.5", id='float'),
    pytest.param('body-max-line-length = { length = 100 }', "'length' is not an option of the rule",
                 id='bad-option-name'),
    pytest.param('title-trailing-whitespace = true', 'the rule has no option to set',
                 id='no-options'),
    pytest.param('ignore = ["body-missing"]', "ignore: 'body-missing' is not a gitlint rule",
                 id='bad-ignore'),
    pytest.param('ignore = "body-is-missing,x"', "is not a gitlint rule", id='ignore-string'),
    pytest.param('contrib = ["nope"]', "No contrib rule with id or name 'nope'", id='bad-contrib'),
    pytest.param('title-match-regex = "("', 'is not a regular expression RE2 can run',
                 id='bad-regex'),
    pytest.param('body-changed-file-mention = ["a.py"]', 'is not supported', id='unsupported'),
    pytest.param('contrib = ["contrib-allowed-authors"]', 'use [author] email',
                 id='unsupported-contrib'),
    pytest.param('contrib = ["CC3"]', 'is not supported', id='unsupported-contrib-id'),
))
def test_bad_options_are_config_errors(repo, toml, why):
    result = _hook(repo, 'feat: add login', toml)
    assert result.code == 2
    assert 'key commit.style' in result.err
    assert why in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_pushed_commits_share_one_context_and_start_no_git(repo, monkeypatch):
    for n in range(3):
        gitrepo.commit(repo, f'feat: change {n} with a title that is rather too long to pass, as '
                             f'it goes on and on')
    ctx = Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))
    started = []
    real_popen = subprocess.Popen.__init__

    def counting(self, *args, **kwargs):
        started.append(args[0])
        real_popen(self, *args, **kwargs)

    monkeypatch.setattr(subprocess.Popen, '__init__', counting)
    found = list(commit_style.check(ctx, Config(style={'ignore': ['body-is-missing']})))
    assert started == []
    assert [f.commit for f in found] == [c.sha for c in ctx.commits]
    assert f'git rebase -i {ctx.commits[1].sha[:12]}~1' in (found[1].fix or '')


def test_author_email_is_checked_on_pushed_commits(repo):
    gitrepo.git('-c', 'user.email=not-an-email', 'commit', '-q', '--allow-empty', '-m',
                'feat: add login', '--no-verify', cwd=repo,
                env={'GIT_AUTHOR_EMAIL': 'not-an-email'})
    ctx = Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))
    found = list(commit_style.check(ctx, Config(style={'ignore': ['body-is-missing']})))
    assert [f.message for f in found] == [
        'author-valid-email: Author email for commit is invalid: "not-an-email"']
    assert 'git commit --amend --reset-author' in (found[0].fix or '')


def test_whitespace_kept_by_a_verbatim_commit_is_found_when_pushed(repo):
    sha = gitrepo.commit(repo, f'feat: add login \n\n{BODY} \n', None, '--cleanup=verbatim')
    ctx = Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))
    found = list(commit_style.check(ctx, Config(style={})))
    assert [(f.commit, f.line, f.message.split(':')[0]) for f in found] == [
        (sha, 1, 'title-trailing-whitespace'), (sha, 3, 'body-trailing-whitespace')]
    assert 'remove the whitespace at the end of line 3' in (found[1].fix or '')


# The hook's start-up: gitlint/__init__.py looks up gitlint-core's version with importlib.metadata,
# gitlint.git imports arrow and gitlint.rule_finder imports inspect, and linting a message with
# gitlint's own rules needs none of them.
_MODULES_SCRIPT = '''
import json, sys
from pushguard.cli import main
code = main(["hook", "commit-msg", "msg"])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
'''


def _python(script, *args, cwd=None):
    """What `script` printed last, as JSON, and what it printed before."""
    done = subprocess.run((sys.executable, '-c', script, *args), cwd=cwd, check=True,
                          capture_output=True, text=True,
                          env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})
    *before, last = done.stdout.splitlines()
    return json.loads(last), '\n'.join(before)


@pytest.mark.parametrize(('message', 'code'), (
    pytest.param(f'feat: add login\n\n{BODY}\n', 0, id='accepted'),
    pytest.param('feat: add login.\n', 1, id='rejected'),
))
def test_the_hook_imports_neither_the_version_lookup_nor_arrow(repo, message, code):
    (repo / '.pushguard.toml').write_text('[commit.style]\n')
    (repo / 'msg').write_text(message)
    seen, _ = _python(_MODULES_SCRIPT, cwd=repo)
    assert seen['code'] == code
    assert 'gitlint.lint' in seen['modules']  # the check did run
    # authors_commit: gitlint imports its contrib rules by file name, all of them at once
    heavy = {'importlib.metadata', 'arrow', 'gitlint.git', 'inspect', 'authors_commit'}
    assert sorted(heavy & set(seen['modules'])) == []


def test_contrib_rules_are_loaded_when_asked_for(repo):
    (repo / '.pushguard.toml').write_text(
        '[commit.style]\ncontrib = ["contrib-body-requires-signed-off-by"]\n')
    (repo / 'msg').write_text(f'feat: add login\n\n{BODY}\n')
    seen, said = _python(_MODULES_SCRIPT, cwd=repo)
    assert seen['code'] == 1
    assert 'contrib-body-requires-signed-off-by: Body does not contain a \'Signed-off-by\' line' \
        in said
    assert 'inspect' in seen['modules']


_PACKAGE_SCRIPT = '''
import json, sys
from pushguard.checks import _gitlint
if sys.argv[1] == "load":
    _gitlint.load()
import gitlint
names = sorted(vars(gitlint))
print(json.dumps({"names": names, "version": gitlint.__version__}))
'''


def test_skipping_gitlint_init_skips_only_its_version_lookup():
    """Fails when gitlint/__init__.py defines more than `__version__`: _gitlint.load() skips it."""
    (plain, _), (loaded, _) = _python(_PACKAGE_SCRIPT, 'plain'), _python(_PACKAGE_SCRIPT, 'load')
    assert set(plain['names']) - set(loaded['names']) == {
        '__builtins__', '__version__', 'sys', 'metadata'}
    assert set(loaded['names']) - set(plain['names']) == {'__getattr__', 'rule_finder'}
    assert loaded['version'] == plain['version']


def _gitlint_git_commit(commit):
    """The record that gitlint.git's own classes make of `commit`, as commit-style once built it."""
    from gitlint.git import GitCommit, GitCommitMessage, GitContext
    text = commit.message.replace('\r\n', '\n').rstrip('\n')
    lines = text.split('\n')
    message = GitCommitMessage(GitContext(), original=commit.message, full=text, title=lines[0],
                               body=lines[1:])
    return GitCommit(message.context, message, sha=commit.sha, parents=list(commit.parents),
                     author_name=commit.author_name or None,
                     author_email=commit.author_email or None)


def _public(record):
    return {name: getattr(record, name) for name in dir(record)
            if not name.startswith('_') and not callable(getattr(record, name))}


def _context_state(context):
    return {name: value for name, value in vars(context).items() if not name.startswith('_')}


LINTED = (
    pytest.param(Commit(None, 'feat: add login'), id='title-only'),
    pytest.param(Commit('a' * 40, f'feat: add login \r\n\r\n{BODY}\t\r\n', ('b' * 40,),
                        'Ada', 'not-an-email'), id='crlf-whitespace-bad-email'),
    pytest.param(Commit('a' * 40, f'Merge branch "x"\n\n{BODY}\n', ('b' * 40, 'c' * 40)),
                 id='merge'),
    pytest.param(Commit(None, 'fixup! feat: add login\n'), id='fixup'),
    pytest.param(Commit(None, 'squash! feat: add login\n'), id='squash'),
    pytest.param(Commit(None, 'amend! feat: add login\n'), id='amend'),
    pytest.param(Commit(None, 'Revert feat: add login\n'), id='revert'),
    pytest.param(Commit(None, f'WIP: Änderung 日本語.\nno blank line\n{"ü" * 90}\n\n'
                              f'Change-Id: I{"0" * 40}\nSigned-off-by: Ada <ada@example.com>\n',
                        (), 'Bot', 'bot@example.com'), id='many-rules-and-ignore-lines'),
    pytest.param(Commit(None, 'Release 1.0\n\nx\n'), id='ignored-by-title'),
    pytest.param(Commit(None, '\n'), id='empty'),
)


@pytest.mark.parametrize('commit', LINTED)
def test_the_rules_read_the_same_commit_as_gitlint_git_gives(commit):
    """Fails when gitlint's GitCommit has an attribute or value that _gitlint's record lacks."""
    theirs, ours = _gitlint_git_commit(commit), _gitlint.lint_commit(_gitlint.new_context(), commit)
    assert set(_public(ours)) == set(_public(theirs))
    assert {**_public(ours), 'context': None, 'message': None} == {
        **_public(theirs), 'context': None, 'message': None}
    assert {**_public(ours.message), 'context': None} == {
        **_public(theirs.message), 'context': None}
    assert _context_state(ours.context) == _context_state(theirs.context)
    assert ours.message.context is ours.context
    assert str(ours.message) == str(theirs.message)


STRICT = {'contrib': ['CT1', 'CC1', 'CC2'], 'ignore-body-lines': '^Change-Id:',
          'ignore-by-title': {'regex': '^Release', 'ignore': 'all'},
          'ignore-by-author-name': {'regex': '^Bot$', 'ignore': 'CC1'}}


@pytest.mark.parametrize('commit', LINTED)
def test_gitlint_finds_the_same_on_both_records(commit):
    from gitlint.lint import GitLinter

    def found(record):
        violations = GitLinter(_style_options.lint_config(STRICT)).lint(record)
        return [(v.rule_id, v.line_nr, v.message, v.content) for v in violations]

    theirs = found(_gitlint_git_commit(commit))
    assert found(_gitlint.lint_commit(_gitlint.new_context(), commit)) == theirs
