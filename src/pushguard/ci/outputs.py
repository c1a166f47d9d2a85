"""Where `pushguard ci` writes its reports: `--format` for standard output, and `--output FILE`
(repeatable) for files, each in the `--format` given just before it (else the one its name
says: .sarif, .xml, .json); the first `--format` no `--output` took is standard output's, else
text. With the github format, a Markdown summary is appended to GITHUB_STEP_SUMMARY when set.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

from pushguard.errors import PushguardError
from pushguard.model import Finding, Severity
from pushguard.report import FORMATS, Report, display, render

_BY_EXTENSION = {'.sarif': 'sarif', '.xml': 'junit', '.json': 'json', '.txt': 'text'}


class Ordered(argparse.Action):
    """Keeps --format and --output in the order given (in `namespace.reports`)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[object] | None, option: str | None = None) -> None:
        reports = list(getattr(namespace, 'reports', None) or [])
        reports.append((self.dest, str(values)))
        namespace.reports = reports
        if self.dest == 'format':
            namespace.format = str(values)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--format', action=Ordered, choices=tuple(FORMATS), default='text',
                        help='report format: for standard output, or for the --output after it')
    parser.add_argument('--output', action=Ordered, metavar='FILE',
                        help='also write a report to FILE (repeatable), in the --format before it')


def targets(reports: Sequence[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """(standard output's format, [(format, file), ...])."""
    pending: list[str] = []
    files: list[tuple[str, str]] = []
    previous = ''
    for kind, value in reports:
        after_format, previous = previous == 'format', kind
        if kind == 'format':
            pending.append(value)
            continue
        fmt = pending.pop() if after_format else _BY_EXTENSION.get(os.path.splitext(value)[1])
        if fmt is None:
            raise PushguardError(f'--output {value}: say its format first, e.g. '
                                 f'--format sarif --output {value}')
        files.append((fmt, value))
    return (pending[0] if pending else 'text'), files


def write(report: Report, reports: Sequence[tuple[str, str]], env: Mapping[str, str]) -> None:
    stdout_format, files = targets(reports)
    for fmt, path in files:
        try:
            with open(path, 'w', encoding='utf-8') as f:
                render(fmt, report, f)
        except OSError as e:
            raise PushguardError(f'--output {path}: cannot write: {e.strerror}') from None
    render(stdout_format, report, sys.stdout)
    summary = env.get('GITHUB_STEP_SUMMARY')
    if summary and 'github' in {stdout_format, *(fmt for fmt, _ in files)}:
        try:
            with open(summary, 'a', encoding='utf-8') as f:
                f.write(markdown(report))
        except OSError as e:
            print(f'pushguard: warning: GITHUB_STEP_SUMMARY: {summary}: cannot write: '
                  f'{e.strerror}', file=sys.stderr)


def _cell(text: str | None) -> str:
    shown = display(text or '').replace('\\', '\\\\').replace('|', '\\|')
    return ' '.join(shown.replace('<', '&lt;').split()) or ' '


def _where(finding: Finding) -> str:
    parts = [(finding.ref or '').removeprefix('refs/heads/'), (finding.commit or '')[:12]]
    if finding.path is not None:
        parts.append(f'{finding.path}:{finding.line}' if finding.line else finding.path)
    return ' '.join(f'`{_cell(p)}`' for p in parts if p)


def markdown(report: Report) -> str:
    """The step summary: the verdict, then a table of the findings."""
    errors = sum(f.severity is Severity.ERROR for f in report.findings)
    warnings = len(report.findings) - errors
    verdict = 'blocked' if errors else 'passes'
    lines = [f'### pushguard: {verdict}', '',
             f'{_cell(report.checked)}: {errors} error(s), {warnings} warning(s)', '']
    lines += [f'> {_cell(note)}' for note in report.notes]
    if report.findings:
        lines += ['', '| | check | where | message | fix |', '|---|---|---|---|---|']
        for f in report.findings:
            icon = ':x:' if f.severity is Severity.ERROR else ':warning:'
            fix = f'`{_cell(f.fix)}`' if f.fix else ''
            lines.append(f'| {icon} | {f.check} | {_where(f)} | {_cell(f.message)} | {fix} |')
    return '\n'.join(lines) + '\n\n'
