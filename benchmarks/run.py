#!/usr/bin/env python3
"""pushguard against the tools it replaces, in one run: medians, then the ratios the issues target.

    python3 benchmarks/run.py            # full: 20 runs each, 2,000 and 10,000-commit ranges
    python3 benchmarks/run.py --quick    # 3 runs, smaller ranges: does everything still work?
    python3 benchmarks/run.py --part hooks   # only the commit-msg hooks (also: ranges, big)

Uses the current environment (the pushguard it imports: a checkout on PYTHONPATH, else the one
installed; the versions line names its commit) and pip-installs the peers that are
missing: gitlint-core, conventional-pre-commit, detect-secrets. Repositories are generated in a
temp dir with a pinned git environment (no global or system config, no templates, fixed
identities). A measurement whose pushguard part does not exist yet is skipped with a note.
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

PEERS = {'gitlint': 'gitlint-core', 'conventional-pre-commit': 'conventional-pre-commit',
         'detect-secrets': 'detect-secrets'}
IDENTITY = ('Bench Mark', 'bench@example.com')
SIGN_OFF = f'Signed-off-by: {IDENTITY[0]} <{IDENTITY[1]}>'
BODY = 'The form posts to /session and keeps the user signed in for a day.'
HOOK_MESSAGE = f'feat: PROJ-123 add the login form\n\n{BODY}\n\n{SIGN_OFF}\n'
BRANCH = 'feat/PROJ-1-bench'
MESSAGE_CHECKS = ('jira-ticket', 'conventional-commit', 'commit-style')
SECTIONS = {  # check id -> the policy table that turns it on
    'jira-ticket': '[commit.jira]\nprojects = ["PROJ"]\n',
    'conventional-commit': '[commit.conventional]\n',
    'commit-style': '[commit.style]\ntitle-max-length = 72\n',
    'branch-name': '[branch]\npattern = \'^(feat|fix)/[A-Z]+-[0-9]+(-[a-z0-9-]+)?$\'\n',
    'forbidden-path': '[files]\nmax-size = "10MB"\nforbidden = ["*.pem", "id_rsa"]\n'
                      'max-path-length = 200\n',
    'author-email': '[author]\nemail = \'@example\\.com$\'\n',
}
COMMIT_KEYS = {'message-pattern': "pattern = 'PROJ-[0-9]+'\n", 'dco': 'dco = true\n'}
EVERY = (*SECTIONS, *COMMIT_KEYS)  # every check a policy can turn on, but secrets and signature
HOOK_CHECKS = ('jira-ticket', 'conventional-commit')


@dataclasses.dataclass
class Bench:
    runs: int
    tmp: Path
    env: dict[str, str]
    results: dict[str, float | None] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)
    memory: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)  # KiB
    histories: dict[str, str] = dataclasses.field(default_factory=dict)  # label -> source
    load: str = dataclasses.field(default_factory=lambda: _load())


def _load() -> str:
    """The load average: other work on the machine skews every figure."""
    try:
        return ', '.join(f'{value:.2f}' for value in os.getloadavg())
    except OSError:
        return 'unknown'


class Skip(Exception):
    pass


# --- environment ---------------------------------------------------------------------------------

def tool(name: str) -> str:
    """The console script next to this interpreter: not a pyenv shim, whose start-up would count."""
    found = shutil.which(name, path=sysconfig.get_path('scripts')) or shutil.which(name)
    if found is None:
        raise Skip(f'{name} is not installed')
    return found


def install_peers(allowed: bool) -> None:
    missing = [pkg for script, pkg in PEERS.items()
               if not shutil.which(script, path=sysconfig.get_path('scripts'))]
    if missing and allowed:
        print(f'installing {", ".join(missing)} ...', file=sys.stderr)
        subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', *missing], check=True)


def compile_pushguard() -> None:
    """Write pushguard's bytecode, as `pip install` does for every installed package (the peers
    included): an editable checkout under PYTHONDONTWRITEBYTECODE would otherwise compile every
    module from source on every run, a cost no installed hook pays."""
    import compileall
    import pushguard
    compileall.compile_dir(os.path.dirname(pushguard.__file__), quiet=1)


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def has_check(check_id: str) -> bool:
    return has_module(f'pushguard.checks.{check_id.replace("-", "_")}')


def pinned_env(home: Path) -> dict[str, str]:
    (home / 'templates').mkdir(parents=True)
    (home / 'gitconfig').write_text('')
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('GIT_', 'PUSHGUARD_', 'PRE_COMMIT_'))}
    env.update({
        'HOME': str(home), 'GIT_CONFIG_GLOBAL': str(home / 'gitconfig'),
        'GIT_CONFIG_NOSYSTEM': '1', 'GIT_TEMPLATE_DIR': str(home / 'templates'),
        'GIT_AUTHOR_NAME': IDENTITY[0], 'GIT_AUTHOR_EMAIL': IDENTITY[1],
        'GIT_COMMITTER_NAME': IDENTITY[0], 'GIT_COMMITTER_EMAIL': IDENTITY[1],
        'LC_ALL': 'C.UTF-8', 'NO_COLOR': '1', 'GIT_TERMINAL_PROMPT': '0',
    })
    return env


def policy(checks: Sequence[str]) -> str:
    """A .pushguard.toml turning on `checks` (secrets and file-size are always on)."""
    commit = ''.join(COMMIT_KEYS[c] for c in checks if c in COMMIT_KEYS)
    return (f'[commit]\n{commit}' if commit else '') + ''.join(
        SECTIONS[c] for c in checks if c in SECTIONS)


# --- generated repositories ---------------------------------------------------------------------

def _data(text: str) -> bytes:
    raw = text.encode()
    return b'data %d\n%s\n' % (len(raw), raw)


def _module(n: int) -> str:
    return (f'"""Module {n}: generated for the pushguard benchmark."""\n'
            f'from __future__ import annotations\n\nLIMIT_{n} = {n * 7 % 1000}\n\n\n'
            f'def handle_{n}(items: list[int]) -> int:\n    total = 0\n    for item in items:\n'
            f'        if item > LIMIT_{n}:\n            total += item\n    return total + {n}\n')


def _shared(n: int) -> str:
    return (f'# shared settings, revision {n}\nTIMEOUT = {30 + n % 7}\nRETRIES = {n % 5}\n'
            f'BASE_URL = "https://example.com/api/v{n % 3 + 1}"\nNAMES = ["alpha", "beta"]\n')


def _commit(n: int, files: dict[str, str]) -> bytes:
    when = 1_700_000_000 + n * 60
    who = f'{IDENTITY[0]} <{IDENTITY[1]}> {when} +0000'
    message = f'feat: PROJ-{n + 1} change module {n}\n\n{BODY}\n\n{SIGN_OFF}\n'
    out = [b'commit refs/heads/main\n', b'mark :%d\n' % (n + 1),
           f'author {who}\ncommitter {who}\n'.encode(), _data(message)]
    if n:
        out.append(b'from :%d\n' % n)
    for path, content in files.items():
        out.append(f'M 100644 inline {path}\n'.encode() + _data(content))
    return b''.join(out)


def generate(path: Path, commits: int, env: dict[str, str]) -> Path:
    """A repository with tag `base` and `commits` commits on top of it, via git fast-import."""
    git(env, 'init', '-q', '-b', 'main', str(path))
    stream = [_commit(0, {'README.md': '# bench\n', 'src/__init__.py': ''})]
    stream += [_commit(n, {f'src/pkg{n // 100}/mod_{n}.py': _module(n),
                           f'src/shared_{n % 20}.py': _shared(n)}) for n in range(1, commits + 1)]
    stream.append(b'reset refs/tags/base\nfrom :1\n\n')
    subprocess.run(['git', 'fast-import', '--quiet'], input=b''.join(stream), cwd=path, env=env,
                   check=True)
    git(env, 'reset', '-q', '--hard', 'main', cwd=path)
    return path


def git(env: dict[str, str], *args: str, cwd: Path | None = None) -> None:
    subprocess.run(['git', *args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


# --- measuring ---------------------------------------------------------------------------------

def _once(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors='replace').strip().splitlines()[-3:]
        raise Skip(f'`{" ".join(map(str, argv))}` exited {proc.returncode}: {" / ".join(tail)}')
    return elapsed


def measure(bench: Bench, name: str, make: Callable[[], tuple[Sequence[str], Path]],
            runs: int | None = None) -> None:
    """Median of `runs` (`bench.runs`) runs after one warm-up; a Skip records a note instead."""
    try:
        argv, cwd = make()
        _once(argv, cwd, bench.env)
        times = [_once(argv, cwd, bench.env) for _ in range(runs or bench.runs)]
    except Skip as e:
        bench.results[name] = None
        bench.notes.append(f'{name}: skipped: {e}')
        print(f'  {name}: skipped ({e})', file=sys.stderr)
        return
    median = bench.results[name] = statistics.median(times)
    print(f'  {name}: {median * 1000:.1f} ms', file=sys.stderr)


def measure_together(bench: Bench, makers: dict[str, Callable[[], tuple[Sequence[str], Path]]],
                     runs: int | None = None) -> None:
    """Like `measure` for several commands, run in turns (one run of each, `runs` times):
    a busy spell of the shared machine then slows all of them, not the one that ran during it."""
    ready: dict[str, tuple[Sequence[str], Path]] = {}
    for name, make in makers.items():
        try:
            argv, cwd = make()
            _once(argv, cwd, bench.env)
            ready[name] = (argv, cwd)
        except Skip as e:
            bench.results[name] = None
            bench.notes.append(f'{name}: skipped: {e}')
            print(f'  {name}: skipped ({e})', file=sys.stderr)
    times: dict[str, list[float]] = {name: [] for name in ready}
    for _ in range(runs or bench.runs):
        for name, (argv, cwd) in ready.items():
            times[name].append(_once(argv, cwd, bench.env))
    for name, taken in times.items():
        median = bench.results[name] = statistics.median(taken)
        print(f'  {name}: {median * 1000:.1f} ms', file=sys.stderr)


def peak_memory(bench: Bench, name: str, argv: Sequence[str], cwd: Path) -> None:
    """Peak RSS (KiB) of one `pushguard ...` run (argv[0] is the console script): pushguard's
    own Python process, and the largest git process it started."""
    # Linux carries the spawning process's high-water mark over exec into ru_maxrss: this
    # process, which held a 10,000-commit fast-import stream, would be measured instead of
    # pushguard. /proc/self/status's VmHWM is the new process image's own.
    probe = ('import os, resource, sys\n'
             'from pushguard.cli import main\n'
             'sys.stdout = open(os.devnull, "w")\n'
             'code = main(sys.argv[1:])\n'
             'own, git = (resource.getrusage(who).ru_maxrss for who in '
             '(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n'
             'try:\n'
             '    with open("/proc/self/status") as f:\n'
             '        own = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))\n'
             'except (OSError, StopIteration):\n'
             '    pass\n'
             'print(code, own, git, file=sys.stderr)\n')
    # warmed up as the timed runs are: the policy and the secrets prefilter's plan cached
    subprocess.run(argv, cwd=cwd, env=bench.env, capture_output=True)
    out = subprocess.run([sys.executable, '-c', probe, *argv[1:]], cwd=cwd, env=bench.env,
                         capture_output=True, text=True).stderr.split()
    if len(out) != 3 or out[0] not in ('0', '1'):
        bench.notes.append(f'{name}: failed ({" ".join(out)[-200:]}), peak memory not recorded')
        return
    bench.memory[name] = (int(out[1]), int(out[2]))


def memory(bench: Bench, repo: Path, commits: int) -> None:
    """Peak memory of `check` on `commits` commits: without and with secrets, and with the
    default policy (secrets, file-size). The engine streams the push, so these stay flat."""
    every = _available(EVERY)
    try:
        argv, cwd = _check(bench, repo, every, '--skip', 'secrets')()
        peak_memory(bench, f'check, every check but secrets ({commits:,} commits)', argv, cwd)
        argv, cwd = _check(bench, repo, [*every, 'secrets'])()
        peak_memory(bench, f'check, every check with secrets ({commits:,} commits)', argv, cwd)
        argv, cwd = _check(bench, repo, [])()
        peak_memory(bench, f'check, the default policy ({commits:,} commits)', argv, cwd)
    except Skip as e:
        bench.notes.append(f'peak memory: skipped: {e}')


# --- the scenarios -------------------------------------------------------------------------------

def _hook_repo(bench: Bench, slot: str) -> Path:
    """One repository per hook measured: all of them are measured in turns."""
    path = bench.tmp / f'hooks-{slot}'
    if not path.exists():
        git(bench.env, 'init', '-q', '-b', BRANCH, str(path))
        (path / 'msg').write_text(HOOK_MESSAGE)
        # gitlint's hook reads user.name from git config, not from GIT_AUTHOR_NAME
        git(bench.env, 'config', 'user.name', IDENTITY[0], cwd=path)
        git(bench.env, 'config', 'user.email', IDENTITY[1], cwd=path)
    return path


def _with_hook(bench: Bench, slot: str, shim: str | None, config: str = ''
               ) -> tuple[list[str], Path]:
    repo = _hook_repo(bench, slot)
    hook = repo / '.git' / 'hooks' / 'commit-msg'
    hook.parent.mkdir(exist_ok=True)
    if shim is None:
        hook.unlink(missing_ok=True)
    else:
        hook.write_text(f'#!/bin/sh\n{shim}\n')
        hook.chmod(0o755)
    (repo / '.pushguard.toml').write_text(config)
    return ['git', 'commit', '-q', '--allow-empty', '--no-gpg-sign', '-F', 'msg'], repo


def _installed(bench: Bench, slot: str, checks: tuple[str, ...]) -> tuple[list[str], Path]:
    """The hook `pushguard install` writes: a sh shim that runs this interpreter with -S."""
    _require(*checks, module='pushguard.commands.install')
    argv, repo = _with_hook(bench, slot, None, policy(checks))
    (repo / '.git' / 'hooks' / 'commit-msg.legacy').unlink(missing_ok=True)
    subprocess.run([tool('pushguard'), 'install', '--hook', 'commit-msg'], cwd=repo, env=bench.env,
                   check=True, stdout=subprocess.DEVNULL)
    return argv, repo


def _require(*checks: str, module: str | None = None) -> None:
    for check_id in checks:
        if not has_check(check_id):
            raise Skip(f'check {check_id} is not written yet')
    if module and not has_module(module):
        raise Skip(f'{module} is not written yet')


# a small commit: one line of a module changed, nothing a secret could hide in ($$: the shell's
# pid, so each run stages a change)
SMALL_COMMIT = ('printf \'"""Settings."""\\nRETRIES = %s\\n\' "$$" >settings.py && '
                'git add settings.py && exec git commit -q --no-gpg-sign -F msg')


def _small_commit(bench: Bench, slot: str, shim: str | None, install: bool = False
                  ) -> tuple[list[str], Path]:
    """`git commit` of a one-line change, with the commit-msg `shim`, or with every commit-time
    hook `pushguard install` writes (pre-commit, commit-msg)."""
    if install:
        _require(*HOOK_CHECKS, module='pushguard.commands.install')
    _, repo = _with_hook(bench, slot, shim, policy(HOOK_CHECKS) if install else '')
    if install:
        subprocess.run([tool('pushguard'), 'install'], cwd=repo, env=bench.env, check=True,
                       stdout=subprocess.DEVNULL)
    return ['sh', '-c', SMALL_COMMIT], repo


def installed_set(bench: Bench) -> dict[str, Callable[[], tuple[list[str], Path]]]:
    """(a) the whole installed set against conventional-pre-commit, on a small commit."""
    return {
        'small commit, no hook': lambda: _small_commit(bench, 'small-none', None),
        'small commit, every hook `pushguard install` writes (jira + conventional)':
            lambda: _small_commit(bench, 'small-installed', None, install=True),
        'small commit, conventional-pre-commit hook': lambda: _small_commit(
            bench, 'small-conventional', f"exec '{tool('conventional-pre-commit')}' \"$1\""),
    }


def hooks(bench: Bench) -> None:
    """(a) and (b): `git commit` with no hook, then with each tool's commit-msg hook."""
    def pushguard(slot: str, checks: tuple[str, ...]) -> Callable[[], tuple[list[str], Path]]:
        def make() -> tuple[list[str], Path]:
            _require(*checks, module='pushguard.hooks.commit_msg')
            return _with_hook(bench, slot, f"exec '{tool('pushguard')}' hook commit-msg \"$1\"",
                              policy(checks))
        return make

    style = (*HOOK_CHECKS, 'commit-style')
    measure_together(bench, {
        'python -c pass (interpreter start-up, the floor of every Python hook)':
            lambda: ([sys.executable, '-c', 'pass'], bench.tmp),
        'commit, no hook': lambda: _with_hook(bench, 'none', None),
        'commit, pushguard hook (jira + conventional)': pushguard('script', HOOK_CHECKS),
        'commit, pushguard hook as `pushguard install` writes it (jira + conventional)':
            lambda: _installed(bench, 'installed', HOOK_CHECKS),
        'commit, pushguard hook (jira + conventional + style)': pushguard('script-style', style),
        'commit, pushguard hook as `pushguard install` writes it (jira + conventional + style)':
            lambda: _installed(bench, 'installed-style', style),
        'commit, conventional-pre-commit hook': lambda: _with_hook(
            bench, 'conventional', f"exec '{tool('conventional-pre-commit')}' \"$1\""),
        'commit, gitlint hook': lambda: _with_hook(
            bench, 'gitlint', f"exec '{tool('gitlint')}' --staged --msg-filename \"$1\" run-hook"),
        **installed_set(bench),
    })


