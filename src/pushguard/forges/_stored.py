"""Tokens a forge's own command-line tool keeps, read where cheap: no process, no keyring.

GitHub CLI (`gh auth token`) keeps `oauth_token` per host in `hosts.yml`, in $GH_CONFIG_DIR, else
$XDG_CONFIG_HOME/gh, else ~/.config/gh (%AppData%/GitHub CLI on Windows). A token that gh keeps
in the system keyring is not in the file: `git credential fill` (gh is often git's helper) still
finds it. The file is read with a few lines of YAML reading, never a YAML library: only a host's
own `oauth_token:` at the host's first level (the active account) is taken.
"""
from __future__ import annotations

import os


def gh_config_dir() -> str:
    if os.environ.get('GH_CONFIG_DIR'):
        return os.environ['GH_CONFIG_DIR']
    if os.environ.get('XDG_CONFIG_HOME'):
        return os.path.join(os.environ['XDG_CONFIG_HOME'], 'gh')
    if os.name == 'nt' and os.environ.get('AppData'):  # pragma: no cover - Windows
        return os.path.join(os.environ['AppData'], 'GitHub CLI')
    return os.path.join(os.path.expanduser('~'), '.config', 'gh')


def gh_token(host: str) -> str:
    """The token gh keeps in hosts.yml for `host` (github.com, an Enterprise host), or ''."""
    try:
        with open(os.path.join(gh_config_dir(), 'hosts.yml'), encoding='utf-8') as f:
            text = f.read(1 << 20)
    except (OSError, UnicodeDecodeError):
        return ''
    return _host_value(text, host.lower(), 'oauth_token')


def _host_value(text: str, host: str, key: str) -> str:
    """`key` at the first indentation level under the top-level `host:` of a YAML mapping."""
    inside, level = False, None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        indent = len(line) - len(line.lstrip(' '))
        if indent == 0:
            inside = _unquote(stripped.rstrip(':').strip()).lower() == host and \
                stripped.endswith(':')
            level = None
            continue
        if not inside:
            continue
        level = indent if level is None else level
        name, colon, value = stripped.partition(':')
        if indent == level and colon and name.strip() == key:
            return _unquote(value.split(' #')[0].strip())
    return ''


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
        return value[1:-1]
    return value
