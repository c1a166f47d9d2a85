"""git's output read as it comes: a big diff never sits in memory whole.

Where the platform has `os.posix_spawnp` (Linux, macOS), git is started with it and its pipes
are served with `select`, as `_process.run` does: importing `subprocess` and `tempfile` (threading,
selectors, signal, random, shutil) cost the pre-commit hook about 5 ms, more than the git commands
it runs. Elsewhere it is `subprocess.Popen` with stdin and stderr in temporary files.
"""
from __future__ import annotations

import contextlib
import os
import select
from collections.abc import Iterable, Iterator

from pushguard._typing import TYPE_CHECKING
from pushguard.errors import GitError

if TYPE_CHECKING:
    from typing import IO

_CHUNK = 1 << 16


@contextlib.contextmanager
def streamed(*args: str, stdin: bytes | Iterable[bytes], keep_open: bool = False
             ) -> Iterator[IO[bytes]]:
    """`git ARGS` with `stdin` fed to it; yields its stdout to read (`read1`) as git writes it.

    `stdin` may be chunks, taken only as git reads them: a push's 10,000 shas are never all
    written out at once.

    GitError when git fails and its output was read to the end; a reader that stops early stops
    git too, and git's failure is then no news. With `keep_open`, more input goes in with the
    reader's `send` until its `close_input` (a batch process asked as a push streams by).
    """
    if not hasattr(os, 'posix_spawnp'):  # pragma: no cover - Windows
        with _with_subprocess(args, stdin if isinstance(stdin, bytes) else b''.join(stdin)) as out:
            yield out
        return
    reader = _Reader(('git', *args), stdin, keep_open)
    read_to_the_end = False
    try:
        yield reader  # type: ignore[misc]  # the part of IO[bytes] the readers use
        read_to_the_end = True
    finally:
        code, said = reader.finish(stop=not read_to_the_end)
        if code != 0 and read_to_the_end:
            raise GitError(_failure(args, code, said))


@contextlib.contextmanager
def kept_open(*args: str) -> Iterator[IO[bytes]]:
    """`streamed(*ARGS, keep_open=True)`: a batch git (`cat-file --batch`) asked with `send` for
    the time of the `with`; then its input is closed and what is left of its output read, so
    that it ends as a git read to the end does."""
    with streamed(*args, stdin=b'', keep_open=True) as out:
        yield out
        if hasattr(out, 'close_input'):
            out.close_input()
        while out.read1(_CHUNK):  # type: ignore[attr-defined]
            pass


def _failure(args: tuple[str, ...], code: int, said: bytes) -> str:
    from pushguard.git import failure_message
    return failure_message(('git', *args), code, said)


