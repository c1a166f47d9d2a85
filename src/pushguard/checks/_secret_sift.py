"""The secrets prefilter applied to git's raw diff, before it is parsed and without detect-secrets.

A `Sift` is shown the added lines of each file diff in a block of the patch, as git printed
them, and answers what `_secret_prefilter.may_hold_secrets` would for the rendered file, or
true (keep the file for the full prefilter) where it cannot tell: text that is not ASCII, an
extension the YAML transformer parses (or one detect-secrets was not asked about), a line
opening a [section] (the ini transformer parses the file then), or, where the eager ini
transformer may parse the file, no line that makes it fail, or a line that may continue a value
whose key is elsewhere in the file (`_secret_context`). It never drops a file the prefilter
would keep.

Needles whose words are too common to pick files by (a '.', a ':') are searched for once over
all the block's lines joined by newlines, when that finds every match a single line has: their
patterns do not look at the whole string (\\A, \\Z) nor at a newline through a negative
lookaround, so a line's neighbours cannot hide its match. The others are searched for line by
line, in the files that hold one of their words.
"""
from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.checks._secret_context import CONFIG_REFUSED, needs_context
from pushguard.checks._secret_plan import Plan
from pushguard.checks._secret_prefilter import Needle, _wanted
from pushguard.checks._secret_words import all_words, holds

if TYPE_CHECKING:
    from typing import Any

SECTION_START = re.compile(rb'^\s*\[', re.MULTILINE)  # as _secret_prefilter.SECTION_START
TRAILING_SPACE = re.compile(rb'[ \t\x0b\x0c\x1c-\x1f]+$', re.MULTILINE)  # what str.rstrip drops
ANY_TRAILING_SPACE = re.compile(rb'[ \t\x0b\x0c\x1c-\x1f](?=\n|\Z)')  # linear, unlike the above


def wide(needles: tuple[Needle, ...]) -> frozenset[int]:
    """The needles (by index) to search for over whole blocks: a one-character word, and a
    pattern that finds a line's match in lines joined by newlines."""
    return frozenset(i for i, needle in enumerate(needles)
                     if needle.words and min(map(len, needle.words)) == 1
                     and _finds_lines_joined(needle))


def _finds_lines_joined(needle: Needle) -> bool:
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse
    try:
        return _joined_safe(list(sre_parse.parse(needle.source, needle.flags)),
                            bool(needle.flags & re.DOTALL))
    except Exception:  # a parser this code does not know
        return False


def _joined_safe(items: list[tuple[Any, Any]], dotall: bool) -> bool:
    for op, arg in items:
        name = str(op)
        if name == 'AT' and str(arg) in ('AT_BEGINNING_STRING', 'AT_END_STRING'):
            return False
        if name == 'ASSERT_NOT' and _may_match_newline(list(arg[1]), dotall):
            return False
        inner = _dotall_inside(name, arg, dotall)
        if not all(_joined_safe(list(sub), inner) for sub in _subpatterns(name, arg)):
            return False
    return True


def _may_match_newline(items: list[tuple[Any, Any]], dotall: bool) -> bool:
    """Whether some string the items match holds a newline (true when unsure)."""
    for op, arg in items:
        name = str(op)
        if name == 'LITERAL':
            found = arg == 10
        elif name == 'NOT_LITERAL':
            found = arg != 10
        elif name == 'ANY':
            found = dotall
        elif name == 'IN':
            found = _set_has_newline(arg)
        elif name in ('SUBPATTERN', 'ATOMIC_GROUP', 'BRANCH') or name.endswith('_REPEAT'):
            inner = _dotall_inside(name, arg, dotall)
            found = any(_may_match_newline(list(sub), inner) for sub in _subpatterns(name, arg))
        else:  # anchors, lookarounds, group references, what this code does not know
            found = True
        if found:
            return True
    return False


def _set_has_newline(items: list[tuple[Any, Any]]) -> bool:
    negated, found = False, False
    for op, arg in items:
        name, value = str(op), str(arg)
        if name == 'NEGATE':
            negated = True
        elif name == 'LITERAL':
            found |= arg == 10
        elif name == 'RANGE':
            found |= arg[0] <= 10 <= arg[1]
        elif name == 'CATEGORY':
            found |= ('NOT_WORD' in value or 'NOT_DIGIT' in value
                      or ('SPACE' in value and 'NOT_SPACE' not in value)
                      or ('LINEBREAK' in value and 'NOT_LINEBREAK' not in value))
        else:
            return True
    return found != negated


def _dotall_inside(name: str, arg: Any, dotall: bool) -> bool:
    """Whether '.' matches a newline inside this item: a group may set or clear the flag."""
    if name != 'SUBPATTERN':  # (group, flags added, flags removed, items)
        return dotall
    return (dotall or bool(arg[1] & re.DOTALL)) and not arg[2] & re.DOTALL


def _subpatterns(name: str, arg: Any) -> list[Any]:
    if name == 'SUBPATTERN':
        return [arg[-1]]
    if name == 'ATOMIC_GROUP':
        return [arg]
    if name == 'BRANCH':
        return list(arg[1])
    if name.endswith('_REPEAT'):
        return [arg[2]]
    if name in ('ASSERT', 'ASSERT_NOT'):
        return [arg[1]]
    if name == 'GROUPREF_EXISTS':
        return [branch for branch in arg[1:] if branch is not None]
    return []


