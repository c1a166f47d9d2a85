"""The hard cases of a push, through real `git push` and a real pre-push hook where it matters."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from pushguard.git import diff, log, patch
from testing import gitrepo
from testing.policies import JIRA
from testing.run import run_pushguard

FORBIDDEN_PEM = '[files]\nforbidden = ["*.pem"]\n'


def install_hook(repo, *options):
    """`.git/hooks/pre-push` running this checkout's pushguard, as `pushguard install` would."""
    hooks = repo / '.git' / 'hooks'
    hooks.mkdir(exist_ok=True)
    hook = hooks / 'pre-push'
    extra = ' '.join(options)
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-push {extra} "$@"\n')
    hook.chmod(0o755)


def push(repo, *args):
    """`git push ARGS` through the hook: (exit code, everything git and the hook said)."""
    proc = subprocess.run(('git', 'push', *args), cwd=repo, capture_output=True)
    return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


def remote_refs(server):
    out = gitrepo.git('ls-remote', str(server))
    return {ref: sha for sha, ref in (row.split('\t') for row in out.splitlines())}


@pytest.fixture
def server(tmp_path):
    return gitrepo.bare_remote(tmp_path)


@pytest.fixture
def work(tmp_path, server, monkeypatch):
    repo = gitrepo.with_origin(tmp_path / 'work', server, JIRA)
    install_hook(repo, '--only', 'jira-ticket')
    monkeypatch.chdir(repo)
    return repo


def test_first_push_to_an_empty_remote_checks_all_history(work, server):
    gitrepo.commit(work, 'no key')
    code, said = push(work, 'origin', 'main')
    assert code != 0
    assert '[jira-ticket]' in said and 'fix: reword it like "PROJ-123' in said
    assert '2 commits on 1 ref' in said
    assert remote_refs(server) == {}


def test_a_push_breaking_policy_is_stopped_and_a_clean_one_goes_through(work, server):
    assert push(work, 'origin', 'main')[0] == 0
    bad = gitrepo.commit(work, 'forgot the key')
    code, said = push(work, 'origin', 'main')
    assert code != 0
    assert f'[jira-ticket] no Jira issue key (PROJ) in the subject line (main, {bad[:12]})' in said
    assert f'git rebase -i {bad[:12]}~1' in said
    assert remote_refs(server)['refs/heads/main'] == gitrepo.head(work, 'HEAD~1')
    gitrepo.git('commit', '-q', '--amend', '--allow-empty', '--no-verify',
                '-m', 'PROJ-2 remembered the key')
    code, said = push(work, 'origin', 'main')
    assert code == 0, said
    assert remote_refs(server)['refs/heads/main'] == gitrepo.head(work)


def test_through_pushguard_install(work, server):
    """The hook `pushguard install` writes, with the policy's own checks (no --only)."""
    (work / '.git' / 'hooks' / 'pre-push').unlink()
    assert run_pushguard('install', '--hook', 'pre-push').code == 0
    bad = gitrepo.commit(work, 'installed hook, no key')
    code, said = push(work, 'origin', 'main')
    assert code != 0 and f'(main, {bad[:12]})' in said and '[jira-ticket]' in said
    assert remote_refs(server) == {}
    gitrepo.git('commit', '-q', '--amend', '--allow-empty', '--no-verify', '-m', 'PROJ-2 ok')
    code, said = push(work, 'origin', 'main')
    assert code == 0, said
    assert remote_refs(server)['refs/heads/main'] == gitrepo.head(work)


def test_force_push_checks_only_the_new_commits(work, server):
    gitrepo.commit(work, 'PROJ-2 old tip')
    assert push(work, 'origin', 'main')[0] == 0
    gitrepo.git('reset', '-q', '--hard', 'HEAD~1')
    new = gitrepo.commit(work, 'rewritten, no key')
    code, said = push(work, '--force', 'origin', 'main')
    assert code != 0
    assert said.count('[jira-ticket]') == 1 and new[:12] in said
    gitrepo.git('commit', '-q', '--amend', '--allow-empty', '--no-verify', '-m', 'PROJ-3 rewritten')
    assert push(work, '--force', 'origin', 'main')[0] == 0


