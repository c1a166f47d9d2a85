"""`--format gitlab`: a GitLab Code Quality report, for `artifacts:reports:codequality`.

A JSON array of `{description, check_name, fingerprint, severity, location: {path, lines:
{begin}}}`; an error is `major`, a warning `minor`. GitLab needs a path and a line on every entry:
a finding about a commit rather than a file (a message check) is placed at `.` line 1, its commit
named in the description. The fingerprint is a SHA-256 of check, path, line and message, so the
same finding keeps its fingerprint from one pipeline to the next; for a finding without a path the
commit is hashed too, or every commit lacking a Jira key would count as one.
"""
from __future__ import annotations

from typing import Any, TextIO

from pushguard.model import Finding, Severity
from pushguard.text import display
from pushguard.report import Report
from pushguard.report._shared import described, dump_json, fingerprint

NO_PATH = '.'
SEVERITIES = {Severity.ERROR: 'major', Severity.WARNING: 'minor'}


def _description(finding: Finding) -> str:
    return described(finding, '. Fix: ')


def _issue(finding: Finding) -> dict[str, Any]:
    path = display(finding.path) if finding.path is not None else NO_PATH
    return {
        'description': _description(finding),
        'check_name': finding.check,
        'fingerprint': fingerprint(finding),
        'severity': SEVERITIES[finding.severity],
        'location': {'path': path, 'lines': {'begin': finding.line or 1}},
    }


def render(report: Report, stream: TextIO) -> None:
    dump_json([_issue(f) for f in report.findings], stream)