class Sift:
    """A git.patch.Sift: which of a block's file diffs the full prefilter must see."""

    def __init__(self, plan: Plan) -> None:
        needles, self.plain, self.eager, wide = plan.needles, plan.plain, plan.eager, plan.wide
        self.unscanned = plan.unscanned
        assert needles is not None
        self.wide = [re.compile(n.source, n.flags | re.MULTILINE).search
                     for i, n in enumerate(needles) if i in wide]
        self.narrow = tuple(n for i, n in enumerate(needles) if i not in wide)
        self.words = tuple((word, word.encode('ascii')) for word in all_words(self.narrow))
        self.wordless = any(needle.words is None for needle in self.narrow)

    def __call__(self, files: Sequence[tuple[str, bytes]]) -> list[bool]:
        texts = [_lines(added) for _, added in files]
        # a name detect-secrets skips (an image): its text never matters
        skipped = [os.path.splitext(path)[1] in self.unscanned for path, _ in files]
        keep = [bool(text) and not skip and self._undecidable(path, text)
                for (path, _), text, skip in zip(files, texts, skipped, strict=True)]
        decide = [i for i, text in enumerate(texts) if text and not keep[i] and not skipped[i]]
        for i, found in zip(decide, self._found_narrow([texts[i] for i in decide]), strict=True):
            keep[i] = found
        decide = [i for i in decide if not keep[i]]
        for i in self._found_wide([texts[i] for i in decide]):
            keep[decide[i]] = True
        return keep

    def _undecidable(self, path: str, text: bytes) -> bool:
        """Whether a transformer may add lines to this file, or its text is not ASCII."""
        if not text.isascii() or SECTION_START.search(text) or needs_context(path, text):
            return True  # (the last: its file is scanned whole too, `_secret_context`)
        extension = os.path.splitext(path)[1]
        return extension not in self.plain \
            and (extension not in self.eager or CONFIG_REFUSED.search(text) is None)

    def _found_wide(self, texts: list[bytes]) -> set[int]:
        """Which texts the wide needles match in: each a match starts in (lines are stripped as
        `may_hold_secrets` strips them; a match may run on into another text)."""
        found: set[int] = set()
        if not texts:
            return found
        joined = b'\n'.join(texts)
        if ANY_TRAILING_SPACE.search(joined):
            texts = [TRAILING_SPACE.sub(b'', text) for text in texts]
            joined = b'\n'.join(texts)
        starts = _starts(texts)
        text = joined.decode()
        for search in self.wide:
            pos = 0
            while match := search(text, pos):
                index = bisect.bisect_right(starts, match.start()) - 1
                found.add(index)
                if index + 1 == len(starts):
                    break
                pos = starts[index + 1]
        return found

    def _found_narrow(self, texts: list[bytes]) -> list[bool]:
        """Which texts have a line holding some needle's word that matches the needles whose
        words it holds (a needle with no words: every line, and it is searched for in each).
        The lines holding words are found over all the texts at once (joined by newlines, a
        line is one text's)."""
        every = b'\n'.join(texts)
        low = every.lower()
        if self.wordless:
            return [self._wordless_in(text) for text in texts]
        held: dict[int, set[str]] = {}  # the start of each line holding words: those words
        for word, raw in self.words:
            for start in _line_starts(every, low, raw):
                held.setdefault(start, set()).add(word)
        starts = _starts(texts)
        found = [False] * len(texts)
        for start in sorted(held):
            index = bisect.bisect_right(starts, start) - 1
            if found[index]:
                continue
            end = low.find(b'\n', start)
            search = _wanted(self.narrow, frozenset(held[start]))
            if search is not None and search(every[start:None if end < 0 else end].decode()
                                             .rstrip()):
                found[index] = True
        return found

    def _wordless_in(self, text: bytes) -> bool:
        low = text.lower()
        present = frozenset(word for word, raw in self.words if holds(raw, text, low))
        search = _wanted(self.narrow, present)
        lines = text.decode().split('\n')
        return search is not None and any(map(search, map(str.rstrip, lines)))


def _line_starts(text: bytes, low: bytes, word: bytes) -> Iterator[int]:
    """Where each line of `text` (`low`: it lowercased) that holds `word` (`holds`) starts."""
    where = low if word == word.lower() else text
    pos = where.find(word)
    while pos >= 0:
        start = where.rfind(b'\n', 0, pos) + 1
        yield start
        end = where.find(b'\n', pos)
        if end < 0:
            return
        pos = where.find(word, end + 1)


CR_LINE_END = re.compile(rb'\r(?=\n|\Z)')


def _lines(added: bytes) -> bytes:
    """A file diff's added lines as `secrets._render` turns them: a CR ending a line goes, a
    lone CR ends one (universal newlines, as detect-secrets reads files)."""
    if b'\r' not in added:
        return added
    return CR_LINE_END.sub(b'', added).replace(b'\r', b'\n')


def _starts(texts: list[bytes]) -> list[int]:
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + 1
    return starts
