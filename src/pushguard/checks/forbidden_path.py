"""forbidden-path: a pushed commit (or the index) adds, changes or renames a file to a path that
`files.forbidden` forbids, or to a path longer than `files.max-path-length`.

Mirrors GitHub's `file_path_restriction`, `file_extension_restriction` and `max_file_path_length`
rules and GitLab's `file_name_regex` push rule. Patterns are gitignore-style globs: one without a
`/` matches a name at any depth (`*.pem`, `id_rsa`), a trailing `/` matches a directory and all
under it (`secrets/`), a leading `/` or a `/` inside anchors at the root, `**` spans directories,
`!` re-allows what an earlier pattern forbids (the last matching pattern wins, as in
.gitignore). Matching is case-sensitive, as git's is. Deletions pass.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from pushguard import patterns
from pushguard.checks._paths import rebase_base, shell_quote, tips, where
from pushguard.checks._stream import Stream, whole
from pushguard.config import Config
from pushguard.text import display
from pushguard.model import Commit, Context, FileChange, Finding, Need, Severity

ID = 'forbidden-path'
NEEDS = frozenset({Need.CHANGES})
_SURROGATE = re.compile('[\udc80-\udcff]')
_VERBS = {'A': 'adds', 'M': 'changes', 'T': 'changes', 'R': 'renames a file to',
          'C': 'copies a file to'}


class Rule(NamedTuple):
    text: str  # as configured, for the message
    negated: bool
    dir_only: bool
    anchored: bool  # matched against the path from the root, else against one name
    regex: patterns.Pattern


def _char(char: str) -> str:
    """One character that stands for itself, in RE2's syntax."""
    return char if char.isascii() and char.isalnum() else f'\\x{{{ord(char):x}}}'


def _class_items(body: str) -> Iterator[tuple[int, int]]:
    """A bracket expression's body as code-point ranges, as `re` read it: `a-z` is a range, a
    `-` first or last stands for itself."""
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == '-':
            yield ord(body[i]), ord(body[i + 2])
            i += 3
        else:
            yield ord(body[i]), ord(body[i])
            i += 1


def _class(body: str) -> str:
    """A bracket expression (`[a-z]`, `[!0-9]`) that never matches `/`, in RE2's syntax."""
    negate = body[:1] in ('!', '^')
    slash = ord('/')
    ranges = []
    for low, high in _class_items(body[1:] if negate else body):
        if low > high:
            continue  # an empty range matches nothing
        for part in ((low, min(high, slash - 1)), (max(low, slash + 1), high)):
            if part[0] <= part[1]:
                ranges.append(_char(chr(part[0])) + ('' if part[0] == part[1]
                                                     else '-' + _char(chr(part[1]))))
    if negate:
        return f'[^{_char("/")}{"".join(ranges)}]'
    return f'[{"".join(ranges)}]' if ranges else '[^\\x{0}-\\x{10ffff}]'


def _translate(glob: str) -> str:
    """A gitignore glob (no leading `!`, no trailing `/`) -> an RE2 regex that matches a whole
    name or path: RE2 runs in time linear in the path, whatever the pattern."""
    out, i = [], 0
    while i < len(glob):
        if glob.startswith('**/', i) and (i == 0 or glob[i - 1] == '/'):
            out.append('(?:.*/)?')
            i += 3
        elif glob.startswith('**', i) and i + 2 == len(glob) and (i == 0 or glob[i - 1] == '/'):
            out.append('.*')
            i += 2
        elif glob[i] == '*':
            out.append('[^/]*')
            i += 1
        elif glob[i] == '?':
            out.append('[^/]')
            i += 1
        elif glob[i] == '[' and (end := glob.find(']', i + 2)) != -1:
            out.append(_class(glob[i + 1:end]))
            i = end + 1
        elif glob[i] == '\\' and i + 1 < len(glob):
            out.append(_char(glob[i + 1]))
            i += 2
        else:
            out.append(_char(glob[i]))
            i += 1
    return f'(?s)^(?:{"".join(out)})\\Z'


def compile_rule(pattern: str) -> Rule | None:
    """One `files.forbidden` entry as a rule; None for an empty pattern."""
    text = pattern.strip()
    negated = text.startswith('!')
    body = text[1:] if negated else text
    dir_only = body.endswith('/')
    body = body.rstrip('/')
    anchored = '/' in body
    body = body.lstrip('/')
    if not body:
        return None
    return Rule(text, negated, dir_only, anchored,
                patterns.compile(_translate(body), 'files.forbidden'))


