"""The forge's content rules applied to the pushed commits, with the forge's own parameters.

A GitHub `commit_message_pattern` or a GitLab push rule's `commit_message_regex` is checked here
as the server would check it (RE2, `operator`, `negate`), on top of the local policy, and reported
under the content check's id: message-pattern, author-email, branch-name, forbidden-path,
file-size, signature, dco.
"""
from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Iterable, Iterator, Sequence

from pushguard.checks import _remote
from pushguard.checks._stream import Stream, whole
from pushguard.forges._patterns import re2_search
from pushguard.forges.rules import Rule, items, param
from pushguard.model import Commit, Context, FileChange, Finding, Need, RefUpdate

NEEDS_BY_CHECK = {
    'file-size': (Need.CHANGES, Need.SIZES),
    'forbidden-path': (Need.CHANGES,),
    'signature': (Need.SIGNATURES,),
}
CONTENT = ('message-pattern', 'author-email', 'branch-name', 'forbidden-path', 'file-size',
           'signature', 'dco')
MIB = 1024 * 1024


_PER_COMMIT = ('message-pattern', 'author-email', 'signature', 'dco')


class Content(Stream):
    """The forge's content rules over a push, streamed or whole: each (ref, rule) keeps its
    first `limit` breaks, in the push's order, and says them at the end."""

    def __init__(self, ctx: Context, limit: int = 20) -> None:
        self.ctx, self.limit = ctx, limit
        self.rules = [(update, rule) for update in ctx.updates if not update.is_deletion
                      for rule in _rules(ctx, update) if rule.check in CONTENT]
        self.broken: list[list[tuple[str, str | None, str | None]]] = [[] for _ in self.rules]

    def commits(self, batch: Sequence[Commit]) -> Iterable[Finding]:
        for (update, rule), broken in zip(self.rules, self.broken, strict=True):
            if rule.check in _PER_COMMIT:
                mine = [c for c in batch if c.ref == update.remote_ref]
                self._keep(broken, _broken(rule, update, mine, []))
        return ()

    def changes(self, batch: Sequence[FileChange]) -> Iterable[Finding]:
        for (update, rule), broken in zip(self.rules, self.broken, strict=True):
            if rule.check not in _PER_COMMIT and rule.check != 'branch-name':
                mine = [c for c in batch if c.ref == update.remote_ref]
                self._keep(broken, _broken(rule, update, [], mine))
        return ()

    def finish(self) -> Iterator[Finding]:
        for (update, rule), broken in zip(self.rules, self.broken, strict=True):
            if rule.check == 'branch-name':
                self._keep(broken, _broken(rule, update, [], []))
            for what, commit, path in broken:
                yield from _say(self.ctx, update, rule, what, commit, path)

    def _keep(self, broken: list[tuple[str, str | None, str | None]],
              found: Iterable[tuple[str, str | None, str | None]]) -> None:
        broken += itertools.islice(found, max(0, self.limit - len(broken)))


def _rules(ctx: Context, update: RefUpdate) -> tuple[Rule, ...]:
    facts = ctx.forge.get(update.remote_ref)
    return () if facts is None else tuple(facts.rules)


def findings(ctx: Context, limit: int = 20) -> Iterator[Finding]:
    """The content rules over the push held whole (ctx.commits, ctx.changes)."""
    return whole(Content(ctx, limit), ctx)


def _say(ctx: Context, update: RefUpdate, rule: Rule, what: str, commit: str | None,
         path: str | None) -> Iterator[Finding]:
    base = '@{upstream}' if update.is_creation else f'{ctx.remote or "origin"}/{update.branch}'
    if update.is_tag:
        base = '@{upstream}'
    for finding in _remote.findings(ctx, update, rule.check, what, [rule],
                                    _fix(rule, base, ctx.remote or 'origin')):
        yield finding._replace(commit=commit, path=path)


