from __future__ import annotations

import json
import subprocess
import sys

import pytest

from testing import gitrepo
from testing.run import run_pushguard

AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'
OTHER_KEY = 'AKIAXYZDQCEN4B6JSJQI'
ZERO_SHA = '0' * 40


def check(*revisions: str, fmt: str = 'text', only: str = 'secrets'):
    """`pushguard check REVISIONS --only secrets`."""
    return run_pushguard('check', *revisions, '--only', only, '--format', fmt)


def findings(*revisions: str) -> list[dict[str, object]]:
    result = check(*revisions, fmt='json')
    assert result.code in (0, 1), result.err
    return json.loads(result.out)['findings']


def make_baseline(repo, *files: str, drop_plugin: str | None = None) -> None:
    """`detect-secrets scan FILES > .secrets.baseline`, optionally without one plugin."""
    out = subprocess.run((sys.executable, '-m', 'detect_secrets', 'scan', *files), cwd=repo,
                         capture_output=True, check=True).stdout
    baseline = json.loads(out)
    if drop_plugin is not None:
        baseline['plugins_used'] = [p for p in baseline['plugins_used']
                                    if p['name'] != drop_plugin]
        baseline['results'] = {}
    (repo / '.secrets.baseline').write_text(json.dumps(baseline, indent=2))


def test_secret_added_then_removed_in_the_range_is_found_at_its_commit(repo):
    base = gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    adds = gitrepo.commit(repo, 'feat: config', {'app/config.py': f'a = 1\naws = "{AWS_KEY}"\n'})
    gitrepo.commit(repo, 'fix: oops', {'app/config.py': 'a = 1\n'})
    result = check(f'{base}..HEAD')
    assert result.code == 1
    assert '[secrets] AWS Access Key' in result.out
    assert f'{adds[:12]}, app/config.py:2' in result.out
    assert f'git rebase -i {adds[:12]}~1' in result.out
    assert 'rotate' in result.out
    [finding] = findings(f'{base}..HEAD')
    assert (finding['commit'], finding['path'], finding['line']) == (adds, 'app/config.py', 2)
    assert finding['severity'] == 'error'


def test_secret_only_in_a_removed_line_is_not_reported(repo):
    gitrepo.commit(repo, 'feat: config', {'config.py': f'a = 1\naws = "{AWS_KEY}"\n'})
    removes = gitrepo.commit(repo, 'fix: drop the key', {'config.py': 'a = 1\n'})
    result = check(f'{removes}~1..{removes}')
    assert result.code == 0
    assert result.out.startswith('pushguard: 0 errors, 0 warnings in 1 commit ')  # one line
    assert result.out.count('\n') == 1


def test_lines_the_commit_did_not_add_are_not_scanned(repo):
    gitrepo.commit(repo, 'feat: config', {'config.py': f'aws = "{AWS_KEY}"\nx = 1\n'})
    edits = gitrepo.commit(repo, 'fix: x', {'config.py': f'aws = "{AWS_KEY}"\nx = 2\n'})
    assert check(f'{edits}~1..{edits}').code == 0
    assert check(edits).code == 1  # the whole history does hold it


def test_root_commit_fix_rebases_from_the_root(repo):
    root = gitrepo.commit(repo, 'feat: config', {'config.py': f'aws = "{AWS_KEY}"\n'})
    result = check(root)
    assert result.code == 1
    assert 'git rebase -i --root' in result.out


def test_neither_the_secret_nor_its_hash_is_printed(repo):
    sha = gitrepo.commit(repo, 'feat: keys', {
        'config.py': f'aws = "{AWS_KEY}"\n',
        'settings.ini': '[db]\npassword = hunter2isnotagoodpassword\n',
    })
    baseline_of_them = subprocess.run(
        (sys.executable, '-m', 'detect_secrets', 'scan', 'config.py', 'settings.ini'), cwd=repo,
        capture_output=True, check=True).stdout
    hashes = [s['hashed_secret'] for found in json.loads(baseline_of_them)['results'].values()
              for s in found]
    assert len(hashes) >= 2
    for fmt in ('text', 'json'):
        result = check(sha, fmt=fmt)
        assert result.code == 1
        assert 'config.py' in result.out and 'settings.ini' in result.out
        for text in (AWS_KEY, 'hunter2isnotagoodpassword', *hashes):
            assert text not in result.out + result.err


