from __future__ import annotations

import pytest

from pushguard import config, engine
from pushguard.errors import ConfigError
from pushguard.model import Place
from testing.policies import JIRA
from testing.run import run_pushguard


def _ids(checks):
    return [c.ID for c in checks]


def test_default_policy_runs_no_message_check_at_commit_msg():
    assert _ids(engine.select(config.Config(), Place.COMMIT_MSG)) == []


def test_a_section_turns_its_check_on():
    cfg = config.validate({'commit': {'jira': {}}}, 'test')
    assert _ids(engine.select(cfg, Place.COMMIT_MSG)) == ['jira-ticket']


def test_only_wins_over_the_policy_and_skip_removes():
    cfg = config.validate({'commit': {'jira': {}}}, 'test')
    assert _ids(engine.select(cfg, Place.COMMIT_MSG, skip=['jira-ticket'])) == []
    assert _ids(engine.select(config.Config(), Place.COMMIT_MSG, only=['jira-ticket'])) == [
        'jira-ticket',
    ]


def test_config_skip_applies_even_to_only():
    cfg = config.validate({'commit': {'jira': {}}, 'checks': {'skip': ['jira-ticket']}}, 'test')
    assert _ids(engine.select(cfg, Place.COMMIT_MSG, only=['jira-ticket'])) == []


def test_unknown_id_is_a_config_error():
    with pytest.raises(ConfigError, match="'nope' is not a check id"):
        engine.select(config.Config(), Place.COMMIT_MSG, only=['nope'])


def test_warn_turns_an_error_into_a_warning_that_does_not_block(repo):
    (repo / '.pushguard.toml').write_text(JIRA + '[checks]\nwarn = ["jira-ticket"]\n')
    (repo / 'msg').write_text('add login\n')
    result = run_pushguard('hook', 'commit-msg', 'msg')
    assert result.code == 0
    assert result.out.startswith('warning [jira-ticket]')
