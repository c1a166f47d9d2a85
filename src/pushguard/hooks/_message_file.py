"""Reading the message file git hands to commit-msg and prepare-commit-msg hooks."""
from __future__ import annotations

import codecs

from pushguard import files, git
from pushguard.errors import PushguardError

SCISSORS = '------------------------ >8 ------------------------'
MAX_SIZE = 100 * 2**20  # no forge takes a commit object larger (GitHub's limit per object)


def read_bytes(path: str) -> bytes:
    return files.read(path, MAX_SIZE, 'the commit message', PushguardError)


def message_settings() -> tuple[str, str]:
    """(encoding, comment char) from one `git config` call."""
    values = git.config_values('i18n.commitEncoding', 'core.commentChar')
    return (_encoding(values.get('i18n.commitencoding')),
            _comment_char(values.get('core.commentchar')))


def _encoding(name: str | None) -> str:
    """i18n.commitEncoding when Python knows it, else UTF-8."""
    try:
        return codecs.lookup(name or 'utf-8').name
    except LookupError:
        return 'utf-8'


def decode(raw: bytes, charset: str) -> str:
    return raw.decode(charset, 'replace')


def _comment_char(value: str | None) -> str:
    """core.commentChar ('auto' and unset mean '#', as git reads it for an existing message)."""
    return '#' if not value or value == 'auto' else value


def clean(message: str, comment: str | None) -> str:
    """What git keeps with --cleanup=strip: no comment lines, nothing under the scissors line.

    With `comment` None, what --cleanup=whitespace keeps (comment lines too).
    """
    kept = []
    for line in message.replace('\r\n', '\n').split('\n'):
        is_comment = comment is not None and line.startswith(comment)
        if is_comment and line[len(comment or ''):].strip() == SCISSORS:
            break
        if not is_comment:
            kept.append(line.rstrip())
    text = '\n'.join(kept)
    while '\n\n\n' in text:
        text = text.replace('\n\n\n', '\n\n')
    return text.strip('\n')


def _has_git_comments(message: str, comment: str) -> bool:
    """Whether git wrote its help lines (`# Please enter ...`, a bare `#`) into the message."""
    return any(line.rstrip() == comment or line.startswith(f'{comment} ')
               for line in message.split('\n'))


def read_clean(path: str) -> str:
    """The message in FILE as git will store it.

    `git commit -m '#12 fix crash'` stores `#12 fix crash`: a message not edited is cleaned of
    whitespace only. So a message that is nothing but comment-like lines, none of them git's
    own help lines, is taken as it is.
    """
    charset, comment = message_settings()
    message = decode(read_bytes(path), charset)
    cleaned = clean(message, comment)
    if not cleaned and not _has_git_comments(message, comment):
        return clean(message, None)
    return cleaned