@pytest.mark.parametrize('line', (
    pytest.param(f'aws = "{AWS_KEY}"  # pragma: allowlist secret', id='same-line'),
    pytest.param(f'# pragma: allowlist nextline secret\naws = "{AWS_KEY}"', id='next-line'),
))
def test_pragma_allowlist_secret_passes(repo, line):
    sha = gitrepo.commit(repo, 'feat: config', {'config.py': f'{line}\n'})
    assert check(sha).code == 0


def _edit_big_file(repo, count: int, edits: dict[int, str]) -> str:
    """Commit big.py of `count` lines, then a commit replacing lines (numbered from 1) by `edits`;
    return that commit's sha."""
    lines = [f'line{i} = {i}' for i in range(1, count + 1)]
    gitrepo.commit(repo, 'feat: big', {'big.py': '\n'.join(lines) + '\n'})
    for number, text in edits.items():
        lines[number - 1] = text
    return gitrepo.commit(repo, 'feat: edit', {'big.py': '\n'.join(lines) + '\n'})


def test_nextline_pragma_does_not_reach_a_line_the_commit_added_further_down(repo):
    sha = _edit_big_file(repo, 20, {3: '# pragma: allowlist nextline secret',
                                    15: f'aws = "{AWS_KEY}"'})
    [finding] = findings(f'{sha}~1..{sha}')
    assert finding['line'] == 15


def test_a_baseline_listing_the_secret_passes_and_others_still_fail(repo):
    gitrepo.write(repo, 'config.py', f'aws = "{AWS_KEY}"\n')
    make_baseline(repo, 'config.py')
    sha = gitrepo.commit(repo, 'feat: config', {'other.py': f'k = "{OTHER_KEY}"\n'})
    [finding] = findings(sha)
    assert finding['path'] == 'other.py'


def test_baseline_matches_the_secret_under_a_path_it_had_before(repo):
    gitrepo.write(repo, 'new/config.py', f'aws = "{AWS_KEY}"\n')
    make_baseline(repo, 'new/config.py')
    sha = gitrepo.commit(repo, 'feat: config', {'old/config.py': f'aws = "{AWS_KEY}"\n'})
    assert check(sha).code == 0


@pytest.mark.parametrize(('dropped', 'code'), (
    pytest.param('AWSKeyDetector', 0, id='plugin-left-out'),
    pytest.param('SlackDetector', 1, id='other-plugin-left-out'),
))
def test_baseline_plugin_list_decides_what_is_scanned(repo, dropped, code):
    gitrepo.write(repo, 'config.py', 'x = 1\n')
    make_baseline(repo, 'config.py', drop_plugin=dropped)
    sha = gitrepo.commit(repo, 'feat: config', {'config.py': f'k = "{AWS_KEY}"\n'})
    assert check(sha).code == code


def test_baseline_set_in_config_is_read_from_the_top_of_the_repository(repo):
    gitrepo.write(repo, 'config.py', f'aws = "{AWS_KEY}"\n')
    make_baseline(repo, 'config.py')
    (repo / '.secrets.baseline').rename(repo / 'audit.json')
    (repo / '.pushguard.toml').write_text('[secrets]\nbaseline = "audit.json"\n')
    sha = gitrepo.commit(repo, 'feat: config')
    (repo / 'sub').mkdir()
    assert run_pushguard('check', sha, '--only', 'secrets', cwd=repo / 'sub').code == 0


@pytest.mark.parametrize(('content', 'why'), (
    pytest.param('{not json', 'not valid JSON', id='not-json'),
    pytest.param('{"generated_at": "x"}', 'not a detect-secrets baseline', id='not-a-baseline'),
    pytest.param('[]', 'not a detect-secrets baseline', id='a-list'),
    pytest.param('{"version": "1.5.0", "plugins_used": [{"name": "NoSuchDetector"}], '
                 '"results": {}}', "unknown plugin 'NoSuchDetector'", id='unknown-plugin'),
    pytest.param('{"version": "1.5.0", "results": {"a.py": [{"type": "x"}]}}',
                 "missing key 'hashed_secret'", id='bad-result'),
))
def test_bad_baseline_is_a_config_error_naming_the_file(repo, content, why):
    (repo / '.secrets.baseline').write_text(content)
    sha = gitrepo.commit(repo, 'feat: config', {'config.py': 'x = 1\n'})
    result = check(sha)
    assert result.code == 2
    assert '.secrets.baseline' in result.err and why in result.err
    assert 'Traceback' not in result.err
    assert result.err.startswith('pushguard: error:')


