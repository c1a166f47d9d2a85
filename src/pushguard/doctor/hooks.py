"""Are pushguard's hooks where git runs them, current, runnable; is the policy valid?"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator

from pushguard import config, git
from pushguard.doctor import FAIL, OK, WARN, Item
from pushguard.errors import PushguardError
from pushguard.report import display

from pushguard.commands.install import (
    DEFAULT_HOOKS as HOOK_TYPES, FILLED, MARKER, PRE_COMMIT_MARKER, template,
)

_SETTING = re.compile(rb'^(' + '|'.join(FILLED).encode() + rb')=.*$', re.MULTILINE)
_PYTHON = re.compile(rb"^pg_python=(?P<value>.*)$", re.MULTILINE)


def probe() -> Iterator[Item]:
    folder = git.git_path('hooks')
    yield from _hooks_path_elsewhere(folder)
    found = {hook: _read(os.path.join(folder, hook)) for hook in HOOK_TYPES}
    missing = [hook for hook, content in found.items() if content is None]
    ours = {hook: content for hook, content in found.items() if content and MARKER in content}
    framework = [hook for hook, content in found.items()
                 if content and PRE_COMMIT_MARKER in content]
    foreign = [hook for hook, content in found.items()
               if content is not None and hook not in ours and hook not in framework]
    for hook in foreign:
        yield Item('hooks', WARN, f"{_shown(folder, hook)} is another tool's hook, so "
                   "pushguard's does not run there", 'pushguard install   (keeps it as '
                   f'{hook}.legacy and runs it first)')
    for hook, content in ours.items():
        yield from _our_hook(folder, hook, content)
    if framework:
        yield Item('hooks', OK, f'{", ".join(framework)}: run by the pre-commit framework '
                   '(pushguard runs there when .pre-commit-config.yaml lists its hooks)')
    if missing:
        yield Item('hooks', WARN, f'not installed: {", ".join(missing)} (what they check '
                   'reaches the server unchecked)', 'pushguard install')
    elif ours and not foreign:
        yield Item('hooks', OK, f'installed in {display(folder)}: {", ".join(ours)}')


def _hooks_path_elsewhere(folder: str) -> Iterator[Item]:
    """core.hooksPath set: git runs only the hooks there, however many .git/hooks holds."""
    hooks_path = git.config_values('core.hooksPath').get('core.hookspath')
    if not hooks_path:
        return
    default = os.path.join(git.git_path('objects'), os.pardir, 'hooks')
    left_behind = [hook for hook in HOOK_TYPES
                   if (_read(os.path.join(default, hook)) or b'').find(MARKER) >= 0]
    if left_behind and os.path.realpath(default) != os.path.realpath(folder):
        yield Item('hooks', WARN, f'core.hooksPath is {hooks_path}, so git does not run the '
                   f'pushguard hooks in .git/hooks ({", ".join(left_behind)})',
                   'pushguard install   (writes them where core.hooksPath points)')


def _our_hook(folder: str, hook: str, content: bytes) -> Iterator[Item]:
    path = os.path.join(folder, hook)
    if not os.access(path, os.X_OK):
        yield Item('hooks', WARN, f'{_shown(folder, hook)} is not executable, so git skips it',
                   f'chmod +x {display(path)}')
    python = _PYTHON.search(content)
    interpreter = _unquote(python['value']) if python else ''
    if interpreter and not os.access(interpreter, os.X_OK):
        if shutil.which('pushguard') is None:
            yield Item('hooks', FAIL, f'{hook} starts {interpreter}, which no longer exists, and '
                       'no pushguard is on PATH: every commit or push fails',
                       'python3 -m pip install pushguard   (or reinstall it as you did), then '
                       'pushguard install')
        else:
            yield Item('hooks', WARN, f'{hook} starts {interpreter}, which no longer exists '
                       '(it falls back to pushguard on PATH, more slowly)', 'pushguard install')
    if _settings_removed(content) != _settings_removed(template()):
        yield Item('hooks', WARN, f'{hook} was written by another version of pushguard',
                   'pushguard install   (rewrites it; a chained .legacy hook is kept)')


def policy() -> tuple[config.Config | None, list[Item]]:
    try:
        top = git.toplevel()
        cfg = config.load(os.environ.get('PUSHGUARD_CONFIG') or None, top)
    except PushguardError as e:
        return None, [Item('policy', FAIL, e.message,
                           'fix the file as the message says, then pushguard doctor')]
    return cfg, [Item('policy', OK, f'valid: {display(cfg.source)}')]


def _settings_removed(content: bytes) -> bytes:
    return _SETTING.sub(b'', content.replace(b'\r\n', b'\n'))


def _unquote(value: bytes) -> str:
    import shlex
    try:
        words = shlex.split(os.fsdecode(value))
    except ValueError:
        return ''
    return words[0] if words else ''


def _read(path: str) -> bytes | None:
    try:
        with open(path, 'rb') as f:
            return f.read(1 << 20)
    except OSError:
        return None


def _shown(folder: str, hook: str) -> str:
    return display(os.path.relpath(os.path.join(folder, hook)))
