"""`pushguard hook prepare-commit-msg FILE [SOURCE [SHA]]`: the branch's Jira key into a message
that is already written.

Only a message given with `git commit -m MSG` / `-F FILE` (SOURCE "message") gets the key here,
exactly as the commit-msg hook would put it (`_branch_key`), so a setup that runs only this hook
still gets it, and `-e` shows it in the editor. Every other flow is left to commit-msg, which
sees the message the user actually wrote: a key written into the editor's empty template or a
commit template would turn git's ways to abort (an empty message, an untouched template) into a
commit, end up before a Conventional Commits type, or be lost when the user replaces the first
line. It exits 0 (2 for a bad config, like every hook).
"""
from __future__ import annotations

import os

from pushguard import git
from pushguard._typing import TYPE_CHECKING
from pushguard.hooks._branch_key import with_branch_key
from pushguard.hooks._message_file import read, write
from pushguard.status import Status
from pushguard.verdict import load_config, options

if TYPE_CHECKING:
    import argparse


def _source(args: argparse.Namespace) -> str:
    """git's SOURCE argument; under pre-commit, which passes only FILE, its environment variable."""
    return str(args.source or os.environ.get('PRE_COMMIT_COMMIT_MSG_SOURCE', ''))


def prepare_commit_msg(args: argparse.Namespace) -> int:
    if _source(args) != 'message':
        return Status.OK  # the user writes the message now: commit-msg adds the key to it
    opts = options(args)
    cfg = load_config(opts, git.toplevel())
    message = read(args.file)
    text = with_branch_key(message, cfg, args)
    if text is not None:
        write(args.file, text.encode(message.charset))
    return Status.OK
