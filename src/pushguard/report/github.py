"""`--format github`: GitHub Actions workflow commands, shown as annotations on the run and PR.

`::error file=PATH,line=N,title=pushguard CHECK::message` per finding (`::warning` for warnings,
`::notice` for notes). GitHub reads the message up to the end of the line and the properties up
to `,` and `::`, so `%`, CR and LF are escaped in both, and `:` and `,` too in properties: a
commit message can then neither end the command early nor start a new one. Before that, every
control character that came from the repository is written as its escape (`report.safe`): GitHub
shows a %0A as a line break, and a message must not draw lines of its own in the annotation.
"""
from __future__ import annotations

from typing import TextIO

from pushguard.model import Finding
from pushguard.text import safe
from pushguard.report import Report
from pushguard.report._shared import described, verdict_line


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
    """The annotation's text: message, where, fix; control characters escaped (`safe`), so
    only the line breaks put here between message and fix reach GitHub, as %0A."""
    return described(finding, '\nfix: ')


def _annotation(finding: Finding) -> str:
    path = safe(finding.path) if finding.path is not None else None
    return command(
        finding.severity.value, _message(finding),
        file=path, line=finding.line if path is not None else None,
        title=f'pushguard {finding.check}',
    )


def render(report: Report, stream: TextIO) -> None:
    for note in report.notes:
        stream.write(command('notice', safe(note), title='pushguard'))
    for finding in report.findings:
        stream.write(_annotation(finding))
    # a plain log line, not a command: the run log says the verdict too
    stream.write(verdict_line(report) + '\n')