def _check(bench: Bench, repo: Path, checks: Sequence[str], *extra: str
           ) -> Callable[[], tuple[list[str], Path]]:
    def make() -> tuple[list[str], Path]:
        _require(*checks, module='pushguard.commands.check')
        config = bench.tmp / f'policy-{"-".join(c[:5] for c in checks)}.toml'
        config.write_text(policy(checks))
        return [tool('pushguard'), 'check', 'base..main', '--branch', BRANCH,
                '--config', str(config), *extra], repo
    return make


def _available(candidates: Sequence[str]) -> list[str]:
    return [check_id for check_id in candidates if has_check(check_id)]


def ranges(bench: Bench, commits: int) -> None:
    """(c) and (d): a `commits`-commit range, message checks, every check, then with secrets."""
    repo = generate(bench.tmp / 'range', commits, bench.env)
    every = _available(EVERY)
    messages = _available(MESSAGE_CHECKS)
    measure(bench, 'gitlint --commits', lambda: (
        [tool('gitlint'), '--commits', 'base..main'], repo))
    measure_together(bench, {
        'check, message checks': _check(bench, repo, messages, '--only', ','.join(messages)),
        'check, every check but secrets': _check(bench, repo, every, '--skip', 'secrets'),
        'check, every check with secrets': _check(bench, repo, [*every, 'secrets']),
        'check, the default policy (secrets, file-size)': _check(bench, repo, []),
        'check, secrets alone': _check(bench, repo, [], '--only', 'secrets'),
        'git log -p': lambda: (
            ['git', 'log', '-p', '--no-color', '--no-ext-diff', 'base..main'], repo),
    })
    memory(bench, repo, commits)
    added = write_added_lines(bench, repo, 'base..main', bench.tmp / 'added-lines')
    measure(bench, 'detect-secrets scan (added lines)', lambda: (
        [tool('detect-secrets'), 'scan', '--all-files', '.'], added))


