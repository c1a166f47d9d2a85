"""A push costs a fixed number of git processes, however many commits or refs it has."""
from __future__ import annotations


import pytest

from testing import gitrepo
from testing.policies import EVERY_CHECK
from testing.run import counting_git, run_console

# all of them run both in pre-push and in check
WANTED = ','.join(('jira-ticket', 'conventional-commit', 'message-pattern', 'file-size',
                   'forbidden-path', 'author-email', 'dco', 'signature', 'branch-name', 'secrets'))


@pytest.fixture
def counted(tmp_path):
    """The git commands a run starts, by their first argument."""
    log = tmp_path / 'git.log'
    env = counting_git(tmp_path / 'bin', log)

    def run(*argv: str, stdin: bytes = b'') -> list[str]:
        log.write_text('')
        result = run_console(*argv, stdin=stdin, env=env)
        assert result.code in (0, 1), result
        return log.read_text().split()

    return run

@pytest.fixture
def work(tmp_path, monkeypatch):
    repo = gitrepo.pushed_work(tmp_path, EVERY_CHECK)
    monkeypatch.chdir(repo)
    return repo


def branch_of(repo, name: str, count: int) -> str:
    """`count` commits on a new branch off main, each adding a file, in one git fast-import."""
    stream = [f'reset refs/heads/{name}\nfrom {gitrepo.head(repo)}\n']
    for n in range(count):
        message = f'WIP commit {n} without key'.encode()
        body = f'token = "AKIAIOSFODNN7EXAMPL{n % 10}"\nline {n}\n'.encode()
        stream.append(
            f'commit refs/heads/{name}\n'
            f'author Ada <ada@example.com> 1767225600 +0000\n'
            f'committer Ada <ada@example.com> 1767225600 +0000\n'
            f'data {len(message)}\n{message.decode()}\n'
            f'M 100644 inline dir {n}/file {n}.pem\ndata {len(body)}\n{body.decode()}\n',
        )
    gitrepo.git('fast-import', '--quiet', stdin=''.join(stream).encode())
    return gitrepo.head(repo, f'refs/heads/{name}')


def pre_push_line(repo, tip: str, ref: str) -> str:
    return f'refs/heads/{ref} {tip} refs/heads/{ref} {gitrepo.zeros(repo)}\n'


def test_3_and_300_commit_pushes_start_the_same_git_processes(work, counted):
    small = branch_of(work, 'small', 3)
    large = branch_of(work, 'large', 300)
    argv = ('hook', 'pre-push', 'origin', 'x', '--only', WANTED, '--format', 'json')
    few = counted(*argv, stdin=pre_push_line(work, small, 'small').encode())
    many = counted(*argv, stdin=pre_push_line(work, large, 'large').encode())
    assert sorted(few) == sorted(many)  # streamed: gits side by side log in either order
    assert len(few) <= 12, few


def test_1_and_1000_refs_start_the_same_git_processes(work, counted):
    tips = [branch_of(work, f'b{n}', 2) for n in range(3)]
    one = pre_push_line(work, tips[0], 'b0')
    thousand = ''.join(pre_push_line(work, tips[n % 3], f'r{n}') for n in range(1000))
    argv = ('hook', 'pre-push', 'origin', 'x', '--only', WANTED)
    assert (sorted(counted(*argv, stdin=one.encode()))
            == sorted(counted(*argv, stdin=thousand.encode())))


def test_check_range_starts_the_same_git_processes(work, counted):
    branch_of(work, 'small', 3)
    branch_of(work, 'large', 300)
    few = counted('check', 'main..small', '--branch', 'small', '--only', WANTED)
    many = counted('check', 'main..large', '--branch', 'large', '--only', WANTED)
    assert sorted(few) == sorted(many)  # a streamed push runs some gits side by side
    assert len(few) <= 12, few


def _stage_files(repo, count: int) -> None:
    for n in range(count):
        gitrepo.write(repo, f'dir {n}/file {n}.py', f'LIMIT_{n} = {n}\n')
    gitrepo.git('add', '-A', cwd=repo)


@pytest.mark.parametrize('policy', ('', EVERY_CHECK), ids=('default-policy', 'every-check'))
def test_the_pre_commit_hook_starts_two_git_processes_for_1_or_100_files(
        tmp_path, monkeypatch, counted, policy):
    """The paths (diff-index), the added lines (diff), both diffs against `HEAD` as git reads
    it: no rev-parse first, whatever is staged; the sizes come from the loose objects."""
    repo = gitrepo.init(tmp_path / 'repo')
    monkeypatch.chdir(repo)
    gitrepo.commit(repo, 'chore: start', {'.pushguard.toml': policy})
    _stage_files(repo, 1)
    one = counted('hook', 'pre-commit')
    _stage_files(repo, 100)
    assert counted('hook', 'pre-commit') == one
    assert len(one) == 2 and 'rev-parse' not in one, one
