"""The secrets check's prefilter: what a file's added lines must hold for detect-secrets' active
plugins to find anything in them, so that most (commit, path)s skip the full scan.

Built from the plugins' own patterns (regex plugins' denylists, the keyword plugin's keywords),
and applied to the text detect-secrets would read, transformers (YAML, ini) included. The
`_secret_sift` applies it earlier, to a file diff's raw added lines, without detect-secrets.
"""
from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Callable

from pushguard._typing import TYPE_CHECKING, NamedTuple
from pushguard.checks._secret_words import present, words_of

if TYPE_CHECKING:
    from typing import Any

SECTION_START = re.compile(r'^\s*\[', re.MULTILINE)  # configparser needs such a line to parse
# extensions `extension_kinds` asks detect-secrets about (a file with another one is left to
# `may_hold_secrets`): its own file types, and common ones it reads as "other" files
PROBED_EXTENSIONS = (
    '.py', '.pyi', '.js', '.go', '.java', '.php', '.m', '.swift', '.tf', '.cs', '.c', '.cpp',
    '.cls', '.example', '.cnf', '.conf', '.cfg', '.cf', '.ini', '.properties', '.toml', '',
    '.md', '.rst', '.txt', '.json', '.ts', '.tsx', '.jsx', '.mjs', '.rs', '.rb', '.kt', '.scala',
    '.h', '.hpp', '.cc', '.sh', '.bash', '.html', '.css', '.scss', '.xml', '.sql', '.lock',
    '.gradle', '.vue', '.dart', '.lua', '.pl', '.r', '.ex', '.exs', '.erl', '.hs', '.ml', '.csv',
)


class Needle(NamedTuple):
    """A pattern (source and flags) a line must match, and ASCII strings one of which every
    match holds, lowercase where the pattern ignores case (`_secret_words`; None: no such
    strings known, the pattern is searched for in every file).
    Plain data, so that pushguard's cache can keep it."""

    source: str
    flags: int
    words: frozenset[str] | None
    plugin: str = ''  # the class name of the plugin whose pattern it is ('': not known)
    # the detect-secrets file types (FileType names) whose files the plugin searches with this
    # pattern (None: every file)
    kinds: frozenset[str] | None = None


def needles(exact: bool = False) -> tuple[Needle, ...] | None:
    """What some line of a file must match for the active plugins to find anything in it; None
    (scan everything) when a plugin finds secrets some other way.

    A regex plugin yields only its denylist's matches in a line (JwtTokenDetector keeps some of
    them); the keyword plugin's patterns all start with one of its DENYLIST words, matched case
    insensitively at most. Filters and `pragma: allowlist` only ever drop findings. `exact`: the
    keyword plugin's own patterns, each for the file types it searches them in (`_keyword`), in
    place of its words: a line can only give a finding when one of them matches it.
    """
    from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector
    from detect_secrets.plugins.jwt import JwtTokenDetector
    from detect_secrets.plugins.keyword import DENYLIST, KeywordDetector
    from detect_secrets.settings import get_plugins

    found_by_denylist = (RegexBasedDetector.analyze_string, JwtTokenDetector.analyze_string)
    patterns: list[tuple[re.Pattern[str], str]] = []
    found: list[Needle] = []
    for plugin in get_plugins():
        kind = type(plugin)
        if kind is KeywordDetector:
            own = _keyword() if exact else None
            if own is not None:
                found.extend(own)
                continue
            patterns.append((re.compile('|'.join(DENYLIST), re.IGNORECASE), kind.__name__))
        elif isinstance(plugin, RegexBasedDetector) \
                and kind.analyze_string in found_by_denylist \
                and kind.analyze_line is BasePlugin.analyze_line:
            patterns.extend((pattern, kind.__name__) for pattern in plugin.denylist)
        else:  # entropy plugins, custom plugins: any line may hold what they find
            return None
    return (*(Needle(p.pattern, p.flags, words_of(p), name) for p, name in patterns), *found)


