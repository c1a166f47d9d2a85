"""pushguard checks itself: its own history passes its own policy (.ci/pushguard.toml)."""
from __future__ import annotations

from pathlib import Path

import pytest

from testing.run import run_pushguard

ROOT = Path(__file__).resolve().parent.parent


def test_every_commit_of_this_repository_passes_its_own_policy():
    if not (ROOT / '.git').exists():
        pytest.skip('not a git clone of pushguard')
    result = run_pushguard('check', 'HEAD', '--config', str(ROOT / '.ci' / 'pushguard.toml'),
                           cwd=ROOT)
    assert result.code == 0, result.out + result.err
