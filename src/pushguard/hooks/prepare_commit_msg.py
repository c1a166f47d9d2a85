"""`pushguard hook prepare-commit-msg FILE [SOURCE [SHA]]`: the branch's Jira key into the message.

With `[commit.jira]` configured and `from-branch = true`, the key found in the branch name
(`feat/PROJ-123-login` -> `PROJ-123`, of an allowed project) goes where jira-ticket looks for it:

- where = "subject" or "anywhere": at the start of the description, after a Conventional Commits
  prefix when the subject has one (`feat: add login` -> `feat: PROJ-123 add login`), else at the
  start of the subject (`PROJ-123 add login`);
- where = "scope": as the scope of a Conventional Commits header that has none
  (`feat: add login` -> `feat(PROJ-123): add login`). A header with a scope already, or no
  Conventional header, gets the key at the start of the description instead, and jira-ticket
  will still fail for it: the scope is the developer's to choose;
- an empty message (only git's comment lines): `PROJ-123 ` as the first line, the comments below.

The file is left untouched (byte for byte) when there is nothing to do: a merge, squash or amend
(SOURCE merge, squash, commit; under pre-commit, $PRE_COMMIT_COMMIT_MSG_SOURCE), a message
`[commit] exempt` exempts (`git commit --fixup` must keep its `fixup! ` first), a detached
HEAD, a branch without a key, a message that already names the branch's key anywhere or already
passes jira-ticket, or a file that does not decode in i18n.commitEncoding.
It exits 0 (2 for a bad config, like every hook).
"""
from __future__ import annotations

import os

from pushguard import git, patterns
from pushguard._typing import TYPE_CHECKING
from pushguard.checks.jira_ticket import branch_key, find_key, key_pattern, with_key
from pushguard.config import Jira
from pushguard.hooks._message_file import SCISSORS, clean, message_settings, read_bytes
from pushguard.status import Status
from pushguard.verdict import load_config

if TYPE_CHECKING:
    import argparse

LEFT_ALONE = frozenset({'merge', 'squash', 'commit'})
def _is_comment(line: str, comment: str | None) -> bool:
    return comment is not None and line.startswith(comment)


def _subject_index(lines: list[str], comment: str | None) -> int | None:
    """The index of the line git will keep as the subject, or None for an empty message."""
    for index, line in enumerate(lines):
        if _is_comment(line, comment):
            if line[len(comment or ''):].strip() == SCISSORS:
                return None
            continue
        if line.strip():
            return index
    return None


def effective_comment(text: str, comment: str, source: str) -> str | None:
    """The comment prefix git's cleanup will use; None when it will keep comment lines.

    `git commit -m '#12 fix'` (SOURCE "message") keeps `#` lines, as git cleans an unedited
    message only of whitespace; a message of nothing but comments is then the message itself.
    """
    if source == 'message' and not clean(text, comment) and clean(text, None):
        return None
    return comment


def insert_key(text: str, key: str, jira: Jira, comment: str | None,
               exempt: tuple[str, ...] = ()) -> str | None:
    """The message file's text with `key` inserted, or None when it should stay as it is."""
    message = clean(text, comment)
    named = {found[0] for found in key_pattern(jira.projects).finditer(message)}
    if key in named or find_key(message, jira) is not None:
        return None
    if any(patterns.compile(p, 'commit.exempt').search(message) for p in exempt):
        return None
    lines = text.split('\n')
    index = _subject_index(lines, comment)
    if index is None:
        return f'{key} \n{text}' if text else f'{key} '
    lines[index] = with_key(lines[index], key, jira.where)
    return '\n'.join(lines)


def _wanted(args: argparse.Namespace, skipped: frozenset[str]) -> bool:
    only, skip = getattr(args, 'only', []), getattr(args, 'skip', [])
    return 'jira-ticket' not in {*skip, *skipped} and (not only or 'jira-ticket' in only)


def _source(args: argparse.Namespace) -> str:
    """git's SOURCE argument; under pre-commit, which passes only FILE, its environment variable."""
    return str(args.source or os.environ.get('PRE_COMMIT_COMMIT_MSG_SOURCE', ''))


def prepare_commit_msg(args: argparse.Namespace) -> int:
    source = _source(args)
    if source in LEFT_ALONE:
        return Status.OK
    cfg = load_config(args, git.toplevel())
    if cfg.jira is None or not cfg.jira.from_branch or not _wanted(args, cfg.skip):
        return Status.OK
    branch = git.current_branch()
    key = branch_key(branch, cfg.jira) if branch else None
    if key is None:
        return Status.OK
    raw, (charset, comment) = read_bytes(args.file), message_settings()
    try:
        text = raw.decode(charset)
        new = insert_key(text, key, cfg.jira, effective_comment(text, comment, source), cfg.exempt)
        if new is not None:
            _write(args.file, new.encode(charset))
    except UnicodeError:  # undecodable: a file we cannot read faithfully is not ours to rewrite
        pass
    return Status.OK


def _write(path: str, data: bytes) -> None:
    from pushguard.errors import PushguardError
    try:
        with open(path, 'wb') as f:
            f.write(data)
    except OSError as e:
        raise PushguardError(f'{path}: cannot write the commit message: {e.strerror}') from None