def write_added_lines(bench: Bench, repo: Path, revisions: str, out: Path) -> Path:
    """The lines each commit of `revisions` adds, one file per commit and path, as detect-secrets
    would need them to see exactly what pushguard's secrets check sees."""
    diff = subprocess.run(
        ['git', 'log', '-p', '-U0', '--no-renames', '--no-color', '--no-ext-diff',
         '--format=commit %H', revisions], cwd=repo, env=bench.env, capture_output=True,
        check=True,
    ).stdout.decode('utf-8', 'replace')
    sha, target, lines = '', None, []
    for line in [*diff.split('\n'), 'commit end']:
        if line.startswith(('commit ', '+++ ')) and target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(''.join(lines))
            target, lines = None, []
        if line.startswith('commit '):
            sha = line[len('commit '):][:12]
        elif line.startswith('+++ b/'):
            target = out / sha / line[len('+++ b/'):]
        elif line.startswith('+') and target is not None:
            lines.append(line[1:] + '\n')
    return out


# detect-secrets' plugins as pushguard runs them without a baseline: the two generic entropy
# plugins off (secrets.py says why)
SAME_PLUGINS = ('--disable-plugin', 'Base64HighEntropyString',
                '--disable-plugin', 'HexHighEntropyString')


def _blocked_is_fine(argv: Sequence[str]) -> list[str]:
    """`argv` through sh, exit 1 (findings: the point of a history with secrets) counted as a
    success, 2 and up as a failure."""
    return ['sh', '-c', '"$0" "$@"; [ $? -le 1 ]', *argv]


