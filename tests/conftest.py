from __future__ import annotations

import os
import sys

import pytest

_ROOT = os.path.join(os.path.dirname(__file__), '..')
# the checkout's own code, even when another checkout is the one pip installed (editable)
sys.path[:0] = [_ROOT, os.path.join(_ROOT, 'src')]

from testing import gitrepo

_DROPPED = ('GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE', 'PUSHGUARD_TOKEN', 'PUSHGUARD_CONFIG',
            'GH_TOKEN', 'GITHUB_TOKEN', 'GITLAB_TOKEN', 'CI_JOB_TOKEN', 'BITBUCKET_TOKEN',
            'PRE_COMMIT_FROM_REF', 'PRE_COMMIT_TO_REF', 'PRE_COMMIT_REMOTE_BRANCH',
            'PRE_COMMIT_REMOTE_NAME', 'PRE_COMMIT_REMOTE_URL', 'NO_COLOR', 'FORCE_COLOR',
            'PUSHGUARD_HOME', 'XDG_CACHE_HOME')


@pytest.fixture(autouse=True)
def pinned_git_env(tmp_path_factory, monkeypatch):
    """Every test sees the same git: no global or system config, no templates, fixed identities."""
    home = tmp_path_factory.mktemp('home')
    (home / 'gitconfig').write_text('')
    (home / 'templates').mkdir()
    for name in _DROPPED:
        monkeypatch.delenv(name, raising=False)
    for key, value in {
        'HOME': str(home),
        'GIT_CONFIG_GLOBAL': str(home / 'gitconfig'),
        'GIT_CONFIG_NOSYSTEM': '1',
        'GIT_TEMPLATE_DIR': str(home / 'templates'),
        'GIT_AUTHOR_NAME': 'Ada Tester', 'GIT_AUTHOR_EMAIL': 'ada@example.com',
        'GIT_COMMITTER_NAME': 'Ada Tester', 'GIT_COMMITTER_EMAIL': 'ada@example.com',
        'GIT_AUTHOR_DATE': '2026-01-01T00:00:00Z', 'GIT_COMMITTER_DATE': '2026-01-01T00:00:00Z',
        'GIT_TERMINAL_PROMPT': '0',
    }.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """An empty repository on `main`, the current directory for the test."""
    path = gitrepo.init(tmp_path / 'repo')
    monkeypatch.chdir(path)
    return path
