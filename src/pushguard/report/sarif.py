"""`--format sarif`: one SARIF 2.1.0 run, for GitHub code scanning and other SARIF viewers.

Rules are the check ids that appear in the findings. A result's location is the path (relative,
percent-encoded byte for byte, so odd paths survive) and its line when known; the ref and commit
go in the result's properties, and the fix is part of the message text.
"""
from __future__ import annotations

from typing import Any, TextIO
from urllib.parse import quote

from pushguard.model import Finding
from pushguard.text import display
from pushguard.report import Report
from pushguard.report._shared import dump_json, fingerprint

SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
# what each check id fails on (SPEC's table), the rule's shortDescription
RULES = {
    'jira-ticket': 'The message names no issue key (PROJ-123) of an allowed project.',
    'conventional-commit': 'The message breaks Conventional Commits 1.0.0, or its type/scope '
                           'is not allowed.',
    'message-pattern': 'The message does not match the required pattern, or matches the '
                       'forbidden one.',
    'commit-style': 'A gitlint rule fails (title length, trailing whitespace, body line length).',
    'branch-name': 'The branch pushed (or created) does not match the branch pattern.',
    'file-size': 'A blob added by a pushed commit is over the size limit.',
    'forbidden-path': 'A pushed commit adds a forbidden path, or one that is too long.',
    'secrets': 'A line that a commit adds holds a secret.',
    'signature': 'A pushed commit is unsigned, or its signature does not verify.',
    'author-email': 'The author or committer email does not match the pattern.',
    'dco': 'No Signed-off-by: trailer matching the author.',
    'protected-branch': 'Direct push to a protected branch.',
    'force-push': 'Non-fast-forward update of a branch that forbids force pushes.',
    'branch-deletion': 'Deleting a branch that forbids deletion.',
    'branch-creation': 'Creating a branch that a rule forbids creating.',
    'linear-history': 'A merge commit pushed to a branch that requires linear history.',
    'status-checks': 'Direct push to a branch whose required status checks cannot pass.',
    'protected-tag': 'Creating, moving or deleting a protected tag.',
    'remote': 'The forge could not be asked what it enforces.',
}


FINGERPRINT = 'pushguardFinding/v1'


def uri(path: str) -> str:
    """A relative URI reference for a repository path: every byte outside [A-Za-z0-9_.~/-]
    percent-encoded, so a ':' cannot read as a scheme and undecodable bytes are kept exactly."""
    return quote(path.encode('utf-8', 'surrogateescape'), safe='/')


def _text(finding: Finding) -> str:
    text = display(finding.message)
    return f'{text}\nfix: {display(finding.fix)}' if finding.fix else text


def _location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {'artifactLocation': {'uri': uri(finding.path or '')}}
    if finding.line:
        physical['region'] = {'startLine': finding.line}
    return {'physicalLocation': physical}


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        'ruleId': finding.check,
        'ruleIndex': rule_index,
        'level': finding.severity.value,
        'message': {'text': _text(finding)},
        # stable from one run to the next, so code scanning does not open and close alerts
        'partialFingerprints': {FINGERPRINT: fingerprint(finding)},
    }
    if finding.path is not None:
        result['locations'] = [_location(finding)]
    properties = {key: value for key, value in (('ref', finding.ref), ('commit', finding.commit))
                  if value is not None}
    if finding.path is not None and display(finding.path) != finding.path:
        properties['path'] = display(finding.path)
    if properties:
        result['properties'] = properties
    return result


def _rule(check_id: str) -> dict[str, Any]:
    return {'id': check_id, 'shortDescription': {'text': RULES.get(check_id, check_id)}}


def _invocation(report: Report) -> dict[str, Any]:
    invocation: dict[str, Any] = {'executionSuccessful': True}
    if report.notes:
        invocation['toolExecutionNotifications'] = [
            {'level': 'note', 'message': {'text': display(note)}} for note in report.notes
        ]
    return invocation


def sarif(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    rule_ids = list(dict.fromkeys(finding.check for finding in report.findings))
    index = {check_id: i for i, check_id in enumerate(rule_ids)}
    return {
        '$schema': SCHEMA,
        'version': '2.1.0',
        'runs': [{
            'tool': {'driver': {
                'name': 'pushguard',
                'rules': [_rule(check_id) for check_id in rule_ids],
            }},
            'invocations': [_invocation(report)],
            'results': [_result(f, index[f.check]) for f in report.findings],
        }],
    }


def render(report: Report, stream: TextIO) -> None:
    dump_json(sarif(report), stream)
