"""The shared tail of every checking command: policy -> engine -> report -> exit status."""
from __future__ import annotations

import os
import sys

from pushguard import config, engine
from pushguard._typing import TYPE_CHECKING
from pushguard.model import Context, Finding, Options
from pushguard.status import Status

if TYPE_CHECKING:
    import argparse

    from pushguard.engine import Source


def options(args: argparse.Namespace) -> Options:
    """The run's options from the command line: the one place that reads argparse's names."""
    return Options(
        format=getattr(args, 'format', 'text') or 'text',
        config=getattr(args, 'config', None) or None,
        only=tuple(getattr(args, 'only', None) or ()),
        skip=tuple(getattr(args, 'skip', None) or ()),
    )


def load_config(opts: Options, root: str | None = None) -> config.Config:
    """The policy: --config, else $PUSHGUARD_CONFIG, else what `config.load` finds at `root`."""
    return config.load(opts.config or os.environ.get('PUSHGUARD_CONFIG') or None, root)


def check_and_report(source: Source, opts: Options, cfg: config.Config,
                     checked: str = '', notes: tuple[str, ...] = ()) -> int:
    """Run the selected checks on `source`, print the report, return 0 or 1."""
    return report(*findings(source, opts, cfg), opts, checked, notes)


def findings(source: Source, opts: Options, cfg: config.Config
             ) -> tuple[Context, list[Finding]]:
    """The findings of the checks selected by `cfg` and --only/--skip on `source`."""
    selected = engine.select(cfg, source.place, opts.only, opts.skip)
    return engine.run(source, cfg, selected)


def report(ctx: Context, found: list[Finding], opts: Options, checked: str = '',
           notes: tuple[str, ...] = ()) -> int:
    """Print `found` in the --format asked for; 1 when any of them blocks, else 0."""
    from pushguard.report import Report, render  # on use: a quiet hook imports no renderer
    render(opts.format, Report(tuple(found), (*notes, *ctx.notes), checked), sys.stdout)
    return Status.BLOCKED if engine.blocks(found) else Status.OK
