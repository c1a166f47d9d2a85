"""Repository text made fit to print (undecodable bytes, control characters, plurals), and a
commit message as the message checks read it.

Dependency-free and renderer-free, so that checks (whose messages quote paths) and the
renderers (which print them) word and escape alike without a check importing a renderer.
"""
from __future__ import annotations

import re

# what could move the cursor, end a line, recolour or reorder the terminal: C0 and C1 controls,
# DEL, the line/paragraph separators, and the bidirectional overrides ("Trojan Source")
_UNSAFE = re.compile('[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]')
_NAMED = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}


def display(text: str) -> str:
    """A path or message fit to print: undecodable bytes (kept as surrogates) become U+FFFD."""
    return text.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')


def count(n: int, word: str) -> str:
    """`1 error`, `2 errors`: for summary lines."""
    return f'{n} {word}' if n == 1 else f'{n} {word}s'


def message_text(message: str) -> str:
    """A commit message as both the commit-msg hook and a pushed commit present it to the
    message checks: LF line ends (a message written on Windows too), no trailing newlines."""
    return message.replace('\r\n', '\n').rstrip('\n')


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return _NAMED.get(match[0]) or (f'\\x{code:02x}' if code < 0x100 else f'\\u{code:04x}')


def safe(text: str) -> str:
    """Repository content (a path, ref, message) fit for one line of a terminal or a CI log:
    as `display`, and every control character written as its escape (`\\n`, `\\x1b`), so a
    path holding a newline cannot start a line of its own and an escape cannot recolour one."""
    return _UNSAFE.sub(_escape, display(text))


def safe_lines(text: str) -> list[str]:
    """A text meant to span lines (a fix of several commands): its lines, each `safe`."""
    return [safe(line) for line in text.split('\n')]
