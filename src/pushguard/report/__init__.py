"""Output formats: name -> module with `render(report, stream)`; imported on use."""
from __future__ import annotations

import sys

from pushguard._typing import TYPE_CHECKING, NamedTuple
from pushguard.model import Finding

if TYPE_CHECKING:
    from typing import Protocol, TextIO

FORMATS = {
    'text': 'pushguard.report.text',
    'json': 'pushguard.report.json',
    'sarif': 'pushguard.report.sarif',
    'junit': 'pushguard.report.junit',
    'github': 'pushguard.report.github',
    'gitlab': 'pushguard.report.gitlab',
}


class Report(NamedTuple):
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    checked: str = ''  # what was checked, for the summary line: "3 commits", "the message"


if TYPE_CHECKING:
    class Renderer(Protocol):
        def render(self, report: Report, stream: TextIO) -> None: ...


def render(fmt: str, report: Report, stream: TextIO) -> None:
    """Write `report` in format `fmt`. A reader that stops early (`| head`) ends the output, not
    the run: the verdict, and so the exit status, stays the caller's."""
    __import__(FORMATS[fmt])  # not importlib: it imports warnings, at every start
    module: Renderer = sys.modules[FORMATS[fmt]]
    try:
        module.render(report, stream)
        stream.flush()
    except BrokenPipeError:
        silence(stream)


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


def display(text: str) -> str:
    """A path or message fit to print: undecodable bytes (kept as surrogates) become U+FFFD."""
    return text.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')


def count(n: int, word: str) -> str:
    """`1 error`, `2 errors`: for summary lines."""
    return f'{n} {word}' if n == 1 else f'{n} {word}s'