def _fix(rule: Rule, base: str, remote: str) -> str:
    if rule.check in ('message-pattern', 'dco'):
        return f'reword the commits: git rebase -i {base}  # mark them "reword"'
    if rule.check == 'author-email':
        return (f'git config user.email YOU@ALLOWED && git rebase {base} --exec '
                '"git commit --amend --no-edit --reset-author"')
    if rule.check == 'signature':
        return f'git rebase {base} --exec "git commit --amend --no-edit -S"'
    if rule.check == 'branch-name':
        return f'push under a name that matches the rule: git push {remote} HEAD:refs/heads/NAME'
    return f'remove the file from the commits: git rebase -i {base}  # "edit" each, git rm'


def _matches(rule: Rule, text: str) -> bool | None:
    operator, pattern = str(param(rule, 'operator', 'regex')), str(param(rule, 'pattern', ''))
    if operator == 'starts_with':
        return text.startswith(pattern)
    if operator == 'ends_with':
        return text.endswith(pattern)
    if operator == 'contains':
        return pattern in text
    return re2_search(pattern, text, multiline=param(rule, 'multiline', True) is True)


def _fails(rule: Rule, text: str) -> bool:
    found = _matches(rule, text)
    if found is None:
        return False  # a pattern RE2 cannot compile: the server's problem, not the push's
    return found if param(rule, 'negate') is True else not found


def _broken(rule: Rule, update: RefUpdate, commits: list[Commit], changes: list[FileChange]
            ) -> Iterator[tuple[str, str | None, str | None]]:
    kind = str(param(rule, 'type', ''))
    pattern = param(rule, 'pattern', '')
    if rule.check == 'message-pattern':
        for c in commits:
            if _fails(rule, c.message.rstrip('\n')):
                yield f'commit {c.short}\'s message vs /{pattern}/', c.sha, None
    elif rule.check == 'author-email':
        committer = 'committer' in kind
        for c in commits:
            email = c.committer_email if committer else c.author_email
            if _fails(rule, email):
                who = 'committer' if committer else 'author'
                yield f'commit {c.short}\'s {who} email {email} vs /{pattern}/', c.sha, None
    elif rule.check == 'branch-name':
        name = _remote.short(update.remote_ref)
        if (update.is_creation or not param(rule, 'on_create_only')) and _fails(rule, name):
            yield f'the name {name} vs /{pattern}/', None, None
    elif rule.check == 'signature':
        for c in commits:
            if c.signature is not None and c.signature.kind is None:
                yield f'unsigned commit {c.short}', c.sha, None
    elif rule.check == 'dco':
        for c in commits:
            if 'Signed-off-by:' not in c.message:
                yield f'commit {c.short} has no Signed-off-by trailer', c.sha, None
    else:
        yield from _file_rules(rule, kind, changes)


def _file_rules(rule: Rule, kind: str, changes: list[FileChange]
                ) -> Iterator[tuple[str, str | None, str | None]]:
    for change in changes:
        if change.status == 'D':
            continue
        path = change.path
        if kind == 'max_file_size' or rule.check == 'file-size':
            limit = int(param(rule, 'max_file_size', 0) or 0) * MIB  # type: ignore[call-overload]
            if limit and change.size is not None and change.size > limit:
                yield f'{path} is {change.size} bytes, over {limit // MIB} MB', change.commit, path
        elif kind == 'file_path_restriction':
            globs = items(param(rule, 'restricted_file_paths'))
            if any(fnmatch.fnmatchcase(path, str(g)) for g in globs):
                yield f'restricted path {path}', change.commit, path
        elif kind == 'file_extension_restriction':
            exts = items(param(rule, 'restricted_file_extensions'))
            if any(path.endswith(str(e).lstrip('*')) for e in exts):
                yield f'restricted file extension {path}', change.commit, path
        elif kind == 'max_file_path_length':
            most = int(param(rule, 'max_file_path_length', 0) or 0)  # type: ignore[call-overload]
            if most and len(path) > most:
                yield f'path {path} is longer than {most} characters', change.commit, path
        elif kind == 'file_name_regex' and re2_search(str(param(rule, 'pattern', '')), path):
            yield f'file name {path} vs /{param(rule, "pattern")}/', change.commit, path
