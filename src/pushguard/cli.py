"""The front door: `pushguard COMMAND ...` -> the command's function, imported on use."""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace

from pushguard.errors import PushguardError
from pushguard._typing import TYPE_CHECKING
from pushguard.status import Status

if TYPE_CHECKING:
    import argparse

COMMANDS = {
    'install': 'pushguard.commands.install:install',
    'check': 'pushguard.commands.check:check',
    'init': 'pushguard.commands.init:init',
    'ci': 'pushguard.commands.ci:ci',
}
HOOKS = {
    'commit-msg': 'pushguard.hooks.commit_msg:commit_msg',
    'prepare-commit-msg': 'pushguard.hooks.prepare_commit_msg:prepare_commit_msg',
    'pre-commit': 'pushguard.hooks.pre_commit:pre_commit',
    'pre-push': 'pushguard.hooks.pre_push:pre_push',
    'pre-receive': 'pushguard.hooks.pre_receive:pre_receive',
}
FORMAT_NAMES = ('text', 'json', 'sarif', 'junit', 'github', 'gitlab')


def _target(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    path = HOOKS[args.hook] if args.command == 'hook' else COMMANDS[args.command]
    module_name, function = path.split(':')
    __import__(module_name)  # importlib.import_module would import warnings, at every start
    return getattr(sys.modules[module_name], function)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version('pushguard')
    except PackageNotFoundError:
        return '(not installed)'


# the hooks a commit starts: their arguments after `hook TYPE` as git passes them (the first
# required, the others optional), and the name that takes any number of arguments
_COMMIT_TIME_HOOKS: dict[str, tuple[tuple[str, ...], str | None]] = {
    'pre-commit': ((), 'filenames'),
    'prepare-commit-msg': (('file', 'source', 'sha'), None),
    'commit-msg': (('file',), None),
}


def commit_time_hook_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """`hook pre-commit|prepare-commit-msg|commit-msg [--config FILE] ARG...` as the installed
    hooks and the pre-commit manifest pass it, read without argparse: building argparse's
    parser (it runs every help text through gettext) took a tenth of a commit-msg hook's time.
    None for any other command line, which argparse reads, and explains when it is wrong."""
    if len(argv) < 2 or argv[0] != 'hook' or argv[1] not in _COMMIT_TIME_HOOKS:
        return None
    (names, many), rest, config = _COMMIT_TIME_HOOKS[argv[1]], list(argv[2:]), None
    if rest[:1] == ['--config'] and len(rest) >= 2 + bool(names):
        config, rest = rest[1], rest[2:]
    if any(arg.startswith('-') for arg in rest) or not _fits(rest, names, many):
        return None
    given = {many: rest} if many else {
        **dict.fromkeys(names[1:], ''), **dict(zip(names, rest, strict=False))}
    # the attributes argparse would set; a SimpleNamespace reads the same without importing it
    return SimpleNamespace(  # type: ignore[return-value]
        version=False, command='hook', hook=argv[1], config=config, format='text', only=[],
        skip=[], **given,
    )


def _fits(arguments: list[str], names: tuple[str, ...], many: str | None) -> bool:
    return bool(many) or 1 <= len(arguments) <= len(names)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    quick = commit_time_hook_args(argv)
    if quick is not None:
        return _guarded(_target(quick), quick)
    from pushguard.arguments import parser
    command_line = parser(argv)
    try:
        args = command_line.parse_args(argv)
    except SystemExit as e:  # argparse: usage errors exit 2 with its own message
        return int(e.code or 0)
    if args.version:
        print(f'pushguard {_version()}')
        return Status.OK
    if args.command is None:
        command_line.print_help()
        return Status.USAGE
    return _guarded(_target(args), args)


def _guarded(function: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """The one error handler: our errors print one line; a crash is never silent nor exit 0."""
    try:
        return int(function(args))
    except PushguardError as e:
        print(f'pushguard: error: {e.message}', file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print('pushguard: interrupted', file=sys.stderr)
        return Status.INTERRUPTED
    except BrokenPipeError:
        return Status.OK
    except Exception as e:  # noqa: BLE001 - the last line of defence
        import platform
        print(f'pushguard crashed, please report: {type(e).__name__}: {e}\n'
              f'pushguard {_version()}, Python {platform.python_version()}, {sys.platform}',
              file=sys.stderr)
        return Status.CRASH
