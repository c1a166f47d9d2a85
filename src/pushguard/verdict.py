"""The shared tail of every checking command: policy -> engine -> report -> exit status."""
from __future__ import annotations

import os
import sys

from pushguard import config, engine
from pushguard._typing import TYPE_CHECKING
from pushguard.model import Context, Finding
from pushguard.report import Report, render
from pushguard.status import Status

if TYPE_CHECKING:
    import argparse

    from pushguard.engine import Source


def load_config(args: argparse.Namespace, root: str | None = None) -> config.Config:
    explicit = getattr(args, 'config', None) or os.environ.get('PUSHGUARD_CONFIG') or None
    return config.load(explicit, root)


def check_and_report(source: Source, args: argparse.Namespace, cfg: config.Config,
                     checked: str = '', notes: tuple[str, ...] = ()) -> int:
    """Run the selected checks on `source`, print the report, return 0 or 1."""
    return report(*findings(source, args, cfg), args, checked, notes)


def findings(source: Source, args: argparse.Namespace, cfg: config.Config
             ) -> tuple[Context, list[Finding]]:
    """The findings of the checks selected by `cfg` and --only/--skip on `source`."""
    selected = engine.select(cfg, source.place, args.only, args.skip)
    return engine.run(source, cfg, selected)


def report(ctx: Context, found: list[Finding], args: argparse.Namespace, checked: str = '',
           notes: tuple[str, ...] = ()) -> int:
    """Print `found` in the --format asked for; 1 when any of them blocks, else 0."""
    render(args.format, Report(tuple(found), (*notes, *ctx.notes), checked), sys.stdout)
    return Status.BLOCKED if engine.blocks(found) else Status.OK
