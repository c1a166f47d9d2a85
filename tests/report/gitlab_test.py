from __future__ import annotations

import io
import json

import pytest

from pushguard.model import Finding, Severity
from pushguard.report import Report, gitlab
from testing.run import run_pushguard

SHA, OTHER = 'a' * 40, 'b' * 40
SECRET = Finding('secrets', Severity.ERROR, 'AWS key', 'remove it', ref='refs/heads/main',
                 commit=SHA, path='my dir/conf.py', line=7)
BIG = Finding('file-size', Severity.WARNING, 'over 50 MiB', None, path='data/\udcffbig.bin')
NO_KEY = Finding('jira-ticket', Severity.ERROR, 'no Jira issue key', 'git commit --amend',
                 commit=SHA)


def _issues(*findings):
    stream = io.StringIO()
    gitlab.render(Report(tuple(findings)), stream)
    return json.loads(stream.getvalue())


@pytest.mark.parametrize(('finding', 'expected'), [
    pytest.param(SECRET, {
        'description': f'AWS key (refs/heads/main, {SHA}). Fix: remove it',
        'check_name': 'secrets', 'severity': 'major',
        'location': {'path': 'my dir/conf.py', 'lines': {'begin': 7}},
    }, id='error-is-major-at-its-line'),
    pytest.param(BIG, {
        'description': 'over 50 MiB', 'check_name': 'file-size', 'severity': 'minor',
        'location': {'path': 'data/\ufffdbig.bin', 'lines': {'begin': 1}},
    }, id='warning-is-minor-odd-path-printable-line-1'),
    pytest.param(NO_KEY, {
        'description': f'no Jira issue key ({SHA}). Fix: git commit --amend',
        'check_name': 'jira-ticket', 'severity': 'major',
        'location': {'path': '.', 'lines': {'begin': 1}},
    }, id='message-finding-at-the-root'),
])
def test_issue(finding, expected):
    [issue] = _issues(finding)
    fingerprint = issue.pop('fingerprint')
    assert issue == expected
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0


def test_nothing_found_is_an_empty_array():
    assert _issues() == []


def test_fingerprint_is_stable_and_tells_findings_apart():
    assert gitlab.fingerprint(SECRET) == gitlab.fingerprint(SECRET._replace())
    assert gitlab.fingerprint(SECRET) == gitlab.fingerprint(SECRET._replace(fix='x'))
    different = [
        SECRET._replace(line=8),
        SECRET._replace(path='other.py'),
        SECRET._replace(check='forbidden-path'),
        SECRET._replace(message='GitHub token'),
    ]
    prints = {gitlab.fingerprint(f) for f in [SECRET, *different]}
    assert len(prints) == 5


def test_message_findings_of_two_commits_do_not_collapse():
    [one, two] = _issues(NO_KEY, NO_KEY._replace(commit=OTHER))
    assert one['fingerprint'] != two['fingerprint']


def test_commit_msg_hook_end_to_end(repo):
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'gitlab')
    assert result.code == 1, result.err
    [issue] = json.loads(result.out)
    assert (issue['check_name'], issue['severity']) == ('jira-ticket', 'major')
