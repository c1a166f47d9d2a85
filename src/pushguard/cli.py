"""The front door: `pushguard COMMAND ...` -> the command's function, imported on use."""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace

from pushguard import registry
from pushguard.errors import PushguardError
from pushguard._typing import TYPE_CHECKING
from pushguard.status import Status

if TYPE_CHECKING:
    import argparse

COMMANDS = {name: command.target for name, command in registry.COMMANDS.items()}
HOOKS = {name: hook.target for name, hook in registry.HOOKS.items() if hook.built}
FORMAT_NAMES = tuple(registry.FORMATS)


def _target(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    path = HOOKS[args.hook] if args.command == 'hook' else COMMANDS[args.command]
    function: Callable[[argparse.Namespace], int] = registry.target(path)  # type: ignore[assignment]
    return function


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version('pushguard')
    except PackageNotFoundError:
        return '(not installed)'


def commit_time_hook_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """`hook pre-commit|prepare-commit-msg|commit-msg [--config FILE] ARG...` as the installed
    hooks and the pre-commit manifest pass it, read without argparse: building argparse's
    parser (it runs every help text through gettext) took a tenth of a commit-msg hook's time.
    None for any other command line, which argparse reads, and explains when it is wrong."""
    if len(argv) < 2 or argv[0] != 'hook' or argv[1] not in registry.COMMIT_TIME_HOOKS:
        return None
    hook, rest, config = registry.HOOKS[argv[1]], list(argv[2:]), None
    if rest[:1] == ['--config'] and len(rest) >= 2 + hook.required:
        config, rest = rest[1], rest[2:]
    if any(arg.startswith('-') for arg in rest) or not _fits(rest, hook):
        return None
    names = hook.arguments
    given = {hook.many: rest} if hook.many else {
        **dict.fromkeys(names[hook.required:], ''), **dict(zip(names, rest, strict=False))}
    # the attributes argparse would set; a SimpleNamespace reads the same without importing it
    return SimpleNamespace(  # type: ignore[return-value]
        version=False, command='hook', hook=argv[1], config=config, format='text', only=[],
        skip=[], **given,
    )


def _fits(arguments: list[str], hook: registry.Hook) -> bool:
    return bool(hook.many) or hook.required <= len(arguments) <= len(hook.arguments)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    quick = commit_time_hook_args(argv)
    if quick is not None:
        # a commit-time hook reads one message or the index and exits: reference counting frees
        # what it drops, and the cyclic collector would only walk the modules it is importing
        import gc
        gc.disable()
        return _guarded(_target(quick), quick)
    unbuilt = _not_built(argv)
    if unbuilt:
        print(f'pushguard: error: {unbuilt}', file=sys.stderr)
        return Status.USAGE
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


def _not_built(argv: Sequence[str]) -> str | None:
    """The line for a command or hook the contract names that this version has not built."""
    command = registry.COMMANDS.get(argv[0]) if argv else None
    if command is not None and not command.built:
        return registry.not_built('command', argv[0])
    if argv[:1] == ['hook'] and len(argv) > 1:
        hook = registry.HOOKS.get(argv[1])
        if hook is not None and not hook.built:
            return registry.not_built('hook', argv[1])
    return None


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
    except BrokenPipeError:  # the reader left before the verdict was written: never a pass
        from pushguard.report._shared import silence
        silence(sys.stdout)
        return Status.BLOCKED
    except Exception as e:  # noqa: BLE001 - the last line of defence
        import platform
        print(f'pushguard crashed, please report: {type(e).__name__}: {e}\n'
              f'pushguard {_version()}, Python {platform.python_version()}, {sys.platform}',
              file=sys.stderr)
        return Status.CRASH
