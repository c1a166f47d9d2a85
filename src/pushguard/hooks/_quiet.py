"""The end of a commit-time hook: the verdict, printed only when there is something to say.

A hook is quiet on success, so the text report of a clean run is empty; writing it would still
import the renderers (and hashlib, for SARIF fingerprints, through their shared helpers), a
tenth of the hook's own time. Any other format, a note or a finding goes through `verdict.report`.
"""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING
from pushguard.status import Status

if TYPE_CHECKING:
    from pushguard.model import Context, Finding, Options


def report(ctx: Context, found: list[Finding], opts: Options, checked: str) -> int:
    """`verdict.report`, without importing a renderer when it would print nothing."""
    if not found and not ctx.notes and opts.format == 'text':
        return Status.OK
    from pushguard.verdict import report as printed
    return printed(ctx, found, opts, checked)
