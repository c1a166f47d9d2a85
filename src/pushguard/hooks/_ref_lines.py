"""The ref-update lines git writes on the standard input of pre-push and pre-receive hooks."""
from __future__ import annotations

import sys
from collections.abc import Callable

from pushguard.errors import PushguardError
from pushguard.model import RefUpdate


def read(hook: str, by_hand: str) -> bytes:
    """All of stdin; a terminal there means a person ran the hook: `by_hand` says what to do."""
    if sys.stdin is None:
        return b''
    if sys.stdin.isatty():
        raise PushguardError(f'{hook} reads the ref lines git writes on stdin; {by_hand}')
    return sys.stdin.buffer.read()


def parse(raw: bytes, parse_line: Callable[[str], RefUpdate]) -> list[RefUpdate]:
    """Each non-blank line through `parse_line` (which raises PushguardError quoting it)."""
    text = raw.decode('utf-8', 'surrogateescape')
    return [parse_line(line) for line in text.split('\n') if line.strip()]
