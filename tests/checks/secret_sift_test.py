"""The secrets check's early prefilter (the Sift on git's raw diff) and its cached plan: never a
file the full prefilter keeps is dropped, and a cached plan never outlives what it was made of."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pushguard.git import log, patch
from pushguard.checks import (
    _secret_baseline, _secret_plan, _secret_prefilter, _secret_scan, _secret_sift, secrets,
)
from testing import gitrepo
from testing.run import run_pushguard
from secrets_test import AWS_KEY, PREFILTER_CASES, make_baseline

SRC = os.path.join(os.path.dirname(__file__), '..', '..', 'src')


def findings(*revisions: str) -> list[tuple[str, str, int]]:
    result = run_pushguard('check', *revisions, '--only', 'secrets', '--format', 'json')
    assert result.code in (0, 1), result.err
    return sorted((f['path'], f['message'], f['line'] or 0)
                  for f in json.loads(result.out)['findings'])


def _plan(tmp_path) -> _secret_plan.Plan:
    return secrets._fresh_plan(str(tmp_path / 'no-baseline'))


def _may_hold_secrets(plan: _secret_plan.Plan, path: str, text: str) -> bool:
    from detect_secrets.settings import transient_settings

    content, _ = _secret_scan._render(tuple(enumerate(text.split('\n'), start=1)))
    with transient_settings(_secret_baseline.default_plugins()):
        needles = _secret_prefilter.needles()
        assert needles == plan.needles
        return _secret_prefilter.may_hold_secrets(needles, _secret_scan._relative(path), content)


@pytest.mark.parametrize(('path', 'text', 'flagged'), PREFILTER_CASES)
def test_the_sift_keeps_what_the_prefilter_keeps_and_decides_exactly(tmp_path, path, text,
                                                                     flagged):
    plan = _plan(tmp_path)
    assert plan.needles is not None
    sift = _secret_sift.Sift(plan)
    raw = text.encode()
    [kept] = sift([(path, raw)])
    may_hold = _may_hold_secrets(plan, path, text)
    assert kept or not may_hold
    assert kept or not flagged
    if not sift._undecidable(path, raw):  # the Sift decides alone: as the full prefilter
        assert kept == may_hold


def test_a_block_with_many_files_is_sifted_file_by_file(tmp_path):
    plan = _plan(tmp_path)
    assert plan.needles is not None
    sift = _secret_sift.Sift(plan)
    code = b'def f(x: int) -> int:\n    return x.real  \n'
    harmless = [(f'src/m{n}.py', code) for n in range(50)]
    files = [*harmless, ('src/ip.py', b'host = "203.0.113.42"'), *harmless,
             ('src/key.py', f'aws = "{AWS_KEY}"'.encode()), ('notes.md', b'# notes\nnothing'),
             ('meta.md', b'title: hello'), ('conf.yml', b'a: b')]
    kept = sift(files)
    # meta.md: the eager ini transformer may parse it; conf.yml: the YAML one does
    assert [path for (path, _), keep in zip(files, kept, strict=True) if keep] == [
        'src/ip.py', 'src/key.py', 'meta.md', 'conf.yml']


def test_a_needle_that_could_see_past_a_newline_is_searched_line_by_line():
    needle = _secret_prefilter.Needle(r'(?<!\s)x', 0, frozenset({'x'}))
    assert _secret_sift.wide((needle,)) == frozenset()
    assert _secret_sift.wide((needle._replace(source=r'(?<![\w.])x'),)) == frozenset({0})
    assert _secret_sift.wide((needle._replace(source=r'\Ax'),)) == frozenset()
    assert _secret_sift.wide((needle._replace(source=r'(?s:(?<!a.)x)'),)) == frozenset()
    assert _secret_sift.wide((needle._replace(source=r'(?<!a.)x'),)) == frozenset({0})


def test_every_prefilter_case_is_found_alike_with_and_without_a_cached_plan(repo):
    files = {f'case{n}/{path}': f'{text}\n' for n, (path, text, _) in
             enumerate(case.values for case in PREFILTER_CASES)}
    sha = gitrepo.commit(repo, 'feat: every case', files)
    first = findings(sha)  # makes and stores the plan
    assert os.listdir(os.path.join(os.environ['HOME'], '.cache', 'pushguard'))
    assert findings(sha) == first  # from the cache
    flagged = {f'case{n}/{case.values[0]}' for n, case in enumerate(PREFILTER_CASES)
               if case.values[2]}
    assert {path for path, _, _ in first} == flagged


def test_a_cached_plan_leaves_detect_secrets_unimported_when_no_file_may_hold_a_secret(repo):
    sha = gitrepo.commit(repo, 'feat: code', {'app/main.py': 'def main() -> int:\n    return 0\n',
                                               'app/db.py': 'URL = "https://example.com/api"\n'})
    code = ('import sys; from pushguard.cli import main; '
            f'code = main(["check", "{sha}", "--only", "secrets"]); '
            'print(code, "detect_secrets" in sys.modules)')
    env = {**os.environ, 'PYTHONPATH': SRC}

    def run() -> list[str]:  # the exit code and whether detect-secrets was imported
        return subprocess.run((sys.executable, '-c', code), env=env, capture_output=True,
                              text=True, check=True).stdout.split()[-2:]

    assert run() == ['0', 'True']  # no plan yet: detect-secrets makes it
    assert run() == ['0', 'False']
    gitrepo.commit(repo, 'feat: key', {'app/db.py': f'k = "{AWS_KEY}"\n'})
    code = code.replace(sha, 'HEAD')
    assert run() == ['1', 'True']  # a file that may hold one: detect-secrets scans it


def test_a_changed_baseline_is_not_served_a_stale_plan(repo):
    gitrepo.write(repo, 'README', 'hi\n')
    make_baseline(repo, 'README', drop_plugin='AWSKeyDetector')
    sha = gitrepo.commit(repo, 'feat: key', {'app/config.py': f'k = "{AWS_KEY}"\n'})
    assert findings(sha) == []  # its plugins leave the AWS key out
    make_baseline(repo, 'README')  # every plugin again
    [(_, message, _)] = findings(sha)
    assert message == 'AWS Access Key in a line this commit adds'
    (repo / '.secrets.baseline').unlink()
    assert len(findings(sha)) == 1
    make_baseline(repo, 'README', drop_plugin='AWSKeyDetector')
    assert findings(sha) == []


def test_a_bad_baseline_is_never_cached(repo):
    sha = gitrepo.commit(repo, 'feat: code', {'config.py': 'x = 1\n'})
    assert run_pushguard('check', sha, '--only', 'secrets').code == 0
    (repo / '.secrets.baseline').write_text('{not json')
    for _ in range(2):
        result = run_pushguard('check', sha, '--only', 'secrets')
        assert result.code == 2 and 'not valid JSON' in result.err


def test_the_plan_key_follows_the_baseline_and_refuses_one_naming_files(tmp_path):
    baseline = tmp_path / '.secrets.baseline'
    without = _secret_plan.key(str(baseline))
    assert without is not None
    baseline.write_text('{"version": "1.5.0", "plugins_used": [], "results": {}}')
    empty = _secret_plan.key(str(baseline))
    assert empty not in (None, without)
    baseline.write_text('{"version": "1.5.0", "plugins_used": [{"name": "X", '
                        '"path": "file://plugins/x.py"}], "results": {}}')
    assert _secret_plan.key(str(baseline)) is None


def test_sifted_git_parses_only_the_file_diffs_kept(repo):
    gitrepo.commit(repo, 'chore: start', {'README': 'hi\n'})
    lines = ''.join(f'line {n}\n' for n in range(3000))  # several blocks of git's patch
    shas = [gitrepo.commit(repo, f'feat: {n}', {f'd{n}/keep.txt': lines, f'd{n}/drop.txt': 'x\n',
                                                f'd{n}/gone.txt': ''}) for n in range(12)]
    commits = log.commits_in([f'{shas[0]}~1..{shas[-1]}'])
    shown: list[tuple[str, bytes]] = []

    def keep(files):
        shown.extend(files)
        return [path.endswith('keep.txt') for path, _ in files]

    kept = list(patch.added_lines(commits).sifted(keep))
    assert [a.path for a in kept] == [f'd{n}/keep.txt' for n in range(12)]
    assert all(a.lines == tuple(enumerate(lines.splitlines(), start=1)) for a in kept)
    assert sorted(path for path, _ in shown) == sorted(
        f'd{n}/{name}' for n in range(12) for name in ('drop.txt', 'keep.txt'))
    assert dict(shown)['d3/keep.txt'] == lines.rstrip('\n').encode()
    assert list(patch.added_lines(commits).sifted(lambda files: [True] * len(files))) == list(
        patch.added_lines(commits))


def test_a_stream_already_read_cannot_be_sifted(repo):
    sha = gitrepo.commit(repo, 'feat: a', {'a.txt': 'a\n'})
    stream = patch.added_lines(log.commits_in([sha]))
    next(stream)
    with pytest.raises(ValueError):
        stream.sifted(lambda files: [True] * len(files))


def test_a_plan_is_made_anew_when_detect_secrets_changes(repo, monkeypatch):
    sha = gitrepo.commit(repo, 'feat: key', {'app/config.py': f'k = "{AWS_KEY}"\n'})
    baseline = str(repo / '.secrets.baseline')
    key = _secret_plan.key(baseline)
    assert key is not None
    blind = _secret_plan.Plan((), frozenset({'.py'}), frozenset(), frozenset())  # finds nothing
    _secret_plan.store(baseline, key, blind)
    assert findings(sha) == []  # the cached plan is the one used
    origin, version, stamp = _secret_plan._detect_secrets() or ('', b'', 0)
    monkeypatch.setattr(_secret_plan, '_detect_secrets',
                        lambda: (origin, version + b'# another release', stamp))
    assert len(findings(sha)) == 1  # another detect-secrets: not that plan


def test_each_baseline_keeps_its_own_plan(tmp_path):
    plans = {}
    for name in ('one', 'two'):
        baseline = str(tmp_path / name / '.secrets.baseline')
        key = _secret_plan.key(baseline)
        assert key is not None
        plans[baseline] = (key, _secret_plan.Plan((), frozenset({f'.{name}'}), frozenset(),
                                                  frozenset()))
        _secret_plan.store(baseline, *plans[baseline])
    for baseline, (key, plan) in plans.items():
        assert _secret_plan.load(baseline, key) == plan
