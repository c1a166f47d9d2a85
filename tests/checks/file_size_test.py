from __future__ import annotations

import json
import os
import subprocess

import pytest

from pushguard import checks, engine, sources
from pushguard.config import Config
from testing.gitrepo import commit, git, write
from testing.run import check_json, run_pushguard

BRANCH = 'feat/PROJ-1-data'
REF = f'refs/heads/{BRANCH}'
MiB = 2**20
LFS_POINTER = (
    'version https://git-lfs.github.com/spec/v1\n'
    'oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n'
    'size 209715200\n'
)


def _sized(repo, name, size, fill=b'\0'):
    """A file of `size` bytes: zeros are written sparse (fast, and git's blob size is the same)."""
    path = os.path.join(os.fsencode(repo), os.fsencode(name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        if fill == b'\0':
            f.truncate(size)
        else:
            f.write((fill * (size // len(fill) + 1))[:size])


def _check(*argv):
    return check_json('file-size', *argv)


def _ours(findings):
    return [f for f in findings if f['check'] == 'file-size']


@pytest.fixture
def based(repo):
    """A repo with a base commit on main and the policy: 1MB limit, warnings from 500KB."""
    (repo / '.pushguard.toml').write_text('[files]\nmax-size = "1MB"\nwarn-size = "500KB"\n')
    base = commit(repo, 'chore: base', {'README': 'hi\n'})
    git('checkout', '-q', '-b', BRANCH)
    return base


BINARY = bytes(range(256))


@pytest.mark.parametrize(('name', 'size', 'fill', 'severity'), (
    pytest.param('small.txt', 1000, b'x', None, id='small-passes'),
    pytest.param('exactly.bin', 1_000_000, b'\0', 'warning', id='at-the-limit-only-warns'),
    pytest.param('big.bin', 1_000_001, b'\0', 'error', id='one-byte-over'),
    pytest.param('big binary.dat', 2 * MiB, BINARY, 'error', id='binary-with-space'),
    pytest.param('medium.bin', 600_000, BINARY, 'warning', id='over-warn-size'),
))
def test_sizes(repo, based, name, size, fill, severity):
    _sized(repo, name, size, fill)
    sha = commit(repo, 'feat: data')
    code, findings = _check(f'{based}..HEAD', '--branch', BRANCH)
    found = _ours(findings)
    if severity is None:
        assert (code, found) == (0, [])
        return
    assert code == (1 if severity == 'error' else 0)
    [finding] = found
    assert (finding['severity'], finding['path'], finding['commit'], finding['ref']) == (
        severity, name, sha, REF,
    )
    assert finding['line'] is None


def test_message_shows_readable_sizes(repo, based):
    _sized(repo, 'big.bin', 2 * MiB)
    commit(repo, 'feat: data')
    _, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert 'big.bin is 2.0 MiB, over the 976.6 KiB limit (files.max-size)' in finding['message']


def test_text_output_names_check_path_and_fix(repo, based):
    _sized(repo, 'big.bin', 2 * MiB)
    sha = commit(repo, 'feat: data')
    result = run_pushguard('check', f'{based}..HEAD', '--branch', BRANCH, '--only', 'file-size')
    assert result.code == 1
    assert 'error [file-size] big.bin is 2.0 MiB' in result.out
    assert f'({BRANCH}, {sha[:12]}, big.bin)' in result.out
    # the commit only adds the file: it goes (an amend would leave it empty, and git refuses)
    assert 'fix: git reset -q --soft HEAD~1 && git rm -q --cached -- big.bin' in result.out


def test_fix_for_the_tip_works(repo, based):
    _sized(repo, 'big.bin', 2 * MiB)
    commit(repo, 'feat: data', {'keep.txt': 'kept\n'})
    _, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    subprocess.run(finding['fix'].splitlines()[0], shell=True, check=True, capture_output=True)
    assert _check(f'{based}..HEAD', '--branch', BRANCH) == (0, [])
    assert 'keep.txt' in git('ls-files')


def test_blob_deleted_later_still_fails_naming_the_commit_that_added_it(repo, based):
    _sized(repo, 'data/big.bin', 2 * MiB)
    added = commit(repo, 'feat: add data')
    git('rm', '-q', 'data/big.bin')
    deleted = commit(repo, 'fix: drop data')
    commit(repo, 'docs: more', {'README': 'more\n'})
    code, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert code == 1
    assert (finding['commit'], finding['path']) == (added, 'data/big.bin')
    assert f'commit {added[:12]} adds it and {deleted[:12]} deletes it again' in finding['message']
    assert finding['fix'].startswith(
        f'git lfs migrate import --include=data/big.bin --include-ref={REF}',
    )
    # the commit only adds the file: dropping it is the whole fix
    assert f'git rebase -i {added[:12]}~1 (mark {added[:12]} "drop")' in finding['fix']


def test_each_version_of_a_growing_file_is_checked(repo, based):
    _sized(repo, 'log.bin', 2 * MiB, b'a')
    first = commit(repo, 'feat: one')
    _sized(repo, 'log.bin', 3 * MiB, b'b')
    second = commit(repo, 'feat: two')
    _, findings = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert [(f['commit'], f['message'].split(',')[0]) for f in findings] == [
        (first, 'log.bin is 2.0 MiB'), (second, 'log.bin is 3.0 MiB'),
    ]


def test_deletion_of_a_big_file_passes(repo):
    _sized(repo, 'big.bin', 2 * MiB)
    base = commit(repo, 'chore: base')
    git('rm', '-q', 'big.bin')
    commit(repo, 'chore: drop')
    (repo / '.pushguard.toml').write_text('[files]\nmax-size = "1MB"\n')
    assert _check(f'{base}..HEAD', '--branch', 'main') == (0, [])


def test_lfs_pointer_passes_and_unconverted_lfs_file_is_named(repo, based):
    write(repo, '.gitattributes', '*.bin filter=lfs diff=lfs merge=lfs -text\n')
    write(repo, 'model.bin', LFS_POINTER)
    commit(repo, 'feat: model via lfs')
    assert _check(f'{based}..HEAD', '--branch', BRANCH) == (0, [])

    _sized(repo, 'weights.bin', 2 * MiB, BINARY)
    commit(repo, 'feat: weights without lfs')
    code, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert code == 1
    assert finding['path'] == 'weights.bin'
    assert 'git-lfs did not convert it' in finding['message']
    assert finding['fix'] == ('git lfs install && git rm --cached -- weights.bin && '
                              'git add -- weights.bin && git commit --amend --no-edit')


def test_big_file_without_lfs_attribute_gets_no_lfs_hint(repo, based):
    _sized(repo, 'plain.bin', 2 * MiB)
    commit(repo, 'feat: data')
    _, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert 'LFS' not in finding['message']


def test_submodule_entries_are_skipped(repo, based):
    git('update-index', '--add', '--cacheinfo', f'160000,{based},sub')
    git('commit', '-q', '--no-gpg-sign', '-m', 'feat: submodule')
    (repo / '.pushguard.toml').write_text('[files]\nmax-size = 1\n')
    code, findings = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert [f['path'] for f in findings] == []
    assert code == 0


def test_merge_of_a_new_branch_reports_each_blob_once(repo, based):
    git('checkout', '-q', '-b', 'side')
    _sized(repo, 'side.bin', 2 * MiB)
    side = commit(repo, 'feat: side data')
    git('checkout', '-q', BRANCH)
    commit(repo, 'feat: own', {'own.txt': 'own\n'})
    git('merge', '-q', '--no-ff', '--no-edit', 'side')
    code, findings = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert code == 1
    assert [(f['commit'], f['path']) for f in findings] == [(side, 'side.bin')]


def test_odd_paths_are_reported_and_quoted_in_the_fix(repo, based):
    name = b'we\xffird\nname.bin'
    _sized(repo, name, 2 * MiB)
    commit(repo, 'feat: odd')
    code, [finding] = _check(f'{based}..HEAD', '--branch', BRANCH)
    assert code == 1
    assert finding['path'] == 'we\ufffdird\nname.bin'
    assert "git rm -q --cached -- $'we\\xffird\\x0aname.bin'" in finding['fix']


def test_staged_index_is_checked_not_the_working_tree(repo):
    commit(repo, 'chore: base', {'README': 'hi\n'})
    _sized(repo, 'big.bin', 2 * MiB)
    git('add', 'big.bin')
    _sized(repo, 'big.bin', 10)  # the working tree shrinks; the staged blob is what counts
    cfg = Config(max_size=1_000_000)
    _, findings = engine.run(sources.StagedSource('main'), cfg, [checks.load('file-size')])
    [finding] = findings
    assert (finding.commit, finding.ref, finding.path) == (None, None, 'big.bin')
    assert finding.fix is not None
    assert finding.fix.startswith('git rm --cached -- big.bin')


def test_github_limits_by_default(repo):
    """The one real-size test: 60 MiB warns; 101 MiB added then deleted is still GH001."""
    base = commit(repo, 'chore: base', {'README': 'hi\n'})
    _sized(repo, 'sixty.bin', 60 * MiB)
    warned = commit(repo, 'feat: sixty')
    _sized(repo, 'huge.bin', 101 * MiB)
    added = commit(repo, 'feat: huge')
    git('rm', '-q', 'huge.bin')
    commit(repo, 'fix: drop huge')
    code, findings = _check(f'{base}..HEAD', '--branch', 'main')
    assert code == 1
    assert [(f['severity'], f['commit'], f['path']) for f in _ours(findings)] == [
        ('warning', warned, 'sixty.bin'), ('error', added, 'huge.bin'),
    ]
    assert 'over the 50.0 MiB warning size' in findings[0]['message']
    assert 'huge.bin is 101.0 MiB, over the 100.0 MiB limit' in findings[1]['message']
    assert 'GH001' in findings[1]['message']


def test_pre_commit_hook_blocks_a_staged_big_file(repo):
    (repo / '.pushguard.toml').write_text('[files]\nmax-size = "1MB"\n')
    commit(repo, 'chore: base')
    _sized(repo, 'dump.sql', 2 * MiB, b'INSERT;')
    git('add', 'dump.sql')
    result = run_pushguard('hook', 'pre-commit', '--only', 'file-size')
    assert result.code == 1
    assert ('[file-size] dump.sql is 2.0 MiB, over the 976.6 KiB limit (files.max-size)'
            in result.out)
    assert 'fix: git rm --cached -- dump.sql  # and add it to .gitignore' in result.out
    git('rm', '-q', '--cached', '--', 'dump.sql')
    assert run_pushguard('hook', 'pre-commit', '--only', 'file-size').code == 0


def test_pre_push_checks_every_pushed_ref_and_each_blob_once(repo, based):
    _sized(repo, 'shared.bin', 2 * MiB)
    shared = commit(repo, 'feat: shared')
    git('checkout', '-q', '-b', 'other')
    commit(repo, 'feat: other', {'o.txt': 'o\n'})
    stdin = ''.join(f'refs/heads/{b} {git("rev-parse", b).strip()} refs/heads/{b} {"0" * 40}\n'
                    for b in (BRANCH, 'other'))
    result = run_pushguard('hook', 'pre-push', 'origin', 'server.git', '--only', 'file-size',
                           '--format', 'json', stdin=stdin)
    assert result.code == 1
    findings = json.loads(result.out)['findings']
    assert [(f['commit'], f['path']) for f in findings] == [(shared, 'shared.bin')]


def test_the_check_reads_only_what_the_engine_fetched(tmp_path, monkeypatch):
    from pushguard.checks import file_size
    from pushguard.model import Context, FileChange, Place
    monkeypatch.chdir(tmp_path)  # no repository here: a git process would fail
    ctx = Context(Place.CHECK, changes=(FileChange(None, None, 'w.bin', 'A', 'b' * 40, '100644',
                                                   size=3 * MiB),))
    ctx.lfs_paths = frozenset({'w.bin'})
    [finding] = file_size.check(ctx, Config(max_size=1_000_000))
    assert 'sends it to Git LFS' in finding.message


def test_a_staged_path_with_a_leading_dash_is_never_read_as_an_option(repo):
    (repo / '.pushguard.toml').write_text('[files]\nmax-size = "1MB"\n')
    _sized(repo, '-big.bin', 2 * MiB)
    git('add', '--', '-big.bin')
    result = run_pushguard('hook', 'pre-commit', '--only', 'file-size')
    assert 'git rm --cached -- -big.bin' in result.out
    assert 'git lfs track -- -big.bin && git add -- .gitattributes -big.bin' in result.out
