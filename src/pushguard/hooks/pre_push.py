"""`pushguard hook pre-push REMOTE URL`: check every ref update git is about to push.

git writes one `<local ref> <local sha> <remote ref> <remote sha>` line per ref on stdin: several
refs in one push, new refs (remote sha all zeros), deletions (local sha all zeros), tags, force
pushes, SHA-1 or SHA-256 ids. Every line is read: pre-commit's own `_pre_push_ns` stops at the first
ref with new commits, and under pre-commit we get only that one, from its PRE_COMMIT_* variables.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping

from pushguard import git
from pushguard._typing import TYPE_CHECKING
from pushguard.errors import PushguardError
from pushguard.hooks import _ref_lines
from pushguard.model import RefUpdate
from pushguard.report import count
from pushguard.sources import PushSource
from pushguard.verdict import findings, load_config, options, report

if TYPE_CHECKING:
    import argparse

_SHA = re.compile(r'[0-9a-f]{40}|[0-9a-f]{64}')
PRE_COMMIT_NOTE = (
    'pre-commit hands its hooks only the first ref with new commits ({checked}) and skips '
    'deletions, so {others} in this push went unchecked; run `pushguard install --hook pre-push` '
    'to check every ref'
)


def pre_push(args: argparse.Namespace) -> int:
    if _under_pre_commit(os.environ):
        updates = [_from_pre_commit(os.environ)]
        remote = os.environ.get('PRE_COMMIT_REMOTE_NAME') or args.remote
        url = os.environ.get('PRE_COMMIT_REMOTE_URL') or args.url
        notes: tuple[str, ...] = _pre_commit_note(updates[0], remote)
    else:
        updates = parse_updates(_stdin())
        remote, url, notes = args.remote, args.url, ()
    opts = options(args)
    cfg = load_config(opts, git.toplevel())
    # the push is streamed through the checks: it is counted once they have read it
    ctx, found = findings(PushSource(updates, remote, url=url), opts, cfg)
    if not ctx.commit_count:
        notes = ()  # nothing to push: deletions still reach the ref checks, quietly
    pushed = sum(not u.is_deletion for u in updates)
    checked = f'{count(ctx.commit_count, "commit")} on {count(pushed, "ref")}'
    return report(ctx, found, opts, checked, notes)


def _stdin() -> bytes:
    return _ref_lines.read(
        'pre-push', 'to check commits by hand, run e.g. `pushguard check origin/main..HEAD`')


def parse_updates(raw: bytes) -> list[RefUpdate]:
    """git's pre-push lines -> RefUpdates; PushguardError quoting the first malformed line."""
    return _ref_lines.parse(raw, _parse_line)


def _parse_line(line: str) -> RefUpdate:
    # from the right: the local ref is what the user typed (`HEAD^{/fix me}`), spaces and all,
    # while shas and the remote ref (a ref name) never hold one
    parts = line.rstrip('\r').rsplit(' ', 3)
    if (len(parts) != 4 or not all(parts) or not all(_SHA.fullmatch(p) for p in parts[1::2])
            or len(parts[1]) != len(parts[3])):
        shown = line.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')
        raise PushguardError(
            f'pre-push: malformed line on stdin: {shown!r} '
            f'(expected "<local ref> <local sha> <remote ref> <remote sha>")',
        )
    return RefUpdate(*parts)


def _pre_commit_note(update: RefUpdate, remote: str | None) -> tuple[str, ...]:
    """The note that other refs went unchecked, when the `git push` above us sends more
    (none when run by hand, `pre-commit run --hook-stage pre-push`, or for one ref)."""
    from pushguard.hooks._push_command import unchecked
    others = unchecked(update.remote_ref, remote)
    if others is None:
        return ()
    return (PRE_COMMIT_NOTE.format(checked=update.remote_ref, others=others),)


def _under_pre_commit(env: Mapping[str, str]) -> bool:
    return bool(env.get('PRE_COMMIT_TO_REF') or env.get('PRE_COMMIT_REMOTE_BRANCH'))


def _from_pre_commit(env: Mapping[str, str]) -> RefUpdate:
    """pre-commit 4.x's one ref: TO_REF is the local sha; FROM_REF is the remote's old sha when it
    exists here, else the parent of the first commit no remote-tracking ref has; both are unset
    when the push starts at a root commit. REMOTE_BRANCH/LOCAL_BRANCH/NAME/URL come all or none.
    """
    local_ref = env.get('PRE_COMMIT_LOCAL_BRANCH') or ''
    to_ref = env.get('PRE_COMMIT_TO_REF') or local_ref or 'HEAD'
    local_sha = to_ref if _SHA.fullmatch(to_ref) else git.resolve(to_ref)
    if local_sha is None:
        raise PushguardError(f'PRE_COMMIT_TO_REF: {to_ref!r} is not a commit in this repository')
    # `pre-commit run --hook-stage pre-push --from-ref origin/main --to-ref HEAD` passes names
    from_ref = env.get('PRE_COMMIT_FROM_REF') or ''
    old = from_ref if _SHA.fullmatch(from_ref) else (git.resolve(from_ref) if from_ref else None)
    if old is None or set(old) == {'0'}:
        old = '0' * len(local_sha)
    remote_ref = env.get('PRE_COMMIT_REMOTE_BRANCH') or local_ref or _current_ref()
    return RefUpdate(local_ref or remote_ref, local_sha, remote_ref, old)


def _current_ref() -> str:
    branch = git.current_branch()
    return f'refs/heads/{branch}' if branch else 'HEAD'
