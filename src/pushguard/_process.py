"""Run a program to the end and collect what it says: `git.run`'s engine.

`subprocess` costs a hook about 5 ms of start-up to import (it brings threading, selectors and
signal), more than the git command a commit-msg hook runs. Where the platform has
`os.posix_spawnp` (Linux, macOS), the program is started with it and its pipes are served with
`select`, as `subprocess.run(..., input=..., capture_output=True)` would; elsewhere it is
`subprocess.run`.
"""
from __future__ import annotations

import os
import select

_CHUNK = 1 << 16


def run(argv: tuple[str, ...], stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    """(exit status, stdout, stderr) of `argv`; with `stdin` None the program shares ours.

    Raises OSError (FileNotFoundError) when the program cannot be started.
    """
    if not hasattr(os, 'posix_spawnp'):  # pragma: no cover - Windows
        return _with_subprocess(argv, stdin)
    pipes = [os.pipe() for _ in range(3 if stdin is not None else 2)]
    if min(fd for pipe in pipes for fd in pipe) <= 2:  # pragma: no cover - our stdio was closed
        _close(*(fd for pipe in pipes for fd in pipe))
        return _with_subprocess(argv, stdin)
    (out_read, out_write), (err_read, err_write), *feed = pipes
    actions = [(os.POSIX_SPAWN_DUP2, out_write, 1), (os.POSIX_SPAWN_DUP2, err_write, 2)]
    if feed:
        actions.append((os.POSIX_SPAWN_DUP2, feed[0][0], 0))
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    except OSError:
        _close(out_read, err_read, *(feed[0][1:] if feed else ()))
        raise
    finally:
        _close(out_write, err_write, *(feed[0][:1] if feed else ()))
    try:
        out, err = _serve(out_read, err_read, feed[0][1] if feed else None, stdin or b'')
    except BaseException:  # ^C: stop the program too, as subprocess.run does
        import signal
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out, err


def _serve(out_fd: int, err_fd: int, in_fd: int | None, data: bytes) -> tuple[bytes, bytes]:
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
        ready, writable, _ = select.select(reading, [] if in_fd is None else [in_fd], [])
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


def _with_subprocess(argv: tuple[str, ...], stdin: bytes | None) -> tuple[int, bytes, bytes]:
    import subprocess
    proc = subprocess.run(argv, input=stdin, capture_output=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr
