"""`--format junit`: JUnit XML, for CI test-report views (GitLab, Jenkins, Azure, ...).

One testsuite "pushguard". Only findings are known, not every check that passed, so each finding
is a testcase (classname `pushguard.CHECK`): an error is a <failure>, a warning passes with its
text in <system-out>. With no findings, one passing testcase says what was checked, so the report
never looks empty.
"""
from __future__ import annotations

import re
from typing import TextIO
from xml.etree import ElementTree

from pushguard.model import Finding, Severity
from pushguard.text import display, safe, safe_lines
from pushguard.report import Report
from pushguard.report._shared import hanging, tally, where

# characters XML 1.0 cannot hold at all, not even escaped
_NOT_XML = re.compile('[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def xml_text(text: str) -> str:
    return _NOT_XML.sub('\ufffd', display(text))


def _details(finding: Finding) -> str:
    lines = [f'{finding.severity.value} [{finding.check}] {safe(finding.message)}']
    if finding.fix is not None:
        lines.append('fix: ' + hanging(safe_lines(finding.fix), len('fix: ')))
    for label, value in (('ref', finding.ref), ('commit', finding.commit), ('path', finding.path)):
        if value is not None:
            lines.append(f'{label}: {safe(value)}')
    if finding.line:
        lines.append(f'line: {finding.line}')
    return xml_text('\n'.join(lines))


def _testcase(suite: ElementTree.Element, finding: Finding) -> None:
    name = ' '.join((finding.check, *where(finding)))
    case = ElementTree.SubElement(suite, 'testcase', classname=f'pushguard.{finding.check}',
                                  name=xml_text(name), time='0')
    if finding.severity is Severity.ERROR:
        failure = ElementTree.SubElement(case, 'failure', type=finding.check,
                                         message=xml_text(finding.message))
        failure.text = _details(finding)
    else:
        ElementTree.SubElement(case, 'system-out').text = _details(finding)


def junit(report: Report) -> ElementTree.Element:
    errors, _ = tally(report.findings)
    tests = len(report.findings) or 1
    suite = ElementTree.Element('testsuite', name='pushguard', tests=str(tests),
                                failures=str(errors), errors='0', skipped='0', time='0')
    for finding in report.findings:
        _testcase(suite, finding)
    if not report.findings:
        what = report.checked or 'everything checked'
        ElementTree.SubElement(suite, 'testcase', classname='pushguard',
                               name=xml_text(f'pushguard: {what} passes'), time='0')
    if report.notes:
        out = ElementTree.SubElement(suite, 'system-out')
        out.text = xml_text('\n'.join(f'note: {note}' for note in report.notes))
    return suite


def render(report: Report, stream: TextIO) -> None:
    suite = junit(report)
    root = ElementTree.Element('testsuites', name='pushguard', tests=suite.get('tests', '0'),
                               failures=suite.get('failures', '0'), errors='0', time='0')
    root.append(suite)
    ElementTree.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(root, encoding='unicode'))
    stream.write('\n')
