"""file-size: a blob that any pushed commit (not only the tip), or the index, adds or changes is
over `files.max-size` (an error) or over `files.warn-size` (a warning).

Mirrors GitHub's 100 MiB hard limit (GH001: Large files detected) and its `max_file_size` rule,
and GitLab's `max_file_size` push rule. Sizes are git's (the blob in the object store, never the
working tree). A blob added and deleted again later still travels with the push, so it still
fails. Git LFS pointers are small and pass; a path that .gitattributes sends to LFS but whose
blob holds the real content means git-lfs did not convert it. Deletions, submodules, and renames
or mode changes that bring no new blob pass.
"""
from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator, Sequence

from pushguard.checks._paths import rebase_base, shell_quote, tips, where
from pushguard.checks._stream import Stream, whole
from pushguard.config import GITHUB_HARD_LIMIT, Config
from pushguard.model import (
    SUBMODULE_MODE, Commit, Context, FileChange, Finding, Need, Severity,
)

ID = 'file-size'
NEEDS = frozenset({Need.CHANGES, Need.SIZES, Need.ATTRIBUTES})
_UNITS = (('GiB', 2**30), ('MiB', 2**20), ('KiB', 2**10))


def human(size: int) -> str:
    """1.5 GiB, 60.0 MiB, 12.3 KiB, 512 bytes."""
    for unit, factor in _UNITS:
        if size >= factor:
            return f'{size / factor:.1f} {unit}'
    return f'{size} bytes'


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """Both sizes readable, with exact bytes where rounding would make them look equal."""
    shown, limit_shown = human(size), human(limit)
    if shown == limit_shown:
        return f'{size:,} bytes', f'{limit:,} bytes'
    return shown, limit_shown


def too_large(changes: Sequence[FileChange], cfg: Config) -> Iterator[tuple[FileChange, Severity]]:
    """Each added or changed blob over the limit (error) or over the warning size (warning)."""
    warn_from = cfg.warn_size if cfg.warn_size < cfg.max_size else None
    for change in changes:
        # a rename or a mode change brings no blob: the server has it already
        if not change.brings_blob or change.mode == SUBMODULE_MODE or change.size is None:
            continue
        if change.size > cfg.max_size:
            yield change, Severity.ERROR
        elif warn_from is not None and change.size > warn_from:
            yield change, Severity.WARNING


def _message(change: FileChange, severity: Severity, cfg: Config, lfs: bool,
             deleted_in: str | None) -> str:
    size = change.size or 0
    limit, key = ((cfg.max_size, 'files.max-size') if severity is Severity.ERROR
                  else (cfg.warn_size, 'files.warn-size'))
    shown, limit_shown = _sizes(size, limit)
    what = 'limit' if severity is Severity.ERROR else 'warning size'
    from pushguard.text import display  # on use: a pre-commit with no large file needs none
    text = f'{display(change.path)} is {shown}, over the {limit_shown} {what} ({key})'
    if size > GITHUB_HARD_LIMIT:
        text += '; GitHub rejects files over 100 MiB (GH001)'
    if change.commit and deleted_in:
        text += (f'; commit {change.commit[:12]} adds it and {deleted_in[:12]} deletes it again,'
                 ' but the push still carries it')
    if lfs:
        text += ('; .gitattributes sends it to Git LFS (filter=lfs) but the blob is the real'
                 ' file, not an LFS pointer: git-lfs did not convert it (is git-lfs installed?'
                 ' run git lfs install)')
    return text


def _migrate(path: str, ref: str | None) -> str:
    include_ref = f' --include-ref={ref}' if ref else ''
    return f'git lfs migrate import --include={path}{include_ref}'


