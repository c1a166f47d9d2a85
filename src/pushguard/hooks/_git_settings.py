"""git's settings that say how git will clean the message file up, asked for first.

The commit-msg hook starts `git config` before it imports its policy, engine and checks, and
reads the answer when it reads the message file, so git and Python work at once. This module
imports only the process runner (`pushguard.git` imports `re`, which alone takes longer than
the git process), and reads git's answer as `git.config_values` does.
"""
from __future__ import annotations

from pushguard import _process

KEYS = ('i18n.commitEncoding', 'core.commentChar', 'commit.cleanup', 'commit.template',
        'commit.verbose')
# the pattern `git.config_values(*KEYS)` asks git for (a test holds them equal)
PATTERN = (r'^(i18n\.commitencoding|core\.commentchar|commit\.cleanup|commit\.template'
           r'|commit\.verbose)$')
ARGV = ('git', 'config', '-z', '--get-regexp', PATTERN)


class Started:
    """`git config` for KEYS, started now: `values()` gives what `git.config_values(*KEYS)`
    gives; `close()` waits for git when nothing asked (a hook that fails first leaves no
    process behind)."""

    def __init__(self) -> None:
        self._finish = _process.start(ARGV)
        self._said: tuple[int, bytes, bytes] | None = None

    def values(self) -> dict[str, str]:
        code, out, err = self._result()
        if code not in (0, 1):  # 1: none of them is set
            from pushguard.errors import GitError
            from pushguard.git import failure_message
            raise GitError(failure_message(ARGV, code, err))
        found: dict[str, str] = {}
        for item in out.split(b'\0'):
            if item:
                key, _, value = item.decode('utf-8', 'replace').partition('\n')
                found[key] = value  # the last one listed is the most local, as git reads it
        return found

    def close(self) -> None:
        self._result()

    def _result(self) -> tuple[int, bytes, bytes]:
        if self._said is None:
            self._said = self._finish()
        return self._said


def start() -> Started | None:
    """`git config` started now; None when git could not be started (the message file's reader
    asks again, and says why it fails)."""
    try:
        return Started()
    except OSError:
        return None