def real_history(bench: Bench, source: str, label: str, runs: int) -> None:
    """(f) secrets over every commit of a real history with secret-like lines (a clone of
    `source` without a work tree, so no baseline of its own applies), against git printing it and
    detect-secrets scanning the same added lines with the same plugins."""
    repo = bench.tmp / f'real-{label}'
    git(bench.env, 'clone', '-q', '--no-checkout', source, str(repo))
    count = subprocess.run(['git', 'rev-list', '--count', 'HEAD'], cwd=repo, env=bench.env,
                           capture_output=True, text=True, check=True).stdout.strip()
    bench.histories[label] = f'{source} ({int(count):,} commits)'
    empty = bench.tmp / 'policy-empty.toml'
    empty.write_text('')
    added = write_added_lines(bench, repo, 'HEAD', bench.tmp / f'added-lines-{label}')
    # in turns, so that a busy spell of the shared machine slows all three alike
    measure_together(bench, {
        f'{label}: check --only secrets': lambda: (_blocked_is_fine(
            [tool('pushguard'), 'check', 'HEAD', '--only', 'secrets', '--config', str(empty)]),
            repo),
        f'{label}: git log -p': lambda: (
            ['git', 'log', '-p', '--no-color', '--no-ext-diff', 'HEAD'], repo),
        f'{label}: detect-secrets scan (added lines, same plugins)': lambda: (
            [tool('detect-secrets'), 'scan', '--all-files', *SAME_PLUGINS, '.'], added),
    }, runs)


