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

from collections.abc import Iterator, Sequence

from pushguard.checks._paths import commits_by_sha, rebase_base, shell_quote, tips, where
from pushguard.config import GITHUB_HARD_LIMIT, Config
from pushguard.text import display
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


def _deleted_later(change: FileChange, changes: Sequence[FileChange]) -> str | None:
    """The later pushed commit that deletes `change.path` again, if one does."""
    later = changes[changes.index(change) + 1:]
    return next((c.commit for c in later if c.path == change.path and c.status == 'D'
                 and c.commit), None)


def _message(change: FileChange, severity: Severity, cfg: Config, lfs: bool,
             deleted_in: str | None) -> str:
    size = change.size or 0
    limit, key = ((cfg.max_size, 'files.max-size') if severity is Severity.ERROR
                  else (cfg.warn_size, 'files.warn-size'))
    shown, limit_shown = _sizes(size, limit)
    what = 'limit' if severity is Severity.ERROR else 'warning size'
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


def _alone(change: FileChange, changes: Sequence[FileChange]) -> bool:
    """Whether `change` adds a file in a commit that changes nothing else."""
    return change.status == 'A' and change.commit is not None \
        and sum(1 for c in changes if c.commit == change.commit) == 1


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    found = list(too_large(ctx.changes, cfg))
    if not found:
        return
    lfs = ctx.lfs_paths
    commits, tip_shas = commits_by_sha(ctx), tips(ctx)
    for change, severity in found:
        commit = where(change, commits)
        is_lfs = change.path in lfs
        yield Finding(
            ID, severity,
            _message(change, severity, cfg, is_lfs, _deleted_later(change, ctx.changes)),
            _fix(change, commit, change.commit in tip_shas, is_lfs, _alone(change, ctx.changes)),
            ref=change.ref, commit=change.commit, path=change.path,
        )