def test_merge_repeating_its_branch_lines_reports_the_secret_once(repo):
    base = gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    gitrepo.git('switch', '-q', '-c', 'feat')
    adds = gitrepo.commit(repo, 'feat: key', {'config.py': f'aws = "{AWS_KEY}"\n'})
    gitrepo.git('switch', '-q', 'main')
    gitrepo.commit(repo, 'chore: other', {'other.txt': 'x\n'})
    gitrepo.git('merge', '-q', '--no-ff', '--no-edit', 'feat')
    [finding] = findings(f'{base}..main')
    assert (finding['commit'], finding['path'], finding['line']) == (adds, 'config.py', 1)


def test_same_secret_in_two_files_is_reported_for_each(repo):
    sha = gitrepo.commit(repo, 'feat: keys', {'a.py': f'k = "{AWS_KEY}"\n',
                                               'b.py': f'k = "{AWS_KEY}"\n'})
    assert sorted(f['path'] for f in findings(sha)) == ['a.py', 'b.py']


def test_line_numbers_are_the_file_lines_across_hunks(repo):
    sha = _edit_big_file(repo, 60, {3: 'line3 = "changed"', 40: f'line40 = "{AWS_KEY}"'})
    [finding] = findings(f'{sha}~1..{sha}')
    assert finding['line'] == 40


def test_carriage_returns_do_not_shift_line_numbers(repo):
    sha = gitrepo.commit(repo, 'feat: crlf', {
        'win.py': f'a = 1\r\nb = "x\ry"\r\nc = 3\r\naws = "{AWS_KEY}"\r\n'.encode(),
    })
    [finding] = findings(sha)
    assert finding['line'] == 4


def test_not_utf8_content_and_binary_files_do_not_crash(repo):
    sha = gitrepo.commit(repo, 'feat: odd files', {
        'latin1.py': 'name = "caf\xe9"\n'.encode('latin-1') + f'aws = "{AWS_KEY}"\n'.encode(),
        'blob.bin': b'\x00\x01\x02' + AWS_KEY.encode() + b'\x00\xff' * 100,
        'img.png': b'\x89PNG\r\n\x1a\n' + f'aws = "{AWS_KEY}"\n'.encode(),
    })
    result = check(sha, fmt='json')
    assert result.code == 1, result.err
    found = json.loads(result.out)['findings']
    assert [(f['path'], f['line']) for f in found] == [('latin1.py', 2)]


@pytest.mark.parametrize('name', (
    pytest.param('dir with space/conf ig.py', id='spaces'),
    pytest.param('caf\xe9/config.py', id='non-ascii'),
))
def test_odd_paths_are_named(repo, name):
    sha = gitrepo.commit(repo, 'feat: key', {name: f'aws = "{AWS_KEY}"\n'})
    [finding] = findings(sha)
    assert finding['path'] == name


def test_a_path_that_was_a_folder_in_an_earlier_commit(repo):
    first = gitrepo.commit(repo, 'feat: nested', {'a/b/c.py': f'k = "{AWS_KEY}"\n'})
    gitrepo.git('rm', '-q', '-r', 'a/b')
    second = gitrepo.commit(repo, 'feat: flat', {'a/b': f'k = "{OTHER_KEY}"\n'})
    assert [(f['commit'], f['path']) for f in findings(second)] == [
        (first, 'a/b/c.py'), (second, 'a/b'),
    ]


def test_file_name_reaches_detect_secrets_filters(repo):
    # detect-secrets skips lock files by name: the real name must be what it sees
    sha = gitrepo.commit(repo, 'feat: locks', {'web/package-lock.json': f'"k": "{AWS_KEY}"\n',
                                               'web/package.json': f'"k": "{AWS_KEY}"\n'})
    assert [f['path'] for f in findings(sha)] == ['web/package.json']


def test_no_temporary_folder_is_left_and_the_cwd_is_kept(repo, tmp_path, monkeypatch):
    scratch = tmp_path / 'scratch'
    scratch.mkdir()
    monkeypatch.setenv('TMPDIR', str(scratch))
    import tempfile
    monkeypatch.setattr(tempfile, 'tempdir', None)
    sha = gitrepo.commit(repo, 'feat: key', {'a/b/c.py': f'k = "{AWS_KEY}"\n'})
    assert check(sha).code == 1
    assert list(scratch.iterdir()) == []