# what KeywordDetector.analyze_line and analyze_string read: the file type's patterns, searched
# in the line (each match a finding, before filters)
_KEYWORD_NAMES = frozenset({'determine_file_type', 'REGEX_BY_FILETYPE',
                            'QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP'})


def _keyword() -> list[Needle] | None:
    """The keyword plugin's patterns as needles, each with the file types whose files it
    searches with it, read from the installed plugin; None when its code reads them otherwise."""
    from detect_secrets.plugins import keyword
    from detect_secrets.util import filetype
    from detect_secrets.util.filetype import FileType

    plugin = keyword.KeywordDetector
    if not _KEYWORD_NAMES <= set(plugin.analyze_line.__code__.co_names) \
            or 'search' not in plugin.analyze_string.__code__.co_names \
            or getattr(keyword, 'determine_file_type', None) is not filetype.determine_file_type:
        return None
    default = keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP
    by_type = {kind: keyword.REGEX_BY_FILETYPE.get(kind, default) for kind in FileType}
    kinds: dict[re.Pattern[str], set[str]] = {}
    for kind, patterns in by_type.items():
        for pattern in patterns:
            kinds.setdefault(pattern, set()).add(kind.name)
    return [Needle(p.pattern, p.flags, words_of(p), plugin.__name__, frozenset(names))
            for p, names in kinds.items()]


def for_file(needles: tuple[Needle, ...], name: str) -> tuple[Needle, ...]:
    """The needles the plugins search file `name` with (by its detect-secrets file type)."""
    if all(needle.kinds is None for needle in needles):
        return needles
    from detect_secrets.util.filetype import determine_file_type
    return _of_kind(needles, determine_file_type(name).name)


@functools.lru_cache(maxsize=64)
def _of_kind(needles: tuple[Needle, ...], kind: str) -> tuple[Needle, ...]:
    return tuple(needle for needle in needles if needle.kinds is None or kind in needle.kinds)


def may_hold_secrets(needles: tuple[Needle, ...], name: str, content: str) -> bool:
    """Whether a line detect-secrets would hand its plugins for this file matches a needle."""
    import locale  # not before a file may hold a secret: the pre-commit hook rarely needs it

    encoding = locale.getpreferredencoding(False)
    read_back = content.encode(encoding, 'replace').decode(encoding, 'replace')
    lines = read_back.split('\n')
    if _matches(needles, lines):  # the file's own lines: no need to parse it (YAML is slow)
        return True
    try:
        transformed = _transformed(name, read_back)
    except Exception:  # the full scan meets it again and fares as it always did
        return True
    return bool(transformed) and _matches(needles, transformed)


def _matches(needles: tuple[Needle, ...], lines: list[str]) -> bool:
    """Whether a needle matches one of `lines`."""
    text = '\n'.join(lines)
    if text.isascii():  # IGNORECASE folds some other letters to ASCII ones
        search = _wanted(needles, present(needles, text, text.lower()))
    else:
        search = _wanted(needles, None)
    # scan_file strips each line's end before its plugins see it
    return search is not None and any(map(search, map(str.rstrip, lines)))


@functools.lru_cache(maxsize=256)
def _wanted(needles: tuple[Needle, ...], present: frozenset[str] | None
            ) -> Callable[[str], object] | None:
    """The search for the needles whose words are `present` (None: all of them).

    Each needle is compiled once (`_compiled`), whatever words a file holds: an alternation
    per set of words present cost a compile for each new set (150 on one history)."""
    patterns = tuple(pattern for needle, pattern in zip(needles, _compiled(needles), strict=True)
                     if present is None or needle.words is None
                     or not needle.words.isdisjoint(present))
    if not patterns:
        return None
    return patterns[0].search if len(patterns) == 1 else _Any(patterns).search


