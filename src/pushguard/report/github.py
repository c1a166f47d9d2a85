"""`--format github`: GitHub Actions workflow commands, shown as annotations on the run and PR.

`::error file=PATH,line=N,title=pushguard CHECK::message` per finding (`::warning` for warnings,
`::notice` for notes). GitHub reads the message up to the end of the line and the properties up
to `,` and `::`, so `%`, CR and LF are escaped in both, and `:` and `,` too in properties: a
commit message can then neither end the command early nor start a new one.
"""
from __future__ import annotations

from typing import TextIO

from pushguard.model import Finding, Severity
from pushguard.report import Report, display


def escape_data(text: str) -> str:
    return text.replace('%', '%25').replace('\r', '%0D').replace('\n', '%0A')


def escape_property(text: str) -> str:
    return escape_data(text).replace(':', '%3A').replace(',', '%2C')


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line; properties that are None are left out."""
    props = ','.join(f'{key}={escape_property(str(value))}'
                     for key, value in properties.items() if value is not None)
    return f'::{name}{" " + props if props else ""}::{escape_data(message)}\n'


def _message(finding: Finding) -> str:
    where = [part for part in (finding.ref, finding.commit) if part]
    text = display(finding.message)
    if where:
        text += f' ({", ".join(where)})'
    if finding.fix:
        text += f'\nfix: {display(finding.fix)}'
    return text


def _annotation(finding: Finding) -> str:
    path = display(finding.path) if finding.path is not None else None
    return command(
        finding.severity.value, _message(finding),
        file=path, line=finding.line if path is not None else None,
        title=f'pushguard {finding.check}',
    )


def render(report: Report, stream: TextIO) -> None:
    for note in report.notes:
        stream.write(command('notice', display(note), title='pushguard'))
    for finding in report.findings:
        stream.write(_annotation(finding))
    errors = sum(f.severity is Severity.ERROR for f in report.findings)
    warnings = len(report.findings) - errors
    what = f' in {report.checked}' if report.checked else ''
    verdict = 'blocked' if errors else 'passes'
    # a plain log line, not a command: the run log says the verdict too
    stream.write(f'pushguard: {errors} error(s), {warnings} warning(s){what}: {verdict}\n')