def _fix(change: FileChange, commit: Commit | None, is_tip: bool, lfs: bool, alone: bool
         ) -> str:
    """`alone`: the commit adds this file and changes nothing else, so removing the file from
    it would leave an empty commit (which `git commit --amend` refuses): the commit goes."""
    path = shell_quote(change.path)
    if commit is None:  # the index, at pre-commit
        if lfs:
            return f'git lfs install && git rm --cached -- {path} && git add -- {path}'
        return (f'git rm --cached -- {path}  # and add it to .gitignore\n'
                f'or keep it in Git LFS: git lfs track -- {path} && '
                f'git add -- .gitattributes {path}')
    migrate = _migrate(path, change.ref)
    if is_tip:
        if lfs:
            return (f'git lfs install && git rm --cached -- {path} && git add -- {path} && '
                    'git commit --amend --no-edit')
        return (f'{_uncommit(path, commit, alone)}  # and add it to .gitignore\n'
                f'or keep it in Git LFS: {migrate}')
    if alone:
        return (f'{migrate}  # rewrites {commit.short} and the commits after it\n'
                f'or drop the commit, which only adds it: git rebase -i {rebase_base(commit)} '
                f'(mark {commit.short} "drop")')
    return (f'{migrate}  # rewrites {commit.short} and the commits after it\n'
            f'or drop it: git rebase -i {rebase_base(commit)} (mark {commit.short} "edit"), '
            f'git rm --cached -- {path}, git commit --amend --no-edit, git rebase --continue')


def _uncommit(path: str, commit: Commit, alone: bool) -> str:
    """Take the file out of the last commit; the file stays in the work tree."""
    if not alone:
        return f'git rm --cached -- {path} && git commit --amend --no-edit'
    if not commit.parents:  # the first commit: there is nothing to go back to
        return f'git update-ref -d HEAD && git rm -q --cached -- {path}'
    return f'git reset -q --soft HEAD~1 && git rm -q --cached -- {path}'


class _Large:
    """A blob over a limit, and what the rest of the push says about it."""

    __slots__ = ('change', 'severity', 'alone', 'deleted_in')

    def __init__(self, change: FileChange, severity: Severity, alone: bool) -> None:
        self.change, self.severity = change, severity
        self.alone = alone  # its commit adds this file and changes nothing else
        self.deleted_in: str | None = None  # the later pushed commit that deletes it again


class _Sizes(Stream):
    """The blobs over a limit are kept (a few); they are reported once the push was read."""

    def __init__(self, ctx: Context, cfg: Config) -> None:
        self.ctx, self.cfg = ctx, cfg
        self.found: list[_Large] = []
        self.undeleted: dict[str, list[_Large]] = {}  # path -> found, not deleted since

    def changes(self, batch: Sequence[FileChange]) -> Iterable[Finding]:
        per_commit = collections.Counter(c.commit for c in batch)  # batches hold whole commits
        floor = min(self.cfg.max_size, self.cfg.warn_size)  # no blob at or under it is reported
        for change in batch:
            if change.status == 'D' and change.commit and self.undeleted:
                for large in self.undeleted.pop(change.path, ()):
                    large.deleted_in = change.commit
            if (change.size or 0) <= floor:
                continue
            for _, severity in too_large((change,), self.cfg):
                alone = change.status == 'A' and change.commit is not None \
                    and per_commit[change.commit] == 1
                large = _Large(change, severity, alone)
                self.found.append(large)
                self.undeleted.setdefault(change.path, []).append(large)
        return ()

    def finish(self) -> Iterator[Finding]:
        if not self.found:
            return
        lfs, cfg = self.ctx.lfs_paths, self.cfg
        commits, tip_shas = self.ctx.index, tips(self.ctx)
        for large in self.found:
            change = large.change
            commit = where(change, commits)
            is_lfs = change.path in lfs
            yield Finding(
                ID, large.severity,
                _message(change, large.severity, cfg, is_lfs, large.deleted_in),
                _fix(change, commit, change.commit in tip_shas, is_lfs, large.alone),
                ref=change.ref, commit=change.commit, path=change.path,
            )


def stream(ctx: Context, cfg: Config) -> Stream:
    return _Sizes(ctx, cfg)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
