"""What the renderers share: where a finding is, the tally and the verdict line (repository
text is made safe to print by pushguard.text). One place, so that every format words these alike."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.model import Finding, Severity
from pushguard.text import count, safe, safe_lines

if TYPE_CHECKING:
    from typing import TextIO

    from pushguard.report import Report


def dump_json(data: object, stream: TextIO) -> None:
    """JSON as every machine format writes it: text as is (not `\\u` escapes), indented, and a
    newline at the end."""
    import json
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write('\n')


def hanging(lines: Sequence[str], indent: int) -> str:
    """A fix of several lines as one text: each line after the first `indent` spaces in, under
    the first line's start."""
    return ('\n' + ' ' * indent).join(lines)


def where(finding: Finding, *, short: bool = True, path: bool = True) -> list[str]:
    """Where a finding is, safe to print: ref, commit and `path:line`, in that order. `short`:
    a branch without `refs/heads/`, a commit as 12 digits (for people; CI formats keep both
    whole). `path=False` leaves the path out, for formats that place it themselves."""
    parts = []
    if finding.ref:
        parts.append(safe(finding.ref.removeprefix('refs/heads/') if short else finding.ref))
    if finding.commit:
        parts.append(finding.commit[:12] if short else finding.commit)
    if path and finding.path is not None:
        shown = safe(finding.path)
        parts.append(f'{shown}:{finding.line}' if finding.line else shown)
    return parts


def described(finding: Finding, fix_label: str) -> str:
    """A CI annotation's text: the message, where it is (whole ref and commit; the format places
    the path), then `fix_label` and the fix, its lines joined by line breaks; all `safe`."""
    text = safe(finding.message)
    parts = where(finding, short=False, path=False)
    if parts:
        text += f' ({", ".join(parts)})'
    if finding.fix:
        text += fix_label + '\n'.join(safe_lines(finding.fix))
    return text


def tally(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for finding in findings:
        if finding.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def verdict_line(report: Report) -> str:
    """`pushguard: 1 error, 0 warnings in 3 commits on main: blocked`, the last line of the
    text and github formats; with the checks that ran and how long they took when known."""
    errors, warnings = tally(report.findings)
    what = f' in {safe(report.checked)}' if report.checked else ''
    if report.seconds is not None:
        ran = ', '.join(report.ran) or 'no check'
        what += f' by {ran} in {report.seconds:.2f} s'
    verdict = 'blocked' if errors else 'passes with warnings' if warnings else 'passes'
    return f'pushguard: {count(errors, "error")}, {count(warnings, "warning")}{what}: {verdict}'


def silence(stream: TextIO) -> None:
    """After a broken pipe: point `stream`'s descriptor at /dev/null, so that the flush at exit
    neither fails again nor prints a traceback (the recipe of Python's `signal` docs)."""
    import os
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # not a file (a StringIO in tests): nothing will flush it
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def fingerprint(finding: Finding) -> str:
    """A SHA-256 of check, path, line and message (and the commit, for a finding without a path):
    the same finding keeps it from one run to the next, so code scanning alerts and Code Quality
    issues do not churn."""
    parts = [finding.check, finding.path or '', str(finding.line or ''), finding.message]
    if finding.path is None:
        parts.append(finding.commit or '')
    data = '\0'.join(parts).encode('utf-8', 'surrogateescape')
    return hashlib.sha256(data).hexdigest()
