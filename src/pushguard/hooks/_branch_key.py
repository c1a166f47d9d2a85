"""The Jira key of the branch, put into the message the user wrote (both message hooks).

With `[commit.jira]` configured and `from-branch = true`, the key found in the branch name
(`feat/PROJ-123-login` -> `PROJ-123`, of an allowed project) goes where jira-ticket looks for it,
in the line git will store as the subject:

- where = "subject" or "anywhere": at the start of the description, after a Conventional Commits
  prefix when the subject has one (`feat: add login` -> `feat: PROJ-123 add login`), else at the
  start of the subject (`PROJ-123 add login`);
- where = "scope": as the scope of a Conventional Commits header that has none
  (`feat: add login` -> `feat(PROJ-123): add login`). A header with a scope already, or no
  Conventional header, gets the key at the start of the description instead, and jira-ticket
  will still fail for it: the scope is the developer's to choose.

Nothing changes (the file stays byte for byte) when the message already passes jira-ticket, when
git will abort the commit (an empty message, an untouched template), for a message `[commit]
exempt` exempts (`fixup! ` stays first), on a detached HEAD or a branch without a key, or when
the file does not decode in i18n.commitEncoding.
"""
from __future__ import annotations

import os

from pushguard import git, patterns
from pushguard._typing import TYPE_CHECKING
from pushguard.config import Config
from pushguard.hooks._message_file import MessageFile, aborts, is_empty
from pushguard.verdict import options

if TYPE_CHECKING:
    import argparse


def wanted(args: argparse.Namespace, cfg: Config) -> bool:
    """Whether jira-ticket runs on this message: as the engine selects checks."""
    from pushguard import engine
    from pushguard.model import Place
    opts = options(args)
    return cfg.jira is not None and 'jira-ticket' in engine.selected_ids(
        cfg, Place.COMMIT_MSG, opts.only, opts.skip)


def committing_branch() -> str | None:
    """The branch the commit goes to: the current one, or during `git rebase -i` (a detached
    HEAD) the branch being rebased, so a reworded commit gets its branch's key."""
    branch = git.current_branch()
    if branch is not None:
        return branch
    for state in ('rebase-merge', 'rebase-apply'):
        try:
            with open(os.path.join(git.git_path(state), 'head-name'), encoding='utf-8') as f:
                name = f.read().strip()
        except (OSError, UnicodeError):
            continue
        if name.startswith('refs/heads/'):
            return name.removeprefix('refs/heads/')
    return None


def with_branch_key(message: MessageFile, cfg: Config, args: argparse.Namespace) -> str | None:
    """The file's text with the branch's key inserted, or None when it stays as it is."""
    jira = cfg.jira
    if jira is None or not jira.from_branch or not wanted(args, cfg):
        return None
    from pushguard.checks._jira_keys import branch_key, find_key, with_key
    try:
        text = message.raw.decode(message.charset)
    except UnicodeError:  # a file we cannot read faithfully is not ours to rewrite
        return None
    stored = message.stored(text)
    if (is_empty(stored, message.mode) or aborts(message, stored)
            or find_key(stored, jira) is not None
            or any(patterns.compile(pattern, 'commit.exempt', cfg.source).search(stored)
                   for pattern in cfg.exempt)):
        return None
    index = message.subject_index(text)
    branch = committing_branch()
    key = branch_key(branch, jira) if branch else None
    if index is None or key is None:
        return None
    lines = text.split('\n')
    lines[index] = with_key(lines[index], key, jira.where)
    return '\n'.join(lines)
