"""What the renderers share: repository text made safe to print, where a finding is, the tally
and the verdict line. One place, so that every format escapes and words these alike."""
from __future__ import annotations

import re
from collections.abc import Iterable

from pushguard._typing import TYPE_CHECKING
from pushguard.model import Finding, Severity
from pushguard.report import count, display

if TYPE_CHECKING:
    from typing import TextIO

    from pushguard.report import Report

# what could move the cursor, end a line, recolour or reorder the terminal: C0 and C1 controls,
# DEL, the line/paragraph separators, and the bidirectional overrides ("Trojan Source")
_UNSAFE = re.compile('[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]')
_NAMED = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}


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


def where(finding: Finding, *, short: bool = True, path: bool = True) -> list[str]:
    """Where a finding is, safe to print: ref, commit and `path:line`, in that order. `short`:
    a branch without `refs/heads/`, a commit as 12 digits (for people; CI formats keep both
    whole). `path=False` leaves the path out, for formats that place it themselves."""
    parts = []
    if finding.ref:
        parts.append(safe(finding.ref.removeprefix('refs/heads/') if short else finding.ref))
    if finding.commit:
        parts.append(finding.commit[:12] if short else finding.commit)
    if path and finding.path is not None:
        shown = safe(finding.path)
        parts.append(f'{shown}:{finding.line}' if finding.line else shown)
    return parts


def tally(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for finding in findings:
        if finding.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def verdict_line(report: Report) -> str:
    """`pushguard: 1 error, 0 warnings in 3 commits on main: blocked`, the last line of the
    text and github formats; with the checks that ran and how long they took when known."""
    errors, warnings = tally(report.findings)
    what = f' in {safe(report.checked)}' if report.checked else ''
    if report.seconds is not None:
        ran = ', '.join(report.ran) or 'no check'
        what += f' by {ran} in {report.seconds:.2f} s'
    verdict = 'blocked' if errors else 'passes with warnings' if warnings else 'passes'
    return f'pushguard: {count(errors, "error")}, {count(warnings, "warning")}{what}: {verdict}'


def silence(stream: TextIO) -> None:
    """After a broken pipe: point `stream`'s descriptor at /dev/null, so that the flush at exit
    neither fails again nor prints a traceback (the recipe of Python's `signal` docs)."""
    import os
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # not a file (a StringIO in tests): nothing will flush it
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
