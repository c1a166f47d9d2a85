"""Exit statuses: the one place they are defined."""
from __future__ import annotations

import enum


class Status(enum.IntEnum):
    OK = 0
    BLOCKED = 1
    USAGE = 2
    CRASH = 3
    INTERRUPTED = 130
