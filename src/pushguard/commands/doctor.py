"""`pushguard doctor [--format text|json]`: one line per part of the set-up, each with its fix.

Exit 1 when something would make commits or pushes fail (a `fail` item), else 0.
"""
from __future__ import annotations

import argparse
import sys

from pushguard import git
from pushguard._typing import TYPE_CHECKING
from pushguard.status import Status

if TYPE_CHECKING:
    from pushguard.doctor import Item


def doctor(args: argparse.Namespace) -> int:
    from pushguard.doctor import FAIL
    from pushguard.report.doctor import render
    git.toplevel()  # outside a work tree: one line, exit 2
    items = run_all()
    render(items, args.format, sys.stdout)
    return Status.BLOCKED if any(item.status == FAIL for item in items) else Status.OK


def run_all() -> list[Item]:
    """Every probe, in the order a user would fix things."""
    from pushguard.config import Config
    from pushguard.doctor import forge, hooks, remote, signing
    items: list[Item] = []
    items.extend(hooks.probe())
    cfg, policy_items = hooks.policy()
    items.extend(policy_items)
    items.extend(remote.probe())
    items.extend(forge.probe(cfg or Config(), remote.push_url()))
    items.extend(signing.probe(cfg))
    items.extend(remote.shallow())
    return items
