"""The `--cleanup` and `--template` options of the `git commit` (or `git merge`) running a hook.

git hands a commit-msg hook only the message file, yet how git will clean that file up depends
on `--cleanup` and on the template `-t` names (an untouched template aborts the commit). The
options are read from the command line of the git process above the hook, on systems with
/proc (Linux); elsewhere they are unknown and `commit.cleanup` / `commit.template` stand alone.
"""
from __future__ import annotations

import os

from pushguard._typing import NamedTuple

_LEVELS = 5  # git -> hook shell -> (pre-commit -> its shell ->) pushguard
_GLOBAL_WITH_VALUE = frozenset({'-C', '-c', '--exec-path', '--git-dir', '--work-tree',
                                '--namespace', '--config-env', '--super-prefix'})
# git commit's long options (git 2.39); those taking a separate value are mapped to True
_LONG = {
    'all': False, 'patch': False, 'reuse-message': True, 'reedit-message': True, 'fixup': True,
    'squash': True, 'reset-author': False, 'short': False, 'branch': False, 'porcelain': False,
    'long': False, 'null': False, 'file': True, 'author': True, 'date': True, 'message': True,
    'template': True, 'signoff': False, 'trailer': True, 'no-verify': False, 'verify': False,
    'allow-empty': False, 'allow-empty-message': False, 'cleanup': True, 'edit': False,
    'amend': False, 'no-post-rewrite': False, 'include': False, 'only': False,
    'pathspec-from-file': True, 'pathspec-file-nul': False, 'untracked-files': False,
    'verbose': False, 'quiet': False, 'dry-run': False, 'status': False, 'gpg-sign': False,
    'ahead-behind': False, 'strategy': True, 'strategy-option': True, 'into-name': True,
    'log': False, 'stat': False, 'summary': False, 'commit': False, 'ff': False, 'ff-only': False,
    'rerere-autoupdate': False, 'overwrite-ignore': False, 'progress': False, 'autostash': False,
    'allow-unrelated-histories': False,
}
_SHORT_WITH_VALUE = frozenset('mFCct')  # -m MSG, -F FILE, -C/-c COMMIT, -t FILE
_SHORT_OPTIONAL = frozenset('uSX')  # -u[MODE], -S[KEYID]: the value, if any, is attached


class CommitArgs(NamedTuple):
    known: bool = False  # False: the git command line could not be read
    cleanup: str | None = None
    template: str | None = None
    allow_empty_message: bool = False
    verbose: bool | None = None  # -v / --verbose, --no-verbose; None: not given


def commit_args() -> CommitArgs:
    pid = os.getppid()
    for _ in range(_LEVELS):
        argv = _cmdline(pid)
        if argv is None:
            return CommitArgs()
        found = parse(argv)
        if found is not None:
            return found
        parent = _parent(pid)
        if parent is None or parent <= 1:
            break
        pid = parent
    return CommitArgs()


def _cmdline(pid: int) -> list[str] | None:
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            raw = f.read()
    except OSError:
        return None
    return [os.fsdecode(arg) for arg in raw.split(b'\0')[:-1]]


def _parent(pid: int) -> int | None:
    try:
        with open(f'/proc/{pid}/stat', 'rb') as f:
            fields = f.read().rsplit(b')', 1)[1].split()
        return int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def parse(argv: list[str]) -> CommitArgs | None:
    """The options of `git [global options] commit|merge ...`; None for any other command."""
    if not argv or os.path.basename(argv[0]) not in ('git', 'git.exe', 'git-commit', 'git-merge'):
        return None
    index = 1
    if os.path.basename(argv[0]) == 'git':
        while index < len(argv) and argv[index].startswith('-'):
            index += 2 if argv[index] in _GLOBAL_WITH_VALUE else 1
        if index >= len(argv) or argv[index] not in ('commit', 'merge'):
            return None
        index += 1
    return _options(argv[index:])


def _options(args: list[str]) -> CommitArgs:
    found: dict[str, str] = {}
    index = 0
    while index < len(args) and args[index] != '--':
        arg, index = args[index], index + 1
        value: str | None
        if arg.startswith('--'):
            name, eq, value = arg[2:].partition('=')
            name = _long_name(name)
            if name in _LONG and _LONG[name] and not eq and index < len(args):
                value, index = args[index], index + 1
            if name in ('cleanup', 'template') and value is not None:
                found[name] = value
            found.setdefault(name, '')
            if name in ('verbose', 'no-verbose'):  # the last one wins
                found.pop('no-verbose' if name == 'verbose' else 'verbose', None)
        elif arg.startswith('-') and len(arg) > 1:
            index = _short(arg, args, index, found)
    verbose = None
    if 'verbose' in found or 'no-verbose' in found:
        verbose = 'no-verbose' not in found
    return CommitArgs(True, found.get('cleanup'), found.get('template'),
                      'allow-empty-message' in found, verbose)


def _short(arg: str, args: list[str], index: int, found: dict[str, str]) -> int:
    for position, letter in enumerate(arg[1:], 1):
        if letter == 'v':
            found['verbose'] = ''
            found.pop('no-verbose', None)
        if letter in _SHORT_OPTIONAL:
            return index
        if letter in _SHORT_WITH_VALUE:
            value = arg[position + 1:]
            if not value and index < len(args):
                value, index = args[index], index + 1
            if letter == 't':
                found['template'] = value
            return index
    return index


def _long_name(name: str) -> str:
    """git's unique-prefix abbreviations: `--clean=strip` is `--cleanup=strip`."""
    if name in _LONG or name.startswith('no-'):
        return name
    matches = [option for option in _LONG if option.startswith(name)]
    return matches[0] if len(matches) == 1 else name
