"""Every bad value is a one-line exit 2, never a crash (issue 7, 2.7): each gitlint option of
`[commit.style]` and each key of the schema tried with every wrong type, and values that make
no sense."""
from __future__ import annotations

import pytest

from pushguard.checks import _style_options
from testing.run import run_pushguard

# TOML literals of every kind
LITERALS = {
    'int': '72', 'zero': '0', 'negative': '-1', 'huge': '9223372036854775807', 'float': '7.5',
    'nan': 'nan', 'inf': 'inf', 'bool': 'true', 'str': '"72"', 'regex-str': '"("',
    'lookahead': '"(?=x)"', 'list-int': '[72]', 'list-str': '["WIP", "TODO"]',
    'word-paren': '["("]', 'nested-list': '[["a"]]', 'table': '{ a = 1 }',
    'date': '1979-05-27', 'datetime': '1979-05-27T07:32:00Z',
}
_GOOD = {
    'IntOption': {'int', 'zero'},
    'BoolOption': {'bool'},
    'ListOption': {'str', 'list-str', 'regex-str', 'lookahead', 'word-paren'},
    'StrOption': {'str', 'list-str', 'regex-str', 'lookahead', 'word-paren'},
    'RegexOption': {'str'},
}


def _options():
    config = _style_options.lint_config({'contrib': [
        'contrib-title-conventional-commits', 'contrib-body-requires-signed-off-by',
        'contrib-disallow-cleanup-commits',
    ]})
    for rule in config.rules:
        if rule.name in _style_options.UNSUPPORTED:
            continue
        contrib = f'contrib = ["{rule.name}"]\n' if rule.name.startswith('contrib') else ''
        for name, option in rule.options.items():
            kind = type(option).__name__
            for literal_id, literal in LITERALS.items():
                good = literal_id in _GOOD[kind]
                if rule.name == 'title-must-not-contain-word' and literal_id in (
                        'regex-str', 'word-paren', 'lookahead'):
                    good = False  # gitlint makes a regex of each word
                yield pytest.param(f'{contrib}{rule.name} = {{ {name} = {literal} }}\n', good,
                                   id=f'{rule.name}.{name}={literal_id}')


def _hook(repo, toml):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_text('feat: add login\n\nExplain why the change is made, in words.\n')
    return run_pushguard('hook', 'commit-msg', 'msg')


def _assert_config_error(result, key):
    assert result.code == 2, result
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert f'key {key}' in result.err
    assert 'Traceback' not in result.err and 'crashed' not in result.err


@pytest.mark.parametrize(("toml", "good"), list(_options()))
def test_every_gitlint_option_with_every_type(repo, toml, good):
    result = _hook(repo, f'[commit.style]\n{toml}')
    if good:
        assert result.code in (0, 1), result
    else:
        _assert_config_error(result, 'commit.style')


@pytest.mark.parametrize('toml', (
    'title-max-length = [72]', 'title-max-length = 7.5', 'title-max-length = "72"',
    'title-must-not-contain-word = ["("]', 'title-must-not-contain-word = [1]',
    'title-must-not-contain-word = ["(a+)+$"]', 'body-is-missing = "yes"',
    'title-match-regex = 1', 'ignore = 1', 'ignore = [1]', 'ignore = { a = 1 }',
    'contrib = 1', 'contrib = [["x"]]', 'title-max-length = { line-length = [1] }',
    'title-max-length = 1979-05-27', 'T1 = { nope = 1 }', 'title-max-length = nan',
))
def test_style_shorthands_with_wrong_values(repo, toml):
    _assert_config_error(_hook(repo, f'[commit.style]\n{toml}\n'), 'commit.style')


_KEYS = (
    'commit.exempt', 'commit.pattern', 'commit.forbidden-pattern', 'commit.dco',
    'commit.jira.projects', 'commit.jira.where', 'commit.jira.from-branch',
    'commit.conventional.types', 'commit.conventional.scopes',
    'commit.conventional.require-scope', 'branch.pattern', 'branch.exempt', 'files.max-size',
    'files.warn-size', 'files.forbidden', 'files.max-path-length', 'secrets.baseline',
    'signing.required', 'signing.verify', 'author.email', 'remote.enabled', 'remote.platform',
    'remote.api-url', 'remote.timeout', 'remote.cache-ttl', 'remote.offline', 'checks.warn',
    'checks.skip',
)


def _schema_cases():
    for key in _KEYS:
        table, name = key.rsplit('.', 1)
        for literal_id in ('nan', 'negative', 'table', 'date', 'nested-list', 'list-int'):
            yield pytest.param(f'[{table}]\n{name} = {LITERALS[literal_id]}\n', key,
                               id=f'{key}={literal_id}')


@pytest.mark.parametrize(("toml", "key"), list(_schema_cases()))
def test_every_key_with_wrong_types(repo, toml, key):
    _assert_config_error(_hook(repo, toml), key)


@pytest.mark.parametrize(('toml', 'key'), (
    pytest.param('[files]\nmax-size = "0.5B"\n', 'files.max-size', id='below-one-byte'),
    pytest.param('[files]\nmax-size = 0\n', 'files.max-size', id='zero-size'),
    pytest.param('[files]\nwarn-size = "0 MB"\n', 'files.warn-size', id='zero-warn-size'),
    pytest.param('[files]\nmax-size = "9999999999999999999999 GiB"\n', 'files.max-size',
                 id='size-beyond-any-disk'),
    pytest.param('[remote]\ntimeout = nan\n', 'remote.timeout', id='timeout-nan'),
    pytest.param('[remote]\ntimeout = inf\n', 'remote.timeout', id='timeout-inf'),
    pytest.param('[remote]\ntimeout = 0\n', 'remote.timeout', id='timeout-zero'),
    pytest.param('[remote]\ntimeout = 1e9\n', 'remote.timeout', id='timeout-years'),
    pytest.param('[remote]\ncache-ttl = -1\n', 'remote.cache-ttl', id='negative-ttl'),
    pytest.param('[files]\nmax-path-length = -1\n', 'files.max-path-length',
                 id='negative-length'),
    pytest.param('[commit]\nexempt = "^Merge"\n', 'commit.exempt', id='string-for-list'),
))
def test_values_that_make_no_sense(repo, toml, key):
    _assert_config_error(_hook(repo, toml), key)


@pytest.mark.parametrize('toml', (
    'tool = "x"\n', 'tool = [1]\n', '[tool]\npushguard = "x"\n', '[tool]\npushguard = [1]\n',
))
def test_a_pyproject_whose_tool_is_not_a_table(repo, toml):
    (repo / 'pyproject.toml').write_text(toml)
    (repo / 'msg').write_text('x\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 2, result
    assert len(result.err.strip().splitlines()) == 1
    assert 'pyproject.toml' in result.err and 'expected a table' in result.err


def test_a_pyproject_with_other_tools_only_is_no_policy(repo):
    (repo / 'pyproject.toml').write_text('[tool.ruff]\nline-length = 100\n')
    (repo / 'msg').write_text('x\n')
    assert run_pushguard('hook', 'commit-msg', 'msg').code == 0