def test_importing_the_check_does_not_import_detect_secrets():
    code = ('import sys, pushguard.checks.secrets, pushguard.cli; '
            'sys.exit("detect_secrets" in sys.modules)')
    assert subprocess.run((sys.executable, '-c', code)).returncode == 0


PINNED_REVS = (
    'repos:\n'
    '-   repo: https://github.com/pre-commit/pre-commit-hooks\n'
    '    rev: 2c9f875913ee60ca25ce70243dc24d5b6415598c\n'
    'integrity: sha512-Q2ZsY0aXZpQ2h3b0dGVzdGluZ0Jhc2U2NEVudHJvcHlTdHJpbmdzT2thWQ==\n'
)


def test_commit_hashes_and_checksums_pass_without_a_baseline(repo):
    gitrepo.commit(repo, 'chore: pin hooks', {'.pre-commit-config.yaml': PINNED_REVS})
    assert findings('HEAD') == []


def test_a_baseline_can_turn_the_entropy_plugins_back_on(repo):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    make_baseline(repo, 'README')
    gitrepo.commit(repo, 'chore: pin hooks', {'.pre-commit-config.yaml': PINNED_REVS})
    assert 'Hex High Entropy String' in {f['message'].split(' in ')[0]
                                          for f in findings('HEAD~1..HEAD')}


def test_a_file_too_big_to_diff_is_named_as_not_scanned(repo):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    big = gitrepo.commit(repo, 'feat: data', {'data/dump.sql': f'k = "{AWS_KEY}"\n' * 100_000})
    [finding] = findings('HEAD~1..HEAD')
    assert (finding['severity'], finding['commit'], finding['path']) == (
        'warning', big, 'data/dump.sql')
    assert 'not scanned for secrets' in finding['message']
    assert check('HEAD~1..HEAD').code == 0


# --- the prefilter: a file whose lines no active plugin's pattern matches is not scanned -------

