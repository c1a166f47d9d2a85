"""`--format json`: {"findings": [...], "notes": [...]}, keys exactly as SPEC names them."""
from __future__ import annotations

import json
from typing import TextIO

from pushguard.text import display
from pushguard.report import Report


def render(report: Report, stream: TextIO) -> None:
    findings = []
    for finding in report.findings:
        item = finding.as_dict()
        if finding.path is not None:
            item['path'] = display(finding.path)
        findings.append(item)
    json.dump({'findings': findings, 'notes': list(report.notes)}, stream, ensure_ascii=False,
              indent=2)
    stream.write('\n')
