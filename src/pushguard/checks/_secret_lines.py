"""detect-secrets' line scan, run on the lines that may matter: `scan_hits` shows it only the
lines a plugin's own pattern matches (`_secret_reduce`), each read in the whole file, without
writing the file; `scan_lines`, a written file's lines without its transformers' parses.

Both call detect-secrets' own per-line steps (its filters, its plugins, its code snippets) as
`_process_line_based_plugins` does, so a line's verdict is the one a full scan gives it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


# detect-secrets' own filters read a file's name, never its bytes; this one asks whether it
# exists, which a file pushguard writes always does
_EXISTS = 'detect_secrets.filters.common.is_invalid_file'
_OWN_FILTERS = 'detect_secrets.filters.'
_LINE_SCAN = ('_process_line_based_plugins', 'get_filters_with_parameter',
              'call_function_with_arguments', '_scan_line', '_is_filtered_out', 'get_code_snippet')


def in_memory(content: str) -> bool:
    """Whether `scan_hits` can take `content` without the file written: no CR (detect-secrets'
    universal newlines), this detect-secrets' line scan at hand, and only its own filters."""
    from detect_secrets.core import scan
    from detect_secrets.settings import get_settings

    return '\r' not in content and all(hasattr(scan, attr) for attr in _LINE_SCAN) \
        and all(path.startswith(_OWN_FILTERS) for path in get_settings().filters)


def _name_filtered(name: str, written: bool) -> bool:
    """detect-secrets' filters on the file name (`_is_filtered_out(['filename'])`), with the
    file's existence taken as given when it was not written (`in_memory`)."""
    from detect_secrets.core import scan

    for filter_fn in scan.get_filters_with_parameter('filename'):
        if not written and getattr(filter_fn, 'path', '') == _EXISTS:
            continue
        try:
            if scan.call_function_with_arguments(filter_fn, filename=name):
                return True
        except TypeError:  # as detect-secrets skips a filter it cannot call so
            continue
    return False


def scan_lines(name: str, content: str, plugins: frozenset[str] | None) -> list[Any]:
    """What `scan_file(name)` finds in the file `name` (written) when no transformer parses it
    (`_secret_reduce` said so): its lines through the plugins, without parsing it twice (ini,
    then eager ini) first, and through only the `plugins` whose patterns match some line (None:
    all of them)."""
    from detect_secrets.core import scan
    from detect_secrets.settings import get_plugins

    process = getattr(scan, '_process_line_based_plugins', None)
    filtered_out = getattr(scan, '_is_filtered_out', None)
    if process is None or filtered_out is None or '\r' in content:
        return list(scan.scan_file(name))  # another detect-secrets, or a CR: its own way
    every = get_plugins()
    if not every or _name_filtered(name, written=True):
        return []
    parts = content.split('\n')  # as readlines() gives them
    lines = [part + '\n' for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    wanted = every if plugins is None else [p for p in every if type(p).__name__ in plugins]
    # scan.py calls get_plugins() per line: it is shown only the plugins that may find something
    original = scan.get_plugins
    scan.get_plugins = lambda: wanted  # type: ignore[assignment]
    try:
        return list(process(lines=list(enumerate(lines, start=1)), filename=name))
    finally:
        scan.get_plugins = original


def scan_hits(name: str, content: str, hits: dict[int, frozenset[str] | None]) -> list[Any]:
    """What `scan_file(name)` finds when no transformer parses the file (`_secret_reduce` said
    so) and only the lines `hits` (indexes) may hold a finding, each through the plugins it names
    (None: all): detect-secrets' line scan (`_process_line_based_plugins`) on those lines alone,
    each read in the whole file (the code snippet its filters read)."""
    from detect_secrets.core import scan
    from detect_secrets.settings import get_plugins

    every = get_plugins()
    if not every or _name_filtered(name, written=False):
        return []
    parts = content.split('\n')  # as readlines() gives them
    lines = [part + '\n' for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    found: list[Any] = []
    for index, names in hits.items():
        if index >= len(lines):
            continue
        number, line = index + 1, lines[index].rstrip()
        snippet = scan.get_code_snippet(lines=lines, line_number=number)
        if scan._is_filtered_out(required_filter_parameters=['line'], filename=name, line=line,
                                 context=snippet):
            continue
        for plugin in every:
            if names is None or type(plugin).__name__ in names:
                found.extend(_line_secrets(scan, plugin, name, line, number, snippet))
    return found


def _line_secrets(scan: Any, plugin: Any, name: str, line: str, number: int, snippet: Any
                  ) -> Iterator[Any]:
    """A plugin's findings in one line, less those the context filters drop, as
    `_process_line_based_plugins` yields them."""
    for secret in scan._scan_line(plugin=plugin, filename=name, line=line, line_number=number,
                                  context=snippet):
        if not scan._is_filtered_out(required_filter_parameters=['context'],
                                     filename=secret.filename, secret=secret.secret_value,
                                     plugin=plugin, line=line, context=snippet):
            yield secret
