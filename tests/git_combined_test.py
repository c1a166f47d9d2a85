"""A merge's added lines, from git's combined diff (`diff-tree --cc`): only the lines the merge
adds against every parent, numbered in the merge's file, for each shape of combined diff."""
from __future__ import annotations

import os
import subprocess

import pytest

from pushguard import git
from pushguard.git import log, patch
from testing import gitrepo
from testing.run import Trickle

Files = dict[str, 'bytes | str | None']  # None: the file is deleted


def _merge(repo, base: Files, parents: list[Files], result: Files) -> str:
    """A merge commit of one branch per item of `parents` (each `base` changed so), whose tree
    is the first parent's changed by `result` (a conflict resolution, an evil merge)."""
    start = gitrepo.commit(repo, 'chore: base', _written(repo, base))
    tips = []
    for n, files in enumerate(parents):
        gitrepo.git('switch', '-q', '-C', f'p{n}', start)
        tips.append(gitrepo.commit(repo, f'feat: p{n}', _written(repo, files)))
    gitrepo.git('switch', '-q', 'p0')
    for name, content in _written(repo, result).items():
        gitrepo.write(repo, name, content)
    gitrepo.git('add', '-A')
    tree = gitrepo.git('write-tree').strip()
    args = [arg for tip in tips for arg in ('-p', tip)]
    merge = gitrepo.git('commit-tree', tree, *args, '-m', 'Merge').strip()
    gitrepo.git('reset', '-q', '--hard', merge)
    return merge


def _written(repo, files: Files) -> dict[str, bytes | str]:
    for name, content in files.items():
        if content is None:
            os.remove(os.path.join(os.fsencode(repo), os.fsencode(name)))
    return {name: content for name, content in files.items() if content is not None}


def _own(merge: str) -> dict[str, tuple[tuple[int, str], ...]]:
    """What added_lines says the merge adds, checked against the merge's files."""
    commits = log.commits_in([merge])
    found = {a.path: a.lines for a in patch.added_lines(commits) if a.commit == merge}
    for path, lines in found.items():
        text = subprocess.run(('git', 'show', f'{merge}:{path}'), capture_output=True,
                              check=True).stdout.decode('utf-8', 'replace').split('\n')
        assert [text[n - 1] for n, _ in lines] == [line for _, line in lines]
    return found


def test_a_conflict_resolution_s_own_line(repo):
    merge = _merge(repo, {'f.txt': 'a\nb\nc\n', 'g.txt': 'g\n'},
                   [{'f.txt': 'a\nB1\nc\n'}, {'f.txt': 'a\nB2\nc\n', 'g.txt': 'g\nfrom p1\n'}],
                   {'f.txt': 'a\nB1\nB2\nRESOLVED\nc\n', 'g.txt': 'g\nfrom p1\n'})
    assert _own(merge) == {'f.txt': ((4, 'RESOLVED'),)}


def test_an_evil_merge_s_line_in_a_file_no_parent_changed(repo):
    merge = _merge(repo, {'f.txt': 'a\n', 'quiet.txt': 'q\n' * 5},
                   [{'f.txt': 'a\none\n'}, {'f.txt': 'zero\na\n'}],
                   {'f.txt': 'zero\na\none\n', 'quiet.txt': 'q\n' * 3 + 'EVIL\n' + 'q\n' * 2})
    assert _own(merge) == {'quiet.txt': ((4, 'EVIL'),)}


def test_an_octopus_merge_s_own_lines(repo):
    merge = _merge(repo, {'f.txt': 'a\nb\nc\n'},
                   [{'f.txt': 'one\na\nb\nc\n'}, {'f.txt': 'a\nb\ntwo\nc\n'},
                    {'f.txt': 'a\nb\nc\nthree\n'}],
                   {'f.txt': 'one\na\nb\ntwo\nc\nthree\nOCTO\n'})
    assert _own(merge) == {'f.txt': ((7, 'OCTO'),)}


def test_a_file_only_the_merge_adds_is_its_own_and_a_deleted_one_adds_nothing(repo):
    merge = _merge(repo, {'f.txt': 'a\n', 'gone.txt': 'g\n'},
                   [{'f.txt': 'a\n1\n', 'branch.txt': 'b\n'}, {'f.txt': '2\na\n'}],
                   {'f.txt': '2\na\n1\n', 'new.txt': 'n1\nn2\n', 'gone.txt': None})
    assert gitrepo.git('diff', '--name-status', f'{merge}^1', merge).split() == [
        'M', 'f.txt', 'D', 'gone.txt', 'A', 'new.txt']
    assert _own(merge) == {'new.txt': ((1, 'n1'), (2, 'n2'))}


