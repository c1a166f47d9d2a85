"""The lines of a file detect-secrets must be shown for its verdict on the whole file.

When no file transformer can parse the file (its first line that is not blank nor a comment
opens no [section], and the eager ini transformer is not tried or fails on some line),
detect-secrets scans its lines one by one: each line's findings depend on the line, the file's
name and the lines around it (the code snippet its filters read: the line before, for the
allowlist filter's `nextline` pragma; five on each side with the verification filter or code
of the baseline's own, `window`). Only lines matching a prefilter needle can yield a finding,
so a file is cut down to those lines, each with the neighbours its verdict reads: the verdict
is the same, on a fraction of the lines.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import locale
import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from pushguard.checks._secret_prefilter import (
    Needle, _compiled_one, _parsers, for_file, may_hold_secrets,
)
from pushguard.checks._secret_words import present as words_present
from pushguard.checks._secret_sift import _finds_lines_joined

CONTEXT = 5  # detect_secrets.util.code_snippet.get_code_snippet's lines_of_context
# a line configparser refuses (as _secret_context.CONFIG_REFUSED, for one ASCII line)
REFUSED = re.compile(r'[^ \t\n\r\x0b\x0c\x1c-\x1f#;\[][^=:\n]*')
_PLAIN = ('ConfigFileTransformer',)
_EAGER = ('ConfigFileTransformer', 'EagerConfigFileTransformer')


def window() -> tuple[int, int]:
    """How many lines before and after a line detect-secrets' verdict on it reads, with the
    plugins and filters configured now."""
    from detect_secrets.settings import get_settings

    settings = get_settings()
    own = all(path.startswith('detect_secrets.filters.') for path in settings.filters) \
        and VERIFYING not in settings.filters \
        and not any('path' in config for config in settings.plugins.values())
    return (1, 0) if own else (CONTEXT, CONTEXT)


VERIFYING = 'detect_secrets.filters.common.is_ignored_due_to_verification_policies'


class Cut(NamedTuple):
    """Of a file, the lines to show detect-secrets (indexes, in order) and the plugins that may
    find something in them (class names; None: any); and the lines that may hold a finding, each
    with the plugins whose needles match it."""

    lines: list[int]
    plugins: frozenset[str] | None
    hits: dict[int, frozenset[str] | None] = {}


NOTHING = Cut([], frozenset())


def lines_to_scan(needles: tuple[Needle, ...], name: str, content: str,
                  around: tuple[int, int] = (CONTEXT, CONTEXT)) -> Cut | None:
    """The lines of `content` (split at newlines) to scan, each hit with `around` lines
    (before, after), and the plugins whose needles hit: NOTHING when no line may hold a
    secret, None when the whole file must be scanned."""
    needles = for_file(needles, name)
    kinds = tuple(type(tried[0]).__name__ for tried in _parsers(name) if len(tried) == 1)
    encoding = locale.getpreferredencoding(False)
    lines = content.encode(encoding, 'replace').decode(encoding, 'replace').split('\n')
    if kinds not in (_PLAIN, _EAGER) or len(kinds) != len(_parsers(name)) \
            or _opens_with_a_section(lines):
        return None if may_hold_secrets(needles, name, content) else NOTHING
    if kinds == _EAGER and not any(line.isascii() and REFUSED.fullmatch(line) for line in lines):
        return None if may_hold_secrets(needles, name, content) else NOTHING  # it may parse
    hits = _hits(needles, lines)
    if not hits:
        return NOTHING
    before, after = around
    keep: set[int] = set()
    for i in hits:
        keep.update(range(max(0, i - before), min(len(lines), i + after + 1)))
    named = set().union(*(names or {''} for names in hits.values()))
    return Cut(sorted(keep), None if '' in named else frozenset(named), hits)


def _opens_with_a_section(lines: list[str]) -> bool:
    """Whether configparser (as the ini transformer runs it) may read the file: its first line
    that is not blank nor a comment opens a section (else MissingSectionHeaderError)."""
    for line in lines:
        value = line.strip()
        if value and not value.startswith(('#', ';')):
            return SECTION_HEADER.match(value) is not None
    return False  # no section at all: the transformer yields nothing


SECTION_HEADER = re.compile(r'\[(?P<header>.+)\]')  # configparser.RawConfigParser.SECTCRE


def _hits(needles: tuple[Needle, ...], lines: list[str]) -> dict[int, frozenset[str] | None]:
    """The indexes of the lines a needle matches (or may: a superset is as exact), each line
    stripped at its end as scan_file strips it, in order, each with the plugins of the needles
    that match it (None when a needle does not say its plugin). A needle that finds a line's
    match in lines joined by newlines (`_secret_sift.wide`'s test) is searched for over the
    joined text, a line at a time from where the last match started; the others line by line."""
    stripped = [line.rstrip() for line in lines]
    text = '\n'.join(stripped)
    low = text.lower() if text.isascii() else None  # IGNORECASE folds some other letters
    present = None if low is None else words_present(needles, text, low)
    starts = list(itertools.accumulate((len(line) + 1 for line in stripped[:-1]), initial=0))
    holding: dict[str, list[int]] = {}
    found: dict[int, set[str]] = {}
    for needle in needles:
        alone = _compiled_one(needle).search
        if present is not None and needle.words is not None and needle.words.isdisjoint(present):
            continue
        if low is not None and present is not None and needle.words \
                and min(map(len, needle.words)) > 1:
            # each match holds a word: only the lines holding one can match (fewer than all)
            for word in needle.words & present - holding.keys():
                holding[word] = _lines_holding(low if word == word.lower() else text, starts,
                                               word)
            chosen = sorted(set().union(*(holding[word] for word in needle.words & present)))
            mine: Iterable[int] = (i for i in chosen if alone(stripped[i]))
        elif (joined := _joined(needle)) is None:
            mine = (i for i, line in enumerate(stripped) if alone(line))
        else:
            mine = _joined_hits(joined, text, starts)
        for i in mine:
            found.setdefault(i, set()).add(needle.plugin)
    return {i: None if '' in found[i] else frozenset(found[i]) for i in sorted(found)}


def _lines_holding(low: str, starts: list[int], word: str) -> list[int]:
    """The indexes of the lines (starting at `starts` in `low`, the text or, for a word with no
    capitals, the text lowercased: `holds`) that hold `word`."""
    found: list[int] = []
    pos = low.find(word)
    while pos >= 0:
        index = bisect.bisect_right(starts, pos) - 1
        found.append(index)
        if index + 1 == len(starts):
            break
        pos = low.find(word, starts[index + 1])
    return found


def _joined_hits(joined: Search, text: str, starts: list[int]) -> Iterator[int]:
    """The lines where a match of `joined` starts, searching again from each next line."""
    pos = 0
    while match := joined(text, pos):
        index = bisect.bisect_right(starts, match.start()) - 1
        yield index
        if index + 1 == len(starts):
            break
        pos = starts[index + 1]


Search = Callable[..., 're.Match[str] | None']


def warm(needles: tuple[Needle, ...]) -> None:
    """Compile each needle's searches now (`_hits` would on first use)."""
    for needle in needles:
        _compiled_one(needle), _joined(needle)


@functools.lru_cache(maxsize=256)
def _joined(n: Needle) -> Search | None:
    """A needle's search over joined lines; None when it may miss a line's match there."""
    return re.compile(n.source, n.flags | re.MULTILINE).search if _finds_lines_joined(n) \
        else None
