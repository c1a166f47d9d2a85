"""`pushguard explain [FILE] [--format text|json]`: why a push failed, and the fix.

Reads git's output (stdin, or FILE: a saved log or a whole CI job log) and prints each cause
with the commands that fix it, most likely first. Exit 0 when a cause was recognised, 1 when
none was (the output then points at `pushguard doctor`), 2 when the input cannot be read.
"""
from __future__ import annotations

import argparse
import sys

from pushguard import git
from pushguard.errors import PushguardError
from pushguard.status import Status

MAX_LOG = 64 * 1024 * 1024  # a CI log larger than this is read from its end


def explain(args: argparse.Namespace) -> int:
    from pushguard.explain import explain as causes_of
    from pushguard.report.explain import render
    text = _read(args.file)
    causes = causes_of(text, _remote_name(text))
    render(causes, args.format, sys.stdout)
    return Status.BLOCKED if [c.cause for c in causes] == ['unknown'] else Status.OK


def _read(path: str | None) -> str:
    if path in (None, '-'):
        if sys.stdin is None or sys.stdin.isatty():
            raise PushguardError('explain reads the failed push\'s output: '
                                 '`git push 2>&1 | pushguard explain`, or pushguard explain FILE')
        data = sys.stdin.buffer.read()
    else:
        data = _read_file(path)
    return data[-MAX_LOG:].decode('utf-8', 'replace')


def _remote_name(text: str) -> str:
    """The name of the remote the output's `To URL` line names, in this repository; origin
    when there is no repository here or no remote has that URL."""
    from pushguard.explain.causes import TO_LINE
    url = next((m['url'] for m in map(TO_LINE.match, text.splitlines()) if m), None)
    if url is None:
        return 'origin'
    try:
        listing = git.run('remote', '-v', ok=(0, 128)).decode('utf-8', 'replace')
    except PushguardError:
        return 'origin'
    for line in listing.splitlines():
        name, _, rest = line.partition('\t')
        if rest.split(' ')[0] == url:
            return name
    return 'origin'


def _read_file(path: str) -> bytes:
    import os
    import stat
    try:
        with open(path, 'rb') as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise PushguardError(f'{path}: not a regular file')
            size = os.fstat(f.fileno()).st_size
            f.seek(max(0, size - MAX_LOG))
            return f.read(MAX_LOG)
    except OSError as e:
        raise PushguardError(f'{path}: cannot read: {e.strerror}') from None
