"""`--format text`: a line per finding and its fix; colour only on a terminal, NO_COLOR honoured.

Everything that comes from the repository is printed through `safe`: a path, ref or message
cannot add a line of its own nor colour one. `check` ends with one verdict line even when
nothing was found; the hooks stay quiet then.
"""
from __future__ import annotations

import os

from pushguard._typing import TYPE_CHECKING
from pushguard.model import Severity
from pushguard.text import safe, safe_lines
from pushguard.report import Report
from pushguard.report._shared import hanging, verdict_line, where

if TYPE_CHECKING:
    from typing import TextIO

_COLOURS = {Severity.ERROR: '\033[1;31m', Severity.WARNING: '\033[1;33m'}
_DIM, _RESET = '\033[2m', '\033[0m'
_FIX_INDENT = ' ' * len('  fix: ')


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get('NO_COLOR'):
        return False
    return os.environ.get('FORCE_COLOR') is not None or stream.isatty()


def render(report: Report, stream: TextIO) -> None:
    colour = _use_colour(stream)

    def paint(text: str, code: str) -> str:
        return f'{code}{text}{_RESET}' if colour else text

    for note in report.notes:
        stream.write(f'pushguard: note: {safe(note)}\n')
    for finding in report.findings:
        label = paint(finding.severity.value, _COLOURS[finding.severity])
        parts = where(finding)
        place = f' ({", ".join(parts)})' if parts else ''
        stream.write(f'{label} [{finding.check}] {safe(finding.message)}{place}\n')
        if finding.fix:
            fix = hanging(safe_lines(finding.fix), len(_FIX_INDENT))
            stream.write(f'  {paint("fix:", _DIM)} {fix}\n')
    if report.findings or report.seconds is not None:
        stream.write(verdict_line(report) + '\n')
