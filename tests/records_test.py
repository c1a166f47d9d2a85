"""Commits and changes read from git a block at a time, as compact records."""
from __future__ import annotations

from pushguard.git import diff, log
from testing import gitrepo


def _history(repo, count: int, long_message: int) -> list[str]:
    """`count` commits by two people, one with a message longer than a read block."""
    stream = []
    for n in range(count):
        who = ('Ada <ada@example.com>', 'Bob <bob@example.com>')[n % 2]
        message = f'feat: change {n}\n\n' + ('x' * long_message if n == count // 2 else 'body')
        stream.append(
            f'commit refs/heads/main\nmark :{n + 1}\n'
            f'author {who} {1767225600 + n} +0000\ncommitter {who} {1767225600 + n} +0000\n'
            f'data {len(message)}\n{message}\n' + (f'from :{n}\n' if n else '')
            + f'M 100644 inline shared.txt\ndata {len(str(n)) + 1}\n{n}\n'
            f'M 100644 inline dir/file {n}.txt\ndata 2\n{n % 10}\n\n',
        )
    gitrepo.git('fast-import', '--quiet', stdin=''.join(stream).encode(), cwd=repo)
    return gitrepo.git('rev-list', '--reverse', 'main', cwd=repo).split()


def test_commits_across_read_blocks_are_read_whole(repo):
    shas = _history(repo, 400, long_message=200_000)
    commits = log.new_commits(['main'])
    assert [c.sha for c in commits] == shas
    assert [c.parents for c in commits] == [()] + [(sha,) for sha in shas[:-1]]
    long = commits[200]
    assert long.message == 'feat: change 200\n\n' + 'x' * 200_000
    assert commits[201].message == 'feat: change 201\n\nbody'
    assert [c.author_email for c in commits[:2]] == ['ada@example.com', 'bob@example.com']


def test_repeated_names_and_parent_shas_are_kept_once(repo):
    _history(repo, 50, long_message=10)
    commits = log.new_commits(['main'])
    assert commits[0].author_name is commits[2].author_name is commits[2].committer_name
    assert commits[0].ref is commits[49].ref
    assert all(c.parents[0] is p.sha for p, c in zip(commits, commits[1:], strict=False))


def test_changes_share_their_commit_sha_ref_and_repeated_paths(repo):
    _history(repo, 300, long_message=10)
    commits = log.new_commits(['main'])
    changes = diff.changes(commits)
    assert len(changes) == 600
    by_sha = {c.sha: c for c in commits}
    assert all(ch.commit is by_sha[ch.commit].sha and ch.ref is by_sha[ch.commit].ref
               for ch in changes)
    shared = [ch.path for ch in changes if ch.path == 'shared.txt']
    assert len(shared) == 300 and all(path is shared[0] for path in shared)
    assert {ch.path for ch in changes[:2]} == {'shared.txt', 'dir/file 0.txt'}
