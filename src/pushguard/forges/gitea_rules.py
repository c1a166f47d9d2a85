"""Gitea's own rule semantics: gobwas globs, first-match protections, allow-lists, tag patterns.

Pure functions from a protection payload (forges/README.md section 6) to `Rule`s; gitea.py asks.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.forges.rules import Rule

if TYPE_CHECKING:
    from typing import Any

_SPECIAL = frozenset('*?[]{}\\')

# --- gobwas globs ------------------------------------------------------------------------------

def glob_regex(pattern: str, separator: str | None = '/') -> re.Pattern[str]:
    """A gobwas/glob pattern (`*` within a segment, `**` across, `?`, `[a-z]`, `[!x]`, `{a,b}`,
    `\\` escapes) as a regex; a pattern gobwas cannot compile matches itself literally, as Gitea
    then does."""
    try:
        body, end = _glob_part(pattern, 0, separator, top=True)
    except ValueError:
        return re.compile(re.escape(pattern))
    return re.compile(f'(?s:{body})\\Z')


def _glob_part(pattern: str, i: int, sep: str | None, top: bool) -> tuple[str, int]:
    not_sep = f'[^{re.escape(sep)}]' if sep else '.'
    alternatives: list[str] = []
    out: list[str] = []
    while i < len(pattern):
        char = pattern[i]
        if char == '*':
            double = pattern.startswith('**', i)
            out.append('.*' if double or not sep else f'{not_sep}*')
            i += 2 if double else 1
        elif char == '?':
            out.append(not_sep)
            i += 1
        elif char == '[':
            close = pattern.find(']', i + 2)
            if close < 0:
                raise ValueError(pattern)
            inner = pattern[i + 1:close]
            negate = inner.startswith('!')
            chars = re.sub(r'([\\\]\[^])', r'\\\1', inner[1:] if negate else inner)
            out.append(f'[{"^" if negate else ""}{chars}]')
            i = close + 1
        elif char == '{':
            inner_regex, i = _glob_part(pattern, i + 1, sep, top=False)
            out.append(inner_regex)
        elif char in ',}' and not top:
            alternatives.append(''.join(out))
            out = []
            i += 1
            if char == '}':
                return '(?:' + '|'.join(alternatives) + ')', i
        elif char == '\\':
            if i + 1 >= len(pattern):
                raise ValueError(pattern)
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    if not top:
        raise ValueError(pattern)
    return ''.join(out), i


def _is_plain(name: str) -> bool:
    return not _SPECIAL.intersection(name)


def rule_name(rule: Mapping[str, Any]) -> str:
    return str(rule.get('rule_name') or rule.get('branch_name') or '')


def first_match(protections: Sequence[Mapping[str, Any]], branch: str) -> Mapping[str, Any] | None:
    """The protection Gitea applies to `branch`: plain names first, then by priority (else in the
    order the server listed them, oldest first)."""
    ranked = sorted(
        enumerate(protections),
        key=lambda item: (not _is_plain(rule_name(item[1])), item[1].get('priority') or 0,
                          item[0]),
    )
    for _, rule in ranked:
        name = rule_name(rule)
        if _is_plain(name):
            if name.casefold() == branch.casefold():
                return rule
        elif glob_regex(name).match(branch):
            return rule
    return None


# --- protections --------------------------------------------------------------------------------

def protection_rules(name: str, source: str, rule: Mapping[str, Any] | None,
                      can_push: object, login: str | None) -> list[Rule]:
    rules = [Rule('branch-deletion', source, 'a protected branch cannot be deleted',
                  f'Branch {name} is protected from deletion')]
    push = _push_rule(name, source, rule, can_push, login)
    if push is not None:
        rules.append(push)
    force = _force_rule(name, source, rule, login)
    if force is not None:
        rules.append(force)
    if rule is not None and rule.get('require_signed_commits'):
        rules.append(Rule('signature', source,
                          'every pushed commit must carry a verified signature',
                          f'Branch {name} is protected from unverified commit <sha>'))
    files = _patterns(rule, 'protected_file_patterns')
    if files:
        # Gitea's globs stop at `.` and `/` and ignore case, the check's do not: a warning
        rules.append(Rule('forbidden-path', source,
                          'these files may change only through a pull request',
                          f'Branch {name} is protected from changing file <f>', certain=False,
                          params=(('type', 'file_path_restriction'),
                                  ('restricted_file_paths', files))))
    return rules


def _patterns(rule: Mapping[str, Any] | None, key: str) -> tuple[str, ...]:
    raw = str(rule.get(key) or '') if rule is not None else ''
    return tuple(p.strip() for p in raw.split(';') if p.strip())


def _push_rule(name: str, source: str, rule: Mapping[str, Any] | None, can_push: object,
               login: str | None) -> Rule | None:
    says = f'Not allowed to push to protected branch {name}'
    some_files_free = bool(_patterns(rule, 'unprotected_file_patterns'))
    if can_push is False:
        return Rule('protected-branch', source, 'this token may not push to the branch (the '
                    "branch's user_can_push is false)", says, certain=not some_files_free)
    if rule is None:
        return None
    if not rule.get('enable_push'):
        if can_push is True:
            return None
        return Rule('protected-branch', source, 'direct pushes are disabled: changes go through '
                    'a pull request', says, certain=not some_files_free)
    if not rule.get('enable_push_whitelist'):
        return None
    return allow_list(source, 'protected-branch', login, rule, 'push_whitelist', says,
                       'only the push allow-list may push', known=can_push)


def _force_rule(name: str, source: str, rule: Mapping[str, Any] | None,
                login: str | None) -> Rule | None:
    says = f'Branch {name} is protected from force push'
    reason = 'force pushes (history rewrites) are refused on this protected branch'
    if rule is None:
        return Rule('force-push', source, reason + ' unless its rule allows them (the rule needs '
                    'repository admin to read)', says, certain=False)
    if not rule.get('enable_force_push'):
        return Rule('force-push', source, reason, says)
    if not rule.get('enable_force_push_allowlist'):
        return None  # whoever may push may force-push
    return allow_list(source, 'force-push', login, rule, 'force_push_allowlist', says,
                       'only the force-push allow-list may force-push', known=None)


def allow_list(source: str, check: str, login: str | None, rule: Mapping[str, Any], prefix: str,
                says: str, reason: str, known: object) -> Rule:
    users = {str(u).casefold() for u in rule.get(f'{prefix}_usernames') or ()}
    teams = tuple(rule.get(f'{prefix}_teams') or ())
    if known is True or (login is not None and login.casefold() in users):
        return Rule(check, source, f'{reason}, and this token is on it', says, bypass=True)
    certain = login is not None and not teams
    why = reason if certain else f'{reason} (teams {", ".join(map(str, teams))}' \
        ' or an unknown user may be on it)'
    return Rule(check, source, why, says, certain=certain)


# --- tags --------------------------------------------------------------------------------------

def tag_matches(pattern: str, tag: str) -> bool:
    """Gitea's tag rule: `/regex/` (Go RE2, searched), else a gobwas glob with no separator."""
    if len(pattern) >= 2 and pattern.startswith('/') and pattern.endswith('/'):
        try:
            import re2 as regex  # the forge's own engine where installed
        except ImportError:  # pragma: no cover (google-re2 is a test dependency)
            regex = re
        try:
            return regex.search(pattern[1:-1], tag) is not None
        except Exception:  # noqa: BLE001 - an invalid rule protects nothing on the server either
            return False
    return glob_regex(pattern, separator=None).match(tag) is not None
