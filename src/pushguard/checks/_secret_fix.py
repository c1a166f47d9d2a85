"""The fixes a secrets finding prints: commands that work when pasted at the work tree's top.

"Not a secret?" lists the line in the baseline with detect-secrets itself: `scan --baseline`
when there is one; without one, a new baseline made with the plugins pushguard uses then
(detect-secrets' own, less the two entropy ones). `scan` reads the files git tracks, so a file
no longer in the work tree (a later pushed commit deletes it) is put back from the commit for
the scan (as intent-to-add) and removed again; a file that is there is never overwritten.
Paths are quoted for the shell (`_paths.shell_quote`) and come after `--`.
"""
from __future__ import annotations

import os
import posixpath
from pushguard.checks._paths import shell_quote
from pushguard.checks._secret_baseline import ENTROPY_PLUGINS
from pushguard.model import AddedLines, Commit

PRAGMA = 'pragma: allowlist secret'


def fix(added: AddedLines, commit: Commit | None, baseline: str, root: str) -> str:
    """The fix for a secret in `added`: remove it (and rotate it), or list it as no secret.
    `baseline` is relative to `root`, the work tree's top."""
    exists = os.path.lexists(os.path.join(root, baseline))
    gone = added.commit is not None and not os.path.lexists(os.path.join(root, added.path))
    listed = _list_in_baseline(added, baseline, exists, gone)
    not_secret = f'not a secret? end the line with "# {PRAGMA}", or list it in {baseline}: {listed}'
    path = shell_quote(added.path)
    if added.commit is None:
        return (f'remove it from {path} and stage that (git add -- {path}), or unstage the file: '
                f'git restore --staged -- {path} (before the first commit: '
                f'git rm --cached -- {path}); rotate it if it was ever shared\n{not_secret}')
    short = added.commit[:12]
    rebase = 'git rebase -i --root' if commit is not None and not commit.parents else \
        f'git rebase -i {short}~1'
    return (f'remove it and rotate it: once pushed anywhere, the credential is exposed\n'
            f'rewrite the commits that hold it: {rebase} (mark {short} "edit", remove the line, '
            f'git commit --amend, git rebase --continue), or git commit --amend if it is the '
            f'last commit\n{not_secret}')


def scan_by_hand(path: str) -> str:
    return f'detect-secrets scan -- {shell_quote(path)}'


def _scan(baseline: str, exists: bool) -> str:
    quoted = shell_quote(baseline)
    if exists:
        return f'detect-secrets scan --baseline {quoted}'
    disabled = ' '.join(f'--disable-plugin {name}' for name in sorted(ENTROPY_PLUGINS))
    return f'detect-secrets scan {disabled} > {quoted}'


def _list_in_baseline(added: AddedLines, baseline: str, exists: bool, deleted: bool) -> str:
    scan, stage = _scan(baseline, exists), f'git add -- {shell_quote(baseline)}'
    if not deleted or added.commit is None:
        return f'{scan} && {stage}'
    path = shell_quote(added.path)
    folder = posixpath.dirname(added.path)
    mkdir = f'mkdir -p -- {shell_quote(folder)} && ' if folder else ''
    blob = shell_quote(f'{added.commit}:{added.path}')
    return (f'{mkdir}git show {blob} > {path} && git add -N -f -- {path} && {scan} && '
            f'git rm -q --cached -- {path} && rm -- {path} && {stage}')
