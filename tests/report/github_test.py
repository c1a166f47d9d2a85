from __future__ import annotations

import io

import pytest

from pushguard.model import Finding, Severity
from pushguard.report import Report, github
from testing.run import run_pushguard

SHA = 'a' * 40


def _render(*findings, notes=(), checked=''):
    stream = io.StringIO()
    github.render(Report(tuple(findings), notes, checked), stream)
    return stream.getvalue().splitlines()


@pytest.mark.parametrize(('finding', 'line'), [
    pytest.param(
        Finding('secrets', Severity.ERROR, 'AWS key', 'remove it', commit=SHA,
                path='src/conf.py', line=7),
        f'::error file=src/conf.py,line=7,title=pushguard secrets::AWS key ({SHA})'
        '%0Afix: remove it',
        id='file-and-line'),
    pytest.param(
        Finding('file-size', Severity.WARNING, 'big, over 50 MiB', None, path='my dir/a b.bin'),
        '::warning file=my dir/a b.bin,title=pushguard file-size::big, over 50 MiB',
        id='warning-path-with-spaces-no-line'),
    pytest.param(
        Finding('forbidden-path', Severity.ERROR, 'forbidden', None, path='x:y,z/%\n.pem'),
        '::error file=x%3Ay%2Cz/%25\\n.pem,title=pushguard forbidden-path::forbidden',
        id='property-escapes-colon-comma-percent-and-the-newline'),
    pytest.param(
        Finding('forbidden-path', Severity.ERROR, 'forbidden', None, path='keys/\udcffid_rsa'),
        '::error file=keys/\ufffdid_rsa,title=pushguard forbidden-path::forbidden',
        id='undecodable-byte-printable'),
    pytest.param(
        Finding('jira-ticket', Severity.ERROR, '100% no key:\r\n::error::injected', 'amend, it',
                ref='refs/heads/main', commit=SHA),
        f'::error title=pushguard jira-ticket::100%25 no key:\\r\\n::error::injected '
        f'(refs/heads/main, {SHA})%0Afix: amend, it',
        id='message-newlines-escaped-and-percent-encoded'),
    pytest.param(
        Finding('secrets', Severity.ERROR, 'key \x1b[2K', 'git rm -- "a\x1b[31m"',
                ref='refs/heads/x\x07', path='a\x1b[31m\u202eb', line=2),
        '::error file=a\\x1b[31m\\u202eb,line=2,title=pushguard secrets::key \\x1b[2K '
        '(refs/heads/x\\x07)%0Afix: git rm -- "a\\x1b[31m"',
        id='escape-sequences-and-bidi-overrides-escaped'),
])
def test_annotation(finding, line):
    assert _render(finding)[0] == line


def test_every_finding_is_one_line_then_the_verdict():
    lines = _render(
        Finding('jira-ticket', Severity.ERROR, 'a\nb\nc', 'x\ny'),
        Finding('dco', Severity.WARNING, 'no sign-off', None),
        notes=('shallow clone, history cut',), checked='2 commits',
    )
    assert lines == [
        '::notice title=pushguard::shallow clone, history cut',
        '::error title=pushguard jira-ticket::a\\nb\\nc%0Afix: x%0Ay',
        '::warning title=pushguard dco::no sign-off',
        'pushguard: 1 error, 1 warning in 2 commits: blocked',
    ]


def test_nothing_found():
    assert _render(checked='the message') == [
        'pushguard: 0 errors, 0 warnings in the message: passes',
    ]


def test_commit_msg_hook_end_to_end(repo):
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'github')
    assert result.code == 1, result.err
    assert result.out.startswith('::error title=pushguard jira-ticket::no Jira issue key (PROJ)')
