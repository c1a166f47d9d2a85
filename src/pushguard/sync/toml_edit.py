"""Set keys in `.pushguard.toml` by editing its text: every comment, blank line and key order
the file has stays as written (no TOML writer is a dependency, and re-serialising would lose
them). Only `[table]` headers and `key = value` lines of those tables are touched.
"""
from __future__ import annotations

import json
import re


def literal(value: object) -> str:
    """`value` as TOML: a regex as a literal string when it can be one ('a\\d', no escapes)."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return '[' + ', '.join(literal(v) for v in value) + ']'
    text = str(value)
    if "'" not in text and not any(ord(c) < 32 or c == '\x7f' for c in text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def set_key(text: str, table: str, key: str, value: object) -> str:
    """`text` with `key = value` in `[table]`: the key's line replaced, else added at the end
    of the table, else the table added at the end of the file."""
    lines = text.splitlines(keepends=True)
    header = re.compile(rf'^\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$')
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    new = f'{key} = {literal(value)}\n'
    if start is None:
        tail = '' if not text or text.endswith('\n') else '\n'
        return f'{text}{tail}{"" if not text else chr(10)}[{table}]\n{new}'
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith('[')
                and not _in_array(lines, start + 1, i)), len(lines))
    own = re.compile(rf'^(\s*)(["\']?){re.escape(key)}\2\s*=')
    for i in range(start + 1, end):
        found = own.match(lines[i])
        if found:
            last = _value_end(lines, i, end)
            lines[i:last + 1] = [found[1] + new]
            return ''.join(lines)
    at = end
    while at > start + 1 and not lines[at - 1].strip():
        at -= 1
    if at > 0 and not lines[at - 1].endswith('\n'):
        lines[at - 1] += '\n'
    lines.insert(at, new)
    return ''.join(lines)


def _value_end(lines: list[str], i: int, end: int) -> int:
    """The last line of the value starting on line `i` (a multi-line array ends at its `]`)."""
    value = lines[i].split('=', 1)[1].strip()
    if not value.startswith('[') or _depth(value) <= 0:
        return i
    depth = _depth(value)
    for j in range(i + 1, end):
        depth += _depth(lines[j])
        if depth <= 0:
            return j
    return i


def _depth(text: str) -> int:
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'|#.*', '', text)
    return text.count('[') - text.count(']')


def _in_array(lines: list[str], first: int, i: int) -> bool:
    return sum(_depth(line.split('=', 1)[1] if '=' in line else line)
               for line in lines[first:i]) > 0
