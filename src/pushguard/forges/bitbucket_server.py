"""Bitbucket Data Center / Server: ref restrictions, live for repository admins, else from config.

One parallel round (forges/README.md section 5): GET /branch-permissions/latest/projects/{key}/
repos/{slug}/restrictions (REPO_ADMIN; others get 401), the project's own list (PROJECT_ADMIN),
and GET /branch-utils/latest/projects/{key}/repos/{slug}/branchmodel (repository read: resolves the
MODEL_BRANCH and MODEL_CATEGORY matchers). Every matching restriction applies, each with its own
exemptions. Patterns: `?` one character, `*` within a path segment, `**` any segments, a trailing
`/` means `/**`, and a pattern without `refs/` matches at any depth of the ref's path.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from pushguard.forges.bitbucket_restrictions import (
    ADMIN_NOTE, SERVER_KINDS, Answer, Restriction, Who, user_ids, ask, credential_user,
    decide, from_config,
)
from pushguard.forges.rules import RefFacts, Rule
from pushguard._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_CHECKS = {'read-only': 'protected-branch', 'pull-request-only': 'protected-branch',
           'fast-forward-only': 'force-push', 'no-deletes': 'branch-deletion'}
_REASONS = {
    'read-only': 'the ref is read-only: only its exempt users and groups may change it',
    'pull-request-only': 'changes go only through pull requests',
    'fast-forward-only': 'history rewrites (force pushes) are refused',
    'no-deletes': 'the ref may not be deleted',
}
_CATEGORIES = ('feature', 'bugfix', 'release', 'hotfix')


def pattern_matches(pattern: str, ref: str) -> bool:
    """Bitbucket Data Center's ref pattern against a full ref (refs/heads/x)."""
    if pattern.endswith('/'):
        pattern += '**'
    body, i = [], 0
    while i < len(pattern):
        if pattern.startswith('**/', i):
            body.append('(?:.*/)?')
            i += 3
        elif pattern.startswith('**', i):
            body.append('.*')
            i += 2
        else:
            body.append({'*': '[^/]*', '?': '[^/]'}.get(pattern[i], re.escape(pattern[i])))
            i += 1
    prefix = '' if pattern.startswith('refs/') else '(?:.*/)?'
    return re.fullmatch(prefix + ''.join(body), ref, re.DOTALL) is not None


def _model_types(model: Mapping[str, Any], ref: str) -> set[str]:
    types = set()
    for kind in ('development', 'production'):
        branch = model.get(kind)
        if isinstance(branch, dict) and branch.get('id') == ref:
            types.add(kind)
    name = ref[len('refs/heads/'):] if ref.startswith('refs/heads/') else None
    for category in model.get('types') or ():
        prefix = category.get('prefix') if isinstance(category, dict) else None
        if name is not None and prefix and name.startswith(prefix):
            types.add(str(category.get('id', '')).lower())
    return types


def live_restrictions(pages: Sequence[Any]) -> tuple[Restriction, ...]:
    """The restrictions of the answered pages (repository and project), each once."""
    out, seen = [], set()
    for page in pages:
        values = page.get('values') if isinstance(page, dict) else page
        for item in values if isinstance(values, list) else ():
            if not isinstance(item, dict) or item.get('type') not in SERVER_KINDS:
                continue
            if item.get('id') in seen:
                continue
            seen.add(item.get('id'))
            out.append(_restriction(item))
    return tuple(out)


def _restriction(item: Mapping[str, Any]) -> Restriction:
    matcher: Mapping[str, Any] = item['matcher'] if isinstance(item.get('matcher'), dict) else {}
    kind = str((matcher.get('type') or {}).get('id') or 'PATTERN')
    ident = str(matcher.get('id') or '')
    pattern, branch_type = {
        'BRANCH': (ident if ident.startswith('refs/') else f'refs/heads/{ident}', ''),
        'MODEL_BRANCH': ('', ident.lower()),
        'MODEL_CATEGORY': ('', ident.lower()),
        'ANY_REF': ('**', ''),
    }.get(kind, (ident, ''))
    scope = str((item.get('scope') or {}).get('type') or '').lower() \
        if isinstance(item.get('scope'), dict) else ''
    shown = matcher.get('displayId') or ident
    return Restriction(
        str(item['type']),
        f'Bitbucket {scope + " " if scope else ""}restriction {item["type"]} on "{shown}" '
        f'(id {item.get("id")})',
        pattern, branch_type,
        tuple(user_ids(u) for u in item.get('users') or () if isinstance(u, dict)),
        tuple(str(g.get('name') if isinstance(g, dict) else g) for g in item.get('groups') or ()),
    )


