"""`pushguard explain`: the cause and the fix of a failed push, from what git and the forge said.

Where git can produce the failure here (non-fast-forward, a clobbered tag, a pre-receive hook, ssh
to a closed port, HTTP 403), the test captures real git output; the forges' own wording comes
from shared/forges/README.md.
"""
from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from testing import gitrepo
from testing.run import run_pushguard


def _explain(output: str, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = run_pushguard('explain', '--format', 'json', *args, stdin=output)
    assert result.err == ''
    return result.code, json.loads(result.out)['causes']


def _push(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(('git', 'push', *args), cwd=repo, capture_output=True, timeout=60,
                          env={**os.environ, 'GIT_SSH_COMMAND': 'ssh -o BatchMode=yes '
                               '-o StrictHostKeyChecking=yes -o ConnectTimeout=5',
                               **(env or {})})
    assert proc.returncode != 0, 'the push was meant to fail'
    return proc.stderr.decode('utf-8', 'replace')


def _server_hook(tmp_path: Path, script: str) -> None:
    hook = tmp_path / 'server.git' / 'hooks' / 'pre-receive'
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(script)
    hook.chmod(0o755)


def _rejected(ref: str = 'main', reason: str = 'pre-receive hook declined') -> str:
    return f'To github.com:acme/app.git\n ! [remote rejected] {ref} -> {ref} ({reason})\n' \
           "error: failed to push some refs to 'github.com:acme/app.git'\n"


FORGE_SAYS = [
    pytest.param('remote: error: GH006: Protected branch update failed for refs/heads/main.\n'
                 'remote: error: Changes must be made through a pull request.\n',
                 'protected branch hook declined', 'protected-branch', id='github-gh006-pr'),
    pytest.param('remote: error: GH006: Protected branch update failed for refs/heads/main.\n'
                 'remote: error: At least 1 approving review is required by reviewers with '
                 'write access.\n', 'protected branch hook declined', 'protected-branch',
                 id='github-gh006-reviews'),
    pytest.param('remote: error: GH006: Protected branch update failed for refs/heads/main.\n'
                 'remote: error: Required status check "ci-build" is failing\n',
                 'protected branch hook declined', 'status-checks', id='github-status-failing'),
    pytest.param('remote: error: GH006: Protected branch update failed for refs/heads/main.\n'
                 'remote: - 2 of 2 required status checks are expected.\n',
                 'protected branch hook declined', 'status-checks', id='github-status-expected'),
    pytest.param('remote: error: GH006: Protected branch update failed for refs/heads/main.\n'
                 'remote: - Commits must have verified signatures.\n',
                 'protected branch hook declined', 'signature', id='github-signatures'),
    pytest.param('remote: error: GH006: Protected branch update failed for refs/heads/main.\n'
                 "remote: - You're not authorized to push to this branch.\n",
                 'protected branch hook declined', 'protected-branch', id='github-not-authorized'),
    pytest.param('remote: error: GH006: Protected branch update failed for refs/heads/main.\n'
                 'remote: error: Cannot force-push to this protected branch\n',
                 'protected branch hook declined', 'force-push', id='github-force'),
    pytest.param('remote: error: GH013: Repository rule violations found for refs/heads/main.\n'
                 'remote: - Cannot update this protected ref\n',
                 'push declined due to repository rule violations', 'protected-branch',
                 id='github-gh013-locked'),
    pytest.param('remote: error: GH013: Repository rule violations found for refs/heads/main.\n'
                 'remote: - Waiting for Code Scanning results\n',
                 'push declined due to repository rule violations', 'status-checks',
                 id='github-gh013-code-scanning'),
    pytest.param('remote: error: GH013: Repository rule violations found for refs/heads/main.\n'
                 'remote: - GITHUB PUSH PROTECTION\n'
                 'remote:   Push cannot contain secrets\n'
                 'remote:   https://github.com/acme/app/security/secret-scanning/unblock-secret/'
                 '2abc\n', 'push declined due to repository rule violations', 'secrets',
                 id='github-push-protection'),
    pytest.param("remote: error: File big.bin is 106.49 MB; this exceeds GitHub's file size "
                 'limit of 100.00 MB\nremote: error: GH001: Large files detected. You may want '
                 'to try Git Large File Storage - https://git-lfs.github.com.\n',
                 'pre-receive hook declined', 'file-size', id='github-gh001'),
    pytest.param('remote: GitLab: You are not allowed to push code to protected branches on '
                 'this project.\n', 'pre-receive hook declined', 'protected-branch',
                 id='gitlab-protected'),
    pytest.param('remote: GitLab: You are not allowed to force push code to a protected branch '
                 'on this project.\n', 'pre-receive hook declined', 'force-push',
                 id='gitlab-force'),
    pytest.param('remote: GitLab: You can only delete protected branches using the web '
                 'interface.\n', 'pre-receive hook declined', 'branch-deletion',
                 id='gitlab-delete'),
    pytest.param("remote: GitLab: Commit message does not follow the pattern "
                 "'^[A-Z]+-[0-9]+'\n", 'pre-receive hook declined', 'message-pattern',
                 id='gitlab-push-rule-message'),
    pytest.param("remote: GitLab: Branch name does not follow the pattern '^feat/'\n",
                 'pre-receive hook declined', 'branch-name', id='gitlab-push-rule-branch'),
    pytest.param('remote: GitLab: File "data/dump.sql" is larger than the allowed size of 10 MB\n',
                 'pre-receive hook declined', 'file-size', id='gitlab-file-size'),
    pytest.param('remote: GitLab: Commit must be signed with a GPG key\n',
                 'pre-receive hook declined', 'signature', id='gitlab-signed'),
    pytest.param('remote: Permission denied to update branch main.\n',
                 'pre-receive hook declined', 'protected-branch', id='bitbucket-cloud'),
    pytest.param('remote: Branch refs/heads/main can only be modified through pull requests.\n'
                 'remote: Check your branch permissions configuration with the project '
                 'administrator.\n', 'pre-receive hook declined', 'protected-branch',
                 id='bitbucket-datacenter'),
    pytest.param('remote: \nremote: Gitea: Not allowed to push to protected branch main\n',
                 'pre-receive hook declined', 'protected-branch', id='gitea-protected'),
    pytest.param('remote: Gitea: Branch main is protected from force push\n',
                 'pre-receive hook declined', 'force-push', id='gitea-force'),
    pytest.param('remote: ERROR: Commit 1a2b3c4 has no JIRA issue key in its message\n',
                 'pre-receive hook declined', 'jira-ticket', id='policy-hook-jira'),
    pytest.param('remote: error: This repository was archived so it is read-only.\n',
                 'pre-receive hook declined', 'repository-size', id='read-only'),
]


@pytest.mark.parametrize(('remote_lines', 'reason', 'cause'), FORGE_SAYS)
def test_the_forges_own_words_name_the_cause(repo, remote_lines, reason, cause):
    code, causes = _explain(remote_lines + _rejected('main', reason))
    assert code == 0
    assert causes[0]['cause'] == cause
    assert causes[0]['ref'] == 'refs/heads/main'
    assert causes[0]['fix']


def test_a_pull_request_fix_pushes_a_new_branch_and_opens_the_compare_page(repo):
    _, causes = _explain(FORGE_SAYS[0].values[0] + _rejected('main', 'protected branch hook '
                                                             'declined'))
    assert causes[0]['fix'] == (
        'git push origin HEAD:refs/heads/main-change\n'
        'then open the pull/merge request: '
        'https://github.com/acme/app/compare/main...main-change?expand=1')


def test_push_protection_gives_the_unblock_url(repo):
    _, causes = _explain(FORGE_SAYS[9].values[0] + _rejected('main', 'push declined due to '
                                                             'repository rule violations'))
    assert 'https://github.com/acme/app/security/secret-scanning/unblock-secret/2abc' in \
        causes[0]['fix']


# --- real git output ----------------------------------------------------------------------------

@pytest.fixture
def pushed(tmp_path):
    """A clone of a bare server with one pushed commit, and a second clone of the same server."""
    work = gitrepo.pushed_work(tmp_path, '[commit]\n')
    other = tmp_path / 'other'
    gitrepo.git('clone', '-q', str(tmp_path / 'server.git'), str(other))
    return work, other


def test_a_real_non_fast_forward(pushed):
    work, other = pushed
    gitrepo.commit(other, 'feat: theirs')
    gitrepo.git('push', '-q', 'origin', 'main', cwd=other)
    gitrepo.commit(work, 'feat: mine')
    output = _push(work, 'origin', 'main')
    code, causes = _explain(output)
    assert (code, causes[0]['cause']) == (0, 'non-fast-forward')
    assert causes[0]['fix'].startswith('git pull --rebase origin main\n')
    assert '--force-with-lease' in causes[0]['fix'] and '--force ' not in causes[0]['fix']


def test_a_real_clobbered_tag(pushed):
    work, other = pushed
    gitrepo.git('tag', 'v1', cwd=other)
    gitrepo.git('push', '-q', 'origin', 'v1', cwd=other)
    gitrepo.commit(work, 'feat: mine')
    gitrepo.git('tag', 'v1', cwd=work)
    output = _push(work, 'origin', 'refs/tags/v1')
    _, causes = _explain(output)
    assert causes[0]['cause'] == 'tag-exists'
    assert causes[0]['fix'].startswith('git ls-remote --tags origin v1')


def test_a_real_pre_receive_hook_refusal_one_cause_per_ref(pushed, tmp_path):
    work, _ = pushed
    _server_hook(tmp_path, '#!/bin/sh\necho "GitLab: You are not allowed to push code to '
                           'protected branches on this project." >&2\nexit 1\n')
    gitrepo.commit(work, 'feat: mine')
    gitrepo.git('branch', 'topic', cwd=work)
    output = _push(work, 'origin', 'main', 'topic')
    assert 'remote: GitLab: You are not allowed' in output
    _, causes = _explain(output)
    assert [(c['cause'], c['ref']) for c in causes] == [
        ('protected-branch', 'refs/heads/main'), ('protected-branch', 'refs/heads/topic')]


def test_a_hook_saying_nothing_known_is_a_pre_receive_hook_cause(pushed, tmp_path):
    work, _ = pushed
    _server_hook(tmp_path, '#!/bin/sh\necho "policy 42 says no" >&2\nexit 1\n')
    gitrepo.commit(work, 'feat: mine')
    _, causes = _explain(_push(work, 'origin', 'main'))
    assert causes[0]['cause'] == 'pre-receive-hook'
    assert causes[0]['seen'] == 'policy 42 says no'


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_real_ssh_to_a_closed_port_is_the_network(repo):
    gitrepo.commit(repo, 'feat: one')
    output = _push(repo, f'ssh://git@127.0.0.1:{_closed_port()}/acme/app.git', 'main')
    _, causes = _explain(output)
    assert causes[0]['cause'] == 'network'


class _Forbidden(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(403)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_real_http_403_is_the_token(repo):
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Forbidden)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        gitrepo.commit(repo, 'feat: one')
        output = _push(repo, f'http://127.0.0.1:{server.server_port}/acme/app.git', 'main')
    finally:
        server.shutdown()
    assert 'The requested URL returned error: 403' in output
    _, causes = _explain(output)
    assert causes[0]['cause'] == 'token-auth'
    assert 'contents: write' in causes[0]['fix']


# --- what else users paste ----------------------------------------------------------------------

@pytest.mark.parametrize(('line', 'cause'), [
    pytest.param('git@github.com: Permission denied (publickey).', 'ssh-auth', id='publickey'),
    pytest.param('Host key verification failed.', 'host-key', id='host-key'),
    pytest.param("remote: Invalid username or password.\nfatal: Authentication failed for "
                 "'https://github.com/acme/app.git/'", 'token-auth', id='401'),
    pytest.param('ERROR: Repository not found.\nfatal: Could not read from remote repository.',
                 'repository-not-found', id='not-found'),
    pytest.param('kex_exchange_identification: Connection closed by remote host',
                 'network', id='kex'),
    pytest.param("fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: "
                 'github.com', 'network', id='dns'),
    pytest.param("fatal: unable to access 'https://github.com/a/b.git/': Received HTTP code 407 "
                 'from proxy after CONNECT', 'proxy', id='proxy-auth'),
    pytest.param('fatal: unable to access: Proxy auto-configuration failed', 'proxy', id='pac'),
])
def test_getting_there(repo, line, cause):
    _, causes = _explain(line + '\n')
    assert causes[0]['cause'] == cause


def test_a_ci_log_with_timestamps_and_colour(repo):
    log = ''.join(f'2026-11-29T10:00:0{i}.1234567Z \x1b[31m{line}\x1b[0m\n' for i, line in
                  enumerate(FORGE_SAYS[11].values[0].splitlines() + _rejected().splitlines()))
    _, causes = _explain(log)
    assert causes[0]['cause'] == 'protected-branch'


def test_pushguards_own_hook_is_named(repo):
    output = ('error [jira-ticket] no Jira issue key (PROJ) in the subject line (main, '
              '1a2b3c4d5e6f)\n  fix: git rebase -i 0a1b2c (mark the commit "reword")\n'
              'pushguard: 1 error, 0 warnings in 1 commit on 1 ref: blocked\n'
              "error: failed to push some refs to 'server.git'\n")
    _, causes = _explain(output)
    assert causes[0]['cause'] == 'jira-ticket'
    assert "pushguard's pre-push hook stopped the push" in causes[0]['message']
    assert causes[0]['fix'] == 'git rebase -i 0a1b2c (mark the commit "reword")'


def test_unknown_output_says_so_and_points_at_doctor(repo):
    code, causes = _explain('something nobody has seen\n')
    assert code == 1
    assert causes == [{'cause': 'unknown', 'message': 'this output names no failure pushguard '
                       'knows', 'fix': 'pushguard doctor   (checks hooks, policy, remote, '
                       'credentials and signing)', 'ref': None, 'seen': ''}]


def test_escape_codes_in_the_log_are_not_replayed(repo):
    result = run_pushguard('explain', stdin='remote: GitLab: You are not allowed to push code to '
                           'protected branches on this project.\x1b]0;pwned\x07\x07\n'
                           + _rejected())
    assert '\x1b' not in result.out and '\x07' not in result.out


def test_text_output_and_a_file(repo, tmp_path):
    log = tmp_path / 'push.log'
    log.write_text(FORGE_SAYS[0].values[0] + _rejected('main', 'protected branch hook declined'))
    result = run_pushguard('explain', str(log))
    assert result.code == 0
    assert result.out.splitlines()[0] == ('cause [protected-branch] main takes changes only '
                                          'through pull requests (refs/heads/main)')
    assert result.out.splitlines()[1] == '  fix: git push origin HEAD:refs/heads/main-change'


def test_a_missing_file_is_one_line(repo):
    result = run_pushguard('explain', 'nope.log')
    assert (result.code, result.err) == (2, 'pushguard: error: nope.log: cannot read: '
                                             'No such file or directory\n')
