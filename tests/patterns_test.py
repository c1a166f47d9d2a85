"""User regexes run with RE2 semantics: none can hang a commit or a push (issue 7, 2.5)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from pushguard import patterns
from pushguard.errors import ConfigError
from testing.gitrepo import bare_remote, commit, git
from testing.run import run_pushguard

EVIL = '^(a+)+$'
ATTACK = 'a' * 30 + '!'  # Python's re backtracks for minutes on this


def test_the_classic_catastrophic_pattern_returns_at_once():
    started = time.perf_counter()
    assert patterns.compile(EVIL, 'commit.pattern').search(ATTACK) is None
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(('toml', 'message'), (
    pytest.param(f"[commit]\npattern = '{EVIL}'\n", ATTACK, id='commit.pattern'),
    pytest.param(f"[commit]\nforbidden-pattern = '{EVIL}'\n", ATTACK, id='forbidden-pattern'),
    pytest.param(f"[commit]\nexempt = ['{EVIL}']\npattern = 'x'\n", ATTACK, id='exempt'),
    pytest.param(f"[commit.style]\ntitle-match-regex = '{EVIL}'\n", ATTACK,
                 id='gitlint-regex-option'),
    pytest.param(f"[commit.style]\nignore-by-title = '{EVIL}'\n", ATTACK, id='gitlint-ignore-by'),
))
def test_no_message_pattern_hangs_the_commit_msg_hook(repo, toml, message):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_text(f'{message}\n')
    started = time.perf_counter()
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert time.perf_counter() - started < 5
    assert result.code in (0, 1), result.err


def test_no_branch_or_email_pattern_hangs_a_push(repo, tmp_path):
    server = bare_remote(tmp_path)
    git('remote', 'add', 'origin', str(server))
    (repo / '.pushguard.toml').write_text(
        f"[branch]\npattern = '{EVIL}'\n[author]\nemail = '{EVIL}'\n[remote]\nenabled = false\n")
    commit(repo, 'chore: base')
    git('checkout', '-q', '-b', ATTACK)
    assert run_pushguard('install', '--hook', 'pre-push').code == 0
    started = time.perf_counter()
    push = subprocess.run(('git', 'push', '-q', 'origin', ATTACK), capture_output=True, text=True,
                          timeout=60)
    assert time.perf_counter() - started < 20
    assert push.returncode != 0
    assert '[branch-name]' in push.stdout and '[author-email]' in push.stdout


@pytest.mark.parametrize(('toml', 'key'), (
    pytest.param("[commit]\npattern = '(?=PROJ)'\n", 'commit.pattern', id='commit.pattern'),
    pytest.param("[commit]\nforbidden-pattern = '(a)\\1'\n", 'commit.forbidden-pattern',
                 id='forbidden-pattern'),
    pytest.param("[commit]\nexempt = ['^Merge ', '(?<!x)y']\n", 'commit.exempt',
                 id='commit.exempt'),
    pytest.param("[branch]\npattern = '(?!main)'\n", 'branch.pattern', id='branch.pattern'),
    pytest.param("[author]\nemail = '(?<=@)example'\n", 'author.email', id='author.email'),
    pytest.param("[commit.style]\ntitle-match-regex = '(?=x)'\n",
                 'commit.style: title-match-regex', id='gitlint-option'),
))
def test_a_pattern_re2_cannot_take_is_a_one_line_config_error(repo, toml, key):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_text('feat: add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert f'key {key}' in result.err
    assert 'is not a regular expression RE2 can run' in result.err
    assert 'look-arounds or back-references' in result.err


def test_python_spellings_that_re2_writes_otherwise_keep_their_meaning():
    assert patterns.compile(r'login\Z', 'k').search('add login')
    assert not patterns.compile(r'login\Z', 'k').search('add login\n')
    assert patterns.compile(r'caf\u00e9', 'k').search('café')
    assert patterns.compile(r'\\Z', 'k').search('a\\Z')  # an escaped backslash, then Z


def test_an_error_found_at_run_time_names_the_key():
    with pytest.raises(ConfigError, match=r"^p\.toml: key author\.email: '\(' is not"):
        patterns.compile('(', 'author.email', 'p.toml')


_MODULES = '''
import json, sys
from pushguard.cli import main
code = main(["hook", "commit-msg", "msg"])
print(json.dumps({"code": code, "re2": "re2" in sys.modules}))
'''


@pytest.mark.parametrize(('toml', 'imported'), (
    pytest.param('[commit.jira]\n', False, id='default-exemptions-only'),
    pytest.param("[commit]\nexempt = ['^WIP', '^Merge \"']\npattern = '^feat'\n", False,
                 id='literal-patterns'),
    pytest.param("[commit]\npattern = '^(feat|fix)'\n", True, id='a-real-regex'),
))
def test_re2_is_imported_only_for_a_pattern_that_needs_it(repo, toml, imported):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_text('feat: PROJ-1 add login\n')
    for _ in range(2):  # the second run reads the policy from the cache
        proc = subprocess.run((sys.executable, '-S', '-c', _MODULES), cwd=repo, check=True,
                              capture_output=True, text=True,
                              env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})
        assert json.loads(proc.stdout) == {'code': 0, 're2': imported}


def test_branch_exempt_globs_cannot_hang_either(repo):
    """`branch.exempt` holds globs (fnmatch), which Python matches without backtracking."""
    (repo / '.pushguard.toml').write_text(
        "[branch]\npattern = '^feat/'\nexempt = ['*a*a*a*a*a*a*a*a*b']\n")
    base = commit(repo, 'chore: base')
    commit(repo, 'feat: more')
    started = time.perf_counter()
    result = run_pushguard('check', f'{base}..HEAD', '--branch', 'a' * 200, '--only',
                           'branch-name')
    assert time.perf_counter() - started < 5
    assert result.code == 1
