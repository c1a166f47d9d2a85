"""A baseline may name code (custom detect-secrets plugins and filters): run at commit time, as
detect-secrets does, never where commits from others are checked."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from testing import gitrepo
from testing.run import run_pushguard

PLUGIN = '''\
import pathlib
import re
from detect_secrets.plugins.base import RegexBasedDetector
pathlib.Path(__file__).with_name('plugin-ran').write_text('yes')


class FooDetector(RegexBasedDetector):
    secret_type = 'Foo Token'
    denylist = [re.compile('FOO[0-9]{8}')]
'''
FILTER = '''\
import pathlib
pathlib.Path(__file__).with_name('filter-ran').write_text('yes')


def allow_all(secret):
    return True
'''


def _baseline(repo, **extra):
    out = subprocess.run((sys.executable, '-m', 'detect_secrets', 'scan', '--plugin',
                          'tools/foo_plugin.py', 'nothing-to-scan'),
                         cwd=repo, capture_output=True, check=True).stdout
    baseline = json.loads(out)
    for plugin in baseline['plugins_used']:
        if 'path' in plugin:
            plugin['path'] = 'file://tools/foo_plugin.py'  # relative: travels with the repo
    baseline.update(extra)
    return json.dumps(baseline, indent=2)


@pytest.fixture
def with_plugin(repo):
    gitrepo.write(repo, 'tools/foo_plugin.py', PLUGIN)
    base = gitrepo.commit(repo, 'chore: plugin', {'.secrets.baseline': _baseline(repo)})
    (repo / 'tools' / 'plugin-ran').unlink()
    return base


def test_check_never_runs_a_custom_plugin_the_commits_name_and_says_so(repo, with_plugin):
    gitrepo.commit(repo, 'feat: token', {'app.py': 'x = "FOO12345678"\n'})
    result = run_pushguard('check', f'{with_plugin}..HEAD', '--only', 'secrets')
    assert not (repo / 'tools' / 'plugin-ran').exists()
    assert result.code == 0, result.err
    assert 'warning [secrets] .secrets.baseline names code to run (custom plugin ' \
           'file://tools/foo_plugin.py)' in result.out


def test_check_never_runs_a_custom_filter_the_commits_name(repo):
    aws = 'AKIAIOSFODNN7EXAMPLE'
    gitrepo.write(repo, 'tools/allow.py', FILTER)
    gitrepo.write(repo, 'tools/foo_plugin.py', PLUGIN)
    filters = json.loads(_baseline(repo))['filters_used']
    filters.append({'path': 'file://tools/allow.py::allow_all'})
    base = gitrepo.commit(repo, 'chore: filter', {
        '.secrets.baseline': _baseline(repo, filters_used=filters)})
    (repo / 'tools' / 'filter-ran').unlink(missing_ok=True)
    gitrepo.commit(repo, 'feat: key', {'app.py': f'x = "{aws}"\n'})
    result = run_pushguard('check', f'{base}..HEAD', '--only', 'secrets', '--format', 'json')
    assert not (repo / 'tools' / 'filter-ran').exists()
    found = json.loads(result.out)['findings']
    assert [(f['severity'], f['path']) for f in found] == [('warning', None), ('error', 'app.py')]
    assert 'filter file://tools/allow.py::allow_all' in found[0]['message']


def test_commit_time_runs_the_custom_plugin_as_detect_secrets_does(repo, with_plugin):
    gitrepo.write(repo, 'app.py', 'x = "FOO12345678"\n')
    gitrepo.git('add', 'app.py')
    result = run_pushguard('hook', 'pre-commit', '--only', 'secrets')
    assert result.code == 1, result.err
    assert 'Foo Token in a staged line (app.py:1)' in result.out


def test_a_custom_plugin_that_is_not_in_its_file_gives_the_reason(repo, with_plugin):
    gitrepo.write(repo, 'tools/foo_plugin.py', PLUGIN.replace('FooDetector', 'BarDetector'))
    gitrepo.write(repo, 'app.py', 'x = 1\n')
    gitrepo.git('add', '-A')
    result = run_pushguard('hook', 'pre-commit', '--only', 'secrets')
    assert result.code == 2
    assert "custom plugin 'FooDetector' is not defined in file://tools/foo_plugin.py" \
        in result.err
    assert result.err.count('\n') == 1
