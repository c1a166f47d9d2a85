"""Both cores for a big scan: a forked helper process scans some file diffs while this one
reads git's patch and scans the others.

The helper is forked once the scan has taken START seconds (a commit-time scan never pays for
it), or after the first file diff for a push of many commits, once detect-secrets is imported
and configured and the needles compiled (`warm`), so it starts with everything in place. It is
handed file diffs while fewer than QUEUE (of QUEUE_BYTES in all) wait for it; this process
scans those that come when the queue is full. The results come out in the stream's order,
whoever scanned them, so the verdict is the same as with one process; rather than read more
than AHEAD file diffs ahead, this process waits for the helper. Handing over never waits on a
full pipe without taking the helper's answers, so neither process can wait on the other for
ever. A helper that fails or dies costs nothing but speed: what it was handed and did not answer
is scanned here, and no other helper is started.
"""
from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

START = 0.15  # seconds of scanning before a helper pays for its fork
QUEUE = 32  # file diffs handed to the helper and not answered yet, at most
QUEUE_BYTES = 4 << 20  # and their size (pickled), at most: memory stays bounded
AHEAD = 256  # file diffs read while the helper's oldest is not answered yet, at most
_HEADER = 8
PIPE_SIZE = 1 << 20  # Linux's default limit for an unprivileged process
Item = TypeVar('Item')
Result = TypeVar('Result')
Work = Callable[[Any, str], Any]


def scanned(stream: Iterable[Item], work: Callable[[Item, str], Result], slot: str,
            big: bool = False, warm: Callable[[], object] = lambda: None
            ) -> Iterator[tuple[Item, Result]]:
    """Each item of `stream` with `work(item, slot)`, in order; the helper gets its own slot.
    `big`: the scan is known to be big (many commits): the helper is forked at once, after the
    first item. `warm()` makes what `work` makes on first use, before the fork."""
    pending: deque[list[Any]] = deque()  # [item, result, done], in the stream's order
    helper: _Helper | None = None
    began = time.perf_counter() - (START if big else 0)
    may_fork = _cores() > 1
    try:
        for count, item in enumerate(stream):
            if helper is None and may_fork and count and time.perf_counter() - began >= START:
                may_fork = False
                warm()
                helper = _Helper.forked(work, slot + '-helper')
            entry: list[Any] = [item, None, False]
            pending.append(entry)
            if helper is not None:
                helper = helper.collect(work, slot)
            if helper is not None and helper.has_room():
                helper = helper.hand(entry, work, slot)
            else:
                entry[1:] = [work(item, slot), True]
            yield from _ready(pending)
            while helper is not None and helper.queue and len(pending) > AHEAD:  # memory
                helper = helper.collect(work, slot, wait=True)
                yield from _ready(pending)
        while helper is not None and helper.queue:
            helper = helper.collect(work, slot, wait=True)
        yield from _ready(pending)
    finally:
        if helper is not None:
            helper.close()


def _ready(pending: deque[list[Any]]) -> Iterator[tuple[Any, Any]]:
    while pending and pending[0][2]:
        item, result, _ = pending.popleft()
        yield item, result


