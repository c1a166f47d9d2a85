"""Bitbucket Cloud: branch restrictions, live when the token may read them, else shipped in config.

One parallel round (forges/README.md section 4): GET /repositories/{ws}/{repo}/branch-restrictions
(scope repository:admin: most developers get 401/403), GET .../effective-branching-model (scope
repository: resolves `branch_match_kind: branching_model` restrictions such as `production`), GET
/user (who the credential is). When the restrictions cannot be read, the ones an admin listed in
`.pushguard.toml` as `[[remote.restrictions]]` are used; without those, one note says that what
protects the ref cannot be known. Write is granted when any matching `push` restriction lists
the user (Bitbucket issue 15612); `force` and `delete` apply to everyone. Repository, project and
workspace access tokens cannot be exempted from restrictions (Atlassian), so an access token is
never taken to be on an exemption list.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from pushguard._typing import TYPE_CHECKING
from pushguard.forges._http import Answer
from pushguard.forges.bitbucket_restrictions import (
    ADMIN_NOTE, CLOUD_KINDS, Restriction, Who, ask, credential_user, decide, from_config,
    user_ids,
)
from pushguard.forges.rules import RefFacts, Rule

if TYPE_CHECKING:
    from typing import Any

__all__ = ('Restriction', 'RefFacts', 'Who', 'build', 'facts', 'from_config', 'glob_match',
           'model_types', 'who_from')
_CHECKS = {'push': 'protected-branch', 'force': 'force-push', 'delete': 'branch-deletion'}


# --- matching ----------------------------------------------------------------------------------

def glob_match(pattern: str, name: str) -> bool | None:
    """Bitbucket Cloud's branch glob: True, False, or None when it matches only if `*` crosses `/`
    (not confirmed either way: the prediction is then a warning)."""
    def regex(star: str, one: str) -> str:
        return ''.join(star if c == '*' else one if c == '?' else re.escape(c) for c in pattern)
    if re.fullmatch(regex('[^/]*', '[^/]'), name, re.DOTALL):
        return True
    return None if re.fullmatch(regex('.*', '.'), name, re.DOTALL) else False


def model_types(model: Mapping[str, Any], name: str, default_branch: str | None) -> set[str]:
    """The branching-model types (development, production, feature, ...) of branch `name`."""
    types = set()
    for kind in ('development', 'production'):
        branch = model.get(kind)
        if not isinstance(branch, dict) or branch.get('enabled') is False:
            continue
        target = default_branch if branch.get('use_mainbranch') else (
            (branch.get('branch') or {}).get('name') or branch.get('name'))
        if target and target == name:
            types.add(kind)
    for branch_type in model.get('branch_types') or ():
        prefix = branch_type.get('prefix') if isinstance(branch_type, dict) else None
        if prefix and branch_type.get('enabled') is not False and name.startswith(prefix):
            types.add(str(branch_type.get('kind')))
    return types

def _matching(restrictions: Sequence[Restriction], name: str, types: set[str] | None
              ) -> tuple[list[tuple[Restriction, bool]], list[str]]:
    found, unknown = [], []
    for r in restrictions:
        if r.branch_type:
            if types is None:
                unknown.append(r.source)
            elif r.branch_type in types:
                found.append((r, True))
            continue
        hit = glob_match(r.pattern, name)
        if hit is not False:
            found.append((r, hit is True))
    return found, unknown


# --- Bitbucket Cloud ---------------------------------------------------------------------------

def _cloud_rule(kind: str, group: list[tuple[Restriction, bool]], name: str, who: Who) -> Rule:
    if kind == 'push':
        nobody = not any(r.users or r.groups for r, _ in group)
        reason = ('nobody may push to this branch directly: changes go through a pull request'
                  if nobody else 'only the users and groups the restriction lists may push')
        return decide('protected-branch', group, who, reason,
                      f'Permission denied to update branch {name}.')
    reason = {'force': 'history rewrites (force pushes) are refused on this branch',
              'delete': 'this branch may not be deleted'}[kind]
    return decide(_CHECKS[kind], group, who, reason,
                  f'! [remote rejected] {name} -> {name} (pre-receive hook declined)')


def cloud_facts(ref: str, restrictions: Sequence[Restriction] | None, model: Answer, who: Who,
                *, default_branch: str | None, web: str, why_unread: str) -> RefFacts:
    """What protects branch `ref` on Bitbucket Cloud; `restrictions` None: they are unknown."""
    if not ref.startswith('refs/heads/'):
        return RefFacts(ref)  # Bitbucket Cloud restricts branches only
    name = ref[len('refs/heads/'):]
    if restrictions is None:
        return RefFacts(ref, unread=(why_unread,))
    types = (model_types(model.data, name, default_branch)
             if model.ok and isinstance(model.data, dict) else None)
    found, unknown = _matching(restrictions, name, types)
    rules = []
    for kind in CLOUD_KINDS:
        group = [(r, sure) for r, sure in found if r.kind == kind]
        if group:
            rules.append(_cloud_rule(kind, group, name, who))
    unread = tuple(f'the branching model ({model.why}): {source} not checked on {name}'
                   for source in unknown)
    links: tuple[tuple[str, str], ...] = (('pull request',
              f'{web}/pull-requests/new?source={{name}}&dest={quote(name, safe="")}'),
             ('settings', f'{web}/admin/branch-restrictions')) if rules else ()
    if who.access_token:  # no setting lets an access token through
        links = links[:1]
    return RefFacts(ref, tuple(rules), unread=unread, links=links)


def live_restrictions(data: Any) -> tuple[Restriction, ...]:
    """The `values` of a branch-restrictions page as records (push-time kinds only)."""
    out = []
    for item in data.get('values') or () if isinstance(data, dict) else ():
        if not isinstance(item, dict) or item.get('kind') not in CLOUD_KINDS:
            continue
        model = item.get('branch_match_kind') == 'branching_model'
        where = f'branch type {item.get("branch_type")}' if model else f'"{item.get("pattern")}"'
        source = f'Bitbucket restriction {item["kind"]} on {where} (id {item.get("id")})'
        out.append(Restriction(
            str(item['kind']), source,
            '' if model else str(item.get('pattern') or ''),
            str(item.get('branch_type') or '') if model else '',
            tuple(user_ids(u) for u in item.get('users') or () if isinstance(u, dict)),
            tuple(str(g.get('slug') or g.get('name')) for g in item.get('groups') or ()
                  if isinstance(g, dict)),
        ))
    return tuple(out)

def facts(client: Any, repo: Any, refs: Sequence[str], *, default_branch: str | None,
          restrictions: Sequence[Sequence[tuple[str, object]]] | None = None
          ) -> dict[str, RefFacts]:
    """Ask Bitbucket Cloud about every ref in one parallel round; `restrictions`: the config's
    `remote.restrictions` (the caller passes them), used when the live ones cannot be read."""
    base = f'/repositories/{repo.path}'
    answers = ask(client, {
        'restrictions': f'{base}/branch-restrictions?pagelen=100',
        'model': f'{base}/effective-branching-model',
        'user': '/user',
    })
    return build(answers, refs, default_branch=default_branch, web=repo.web,
                 shipped=from_config(restrictions), who=who_from(answers.get('user'), client))


def who_from(user: Answer | None, client: Any) -> Who:
    """The credential's identity. An access token: git's `x-token-auth` user, or a bearer token
    that /user refuses (access tokens reach one repository, project or workspace, not an
    account); else the user /user names."""
    scheme, name = credential_user(client)
    refused = user is not None and user.status in (401, 403)
    if name == 'x-token-auth' or scheme == 'Bearer' and refused:
        return Who(access_token=True)
    ids = user_ids(user.data) if user is not None and user.ok and isinstance(user.data, dict) \
        else frozenset()
    return Who(ids | ({name} if name else set()))


def build(answers: Mapping[str, Answer], refs: Sequence[str], *, default_branch: str | None,
          web: str, shipped: Sequence[Restriction] | None, who: Who) -> dict[str, RefFacts]:
    """The facts of every ref from the answers `facts` collected."""
    live = answers.get('restrictions', Answer(0, why='not asked'))
    restrictions: Sequence[Restriction] | None = shipped
    why = ''
    if live.ok and isinstance(live.data, dict):
        restrictions = live_restrictions(live.data)
    elif shipped is None:
        why = (f'Bitbucket branch restrictions (they need repository admin, scope '
               f'repository:admin; this credential got: {live.why or "a malformed answer"}), so '
               f'what protects the branch cannot be known; {ADMIN_NOTE}')
    model = answers.get('model', Answer(0, why='not asked'))
    out = {ref: cloud_facts(ref, restrictions, model, who, default_branch=default_branch, web=web,
                            why_unread=why) for ref in refs}
    if live.ok and isinstance(live.data, dict) and live.data.get('next'):
        for ref, fact in out.items():
            out[ref] = fact._replace(unread=(*fact.unread, 'more than 100 branch restrictions: '
                                             'only the first page was read'))
    return out
