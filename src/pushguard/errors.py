"""User-facing errors: each carries the one line to print and the exit status."""
from __future__ import annotations

from pushguard.status import Status


class PushguardError(Exception):
    status = Status.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(PushguardError):
    """A config file could not be read or holds a bad key or value."""


class GitError(PushguardError):
    """git failed, or the repository is not what the command needs."""


class ForgeError(PushguardError):
    """The forge could not be asked."""
