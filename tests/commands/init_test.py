from __future__ import annotations

import json
from pathlib import Path

import pytest

from pushguard import checks, config
from pushguard.commands.init import preset, preset_names
from testing.run import run_pushguard

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / 'config-examples').glob('*.toml'))
ALWAYS = {'secrets', 'file-size', *checks.REMOTE_CHECKS}  # the embedded default's


def test_the_presets_ship_as_package_data():
    assert {'default', 'conventional', 'jira', 'jira-conventional'} <= set(preset_names())
    shipped = {p.stem for p in (ROOT / 'src' / 'pushguard' / 'presets').glob('*.toml')}
    assert set(preset_names()) == shipped


def test_init_writes_the_preset_at_the_top_of_the_work_tree(repo):
    sub = repo / 'src' / 'app'
    sub.mkdir(parents=True)
    result = run_pushguard('init', '--preset', 'jira', cwd=sub)
    assert result.code == 0, result.err
    assert result.out == ('wrote ../../.pushguard.toml (preset jira); '
                          '`pushguard install` puts the hooks in place\n')
    assert (repo / '.pushguard.toml').read_bytes() == preset('jira')
    assert not (sub / '.pushguard.toml').exists()


def test_init_without_a_preset_writes_the_default(repo):
    assert run_pushguard('init').code == 0
    assert (repo / '.pushguard.toml').read_bytes() == preset('default')


def test_init_outside_a_repository_writes_here(tmp_path, monkeypatch):
    monkeypatch.setenv('GIT_CEILING_DIRECTORIES', str(tmp_path.parent))
    result = run_pushguard('init', '--preset', 'conventional', cwd=tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / '.pushguard.toml').read_bytes() == preset('conventional')


def test_init_refuses_to_overwrite_without_force(repo):
    (repo / '.pushguard.toml').write_text('# mine\n')
    result = run_pushguard('init', '--preset', 'jira')
    assert result.code == 2
    assert result.out == ''
    assert result.err == ('pushguard: error: .pushguard.toml exists already: edit it, '
                          'or overwrite it with --force\n')
    assert (repo / '.pushguard.toml').read_text() == '# mine\n'
    assert run_pushguard('init', '--preset', 'jira', '--force').code == 0
    assert (repo / '.pushguard.toml').read_bytes() == preset('jira')


def test_an_unknown_preset_lists_the_known_ones(repo):
    result = run_pushguard('init', '--preset', 'jria')
    assert result.code == 2
    assert result.err == ("pushguard: error: unknown preset 'jria' (known: "
                          f"{', '.join(preset_names())})\n")
    assert not (repo / '.pushguard.toml').exists()


@pytest.mark.parametrize(('name', 'turned_on'), [
    pytest.param('default', set(), id='default'),
    pytest.param('conventional', {'conventional-commit'}, id='conventional'),
    pytest.param('jira', {'jira-ticket'}, id='jira'),
    pytest.param('jira-conventional', {'jira-ticket', 'conventional-commit'},
                 id='jira-conventional'),
])
def test_each_preset_turns_on_what_it_is_named_for(repo, name, turned_on):
    assert run_pushguard('init', '--preset', name).code == 0
    cfg = config.load(root=str(repo))
    assert cfg.source == str(repo / '.pushguard.toml')
    assert cfg.enabled_checks() == ALWAYS | turned_on


@pytest.mark.parametrize('path', [
    *(pytest.param(ROOT / 'src' / 'pushguard' / 'presets' / f'{name}.toml', id=f'preset-{name}')
      for name in preset_names()),
    *(pytest.param(path, id=path.name) for path in EXAMPLES),
])
def test_every_preset_and_example_is_a_valid_policy(path):
    cfg = config.load(str(path))
    assert cfg.source == str(path)


def test_there_are_documented_examples():
    assert {p.name for p in EXAMPLES} >= {
        'github-ruleset-mirror.toml', 'gitlab-push-rules-mirror.toml', 'monorepo.toml',
    }
    for path in EXAMPLES:
        assert path.read_text().startswith('# '), f'{path.name} does not say what it is for'


def _verdict(repo: Path, message: str) -> set[str]:
    (repo / 'MSG').write_text(message + '\n')
    result = run_pushguard('hook', 'commit-msg', 'MSG', '--format', 'json')
    assert result.code in (0, 1), result.err
    ids = {finding['check'] for finding in json.loads(result.out)['findings']}
    assert (result.code == 1) is bool(ids)
    return ids


@pytest.mark.parametrize(('name', 'message', 'refused_by'), [
    pytest.param('default', 'whatever you like', set(), id='default-anything'),
    pytest.param('jira', 'PROJ-123 add login', set(), id='jira-key'),
    pytest.param('jira', 'add login', {'jira-ticket'}, id='jira-no-key'),
    pytest.param('conventional', 'feat(ui): add login', set(), id='conventional-ok'),
    pytest.param('conventional', 'Add login', {'conventional-commit'}, id='conventional-bad'),
    pytest.param('jira-conventional', 'feat(ui): PROJ-123 add login', set(), id='jc-ok'),
    pytest.param('jira-conventional', 'feat(ui): add login', {'jira-ticket'}, id='jc-no-key'),
    pytest.param('jira-conventional', 'PROJ-123 add login', {'conventional-commit'},
                 id='jc-not-conventional'),
])
def test_each_preset_judges_messages_as_named(repo, name, message, refused_by):
    assert run_pushguard('init', '--preset', name).code == 0
    assert _verdict(repo, message) == refused_by