def big_range(bench: Bench, commits: int) -> None:
    """(e): the git floor on a `commits`-commit range, and pushguard's peak memory there."""
    repo = generate(bench.tmp / 'big-range', commits, bench.env)
    every = _available(EVERY)
    measure(bench, f'git log ({commits:,} commits)', lambda: (
        ['git', 'log', 'base..main'], repo))
    make = _check(bench, repo, every, '--skip', 'secrets')
    measure(bench, f'check, every check but secrets ({commits:,} commits)', make)
    memory(bench, repo, commits)


# --- the report ----------------------------------------------------------------------------------

def _added(results: dict[str, float | None], hook: str, kind: str = 'commit') -> float | None:
    """What the `hook` adds to a `git commit` (`kind`: 'commit' or 'small commit')."""
    base, with_hook = results.get(f'{kind}, no hook'), results.get(f'{kind}, {hook}')
    return None if base is None or with_hook is None else with_hook - base


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b <= 0 else a / b


def ratios(bench: Bench, big: int) -> list[tuple[str, float | None, str, bool | None]]:
    """(name, value, target, met) for each ratio the issues target."""
    r = bench.results
    pg = _added(r, 'pushguard hook (jira + conventional)')
    pg_installed = _added(
        r, 'pushguard hook as `pushguard install` writes it (jira + conventional)')
    pg_style = _added(r, 'pushguard hook (jira + conventional + style)')
    pg_style_installed = _added(
        r, 'pushguard hook as `pushguard install` writes it (jira + conventional + style)')
    every_hook = _added(r, 'every hook `pushguard install` writes (jira + conventional)',
                        'small commit')
    rows = [
        ('small commit, added time: every hook pushguard installs / conventional-pre-commit',
         _ratio(every_hook, _added(r, 'conventional-pre-commit hook', 'small commit')),
         '<= 1.0', 1.0, False),
        ('hook added time: pushguard as installed / conventional-pre-commit',
         _ratio(pg_installed, _added(r, 'conventional-pre-commit hook')), '<= 0.5', 0.5, False),
        ('hook added time: pushguard as installed / gitlint',
         _ratio(pg_installed, _added(r, 'gitlint hook')), '<= 0.25', 0.25, False),
        ('hook added time: pushguard console script / conventional-pre-commit',
         _ratio(pg, _added(r, 'conventional-pre-commit hook')), '-', None, False),
        ('hook added time: pushguard console script / gitlint',
         _ratio(pg, _added(r, 'gitlint hook')),
         '-', None, False),
        ('hook added time: pushguard as installed with style rules / gitlint',
         _ratio(pg_style_installed, _added(r, 'gitlint hook')), '<= 0.6', 0.6, False),
        ('hook added time: pushguard console script with style rules / gitlint',
         _ratio(pg_style, _added(r, 'gitlint hook')), '-', None, False),
        ('gitlint --commits / check, message checks (times faster)',
         _ratio(r.get('gitlint --commits'), r.get('check, message checks')), '>= 35', 35, True),
        ('gitlint --commits / check, every check but secrets (times faster)',
         _ratio(r.get('gitlint --commits'), r.get('check, every check but secrets')),
         '>= 35', 35, True),
        ('check with the default policy (secrets, file-size) / git log -p',
         _ratio(r.get('check, the default policy (secrets, file-size)'), r.get('git log -p')),
         '<= 5', 5, False),
        ('check with secrets alone (--only secrets) / git log -p',
         _ratio(r.get('check, secrets alone'), r.get('git log -p')), '-', None, False),
        ('check with every check and secrets / git log -p',
         _ratio(r.get('check, every check with secrets'), r.get('git log -p')), '-', None, False),
        ('check with the default policy / detect-secrets scan of the added lines',
         _ratio(r.get('check, the default policy (secrets, file-size)'),
                r.get('detect-secrets scan (added lines)')), '-', None, False),
        *_history_rows(r, bench.histories),
        (f'check without secrets / git log ({big:,} commits)',
         _ratio(r.get(f'check, every check but secrets ({big:,} commits)'),
                r.get(f'git log ({big:,} commits)')), '-', None, False),
    ]
    out: list[tuple[str, float | None, str, bool | None]] = []
    for name, value, target, bound, at_least in rows:
        met = None if value is None or bound is None else (
            value >= bound if at_least else value <= bound)
        out.append((name, value, target, met))
    return out


