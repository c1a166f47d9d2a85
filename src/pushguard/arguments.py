"""argparse's parser for every command and hook: built only when argparse reads the arguments."""
from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence

from pushguard import registry

FORMAT_NAMES = tuple(registry.FORMATS)
HOOKS = tuple(name for name, hook in registry.HOOKS.items() if hook.built)


def _id_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(',') if item.strip()]


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--format', choices=FORMAT_NAMES, default='text', help='output format')
    parser.add_argument('--config', metavar='FILE', help='policy file (default: .pushguard.toml)')
    parser.add_argument('--only', type=_id_list, default=[], metavar='ID,...',
                        help='run only these checks')
    parser.add_argument('--skip', type=_id_list, default=[], metavar='ID,...',
                        help='do not run these checks')


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, sized without `shutil` (its import costs every hook start-up)."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size().columns - 2
        except OSError:
            width = 78
        super().__init__(prog, width=max(width, 40))


def _install_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--hook', dest='hooks', action='append', choices=tuple(HOOKS),
                        metavar='TYPE', help=f'hook type to install ({", ".join(HOOKS)})')
    parser.add_argument('--uninstall', action='store_true', help='remove our hooks again')
    parser.add_argument('--config', metavar='FILE', help='policy file the hooks should use')
    parser.add_argument('--server', action='store_true',
                        help='install the pre-receive hook in this (bare) server repository')
    parser.add_argument('--force', action='store_true',
                        help='also chain hooks that git tracks (husky)')


def _commit_msg_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('file', metavar='FILE')


def _prepare_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('file', metavar='FILE')
    parser.add_argument('source', metavar='SOURCE', nargs='?', default='')
    parser.add_argument('sha', metavar='SHA', nargs='?', default='')


def _pre_commit_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('filenames', metavar='FILENAME', nargs='*',
                        help='ignored: the index says what is committed')


def _pre_push_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('remote', metavar='REMOTE', nargs='?')
    parser.add_argument('url', metavar='URL', nargs='?')


def _check_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('range', metavar='RANGE', nargs='*',
                        help='revisions, e.g. main..HEAD (default: what @{upstream} lacks)')
    parser.add_argument('--branch', metavar='NAME', help='the branch the range is pushed to')
    _add_common(parser)


def _init_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--preset', default='default', metavar='NAME',
                        help='conventional, jira, jira-conventional, or default')
    parser.add_argument('--force', action='store_true', help='overwrite an existing file')


def _explain_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('file', metavar='FILE', nargs='?',
                        help="the failed push's output (default: standard input)")
    parser.add_argument('--format', choices=('text', 'json'), default='text',
                        help='output format')


def _doctor_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--format', choices=('text', 'json'), default='text',
                        help='output format')


def _remote_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('ref', metavar='BRANCH|TAG', nargs='?',
                        help='the ref to ask about (default: the current branch)')
    parser.add_argument('--remote', metavar='NAME',
                        help='the remote to ask (default: the upstream\'s, else origin)')
    parser.add_argument('--format', choices=('text', 'json'), default='text')
    parser.add_argument('--config', metavar='FILE', help='policy file (default: .pushguard.toml)')


# each hook's own arguments; what it is for comes from the registry
_HOOK_PARSERS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    'commit-msg': _commit_msg_args,
    'prepare-commit-msg': _prepare_args,
    'pre-commit': _pre_commit_args,
    'pre-push': _pre_push_args,
    'pre-receive': lambda parser: None,
}


def _hook_args(parser: argparse.ArgumentParser, wanted: str | None) -> None:
    hooks = parser.add_subparsers(dest='hook', metavar='TYPE', required=True)
    for name, add_args in _HOOK_PARSERS.items():
        summary = registry.HOOKS[name].summary
        hook_parser = hooks.add_parser(name, help=summary, formatter_class=_Formatter)
        if wanted in (None, name):
            add_args(hook_parser)
            _add_common(hook_parser)


def _sync_args(parser: argparse.ArgumentParser) -> None:
    from pushguard.commands.sync import add_arguments
    add_arguments(parser)


def _ci_args(parser: argparse.ArgumentParser) -> None:
    from pushguard.commands.ci import add_arguments
    add_arguments(parser)


# each command's own arguments; what it is for comes from the registry
_COMMAND_PARSERS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    'install': _install_args,
    'hook': lambda parser: None,
    'check': _check_args,
    'init': _init_args,
    'explain': _explain_args,
    'doctor': _doctor_args,
    'remote': _remote_args,
    'ci': _ci_args,
    'sync': _sync_args,
}


def parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the subcommand in `argv` gets its arguments (a hook starts faster)."""
    command = argv[0] if argv and argv[0] in _COMMAND_PARSERS else None
    parser = argparse.ArgumentParser(
        prog='pushguard', description='Catch what the server would reject, before you push.',
        formatter_class=_Formatter,
    )
    parser.add_argument('--version', action='store_true', help='print the version and exit')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')
    for name, add_args in _COMMAND_PARSERS.items():
        summary = registry.COMMANDS[name].summary
        command_parser = sub.add_parser(name, help=summary, formatter_class=_Formatter)
        if command in (None, name):
            add_args(command_parser)
        if name == 'hook' and command in (None, name):
            hook_type = argv[1] if command and len(argv) > 1 and argv[1] in HOOKS else None
            _hook_args(command_parser, hook_type)
    return parser
