"""What the pre-push hook's forge questions add to `git push`, over a loopback forge.

    python3 benchmarks/forge.py [--runs N] [--refs 50] [--latency MS] [--output FILE]

A loopback forge (testing/forge_server.py: GitHub's API and real git over smart HTTP on
127.0.0.1) answers every API request after `--latency` ms, as a remote forge would. Each figure is
the median of N pushes (after one warm-up), in turns (shuffled each turn) so a busy spell of the
machine slows all of them alike; every push sends the same new commit to new branches (the
server's refs and the remote-tracking refs are deleted between pushes), so only the forge part
differs between rows:

- no hook: the floor, for 1 and for `--refs` branches;
- the hook with `[remote] enabled = false`: everything but the forge;
- cold (`cache-ttl = 0`): one parallel round of requests per push, for 1 and `--refs` branches;
- warm (`cache-ttl = 300`, filled by the warm-up): a cache hit, no request.

Targets (issue 8): cold with `--refs` branches within 1.5x of cold with 1 (the added time), and
warm within 1.2x of the hook with the forge off (the added time).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / 'src')]

from testing.forge_server import ForgeServer  # noqa: E402

TOKEN = 'ghp_benchmark_not_a_secret'  # pragma: allowlist secret
KINDS = ('no hook', 'forge off', 'cold', 'warm')


def _env(home: Path) -> dict[str, str]:
    (home / 'gitconfig').write_text('[user]\nname = Ada\nemail = ada@example.com\n')
    (home / 'templates').mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k.lower() not in (
        'http_proxy', 'https_proxy', 'all_proxy') and not k.startswith('GIT_')}
    return {**env, 'HOME': str(home), 'GIT_CONFIG_GLOBAL': str(home / 'gitconfig'),
            'GIT_CONFIG_NOSYSTEM': '1', 'GIT_TEMPLATE_DIR': str(home / 'templates'),
            'LC_ALL': 'C.UTF-8', 'NO_PROXY': '127.0.0.1', 'GITHUB_TOKEN': TOKEN,
            'PYTHONPATH': f'{ROOT / "src"}{os.pathsep}{ROOT}',
            'PUSHGUARD_HOME': str(home / 'cache')}


def _git(env: dict[str, str], *args: str, cwd: Path, stdin: bytes | None = None) -> str:
    return subprocess.run(('git', *args), cwd=cwd, env=env, input=stdin, check=True,
                          capture_output=True).stdout.decode()


def _forge(forge: ForgeServer, refs: int, latency: float) -> None:
    forge.reply('/repos/o/r', {'default_branch': 'main', 'permissions': {'push': True}},
                delay=latency)
    forge.reply('/repos/o/r/rulesets', [], delay=latency)
    for name in _names(refs):
        forge.reply(f'/repos/o/r/rules/branches/{name}', [], delay=latency)
        forge.reply(f'/repos/o/r/branches/{name}', {'name': name, 'protected': False},
                    delay=latency)
        forge.reply(f'/repos/o/r/branches/{name}/protection',
                    {'message': 'Branch not protected'}, status=404, delay=latency)


def _names(refs: int) -> list[str]:
    return [f'topic-{n}' for n in range(refs)]


def _clone(tmp: Path, env: dict[str, str], forge: ForgeServer, kind: str) -> Path:
    """A work repository with the hook of `kind` and one new commit to push."""
    work = tmp / kind.replace(' ', '-')
    _git(env, 'clone', '-q', forge.url, str(work), cwd=tmp)
    keys = {'no hook': 'cache-ttl = 0', 'forge off': 'enabled = false', 'cold': 'cache-ttl = 0',
            'warm': 'cache-ttl = 300'}[kind]
    (work / '.pushguard.toml').write_text(
        f'[remote]\nplatform = "github"\napi-url = "{forge.api_url}"\n{keys}\n')
    _git(env, 'add', '.pushguard.toml', cwd=work)
    _git(env, 'commit', '-q', '-m', 'feat: a change to push', cwd=work)
    if kind != 'no hook':
        hook = work / '.git' / 'hooks' / 'pre-push'
        hook.parent.mkdir(exist_ok=True)
        hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook pre-push "$@"\n')
        hook.chmod(0o755)
    return work


def _forget(env: dict[str, str], work: Path, forge: ForgeServer, refs: int) -> None:
    """Delete the pushed branches on the server and their remote-tracking refs here."""
    names = _names(refs)
    _git(env, 'update-ref', '--stdin', cwd=forge.bare,
         stdin=''.join(f'delete refs/heads/{n}\n' for n in names).encode())
    _git(env, 'update-ref', '--stdin', cwd=work,
         stdin=''.join(f'delete refs/remotes/origin/{n}\n' for n in names).encode())


def _push(env: dict[str, str], work: Path, refs: int) -> float:
    specs = [f'HEAD:refs/heads/{name}' for name in _names(refs)]
    start = time.perf_counter()
    proc = subprocess.run(('git', 'push', '-q', 'origin', *specs), cwd=work, env=env,
                          capture_output=True)
    took = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f'git push failed: {proc.stderr.decode(errors="replace")}')
    return took


def measure(tmp: Path, env: dict[str, str], refs: int, runs: int, latency: float
            ) -> dict[tuple[str, int], float]:
    """(kind, number of refs) -> median seconds of the push."""
    times: dict[tuple[str, int], list[float]] = {}
    with ForgeServer(tmp, 'o/r', '/api/v3') as forge:
        _forge(forge, refs, latency)
        seed = tmp / 'seed'
        _git(env, 'init', '-q', '-b', 'main', str(seed), cwd=tmp)
        _git(env, 'commit', '-q', '--allow-empty', '-m', 'feat: start', cwd=seed)
        _git(env, 'push', '-q', forge.url, 'main', cwd=seed)
        works = {kind: _clone(tmp, env, forge, kind) for kind in KINDS}
        cases = [(kind, n) for kind in KINDS for n in (1, refs) if kind != 'warm' or n == 1]
        order = random.Random(8)
        for turn in range(runs + 1):
            order.shuffle(cases)  # no case always follows the busy 50-branch cold round
            for kind, n in cases:
                _forget(env, works[kind], forge, refs)
                took = _push(env, works[kind], n)
                if turn:
                    times.setdefault((kind, n), []).append(took)
        requests = len(forge.api_requests())
    print(f'{requests} API requests in all', file=sys.stderr)
    return {case: statistics.median(values) for case, values in times.items()}


def render(medians: dict[tuple[str, int], float], refs: int, latency: float) -> str:
    floor = {n: medians[('no hook', n)] for n in (1, refs)}

    def added(kind: str, n: int) -> float:
        return medians[(kind, n)] - floor[n]

    lines = [f'API latency {latency * 1000:.0f} ms a request.', '',
             '| push | no hook | hook, forge off | hook, cold | hook, warm (cache hit) |',
             '|---|---|---|---|---|']
    for n in (1, refs):
        warm = f'{medians[("warm", n)] * 1000:.0f} ms ({added("warm", n) * 1000:+.0f})' \
            if ('warm', n) in medians else '-'
        lines.append(f'| {n} branch{"es" if n != 1 else ""} | {floor[n] * 1000:.0f} ms | '
                     f'{medians[("forge off", n)] * 1000:.0f} ms '
                     f'({added("forge off", n) * 1000:+.0f}) | '
                     f'{medians[("cold", n)] * 1000:.0f} ms ({added("cold", n) * 1000:+.0f}) | '
                     f'{warm} |')
    cold = added('cold', refs) / added('cold', 1)
    warm = added('warm', 1) / added('forge off', 1)
    lines += ['', '| ratio (added times) | measured | target |', '|---|---|---|',
              f'| cold, {refs} branches / 1 branch | {cold:.2f} | <= 1.5 |',
              f'| warm (cache hit) / forge off | {warm:.2f} | <= 1.2 |']
    return '\n'.join(lines) + '\n'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--refs', type=int, default=50, help='the many-branch push (default 50)')
    parser.add_argument('--latency', type=float, default=50.0,
                        help='ms the loopback forge waits before each API answer (default 50)')
    parser.add_argument('--output', metavar='FILE', help='also write the table to FILE')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix='pushguard-bench-forge-') as raw:
        tmp = Path(raw)
        (tmp / 'home').mkdir()
        env = _env(tmp / 'home')
        medians = measure(tmp, env, args.refs, args.runs, args.latency / 1000)
    table = render(medians, args.refs, args.latency / 1000)
    print(table, end='')
    if args.output:
        Path(args.output).write_text(table)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
