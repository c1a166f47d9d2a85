"""`pushguard sync` against the loopback forge: the content rules saved in the git dir (or written
into .pushguard.toml), then applied by the commit-time hooks without the network."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from testing.forge_server import fixture

P = '/projects/group%2Fsub%2Fr'
SECRET = 'glpat-syncsecret-0123456789'  # pragma: allowlist secret


def hooks(push, *names):
    for name in names:
        hook = push.work / '.git' / 'hooks' / name
        hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pushguard hook {name} "$@"\n')
        hook.chmod(0o755)


def pg(push, *args, env=None):
    proc = subprocess.run((sys.executable, '-m', 'pushguard', *args), cwd=push.work,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=60)
    return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


def commit(push, message, env=None, *extra):
    proc = subprocess.run(('git', 'commit', '-q', '--allow-empty', *extra, '-m', message),
                          cwd=push.work, capture_output=True, env={**os.environ, **(env or {})})
    return proc.returncode, (proc.stdout + proc.stderr).decode('utf-8', 'replace')


def push_rule(forge, **fields):
    forge.reply(f'{P}/push_rule', {**fixture('gitlab/push-rule.json'), **fields})


def test_gitlab_push_rules_apply_at_commit_time_without_the_network(gitlab):
    push_rule(gitlab.forge)
    code, said = pg(gitlab, 'sync', env={'GITLAB_TOKEN': SECRET})
    assert code == 0, said
    assert 'synced 2 content rule(s) from gitlab' in said and 'first sync' in said
    assert "commit_message_regex is /Fixes \\d+\\..*/" in said
    stored = gitlab.work / '.git' / 'pushguard' / 'synced.json'
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert SECRET not in stored.read_text() and SECRET not in said
    hooks(gitlab, 'commit-msg')
    asked = len(gitlab.forge.api_requests())
    code, said = commit(gitlab, 'feat: no ticket')
    assert code == 1 and '[message-pattern]' in said and 'GitLab push rule' in said, said
    assert 'the server will refuse the push' in said
    code, said = commit(gitlab, 'Fixes 12. the bug, see ssh://host')
    assert code == 1 and 'commit_message_negative_regex' in said, said
    assert commit(gitlab, 'Fixes 12. the bug')[0] == 0
    assert len(gitlab.forge.api_requests()) == asked  # commit time never asks the forge


def test_a_second_sync_shows_what_changed(gitlab):
    push_rule(gitlab.forge)
    assert pg(gitlab, 'sync')[0] == 0
    assert 'no change since the last sync' in pg(gitlab, 'sync')[1]
    push_rule(gitlab.forge, commit_message_negative_regex='', author_email_regex='@corp\\.com$')
    code, said = pg(gitlab, 'sync')
    assert code == 0 and 'changed since the last sync' in said
    assert '+ refs/heads/main: author-email' in said
    assert '- refs/heads/main: message-pattern: commit_message_negative_regex' in said


def test_author_email_and_branch_name_rules_at_commit_time(gitlab):
    push_rule(gitlab.forge, commit_message_regex='', commit_message_negative_regex='',
              author_email_regex='@corp\\.com$', branch_name_regex='^(main|feat/.+)$')
    gitlab.git('checkout', '-q', '-b', 'wip')
    assert pg(gitlab, 'sync', 'wip')[0] == 0
    hooks(gitlab, 'commit-msg')
    code, said = commit(gitlab, 'feat: x')
    assert code == 1 and '[author-email]' in said and '[branch-name]' in said, said
    assert 'git branch -m wip NEW-NAME' in said
    env = {'GIT_AUTHOR_EMAIL': 'me@corp.com'}
    gitlab.git('branch', '-m', 'wip', 'feat/x')
    code, said = commit(gitlab, 'feat: x', env)
    # synced for wip only: on feat/x the rules may not apply, so they only warn
    assert code == 0, said


def test_file_rules_apply_in_the_pre_commit_hook(github):
    from tests.forges.forge_github_test import ruleset
    ruleset(github.forge, 'main', ('file_extension_restriction',
                                   {'restricted_file_extensions': ['*.pem']}),
            ('max_file_size', {'max_file_size': 1}))
    code, said = pg(github, 'sync')
    assert code == 0 and 'synced 2 content rule(s) from github' in said, said
    hooks(github, 'pre-commit')
    (github.work / 'key.pem').write_text('x')
    (github.work / 'big.bin').write_bytes(b'0' * (2 * 1024 * 1024))
    github.git('add', 'key.pem', 'big.bin')
    code, said = commit(github, 'feat: files')
    assert code == 1 and '[forbidden-path]' in said and '[file-size]' in said, said
    assert 'git restore --staged -- key.pem' in said
    github.git('restore', '--staged', '--', 'key.pem')
    github.git('restore', '--staged', '--', 'big.bin')
    (github.work / 'ok.txt').write_text('fine')
    github.git('add', 'ok.txt')
    assert commit(github, 'feat: fine')[0] == 0


def test_a_github_message_rule_for_this_branch_blocks_and_write_keeps_the_comments(github):
    from tests.forges.forge_github_test import ruleset
    ruleset(github.forge, 'main', ('commit_message_pattern',
                                   {'operator': 'starts_with', 'pattern': 'issue'}),
            ('file_extension_restriction', {'restricted_file_extensions': ['.pem']}))
    policy = github.work / '.pushguard.toml'
    policy.write_text('# our policy\n' + policy.read_text() +
                      '\n[files]\n# keep keys out\nforbidden = [\n  "id_rsa",\n]  # ssh\n')
    code, said = pg(github, 'sync', '--write')
    assert code == 0, said
    text = policy.read_text()
    assert text.startswith('# our policy\n') and '# keep keys out\n' in text
    assert "forbidden = ['id_rsa', '*.pem']" in text
    assert "[commit]\npattern = '^issue'" in text
    import tomllib
    assert tomllib.loads(text)['files']['forbidden'] == ['id_rsa', '*.pem']
    # written into the file, so the git dir's copy holds nothing that would apply twice
    stored = json.loads((github.work / '.git' / 'pushguard' / 'synced.json').read_text())
    assert stored['refs'] == {'refs/heads/main': []} and len(stored['seen']['refs/heads/main']) == 2
    hooks(github, 'commit-msg')
    assert commit(github, 'feat: x')[0] == 1
    assert commit(github, 'issue 12: x')[0] == 0
    assert 'no change since the last sync' in pg(github, 'sync', '--write')[1]


def test_unreadable_push_rules_keep_the_last_sync(gitlab):
    push_rule(gitlab.forge)
    assert pg(gitlab, 'sync')[0] == 0
    before = (gitlab.work / '.git' / 'pushguard' / 'synced.json').read_text()
    gitlab.forge.reply(f'{P}/push_rule', {'message': '403 Forbidden'}, status=403)
    code, said = pg(gitlab, 'sync', env={'GITLAB_TOKEN': SECRET})
    assert code == 2 and 'push rules could not be read' in said and 'last sync is kept' in said
    assert 'Traceback' not in said and SECRET not in said
    assert (gitlab.work / '.git' / 'pushguard' / 'synced.json').read_text() == before


def test_a_local_remote_is_a_one_line_error(gitlab):
    gitlab.git('remote', 'set-url', 'origin', str(gitlab.work))
    code, said = pg(gitlab, 'sync')
    assert code == 2 and 'local repository' in said and 'Traceback' not in said


_SCRIPT = '''
import json, sys
from pushguard.cli import main
code = main(["hook", "commit-msg", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
'''


def test_reading_the_synced_rules_imports_no_http_layer(gitlab):
    push_rule(gitlab.forge)
    assert pg(gitlab, 'sync')[0] == 0
    message = gitlab.work / '.git' / 'MSG'
    message.write_text('feat: no ticket\n')
    out = subprocess.run((sys.executable, '-S', '-c', _SCRIPT, str(message)), cwd=gitlab.work,
                         capture_output=True, check=True,
                         env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)}).stdout
    seen = json.loads(out.decode().splitlines()[-1])
    assert seen['code'] == 1 and 'pushguard.sync' in seen['modules']
    assert not {'pushguard.forges._http', 'pushguard.forges._ask', 'pushguard.forges._credentials',
                'urllib.request', 'urllib.parse', 'http.client'
                } & set(seen['modules'])


def test_an_unreadable_synced_file_warns_at_commit_time(gitlab):
    push_rule(gitlab.forge)
    assert pg(gitlab, 'sync')[0] == 0
    (gitlab.work / '.git' / 'pushguard' / 'synced.json').write_text('{not json')
    hooks(gitlab, 'commit-msg')
    code, said = commit(gitlab, 'feat: no ticket')
    assert code == 0 and 'warning [remote]' in said and 'synced.json cannot be read' in said
    assert 'pushguard sync' in said
    assert pg(gitlab, 'sync')[0] == 0
    assert commit(gitlab, 'feat: no ticket')[0] == 1


def test_a_linked_worktree_applies_the_rules_synced_in_the_main_one(gitlab, tmp_path):
    push_rule(gitlab.forge)
    assert pg(gitlab, 'sync', 'side')[0] == 0
    hooks(gitlab, 'commit-msg')
    other = tmp_path / 'other'
    gitlab.git('worktree', 'add', '-q', '-b', 'side', str(other))
    proc = subprocess.run(('git', 'commit', '-q', '--allow-empty', '-m', 'feat: no ticket'),
                          cwd=other, capture_output=True)
    said = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 1 and '[message-pattern]' in said, said


def test_write_keeps_the_stricter_value_and_leaves_conflicts_in_the_git_dir(github):
    from tests.forges.forge_github_test import ruleset
    ruleset(github.forge, 'main', ('max_file_size', {'max_file_size': 10}),
            ('max_file_path_length', {'max_file_path_length': 200}),
            ('commit_message_pattern', {'operator': 'regex', 'pattern': '^[A-Z]+-[0-9]+ '}))
    policy = github.work / '.pushguard.toml'
    policy.write_text(policy.read_text() + '\n[commit]\npattern = "^(feat|fix): "  # ours\n\n'
                      '[files]\nmax-size = "50MiB"\nmax-path-length = 100\n')
    code, said = pg(github, 'sync', '--write', '--format', 'json')
    assert code == 0, said
    report = json.loads(said)
    assert "[files] max-size = '10MiB'   # file-size, ruleset \"protect main\" (id 42)" in \
        report['written']
    assert any('[files] max-path-length already says it' in w for w in report['written'])
    assert any(w.startswith('not written: message-pattern') and 'kept (both apply)' in w
               for w in report['written'])
    text = policy.read_text()
    assert "max-size = '10MiB'" in text and 'max-path-length = 100' in text
    assert 'pattern = "^(feat|fix): "  # ours' in text
    stored = json.loads((github.work / '.git' / 'pushguard' / 'synced.json').read_text())
    assert [r['check'] for r in stored['refs']['refs/heads/main']] == ['message-pattern']
    hooks(github, 'commit-msg')
    assert commit(github, 'feat: x')[0] == 1          # the server's pattern, from the git dir
    assert commit(github, 'PROJ-1 x')[0] == 1         # the local one, from the file
    assert commit(github, 'PROJ-1 feat: x')[0] == 1   # both are searched: ^ is the start


def test_write_never_leaves_a_policy_the_hooks_would_refuse(gitlab):
    push_rule(gitlab.forge, commit_message_regex='(?<=x)lookbehind')  # not RE2
    before = (gitlab.work / '.pushguard.toml').read_text()
    code, said = pg(gitlab, 'sync', '--write')
    assert code == 2 and 'nothing written' in said and 'Traceback' not in said, said
    assert (gitlab.work / '.pushguard.toml').read_text() == before


_PRE_COMMIT = '''
import json, sys
from pushguard.cli import main
code = main(["hook", "pre-commit"])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
'''


def test_the_pre_commit_hook_applies_synced_rules_without_the_forge_client(github):
    from tests.forges.forge_github_test import ruleset
    ruleset(github.forge, 'main', ('file_path_restriction',
                                   {'restricted_file_paths': ['secrets/*']}))
    assert pg(github, 'sync')[0] == 0
    (github.work / 'secrets').mkdir()
    (github.work / 'secrets' / 'a.txt').write_text('x')
    github.git('add', 'secrets/a.txt')
    out = subprocess.run((sys.executable, '-S', '-c', _PRE_COMMIT), cwd=github.work,
                         capture_output=True, check=True,
                         env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)}).stdout
    seen = json.loads(out.decode().splitlines()[-1])
    assert seen['code'] == 1 and 'pushguard.sync.apply' in seen['modules']
    # (detect-secrets, for the secrets check, brings its own http.client)
    assert sorted({'pushguard.forges._http', 'pushguard.forges._ask',
                   'pushguard.forges._credentials'} & set(seen['modules'])) == []