def test_a_binary_file_s_lines_are_read_as_text(repo):
    """git writes "Binary files differ" in a combined diff, whatever --text says."""
    merge = _merge(repo, {'bin.dat': b'\0base\n', 'f.txt': 'a\n'},
                   [{'bin.dat': b'\0one\n'}, {'bin.dat': b'\0two\n'}],
                   {'bin.dat': b'\0one\nkept\0 token\n'})
    raw = subprocess.run(('git', 'diff-tree', '--cc', *patch.PATCH_FLAGS, merge),
                         capture_output=True, check=True).stdout
    assert b'\nBinary files differ\n' in raw
    assert _own(merge) == {'bin.dat': ((2, 'kept\0 token'),)}


def test_a_file_one_parent_renamed_is_followed_to_the_other_s(repo):
    lines = ''.join(f'{n}\n' for n in range(1, 21))
    merge = _merge(repo, {'a.txt': lines},
                   [{'a.txt': None, 'b.txt': lines.replace('5\n', 'five\n', 1)},
                    {'a.txt': lines.replace('15\n', 'fifteen\n')}],
                   {'b.txt': lines.replace('5\n', 'five\n', 1).replace('15\n', 'fifteen\n')
                    + 'OWN\n'})
    assert _own(merge) == {'b.txt': ((21, 'OWN'),)}


@pytest.mark.parametrize('name', ('with space.txt', 'quo"te d.txt', 'tab\there.txt',
                                  os.fsdecode(b'caf\xe9 \xff.txt'), 'caf\u00e9.txt'))
def test_paths_as_git_quotes_them(repo, name):
    merge = _merge(repo, {name: 'a\n'}, [{name: 'a\n1\n'}, {name: '2\na\n'}],
                   {name: '2\na\n1\nOWN\n'})
    assert _own(merge) == {name: ((4, 'OWN'),)}


def test_a_line_every_parent_has_hidden_by_u0_still_counts(repo):
    """-U0 leaves out `c` (it only carries the '-' lines x1 and x2), and counts it nowhere:
    the hunk says +2,1, but OWN is line 3."""
    merge = _merge(repo, {'f.txt': 'a\nx\nc\nz\n'},
                   [{'f.txt': 'a\nx1\nc\nz\n'}, {'f.txt': 'a\nx2\nc\nz\n'}],
                   {'f.txt': 'a\nc\nOWN\nz\n'})
    raw = subprocess.run(('git', 'diff-tree', '--cc', *patch.PATCH_FLAGS, merge),
                         capture_output=True, check=True).stdout
    assert raw.endswith(b'@@@ -2,1 -2,1 +2,1 @@@\n- x1\n -x2\n++OWN\n')
    assert _own(merge) == {'f.txt': ((3, 'OWN'),)}


def test_merges_and_commits_share_one_git_and_the_sift_sees_only_own_lines(repo):
    merge = _merge(repo, {'f.txt': 'a\n'}, [{'f.txt': 'a\n1\n'}, {'f.txt': '2\na\n'}],
                   {'f.txt': '2\na\n1\nOWN\n'})
    after = gitrepo.commit(repo, 'feat: after', {'f.txt': '2\na\n1\nOWN\nlast\n'})
    commits = log.commits_in([after])
    shown: list[tuple[str, bytes]] = []

    def sift(files):
        shown.extend(files)
        return [True] * len(files)

    found = [(a.commit, a.path, a.lines) for a in patch.added_lines(commits).sifted(sift)]
    assert (merge, 'f.txt', ((4, 'OWN'),)) in found
    assert found[-1] == (after, 'f.txt', ((5, 'last'),))
    assert (('f.txt', b'OWN') in shown and ('f.txt', b'1') in shown  # p0's own commit
            and ('f.txt', b'2') in shown and ('f.txt', b'last') in shown)
    assert len([item for item in shown if item[1] == b'OWN']) == 1


def test_a_merge_s_combined_diff_read_in_any_pieces_parses_alike(repo):
    merge = _merge(repo, {'f.txt': 'a\nx\nc\nz\n', 'bin': b'\0\n'},
                   [{'f.txt': 'a\nx1\nc\nz\n', 'bin': b'\0\n1\n'},
                    {'f.txt': 'a\nx2\nc\nz\n', 'bin': b'2\n\0\n'}],
                   {'f.txt': 'a\nc\nOWN\nz\n', 'new.txt': 'n\n', 'bin': b'2\n\0\n1\nb\n'})
    raw = subprocess.run(('git', 'diff-tree', '--stdin', '--root', '--cc', *patch.PATCH_FLAGS),
                         input=git.stdin_lines([merge]), capture_output=True,
                         check=True).stdout
    whole = list(patch._parse_patch(Trickle(raw, len(raw)), {}.get))  # type: ignore[arg-type]
    assert [(a.path, a.lines) for a in whole] == [
        ('bin', ((4, 'b'),)), ('f.txt', ((3, 'OWN'),)), ('new.txt', ((1, 'n'),))]
    for size in (1, 7, 64):
        assert list(patch._parse_patch(Trickle(raw, size), {}.get)) == whole  # type: ignore[arg-type]


