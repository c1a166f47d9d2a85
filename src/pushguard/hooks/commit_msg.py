"""`pushguard hook commit-msg FILE`: check the message about to be committed."""
from __future__ import annotations

from pushguard import git
from pushguard._typing import TYPE_CHECKING
from pushguard.hooks._message_file import read_clean
from pushguard.sources import MessageSource
from pushguard.verdict import findings, load_config, report

if TYPE_CHECKING:
    import argparse


def commit_msg(args: argparse.Namespace) -> int:
    message = read_clean(args.file)
    cfg = load_config(args, git.toplevel())
    ctx, found = findings(MessageSource(message, None), args, cfg)
    if found:
        # the branch only words findings (their ref, the Jira key a fix suggests): a message
        # that passes does not pay for the git process that reads it
        ctx, found = findings(MessageSource(message, git.current_branch()), args, cfg)
    return report(ctx, found, args, 'the message')
