"""Run the pushguard CLI in-process, or through its console script, and capture what it says."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

from pushguard.cli import main


class Result(NamedTuple):
    code: int
    out: str
    err: str


class _Stdin(io.TextIOWrapper):
    pass


def run_pushguard(*argv: str, stdin: str | bytes = b'', cwd: str | os.PathLike[str] | None = None
                  ) -> Result:
    """`pushguard ARGV` in this process, with stdin given and stdout/stderr captured."""
    raw = stdin.encode() if isinstance(stdin, str) else stdin
    out, err = io.StringIO(), io.StringIO()
    old_cwd = os.getcwd()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw), encoding='utf-8', errors='surrogateescape')
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        os.chdir(old_cwd)
        sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue())


def check_json(check_id: str, *argv: str) -> tuple[int, list[dict[str, Any]]]:
    """`pushguard check ARGV --only CHECK_ID --format json`: the exit code and the findings.

    Asserts that nothing went to stderr."""
    result = run_pushguard('check', *argv, '--only', check_id, '--format', 'json')
    assert result.err == ''
    return result.code, json.loads(result.out)['findings']


def run_console(*argv: str, stdin: bytes = b'', cwd: str | os.PathLike[str] | None = None,
                env: dict[str, str] | None = None) -> Result:
    """The installed `pushguard` script in a subprocess, as git hooks and users run it."""
    proc = subprocess.run(
        (sys.executable, '-m', 'pushguard', *argv), input=stdin, capture_output=True, cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    return Result(proc.returncode, proc.stdout.decode('utf-8', 'replace'),
                  proc.stderr.decode('utf-8', 'replace'))


def counting_git(folder: Path, log: Path, words: str = '"$1"') -> dict[str, str]:
    """An environment whose `git` (in `folder`) appends `words` of each command line to `log`
    (by default its first argument), then runs the real git: to count the gits a run starts."""
    real = shutil.which('git')
    assert real is not None
    folder.mkdir(exist_ok=True)
    (folder / 'git').write_text(f'#!/bin/sh\necho {words} >>"{log}"\nexec "{real}" "$@"\n')
    (folder / 'git').chmod(0o755)
    return {'PATH': f'{folder}{os.pathsep}{os.environ["PATH"]}'}


_NO_CHILD_LEFT = '''
import os, sys
from pushguard.cli import main
code = main(sys.argv[1:])
try:
    os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    print(code, "waited")
else:
    print(code, "a child was left")
'''


def exit_and_children(*argv: str, cwd: str | os.PathLike[str]) -> list[str]:
    """`pushguard ARGV` in a fresh `python -S`: [its exit code, 'waited'] when it left no child
    process behind, else [code, 'a', 'child', 'was', 'left']."""
    out = subprocess.run((sys.executable, '-S', '-c', _NO_CHILD_LEFT, *argv), cwd=cwd,
                         capture_output=True, text=True, check=True,
                         env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)}).stdout
    return out.splitlines()[-1].split()


class Trickle:
    """Bytes handed out a few at a time (`read1`/`read`), as a slow pipe would hand over git's
    output: a parser must read them in any pieces alike."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.pos = data, size, 0

    def read1(self, _: int) -> bytes:
        self.pos += self.size
        return self.data[self.pos - self.size:self.pos]

    read = read1
