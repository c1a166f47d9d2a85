"""`pushguard doctor [--format text|json]`: one line per part of the set-up, each with its fix.

Exit 1 when something would make commits or pushes fail (a `fail` item), else 0.
"""
from __future__ import annotations

import argparse
import sys

from pushguard import git
from pushguard.status import Status


def doctor(args: argparse.Namespace) -> int:
    from pushguard.doctor import FAIL, run_all
    from pushguard.report.doctor import render
    git.toplevel()  # outside a work tree: one line, exit 2
    items = run_all()
    render(items, args.format, sys.stdout)
    return Status.BLOCKED if any(item.status == FAIL for item in items) else Status.OK
