from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pushguard import config
from pushguard.schema import parse_size
from testing.run import run_pushguard


def _write(repo, text):
    (repo / '.pushguard.toml').write_text(text)
    (repo / 'msg').write_text('PROJ-1 add login\n')


@pytest.mark.parametrize(('toml', 'expected'), (
    pytest.param('[commit.jira]\nprojects = ["proj"]\n', 'key commit.jira.projects:',
                 id='lowercase-project'),
    pytest.param('[commit.jira]\nwher = "x"\n', "key commit.jira: unknown key 'wher'",
                 id='unknown-key'),
    pytest.param('[comit]\n', "unknown key 'comit'", id='unknown-section'),
    pytest.param('[commit]\npattern = "("\n', 'key commit.pattern:', id='bad-regex'),
    pytest.param('[commit\n', 'invalid TOML', id='toml-syntax'),
    pytest.param('[checks]\nskip = ["nope"]\n', "key checks.skip: 'nope' is not a check id",
                 id='bad-check-id'),
    pytest.param('[files]\nmax-size = "10 furlongs"\n', 'key files.max-size:', id='bad-size'),
    pytest.param('[commit.jira]\nwhere = "body"\n', 'key commit.jira.where:', id='bad-choice'),
    pytest.param('[remote]\ntimeout = "soon"\n', 'key remote.timeout:', id='wrong-type'),
    pytest.param('[signing]\nrequired = "yes"\n', 'key signing.required:', id='not-bool'),
))
def test_bad_config_is_one_line_naming_file_and_key(repo, toml, expected):
    _write(repo, toml)
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 2
    assert expected in result.err
    assert '.pushguard.toml' in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert 'Traceback' not in result.err


def test_pyproject_table_is_read(repo):
    (repo / 'pyproject.toml').write_text('[tool.pushguard.commit.jira]\nprojects = ["OPS"]\n')
    (repo / 'msg').write_text('PROJ-1 add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 1
    assert 'OPS' in result.out


def test_pyproject_bad_key_names_the_table(repo):
    (repo / 'pyproject.toml').write_text('[tool.pushguard.commit]\nnope = 1\n')
    (repo / 'msg').write_text('x\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 2
    assert 'pyproject.toml [tool.pushguard]' in result.err


def test_no_config_uses_the_embedded_default(repo):
    (repo / 'msg').write_text('whatever message\n')
    assert run_pushguard('hook', 'commit-msg', 'msg').code == 0


def test_explicit_config_missing_file(repo):
    (repo / 'msg').write_text('x\n')
    result = run_pushguard('hook', 'commit-msg', 'msg', '--config', 'nope.toml')
    assert result.code == 2
    assert 'nope.toml: cannot read' in result.err


@pytest.mark.parametrize(('text', 'size'), (
    ('10MB', 10_000_000), ('100MiB', 100 * 2**20), ('1.5 GiB', int(1.5 * 2**30)), ('500', 500),
    (2048, 2048), ('7kb', 7000),
))
def test_sizes(text, size):
    assert parse_size(text) == size


def test_the_schema_reaches_no_module_that_loads_policies():
    """No import cycle config -> schema -> checks -> config: validating a policy, gitlint
    options included, imports nothing of pushguard.config."""
    script = ('import sys\nfrom pushguard import schema\n'
              "schema.validate({'commit': {'style': {'title-max-length': 50}},"
              " 'checks': {'skip': ['dco']}}, 'x')\n"
              "print(sorted(m for m in sys.modules if m.startswith('pushguard')))\n")
    proc = subprocess.run((sys.executable, '-c', script), capture_output=True, text=True,
                          check=True, env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})
    assert 'pushguard.config' not in proc.stdout
    assert 'pushguard.checks._style_options' in proc.stdout


def test_a_policy_is_the_same_from_the_file_and_from_the_cache(repo):
    (repo / '.pushguard.toml').write_text(
        '[commit.jira]\nprojects = ["OPS"]\n[commit.style]\ntitle-max-length = 50\n'
        '[files]\nmax-size = "2MB"\n[checks]\nwarn = ["dco"]\n[signing]\n[remote]\ntimeout = 2\n')
    first = config.load(root=str(repo))
    assert first == config.load(root=str(repo))  # the second comes from the cache
    assert (first.jira, first.max_size, first.warn, first.signing_required, first.remote.timeout,
            first.style) == (config.Jira(projects=('OPS',)), 2_000_000, frozenset({'dco'}), True,
                             2, {'title-max-length': 50})
    assert first.exempt == config.DEFAULT_EXEMPT and first.conventional is None
