"""argparse front door: `pushguard COMMAND ...` -> the command's function, imported on use."""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from pushguard.errors import PushguardError
from pushguard.status import Status

COMMANDS = {
    'install': 'pushguard.commands.install:install',
    'check': 'pushguard.commands.check:check',
    'init': 'pushguard.commands.init:init',
}
HOOKS = {
    'commit-msg': 'pushguard.hooks.commit_msg:commit_msg',
    'prepare-commit-msg': 'pushguard.hooks.prepare_commit_msg:prepare_commit_msg',
    'pre-commit': 'pushguard.hooks.pre_commit:pre_commit',
    'pre-push': 'pushguard.hooks.pre_push:pre_push',
}
FORMAT_NAMES = ('text', 'json', 'sarif', 'junit', 'github', 'gitlab')


def _id_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(',') if item.strip()]


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--format', choices=FORMAT_NAMES, default='text', help='output format')
    parser.add_argument('--config', metavar='FILE', help='policy file (default: .pushguard.toml)')
    parser.add_argument('--only', type=_id_list, default=[], metavar='ID,...',
                        help='run only these checks')
    parser.add_argument('--skip', type=_id_list, default=[], metavar='ID,...',
                        help='do not run these checks')


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='pushguard', description='Catch what the server would reject, before you push.',
    )
    parser.add_argument('--version', action='store_true', help='print the version and exit')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')

    install = sub.add_parser('install', help='write git hooks into this repository')
    install.add_argument('--hook', dest='hooks', action='append', choices=tuple(HOOKS),
                         metavar='TYPE', help=f'hook type to install ({", ".join(HOOKS)})')
    install.add_argument('--uninstall', action='store_true', help='remove our hooks again')
    install.add_argument('--config', metavar='FILE', help='policy file the hooks should use')

    hook = sub.add_parser('hook', help='run as a git hook (git calls this)')
    hooks = hook.add_subparsers(dest='hook', metavar='TYPE', required=True)
    commit_msg = hooks.add_parser('commit-msg', help='check the commit message file')
    commit_msg.add_argument('file', metavar='FILE')
    prepare = hooks.add_parser('prepare-commit-msg', help='insert the Jira key from the branch')
    prepare.add_argument('file', metavar='FILE')
    prepare.add_argument('source', metavar='SOURCE', nargs='?', default='')
    prepare.add_argument('sha', metavar='SHA', nargs='?', default='')
    pre_commit = hooks.add_parser('pre-commit', help='check the staged files')
    pre_commit.add_argument('filenames', metavar='FILENAME', nargs='*',
                            help='ignored: the index says what is committed')
    pre_push = hooks.add_parser('pre-push', help='check what a push sends (refs on stdin)')
    pre_push.add_argument('remote', metavar='REMOTE', nargs='?')
    pre_push.add_argument('url', metavar='URL', nargs='?')
    for hook_parser in hooks.choices.values():
        _add_common(hook_parser)

    check = sub.add_parser('check', help='check a range of commits as a push would be')
    check.add_argument('range', metavar='RANGE', nargs='*',
                       help='revisions, e.g. main..HEAD (default: what @{upstream} lacks)')
    check.add_argument('--branch', metavar='NAME', help='the branch the range is pushed to')
    _add_common(check)

    init = sub.add_parser('init', help='write a starter .pushguard.toml')
    init.add_argument('--preset', default='default', metavar='NAME',
                      help='conventional, jira, jira-conventional, or default')
    init.add_argument('--force', action='store_true', help='overwrite an existing file')
    return parser


def _target(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    path = HOOKS[args.hook] if args.command == 'hook' else COMMANDS[args.command]
    module_name, function = path.split(':')
    return getattr(importlib.import_module(module_name), function)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version('pushguard')
    except PackageNotFoundError:
        return '(not installed)'


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: usage errors exit 2 with its own message
        return int(e.code or 0)
    if args.version:
        print(f'pushguard {_version()}')
        return Status.OK
    if args.command is None:
        parser.print_help()
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
