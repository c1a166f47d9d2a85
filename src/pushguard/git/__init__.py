"""The only package that starts git: this module runs it and answers questions about the
repository; `log` reads commits, `diff` the paths and blobs they change, `patch` the lines they
add. A commit-msg hook imports only this module.

Every function runs one git command (a fixed handful for a whole push, never one per commit or
file), parses its NUL-separated output and returns plain records. A failing git raises GitError
naming the command, its exit status and what git said.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence

from pushguard import _process
from pushguard.errors import GitError


# git keeps up to 96 MiB of delta bases (core.deltaBaseCacheLimit) while it walks the trees of
# a push: `diff-tree` over 10,000 commits grew to 67 MiB. 16 MiB made it no slower (39 MiB).
BOUNDED_CACHE = ('-c', 'core.deltaBaseCacheLimit=16m')


def run(*args: str, stdin: bytes | None = None, ok: Sequence[int] = (0,)) -> bytes:
    """Run `git ARGS`; return stdout. Raise GitError when the exit status is not in `ok`."""
    cmd = ('git', *args)
    try:
        code, out, err = _process.run(cmd, stdin)
    except FileNotFoundError:
        raise GitError('git is not installed or not on PATH') from None
    if code not in ok:
        raise GitError(failure_message(cmd, code, err))
    return out


def failure_message(cmd: Sequence[str], code: int, stderr: bytes) -> str:
    """The one line a GitError says: the command, its exit status and git's last word."""
    said = stderr.decode('utf-8', 'replace').strip().splitlines()
    reason = said[-1] if said else 'no message'
    return f'`{" ".join(cmd[:3])}` failed (exit {code}): {reason}'


def decode(raw: bytes) -> str:
    """git's text output (messages, names, shas) as str; odd bytes become U+FFFD."""
    return raw.decode('utf-8', 'replace')


def fs_path(raw: bytes) -> str:
    """A path as git wrote it, decoded so that odd bytes survive the round trip."""
    return os.fsdecode(raw)


def stdin_lines(items: Iterable[str]) -> bytes:
    """`items` as the lines `--stdin` reads."""
    return b''.join(os.fsencode(item) + b'\n' for item in items)


# --- the repository ------------------------------------------------------------------------

def work_tree_top() -> str | None:
    """`git rev-parse --show-toplevel`; None in a bare repository or outside one.

    A directory that holds `.git` is a work tree's top, and git runs hooks from there: it is
    taken without a git process (unless GIT_WORK_TREE says otherwise).
    """
    if 'GIT_WORK_TREE' not in os.environ and os.path.exists('.git'):
        return os.getcwd()
    out = run('rev-parse', '--show-toplevel', ok=(0, 128))
    return os.fsdecode(out.rstrip(b'\n')) or None


def toplevel() -> str:
    """The work tree's root, as `work_tree_top`; GitError outside a work tree."""
    top = work_tree_top()
    if top is None:
        raise GitError('not inside a git repository (run this in a git work tree)')
    return top


def git_path(name: str) -> str:
    """`git rev-parse --git-path NAME`, absolute: honours core.hooksPath and worktrees."""
    raw = os.fsdecode(run('rev-parse', '--git-path', name).rstrip(b'\n'))
    return os.path.abspath(raw)


def in_repository() -> bool:
    """`git rev-parse --git-dir`: whether the current directory is inside a repository."""
    return run('rev-parse', '--git-dir', ok=(0, 128)) != b''


def config_values(*keys: str) -> dict[str, str]:
    """`git config -z --get-regexp`: several keys in one git process; keys as git lists them
    (section and name lowercased, a subsection such as a branch name as it is)."""
    pattern = '^(' + '|'.join(re.escape(_canonical(key)) for key in keys) + ')$'
    out = run('config', '-z', '--get-regexp', pattern, ok=(0, 1))
    values: dict[str, str] = {}
    for item in out.split(b'\0'):
        if item:
            key, _, value = decode(item).partition('\n')
            values[key] = value  # the last one listed is the most local, as git reads it
    return values


def _canonical(key: str) -> str:
    section, _, rest = key.partition('.')
    subsection, _, name = rest.rpartition('.')
    return '.'.join(part for part in (section.lower(), subsection, name.lower()) if part)


def current_branch() -> str | None:
    """`git symbolic-ref -q --short HEAD`; None on a detached HEAD."""
    out = run('symbolic-ref', '-q', '--short', 'HEAD', ok=(0, 1))
    return decode(out.strip()) or None


def head() -> tuple[str | None, str | None]:
    """(HEAD's commit, its branch) in one git process: `git rev-parse HEAD^{commit}
    --symbolic-full-name HEAD`. The commit is None on an unborn branch (then the branch comes from
    `current_branch`), the branch None on a detached HEAD."""
    out = run('rev-parse', '-q', 'HEAD^{commit}', '--symbolic-full-name', 'HEAD', ok=(0, 128))
    lines = decode(out).splitlines()
    if len(lines) != 2:  # no commit yet
        return None, current_branch()
    ref = lines[1]
    return lines[0], ref[len('refs/heads/'):] if ref.startswith('refs/heads/') else None


def upstream() -> str | None:
    """`git rev-parse --abbrev-ref @{upstream}`; None when the branch has no upstream."""
    out = run('rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}', ok=(0, 128))
    return decode(out.strip()) or None


def resolve(rev: str) -> str | None:
    """`git rev-parse --verify -q REV^{commit}`: the commit's sha, or None."""
    out = run('rev-parse', '--verify', '-q', f'{rev}^{{commit}}', ok=(0, 1, 128))
    return decode(out.strip()) or None


def shallow_roots() -> frozenset[str]:
    """The commits whose parents a shallow clone lacks, from `$GIT_DIR/shallow`."""
    try:
        with open(git_path('shallow'), encoding='ascii') as f:
            return frozenset(line.strip() for line in f if line.strip())
    except FileNotFoundError:
        return frozenset()


def empty_tree() -> str:
    """`git hash-object -t tree --stdin`: the empty tree in this repository's hash."""
    return decode(run('hash-object', '-t', 'tree', '--stdin', stdin=b'').strip())


def peel_commits(revs: Iterable[str]) -> dict[str, str]:
    """`git cat-file --batch-check` on `REV^{commit}`: each rev naming a commit -> the commit.

    Annotated tags peel to their commit; unknown objects and tags of trees or blobs are left out.
    """
    wanted = list(dict.fromkeys(revs))
    if not wanted:
        return {}
    peeled = stdin_lines(f'{rev}^{{commit}}' for rev in wanted)
    out = run('cat-file', '--batch-check=%(objectname)', stdin=peeled)
    lines = decode(out).splitlines()
    return {rev: line for rev, line in zip(wanted, lines, strict=False) if ' ' not in line}