class _Reader:
    """A running git: `read1` returns what it has written to stdout so far (b'' at the end)
    while its stdin is fed and its stderr kept, so that no pipe fills while we wait on another."""

    def __init__(self, argv: tuple[str, ...], stdin: bytes | Iterable[bytes],
                 keep_open: bool = False) -> None:
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        chunks = iter((stdin,) if isinstance(stdin, bytes) else stdin)
        first = next(chunks, b'')
        feeds = bool(first) or keep_open or not isinstance(stdin, bytes)
        in_read, in_write = os.pipe() if feeds else (os.open(os.devnull, os.O_RDONLY), -1)
        actions = [(os.POSIX_SPAWN_DUP2, fd, target)
                   for fd, target in ((in_read, 0), (out_write, 1), (err_write, 2))]
        try:
            self.pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        except FileNotFoundError:
            _close(out_read, err_read, in_write)
            raise GitError('git is not installed or not on PATH') from None
        except OSError:
            _close(out_read, err_read, in_write)
            raise
        finally:
            _close(in_read, out_write, err_write)
        self._out: int | None = out_read
        self._err: int | None = err_read
        self._in: int | None = None
        self._left = memoryview(first)
        self._more = chunks  # what is still to be fed after `_left`
        self._keep_open = keep_open  # more comes through `send`, until `close_input`
        self._said: list[bytes] = []
        self._buffer = b''  # read from the pipe by readline, not yet handed out
        if feeds:
            os.set_blocking(in_write, False)
            self._in = in_write
            self._to_feed()

    def read1(self, size: int = _CHUNK) -> bytes:
        """What git has written so far, up to `size` bytes; b'' at the end."""
        if self._buffer:
            chunk, self._buffer = self._buffer[:size], self._buffer[size:]
            return chunk
        return self._read_pipe(size)

    def read(self, size: int = -1) -> bytes:
        """`size` bytes (fewer only at the end), or everything left, as a file's read."""
        parts = []
        while size < 0 or size > 0:
            chunk = self.read1(_CHUNK if size < 0 else min(size, _CHUNK))
            if not chunk:
                break
            parts.append(chunk)
            size -= len(chunk) if size > 0 else 0
        return b''.join(parts)

    def readline(self) -> bytes:
        """The next line with its b'\\n' (the last maybe without), as a file's readline."""
        while b'\n' not in self._buffer:
            chunk = self._read_pipe(_CHUNK)
            if not chunk:
                break
            self._buffer += chunk
        end = self._buffer.find(b'\n') + 1 or len(self._buffer)
        line, self._buffer = self._buffer[:end], self._buffer[end:]
        return line

    def _read_pipe(self, size: int) -> bytes:
        while self._out is not None:
            reading = [fd for fd in (self._out, self._err) if fd is not None]
            feeding = [self._in] if self._in is not None and self._to_feed() else []
            ready, writable, _ = select.select(reading, feeding, [])
            if writable:
                self._feed()
            if self._err is not None and self._err in ready:
                self._keep_stderr()
            if self._out in ready:
                chunk = os.read(self._out, size)
                if chunk:
                    return chunk
                self._out = _closed(self._out)
        return b''

    def __iter__(self) -> Iterator[bytes]:
        """Its lines, each with its b'\\n' (the last maybe without), as a file's."""
        pending = b''
        while chunk := self.read1():
            *lines, pending = (pending + chunk).split(b'\n')
            yield from (line + b'\n' for line in lines)
        if pending:
            yield pending

    def send(self, data: bytes) -> None:
        """More input for git (opened with `keep_open`), fed while its output is read."""
        if self._in is not None and data:
            self._left = memoryview(bytes(self._left) + data)

    def close_input(self) -> None:
        """No more input: git sees the end of its stdin once what was sent is fed."""
        self._keep_open = False
        self._to_feed()

    def _to_feed(self) -> bool:
        """Whether input waits to be fed; stdin is closed once all of it was."""
        while not self._left and self._in is not None:
            chunk = next(self._more, None)
            if chunk is not None:
                self._left = memoryview(chunk)
            elif self._keep_open:
                return False
            else:
                self._in = _closed(self._in)
        return bool(self._left)

    def _feed(self) -> None:
        assert self._in is not None
        try:
            self._left = self._left[os.write(self._in, self._left[:_CHUNK]):]
        except BlockingIOError:
            return
        except BrokenPipeError:  # git stopped reading: what it says next tells why
            self._left, self._more, self._keep_open = self._left[:0], iter(()), False
        self._to_feed()

    def _keep_stderr(self) -> None:
        assert self._err is not None
        chunk = os.read(self._err, _CHUNK)
        if chunk:
            self._said.append(chunk)
        else:
            self._err = _closed(self._err)

    def finish(self, stop: bool) -> tuple[int, bytes]:
        """Wait for git (stopped first with `stop`): its exit status and what it said."""
        if stop:
            import signal
            os.kill(self.pid, signal.SIGKILL)
        self._in = _closed(self._in)
        self._out = _closed(self._out)
        while self._err is not None:
            self._keep_stderr()
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status), b''.join(self._said)


def _close(*fds: int) -> None:
    for fd in fds:
        if fd >= 0:
            os.close(fd)


def _closed(fd: int | None) -> int | None:
    """Close `fd` (when open); None, for the attribute that held it."""
    if fd is not None:
        os.close(fd)
    return None


@contextlib.contextmanager
def _with_subprocess(args: tuple[str, ...], stdin: bytes
                     ) -> Iterator[IO[bytes]]:  # pragma: no cover - Windows
    import subprocess
    import tempfile
    # stdin and stderr are files, not pipes: git answers each line as it reads it, so writing a
    # long input (2,000 shas) to a pipe while nobody reads git's full stdout deadlocks both
    with tempfile.TemporaryFile() as feed, tempfile.TemporaryFile() as said:
        feed.write(stdin)
        feed.seek(0)
        proc = subprocess.Popen(('git', *args), stdin=feed, stdout=subprocess.PIPE, stderr=said)
        assert proc.stdout is not None
        read_to_the_end = False
        try:
            yield proc.stdout
            read_to_the_end = True
        finally:
            proc.stdout.close()
            if not read_to_the_end:
                proc.kill()
            if proc.wait() != 0 and read_to_the_end:
                said.seek(0)
                raise GitError(_failure(args, proc.returncode, said.read()))
