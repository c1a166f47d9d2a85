"""How `pushguard doctor` shows its items: a line each (text), or `{"items": [...]}` (json)."""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING
from pushguard.report._shared import dump_json, hanging

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from pushguard.doctor import Item


def render(items: Sequence[Item], fmt: str, stream: TextIO) -> None:
    if fmt == 'json':
        dump_json({'items': [item.as_dict() for item in items]}, stream)
        return
    for item in items:
        stream.write(f'{item.status:<4} {item.item}: {item.message}\n')
        if item.fix and item.status != 'ok':
            fix = hanging(item.fix.split('\n'), len('     fix: '))
            stream.write(f'     fix: {fix}\n')
