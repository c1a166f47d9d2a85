"""How `pushguard explain` shows causes: text (a block per cause) or json (SPEC's shape)."""
from __future__ import annotations

import json

from pushguard._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from pushguard.explain import Cause


def render(causes: Sequence[Cause], fmt: str, stream: TextIO) -> None:
    if fmt == 'json':
        json.dump({'causes': [cause.as_dict() for cause in causes]}, stream, ensure_ascii=False,
                  indent=2)
        stream.write('\n')
        return
    for cause in causes:
        where = f' ({cause.ref})' if cause.ref else ''
        stream.write(f'cause [{cause.cause}] {cause.message}{where}\n')
        first, *rest = cause.fix.split('\n')
        stream.write(f'  fix: {first}\n')
        for line in rest:
            stream.write(f'       {line}\n')
        if cause.seen:
            stream.write(f'  seen: {cause.seen}\n')
