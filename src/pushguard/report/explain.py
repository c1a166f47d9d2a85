"""How `pushguard explain` shows causes: text (a block per cause) or json (SPEC's shape)."""
from __future__ import annotations

from pushguard._typing import TYPE_CHECKING
from pushguard.report._shared import dump_json, hanging

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from pushguard.explain import Cause


def render(causes: Sequence[Cause], fmt: str, stream: TextIO) -> None:
    if fmt == 'json':
        dump_json({'causes': [cause.as_dict() for cause in causes]}, stream)
        return
    for cause in causes:
        where = f' ({cause.ref})' if cause.ref else ''
        stream.write(f'cause [{cause.cause}] {cause.message}{where}\n')
        fix = hanging(cause.fix.split('\n'), len('  fix: '))
        stream.write(f'  fix: {fix}\n')
        if cause.seen:
            stream.write(f'  seen: {cause.seen}\n')
