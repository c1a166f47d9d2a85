"""The forge layer costs nothing where there is no forge: commit-time hooks never import it (see
tests/hooks/commit_msg_test.py), and a push to a local repository loads none of its client."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from testing import gitrepo

_SCRIPT = '''
import io, json, sys
sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[1].encode()))
from pushguard.cli import main
code = main(["hook", "pre-push", "origin", sys.argv[2]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
'''


def test_a_push_to_a_local_repository_imports_no_forge_client(tmp_path):
    work = gitrepo.pushed_work(tmp_path, '[remote]\nenabled = true\n')
    old = gitrepo.head(work)
    new = gitrepo.commit(work, 'feat: more')
    line = f'refs/heads/main {new} refs/heads/main {old}\n'
    out = subprocess.run((sys.executable, '-c', _SCRIPT, line, str(tmp_path / 'server.git')),
                         cwd=work, capture_output=True, check=True,
                         env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)}).stdout
    seen = json.loads(out.decode().splitlines()[-1])
    assert seen['code'] == 0
    assert 'pushguard.checks.protected_branch' in seen['modules']  # the remote checks ran
    # (detect-secrets, for the secrets check, brings its own urllib.request)
    assert not {'pushguard.forges._http', 'pushguard.forges._ask', 'pushguard.forges._credentials',
                'urllib.parse'} & set(seen['modules']) - _brought_by_secrets(seen['modules'])


def _brought_by_secrets(modules):
    return {'urllib.parse'} if 'detect_secrets' in modules else set()


def test_a_cache_hit_loads_neither_the_http_layer_nor_the_forge_module(github):
    """The second push of the same ref within cache-ttl: answered from the cache, no request,
    and neither `_http` nor `forges.github` imported (the forge part of a warm push stays cheap)."""
    github.policy('cache-ttl = 300\n', 'github')
    github.forge.reply('/repos/o/r/rules/branches/main', [])
    github.forge.reply('/repos/o/r/branches/main', {'name': 'main', 'protected': False})
    old = github.git('rev-parse', 'HEAD')
    new = github.commit('feat: more')
    line = f'refs/heads/main {new} refs/heads/main {old}\n'
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path), 'GITHUB_TOKEN': 'ghs_warm'}
    runs = [json.loads(subprocess.run(
        (sys.executable, '-c', _SCRIPT, line, github.forge.url), cwd=github.work,
        capture_output=True, check=True, env=env).stdout.decode().splitlines()[-1])
        for _ in range(2)]
    assert [r['code'] for r in runs] == [0, 0]
    assert {'pushguard.forges._http', 'pushguard.forges.github'} <= set(runs[0]['modules'])
    assert 'pushguard.forges._ask' in runs[1]['modules']
    assert not {'pushguard.forges._http', 'pushguard.forges.github'} & set(runs[1]['modules'])
