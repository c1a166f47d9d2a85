"""`pushguard hook commit-msg FILE`: check the message about to be committed."""
from __future__ import annotations

import argparse

from pushguard import git
from pushguard.hooks._message_file import read_clean
from pushguard.sources import MessageSource
from pushguard.verdict import check_and_report, load_config


def commit_msg(args: argparse.Namespace) -> int:
    message = read_clean(args.file)
    cfg = load_config(args, git.toplevel())
    return check_and_report(MessageSource(message, git.current_branch()), args, cfg, 'the message')
