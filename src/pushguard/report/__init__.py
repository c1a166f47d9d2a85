"""Output formats: name -> module with `render(report, stream)`; imported on use."""
from __future__ import annotations

from pushguard import registry
from pushguard._typing import TYPE_CHECKING, NamedTuple
from pushguard.model import Finding
from pushguard.text import count, display

if TYPE_CHECKING:
    from typing import Protocol, TextIO

FORMATS = registry.FORMATS
__all__ = ['FORMATS', 'Report', 'count', 'display', 'render']


class Report(NamedTuple):
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    checked: str = ''  # what was checked, for the summary line: "3 commits", "the message"
    ran: tuple[str, ...] = ()  # the ids of the checks that ran
    # how long the run took; set by `check`, whose text output then says a pass in one line
    # (hooks leave it None: quiet on success)
    seconds: float | None = None


if TYPE_CHECKING:
    class Renderer(Protocol):
        def render(self, report: Report, stream: TextIO) -> None: ...


def render(fmt: str, report: Report, stream: TextIO) -> None:
    module: Renderer = registry.target(FORMATS[fmt])  # type: ignore[assignment]
    module.render(report, stream)
