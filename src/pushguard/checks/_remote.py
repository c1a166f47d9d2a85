"""What the remote checks share: the forge's rules for a pushed ref, turned into findings.

A rule the credential may bypass becomes a note, never an error; a rule seen only partly (e.g.
classic protection seen as `protected: true`) becomes a warning: pushguard never blocks a push the
server would accept. Each finding quotes the server and gives the way through.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from pushguard.forges.rules import Rule
from pushguard.model import Context, Finding, RefUpdate, Severity


def rules(ctx: Context, ref: str, check_id: str) -> list[Rule]:
    """The rules of `check_id` the forge enforces on `ref`: the certain ones when there are any."""
    facts = ctx.forge.get(ref)
    if facts is None:
        return []
    found = [rule for rule in facts.rules if rule.check == check_id]
    if any(r.certain and not r.bypass for r in found):
        return [r for r in found if (r.certain and not r.bypass)]
    return found


def findings(ctx: Context, update: RefUpdate, check_id: str, what: str, found: Iterable[Rule],
             fix: str | None) -> Iterator[Finding]:
    for rule in found:
        if rule.bypass:
            note = (f'{short(update.remote_ref)}: {rule.source} would refuse {what} '
                    f'({rule.reason}), but this credential may bypass it')
            if note not in ctx.notes:
                ctx.notes.append(note)
            continue
        if rule.certain:
            message = (f'{what}: {rule.reason} ({rule.source}); the server would say: '
                       f'"{rule.server_says}"')
            yield Finding(check_id, Severity.ERROR, message, fix, ref=update.remote_ref)
        else:
            message = (f'{what} may be refused: {rule.reason} ({rule.source}); the server '
                       f'would then say: "{rule.server_says}"')
            yield Finding(check_id, Severity.WARNING, message, fix, ref=update.remote_ref)


def short(ref: str) -> str:
    return ref.removeprefix('refs/heads/').removeprefix('refs/tags/')


def link(ctx: Context, ref: str, label: str) -> str | None:
    facts = ctx.forge.get(ref)
    for name, url in (facts.links if facts is not None else ()):
        if name == label:
            return url
    return None


def side_branch(update: RefUpdate) -> str:
    """A branch name to push instead of a protected one: the local branch's, else one made up."""
    local = update.local_ref.removeprefix('refs/heads/')
    target = short(update.remote_ref)
    if update.local_ref.startswith('refs/heads/') and local != target:
        return local
    return f'{target}-{update.local_sha[:8]}'


def via_pull_request(ctx: Context, update: RefUpdate) -> str:
    """The way through a branch that takes changes only through a pull/merge request."""
    name = side_branch(update)
    remote = ctx.remote or 'origin'
    lines = [f'git push {remote} {update.local_sha[:12]}:refs/heads/{name}']
    for kind in ('pull request', 'merge request'):
        request = link(ctx, update.remote_ref, kind)
        if request:
            lines.append(f'then open a {kind}: {request.replace("{name}", name)}')
    settings = link(ctx, update.remote_ref, 'settings')
    if settings:
        lines.append(f'or have an admin let this credential bypass the rule: {settings}')
    return '\n'.join(lines)


def settings_fix(ctx: Context, update: RefUpdate, instead: str) -> str:
    settings = link(ctx, update.remote_ref, 'settings')
    tail = f'\nor have an admin change the rule: {settings}' if settings else ''
    return instead + tail
