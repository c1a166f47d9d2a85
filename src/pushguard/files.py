"""Reading a small file the user names (a policy, a commit message): whole, at once, or not at all.

A path may name anything: a symbolic link to nothing, a FIFO that no one writes (reading it
would hang the commit), a device (`/dev/zero` never ends), a directory, a file of gigabytes.
Each is refused with one line that says what the path is, before anything is read.
"""
from __future__ import annotations

import os
import stat

from pushguard.errors import PushguardError

_KINDS = (
    (stat.S_ISDIR, 'a directory'), (stat.S_ISFIFO, 'a FIFO (named pipe)'),
    (stat.S_ISCHR, 'a character device'), (stat.S_ISBLK, 'a block device'),
    (stat.S_ISSOCK, 'a socket'),
)


def read(path: str, limit: int, what: str = '', error: type[PushguardError] = PushguardError
         ) -> bytes:
    """The bytes of the regular file at `path` (symbolic links followed), at most `limit` of
    them; else `error('PATH: cannot read WHAT: why')`."""
    def fail(why: str) -> PushguardError:
        return error(f'{path}: cannot read{f" {what}" if what else ""}: {why}')

    try:
        _check(os.stat(path), limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_BINARY', 0))
    except _Refused as e:
        raise fail(str(e)) from None
    except OSError as e:
        raise fail(_why(path, e)) from None
    try:
        _check(os.fstat(fd), limit)  # what was opened: the path may have changed since
        data = _read_all(fd, limit)
    except _Refused as e:
        raise fail(str(e)) from None
    except OSError as e:
        raise fail(e.strerror or str(e)) from None
    finally:
        os.close(fd)
    return data


class _Refused(Exception):
    pass


def _check(st: os.stat_result, limit: int) -> None:
    for is_kind, kind in _KINDS:
        if is_kind(st.st_mode):
            raise _Refused(f'it is {kind}, not a regular file')
    if not stat.S_ISREG(st.st_mode):
        raise _Refused('it is not a regular file')
    if st.st_size > limit:
        raise _Refused(f'it is {_size(st.st_size)}, more than the {_size(limit)} allowed')


def _read_all(fd: int, limit: int) -> bytes:
    chunks = []
    total = 0
    while chunk := os.read(fd, 1 << 16):
        total += len(chunk)
        if total > limit:  # it grew while being read
            raise _Refused(f'it is more than the {_size(limit)} allowed')
        chunks.append(chunk)
    return b''.join(chunks)


def _why(path: str, error: OSError) -> str:
    """Why `path` could not be opened; a symbolic link to nothing says where it points."""
    if isinstance(error, FileNotFoundError) and os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = '?'
        return f'it is a symbolic link to {target!r}, which does not exist'
    return error.strerror or str(error)


def _size(number: int) -> str:
    for unit, size in (('GiB', 2**30), ('MiB', 2**20), ('KiB', 2**10)):
        if number >= size:
            return f'{number / size:.1f} {unit}'
    return f'{number} bytes'
