"""Config and message files that are not files (issue 7, 2.6): refused at once, in one line."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pushguard import config, files
from pushguard.errors import ConfigError, PushguardError
from testing.run import run_pushguard


def _console(repo, *argv):
    """The CLI in a subprocess, with a time limit: a FIFO read by mistake would never return."""
    proc = subprocess.run((sys.executable, '-m', 'pushguard', *argv), cwd=repo, timeout=30,
                          capture_output=True, text=True,
                          env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})
    return proc.returncode, proc.stderr


def test_a_dangling_policy_symlink_is_an_error_not_the_default(repo):
    os.symlink('shared/policy.toml', repo / '.pushguard.toml')
    (repo / 'msg').write_text('whatever\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 2
    assert result.err.strip().endswith(
        ".pushguard.toml: cannot read: it is a symbolic link to 'shared/policy.toml', "
        'which does not exist')


def test_a_dangling_pyproject_symlink_is_an_error(repo):
    os.symlink('nowhere.toml', repo / 'pyproject.toml')
    with pytest.raises(ConfigError, match='symbolic link'):
        config.load(root=str(repo))


def test_a_policy_symlink_to_a_file_is_read(repo):
    (repo / 'real.toml').write_text('[commit.jira]\nprojects = ["OPS"]\n')
    os.symlink('real.toml', repo / '.pushguard.toml')
    assert config.load(root=str(repo)).jira == config.Jira(projects=('OPS',))


@pytest.mark.parametrize('where', ('.pushguard.toml', 'pyproject.toml'))
def test_a_fifo_is_refused_at_once(repo, where):
    os.mkfifo(repo / where)
    (repo / 'msg').write_text('whatever\n')
    code, err = _console(repo, 'hook', 'commit-msg', 'msg')
    assert code == 2
    assert err.strip().endswith(f'{where}: cannot read: it is a FIFO (named pipe), not a regular '
                                'file')


def test_a_device_is_refused(repo):
    code, err = _console(repo, 'check', 'HEAD', '--config', '/dev/zero')
    assert code == 2
    assert err.strip() == ('pushguard: error: /dev/zero: cannot read: it is a character device, '
                           'not a regular file')


def test_a_directory_is_refused(repo):
    (repo / '.pushguard.toml').mkdir()
    with pytest.raises(ConfigError, match='it is a directory, not a regular file'):
        config.load(root=str(repo))


def test_a_huge_policy_is_refused_by_its_size(repo):
    with open(repo / '.pushguard.toml', 'wb') as f:
        f.truncate(config.MAX_FILE_SIZE + 1)  # sparse: nothing is written
    (repo / 'msg').write_text('whatever\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 2
    assert 'cannot read: it is 1.0 MiB, more than the 1.0 MiB allowed' in result.err


def test_a_fifo_as_the_commit_message_is_refused_at_once(repo):
    os.mkfifo(repo / 'msg')
    code, err = _console(repo, 'hook', 'commit-msg', 'msg')
    assert code == 2
    assert err.strip().endswith('msg: cannot read the commit message: it is a FIFO (named pipe), '
                                'not a regular file')


def test_the_reader_returns_the_bytes_and_names_what_it_read(tmp_path):
    path = tmp_path / 'f'
    path.write_bytes(b'abc')
    assert files.read(str(path), 3) == b'abc'
    with pytest.raises(PushguardError, match=r'f: cannot read the thing: it is 3 bytes, more '
                                             r'than the 2 bytes allowed$'):
        files.read(str(path), 2, 'the thing')
    with pytest.raises(ConfigError, match='No such file or directory'):
        files.read(str(tmp_path / 'nope'), 10, error=ConfigError)