def _history_rows(r: dict[str, float | None], labels: Iterable[str]
                  ) -> Iterator[tuple[str, float | None, str, float | None, bool]]:
    for label in labels:
        check = r.get(f'{label}: check --only secrets')
        yield (f'{label}: detect-secrets scan / check --only secrets (times faster)',
               _ratio(r.get(f'{label}: detect-secrets scan (added lines, same plugins)'), check),
               '>= 4', 4, True)
        yield (f'{label}: check --only secrets / git log -p', _ratio(
            check, r.get(f'{label}: git log -p')), '-', None, False)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(line.split(':', 1)[1].strip() for line in f if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    git_version = subprocess.run(['git', '--version'], capture_output=True, text=True).stdout
    return (f'{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; '
            f'Python {platform.python_version()}; {git_version.strip()}')


def versions() -> str:
    """The commit of the pushguard measured (when it is a clone's) and the peers' versions.

    The pushguard measured is the one this interpreter imports (PYTHONPATH first, else the
    installed one), which is also what `pushguard install` writes into the hooks; it need not
    be the checkout this script was run from."""
    from importlib.metadata import PackageNotFoundError, version
    import pushguard
    here = Path(pushguard.__file__).resolve().parent
    head = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=here,
                          capture_output=True, text=True).stdout.strip()
    found = [f'pushguard {head or "(not a clone)"} ({here})']
    for package in PEERS.values():
        try:
            found.append(f'{package} {version(package)}')
        except PackageNotFoundError:
            found.append(f'{package} (not installed)')
    return ', '.join(found)


