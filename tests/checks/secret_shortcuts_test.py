"""The secrets check's shortcuts keep its verdict: a merge's combined diff cut down to the lines
it adds against every parent (`git._combined`), and each line handed to detect-secrets alone,
with only the plugins whose patterns match it (`_secret_reduce`, `_secret_lines.scan_hits`)."""
from __future__ import annotations

import re
import subprocess

import pytest

from pushguard.checks import _secret_words
from pushguard.git import log, patch
from testing import gitrepo
from secrets_test import AWS_KEY, OTHER_KEY, findings
from secret_reduce_test import FILLER, _scan


def _merged_history(repo) -> tuple[str, str, str]:
    """A branch and main that both change `shared.py`, merged with a conflict resolved by
    adding a key, and an octopus merge adding a file of its own: (base, first merge, octopus)."""
    base = gitrepo.commit(repo, 'chore: start', {'shared.py': 'a = 1\n', 'README': 'hi\n'})
    gitrepo.git('switch', '-q', '-c', 'feat')
    gitrepo.commit(repo, 'feat: branch', {'shared.py': 'a = 2\n', 'feat.py': f'k = "{AWS_KEY}"\n',
                                          **{f'f{n}.py': f'v = {n}\n' for n in range(20)}})
    gitrepo.git('switch', '-q', 'main')
    gitrepo.commit(repo, 'chore: main', {'shared.py': 'a = 3\n', 'main.py': 'x = 1\n'})
    subprocess.run(('git', 'merge', '-q', '--no-edit', 'feat'), capture_output=True)  # conflict
    gitrepo.write(repo, 'shared.py', f'a = 4\nkey = "{OTHER_KEY}"\n')
    gitrepo.git('add', 'shared.py')
    gitrepo.git('commit', '-q', '--no-edit', '--no-verify')
    first = gitrepo.head(repo)
    for name in ('one', 'two'):
        gitrepo.git('switch', '-q', '-c', name, first)
        gitrepo.commit(repo, f'feat: {name}', {f'{name}.py': f'{name} = 1\n'})
    gitrepo.git('switch', '-q', 'main')
    gitrepo.git('merge', '-q', '--no-commit', 'one', 'two')
    gitrepo.write(repo, 'octopus.py', f'k = "{AWS_KEY}"\n')
    gitrepo.git('add', 'octopus.py')
    gitrepo.git('commit', '-q', '--no-edit', '--no-verify')
    return base, first, gitrepo.head(repo)


def test_a_merge_is_cut_down_to_the_lines_every_parent_lacks(repo):
    base, first, octopus = _merged_history(repo)
    commits = log.commits_in([f'{base}..{octopus}'])
    cut = [(a.commit, a.path, a.lines) for a in patch.added_lines(commits)]
    own = {(sha, path) for sha, path, _ in cut if sha in (first, octopus)}
    assert own == {(first, 'shared.py'), (octopus, 'octopus.py')}
    said = sorted((f['commit'], f['path'], f['line']) for f in findings(f'{base}..main'))
    feat = gitrepo.head(repo, 'feat')
    assert said == sorted([(feat, 'feat.py', 1), (first, 'shared.py', 2),
                           (octopus, 'octopus.py', 1)])


@pytest.mark.parametrize('path', ('app/config.py', 'notes.md', 'cmd/main.go'))
def test_each_line_is_scanned_with_the_plugins_whose_patterns_match_it(tmp_path, path):
    lines = [f'aws = "{AWS_KEY}"', *FILLER[:2], 'password = "hunter2isnotagood"',
             'password = hunter2isnotagood', f'secret = "{OTHER_KEY}"',
             'ghp = "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"', *FILLER[:3],
             'secret = "x"  # pragma: allowlist secret', f'key = "{AWS_KEY}" # password = "abc"']
    full = _scan(tmp_path, path, lines, prefilter=False)
    assert len({hit_type for hit_type, _, _ in full}) >= 3
    assert _scan(tmp_path, path, lines, prefilter=True) == full


@pytest.mark.parametrize(('pattern', 'words'), (
    ('AKIA[0-9]{4}', {'AKIA'}),
    ('(?i)AKIA[0-9]{4}', {'akia'}),
    ('x(?i:AKIA)', {'akia'}),
    ('(?i)x(?-i:AKIA)', {'AKIA'}),
    ('(?:AB|cd)ef', {'AB', 'cd'}),  # the longest shortest word wins: 'ef' ties, comes later
))
def test_a_needle_s_words_keep_the_case_its_pattern_matches(pattern, words):
    found = _secret_words.words_of(re.compile(pattern))
    assert found == words
    text = 'x akia 1234'
    assert _secret_words.holds('akia', text, text.lower())
    assert not _secret_words.holds('AKIA', text, text.lower())
