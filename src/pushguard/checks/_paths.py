"""Helpers shared by the path checks (file-size, forbidden-path): shell-safe paths and where a
change sits in the push, so a fix names the right command: unstage, amend or rewrite history."""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING
from pushguard.model import Commit, Context, FileChange

if TYPE_CHECKING:
    from pushguard.pushed import Pushed

_SAFE_BYTES = frozenset(range(0x20, 0x7f)) - {ord("'"), ord('\\')}


def shell_quote(path: str) -> str:
    """`path` quoted for a POSIX shell; newlines and non-UTF-8 bytes as bash's $'\\xNN'."""
    raw = path.encode('utf-8', 'surrogateescape')
    if all(0x20 <= byte < 0x7f for byte in raw):
        import shlex  # on use: the commit-msg hook imports this module for rebase_base
        return shlex.quote(path)
    return "$'" + ''.join(chr(b) if b in _SAFE_BYTES else f'\\x{b:02x}' for b in raw) + "'"


def tips(ctx: Context) -> frozenset[str]:
    """The commits at the tip of what is pushed: the only ones `git commit --amend` can fix."""
    found = {u.local_sha for u in ctx.updates if not u.is_deletion}
    if ctx.index.last:
        found.add(ctx.index.last)
    return frozenset(found)


def rebase_base(commit: Commit) -> str:
    """What `git rebase` takes to rewrite `commit` and everything after it."""
    return f'{commit.sha[:12]}~1' if commit.parents and commit.sha else '--root'


def where(change: FileChange, commits: Pushed) -> Commit | None:
    """The pushed commit that made `change`, or None for the index (pre-commit)."""
    return commits.get(change.commit) if change.commit else None
