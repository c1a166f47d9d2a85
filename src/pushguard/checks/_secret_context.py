"""Secrets that need their file's context: a changed line that continues a multi-line YAML or
INI value whose key line is unchanged. detect-secrets, scanning the file, parses it (its YAML
and ini transformers) and finds the value under its key; the added lines alone hold no key.

Such a file diff (an indented added line with no key of its own, in a file those transformers
parse) is also scanned whole, as detect-secrets would scan it: the new blob and the old one. A
secret the new blob holds and the old one does not is one this commit adds, reported at its
line in the new blob. Few file diffs qualify; their blobs are read by one git process.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.model import AddedLines

if TYPE_CHECKING:
    from typing import Any

YAML = frozenset({'.yaml', '.yml', '.eyaml'})  # detect_secrets.util.filetype: YAML
# its CONFIG, INI, PROPERTIES, TOML, and files with no extension (.env, config)
CONFIG = frozenset({'.cnf', '.conf', '.cfg', '.cf', '.ini', '.properties', '.toml', ''})
# an indented line with no key of its own ('=' or ':'): it can only continue a value (a plain
# or block scalar, a list item, an ini continuation); an indented `key: value` line is judged on
# its own, as detect-secrets' keyword plugin reads it (a block-scalar line that reads so too)
CONTINUATION = re.compile(rb'^[ \t]+(?:- )?[^\s#;=:-][^=:\n]*$', re.MULTILINE)
# A line configparser refuses (not blank, a comment, a [section] nor indented as a continuation,
# and no '=' or ':'): then it reads no value at all from the file.
CONFIG_REFUSED = re.compile(rb'^[^ \t\n\r\x0b\x0c\x1c-\x1f#;\[][^=:\n]*$', re.MULTILINE)
ZERO = frozenset('0')


def needs_context(path: str, added: bytes) -> bool:
    """Whether a file diff's added lines (less their '+', joined by newlines) may continue a
    value whose key line they do not hold: an indented line, in a YAML file or in a config file
    configparser may still read (no added line it refuses)."""
    extension = os.path.splitext(path)[1]  # as detect-secrets: case-sensitive
    if extension not in YAML and extension not in CONFIG:
        return False
    if CONTINUATION.search(added) is None:
        return False
    return extension in YAML or CONFIG_REFUSED.search(added) is None


def candidate(added: AddedLines) -> AddedLines | None:
    """`added`, less its lines, when its file must be scanned whole too (it names its blobs)."""
    if added.blobs is None:
        return None
    text = '\n'.join(line for _, line in added.lines).encode('utf-8', 'surrogateescape')
    return added._replace(lines=()) if needs_context(added.path, text) else None


def with_texts(candidates: Sequence[AddedLines],
               read_blobs: Callable[[Sequence[str]], Iterator[tuple[str, bytes]]]
               ) -> Iterator[tuple[AddedLines, str, str]]:
    """Each candidate with its old and new blob's text (an added file's old text is empty)."""
    wanted = [sha for added in candidates for sha in added.blobs or () if set(sha) != ZERO]
    texts = {sha: _text(raw) for sha, raw in read_blobs(wanted)} if wanted else {}
    for added in candidates:
        old, new = added.blobs or ('', '')
        if new in texts:
            yield added, texts.get(old, ''), texts[new]


def _text(raw: bytes) -> str:
    """A blob as detect-secrets reads a file: decoded, with universal newlines."""
    text = raw.decode('utf-8', 'replace')
    return text.replace('\r\n', '\n').replace('\r', '\n')


def new_secrets(name: str, old: str, new: str, slot: str, needles: Any,
                scan_text: Callable[..., list[Any]]) -> Iterable[Any]:
    """The hits in the new text (of file `name`) whose secret the old text does not hold."""
    found = scan_text(name, new, slot, needles)
    if not found or not old:
        return found
    before = {hit.identity for hit in scan_text(name, old, slot, needles)}
    return [hit for hit in found if hit.identity not in before]
