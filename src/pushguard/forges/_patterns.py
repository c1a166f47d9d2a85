"""Each forge's ref-name pattern semantics, and the forges' RE2 regexes.

GitHub: Ruby `File.fnmatch` with FNM_PATHNAME (`*` and `?` stop at `/`, `**/` spans folders),
plus `~ALL` and `~DEFAULT_BRANCH`. GitLab: only `*` is special and it crosses `/`.
"""
from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _fnmatch_pathname(pattern: str) -> re.Pattern[str]:
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
    return re.compile(''.join(out) + r'\Z')


def github_matches(pattern: str, ref: str, default_branch: str | None) -> bool:
    if pattern == '~ALL':
        return True
    if pattern == '~DEFAULT_BRANCH':
        return default_branch is not None and ref == f'refs/heads/{default_branch}'
    return _fnmatch_pathname(pattern).match(ref) is not None


def gitlab_matches(pattern: str, name: str) -> bool:
    regex = '.*?'.join(re.escape(part) for part in pattern.split('*'))
    return re.fullmatch(regex, name) is not None


def re2_search(pattern: str, text: str, multiline: bool = False) -> bool | None:
    """Whether the RE2 `pattern` is found in `text`; None when it does not compile."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        try:
            return re.search(pattern, text, re.M if multiline else 0) is not None
        except re.error:
            return None
    try:
        options = re2.Options()
        options.log_errors = False
        regex = re2.compile(f'(?m){pattern}' if multiline else pattern, options)
    except Exception:  # noqa: BLE001 - re2 raises its own error type
        return None
    return regex.search(text) is not None
