from __future__ import annotations

import json

from testing.run import run_pushguard

KEYS = ['check', 'severity', 'message', 'fix', 'ref', 'commit', 'path', 'line']


def test_json_is_one_object_with_the_spec_keys(repo):
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'json')
    assert result.code == 1
    data = json.loads(result.out)
    [finding] = data['findings']
    assert list(finding) == KEYS
    assert finding['check'] == 'jira-ticket'
    assert finding['severity'] == 'error'
    assert finding['ref'] == 'refs/heads/main'
    assert finding['commit'] is None and finding['path'] is None and finding['line'] is None


def test_json_with_nothing_found(repo):
    (repo / 'msg').write_text('add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--format', 'json')
    assert (result.code, json.loads(result.out)['findings']) == (0, [])
