from __future__ import annotations

import os

from pushguard import cache


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
