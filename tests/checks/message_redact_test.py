"""A credential pasted into a commit message is never printed back by a message check's fix."""
from __future__ import annotations

import pytest

from pushguard.checks._message import redact
from testing import gitrepo
from testing.run import run_pushguard

AWS = 'AKIAIOSFODNN7EXAMPLE'  # pragma: allowlist secret
GITHUB = 'ghp_' + 'aB3' * 12  # pragma: allowlist secret
URL = 'https://ada:hunter2@git.example.com/x'  # pragma: allowlist secret
POLICIES = {
    'jira': '[commit.jira]\nprojects = ["PROJ"]\n',
    'conventional': '[commit.conventional]\n',
    'forbidden': "[commit]\nforbidden-pattern = 'key \\S+'\n",
    'style': '[commit.style]\ntitle-max-length = 20\n',
}


@pytest.mark.parametrize('policy', sorted(POLICIES))
@pytest.mark.parametrize('secret', (AWS, GITHUB, URL))
def test_a_secret_in_a_subject_is_not_echoed(repo, policy, secret):
    (repo / 'p.toml').write_text(POLICIES[policy])
    gitrepo.commit(repo, f'add key {secret} to the deploy script')
    result = run_pushguard('check', 'HEAD', '--config', 'p.toml')
    assert result.code == 1, result
    assert 'fix:' in result.out
    assert secret not in result.out and 'hunter2' not in result.out
    (repo / 'msg').write_text(f'add key {secret} to the deploy script\n')
    hook = run_pushguard('hook', 'commit-msg', 'msg', '--config', 'p.toml')
    assert hook.code == 1 and secret not in hook.out and 'hunter2' not in hook.out


@pytest.mark.parametrize(('text', 'shown'), (
    ('PROJ-123 add login', 'PROJ-123 add login'),
    ('feat: internationalization-of-headers', 'feat: internationalization-of-headers'),
    (f'add {AWS} now', 'add <redacted> now'),
    ('set password=hunter2', 'set password=<redacted>'),
    ('-----BEGIN RSA PRIVATE KEY----- here', '<redacted> here'),
    ('git rebase -i 3ba8adddc749~1', 'git rebase -i 3ba8adddc749~1'),
))
def test_redact(text, shown):
    assert redact(text) == shown
