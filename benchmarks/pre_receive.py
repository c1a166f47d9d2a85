"""The pre-receive hook's cost on a server: a push of 1 and of 1,000 commits to a bare
repository, without a hook and with `pushguard hook pre-receive`, and how many git processes the
hook starts (constant in the number of commits, as on the client).

    python3 benchmarks/pre_receive.py [--runs N] [--commits 1,1000] [--output FILE]

Each figure is the median of N pushes (after one warm-up), each of the same commits into a fresh
copy of the server; the push and the hook run on this machine (file://, no network).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICY = '[commit.jira]\nprojects = ["PROJ"]\n[commit.conventional]\n[files]\nmax-size = "1MB"\n'


def _env(home: Path) -> dict[str, str]:
    (home / 'gitconfig').write_text('')
    (home / 'templates').mkdir(exist_ok=True)
    return {**os.environ, 'HOME': str(home), 'GIT_CONFIG_GLOBAL': str(home / 'gitconfig'),
            'GIT_CONFIG_NOSYSTEM': '1', 'GIT_TEMPLATE_DIR': str(home / 'templates'),
            'LC_ALL': 'C.UTF-8', 'PYTHONPATH': f'{ROOT / "src"}{os.pathsep}'
            f'{os.environ.get("PYTHONPATH", "")}', 'PUSHGUARD_HOME': str(home / 'cache')}


def _git(env: dict[str, str], *args: str, cwd: Path | None = None, stdin: bytes | None = None
         ) -> None:
    subprocess.run(('git', *args), cwd=cwd, env=env, input=stdin, check=True,
                   capture_output=True)


def _source(tmp: Path, env: dict[str, str], commits: int) -> Path:
    """A repository whose main has `commits` commits, each adding a small file."""
    repo = tmp / f'src-{commits}'
    _git(env, 'init', '-q', '-b', 'main', str(repo))
    stream = []
    for n in range(commits):
        message = f'feat: PROJ-{n + 1} change {n}\n'.encode()
        body = (f'line {n}\n' * 20).encode()
        stream += [b'commit refs/heads/main\n',
                   b'committer Ada <ada@example.com> %d +0000\n' % (1767225600 + n),
                   b'data %d\n' % len(message), message,
                   f'M 100644 inline src/m{n % 50}/f{n}.txt\n'.encode(),
                   b'data %d\n' % len(body), body]
    _git(env, 'fast-import', '--quiet', cwd=repo, stdin=b''.join(stream))
    return repo


def _server(tmp: Path, env: dict[str, str], hooked: bool, count_file: Path) -> Path:
    server = Path(tempfile.mkdtemp(dir=tmp)) / 'server.git'
    _git(env, 'init', '-q', '--bare', '-b', 'main', str(server))
    if hooked:
        wrappers = tmp / 'counting-bin'
        if not wrappers.exists():
            wrappers.mkdir()
            real = shutil.which('git') or '/usr/bin/git'
            (wrappers / 'git').write_text(f'#!/bin/sh\necho x >> "$PG_COUNT"\n'
                                          f'exec "{real}" "$@"\n')
            (wrappers / 'git').chmod(0o755)
        (tmp / 'policy.toml').write_text(POLICY)
        hook = server / 'hooks' / 'pre-receive'
        hook.parent.mkdir(exist_ok=True)
        hook.write_text(f'#!/bin/sh\nexport PG_COUNT="{count_file}"\n'
                        f'PATH="{wrappers}:$PATH" exec "{sys.executable}" -m '
                        f'pushguard hook pre-receive --config "{tmp / "policy.toml"}"\n')
        hook.chmod(0o755)
    return server


def _push(env: dict[str, str], source: Path, server: Path) -> float:
    start = time.perf_counter()
    subprocess.run(('git', 'push', '-q', server.as_uri(), 'main'), cwd=source, env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def measure(tmp: Path, env: dict[str, str], commits: int, runs: int) -> tuple[float, float, int]:
    """(median push without a hook, median push with it, git processes the hook started)."""
    source = _source(tmp, env, commits)
    count_file = tmp / f'count-{commits}'
    times: dict[bool, list[float]] = {False: [], True: []}
    for turn in range(runs + 1):  # in turns, so a busy spell slows both alike
        for hooked in (False, True):
            count_file.write_text('')
            took = _push(env, source, _server(tmp, env, hooked, count_file))
            if turn:
                times[hooked].append(took)
    processes = len(count_file.read_text().split())
    return statistics.median(times[False]), statistics.median(times[True]), processes


def render(rows: Sequence[tuple[int, float, float, int]]) -> str:
    lines = ['| push | no hook | with pushguard pre-receive | added | git processes the hook '
             'starts |', '|---|---|---|---|---|']
    for commits, bare, hooked, processes in rows:
        lines.append(f'| {commits:,} commit{"s" if commits != 1 else ""} | {bare * 1000:.0f} ms '
                     f'| {hooked * 1000:.0f} ms | {(hooked - bare) * 1000:+.0f} ms | '
                     f'{processes} |')
    return '\n'.join(lines) + '\n'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--commits', default='1,1000', help='comma-separated push sizes')
    parser.add_argument('--output', metavar='FILE', help='also write the table to FILE')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix='pushguard-bench-') as raw:
        tmp = Path(raw)
        (tmp / 'home').mkdir()
        env = _env(tmp / 'home')
        rows = [(n, *measure(tmp, env, n, args.runs))
                for n in (int(x) for x in args.commits.split(','))]
    table = render(rows)
    print(table, end='')
    if args.output:
        Path(args.output).write_text(table)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
