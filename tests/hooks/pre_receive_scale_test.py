"""The server hook at scale: a push of 1,000 refs, and 20 pushes at once to one repository."""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from testing import gitrepo
from testing.policies import JIRA


def _serve(tmp: Path) -> Path:
    server = gitrepo.bare_remote(tmp)
    (tmp / 'policy.toml').write_text(JIRA)
    hook = server / 'hooks' / 'pre-receive'
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-receive '
                    f'--config "{tmp / "policy.toml"}"\n')
    hook.chmod(0o755)
    return server


def _branches(repo: Path, names: list[str], bad: set[str]) -> None:
    """One new commit per branch, off main, made with one `git fast-import`."""
    base = gitrepo.head(repo)
    stream = []
    for n, name in enumerate(names):
        message = f'{"no key" if name in bad else "PROJ-" + str(n + 1)} change {n}\n'.encode()
        content = f'{n}\n'.encode()
        stream += [f'commit refs/heads/{name}\n'.encode(),
                   b'committer Ada Tester <ada@example.com> 1767225600 +0000\n',
                   b'data %d\n' % len(message), message, f'from {base}\n'.encode(),
                   f'M 100644 inline files/{n}.txt\n'.encode(),
                   b'data %d\n' % len(content), content]
    gitrepo.git('fast-import', '--quiet', cwd=repo, stdin=b''.join(stream))


def _push(repo: Path, *args: str) -> tuple[int, str]:
    proc = subprocess.run(('git', 'push', '--porcelain', 'origin', *args), cwd=repo,
                          capture_output=True)
    return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


def _refs(server: Path) -> set[str]:
    return set(gitrepo.git('for-each-ref', '--format=%(refname)', cwd=server).split())


def test_a_push_of_1000_refs(tmp_path):
    server = _serve(tmp_path)
    dev = gitrepo.init(tmp_path / 'dev')
    gitrepo.git('remote', 'add', 'origin', str(server), cwd=dev)
    gitrepo.commit(dev, 'PROJ-1 start')
    assert _push(dev, 'main')[0] == 0
    names = [f'b{n:04d}' for n in range(1000)]
    _branches(dev, names, bad={'b0500'})
    code, said = _push(dev, *(f'refs/heads/{name}' for name in names))
    assert code != 0
    assert said.count('[jira-ticket]') == 1 and 'in refs/heads/b0500: blocked' in said
    assert _refs(server) == {'refs/heads/main'}  # all or nothing: git's pre-receive
    gitrepo.git('branch', '-D', 'b0500', cwd=dev)
    code, said = _push(dev, *(f'refs/heads/{name}' for name in names if name != 'b0500'))
    assert code == 0, said[-2000:]
    assert len(_refs(server)) == 1000


def test_20_concurrent_pushes_each_get_their_own_verdict(tmp_path):
    server = _serve(tmp_path)
    seed = gitrepo.init(tmp_path / 'seed')
    gitrepo.git('remote', 'add', 'origin', str(server), cwd=seed)
    gitrepo.commit(seed, 'PROJ-1 start')
    assert _push(seed, 'main')[0] == 0
    clones = []
    for n in range(20):
        clone = tmp_path / f'dev{n}'
        gitrepo.git('clone', '-q', str(server), str(clone))
        gitrepo.git('checkout', '-q', '-b', f'topic{n}', cwd=clone)
        gitrepo.commit(clone, 'no key' if n % 3 == 0 else f'PROJ-{n + 2} work', {f'f{n}': 'x\n'})
        clones.append(clone)
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda c: _push(c, 'HEAD'), clones))
    for n, (code, said) in enumerate(results):
        assert (code != 0) is (n % 3 == 0), (n, said)
        if n % 3 == 0:
            assert f'refs/heads/topic{n}: blocked' in said
    wanted = {'refs/heads/main', *(f'refs/heads/topic{n}' for n in range(20) if n % 3)}
    assert _refs(server) == wanted
