from __future__ import annotations

import io
import json
import pathlib

import jsonschema
import pytest

from pushguard.model import Finding, Severity
from pushguard.report import Report, gitlab, sarif
from testing import gitrepo
from testing.run import run_pushguard

# the OASIS schema travels with the tests (data/README.md says where it comes from)
SCHEMA = pathlib.Path(__file__).resolve().parent / 'data' / 'sarif-schema-2.1.0.json'
SHA = 'a' * 40
MESSAGE = Finding('jira-ticket', Severity.ERROR, 'no Jira issue key (PROJ) in the subject line',
                  'git commit --amend', ref='refs/heads/feat/x', commit=SHA)
SPACED = Finding('file-size', Severity.ERROR, 'big data.bin is 120 MB', 'git rm --cached "x"',
                 ref='refs/heads/main', commit=SHA, path='my dir/big data.bin')
ODD = Finding('forbidden-path', Severity.WARNING, 'forbidden path', None, path='keys/\udcffid_rsa')
AT_LINE = Finding('secrets', Severity.ERROR, 'AWS key,\nsecond line', 'remove it', commit=SHA,
                  path='c:/conf,v1.py', line=7)


def _log(*findings, notes=()):
    stream = io.StringIO()
    sarif.render(Report(tuple(findings), notes), stream)
    return json.loads(stream.getvalue())


def _validate(log):
    """Validate against the OASIS SARIF 2.1.0 schema."""
    schema = json.loads(SCHEMA.read_text(encoding='utf-8'))
    jsonschema.Draft4Validator(schema).validate(log)


@pytest.mark.parametrize('findings', [
    pytest.param((), id='nothing-found'),
    pytest.param((MESSAGE,), id='message-finding'),
    pytest.param((MESSAGE, SPACED, ODD, AT_LINE), id='every-kind-of-place'),
])
def test_validates_against_the_sarif_schema(findings):
    log = _log(*findings, notes=('shallow clone: history cut at abc',))
    _validate(log)
    assert log['version'] == '2.1.0'
    assert len(log['runs'][0]['results']) == len(findings)


def test_rules_are_the_check_ids_that_appear_once_each_with_a_description():
    driver = _log(SPACED, AT_LINE, SPACED)['runs'][0]['tool']['driver']
    assert driver['name'] == 'pushguard'
    assert [rule['id'] for rule in driver['rules']] == ['file-size', 'secrets']
    assert all(rule['shortDescription']['text'] for rule in driver['rules'])


def test_the_sarif_rule_table_covers_every_check_id():
    from pushguard.checks import CHECK_IDS
    assert set(sarif.RULES) == set(CHECK_IDS)


@pytest.mark.parametrize(('finding', 'expected'), [
    pytest.param(SPACED, {'ruleId': 'file-size', 'ruleIndex': 0, 'level': 'error',
                          'message': {'text': 'big data.bin is 120 MB\nfix: git rm --cached "x"'},
                          'locations': [{'physicalLocation': {
                              'artifactLocation': {'uri': 'my%20dir/big%20data.bin'}}}],
                          'properties': {'ref': 'refs/heads/main', 'commit': SHA}},
                 id='path-with-spaces-no-line'),
    pytest.param(AT_LINE, {'ruleId': 'secrets', 'ruleIndex': 0, 'level': 'error',
                           'message': {'text': 'AWS key,\nsecond line\nfix: remove it'},
                           'locations': [{'physicalLocation': {
                               'artifactLocation': {'uri': 'c%3A/conf%2Cv1.py'},
                               'region': {'startLine': 7}}}],
                           'properties': {'commit': SHA}},
                 id='colon-cannot-read-as-a-scheme'),
    pytest.param(ODD, {'ruleId': 'forbidden-path', 'ruleIndex': 0, 'level': 'warning',
                       'message': {'text': 'forbidden path'},
                       'locations': [{'physicalLocation': {
                           'artifactLocation': {'uri': 'keys/%FFid_rsa'}}}],
                       'properties': {'path': 'keys/\ufffdid_rsa'}},
                 id='undecodable-byte-kept-in-uri-printable-in-properties'),
    pytest.param(MESSAGE, {'ruleId': 'jira-ticket', 'ruleIndex': 0, 'level': 'error',
                           'message': {'text': 'no Jira issue key (PROJ) in the subject line\n'
                                               'fix: git commit --amend'},
                           'properties': {'ref': 'refs/heads/feat/x', 'commit': SHA}},
                 id='message-finding-has-no-location'),
])
def test_result(finding, expected):
    [result] = _log(finding)['runs'][0]['results']
    assert result.pop('partialFingerprints') == {sarif.FINGERPRINT: gitlab.fingerprint(finding)}
    assert result == expected


def test_notes_are_tool_notifications():
    [invocation] = _log(notes=('shallow clone',))['runs'][0]['invocations']
    assert invocation['toolExecutionNotifications'] == [
        {'level': 'note', 'message': {'text': 'shallow clone'}},
    ]


def test_commit_msg_hook_end_to_end(repo):
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'sarif')
    assert result.code == 1, result.err
    log = json.loads(result.out)
    _validate(log)
    [result_] = log['runs'][0]['results']
    assert result_['ruleId'] == 'jira-ticket'
    assert result_['level'] == 'error'
    assert 'PROJ' in result_['message']['text'] and '\nfix: ' in result_['message']['text']
    assert result_['properties'] == {'ref': 'refs/heads/main'}
    assert [r['id'] for r in log['runs'][0]['tool']['driver']['rules']] == ['jira-ticket']


def test_commit_msg_hook_passing_message_is_an_empty_run(repo):
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('PROJ-12 add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'sarif')
    assert result.code == 0, result.err
    log = json.loads(result.out)
    _validate(log)
    assert log['runs'][0]['results'] == []


@pytest.mark.parametrize(('name', 'uri'), [
    pytest.param('my dir/key file.pem', 'my%20dir/key%20file.pem', id='spaces'),
    pytest.param(b'keys/\xff.pem', 'keys/%FF.pem', id='not-utf-8'),
])
def test_check_end_to_end_places_a_file_finding(repo, name, uri):
    (repo / '.pushguard.toml').write_text('[files]\nforbidden = ["*.pem"]\n')
    sha = gitrepo.commit(repo, 'chore: add a key', {name: 'x\n'})
    result = run_pushguard('check', 'HEAD', '--format', 'sarif', '--only', 'forbidden-path')
    assert result.code == 1, result.err
    log = json.loads(result.out)
    _validate(log)
    [result_] = log['runs'][0]['results']
    assert result_['ruleId'] == 'forbidden-path'
    [location] = result_['locations']
    assert location['physicalLocation']['artifactLocation']['uri'] == uri
    assert result_['properties']['commit'] == sha
    assert result_['properties']['ref'] == 'refs/heads/main'


def test_each_result_has_a_fingerprint_that_does_not_churn_between_runs():
    first = _log(MESSAGE, SPACED, AT_LINE)['runs'][0]['results']
    again = _log(AT_LINE._replace(fix='another fix'), MESSAGE, SPACED)['runs'][0]['results']
    prints = [r['partialFingerprints'][sarif.FINGERPRINT] for r in first]
    assert len(set(prints)) == 3
    assert sorted(prints) == sorted(r['partialFingerprints'][sarif.FINGERPRINT] for r in again)
    moved = _log(AT_LINE._replace(line=AT_LINE.line + 1))['runs'][0]['results'][0]
    assert moved['partialFingerprints'][sarif.FINGERPRINT] not in prints
