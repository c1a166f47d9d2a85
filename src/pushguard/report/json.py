"""`--format json`: {"findings": [...], "notes": [...]}, keys exactly as SPEC names them."""
from __future__ import annotations

from typing import TextIO

from pushguard.text import display
from pushguard.report import Report
from pushguard.report._shared import dump_json


def render(report: Report, stream: TextIO) -> None:
    findings = []
    for finding in report.findings:
        item = finding.as_dict()
        if finding.path is not None:
            item['path'] = display(finding.path)
        findings.append(item)
    dump_json({'findings': findings, 'notes': list(report.notes)}, stream)
