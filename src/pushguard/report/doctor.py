"""How `pushguard doctor` shows its items: a line each (text), or `{"items": [...]}` (json)."""
from __future__ import annotations

import json

from pushguard._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from pushguard.doctor import Item


def render(items: Sequence[Item], fmt: str, stream: TextIO) -> None:
    if fmt == 'json':
        json.dump({'items': [item.as_dict() for item in items]}, stream, ensure_ascii=False,
                  indent=2)
        stream.write('\n')
        return
    for item in items:
        stream.write(f'{item.status:<4} {item.item}: {item.message}\n')
        if item.fix and item.status != 'ok':
            first, *rest = item.fix.split('\n')
            stream.write(f'     fix: {first}\n')
            for line in rest:
                stream.write(f'          {line}\n')
