"""The shared tail of every checking command: policy -> engine -> report -> exit status."""
from __future__ import annotations

import argparse
import os
import sys

from pushguard import config, engine
from pushguard.engine import Source
from pushguard.report import Report, render
from pushguard.status import Status


def load_config(args: argparse.Namespace, root: str | None = None) -> config.Config:
    explicit = getattr(args, 'config', None) or os.environ.get('PUSHGUARD_CONFIG') or None
    return config.load(explicit, root)


def check_and_report(source: Source, args: argparse.Namespace, cfg: config.Config,
                     checked: str = '', notes: tuple[str, ...] = ()) -> int:
    """Run the selected checks on `source`, print the report, return 0 or 1."""
    selected = engine.select(cfg, source.place, args.only, args.skip)
    ctx, findings = engine.run(source, cfg, selected)
    report = Report(tuple(findings), (*notes, *ctx.notes), checked)
    render(args.format, report, sys.stdout)
    return Status.BLOCKED if engine.blocks(findings) else Status.OK
