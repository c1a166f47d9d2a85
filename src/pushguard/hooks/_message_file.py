"""The message file git hands to commit-msg and prepare-commit-msg hooks, read as git will store it.

git cleans the file up after the commit-msg hook (builtin/commit.c: cleanup_message), by the
mode `--cleanup` or `commit.cleanup` names:

- strip: comment lines go;
- whitespace: trailing whitespace (space, tab, CR) goes, blank lines collapse, `#` lines stay;
- verbatim: nothing changes;
- scissors: whitespace, when the message was edited (else plain whitespace);
- default: strip when an editor ran, else whitespace (`git commit -m '#12 fix'` keeps `#12`).

With -v (or commit.verbose) and in the scissors mode, everything from git's scissors line down
(the diff of `commit -v`) goes too. git tells a hook that no editor runs by setting GIT_EDITOR
to `:`.
"""
from __future__ import annotations

import codecs
import os

from pushguard import files, git
from pushguard._typing import NamedTuple
from pushguard.errors import PushguardError
from pushguard.hooks._commit_args import CommitArgs, commit_args
from pushguard.hooks._git_settings import KEYS, Started

SCISSORS = '------------------------ >8 ------------------------'
MAX_SIZE = 100 * 2**20  # no forge takes a commit object larger (GitHub's limit per object)
_GIT_SPACE = ' \t\r\n'  # git's isspace: not \v nor \f
_SIGN_OFF = 'Signed-off-by: '
MODES = ('strip', 'whitespace', 'verbatim', 'scissors', 'default')


class MessageFile(NamedTuple):
    path: str
    raw: bytes
    charset: str
    comment: str
    mode: str  # strip, whitespace, verbatim or scissors: the one git will apply
    cut: bool  # -v or the scissors mode: git cuts the message at its scissors line
    template: str | None  # the template's path (-t or commit.template)
    allow_empty: bool = False  # --allow-empty-message: git commits an empty message

    @property
    def text(self) -> str:
        return self.raw.decode(self.charset, 'replace')

    def stored(self, text: str | None = None) -> str:
        """`text` (the file's) as git will store it."""
        return cleanup(self.text if text is None else text, self.mode, self.comment, self.cut)

    def subject_index(self, text: str) -> int | None:
        return subject_index(text, self.mode, self.comment, self.cut)


def read(path: str, settings: Started | None = None) -> MessageFile:
    """The message file with git's settings: encoding, comment char, cleanup mode, template
    (from `settings`, started by `_git_settings`, else from a git process run now)."""
    raw = read_bytes(path)
    values = settings.values() if settings is not None else git.config_values(*KEYS)
    comment = _comment_char(values.get('core.commentchar'), raw)
    args = commit_args()
    editor = os.environ.get('GIT_EDITOR') != ':' or _has_git_comments(raw, comment)
    mode = effective_mode(args.cleanup or values.get('commit.cleanup'), editor)
    template = args.template or values.get('commit.template') or None
    cut = mode == 'scissors' or _verbose(args, values.get('commit.verbose'), raw, comment)
    return MessageFile(path, raw, _encoding(values.get('i18n.commitencoding')), comment, mode,
                       cut, os.path.expanduser(template) if template else None,
                       args.allow_empty_message)


def read_bytes(path: str) -> bytes:
    return files.read(path, MAX_SIZE, 'the commit message', PushguardError)


def write(path: str, data: bytes) -> None:
    try:
        with open(path, 'wb') as f:
            f.write(data)
    except OSError as e:
        raise PushguardError(f'{path}: cannot write the commit message: {e.strerror}') from None


def _verbose(args: CommitArgs, configured: str | None, raw: bytes, comment: str) -> bool:
    """-v, else commit.verbose; on a system where the command line cannot be read, whether git's
    scissors line is followed by git's own comment (`# Do not modify or remove the line above.`)."""
    if args.verbose is not None:
        return args.verbose
    if configured is not None and configured.lower() not in ('', '0', 'false', 'no', 'off'):
        return True
    if args.known:
        return False
    text = raw.decode('utf-8', 'replace')
    below = text[len(_above_cut(text, comment)):].split('\n')
    return len(below) > 1 and below[1].startswith(comment)


