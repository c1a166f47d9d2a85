from __future__ import annotations

import os
import subprocess

import pytest

from pushguard import git
from pushguard.git import _quoting, diff, log, patch
from testing import gitrepo
from testing.run import Trickle

ODD_NAMES = [
    pytest.param(b'with space.txt', id='space'),
    pytest.param(b'new\nline.txt', id='newline'),
    pytest.param(b'tab\there.txt', id='tab'),
    pytest.param(b'caf\xc3\xa9.txt', id='utf8'),
    pytest.param(b'latin\xe9.txt', id='not-utf8'),
    pytest.param(b'quote"and\\slash.txt', id='quote-backslash'),
    pytest.param(b'quote "and space.txt', id='quote-space'),  # git puts a TAB after the quote
    pytest.param(b'dir with space/inner file.txt', id='dir-space'),
]


@pytest.mark.parametrize('name', ODD_NAMES)
def test_changes_and_added_lines_keep_odd_paths(repo, name):
    gitrepo.write(repo, name, 'one\ntwo\n')
    sha = gitrepo.commit(repo, 'feat: add')
    commits = log.commits_in([sha])
    [change] = diff.changes(commits)
    assert os.fsencode(change.path) == name
    assert change.status == 'A'
    [added] = list(patch.added_lines(commits))
    assert os.fsencode(added.path) == name
    assert added.lines == ((1, 'one'), (2, 'two'))


def test_added_lines_number_lines_in_the_new_file(repo):
    gitrepo.commit(repo, 'one', {'f.txt': 'a\nb\nc\nd\n'})
    sha = gitrepo.commit(repo, 'two', {'f.txt': 'a\nB\nc\nd\ne\n'})
    [added] = list(patch.added_lines(log.commits_in([f'{sha}~1..{sha}'])))
    assert added.lines == ((2, 'B'), (5, 'e'))


def test_removed_lines_are_not_added_lines(repo):
    gitrepo.commit(repo, 'one', {'f.txt': 'keep\nsecret\n'})
    sha = gitrepo.commit(repo, 'two', {'f.txt': 'keep\n'})
    assert list(patch.added_lines(log.commits_in([f'{sha}~1..{sha}']))) == []


def test_staged_changes_in_an_empty_repository(repo):
    gitrepo.write(repo, 'a.txt', 'hello\n')
    gitrepo.git('add', 'a.txt')
    [change] = diff.staged_changes()
    assert (change.path, change.status, change.commit) == ('a.txt', 'A', None)
    [added] = list(patch.staged_added_lines())
    assert added.lines == ((1, 'hello'),)


def test_a_started_diff_gives_what_the_diff_run_then_gives(repo):
    gitrepo.commit(repo, 'one', {'a.txt': 'v1\n'})
    gitrepo.write(repo, 'a.txt', 'staged\n')
    gitrepo.git('add', 'a.txt')
    started = diff.Started(*diff.staged_args('HEAD'))
    early = diff.staged_changes('HEAD', started)
    assert early == diff.staged_changes('HEAD') and [c.path for c in early] == ['a.txt']
    lines = patch.staged_added_lines(base='HEAD',
                                     started=diff.Started(*patch.staged_patch_args('HEAD')))
    assert [a.lines for a in lines] == [((1, 'staged'),)]


def test_a_started_diff_not_wanted_is_stopped_and_its_failure_is_no_news(repo):
    """Before the first commit, the diff started against HEAD fails: dropped, nothing said."""
    gitrepo.write(repo, 'a.txt', 'hello\n')
    gitrepo.git('add', 'a.txt')
    failing = diff.Started(*diff.staged_args('HEAD'))
    failing.drop()
    failing.drop()  # twice is harmless
    other = diff.Started(*patch.staged_patch_args('HEAD'))
    # a started command that is not the one wanted is dropped, and the right one runs
    [added] = list(patch.staged_added_lines(base=git.empty_tree(), started=other))
    assert added.lines == ((1, 'hello'),)
    with pytest.raises(git.GitError):
        diff.staged_changes('HEAD', diff.Started(*diff.staged_args('HEAD')))


def test_staged_reads_the_index_not_the_work_tree(repo):
    gitrepo.commit(repo, 'one', {'a.txt': 'v1\n'})
    gitrepo.write(repo, 'a.txt', 'staged\n')
    gitrepo.git('add', 'a.txt')
    gitrepo.write(repo, 'a.txt', 'only in the work tree\n')
    [added] = list(patch.staged_added_lines())
    assert added.lines == ((1, 'staged'),)


def test_log_reads_messages_and_identities(repo):
    sha = gitrepo.commit(repo, 'feat: ünïcode subject\n\nbody line')
    [commit] = log.commits_in([sha])
    assert commit.message == 'feat: ünïcode subject\n\nbody line\n'
    assert commit.author_email == 'ada@example.com'
    assert commit.parents == ()


def test_blob_sizes_come_from_the_object_store(repo):
    sha = gitrepo.commit(repo, 'one', {'big.bin': b'\0' * 5000})
    [change] = diff.changes(log.commits_in([sha]))
    gitrepo.write(repo, 'big.bin', 'small now')
    assert diff.blob_sizes([change.blob]) == {change.blob: 5000}


def _batch_check(repo, objects):
    """Each object's (type, size) as `git cat-file --batch-check` says, or 'missing'."""
    out = gitrepo.git('cat-file', '--batch-check=%(objecttype) %(objectsize)', cwd=repo,
                      stdin=''.join(f'{o}\n' for o in objects).encode())
    return out.splitlines()


