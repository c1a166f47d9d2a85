"""branch-name: a pushed (or created) branch's name does not match `branch.pattern`.

Mirrors GitHub's `branch_name_pattern` ruleset rule and GitLab's `branch_name_regex` push rule. The
pattern has RE2's syntax and semantics (pushguard.patterns) and is searched, so an anchored `^...$`
pattern means what it says. Names matching a `branch.exempt` glob (`main`, `release/*`) pass; tags
and deletions are not checked. The fix renames the branch to a name derived from the old one that
the pattern accepts, when one can be found, and shows the pattern otherwise.
"""
from __future__ import annotations

import fnmatch
import re
import shlex
from collections.abc import Callable, Iterator, Sequence

from pushguard import patterns
from pushguard.config import Config
from pushguard.model import Context, Finding, Need, RefUpdate, Severity

ID = 'branch-name'
NEEDS = frozenset({Need.REFS})
PLACEHOLDER_KEY = 'PROJ-123'
_KEY = re.compile(r'(?<![A-Za-z0-9])([A-Za-z][A-Za-z0-9]+)-([0-9]+)(?![0-9])')
_ALTERNATIVES = re.compile(r'\((?:\?:)?([A-Za-z0-9_.-]+(?:\|[A-Za-z0-9_.-]+)+)\)')
_TYPE_ALIASES = {'feature': 'feat', 'bugfix': 'fix', 'bug': 'fix', 'doc': 'docs'}
_COMMON_TYPES = ('feat', 'feature', 'fix', 'chore')


def is_exempt(name: str, exempt: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, glob) for glob in exempt)


def _slug(text: str) -> str:
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')


def _issue_key(text: str, projects: Sequence[str]) -> re.Match[str] | None:
    """An issue key: `PROJ-12`, or `proj-12` for a configured project (`develop-2` is none)."""
    for key in _KEY.finditer(text):
        if key[1].isupper() or key[1].upper() in projects:
            return key
    return None


def _pieces(name: str, projects: Sequence[str]) -> tuple[str | None, str | None, str]:
    """`feature/proj-12-Login page` -> ('feat', 'PROJ-12', 'login-page') when PROJ is known."""
    kind, rest = name.split('/', 1) if '/' in name else (None, name)
    if kind is not None:
        kind = _TYPE_ALIASES.get(kind.lower(), kind.lower())
    key = _issue_key(rest, projects)
    if key:
        rest = rest[:key.start()] + rest[key.end():]
    return kind, f'{key[1].upper()}-{key[2]}' if key else None, _slug(rest)


def _candidates(name: str, pattern: str, projects: Sequence[str]) -> Iterator[str]:
    kind, key, slug = _pieces(name, projects)
    types = [*([kind] if kind else []),
             *(alt for group in _ALTERNATIVES.findall(pattern) for alt in group.split('|')),
             *_COMMON_TYPES]
    keys = [*([key] if key else []), *(f'{p}-123' for p in projects), PLACEHOLDER_KEY]
    yield slug
    for k in dict.fromkeys(keys):
        for t in dict.fromkeys(types):
            yield from (f'{t}/{k}-{slug}', f'{t}/{k}_{slug}', f'{t}/{k}')
        yield from (f'{k}-{slug}', f'{k}_{slug}', k)
    for t in dict.fromkeys(types):
        yield from (f'{t}/{slug}', f'{t}-{slug}')


def suggest(name: str, pattern: str, projects: Sequence[str] = ()) -> str | None:
    """A name close to `name` that `pattern` accepts (checked with the regex), or None."""
    compiled = patterns.compile(pattern, 'branch.pattern')
    for candidate in _candidates(name, pattern, projects):
        if candidate and candidate != name and '//' not in candidate and not \
                candidate.endswith(('-', '/', '_')) and compiled.search(candidate):
            return candidate
    return None


def _fix(update: RefUpdate, name: str, new: str | None, pattern: str,
         projects: Sequence[str], accepted: Callable[[str], bool]) -> str:
    """Rename the branch when it has the rejected name here too; else push it under a good
    name: the local branch's own name when the pattern accepts it (only the name given for the
    remote was wrong: `git push origin local:bad-name`)."""
    local = update.local_ref[len('refs/heads/'):] if update.local_ref.startswith('refs/heads/') \
        else None
    if local is not None and local != name and accepted(local):
        new = local
    target = new or 'NEW-NAME'
    if local == name:
        fix = f'git branch -m {shlex.quote(local)} {shlex.quote(target)}'
    elif local is not None:
        fix = f'git push origin {shlex.quote(f"{local}:{target}")}'
    else:
        fix = f'git push origin {update.local_sha[:12]}:refs/heads/{shlex.quote(target)}'
    if new is None:
        return f'{fix}  # a name matching {pattern}'
    for made_up in (*(f'{p}-123' for p in projects), PLACEHOLDER_KEY):
        if made_up in new and made_up not in name:
            return f'{fix}  # with your issue key in place of {made_up}'
    return fix


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    if not cfg.branch_pattern:
        return
    pattern = patterns.compile(cfg.branch_pattern, 'branch.pattern', cfg.source)
    projects = cfg.jira.projects if cfg.jira else ()
    for update in ctx.updates:
        name = update.branch
        if update.is_deletion or name is None or is_exempt(name, cfg.branch_exempt):
            continue
        if pattern.search(name):
            continue
        new = suggest(name, cfg.branch_pattern, projects)
        message = f'branch name {name!r} does not match {cfg.branch_pattern!r} (branch.pattern)'
        fix = _fix(update, name, new, cfg.branch_pattern, projects,
                   lambda local: bool(pattern.search(local)))
        yield Finding(ID, Severity.ERROR, message, fix, ref=update.remote_ref,
                      commit=update.local_sha)