def test_deletion_and_update_in_one_push(work, server):
    gitrepo.git('branch', 'old')
    assert push(work, 'origin', 'main', 'old')[0] == 0
    new = gitrepo.commit(work, 'no key')
    code, said = push(work, 'origin', ':old', 'main')
    assert code != 0 and new[:12] in said and '1 commit on 1 ref' in said
    assert 'refs/heads/old' in remote_refs(server)
    gitrepo.git('reset', '-q', '--hard', 'HEAD~1')
    assert push(work, 'origin', ':old', 'main')[0] == 0
    assert 'refs/heads/old' not in remote_refs(server)


def test_detached_head_push(work, server):
    assert push(work, 'origin', 'main')[0] == 0
    gitrepo.git('checkout', '-q', '--detach')
    new = gitrepo.commit(work, 'detached, no key')
    code, said = push(work, 'origin', 'HEAD:refs/heads/topic')
    assert code != 0 and f'(topic, {new[:12]})' in said


@pytest.mark.parametrize('annotated', [pytest.param(False, id='lightweight'),
                                       pytest.param(True, id='annotated')])
def test_tag_push(work, server, annotated):
    assert push(work, 'origin', 'main')[0] == 0
    tagged = gitrepo.commit(work, 'release without key')
    gitrepo.git('tag', *(['-a', '-m', 'v1'] if annotated else []), 'v1')
    gitrepo.git('reset', '-q', '--hard', 'HEAD~1')  # only the tag brings the commit
    code, said = push(work, 'origin', 'v1')
    assert code != 0 and f'(refs/tags/v1, {tagged[:12]})' in said
    assert 'refs/tags/v1' not in remote_refs(server)


def test_merge_checks_each_new_commit_once(work, server):
    assert push(work, 'origin', 'main')[0] == 0
    gitrepo.git('switch', '-q', '-c', 'topic')
    one = gitrepo.commit(work, 'topic one, no key')
    two = gitrepo.commit(work, 'topic two, no key')
    gitrepo.git('switch', '-q', 'main')
    gitrepo.commit(work, 'PROJ-5 on main meanwhile')
    gitrepo.git('merge', '-q', '--no-ff', '--no-edit', 'topic')
    result = run_pushguard('check', '--only', 'jira-ticket', '--format', 'json',
                           'origin/main..main')
    commits = [f['commit'] for f in json.loads(result.out)['findings']]
    assert sorted(commits) == sorted([one, two])  # the merge itself is exempt ("^Merge ")
    code, said = push(work, 'origin', 'main', 'topic')
    assert code != 0 and said.count('[jira-ticket]') == 2 and '4 commits on 2 refs' in said


def test_merge_content_findings_appear_once(work):
    (work / '.pushguard.toml').write_text(FORBIDDEN_PEM)
    gitrepo.commit(work, 'PROJ-1 policy')
    gitrepo.git('switch', '-q', '-c', 'topic')
    gitrepo.commit(work, 'PROJ-2 key', {'server.pem': 'not really\n'})
    gitrepo.git('switch', '-q', 'main')
    gitrepo.commit(work, 'PROJ-3 other', {'other.txt': 'x\n'})
    gitrepo.git('merge', '-q', '--no-ff', '--no-edit', 'topic')
    result = run_pushguard('check', 'HEAD', '--only', 'forbidden-path', '--format', 'json')
    paths = [f['path'] for f in json.loads(result.out)['findings']]
    assert paths == ['server.pem']


ODD_PATHS = [
    pytest.param(b'with space.pem', 'with space.pem', id='space'),
    pytest.param(b'new\nline.pem', 'new\nline.pem', id='newline'),
    pytest.param(b'caf\xc3\xa9.pem', 'caf\u00e9.pem', id='utf8'),
    pytest.param(b'latin\xe9.pem', 'latin\ufffd.pem', id='not-utf8'),
]


@pytest.mark.parametrize(('raw', 'shown'), ODD_PATHS)
def test_odd_paths_in_a_push(work, raw, shown):
    (work / '.pushguard.toml').write_text(FORBIDDEN_PEM)
    gitrepo.write(work, raw, 'x\n')
    sha = gitrepo.commit(work, 'PROJ-1 add')
    stdin = f'refs/heads/main {sha} refs/heads/main {gitrepo.zeros(work)}\n'
    result = run_pushguard('hook', 'pre-push', 'origin', 'x', '--only', 'forbidden-path',
                           '--format', 'json', stdin=stdin)
    assert result.code == 1, result
    [finding] = json.loads(result.out)['findings']
    assert (finding['path'], finding['commit']) == (shown, sha)