def render(bench: Bench, args: argparse.Namespace) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    lines = [
        f'pushguard benchmarks, {now}', '',
        f'- machine: {machine()}',
        f'- versions: {versions()}',
        f'- runs: median of {bench.runs} runs each, after one warm-up run',
        f'- load average (1, 5, 15 min) at the start: {bench.load}; at the end: {_load()}',
        f'- ranges: {args.commits:,} commits (c, d), {args.big:,} commits (e)',
        *(f'- real history (f) "{label}": {source}' for label, source in bench.histories.items()),
        '',
        '| measurement | median |', '|---|---:|',
    ]
    for name, value in bench.results.items():
        lines.append(f'| {name} | {"skipped" if value is None else f"{value * 1000:,.1f} ms"} |')
    lines += ['', '| ratio | value | target | met |', '|---|---:|---|---|']
    for name, value, target, met in ratios(bench, args.big):
        shown = '-' if value is None else f'{value:.2f}'
        verdict = {True: 'yes', False: 'NO', None: '-'}[met]
        lines.append(f'| {name} | {shown} | {target} | {verdict} |')
    if bench.memory:
        lines += ['', '| peak memory (RSS) | pushguard\'s process | largest git process |',
                  '|---|---:|---:|']
        lines += [f'| {name} | {own / 1024:,.1f} MiB | {git / 1024:,.1f} MiB |'
                  for name, (own, git) in bench.memory.items()]
    if bench.notes:
        lines += ['', 'Notes:', *(f'- {note}' for note in bench.notes)]
    return '\n'.join(lines) + '\n'


