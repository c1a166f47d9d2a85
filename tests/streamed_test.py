"""A push is streamed through the checks: the same findings as when it is held whole, a fixed
handful of git processes, and memory that does not grow with the number of commits."""
from __future__ import annotations

import gc
import json
import tracemalloc

import pytest

from pushguard import engine, streamed
from pushguard.model import Options, Place
from pushguard.sources import RangeSource
from pushguard.verdict import load_config
from testing import gitrepo
from testing.policies import EVERY_CHECK
from testing.run import counting_git, run_console, run_pushguard

POLICY = EVERY_CHECK  # every check a policy turns on
UNSIGNED = EVERY_CHECK.replace('[signing]\nrequired = true\n', '')  # no finding on every commit
SECRET = 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'


def _run(repo, whole: bool):
    cfg = load_config(Options(), str(repo))
    source = RangeSource(['main..feat/PROJ-1'], 'feat/PROJ-1')
    if whole:
        source.context()  # read whole before the engine runs: the engine's whole run
    return engine.run(source, cfg, engine.select(cfg, Place.CHECK))


@pytest.fixture
def pushed(tmp_path, monkeypatch):
    """A branch with something for every streamed check to say, across batch boundaries."""
    repo = gitrepo.init(tmp_path / 'work')
    monkeypatch.chdir(repo)
    gitrepo.commit(repo, 'feat: PROJ-1 start', {'.pushguard.toml': POLICY})
    gitrepo.git('checkout', '-q', '-b', 'feat/PROJ-1', cwd=repo)
    c = gitrepo.commit
    c(repo, 'feat: PROJ-1 add the api', {'api.txt': 'one\n'})
    c(repo, 'fixup! feat: PROJ-1 add the api', {'api.txt': 'two\n'})
    c(repo, 'WIP no key', {'deploy/id.pem': 'key\n', 'big.bin': 'x' * 2000, 'cfg.py': SECRET})
    c(repo, 'feat: PROJ-2 drop the big file', {'other.txt': 'o\n'})
    gitrepo.git('rm', '-q', 'big.bin', cwd=repo)
    c(repo, 'feat: PROJ-2 really drop it')
    gitrepo.git('checkout', '-q', '-b', 'side', 'main', cwd=repo)
    c(repo, 'feat: PROJ-3 on the side', {'side.txt': 's\n'})
    gitrepo.git('checkout', '-q', 'feat/PROJ-1', cwd=repo)
    gitrepo.git('merge', '-q', '--no-ff', '--no-edit', 'side', cwd=repo)
    c(repo, 'feat: PROJ-4 by someone else', {'eve.txt': 'e\n'}, '--author', 'Eve <eve@other.org>')
    c(repo, 'amend! WIP no key', {'more.txt': 'm\n'})
    c(repo, 'feat: PROJ-5 only a big file', {'alone.bin': 'y' * 3000})
    c(repo, 'squash! nothing is called this', {'last.txt': 'l\n'})
    return repo


@pytest.mark.parametrize('per_batch', (1, 2, 256))
def test_a_streamed_push_finds_what_the_whole_push_finds(pushed, monkeypatch, per_batch):
    monkeypatch.setattr(streamed, 'COMMITS_PER_BATCH', per_batch)
    monkeypatch.setattr(streamed, 'CHANGES_PER_BATCH', per_batch)
    ctx, found = _run(pushed, whole=False)
    whole_ctx, whole_found = _run(pushed, whole=True)
    assert ctx.commits == () and ctx.changes == ()  # nothing held: it was streamed
    assert len(whole_ctx.commits) == ctx.commit_count == whole_ctx.commit_count == 11
    assert found == whole_found
    said = '\n'.join(f'{f.check} {f.message} {f.fix}' for f in found)
    for expected in ('file-size big.bin', 'deletes it again', 'forbidden-path', 'author-email',
                     'folds it into', 'cannot fold it in', 'secrets', 'dco', 'jira-ticket',
                     'drop the commit, which only adds it', 'signature merge commit',
                     '--rebase-merges --gpg-sign'):
        assert expected in said, expected


def _branch(repo, commits: int) -> None:
    """`commits` commits on feat/PROJ-1 off main, each adding a file, in one git fast-import."""
    stream = [f'reset refs/heads/feat/PROJ-1\nfrom {gitrepo.head(repo, "main")}\n']
    for n in range(commits):
        message = f'feat: PROJ-{n + 1} change module {n}\n\nSigned-off-by: A <a@corp.example>\n'
        body = f'LIMIT_{n} = {n}\n'
        stream.append(
            f'commit refs/heads/feat/PROJ-1\n'
            f'author A <a@corp.example> 1767225600 +0000\n'
            f'committer A <a@corp.example> 1767225600 +0000\n'
            f'data {len(message)}\n{message}\n'
            f'M 100644 inline src/pkg{n // 100}/mod_{n}.py\ndata {len(body)}\n{body}\n'
            f'M 100644 inline src/shared_{n % 20}.py\ndata {len(body)}\n{body}\n',
        )
    gitrepo.git('fast-import', '--quiet', '--force', stdin=''.join(stream).encode(), cwd=repo)


