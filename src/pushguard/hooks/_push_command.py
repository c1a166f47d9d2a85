"""Under the pre-commit framework: what else the `git push` that runs us sends.

pre-commit reads git's pre-push lines itself and hands its hooks only the first ref with new
commits (and none of the deletions). Whether the push holds more is told by the command line of
the `git push` process above us (`git push origin a b`, `--all`, `--tags`, `--mirror`) and by
the configuration a bare `git push` follows (`push.default = matching`, `remote.NAME.push`).
When that cannot be read (no such process, a platform without /proc or `ps`), nothing is said:
the note is only ever given when it is true.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from pushguard import _process, git

_MAX_DEPTH = 8  # pushguard <- pre-commit <- its hook script <- git push, with room to spare
_GIT_OPTIONS_WITH_VALUE = frozenset({'-C', '-c', '--git-dir', '--work-tree', '--namespace',
                                     '--config-env'})
_PUSH_OPTIONS_WITH_VALUE = frozenset({'-o', '--push-option', '--repo', '--receive-pack',
                                      '--exec'})


def unchecked(checked_ref: str, remote: str | None) -> str | None:
    """What the running `git push` sends beyond `checked_ref`, in words ("feat, v1", "the refs
    `git push --tags` sends"), or None when it sends no more or that cannot be told."""
    argv = push_argv()
    args = push_arguments(argv) if argv else None
    if args is None:
        return None
    return others(args, checked_ref, Remote.read(remote or _remote_of(args)))


def push_argv(pid: int | None = None) -> list[str] | None:
    """The command line of the nearest `git ... push` process above this one."""
    pid = os.getppid() if pid is None else pid
    for _ in range(_MAX_DEPTH):
        if pid <= 1:
            return None
        found = _process_info(pid)
        if found is None:
            return None
        pid, argv = found
        if push_arguments(argv) is not None:
            return argv
    return None


def push_arguments(argv: Sequence[str]) -> list[str] | None:
    """`git [GIT-OPTIONS] push ARGS` -> ARGS; None for any other command line."""
    if not argv or os.path.basename(argv[0]).removesuffix('.exe') != 'git':
        return None
    words = iter(argv[1:])
    for word in words:
        if word in _GIT_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith('-'):
            return list(words) if word == 'push' else None
    return None


class Remote:
    """What this repository knows of a remote: its remote-tracking branches, the local ones, and
    the push configuration. An up-to-date ref is not sent (git leaves it out of the push)."""

    def __init__(self, name: str | None, local: dict[str, str], tracking: dict[str, str],
                 config: dict[str, list[str]]) -> None:
        self.name, self.local, self.tracking, self.config = name, local, tracking, config

    @classmethod
    def read(cls, name: str | None) -> Remote:
        local: dict[str, str] = {}
        tracking: dict[str, str] = {}
        prefix = f'refs/remotes/{name}/' if name else None
        out = git.run('for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/',
                      *([prefix] if prefix else []))
        for line in git.decode(out).splitlines():
            sha, _, ref = line.partition(' ')
            if ref.startswith('refs/heads/'):
                local[ref[len('refs/heads/'):]] = sha
            elif prefix and ref.startswith(prefix):
                tracking[ref[len(prefix):]] = sha
        return cls(name, local, tracking, _push_config(name))

    def sent(self, refspecs: Sequence[str]) -> list[str]:
        """Those of `refspecs` that would change the remote, as far as the tracking refs tell
        (one git process for them all)."""
        ends = [(spec, *spec.removeprefix('+').partition(':')[::2]) for spec in refspecs]
        known = [src for _, src, dst in ends if src and _short(dst or src) in self.tracking]
        commit_of = git.peel_commits(known) if known else {}
        return [spec for spec, src, dst in ends if self._sends(src, _short(dst or src), commit_of)]

    def _sends(self, src: str, target: str, commit_of: dict[str, str]) -> bool:
        if not src:  # a deletion: sent when the remote has the branch, or may have it
            return target in self.tracking or target not in self.local
        have = self.tracking.get(target)
        return have is None or commit_of.get(src) != have

    def differing(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if self.tracking.get(name) != self.local[name]]


def others(args: Sequence[str], checked_ref: str, remote: Remote) -> str | None:
    """From `git push`'s ARGS: the refs it sends besides `checked_ref`, in words, or None."""
    flags, positional = _split(args)
    checked = _short(checked_ref)
    if '--mirror' in flags or '--tags' in flags:  # tags the remote lacks: not known here
        return f'the other refs `git push {"--mirror" if "--mirror" in flags else "--tags"}` sends'
    if '--all' in flags or '--branches' in flags:
        return _names(remote.differing([b for b in remote.local if b != checked]))
    refspecs = positional[1:]
    if not refspecs:
        return _configured(remote, checked)
    rest = [spec for spec in refspecs if _short(_target(spec)) != checked]
    if len(rest) == len(refspecs):  # which one pre-commit chose is not told: say the others
        rest = rest[1:]
    return _names(remote.sent(rest))


def _split(args: Sequence[str]) -> tuple[set[str], list[str]]:
    """`git push` ARGS -> (its flags, its repository and refspecs)."""
    flags: set[str] = set()
    positional: list[str] = []
    words = iter(args)
    for word in words:
        if word == '--':
            positional.extend(words)
        elif word in _PUSH_OPTIONS_WITH_VALUE:
            next(words, None)
        elif word.startswith('-'):
            flags.add(word.split('=', 1)[0])
        else:
            positional.append(word)
    return flags, positional


def _remote_of(args: Sequence[str]) -> str | None:
    positional = _split(args)[1]
    return positional[0] if positional else None


def _target(refspec: str) -> str:
    src, _, dst = refspec.removeprefix('+').partition(':')
    return dst or src


def _short(ref: str) -> str:
    return ref.removeprefix('refs/heads/').removeprefix('refs/tags/')


def _names(names: Sequence[str]) -> str | None:
    return ', '.join(names) or None


def _configured(remote: Remote, checked: str) -> str | None:
    """What a `git push [REMOTE]` without refspecs sends beyond one ref, by configuration."""
    specs = remote.config.get(f'remote.{remote.name}.push', [])
    if len(specs) > 1 or any('*' in spec for spec in specs):
        return f'the other refs remote.{remote.name}.push names'
    if remote.config.get('push.default', [''])[-1] == 'matching':
        both = [name for name in remote.local if name in remote.tracking and name != checked]
        return _names(remote.differing(both))
    return None


def _push_config(remote: str | None) -> dict[str, list[str]]:
    keys = ['push.default', *([f'remote.{remote}.push'] if remote else [])]
    pattern = '^(' + '|'.join(key.replace('.', r'\.') for key in keys) + ')$'
    out = git.run('config', '-z', '--get-regexp', pattern, ok=(0, 1))
    config: dict[str, list[str]] = {}
    for item in out.split(b'\0'):
        if item:
            key, _, value = git.decode(item).partition('\n')
            config.setdefault(key, []).append(value)
    return config


def _process_info(pid: int) -> tuple[int, list[str]] | None:
    """(parent pid, argv) of process `pid`: from /proc, else from `ps` (words split on
    spaces there, which is enough to find a `git push` and its refspecs)."""
    try:
        with open(f'/proc/{pid}/stat', 'rb') as f:
            stat = f.read()
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            cmdline = f.read()
    except OSError:
        return _from_ps(pid)
    parent = int(stat.rsplit(b')', 1)[1].split()[1])
    return parent, [os.fsdecode(arg) for arg in cmdline.removesuffix(b'\0').split(b'\0')]


def _from_ps(pid: int) -> tuple[int, list[str]] | None:
    try:
        code, out, _ = _process.run(('ps', '-o', 'ppid=', '-o', 'args=', '-p', str(pid)))
    except OSError:
        return None
    words = out.decode('utf-8', 'replace').split()
    if code or len(words) < 2 or not words[0].isdigit():
        return None
    return int(words[0]), words[1:]