@functools.lru_cache(maxsize=16)
def _compiled(needles: tuple[Needle, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(map(_compiled_one, needles))


@functools.lru_cache(maxsize=256)
def _compiled_one(needle: Needle) -> re.Pattern[str]:
    return re.compile(needle.source, needle.flags)


class _Any:
    def __init__(self, patterns: tuple[re.Pattern[str], ...]) -> None:
        self.patterns = patterns

    def search(self, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.patterns)


def _transformed(name: str, content: str) -> list[str]:
    """The lines detect-secrets' file transformers (YAML, ini, eager ini) would make of it."""
    from detect_secrets.transformers import get_transformed_file
    from detect_secrets.transformers.config import ConfigFileTransformer

    lines: list[str] = []
    for parsers in _parsers(name):
        if any(type(parser) is not ConfigFileTransformer or SECTION_START.search(content)
               for parser in parsers):
            text: Any = _NamedText(content, name)  # detect-secrets' NamedIO: has a name
            lines += get_transformed_file(text, use_eager_transformers=parsers[0].is_eager) or []
    return lines


def _parsers(name: str) -> tuple[tuple[Any, ...], ...]:
    """As `_parsers_by`, for a file name: detect-secrets' transformers choose by extension
    (`extension_kinds` checks it), so one answer per extension, not per name."""
    return _parsers_by('probe' + os.path.splitext(name)[1])


@functools.lru_cache(maxsize=4096)
def _parsers_by(name: str) -> tuple[tuple[Any, ...], ...]:
    """The transformers that would try to parse file `name`: those tried first, then eager ones
    (tried when the first lines yield nothing)."""
    from detect_secrets.transformers import get_transformers

    transformers: list[Any] = list(get_transformers())
    willing = [t for t in transformers if t.should_parse_file(name)]
    passes = ([t for t in willing if not t.is_eager], [t for t in willing if t.is_eager])
    return tuple(tuple(tried) for tried in passes if tried)


class _NamedText(io.StringIO):
    """Text read like the file `name` (transformers choose by its extension)."""

    def __init__(self, content: str, name: str) -> None:
        super().__init__(content)
        self.name = name


def extension_kinds() -> tuple[frozenset[str], frozenset[str]]:
    """Of PROBED_EXTENSIONS: those whose files only the ini transformer parses, and it only when
    they have a line opening a [section]; and those whose files the eager ini transformer (a
    [global] section added on top) may also parse."""
    from detect_secrets.transformers.config import (
        ConfigFileTransformer, EagerConfigFileTransformer,
    )

    def kinds(name: str) -> list[type]:
        passes = _parsers_by(name)
        return [type(tried[0]) for tried in passes if len(tried) == 1] \
            if all(len(tried) == 1 for tried in passes) else [object]
    plain, eager = [ConfigFileTransformer], [ConfigFileTransformer, EagerConfigFileTransformer]
    # two names per extension: a transformer choosing by more than the extension shows up
    found = {ext: kinds(f'probe{ext}') for ext in PROBED_EXTENSIONS
             if kinds(f'probe{ext}') == kinds(f'some/other-name{ext}')}
    return (frozenset(ext for ext, kind in found.items() if kind == plain),
            frozenset(ext for ext, kind in found.items() if kind == eager))


def siftable(needles: tuple[Needle, ...] | None) -> tuple[Needle, ...] | None:
    """The needles, when a Sift can use them: not when a needle matches an empty line (every
    rendered file has one), nor when there are none to look for (None)."""
    if needles is None or any(re.compile(n.source, n.flags).search('') for n in needles):
        return None
    return needles


def unscanned_extensions() -> frozenset[str]:
    """The extensions detect-secrets' active filters skip by name alone (is_non_text_file)."""
    from detect_secrets.settings import get_settings

    if 'detect_secrets.filters.heuristic.is_non_text_file' not in get_settings().filters:
        return frozenset()
    from detect_secrets.filters.heuristic import IGNORED_FILE_EXTENSIONS
    return frozenset(IGNORED_FILE_EXTENSIONS)
