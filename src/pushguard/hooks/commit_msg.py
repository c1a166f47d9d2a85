"""`pushguard hook commit-msg FILE`: check the message about to be committed.

The message is read as git will store it (its cleanup mode, see `_message_file`), so the verdict
here is the verdict on the commit at push time. When jira-ticket takes the key from the branch
name, the key goes into the message the user wrote (`_branch_key`); git reads the file again
after this hook. A message git will refuse (empty, an untouched template) is left to git.

The hook's one git process (`git config`, for the cleanup mode) starts first, and runs while
the policy, the engine and the checks are imported (`_git_settings`).
"""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING
from pushguard.hooks import _git_settings

if TYPE_CHECKING:
    import argparse


def commit_msg(args: argparse.Namespace) -> int:
    settings = _git_settings.start()  # git works while the rest is imported
    try:
        return _checked(args, settings)
    finally:
        if settings is not None:
            settings.close()


def _checked(args: argparse.Namespace, settings: _git_settings.Started | None) -> int:
    from pushguard import git
    from pushguard.hooks._branch_key import committing_branch, with_branch_key
    from pushguard.hooks._message_file import aborts, read, write
    from pushguard.hooks._quiet import report
    from pushguard.sources import MessageSource
    from pushguard.status import Status
    from pushguard.verdict import findings, load_config, options

    message = read(args.file, settings)
    opts = options(args)
    cfg = load_config(opts, git.toplevel())
    text = with_branch_key(message, cfg, args)
    if text is not None:
        write(args.file, text.encode(message.charset))
    stored = message.stored(text)
    if aborts(message, stored):
        return Status.OK  # git aborts the commit, as the user asked by leaving it empty
    ctx, found = findings(MessageSource(stored, None), opts, cfg)
    if found:
        # the branch only words findings (their ref, the Jira key a fix suggests): a message
        # that passes does not pay for the git process that reads it
        ctx, found = findings(MessageSource(stored, committing_branch()), opts, cfg)
    return report(ctx, found, opts, 'the message')
