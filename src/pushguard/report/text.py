"""`--format text`: a line per finding and its fix; colour only on a terminal, NO_COLOR honoured."""
from __future__ import annotations

import os

from pushguard._typing import TYPE_CHECKING
from pushguard.model import Finding, Severity
from pushguard.report import Report, count, display

if TYPE_CHECKING:
    from typing import TextIO

_COLOURS = {Severity.ERROR: '\033[1;31m', Severity.WARNING: '\033[1;33m'}
_DIM, _RESET = '\033[2m', '\033[0m'


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get('NO_COLOR'):
        return False
    return os.environ.get('FORCE_COLOR') is not None or stream.isatty()


def _where(finding: Finding) -> str:
    parts = []
    if finding.ref:
        parts.append(finding.ref.removeprefix('refs/heads/'))
    if finding.commit:
        parts.append(finding.commit[:12])
    if finding.path is not None:
        path = display(finding.path)
        parts.append(f'{path}:{finding.line}' if finding.line else path)
    return f' ({", ".join(parts)})' if parts else ''


def render(report: Report, stream: TextIO) -> None:
    colour = _use_colour(stream)

    def paint(text: str, code: str) -> str:
        return f'{code}{text}{_RESET}' if colour else text

    for note in report.notes:
        stream.write(f'pushguard: note: {note}\n')
    for finding in report.findings:
        label = paint(finding.severity.value, _COLOURS[finding.severity])
        stream.write(f'{label} [{finding.check}] {finding.message}{_where(finding)}\n')
        if finding.fix:
            fix_lines = finding.fix.splitlines()
            stream.write(f'  {paint("fix:", _DIM)} {fix_lines[0]}\n')
            for line in fix_lines[1:]:
                stream.write(f'       {line}\n')
    errors = sum(f.severity is Severity.ERROR for f in report.findings)
    warnings = len(report.findings) - errors
    if errors or warnings:
        what = f' in {report.checked}' if report.checked else ''
        verdict = 'blocked' if errors else 'passes with warnings'
        stream.write(f'pushguard: {count(errors, "error")}, {count(warnings, "warning")}'
                     f'{what}: {verdict}\n')
