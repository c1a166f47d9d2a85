"""git's output read as it comes (git._stream), and HEAD read in one process (git.head)."""
from __future__ import annotations

import pytest

from pushguard import git
from pushguard.git import _stream
from testing import gitrepo


def test_a_long_input_and_a_long_output_do_not_block_each_other(repo):
    """cat-file answers each line as it reads it: its stdin (over a pipe's 64 KiB) is fed while
    its stdout (over 64 KiB too) is read, or both would wait forever."""
    blob = gitrepo.git('hash-object', '-w', '--stdin', stdin=b'x' * 100).strip()
    asked = (blob + '\n').encode() * 3000
    with _stream.streamed('cat-file', '--batch', stdin=asked) as out:
        got = b''
        while chunk := out.read1(1 << 16):
            got += chunk
    assert got == f'{blob} blob 100\n{"x" * 100}\n'.encode() * 3000


def test_lines_come_whole_and_the_last_one_without_a_newline(repo):
    gitrepo.commit(repo, 'one\n\ntwo', {'f.txt': 'x\n'})
    with _stream.streamed('log', '-1', '--format=%B%x00', stdin=b'') as out:
        assert list(out) == [b'one\n', b'\n', b'two\n', b'\x00\n']


def test_what_git_says_on_failure_is_in_the_error(repo):
    with pytest.raises(git.GitError, match=r'`git cat-file -p` failed \(exit 128\).*no-such'):
        with _stream.streamed('cat-file', '-p', 'no-such', stdin=b'') as out:
            out.read1(100)


def test_a_missing_git_is_a_one_line_error(repo, monkeypatch):
    monkeypatch.setenv('PATH', str(repo / 'nothing-here'))
    with pytest.raises(git.GitError, match='git is not installed'):
        with _stream.streamed('log', stdin=b''):
            pass


def test_head_gives_the_commit_and_the_branch_in_one_go(repo):
    assert git.head() == (None, 'main')  # no commit yet
    sha = gitrepo.commit(repo, 'feat: one', {'f.txt': 'x\n'})
    assert git.head() == (sha, 'main')
    gitrepo.git('checkout', '-q', '-b', 'feat/PROJ-1-x')
    assert git.head() == (sha, 'feat/PROJ-1-x')
    gitrepo.git('checkout', '-q', '--detach')
    assert git.head() == (sha, None)