def histories(given: Sequence[str] | None) -> list[tuple[str, str]]:
    """(label, repository) of each real history to measure; by default this checkout's own."""
    if given:
        return [(item.partition('=')[0], item.partition('=')[2]) if '=' in item
                else (Path(item).name, item) for item in given]
    here = subprocess.run(['git', 'rev-parse', '--show-toplevel'], cwd=Path(__file__).parent,
                          capture_output=True, text=True).stdout.strip()
    return [('pushguard', here)] if here else []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='3 runs, 200 and 1,000-commit ranges: a smoke test')
    parser.add_argument('--runs', type=int, help='runs per measurement (default 20; 3 quick)')
    parser.add_argument('--commits', type=int, help='commits in range (c, d) (default 2,000)')
    parser.add_argument('--big', type=int, help='commits in range (e) (default 10,000)')
    parser.add_argument('--no-install', action='store_true', help='do not pip-install peers')
    parser.add_argument('--output', metavar='FILE', help='also write the report to FILE')
    parser.add_argument('--part', action='append', choices=('hooks', 'ranges', 'big', 'real'),
                        help='measure only these parts (default: all four)')
    parser.add_argument('--history', action='append', metavar='LABEL=REPOSITORY',
                        help='a real history for (f) (default: this checkout\'s own history)')
    args = parser.parse_args(argv)
    args.runs = args.runs or (3 if args.quick else 20)
    args.commits = args.commits or (200 if args.quick else 2000)
    args.big = args.big or (1000 if args.quick else 10_000)
    install_peers(not args.no_install)
    compile_pushguard()
    with tempfile.TemporaryDirectory(prefix='pushguard-bench-') as tmp:
        bench = Bench(args.runs, Path(tmp), pinned_env(Path(tmp) / 'home'))
        parts = args.part or ('hooks', 'ranges', 'big', 'real')
        if 'hooks' in parts:
            print('(a, b) commit-msg hooks', file=sys.stderr)
            hooks(bench)
        if 'ranges' in parts:
            print(f'(c, d) {args.commits:,}-commit range', file=sys.stderr)
            ranges(bench, args.commits)
        if 'big' in parts:
            print(f'(e) {args.big:,}-commit range', file=sys.stderr)
            big_range(bench, args.big)
        if 'real' in parts:
            for label, source in histories(args.history):
                print(f'(f) secrets on a real history: {label}', file=sys.stderr)
                real_history(bench, source, label, max(3, args.runs // 4))
    report = render(bench, args)
    sys.stdout.write(report)
    if args.output:
        Path(args.output).write_text(report)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
