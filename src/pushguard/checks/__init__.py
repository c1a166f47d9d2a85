"""The checks, as the registry lists them: id -> module path. Nothing is imported until used.

Each module has `ID`, `NEEDS` (a frozenset of model.Need) and
`check(ctx, cfg) -> Iterator[Finding]`, which reads only what the engine fetched; a check that
reads commits or changes also has `stream(ctx, cfg)`, so that a push is streamed through it
(checks._stream, pushguard.streamed) instead of being held whole. Where each check
makes sense is `PLACES`, kept in the registry so that a commit-msg hook never imports a content
check.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard import registry
from pushguard._typing import TYPE_CHECKING
from pushguard.model import Context, Finding, Need, Place

if TYPE_CHECKING:
    from typing import Protocol

    from pushguard.config import Config

# the checks built in this version: id -> module path (CHECK_IDS: every id the contract names)
CHECKS = {check_id: check.module for check_id, check in registry.CHECKS.items() if check.built}
REMOTE_CHECKS = tuple(check_id for check_id, check in registry.CHECKS.items()
                      if check.turned_on_by == ('remote_enabled',))
CHECK_IDS = frozenset(registry.CHECKS)
PLACES = {check_id: frozenset(Place(place) for place in check.places)
          for check_id, check in registry.CHECKS.items()}


if TYPE_CHECKING:
    class Check(Protocol):
        ID: str
        NEEDS: frozenset[Need]

        def check(self, ctx: Context, cfg: Config) -> Iterator[Finding]: ...


def load(check_id: str) -> Check:
    module: Check = registry.target(CHECKS[check_id])  # type: ignore[assignment]
    return module