def test_sha256_repository_real_push(tmp_path, monkeypatch):
    server = tmp_path / 'server256.git'
    gitrepo.git('init', '-q', '--bare', '--object-format=sha256', str(server))
    repo = gitrepo.with_origin(tmp_path / 'work256', server, JIRA, 'no key',
                               '--object-format=sha256')
    install_hook(repo, '--only', 'jira-ticket')
    bad = gitrepo.head(repo)
    code, said = push(repo, 'origin', 'main')
    assert code != 0 and f'(main, {bad[:12]})' in said
    gitrepo.git('commit', '-q', '--amend', '--allow-empty', '--no-verify', '-m', 'PROJ-1 ok',
                cwd=repo)
    assert push(repo, 'origin', 'main', 'main:gone')[0] == 0
    assert push(repo, 'origin', ':gone')[0] == 0  # a deletion of 64 zeros is nothing to check
    assert 'refs/heads/gone' not in remote_refs(server)


# --- shallow clones -----------------------------------------------------------------------

def test_shallow_clone_names_what_it_cannot_see(work, server, tmp_path, monkeypatch):
    gitrepo.commit(work, 'PROJ-2 second')
    assert push(work, 'origin', 'main')[0] == 0
    cut_parent = gitrepo.head(work, 'HEAD~1')
    shallow = tmp_path / 'shallow'
    gitrepo.git('clone', '-q', '--depth', '1', f'file://{server}', str(shallow))
    monkeypatch.chdir(shallow)
    mine = gitrepo.commit(shallow, 'no key, made in the clone')
    result = run_pushguard('check', '--only', 'jira-ticket')
    assert result.code == 1 and mine[:12] in result.out and 'shallow' not in result.out
    everything = run_pushguard('check', 'HEAD', '--only', 'jira-ticket', '--format', 'json')
    [note] = json.loads(everything.out)['notes']
    assert f'cannot see {cut_parent[:12]}' in note and 'git fetch --unshallow' in note
    url = f'file://{tmp_path}/elsewhere.git'
    stdin = f'refs/heads/main {mine} refs/heads/main {gitrepo.zeros(shallow)}\n'
    pushed = run_pushguard('hook', 'pre-push', url, url, '--only', 'jira-ticket', stdin=stdin)
    assert pushed.code == 1 and cut_parent[:12] in pushed.out


# --- size and scale -----------------------------------------------------------------------

def test_a_thousand_refs_in_one_push(work, server):
    tips = [gitrepo.commit(work, f'PROJ-{n} tip') for n in range(2, 5)]
    bad = gitrepo.commit(work, 'no key')
    tips.append(bad)
    refs = '\n'.join(f'create refs/heads/b{n:04d} {tips[n % 4]}' for n in range(1000))
    gitrepo.git('update-ref', '--stdin', stdin=refs.encode() + b'\n')
    code, said = push(work, 'origin', '--all')
    assert code != 0
    assert said.count('[jira-ticket]') == 1 and '5 commits on 1001 refs' in said
    assert remote_refs(server) == {}


_RSS_PROBE = textwrap.dedent('''
    import resource, sys
    from pushguard.cli import main
    code = main(sys.argv[1:])
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    git = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f'RSS {code} {own} {git}', file=sys.stderr)
''')
# Linux carries a process's peak RSS across exec, so a probe started straight from pytest would
# report pytest's peak: start it from a small interpreter instead.
_LAUNCH = 'import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)'