def _matches(rule: Rule, path: str) -> bool:
    # a byte that is not UTF-8 (a surrogate escape) is one character, as `?` sees it; RE2 takes
    # only text that encodes
    parts = _SURROGATE.sub('\ufffd', path).split('/')
    for depth in range(1, len(parts) + 1):
        if rule.dir_only and depth == len(parts):
            continue  # a directory pattern matches the directories a path is in, not the file
        candidate = '/'.join(parts[:depth]) if rule.anchored else parts[depth - 1]
        if rule.regex.search(candidate):
            return True
    return False


def forbidding_rule(rules: Sequence[Rule], path: str) -> Rule | None:
    """The rule that forbids `path`: the last that matches, unless that one is a `!` rule."""
    last = None
    for rule in rules:
        if _matches(rule, path):
            last = rule
    return None if last is None or last.negated else last


def _gitignore_entry(path: str) -> str:
    return '/' + re.sub(r'([*?\[\\!#])', r'\\\1', path)


def _remove_fix(change: FileChange, commit: Commit | None, is_tip: bool) -> str:
    path = shell_quote(change.path)
    ignore = f'echo {shell_quote(_gitignore_entry(change.path))} >> .gitignore'
    if commit is None:
        return f'git rm --cached -- {path} && {ignore}'
    if is_tip:
        return f'git rm --cached -- {path} && git commit --amend --no-edit && {ignore}'
    remove = shell_quote(f'git rm -q --cached --ignore-unmatch -- {path}')
    base = f'{commit.sha[:12]}~1..' if commit.parents and commit.sha else ''
    return (f'FILTER_BRANCH_SQUELCH_WARNING=1 git filter-branch --index-filter {remove} '
            f'-- {base}{change.ref or "HEAD"} && {ignore}  # rewrites {commit.short} and after')


def _rename_fix(change: FileChange, commit: Commit | None, is_tip: bool, limit: int) -> str:
    move = f'git mv -- {shell_quote(change.path)} SHORTER/PATH'
    note = f'  # at most {limit} characters'
    if commit is None:
        return move + note
    if is_tip:
        return f'{move} && git commit --amend --no-edit{note}'
    return (f'git rebase -i {rebase_base(commit)} (mark {commit.short} "edit"), {move}, '
            f'git commit --amend --no-edit, git rebase --continue{note}')


def _finding(change: FileChange, message: str, fix: str) -> Finding:
    return Finding(ID, Severity.ERROR, message, fix, ref=change.ref, commit=change.commit,
                   path=change.path)


class _Paths(Stream):
    def __init__(self, ctx: Context, cfg: Config) -> None:
        self.ctx, self.cfg = ctx, cfg
        self.rules = [rule for rule in map(compile_rule, cfg.forbidden) if rule is not None]

    def changes(self, batch: Sequence[FileChange]) -> Iterator[Finding]:
        return _found(self.ctx, self.cfg, self.rules, batch)


def stream(ctx: Context, cfg: Config) -> Stream:
    return _Paths(ctx, cfg)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)


def _found(ctx: Context, cfg: Config, rules: Sequence[Rule], changes: Sequence[FileChange]
           ) -> Iterator[Finding]:
    commits, tip_shas = ctx.index, tips(ctx)
    for change in changes:
        if change.status == 'D':
            continue
        rule = forbidding_rule(rules, change.path)
        if rule is None and not 0 < cfg.max_path_length < len(change.path):
            continue
        commit = where(change, commits)
        is_tip = change.commit in tip_shas
        who = f'commit {commit.short}' if commit else 'the index'
        verb = _VERBS.get(change.status, 'adds')
        if rule is not None:
            yield _finding(change, f'{who} {verb} {display(change.path)}, which matches the '
                                   f'forbidden pattern {rule.text!r} (files.forbidden)',
                           _remove_fix(change, commit, is_tip))
        if 0 < cfg.max_path_length < len(change.path):
            yield _finding(change, f'{who} {verb} a path of {len(change.path)} characters, '
                                   f'longer than the {cfg.max_path_length} allowed '
                                   f'(files.max-path-length): {display(change.path)}',
                           _rename_fix(change, commit, is_tip, cfg.max_path_length))
