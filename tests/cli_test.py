from __future__ import annotations

import subprocess
import sys

import pytest

from pushguard import arguments, cli
from testing import gitrepo
from testing.run import run_console, run_pushguard


def test_version():
    result = run_pushguard('--version')
    assert result.code == 0
    assert result.out.startswith('pushguard ')


def test_no_command_prints_help_and_exits_2():
    result = run_pushguard()
    assert result.code == 2
    assert 'usage:' in result.out


def test_unknown_check_id_in_only_is_a_usage_error(repo):
    (repo / 'msg').write_text('x\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--only', 'jira-tickets')
    assert result.code == 2
    assert "'jira-tickets' is not a check id" in result.err


def test_missing_message_file_is_one_line(repo):
    result = run_pushguard('hook', 'commit-msg', 'nope.txt')
    assert result.code == 2
    assert result.err.strip() == (
        'pushguard: error: nope.txt: cannot read the commit message: No such file or directory'
    )


def test_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'msg').write_text('x\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 2
    assert 'not inside a git repository' in result.err


def test_a_crash_is_reported_and_never_exits_0(monkeypatch):
    def explode(args):
        raise RuntimeError('boom')
    monkeypatch.setattr(cli, '_target', lambda args: explode)
    result = run_pushguard('check')
    assert result.code == 3
    assert 'pushguard crashed, please report: RuntimeError: boom' in result.err
    assert 'Python 3.' in result.err


def test_interrupt_exits_130(monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, '_target', lambda args: interrupted)
    assert run_pushguard('check').code == 130


@pytest.mark.parametrize('argv', (('hook', 'commit-msg'), ('check', '--format', 'yaml')))
def test_argparse_usage_errors_exit_2(argv):
    assert run_pushguard(*argv).code == 2


def test_console_script_runs(repo):
    (repo / 'msg').write_text('fine\n')
    result = run_console('hook', 'commit-msg', 'msg', cwd=repo)
    assert (result.code, result.err) == (0, '')


@pytest.mark.parametrize('argv', (
    pytest.param(['hook', 'commit-msg', 'MSG'], id='commit-msg'),
    pytest.param(['hook', 'commit-msg', '--config', 'p.toml', 'MSG'], id='commit-msg-config'),
    pytest.param(['hook', 'prepare-commit-msg', 'MSG'], id='prepare'),
    pytest.param(['hook', 'prepare-commit-msg', 'MSG', 'message'], id='prepare-source'),
    pytest.param(['hook', 'prepare-commit-msg', '--config', 'p.toml', 'MSG', 'commit', 'abc123'],
                 id='prepare-config-source-sha'),
    pytest.param(['hook', 'pre-commit'], id='pre-commit'),
    pytest.param(['hook', 'pre-commit', 'a.py', 'dir/b c.txt'], id='pre-commit-filenames'),
    pytest.param(['hook', 'pre-commit', '--config', 'p.toml', 'a.py'], id='pre-commit-config'),
    pytest.param(['hook', 'pre-commit', '--config', 'p.toml'], id='pre-commit-config-only'),
))
def test_commit_time_hooks_read_their_arguments_as_argparse_would(argv):
    quick = cli.commit_time_hook_args(argv)
    assert quick is not None
    assert vars(quick) == vars(arguments.parser(argv).parse_args(argv))


@pytest.mark.parametrize('argv', (
    pytest.param(['hook', 'commit-msg', 'MSG', '--format', 'json'], id='option-after-file'),
    pytest.param(['hook', 'commit-msg', '--only', 'dco', 'MSG'], id='other-option'),
    pytest.param(['hook', 'commit-msg', 'MSG', 'extra'], id='too-many'),
    pytest.param(['hook', 'commit-msg', '--config', 'p.toml'], id='no-file'),
    pytest.param(['hook', 'commit-msg'], id='nothing'),
    pytest.param(['hook', 'pre-commit', '--format', 'json'], id='pre-commit-format'),
    pytest.param(['hook', 'pre-push', 'origin', 'url'], id='pre-push'),
    pytest.param(['check', 'main..HEAD'], id='check'),
))
def test_every_other_command_line_is_read_by_argparse(argv):
    assert cli.commit_time_hook_args(argv) is None


def _run_into_closed_pipe(repo, *argv):
    """`pushguard ARGV | true`: the reader is gone before pushguard writes a byte."""
    proc = subprocess.Popen((sys.executable, '-m', 'pushguard', *argv), cwd=repo,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(), err


@pytest.mark.parametrize(('policy', 'status'), (
    pytest.param('[commit.jira]\nprojects = ["PROJ"]\n', 1, id='blocks'),
    pytest.param('[commit.jira]\nprojects = ["PROJ"]\n[checks]\nwarn = ["jira-ticket"]\n', 0,
                 id='warns'),
))
def test_a_broken_pipe_keeps_the_verdict(repo, policy, status):
    (repo / 'p.toml').write_text(policy)
    for n in range(3):
        gitrepo.commit(repo, f'change {n}')
    code, err = _run_into_closed_pipe(repo, 'check', 'HEAD', '--config', 'p.toml')
    assert (code, err) == (status, '')
