"""`pushguard hook pre-receive`: the server's verdict on a push, before git updates any ref.

git writes one `<old> <new> <ref>` line per updated ref on stdin (zeros for a created or deleted
ref) and runs the hook in the bare repository, with the pushed objects still in its quarantine:
the environment it exports lets every git we start read them. The commits each update brings
(none of the repository's refs has them yet) go through the same engine and checks as at
pre-push, with the policy from `--config FILE` (as `pushguard install --server` writes it) or
PUSHGUARD_CONFIG, else from the repository's HEAD, never from the commits pushed; the secrets
baseline comes from HEAD. The forge-protection checks do not run here: the server enforces those
itself.

Output goes to stderr, which git shows the pusher as `remote:` lines: one short block per
rejected ref. A non-zero exit rejects the whole push (git's pre-receive is all or nothing).
"""
from __future__ import annotations

import os
import re
import sys

from pushguard import checks, engine, git
from pushguard._typing import TYPE_CHECKING
from pushguard.ci import trusted
from pushguard.errors import PushguardError
from pushguard.hooks import _ref_lines
from pushguard.model import Finding, RefUpdate
from pushguard.report import Report, count, display, render
from pushguard.sources import PreReceiveSource
from pushguard.status import Status

if TYPE_CHECKING:
    import argparse

_SHA = re.compile(r'[0-9a-f]{40}|[0-9a-f]{64}')


def pre_receive(args: argparse.Namespace) -> int:
    updates = parse_updates(_stdin())
    head = git.resolve('HEAD')
    notes: list[str] = []
    explicit = args.config or os.environ.get('PUSHGUARD_CONFIG') or None
    cfg, root = trusted.policy(head, explicit, notes)
    source = PreReceiveSource(updates, root)
    skip = [*args.skip, *checks.REMOTE_CHECKS]  # the server enforces its own protections
    selected = engine.select(cfg, source.place, args.only, skip)
    ctx, found = engine.run(source, cfg, selected)
    checked = f'{count(ctx.commit_count, "commit")} on {count(len(updates), "ref")}'
    said = (*notes, *ctx.notes)
    if args.format != 'text':
        render(args.format, Report(tuple(found), said, checked), sys.stderr)
    else:
        _per_ref(found, said, [u.remote_ref for u in updates])
    return Status.BLOCKED if engine.blocks(found) else Status.OK


def _per_ref(found: list[Finding], notes: tuple[str, ...], refs: list[str]) -> None:
    """One block per ref with findings, ending with its verdict; notes once, above them."""
    by_ref: dict[str | None, list[Finding]] = {}
    for finding in found:
        by_ref.setdefault(finding.ref, []).append(finding)
    order = [*dict.fromkeys([*refs, *by_ref])]
    stream = sys.stderr
    for note in notes:
        stream.write(f'pushguard: note: {display(note)}\n')
    for ref in order:
        if ref not in by_ref:
            continue
        render('text', Report(tuple(by_ref[ref]), (), display(ref or 'this push')), stream)


def _stdin() -> bytes:
    return _ref_lines.read('pre-receive', 'install it with `pushguard install --server`')


def parse_updates(raw: bytes) -> list[RefUpdate]:
    """git's pre-receive lines -> RefUpdates (local and remote ref alike: the pushed ref)."""
    return _ref_lines.parse(raw, _parse_line)


def _parse_line(line: str) -> RefUpdate:
    old, _, rest = line.rstrip('\r').partition(' ')
    new, _, ref = rest.partition(' ')
    if not (_SHA.fullmatch(old) and _SHA.fullmatch(new) and len(old) == len(new) and ref):
        shown = display(line)
        raise PushguardError(f'pre-receive: malformed line on stdin: {shown!r} '
                             f'(expected "<old sha> <new sha> <ref>")')
    return RefUpdate(ref, new, ref, old)
