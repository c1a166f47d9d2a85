"""`pushguard init [--preset NAME] [--force]`: write a commented starter `.pushguard.toml`.

The file goes to the top of the work tree (the current directory outside a repository). The
presets ship in the package as `pushguard/presets/NAME.toml`; one that exists is kept unless
`--force` says otherwise.
"""
from __future__ import annotations

import argparse
import os
from importlib import resources
from typing import TYPE_CHECKING

from pushguard import git
from pushguard.config import CONFIG_FILE
from pushguard.errors import GitError, PushguardError
from pushguard.report import display
from pushguard.status import Status

if TYPE_CHECKING:
    from importlib.abc import Traversable


def _presets_dir() -> Traversable:
    return resources.files('pushguard').joinpath('presets')


def preset_names() -> tuple[str, ...]:
    """The presets shipped with the package, by name (`jira` for presets/jira.toml)."""
    return tuple(sorted(
        entry.name[:-len('.toml')] for entry in _presets_dir().iterdir()
        if entry.name.endswith('.toml')
    ))


def preset(name: str) -> bytes:
    """The preset file's bytes; PushguardError naming the known presets when there is none."""
    known = preset_names()
    if name not in known:
        raise PushguardError(f'unknown preset {name!r} (known: {", ".join(known)})')
    return _presets_dir().joinpath(f'{name}.toml').read_bytes()


def _target_dir() -> str:
    try:
        return git.toplevel()
    except GitError:  # not in a work tree: the starter file goes where we are
        return os.getcwd()


def init(args: argparse.Namespace) -> int:
    content = preset(args.preset)
    path = os.path.join(_target_dir(), CONFIG_FILE)
    shown = display(os.path.relpath(path))
    if os.path.lexists(path) and not args.force:
        raise PushguardError(f'{shown} exists already: edit it, or overwrite it with --force')
    try:
        with open(path, 'wb') as f:
            f.write(content)
    except OSError as e:
        raise PushguardError(f'{shown}: cannot write: {e.strerror}') from None
    print(f'wrote {shown} (preset {args.preset}); `pushguard install` puts the hooks in place')
    return Status.OK
