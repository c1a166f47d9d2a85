"""The forges' ref-name patterns: each forge's own glob semantics, run by RE2 so that a pattern
read from the forge cannot make a push hang."""
from __future__ import annotations

import time

import pytest

from pushguard.forges._patterns import github_matches, gitlab_matches, re2_search


@pytest.mark.parametrize(('pattern', 'ref', 'expected'), (
    ('refs/heads/main', 'refs/heads/main', True),
    ('refs/heads/qa/*', 'refs/heads/qa/x', True),
    ('refs/heads/qa/*', 'refs/heads/qa/x/y', False),  # FNM_PATHNAME: `*` stops at `/`
    ('refs/heads/qa/**/*', 'refs/heads/qa/x/y', True),
    ('refs/heads/v?', 'refs/heads/v1', True),
    ('refs/heads/[rs]elease', 'refs/heads/selease', True),
    ('refs/heads/a b', 'refs/heads/a b', True),
    ('~ALL', 'refs/tags/v1', True),
    ('~DEFAULT_BRANCH', 'refs/heads/main', True),
    ('~DEFAULT_BRANCH', 'refs/heads/dev', False),
))
def test_github_fnmatch_with_pathname(pattern, ref, expected):
    assert github_matches(pattern, ref, 'main') is expected


@pytest.mark.parametrize(('pattern', 'name', 'expected'), (
    ('release/*', 'release/1/2', True),  # GitLab's `*` crosses `/`
    ('main', 'main', True),
    ('main', 'mainline', False),
    ('*-stable', 'v1-stable', True),
    ('a.b', 'axb', False),
))
def test_gitlab_wildcards(pattern, name, expected):
    assert gitlab_matches(pattern, name) is expected


def test_a_hostile_pattern_returns_at_once():
    stars = '*a' * 25 + 'b'
    ref = 'refs/heads/' + 'a' * 200
    started = time.monotonic()
    assert github_matches(f'refs/heads/{stars}', ref, None) is False
    assert gitlab_matches(stars, 'a' * 200) is False
    assert re2_search('^(a+)+$', 'a' * 30 + '!') is False
    assert time.monotonic() - started < 5


def test_a_regex_re2_cannot_run_is_none():
    assert re2_search('(?<=a)b', 'ab') is None
