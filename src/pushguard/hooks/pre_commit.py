"""`pushguard hook pre-commit [FILENAME...]`: check what the index is about to commit.

Reads the index, never the working tree: a secret only in an unstaged edit is not committed, and
one staged then edited away in the working tree still is. Filenames (the pre-commit framework
passes them) are accepted and ignored, since the index says what is committed.

No git process resolves HEAD or the branch first: the index is diffed against `HEAD` as git
reads it (`StagedSource.changes`), and no pre-commit check words a finding with the branch. The
paths' diff starts before the policy is read (`StagedSource.start`): git and Python work at once.
"""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING
from pushguard.sources import StagedSource

if TYPE_CHECKING:
    import argparse


def pre_commit(args: argparse.Namespace) -> int:
    source = StagedSource(None)
    source.start()  # git reads the index while the policy, the engine and the checks load
    try:
        from pushguard import git
        from pushguard.hooks._quiet import report
        from pushguard.verdict import findings, load_config, options
        opts = options(args)
        cfg = load_config(opts, git.toplevel())
        ctx, found = findings(source, opts, cfg)
    finally:
        source.stop()
    return report(ctx, found, opts, 'the staged files')
