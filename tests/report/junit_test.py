from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest

from pushguard.model import Finding, Severity
from pushguard.report import Report, junit
from testing.run import run_pushguard

SHA = 'a' * 40
ERROR = Finding('file-size', Severity.ERROR, 'big data.bin is 120 MB', 'git rm --cached "x"',
                ref='refs/heads/main', commit=SHA, path='my dir/big data.bin', line=None)
WARNING = Finding('forbidden-path', Severity.WARNING, 'forbidden path', None,
                  path='keys/\udcffid_rsa')
CONTROL = Finding('jira-ticket', Severity.ERROR, 'bad \x1b[31m byte\x00 <&>', 'amend "it"')


def _suite(report):
    stream = io.StringIO()
    junit.render(report, stream)
    out = stream.getvalue()
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ElementTree.fromstring(out.encode())  # a parse error fails the test
    assert root.tag == 'testsuites'
    [suite] = root
    assert suite.get('name') == 'pushguard'
    return suite


def test_error_is_a_failing_testcase_with_fix_and_place():
    suite = _suite(Report((ERROR,)))
    assert (suite.get('tests'), suite.get('failures')) == ('1', '1')
    [case] = suite.findall('testcase')
    assert case.get('classname') == 'pushguard.file-size'
    assert case.get('name') == 'file-size main aaaaaaaaaaaa my dir/big data.bin'
    failure = case.find('failure')
    assert failure.get('message') == 'big data.bin is 120 MB'
    assert failure.get('type') == 'file-size'
    assert failure.text.splitlines() == [
        'error [file-size] big data.bin is 120 MB',
        'fix: git rm --cached "x"',
        'ref: refs/heads/main',
        f'commit: {SHA}',
        'path: my dir/big data.bin',
    ]


def test_warning_passes_with_its_text_in_system_out():
    suite = _suite(Report((ERROR, WARNING)))
    assert (suite.get('tests'), suite.get('failures')) == ('2', '1')
    case = suite.findall('testcase')[1]
    assert case.find('failure') is None
    assert case.get('name') == 'forbidden-path keys/\ufffdid_rsa'
    assert case.find('system-out').text.splitlines()[0] == 'warning [forbidden-path] forbidden path'


def test_nothing_found_is_one_passing_testcase():
    suite = _suite(Report((), checked='3 commits'))
    assert (suite.get('tests'), suite.get('failures')) == ('1', '0')
    [case] = suite.findall('testcase')
    assert case.get('name') == 'pushguard: 3 commits passes'
    assert list(case) == []


@pytest.mark.parametrize(('text', 'expected'), [
    pytest.param('plain', 'plain', id='plain'),
    pytest.param('esc \x1b nul \x00', 'esc \ufffd nul \ufffd', id='control-characters'),
    pytest.param('odd \udcff', 'odd \ufffd', id='undecodable-byte'),
    pytest.param('tab\tnewline\n', 'tab\tnewline\n', id='whitespace-kept'),
])
def test_xml_text(text, expected):
    assert junit.xml_text(text) == expected


def test_characters_xml_cannot_hold_still_parse():
    suite = _suite(Report((CONTROL,), notes=('a note',)))
    failure = suite.find('testcase/failure')
    assert failure.get('message') == 'bad \ufffd[31m byte\ufffd <&>'
    assert suite.find('system-out').text == 'note: a note'


def test_commit_msg_hook_end_to_end(repo):
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'junit')
    assert result.code == 1, result.err
    [case] = ElementTree.fromstring(result.out.encode()).findall('testsuite/testcase')
    assert case.get('classname') == 'pushguard.jira-ticket'
    assert case.find('failure') is not None


def test_a_newline_in_a_path_or_ref_stays_on_its_line():
    forged = Finding('forbidden-path', Severity.ERROR, 'forbidden', 'git rm -- x',
                     ref='refs/heads/a\nerror [x] fake', path='p\nerror [secrets] fake\x1b[0m')
    [case] = _suite(Report((forged,))).findall('testcase')
    lines = case.find('failure').text.splitlines()
    assert [line for line in lines if line.startswith('error [')] == [
        'error [forbidden-path] forbidden']
    assert 'path: p\\nerror [secrets] fake\\x1b[0m' in lines
    assert '\n' not in case.get('name')
