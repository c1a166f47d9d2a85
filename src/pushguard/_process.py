"""The one process runner: run a program to the end and collect what it says (`run`), or read
its output as it comes (`streamed`). Every program pushguard starts goes through here.

A secret (a token for `git credential`) goes to a program on its standard input, never in its
arguments, which any local user can read in /proc. `env` replaces the environment when given.

`subprocess` costs a hook about 5 ms of start-up to import (it brings threading, selectors and
signal), more than the git command a commit-msg hook runs. Where the platform has
`os.posix_spawnp` (Linux, macOS), the program is started with it and its pipes are served with
`select`, as `subprocess.run(..., input=..., capture_output=True)` would; elsewhere it is
`subprocess.run`.
"""
from __future__ import annotations

import os
import select
import time
from collections.abc import Callable, Mapping

from pushguard._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import IO

_CHUNK = 1 << 16


def run(argv: tuple[str, ...], stdin: bytes | None = None, *,
        env: Mapping[str, str] | None = None, timeout: float | None = None,
        ) -> tuple[int, bytes, bytes]:
    """(exit status, stdout, stderr) of `argv`; with `stdin` None the program shares ours.

    Raises OSError (FileNotFoundError) when the program cannot be started, TimeoutError (after
    killing it) when it has not finished within `timeout` seconds.
    """
    if not hasattr(os, 'posix_spawnp'):  # pragma: no cover - Windows
        return _with_subprocess(argv, stdin, env, timeout)
    pipes = [os.pipe() for _ in range(3 if stdin is not None else 2)]
    if min(fd for pipe in pipes for fd in pipe) <= 2:  # pragma: no cover - our stdio was closed
        _close(*(fd for pipe in pipes for fd in pipe))
        return _with_subprocess(argv, stdin, env, timeout)
    (out_read, out_write), (err_read, err_write), *feed = pipes
    actions = [(os.POSIX_SPAWN_DUP2, out_write, 1), (os.POSIX_SPAWN_DUP2, err_write, 2)]
    if feed:
        actions.append((os.POSIX_SPAWN_DUP2, feed[0][0], 0))
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ if env is None else env,
                              file_actions=actions)
    except OSError:
        _close(out_read, err_read, *(feed[0][1:] if feed else ()))
        raise
    finally:
        _close(out_write, err_write, *(feed[0][:1] if feed else ()))
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        out, err = _serve(out_read, err_read, feed[0][1] if feed else None, stdin or b'',
                          deadline)
    except BaseException:  # ^C or the deadline: stop the program too, as subprocess.run does
        import signal
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out, err


def start(argv: tuple[str, ...]) -> Callable[[], tuple[int, bytes, bytes]]:
    """`run(argv)` begun now and finished by the function returned, so the program works while
    the caller does (a hook starts git before it imports its checks). Call that function on
    every path, errors included: it is what waits for the program. Raises what `run` raises
    when the program cannot be started."""
    if not hasattr(os, 'posix_spawnp'):  # pragma: no cover - Windows
        return lambda: run(argv)
    (out_read, out_write), (err_read, err_write) = os.pipe(), os.pipe()
    if min(out_read, out_write, err_read, err_write) <= 2:  # pragma: no cover - stdio closed
        _close(out_read, out_write, err_read, err_write)
        return lambda: run(argv)
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, out_write, 1), (os.POSIX_SPAWN_DUP2, err_write, 2)])
    except OSError:
        _close(out_read, err_read)
        raise
    finally:
        _close(out_write, err_write)

    def finish() -> tuple[int, bytes, bytes]:
        out, err = _serve(out_read, err_read, None, b'', None)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), out, err
    return finish


def _serve(out_fd: int, err_fd: int, in_fd: int | None, data: bytes, deadline: float | None,
           ) -> tuple[bytes, bytes]:
    """Read stdout and stderr to their ends while writing `data` to stdin, none blocking the
    others: a program that answers as it reads (git cat-file --batch) fills one pipe while we
    still write to the other."""
    said: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    reading = [out_fd, err_fd]
    left = memoryview(data)
    if in_fd is not None:
        os.set_blocking(in_fd, False)
        in_fd = _closed_when_done(in_fd, left)
    while reading or in_fd is not None:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            _close(*reading, *([] if in_fd is None else [in_fd]))
            raise TimeoutError
        ready, writable, _ = select.select(reading, [] if in_fd is None else [in_fd], [], wait)
        for fd in ready:
            chunk = os.read(fd, _CHUNK)
            if chunk:
                said[fd].append(chunk)
            else:
                reading.remove(fd)
                _close(fd)
        if writable:
            left = left[_write(writable[0], left):]
            in_fd = _closed_when_done(writable[0], left)
    return b''.join(said[out_fd]), b''.join(said[err_fd])


def _closed_when_done(fd: int, left: memoryview) -> int | None:
    """`fd`, or None once nothing is `left` to write to it (closed: the program sees the end)."""
    if left:
        return fd
    _close(fd)
    return None


def _write(fd: int, data: memoryview) -> int:
    """Bytes written; all of them when the program has stopped reading (as subprocess does)."""
    try:
        return os.write(fd, data[:_CHUNK])
    except BlockingIOError:
        return 0
    except BrokenPipeError:
        return len(data)


def _close(*fds: int) -> None:
    for fd in fds:
        os.close(fd)


def _with_subprocess(argv: tuple[str, ...], stdin: bytes | None,
                     env: Mapping[str, str] | None, timeout: float | None,
                     ) -> tuple[int, bytes, bytes]:
    import subprocess
    try:
        proc = subprocess.run(argv, input=stdin, capture_output=True, check=False, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise TimeoutError from None
    return proc.returncode, proc.stdout, proc.stderr


class streamed:  # noqa: N801 - used as a function: `with streamed(argv, stdin) as (out, finish)`
    """Start `argv` with its stdout read as it comes, so a big output never sits in memory
    whole; `with` gives (stdout, finish), where finish() waits and returns (exit status,
    stderr). A reader that leaves early has the program killed.

    stdin and stderr are files, not pipes: git answers each line as it reads it, so writing a
    long input (2,000 shas) to a pipe while nobody reads its full stdout deadlocks both.
    (A class, not contextlib: that import would cost every hook's start-up.)
    """

    def __init__(self, argv: tuple[str, ...], stdin: bytes, *,
                 env: Mapping[str, str] | None = None) -> None:
        self._argv, self._stdin, self._env = argv, stdin, env

    def __enter__(self) -> tuple[IO[bytes], Callable[[], tuple[int, bytes]]]:
        import subprocess
        import tempfile
        self._feed, self._said = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self._feed.write(self._stdin)
        self._feed.seek(0)
        self._proc = subprocess.Popen(self._argv, stdin=self._feed, stdout=subprocess.PIPE,
                                      stderr=self._said, env=self._env)
        assert self._proc.stdout is not None
        return self._proc.stdout, self._finish

    def _finish(self) -> tuple[int, bytes]:
        code = self._proc.wait()
        self._said.seek(0)
        return code, self._said.read()

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        assert self._proc.stdout is not None
        self._proc.stdout.close()
        if kind is not None:
            self._proc.kill()
        self._proc.wait()
        self._feed.close()
        self._said.close()