def ref_facts(ref: str, restrictions: Sequence[Restriction] | None, model: Answer, who: Who, *,
              web: str, why_unread: str) -> RefFacts:
    """What protects `ref` (a branch or a tag); `restrictions` None: they are unknown."""
    if restrictions is None:
        return RefFacts(ref, unread=(why_unread,))
    types = _model_types(model.data, ref) if model.ok and isinstance(model.data, dict) else None
    rules: list[Rule] = []
    unread: list[str] = []
    for r in restrictions:
        if r.branch_type:
            if types is None:
                unread.append(f'the branching model ({model.why}): {r.source} not checked on {ref}')
                continue
            if r.branch_type not in types:
                continue
        elif not pattern_matches(r.pattern, ref):
            continue
        rules.append(_rule(r, ref, who))
    links = (('pull request', f'{web}/pull-requests?create&targetBranch={quote(ref, safe="")}'
                              '&sourceBranch=refs%2Fheads%2F{name}'),
             ('settings', web.replace('/projects/', '/plugins/servlet/branch-permissions/', 1)
              .replace('/repos/', '/', 1))) if rules else ()
    return RefFacts(ref, tuple(rules), unread=tuple(unread), links=links)


def _rule(r: Restriction, ref: str, who: Who) -> Rule:
    short = ref.split('/', 2)[-1]
    check = _CHECKS[r.kind]
    params: tuple[tuple[str, object], ...] = ()
    if ref.startswith('refs/tags/'):  # protected-tag's `action`: which changes the rule refuses
        action = {'no-deletes': 'delete', 'fast-forward-only': 'force'}.get(r.kind)
        check, params = 'protected-tag', (('action', action),) if action else ()
    says = (f'Branch {ref} can only be modified through pull requests.'
            if r.kind == 'pull-request-only'
            else f'! [remote rejected] {short} -> {short} (pre-receive hook declined)')
    reason = _REASONS[r.kind]
    if r.users or r.groups:
        reason += ' (exempt users and groups excepted)'
    return decide(check, [(r, True)], who, reason, says)._replace(params=params)


def facts(client: Any, repo: Any, refs: Sequence[str], *, default_branch: str | None,
          restrictions: Sequence[Sequence[tuple[str, object]]] | None = None
          ) -> dict[str, RefFacts]:
    """Ask Bitbucket Data Center about every ref in one parallel round; `restrictions` as in
    bitbucket.facts."""
    key, _, slug = repo.path.partition('/')
    repo_part = f'projects/{quote(key, safe="")}/repos/{quote(slug, safe="")}'
    answers = ask(client, {
        'restrictions': f'/branch-permissions/latest/{repo_part}/restrictions?limit=1000',
        'project': f'/branch-permissions/latest/projects/{quote(key, safe="")}/restrictions'
                   '?limit=1000',
        'model': f'/branch-utils/latest/{repo_part}/branchmodel',
    })
    root = repo.api[:-len('/rest')] if repo.api.endswith('/rest') else repo.api
    name = credential_user(client)[1]
    return build(answers, refs, web=f'{root}/{repo_part}', shipped=from_config(restrictions),
                 who=Who(frozenset({name}) if name else frozenset()))


def build(answers: Mapping[str, Answer], refs: Sequence[str], *, web: str,
          shipped: Sequence[Restriction] | None, who: Who) -> dict[str, RefFacts]:
    """The facts of every ref from the answers `facts` collected."""
    missing = Answer(0, why='not asked')
    repo_list, project = answers.get('restrictions', missing), answers.get('project', missing)
    restrictions: Sequence[Restriction] | None = shipped
    why, extra = '', ()  # type: tuple[str, tuple[str, ...]]
    if repo_list.ok:
        restrictions = live_restrictions([repo_list.data, project.data if project.ok else None])
        if not project.ok:
            extra = (f'project-wide Bitbucket restrictions (need PROJECT_ADMIN): {project.why}',)
        if any(isinstance(a.data, dict) and a.data.get('isLastPage') is False
               for a in (repo_list, project) if a.ok):
            extra += ('more than 1000 restrictions: only the first page was read',)
    elif shipped is None:
        why = (f'Bitbucket ref restrictions (they need REPO_ADMIN; this credential got: '
               f'{repo_list.why or "a malformed answer"}), so what protects the ref cannot be '
               f'known; {ADMIN_NOTE}')
    model = answers.get('model', missing)
    out = {}
    for ref in refs:
        fact = ref_facts(ref, restrictions, model, who, web=web, why_unread=why)
        out[ref] = fact._replace(unread=(*fact.unread, *extra))
    return out