HEX64 = '0123456789abcdef' * 4
PREFILTER_CASES = (
    # one example secret per default plugin
    pytest.param('app/config.py', f'aws = "{AWS_KEY}"', True, id='aws-key'),
    pytest.param('app/config.py', 'aws_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX"',
                 True, id='aws-secret'),
    pytest.param('deploy.sh', 'TOKEN=AKCp5bueTFpfypEqQbGJPp7eHFi9wdgcpLvd', True,
                 id='artifactory'),
    pytest.param('conn.txt', 'Protocol=https;AccountKey=' + 'a' * 86 + '==;', True, id='azure'),
    pytest.param('app/db.py', 'url = "https://admin:hunter2pass@db.example.com/app"', True,
                 id='basic-auth'),
    pytest.param('app/couch.py', f'cloudant_password = "{HEX64}"', True, id='cloudant'),
    pytest.param('notes.md', 'https://user:qwhzkrtmvbnpxcyufjdleago@acct.cloudant.com', True,
                 id='cloudant-url'),
    pytest.param('bot.js', 't = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs";',
                 True, id='discord'),
    pytest.param('ci.yml', 'token: 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', True, id='github'),
    pytest.param('ci.env', 'GL=glpat-abcdefghij0123456789', True, id='gitlab'),
    pytest.param('app/ibm.py',
                 'ibm_cloud_iam_api_key = "abcdefghijABCDEFGHIJ0123456789abcdefghijABCD"', True,
                 id='ibm-cloud-iam'),
    pytest.param('app/cos.py', 'ibm_cos_hmac_secret_access_key = "' + 'a1b2c3d4' * 6 + '"', True,
                 id='ibm-cos-hmac'),
    pytest.param('hosts.txt', 'server = "203.0.113.42"', False, id='public-ip'),
    pytest.param('auth.txt', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.'
                 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', True, id='jwt'),
    pytest.param('mail.txt', 'key 343ea45721923ed956e2b38c31db76aa-us30', True, id='mailchimp'),
    pytest.param('.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnop', True, id='npm'),
    pytest.param('ai.txt', 'sk-' + 'A' * 20 + 'T3BlbkFJ' + 'b' * 20, True, id='openai'),
    pytest.param('id.txt', '-----BEGIN RSA PRIVATE KEY-----', True, id='private-key'),
    pytest.param('pypirc.txt', 'pypi-AgEIcHlwaS5vcmc' + 'x' * 70, True, id='pypi'),
    pytest.param('sg.txt', 'SG.' + 'a' * 22 + '.' + 'b' * 43, True, id='sendgrid'),
    pytest.param('slack.txt', 'xoxb-123456789012-abcdefghij', True, id='slack-token'),
    pytest.param('slack.txt', 'https://hooks.slack.com/services/TABC123/BDEF456/ghij789', True,
                 id='slack-webhook'),
    pytest.param('app/sl.py', 'softlayer_api_key = "' + 'a1' * 32 + '"', True, id='softlayer'),
    pytest.param('sq.txt', 'sq0csp-' + 'a' * 43, True, id='square'),
    pytest.param('pay.txt', 'sk_live_' + 'a1B2' * 6, True, id='stripe'),
    pytest.param('tg.txt', '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ', True, id='telegram'),
    pytest.param('tw.txt', 'AC' + 'a1' * 16, True, id='twilio'),
    # a pattern that ignores case finds capitals too; one that does not, only its own case
    pytest.param('slack.txt', 'XOXB-123456789012-ABCDEFGHIJ', True, id='slack-upper'),
    pytest.param('app/ibm.py',
                 'IBM_CLOUD_IAM_API_KEY = "abcdefghijABCDEFGHIJ0123456789abcdefghijABCD"', True,
                 id='ibm-cloud-iam-upper'),
    pytest.param('tw.txt', 'ac' + 'a1' * 16, False, id='twilio-lower'),
    # keyword assignments, by the file types the keyword plugin tells apart
    pytest.param('app/settings.py', 'password = "hunter2isnotagood"', True, id='keyword-py'),
    pytest.param('app/settings.py', 'PASSWORD = "hunter2isnotagood"', True, id='keyword-upper'),
    pytest.param('app/settings.py', 'api_\u212aey = "hunter2isnotagood"', True,
                 id='keyword-kelvin-sign'),
    pytest.param('conf/app.yaml', 'db:\n  password: hunter2isnotagood', True, id='keyword-yaml'),
    pytest.param('web/app.js', 'const secret = "hunter2isnotagood";', True, id='keyword-js'),
    pytest.param('cmd/main.go', 'apiKey := "hunter2isnotagood"', True, id='keyword-go'),
    pytest.param('src/main.c', 'char password[] = "hunter2isnotagood";', True, id='keyword-c'),
    pytest.param('setup.cfg', '[db]\npassword = hunter2isnotagood', True, id='keyword-ini'),
    pytest.param('app.env', 'DB_PASSWORD=hunter2isnotagood', True, id='keyword-env'),
    # what detect-secrets' YAML and ini transformers make of a file, not its raw text, is scanned
    pytest.param('conf/app.yaml', 'aws: "\\x41KIAIOSFODNN7EXAMPLE"', True, id='yaml-escape'),
    pytest.param('conf/app.yaml', 'aws: "AKIAIOSF\\\n  ODNN7EXAMPLE"', True, id='yaml-continued'),
    pytest.param('setup.cfg', '[keys]\na = AKIAIOSF\nb = %(a)sODNN7EXAMPLE', False,
                 id='ini-interpolated'),
    pytest.param('app.env', 'A=AKIAIOSF\nB=%(A)sODNN7EXAMPLE', False, id='env-interpolated'),
    pytest.param('app/config.py', f'name = "caf\xe9"\naws = "{AWS_KEY}"', True, id='not-ascii'),
    # pragmas and near misses
    pytest.param('app/config.py', f'aws = "{AWS_KEY}"  # pragma: allowlist secret', False,
                 id='pragma-same-line'),
    pytest.param('app/config.py', f'# pragma: allowlist nextline secret\naws = "{AWS_KEY}"',
                 False, id='pragma-next-line'),
    pytest.param('app/config.py', f'aws = "{AWS_KEY[:-1]}"', False, id='short-aws-key'),
    pytest.param('hosts.txt', 'db 10.0.0.1', False, id='private-ip'),
    pytest.param('app/settings.py', 'password = get_password()', False, id='keyword-call'),
    pytest.param('app/settings.py', 'password = hunter2isnotagood', False, id='keyword-unquoted'),
    pytest.param('app/mod.py', 'def handle(items: list[int]) -> int:\n    return sum(items)',
                 False, id='plain-code'),
    pytest.param('.pre-commit-config.yaml', PINNED_REVS, False, id='commit-hash'),
    # the keyword plugin's own patterns, by file type: the exact prefilter keeps a line only
    # when the pattern of the file's type matches it (the same text passes or not by file type)
    pytest.param('cmd/main.go', 'password = hunter2isnotagood', True, id='keyword-go-unquoted'),
    pytest.param('web/app.js', 'password = hunter2isnotagood', False, id='keyword-js-unquoted'),
    pytest.param('notes.txt', 'password: "hunter2isnotagood"', True, id='keyword-txt-colon'),
    pytest.param('conf/app.properties', 'db.password: hunter2isnotagood', True,
                 id='keyword-properties'),
    pytest.param('src/main.cpp', 'password("hunter2isnotagood");', True, id='keyword-cpp'),
    pytest.param('src/main.cpp', 'password = hunter2isnotagood;', False, id='keyword-cpp-bare'),
    pytest.param('src/App.m', 'NSString *password = @"hunter2isnotagood";', True,
                 id='keyword-objc'),
    pytest.param('src/Auth.cs', 'string apiKey = @"hunter2isnotagood";', True,
                 id='keyword-csharp'),
    pytest.param('app/check.py', 'if "hunter2isnotagood" == my_password:', True,
                 id='keyword-comparison'),
    pytest.param('app/check.py', 'if "hunter2isnotagood" == MY_PASSWORD:', False,
                 id='keyword-comparison-upper'),
    pytest.param('web/app.js', 'secret => "hunter2isnotagood"', True,
                 id='keyword-arrow'),
    pytest.param('main.tf', 'client_secret = "hunter2isnotagood"', True, id='keyword-tf'),
    pytest.param('app/settings.py', 'mypassword_main = "hunter2isnotagood"\n'
                 'other = "secret"\n' f'aws = "{AWS_KEY}"  # secret = "x"', True,
                 id='keyword-and-aws-lines'),
)


def _scan_in_process(tmp_path, path: str, text: str, prefilter: bool
                     ) -> list[tuple[str, str, int]]:
    from pushguard.checks._secret_scan import find_secrets
    from pushguard.model import AddedLines

    added = AddedLines(ZERO_SHA, 'refs/heads/main', path,
                       tuple(enumerate(text.split('\n'), start=1)))
    baseline = str(tmp_path / '.secrets.baseline')
    return [(hit.type, hit.hashed, hit.line)
            for _, hit in find_secrets([added], baseline, prefilter=prefilter)]


@pytest.mark.parametrize(('path', 'text', 'flagged'), PREFILTER_CASES)
def test_prefilter_finds_what_the_full_scan_finds(tmp_path, path, text, flagged):
    full = _scan_in_process(tmp_path, path, text, prefilter=False)
    assert bool(full) == flagged
    assert _scan_in_process(tmp_path, path, text, prefilter=True) == full


def test_a_baseline_with_an_entropy_plugin_scans_every_file(repo):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    make_baseline(repo, 'README')
    baseline = json.loads((repo / '.secrets.baseline').read_text())
    baseline['plugins_used'] = [{'name': 'HexHighEntropyString', 'limit': 3.0}]
    (repo / '.secrets.baseline').write_text(json.dumps(baseline))
    pin = 'rev = "2c9f875913ee60ca25ce70243dc24d5b6415598c"\n'
    sha = gitrepo.commit(repo, 'chore: pin', {'pin.py': pin})
    [finding] = findings(f'{sha}~1..{sha}')
    assert (finding['path'], finding['line']) == ('pin.py', 1)
    assert finding['message'].startswith('Hex High Entropy String')


def test_the_configured_baseline_is_never_scanned_as_content(repo):
    """A pushed baseline is the audit's record: even where no baseline is read yet (here the
    work tree has none), the hashes it lists are not secrets."""
    (repo / 'settings.ini').write_text(f'[aws]\naws_access_key_id = {AWS_KEY}\n')
    make_baseline(repo, 'settings.ini')
    (repo / 'settings.ini').unlink()
    (repo / 'audit').mkdir()
    (repo / '.secrets.baseline').rename(repo / 'audit' / 'secrets.json')
    (repo / '.pushguard.toml').write_text('[secrets]\nbaseline = "./audit/secrets.json"\n')
    gitrepo.commit(repo, 'chore: add the secrets baseline')
    (repo / 'audit' / 'secrets.json').unlink()
    assert findings('HEAD') == []
    (repo / '.pushguard.toml').write_text('')  # another path: the file is content again
    assert [f['path'] for f in findings('HEAD')] == ['audit/secrets.json']
