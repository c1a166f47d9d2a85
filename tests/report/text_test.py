from __future__ import annotations

import io

from pushguard.model import Finding, Severity
from pushguard.report import Report, text

ERROR = Finding('jira-ticket', Severity.ERROR, 'no Jira issue key', 'git commit --amend',
                ref='refs/heads/feat/x', commit='a' * 40, path=None, line=None)
WARNING = Finding('file-size', Severity.WARNING, 'big file', None, path='data/\udcffbig.bin',
                  line=3)


def _render(report, tty=False):
    stream = io.StringIO()
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    text.render(report, stream)
    return stream.getvalue()


def test_one_line_per_finding_with_its_fix_and_where():
    out = _render(Report((ERROR, WARNING), checked='2 commits'))
    assert out.splitlines() == [
        'error [jira-ticket] no Jira issue key (feat/x, aaaaaaaaaaaa)',
        '  fix: git commit --amend',
        'warning [file-size] big file (data/\ufffdbig.bin:3)',
        'pushguard: 1 error, 1 warning in 2 commits: blocked',
    ]


def test_nothing_found_prints_nothing():
    assert _render(Report(())) == ''


def test_notes_come_first():
    out = _render(Report((WARNING,), notes=('shallow clone',)))
    assert out.splitlines()[0] == 'pushguard: note: shallow clone'
    assert out.splitlines()[-1] == 'pushguard: 0 errors, 1 warning: passes with warnings'


def test_colour_only_on_a_terminal(monkeypatch):
    assert '\033[' not in _render(Report((ERROR,)), tty=False)
    assert '\033[1;31merror' in _render(Report((ERROR,)), tty=True)


def test_no_color_wins_over_a_terminal(monkeypatch):
    monkeypatch.setenv('NO_COLOR', '1')
    assert '\033[' not in _render(Report((ERROR,)), tty=True)


FORGED = Finding('forbidden-path', Severity.ERROR, 'forbidden path \x1b[2K\r',
                 "git rm --cached -- 'x\nerror [secrets] fake'",
                 ref='refs/heads/a\x1b]0;title\x07', commit='b' * 40,
                 path='x\nerror [secrets] all clear\u202e', line=None)


def test_repository_content_cannot_forge_a_line_or_an_escape():
    out = _render(Report((FORGED,), notes=('note\nerror [x] fake',), checked='1 commit on x\ny'))
    lines = out.splitlines()
    assert not [line for line in lines if line.startswith('error [') and 'forbidden' not in line]
    assert '\x1b' not in out and '\r' not in out and '\u202e' not in out
    assert lines == [
        'pushguard: note: note\\nerror [x] fake',
        'error [forbidden-path] forbidden path \\x1b[2K\\r (a\\x1b]0;title\\x07, bbbbbbbbbbbb, '
        'x\\nerror [secrets] all clear\\u202e)',
        "  fix: git rm --cached -- 'x",
        "       error [secrets] fake'",
        'pushguard: 1 error, 0 warnings in 1 commit on x\\ny: blocked',
    ]


def test_a_timed_run_says_a_pass_in_one_line():
    out = _render(Report((), checked='3 commits on 1 ref (main)', ran=('file-size', 'secrets'),
                         seconds=0.123))
    assert out == ('pushguard: 0 errors, 0 warnings in 3 commits on 1 ref (main) '
                   'by file-size, secrets in 0.12 s: passes\n')