def test_a_200_mb_blob_is_never_read_whole(work, capsys):
    chunk = 'generated line that repeats so the object stays small on disk\n' * 16384
    with open(work / 'huge.txt', 'w') as f:  # text, not binary: a diff would print all of it
        for _ in range(200 * 1024 * 1024 // len(chunk)):
            f.write(chunk)
    sha = gitrepo.commit(work, 'PROJ-1 huge')
    (work / 'huge.txt').unlink()  # the push reads the object store; keep 200 MB off the disk
    only = 'file-size,secrets'
    stdin = f'refs/heads/main {sha} refs/heads/main {gitrepo.zeros(work)}\n'.encode()
    proc = subprocess.run(
        (sys.executable, '-c', _LAUNCH, sys.executable, '-c', _RSS_PROBE,
         'hook', 'pre-push', 'origin', 'x', '--only', only, '--format', 'json'),
        input=stdin, capture_output=True, cwd=work,
    )
    *_, rss = proc.stderr.decode().splitlines()
    _, code, own_kib, git_kib = rss.split()
    with capsys.disabled():
        print(f'\n200 MB blob, checks {only}: pushguard peak RSS {int(own_kib) // 1024} MiB, '
              f'largest git child {int(git_kib) // 1024} MiB')
    found = json.loads(proc.stdout)['findings']
    assert int(code) == 1
    assert [(f['check'], f['severity'], f['path']) for f in found] == [
        ('file-size', 'error', 'huge.txt'), ('secrets', 'warning', 'huge.txt')]
    assert int(own_kib) < 150 * 1024  # far below the blob: it never sat in our memory
    assert int(git_kib) < 150 * 1024  # git did not load it to diff it either


def pull_merge(work, server, evil=None):
    """Upstream gets `upstream.pem` (already on the server); local work merges it in, as `git
    pull` does, with `evil` files added in the merge commit itself."""
    assert push(work, 'origin', 'main')[0] == 0
    gitrepo.git('switch', '-q', '-c', 'colleague')
    gitrepo.commit(work, 'PROJ-2 theirs', {'upstream.pem': 'theirs\n', 'notes.txt': 'a\nb\n'})
    gitrepo.git('push', '-q', '--no-verify', 'origin', 'colleague:main')
    gitrepo.git('switch', '-q', 'main')
    mine = gitrepo.commit(work, 'PROJ-3 mine', {'mine.txt': 'mine\n'})
    gitrepo.git('fetch', '-q', 'origin')
    gitrepo.git('merge', '-q', '--no-ff', '--no-commit', 'origin/main')
    for name, content in (evil or {}).items():
        gitrepo.write(work, name, content)
    gitrepo.git('add', '-A')
    gitrepo.git('commit', '-q', '--no-verify', '--no-edit')
    return mine, gitrepo.head(work)


def test_a_pull_merge_is_not_blamed_for_what_upstream_has(work, server):
    (work / '.pushguard.toml').write_text(FORBIDDEN_PEM)
    install_hook(work, '--only', 'forbidden-path')
    pull_merge(work, server)
    code, said = push(work, 'origin', 'main')
    assert code == 0, said
    assert '[forbidden-path]' not in said


def test_an_evil_merge_is_blamed_for_what_it_adds_itself(work, server):
    (work / '.pushguard.toml').write_text(FORBIDDEN_PEM)
    install_hook(work, '--only', 'forbidden-path')
    _, merge = pull_merge(work, server, evil={'evil.pem': 'mine\n', 'notes.txt': 'a\nb\nc\n'})
    code, said = push(work, 'origin', 'main')
    assert code != 0
    assert said.count('[forbidden-path]') == 1 and f'{merge[:12]}, evil.pem' in said
    pushed = log.commits_in(['origin/main..HEAD'])
    lines = [(a.commit, a.path, a.lines) for a in patch.added_lines(pushed)]
    assert (merge, 'notes.txt', ((3, 'c'),)) in lines  # the line the merge added, not a, b
    assert not [path for commit, path, _ in lines if commit == merge and path == 'upstream.pem']


@pytest.mark.parametrize('name', [
    pytest.param(b'big file.txt', id='space'),
    pytest.param(b'big\nline [1]*.txt', id='newline-and-glob'),
    pytest.param(b'big\xe9.txt', id='not-utf8'),
])
def test_big_blobs_are_left_out_of_the_diff(work, name):
    gitrepo.write(work, name, 'x = 1\n' * (diff.MAX_DIFF_BLOB // 6 + 1))
    gitrepo.write(work, b'big [1]-small.txt', 'token = 1\n')  # what the glob would also match
    sha = gitrepo.commit(work, 'PROJ-1 big and small')
    commits = log.commits_in([f'{sha}~1..{sha}'])
    changes = diff.changes(commits)
    sizes = diff.blob_sizes(c.blob for c in changes)
    big = diff.too_big_to_diff(c._replace(size=sizes.get(c.blob)) for c in changes)
    assert [os.fsencode(c.path) for c in big] == [name]
    added = [(os.fsencode(a.path), a.lines, a.unread)
             for a in patch.added_lines(commits, skip=big)]
    assert added == [(name, (), True), (b'big [1]-small.txt', ((1, 'token = 1'),), False)]