def test_loose_and_packed_blob_sizes_are_what_cat_file_says(repo, monkeypatch):
    """Loose blobs are sized from their own header, the rest by cat-file: the same answers."""
    packed = gitrepo.commit(repo, 'one', {'a.txt': 'a' * 3000, 'b.bin': b'\0' * 70000})
    gitrepo.git('gc', '-q', cwd=repo)
    gitrepo.write(repo, 'c.txt', 'c' * 1234)
    gitrepo.write(repo, 'empty', '')
    gitrepo.git('add', 'c.txt', 'empty', cwd=repo)
    blobs = [c.blob for c in diff.staged_changes()]
    blobs += [c.blob for c in diff.changes(log.commits_in([packed]))]
    others = [packed, 'f' * 40, 'ab' * 32, '../../config']  # a commit, missing ids, no id
    wanted = blobs + others
    loose = diff._loose_sizes(wanted)
    assert sorted(loose) == sorted(blobs[:2])  # only the staged ones are loose
    sizes = diff.blob_sizes(wanted)
    said = zip(wanted, _batch_check(repo, wanted), strict=True)
    assert sizes == {b: int(line.split()[1]) for b, line in said if line.startswith('blob ')}
    assert sorted(sizes.values()) == [0, 1234, 3000, 70000]
    monkeypatch.setattr(diff, '_staged', set())  # cat-file alone: the same sizes
    assert diff.blob_sizes(wanted) == sizes


def test_a_corrupt_loose_object_is_left_to_cat_file(repo):
    gitrepo.write(repo, 'a.txt', 'hello\n')
    gitrepo.git('add', 'a.txt', cwd=repo)
    [change] = diff.staged_changes()
    where = repo / '.git' / 'objects' / change.blob[:2] / change.blob[2:]
    where.chmod(0o644)
    where.write_bytes(b'not zlib at all')
    assert diff._loose_sizes([change.blob]) == {}
    assert diff.blob_sizes([change.blob]) == {}  # git cannot read it either


def test_loose_blobs_are_found_from_a_linked_worktree(repo, tmp_path, monkeypatch):
    gitrepo.commit(repo, 'one', {'a.txt': 'a\n'})
    gitrepo.git('worktree', 'add', '-q', str(tmp_path / 'linked'), cwd=repo)
    monkeypatch.chdir(tmp_path / 'linked')
    gitrepo.write(tmp_path / 'linked', 'b.txt', 'b' * 99)
    gitrepo.git('add', 'b.txt')
    [change] = diff.staged_changes()
    assert diff._loose_sizes([change.blob]) == {change.blob: 99}
    monkeypatch.setenv('GIT_OBJECT_DIRECTORY', str(tmp_path / 'nowhere'))
    assert diff._loose_sizes([change.blob]) == {}


def test_failing_git_names_the_command(repo):
    with pytest.raises(git.GitError) as e:
        git.run('log', 'no-such-revision')
    assert '`git log no-such-revision` failed (exit 128)' in e.value.message


def test_unquote_octal_and_escapes():
    assert _quoting.unquote(b'"caf\\303\\251\\t\\"x\\\\"') == b'caf\xc3\xa9\t"x\\'


def test_a_streamed_git_that_fails_names_the_command(repo):
    with pytest.raises(git.GitError, match='`git log no-such-rev` failed'):
        with patch._streamed('log', 'no-such-rev', stdin=b'') as out:
            list(out)


def test_a_reader_that_stops_early_leaves_no_error(repo):
    shas = [gitrepo.commit(repo, f'c{n}', {f'f{n}.txt': 'x\n' * 1000}) for n in range(30)]
    stream = patch.added_lines(log.commits_in([shas[-1]]))
    next(stream)
    stream.close()  # git is killed; closing must not raise


@pytest.mark.parametrize('size', (1, 7, 4096))
def test_a_patch_read_in_any_pieces_parses_alike(repo, size):
    shas = [gitrepo.commit(repo, f'c{n}', {f'd{n}/a b.txt': f'x{n}\n' * (n + 1),
                                           'shared.txt': f'{n}\n', 'bin': b'\0' * n})
            for n in range(6)]
    shas.append(gitrepo.commit(repo, 'c-big', {'big.txt': ''.join(f'{n}\n' for n in range(2000))}))
    gitrepo.git('rm', '-q', 'shared.txt')
    shas.append(gitrepo.commit(repo, 'c-rm'))
    commits = log.commits_in([shas[-1]])
    raw = subprocess.run(('git', 'diff-tree', '--stdin', '--root', *patch.PATCH_FLAGS),
                           input=git.stdin_lines(c.sha for c in commits), capture_output=True,
                           check=True).stdout
    whole = list(patch._parse_patch(Trickle(raw, len(raw)), {}.get))  # type: ignore[arg-type]
    assert list(patch._parse_patch(Trickle(raw, size), {}.get)) == whole  # type: ignore[arg-type]
    assert [(a.commit, a.path) for a in whole][:3] == [
        (shas[0], 'd0/a b.txt'), (shas[0], 'shared.txt'), (shas[1], 'bin')]  # binary: as text
    assert whole[-1].lines == tuple((n + 1, str(n)) for n in range(2000))
    assert [a._replace(ref=None) for a in patch.added_lines(commits)] == whole
