from __future__ import annotations

import marshal
import os
import stat

import pytest

from pushguard import cache
from testing.run import run_pushguard


def test_an_entry_is_read_back_under_the_same_key():
    cache.store('policy', ('a.toml', b'x = 1'), {'answer': (1, 2)})
    assert cache.load('policy', ('a.toml', b'x = 1')) == {'answer': (1, 2)}


def test_an_entry_stored_under_another_key_is_not_read():
    cache.store('policy', ('a.toml', b'x = 1'), 'old')
    assert cache.load('policy', ('a.toml', b'x = 2')) is None


def test_a_missing_or_damaged_entry_is_no_entry():
    assert cache.load('never-stored', 'key') is None
    cache.store('policy', 'key', 'value')
    with open(os.path.join(cache.folder(), 'policy.marshal'), 'wb') as f:
        f.write(b'\x00garbage')
    assert cache.load('policy', 'key') is None


def test_a_folder_that_cannot_be_written_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / 'a-file'
    blocker.write_text('')
    monkeypatch.setenv('PUSHGUARD_HOME', str(blocker / 'cache'))
    cache.store('policy', 'key', 'value')
    assert cache.load('policy', 'key') is None
    assert sorted(os.listdir(tmp_path)) == ['a-file']


def test_the_folder_follows_pushguard_home_then_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv('PUSHGUARD_HOME', str(tmp_path / 'own'))
    assert cache.folder() == str(tmp_path / 'own')
    monkeypatch.delenv('PUSHGUARD_HOME')
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    assert cache.folder() == str(tmp_path / 'xdg' / 'pushguard')
    monkeypatch.delenv('XDG_CACHE_HOME')
    assert cache.folder() == os.path.join(os.environ['HOME'], '.cache', 'pushguard')


def test_each_file_has_its_own_entry(tmp_path):
    names = {cache.name_for('policy', str(tmp_path / folder / '.pushguard.toml'))
             for folder in ('a', 'b', 'a')}
    assert len(names) == 2
    for name in names:
        cache.store(name, 'key', name)
    assert {cache.load(name, 'key') for name in names} == names


def _entry_path(name):
    return os.path.join(cache.folder(), f'{name}.marshal')


def test_the_folder_is_made_for_the_user_alone(tmp_path, monkeypatch):
    monkeypatch.setenv('PUSHGUARD_HOME', str(tmp_path / 'cache'))
    cache.store('policy', 'key', 'value')
    assert stat.S_IMODE(os.stat(tmp_path / 'cache').st_mode) == 0o700
    assert stat.S_IMODE(os.stat(_entry_path('policy')).st_mode) & 0o077 == 0


def test_an_entry_others_may_write_is_not_read():
    cache.store('policy', 'key', 'value')
    os.chmod(_entry_path('policy'), 0o666)
    assert cache.load('policy', 'key') is None


def test_an_entry_of_another_user_is_not_read(monkeypatch):
    cache.store('policy', 'key', 'value')
    if os.geteuid() == 0:  # root can give the file away: the entry alone is another user's
        os.chown(_entry_path('policy'), 4242, -1)
    else:  # else pushguard runs as another user: the folder and the entry are someone else's
        monkeypatch.setattr(os, 'geteuid', lambda: 4242)
    assert cache.load('policy', 'key') is None


@pytest.mark.parametrize('mode', (0o777, 0o770))
def test_a_folder_others_may_write_is_neither_read_nor_written(tmp_path, monkeypatch, mode):
    monkeypatch.setenv('PUSHGUARD_HOME', str(tmp_path / 'cache'))
    cache.store('policy', 'key', 'value')
    os.chmod(tmp_path / 'cache', mode)
    assert cache.load('policy', 'key') is None
    cache.store('other', 'key', 'value')
    assert not os.path.exists(_entry_path('other'))


def test_a_symlinked_entry_is_not_followed(tmp_path):
    cache.store('real', 'key', 'value')
    os.symlink(_entry_path('real'), _entry_path('policy'))
    assert cache.load('policy', 'key') is None


def test_entries_are_keyed_on_the_installed_versions(monkeypatch):
    installed = dict(cache.installed())
    assert set(installed) == {'pushguard', 'gitlint_core', 'detect_secrets', 'cfgv', 'google_re2'}
    assert installed['gitlint_core'].endswith('.dist-info')
    assert os.path.basename(installed['cfgv']).startswith('cfgv-')
    cache.store('policy', 'key', 'value')
    upgraded = tuple((name, f'{where}-upgraded') for name, where in cache.installed())
    monkeypatch.setattr(cache, '_installed', upgraded)
    assert cache.load('policy', 'key') is None


_SKIP_ALL = {'skip': frozenset({'jira-ticket', 'secrets', 'file-size'})}


@pytest.mark.parametrize('how', ('world-writable', 'other-user'))
def test_a_planted_policy_never_switches_checks_off(repo, monkeypatch, how):
    """Another user who can write the cache plants the entry for this repository's policy with
    the right key and a policy that skips every check: it is not read."""
    (repo / '.pushguard.toml').write_text('[commit.jira]\nprojects = ["PROJ"]\n')
    (repo / 'msg').write_text('no key here\n')
    assert run_pushguard('hook', 'commit-msg', 'msg').code == 1  # stores the entry
    entry = _entry_path(cache.name_for('policy', str(repo / '.pushguard.toml')))
    with open(entry, 'rb') as f:
        key, _ = marshal.load(f)

    def plant():
        os.unlink(entry)
        with open(entry, 'wb') as f:
            marshal.dump((key, _SKIP_ALL), f)

    plant()
    if how == 'world-writable':
        os.chmod(entry, 0o666)
    elif os.geteuid() == 0:
        os.chown(entry, 4242, -1)
    else:
        monkeypatch.setattr(os, 'geteuid', lambda: 4242)
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 1
    assert '[jira-ticket]' in result.out
    if how == 'world-writable':  # the same entry as the user's own is read: the key was right
        plant()
        assert run_pushguard('hook', 'commit-msg', 'msg').code == 0
