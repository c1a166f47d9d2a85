"""The strings a needle's matches hold (its words), by which the prefilter picks the files and
lines worth searching: the pattern's literal runs, lowercase where it ignores case, as written
where it does not (a case-sensitive `AKIA` is rarer than `akia` in any text).
"""
from __future__ import annotations

import functools
import re

from pushguard._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from pushguard.checks._secret_prefilter import Needle


def words_of(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lowercase or as-written ASCII strings one of which every match of `pattern` holds
    (`_words_in`); None when none is known."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        return _words_in(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    except Exception:  # a parser this code does not know: search for the pattern everywhere
        return None


def _words_in(items: list[tuple[Any, Any]], fold: bool = True) -> frozenset[str] | None:
    """Of the sets of strings each item in this sequence requires, the one with the longest
    shortest string: ASCII only, lowercase where the pattern ignores case (`fold`), as written
    elsewhere (`holds` looks for them so)."""
    choices: list[frozenset[str]] = []
    run = ''
    for op, arg in [*items, (None, None)]:
        if str(op) == 'LITERAL' and chr(arg).isascii():
            run += chr(arg).lower() if fold else chr(arg)
            continue
        if run:
            choices.append(frozenset({run}))
            run = ''
        name = str(op)
        if name == 'SUBPATTERN':  # (group, flags added, flags removed, items)
            inner = (fold or bool(arg[1] & re.IGNORECASE)) and not arg[2] & re.IGNORECASE
            found = _words_in(list(arg[-1]), inner)
        elif name == 'ATOMIC_GROUP':
            found = _words_in(list(arg), fold)
        elif name.endswith('_REPEAT') and arg[0] >= 1:
            found = _words_in(list(arg[2]), fold)
        elif name == 'BRANCH':
            branches = [_words_in(list(branch), fold) for branch in arg[1]]
            found = frozenset().union(*(b for b in branches if b is not None)) \
                if None not in branches else None
        else:
            found = None
        if found:
            choices.append(found)
    return max(choices, key=lambda words: min(map(len, words)), default=None)


def present(needles: tuple[Needle, ...], text: str, low: str) -> frozenset[str]:
    """The needles' words ASCII `text` (`low`: it lowercased) holds (`holds`)."""
    folded, cased = _words_by_case(needles)
    return frozenset([*filter(low.__contains__, folded), *filter(text.__contains__, cased)])


@functools.lru_cache(maxsize=16)
def _words_by_case(needles: tuple[Needle, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = all_words(needles)
    return (tuple(word for word in words if word == word.lower()),
            tuple(word for word in words if word != word.lower()))


def holds(word: Any, text: Any, low: Any) -> bool:
    """Whether ASCII `text` (str or bytes; `low`: it lowercased) holds needle word `word`: a
    word with capitals is one a pattern matches as written, the others are looked for in `low`
    (a superset for a pattern that does not ignore case)."""
    return word in (low if word == word.lower() else text)


@functools.lru_cache(maxsize=16)
def all_words(needles: tuple[Needle, ...]) -> tuple[str, ...]:
    return tuple({word: None for needle in needles for word in needle.words or ()})
