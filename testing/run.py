"""Run the pushguard CLI in-process, or through its console script, and capture what it says."""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
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