def effective_mode(name: str | None, editor: bool) -> str:
    """The cleanup git applies for `--cleanup`/`commit.cleanup` NAME (builtin/commit.c)."""
    name = (name or 'default').lower()
    if name == 'scissors':
        return 'scissors' if editor else 'whitespace'
    if name in ('strip', 'whitespace', 'verbatim'):
        return name
    return 'strip' if editor else 'whitespace'  # default (git refuses any other name)


def _encoding(name: str | None) -> str:
    """i18n.commitEncoding when Python knows it, else UTF-8."""
    try:
        return codecs.lookup(name or 'utf-8').name
    except LookupError:
        return 'utf-8'


def _comment_char(value: str | None, raw: bytes = b'') -> str:
    """core.commentChar. With 'auto' git picks the first of `#;@!$%^&|:` that starts no line of
    the message (builtin/commit.c: adjust_comment_line_char) and writes its help block with
    it: the character that stands alone on a line of that block; else '#'."""
    if value != 'auto':
        return value or '#'
    lines = set(raw.decode('utf-8', 'replace').replace('\r\n', '\n').split('\n'))
    return next((char for char in '#;@!$%^&|:' if char in lines), '#')


def _has_git_comments(raw: bytes, comment: str) -> bool:
    """Whether git wrote its help block (`# Please enter ...`, a bare `#`): an editor ran,
    although GIT_EDITOR is `:` (a user's `GIT_EDITOR=: git commit --amend`)."""
    lines = raw.decode('utf-8', 'replace').split('\n')
    return (any(line.rstrip(_GIT_SPACE) == comment for line in lines)
            and any(line.startswith(f'{comment} ') for line in lines))


def _above_cut(text: str, comment: str) -> str:
    """`text` above git's scissors line, the line's newline included (wt_status_locate_end)."""
    marker = f'{comment} {SCISSORS}\n'
    if text.startswith(marker):
        return ''
    at = text.find(f'\n{marker}')
    return text if at < 0 else text[:at + 1]


def kept_lines(text: str, mode: str, comment: str, cut: bool) -> list[tuple[int, str]]:
    """(index in the file, line) of each line git keeps, before blank lines are collapsed."""
    lines = (_above_cut(text, comment) if cut else text).split('\n')
    return [(index, line) for index, line in enumerate(lines)
            if mode != 'strip' or not line.startswith(comment)]


def cleanup(text: str, mode: str, comment: str, cut: bool = False) -> str:
    """`text` as git stores it under cleanup `mode` (strbuf_stripspace)."""
    if mode == 'verbatim':
        return _above_cut(text, comment) if cut else text
    out: list[str] = []
    blank = False
    for _, line in kept_lines(text, mode, comment, cut):
        line = line.rstrip(_GIT_SPACE)
        if not line:
            blank = True
            continue
        if blank and out:
            out.append('')
        out.append(line)
        blank = False
    return ''.join(f'{line}\n' for line in out)


def subject_index(text: str, mode: str, comment: str, cut: bool = False) -> int | None:
    """The index of the file's line that git stores as the subject; None for an empty message."""
    if mode == 'verbatim':
        return 0 if text else None
    return next((index for index, line in kept_lines(text, mode, comment, cut)
                 if line.rstrip(_GIT_SPACE)), None)


def is_empty(stored: str, mode: str) -> bool:
    """Whether git aborts the commit as empty: blank, or only Signed-off-by lines."""
    if mode == 'verbatim' and stored:
        return False
    return all(not line.strip(_GIT_SPACE) or line.startswith(_SIGN_OFF)
               for line in stored.split('\n'))


def aborts(message: MessageFile, stored: str) -> bool:
    """Whether git will abort the commit on this message (before storing anything)."""
    return not message.allow_empty and (is_empty(stored, message.mode)
                                        or template_untouched(message, stored))


def template_untouched(message: MessageFile, stored: str) -> bool:
    """Whether git aborts with "you did not edit the message": the template, cleaned as the
    message is, then nothing but blank or Signed-off-by lines (builtin/commit.c)."""
    if message.template is None or (message.mode == 'verbatim' and stored):
        return False
    try:
        with open(message.template, 'rb') as f:
            template = f.read().decode(message.charset, 'replace')
    except OSError:
        return False
    cleaned = cleanup(template, message.mode, message.comment)  # git does not cut a template
    if not cleaned:
        return False
    return is_empty(stored.removeprefix(cleaned), message.mode)
