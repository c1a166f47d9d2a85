"""Each forge's ref-name pattern semantics, and the forges' RE2 regexes.

GitHub: Ruby `File.fnmatch` with FNM_PATHNAME (`*` and `?` stop at `/`, `**/` spans folders),
plus `~ALL` and `~DEFAULT_BRANCH`. GitLab: only `*` is special and it crosses `/`. Each glob is
translated to a regex and run by pushguard.patterns (RE2): a forge's pattern, like a user's,
cannot make a push hang on backtracking.
"""
from __future__ import annotations

import re

from pushguard import patterns


def _fnmatch_pathname(pattern: str) -> patterns.Pattern | None:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith('**/', i):
            out.append('(?:[^/]*/)*')
            i += 3
        elif pattern[i] == '*':
            out.append('[^/]*')
            i += 1
        elif pattern[i] == '?':
            out.append('[^/]')
            i += 1
        elif pattern[i] == '[' and ']' in pattern[i + 1:]:
            end = pattern.index(']', i + 1)
            out.append('[' + pattern[i + 1:end].replace('\\', '\\\\') + ']')
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return patterns.compiled_or_none('(?s)^' + ''.join(out) + r'\Z')


def github_matches(pattern: str, ref: str, default_branch: str | None) -> bool:
    if pattern == '~ALL':
        return True
    if pattern == '~DEFAULT_BRANCH':
        return default_branch is not None and ref == f'refs/heads/{default_branch}'
    compiled = _fnmatch_pathname(pattern)
    return compiled is not None and compiled.search(ref) is not None


def gitlab_matches(pattern: str, name: str) -> bool:
    regex = '.*'.join(re.escape(part) for part in pattern.split('*'))
    compiled = patterns.compiled_or_none(f'(?s)^{regex}\\Z')
    return compiled is not None and compiled.search(name) is not None


def re2_search(pattern: str, text: str, multiline: bool = False) -> bool | None:
    """Whether the RE2 `pattern` is found in `text`; None when it does not compile."""
    compiled = patterns.compiled_or_none(f'(?m){pattern}' if multiline else pattern)
    return None if compiled is None else compiled.search(text) is not None
