"""`pushguard doctor`'s look at the set-up: one `Item` per thing that can make a push fail.

Each probe returns items; none raises for what it finds (a broken policy is an item, not an
error), and each network probe is bounded in time and never prompts.
"""
from __future__ import annotations

from pushguard._typing import NamedTuple

OK, WARN, FAIL = 'ok', 'warn', 'fail'


class Item(NamedTuple):
    item: str  # what was looked at: hooks, policy, remote, ssh, signing, shallow, token, forge
    status: str  # ok, warn (works, but not as meant), fail (would make a commit or push fail)
    message: str
    fix: str | None = None

    def as_dict(self) -> dict[str, object]:
        return self._asdict()