def _peak(repo, whole: bool = False) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        _, found = _run(repo, whole)
        assert found == []
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_by_a_few_hundred_bytes_a_commit(tmp_path, monkeypatch):
    """3,000 more commits cost what ctx.index keeps of each (sha, parent, subject, a hash per
    change): well under what holding the commits and their changes costs. Measured past 1,500
    commits, where CPython's free lists of small tuples are full either way."""
    repo = gitrepo.init(tmp_path / 'work')
    monkeypatch.chdir(repo)
    gitrepo.commit(repo, 'feat: PROJ-1 start\n\nSigned-off-by: A <a@corp.example>',
                   {'.pushguard.toml': UNSIGNED.replace("forbidden-pattern = 'WIP'\n", '')},
                   '--author', 'A <a@corp.example>')
    _branch(repo, 1500)
    _run(repo, whole=False)  # imports, caches: not what is measured
    small, small_whole = _peak(repo), _peak(repo, whole=True)
    _branch(repo, 4500)
    large, large_whole = _peak(repo), _peak(repo, whole=True)
    assert large - small < 3000 * 400, (small, large)
    assert large_whole - small_whole > 3 * (large - small), (small_whole, large_whole)


@pytest.fixture
def counted(tmp_path):
    """The git commands a run starts (their first word past any `-c NAME=VALUE`)."""
    log = tmp_path / 'git.log'
    env = counting_git(tmp_path / 'bin', log, words='"$*" | sed "s/-c [^ ]* //g" | cut -d" " -f1')

    def run(*argv: str) -> list[str]:
        log.write_text('')
        result = run_console(*argv, env=env)
        assert result.code in (0, 1), result
        return log.read_text().split()
    return run


def test_a_streamed_push_of_600_commits_starts_the_git_processes_of_3(tmp_path, monkeypatch,
                                                                       counted):
    """Batches of commits and changes go through long-lived gits: none starts per batch."""
    repo = gitrepo.init(tmp_path / 'work')
    monkeypatch.chdir(repo)
    gitrepo.commit(repo, 'feat: PROJ-1 start', {'.pushguard.toml': POLICY})
    argv = ('check', 'main..feat/PROJ-1', '--branch', 'feat/PROJ-1')
    _branch(repo, 3)
    few = counted(*argv)
    _branch(repo, 600)
    many = counted(*argv)
    assert sorted(few) == sorted(many)  # gits that run side by side log in either order
    # log and a cat-file for the signatures, the changes' diff-tree and a cat-file for their
    # sizes, the added lines' diff-tree; rev-parse, config
    assert len(few) <= 9 and few.count('cat-file') == 2, few


def test_a_ci_run_streams_its_commits_too(pushed):
    """`pushguard ci` reads the pipeline's commits as `check` does: streamed, same findings."""
    from pushguard.ci.plan import Plan
    from pushguard.commands.ci import CiSource
    cfg = load_config(Options(), str(pushed))
    tip, base = gitrepo.head(pushed, 'feat/PROJ-1'), gitrepo.head(pushed, 'main')
    plan = Plan('range', 'main..feat/PROJ-1', tip, (base,), 'refs/heads/feat/PROJ-1')
    selected = engine.select(cfg, Place.CHECK)
    ctx, found = engine.run(CiSource(plan, tip, [base], str(pushed)), cfg, selected)
    assert ctx.commits == () and ctx.commit_count == 11
    assert found == _run(pushed, whole=True)[1]


def test_the_pre_push_hook_streams_the_push_and_counts_it_after(pushed, monkeypatch):
    """git's pre-push lines are read as `check` reads a range: streamed, with the same findings,
    and the pass or fail line counts the commits the checks read."""
    streamed_runs = []
    real_run = streamed.run

    def spy(*args, **kwargs):
        streamed_runs.append(args[1:])
        return real_run(*args, **kwargs)
    monkeypatch.setattr(streamed, 'run', spy)
    # the remote's feat/PROJ-1 is at main: the push brings main..feat/PROJ-1
    line = (f'refs/heads/feat/PROJ-1 {gitrepo.head(pushed, "feat/PROJ-1")} '
            f'refs/heads/feat/PROJ-1 {gitrepo.head(pushed, "main")}\n')
    hook = run_pushguard('hook', 'pre-push', 'origin', '/nowhere', '--format', 'json', stdin=line)
    assert len(streamed_runs) == 1
    check = run_pushguard('check', 'main..feat/PROJ-1', '--branch', 'feat/PROJ-1',
                          '--format', 'json')
    assert hook.code == check.code == 1
    hook_said, check_said = json.loads(hook.out), json.loads(check.out)
    assert hook_said['findings'] == check_said['findings'] != []
    text = run_pushguard('hook', 'pre-push', 'origin', '/nowhere', stdin=line)
    assert 'in 11 commits on 1 ref: blocked' in text.err + text.out


def test_verified_signatures_are_streamed_too(pushed):
    """`signing.verify` asks git's %G? a batch at a time: the push is streamed, same findings."""
    gitrepo.write(pushed, '.pushguard.toml', POLICY + 'verify = true\n')
    ctx, found = _run(pushed, whole=False)
    assert ctx.commits == () and ctx.commit_count == 11
    assert found == _run(pushed, whole=True)[1]
    assert 'is not signed' in '\n'.join(f.message for f in found if f.check == 'signature')