def _cores() -> int:
    """The cores this process may use; 1 where it must not fork: no fork (Windows), or other
    threads running (a forge's requests), whose locks a forked process could find held."""
    import sys
    threading = sys.modules.get('threading')
    if not hasattr(os, 'fork') or (threading is not None and threading.active_count() > 1):
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Helper:
    def __init__(self, pid: int, to_helper: int, from_helper: int) -> None:
        self.pid, self.to_helper, self.from_helper = pid, to_helper, from_helper
        self.queue: deque[list[Any]] = deque()  # the entries it was handed, in order
        self.sizes: deque[int] = deque()  # and their sizes
        self.queued = 0  # the sum of those

    @classmethod
    def forked(cls, work: Work, slot: str) -> _Helper | None:
        try:
            down, up = os.pipe(), os.pipe()
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:  # the helper: never returns
            _serve(down, up, work, slot)
        os.close(down[0])
        os.close(up[1])
        _widen(down[1])
        os.set_blocking(down[1], False)
        return cls(pid, down[1], up[0])

    def has_room(self) -> bool:
        return len(self.queue) < QUEUE and self.queued < QUEUE_BYTES

    def hand(self, entry: list[Any], work: Work, slot: str) -> _Helper | None:
        """Queue `entry`'s item for it, taking its answers while the pipe is full."""
        import pickle
        import select
        data = pickle.dumps(entry[0], pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(_HEADER, 'little') + data)
        self.queue.append(entry)
        self.sizes.append(len(view))
        self.queued += len(view)
        try:
            while view:
                readable, writable, _ = select.select([self.from_helper], [self.to_helper], [])
                if readable:
                    self._take()
                if writable:
                    try:
                        view = view[os.write(self.to_helper, view):]
                    except BlockingIOError:
                        continue
        except (OSError, EOFError, ValueError):
            self._failed(work, slot)
            return None
        return self

    def collect(self, work: Work, slot: str, wait: bool = False) -> _Helper | None:
        """Take the answers it has ready (`wait`: wait for the next one); None once it failed."""
        try:
            while self.queue and (wait or _readable(self.from_helper)):
                self._take()
                wait = False
        except (OSError, EOFError, ValueError):
            self._failed(work, slot)
            return None
        return self

    def _take(self) -> None:
        ok, result = _receive(self.from_helper)
        if not ok:
            raise ValueError('the helper could not scan it')
        entry = self.queue.popleft()
        self.queued -= self.sizes.popleft()
        entry[1:] = [result, True]

    def _failed(self, work: Work, slot: str) -> None:
        """Scan here what it was handed and did not answer (its error, if any, is raised here)."""
        queue, self.queue = self.queue, deque()
        self.close()
        self.queue = queue
        while self.queue:
            entry = self.queue.popleft()
            entry[1:] = [work(entry[0], slot), True]

    def close(self) -> None:
        for fd in (self.to_helper, self.from_helper):
            try:
                os.close(fd)
            except OSError:
                pass
        self.to_helper = self.from_helper = -1
        if self.pid and self.queue:  # stopped early: what it was handed is not wanted
            import signal
            os.kill(self.pid, signal.SIGKILL)
        if self.pid:
            try:
                os.waitpid(self.pid, 0)  # it ends at the end of its input
            except ChildProcessError:
                pass
            self.pid = 0


def _serve(down: tuple[int, int], up: tuple[int, int], work: Callable[[Any, str], Any],
           slot: str) -> None:
    """The helper's life: scan each item it is handed, answer (ok, result), end at EOF."""
    code = 0
    try:
        os.close(down[1])
        os.close(up[0])
        while True:
            try:
                item = _receive(down[0])
            except EOFError:
                break
            try:
                answer = (True, work(item, slot))
            except BaseException:  # noqa: BLE001 - the parent scans it and says why
                answer = (False, None)
            _send(up[1], answer)
    except BaseException:  # noqa: BLE001 - never back into the parent's code
        code = 1
    finally:
        os._exit(code)


def _widen(fd: int) -> None:
    """A pipe that holds most file diffs whole (Linux): handing one over does not wait for the
    helper to be scheduled and read it."""
    try:
        import fcntl
        fcntl.fcntl(fd, getattr(fcntl, 'F_SETPIPE_SZ', 1031), PIPE_SIZE)
    except (ImportError, OSError):
        pass


def _send(fd: int, value: object) -> None:
    import pickle
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(_HEADER, 'little') + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> Any:
    import pickle
    size = int.from_bytes(_read(fd, _HEADER), 'little')
    return pickle.loads(_read(fd, size))


def _read(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b''.join(chunks)


def _readable(fd: int) -> bool:
    import select
    return bool(select.select([fd], [], [], 0)[0])
