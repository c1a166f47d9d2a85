"""Real git repositories for tests: init, commit, push. No mocks."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(*args: str, cwd: str | os.PathLike[str] | None = None, stdin: bytes | None = None,
        env: dict[str, str] | None = None) -> str:
    """Run git; return stdout as text; raise with stderr on failure."""
    proc = subprocess.run(
        ('git', *args), cwd=cwd, input=stdin, capture_output=True,
        env={**os.environ, **(env or {})},
    )
    if proc.returncode:
        raise AssertionError(f'git {" ".join(args)} failed: {proc.stderr.decode(errors="replace")}')
    return proc.stdout.decode('utf-8', 'replace')


def init(path: str | os.PathLike[str], *extra: str) -> Path:
    git('init', '-q', '-b', 'main', *extra, str(path))
    return Path(path)


def write(repo: Path, name: str | bytes, content: bytes | str = 'x\n') -> None:
    target = os.path.join(os.fsencode(repo), os.fsencode(name))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, 'wb') as f:
        f.write(content.encode() if isinstance(content, str) else content)


def commit(repo: Path, message: str = 'chore: change', files: dict[str, bytes | str] | None = None,
           *extra: str) -> str:
    """Write `files`, stage everything, commit unsigned; return the new sha."""
    for name, content in (files or {}).items():
        write(repo, name, content)
    git('add', '-A', cwd=repo)
    git('commit', '-q', '--no-gpg-sign', '--allow-empty', '--no-verify', '-m', message, *extra,
        cwd=repo)
    return head(repo)


def head(repo: Path, rev: str = 'HEAD') -> str:
    return git('rev-parse', rev, cwd=repo).strip()


def bare_remote(tmp: Path, name: str = 'server.git') -> Path:
    remote = tmp / name
    git('init', '-q', '--bare', '-b', 'main', str(remote))
    return remote


def zeros(repo: Path) -> str:
    return '0' * len(head(repo))


def with_origin(path: Path, server: Path, policy: str, message: str = 'PROJ-1 start',
                *init_args: str) -> Path:
    """A new repo at `path` whose `origin` is `server`; its first commit adds `.pushguard.toml`."""
    repo = init(path, *init_args)
    git('remote', 'add', 'origin', str(server), cwd=repo)
    commit(repo, message, {'.pushguard.toml': policy})
    return repo


def pushed_work(tmp: Path, policy: str, message: str = 'PROJ-1 start') -> Path:
    """`tmp/work`, with_origin a new bare `tmp/server.git` that already has main's first commit."""
    repo = with_origin(tmp / 'work', bare_remote(tmp), policy, message)
    git('push', '-q', '-u', 'origin', 'main', cwd=repo)
    return repo
