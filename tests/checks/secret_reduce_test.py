"""A file cut down to the lines detect-secrets' verdict reads (`_secret_reduce`) gets the same
findings as the whole file, at the same lines."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pushguard.checks import _secret_reduce
from pushguard.checks._secret_scan import find_secrets
from pushguard.model import AddedLines
from secrets_test import AWS_KEY, PREFILTER_CASES

FILLER = [f'value_{n} = compute({n})' for n in range(40)]
REFUSED = 'this line has no key at all'  # configparser refuses it: the eager ini parse fails


def _scan(tmp_path, path: str, lines: list[str], prefilter: bool) -> list[tuple[str, str, int]]:
    added = AddedLines('0' * 40, 'refs/heads/main', path, tuple(enumerate(lines, start=1)))
    baseline = str(tmp_path / '.secrets.baseline')
    return [(hit.type, hit.identity, hit.line)
            for _, hit in find_secrets([added], baseline, prefilter=prefilter)]


def _padded(text: str) -> list[str]:
    return [*FILLER, REFUSED, *text.split('\n'), *FILLER, '']


@pytest.mark.parametrize('first', (False, True), ids=('padded', 'first'))
@pytest.mark.parametrize(('path', 'text', 'flagged'), PREFILTER_CASES)
def test_a_cut_down_file_gets_the_whole_file_s_findings(tmp_path, path, text, flagged, first):
    # first: the case's lines open the file (a [section] there makes it an ini file)
    lines = [*text.split('\n'), *FILLER, ''] if first else _padded(text)
    full = _scan(tmp_path, path, lines, prefilter=False)
    assert _scan(tmp_path, path, lines, prefilter=True) == full


@pytest.mark.parametrize(('lines', 'cut'), (
    pytest.param(['import os', '    [1, 2]', *FILLER], True, id='indented-list-not-a-section'),
    pytest.param(['# a comment', '', '[db]', 'password = x', *FILLER], False, id='section'),
    pytest.param(['; c', '  [x] y', *FILLER], False, id='indented-section'),
))
def test_only_a_file_opening_with_a_section_is_read_whole(lines, cut):
    needles = _needles()
    keep = _secret_reduce.lines_to_scan(needles, 'a.py', '\n'.join([*lines, 'password = "x"']))
    assert (keep is not None) == cut


def _needles():
    from detect_secrets.settings import transient_settings

    from pushguard.checks import _secret_baseline, _secret_prefilter
    with transient_settings(_secret_baseline.default_plugins()):
        return _secret_prefilter.needles()


@pytest.mark.parametrize('path', ('app/config.py', 'notes.md', 'script'))
def test_pragmas_and_keys_near_the_edges_and_each_other(tmp_path, path):
    lines = [f'aws = "{AWS_KEY}"', '# pragma: allowlist nextline secret', f'a = "{AWS_KEY}"',
             *FILLER[:3], f'b = "{AWS_KEY}"  # pragma: allowlist secret', REFUSED,
             *FILLER, 'x = 1 # pragma: allowlist nextline secret', '', f'c = "{AWS_KEY}"',
             f'd = "{AWS_KEY}"']
    full = _scan(tmp_path, path, lines, prefilter=False)
    assert [line for _, _, line in full] == [1, 51, 52]
    assert _scan(tmp_path, path, lines, prefilter=True) == full


def test_the_verification_filter_widens_what_each_hit_reads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'a.py').write_text('x = 1\n')
    out = subprocess.run((sys.executable, '-m', 'detect_secrets', 'scan', 'a.py'),
                         capture_output=True, check=True).stdout
    baseline = json.loads(out)
    assert _secret_reduce.VERIFYING in {f['path'] for f in baseline['filters_used']}
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    from detect_secrets.settings import transient_settings
    with transient_settings(baseline):
        assert _secret_reduce.window() == (5, 5)
    with transient_settings({'plugins_used': [{'name': 'AWSKeyDetector'}]}):
        assert _secret_reduce.window() == (1, 0)


def _written(monkeypatch) -> list[str]:
    from pushguard.checks import _secret_scan
    names: list[str] = []
    write = _secret_scan._write

    def recording(slot, name, content):
        names.append(name)
        return write(slot, name, content)
    monkeypatch.setattr(_secret_scan, '_write', recording)
    return names


def test_a_cut_down_file_is_scanned_without_being_written(tmp_path, monkeypatch):
    written = _written(monkeypatch)
    lines = [*FILLER, f'aws = "{AWS_KEY}"', *FILLER]
    assert [line for _, _, line in _scan(tmp_path, 'app/config.py', lines, True)] == [41]
    assert written == []
    assert _scan(tmp_path, 'app/config.py', lines, False) == \
        _scan(tmp_path, 'app/config.py', lines, True)
    assert written == [os.path.join('app', 'config.py')]  # the full scan reads the file


def test_file_name_filters_still_apply_in_memory(tmp_path, monkeypatch):
    written = _written(monkeypatch)
    lines = [*FILLER, f'aws = "{AWS_KEY}"', *FILLER]
    assert _scan(tmp_path, 'docs/swagger.py', lines, True) == []  # is_swagger_file
    assert written == []
    assert _scan(tmp_path, 'docs/swagger.py', lines, False) == []
    assert len(_scan(tmp_path, 'docs/other.py', lines, True)) == 1


def test_a_custom_filter_gets_the_file_written(tmp_path, monkeypatch):
    """A filter of the baseline's own may read the file: it is there for it to read."""
    written = _written(monkeypatch)
    (tmp_path / 'keep.py').write_text(
        'import os\n\ndef should_exclude_file(filename):\n'
        '    return not os.path.isfile(filename)\n')
    baseline = {'version': '1.5.0', 'plugins_used': [{'name': 'AWSKeyDetector'}],
                'filters_used': [{'path': f'file://{tmp_path / "keep.py"}::should_exclude_file'}],
                'results': {}}
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    lines = [*FILLER, f'aws = "{AWS_KEY}"', *FILLER]
    assert [line for _, _, line in _scan(tmp_path, 'app/config.py', lines, True)] == [41]
    assert written == [os.path.join('app', 'config.py')]
