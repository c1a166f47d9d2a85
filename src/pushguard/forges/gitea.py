"""Gitea and Forgejo: what protects a pushed ref, read with the developer's own token.

One parallel round (forges/README.md section 6): GET /repos/{o}/{r}/branches/{b} for each
pushed branch (`protected`, `user_can_push`: readable with code read), GET /repos/{o}/{r}/
branch_protections and /tag_protections (repository admin only: a 403 leaves the rules that
need them unknown), GET /user (who the token is, for the allow-lists). Only the first matching
protection applies: plain names first (compared case-insensitively), then globs in `priority`
order (older servers: oldest first). Globs are gobwas globs with `/` as separator.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from pushguard._typing import TYPE_CHECKING
from pushguard.forges._http import Answer
from pushguard.forges.gitea_rules import (
    allow_list, protection_rules, rule_name, first_match, glob_regex, tag_matches,
)
from pushguard.forges.rules import RefFacts, Rule

if TYPE_CHECKING:
    from typing import Any

__all__ = ('build', 'facts', 'first_match', 'glob_regex', 'tag_matches')
_ADMIN = 'needs repository admin'


# --- branches ----------------------------------------------------------------------------------

def branch_facts(ref: str, branch: Answer, protections: Answer, login: str | None, *,
                 default_branch: str | None, web: str) -> RefFacts:
    """What protects the branch `ref`: the branch's own answer, and the first matching protection
    when the token may read them."""
    name = ref[len('refs/heads/'):]
    rule = first_match(_items(protections), name) if protections.ok else None
    exists = branch.ok
    data: Mapping[str, Any] = branch.data if isinstance(branch.data, dict) else {}
    protected = bool(data.get('protected')) if exists else rule is not None
    can_push = data.get('user_can_push') if exists else None
    unread: list[str] = []
    if not exists and branch.status != 404:
        unread.append(f'branch {name}: {branch.why}')
    if not protections.ok and (protected or not exists):
        unread.append(f'Gitea branch protections ({_ADMIN}): {protections.why}; '
                      f'force-push, signature and protected-file rules of {name} were not checked')
    rules: list[Rule] = []
    if name == default_branch:
        rules.append(Rule('branch-deletion', 'Gitea default branch',
                          f'{name} is the default branch of the repository',
                          f'Branch {name} is the default branch and cannot be deleted'))
    if protected:
        label = (rule_name(rule) if rule is not None
                 else str(data.get('effective_branch_protection_name') or ''))
        source = f'Gitea branch protection "{label}"' if label else 'Gitea branch protection'
        rules.extend(protection_rules(name, source, rule, can_push, login))
    links = (('settings', f'{web}/settings/branches'),
             ('pull request', f'{web}/compare/{quote(name, safe="/")}...{{name}}'))
    return RefFacts(ref, tuple(rules), can_push if isinstance(can_push, bool) else None,
                    tuple(unread), links if protected else ())


def tag_facts(ref: str, protections: Answer, login: str | None, *, web: str) -> RefFacts:
    """What protects the tag `ref`: allowed when no rule matches or any matching rule lists the
    token's user (Gitea's IsUserAllowedToControlTag)."""
    name = ref[len('refs/tags/'):]
    if not protections.ok:
        return RefFacts(ref, unread=(f'Gitea tag protections ({_ADMIN}): {protections.why}; '
                                     f'whether tag {name} is protected was not checked',))
    matching = [p for p in _items(protections)
                if tag_matches(str(p.get('name_pattern') or ''), name)]
    if not matching:
        return RefFacts(ref)
    rules = []
    for rule in matching:
        source = f'Gitea protected tag "{rule.get("name_pattern")}"'
        rules.append(allow_list(source, 'protected-tag', login, rule, 'whitelist',
                                 f'Tag {name} is protected',
                                 'only the allowed users and teams may create, move or delete it',
                                 known=None))
    if any(r.bypass for r in rules):
        rules = [r for r in rules if r.bypass]
    elif not all(r.certain for r in rules):
        rules = [r._replace(certain=False) for r in rules]
    return RefFacts(ref, tuple(rules), links=(('settings', f'{web}/settings/tags'),))


# --- the round of requests ---------------------------------------------------------------------

def facts(client: Any, repo: Any, refs: Sequence[str], *,
          default_branch: str | None) -> dict[str, RefFacts]:
    """Ask the Gitea API about every ref in one parallel round; see the module docstring."""
    base = f'/repos/{repo.path}'
    paths = {ref: f'{base}/branches/{quote(ref[len("refs/heads/"):], safe="")}'
             for ref in refs if ref.startswith('refs/heads/')}
    wanted = {'user': '/user', **paths}
    if paths:
        wanted['protections'] = f'{base}/branch_protections'
    if any(ref.startswith('refs/tags/') for ref in refs):
        wanted['tags'] = f'{base}/tag_protections'
    answers = ask(client, wanted)
    return build(answers, refs, default_branch=default_branch, web=repo.web)


def build(answers: Mapping[str, Answer], refs: Sequence[str], *, default_branch: str | None,
          web: str) -> dict[str, RefFacts]:
    """The facts of every ref from the answers `facts` collected (keys: ref names, 'user',
    'protections', 'tags')."""
    user = answers.get('user')
    login = str(user.data.get('login')) if user is not None and user.ok and \
        isinstance(user.data, dict) and user.data.get('login') else None
    missing = Answer(0, why='not asked')
    protections = _list(answers.get('protections', missing))
    tags = _list(answers.get('tags', missing))
    out = {}
    for ref in refs:
        if ref.startswith('refs/heads/'):
            branch = answers.get(ref, missing)
            if branch.ok and not isinstance(branch.data, dict):
                branch = Answer(0, why='the branch answer is not a JSON object')
            out[ref] = branch_facts(ref, branch, protections, login,
                                    default_branch=default_branch, web=web)
        elif ref.startswith('refs/tags/'):
            out[ref] = tag_facts(ref, tags, login, web=web)
        else:
            out[ref] = RefFacts(ref)
    return out


def _items(answer: Answer) -> list[Mapping[str, Any]]:
    return [item for item in answer.data if isinstance(item, dict)] \
        if isinstance(answer.data, list) else []


def _list(answer: Answer) -> Answer:
    if answer.ok and not (isinstance(answer.data, list)
                          and all(isinstance(item, dict) for item in answer.data)):
        return Answer(0, why='the answer is not a JSON list of objects')
    return answer


def ask(client: Any, wanted: Mapping[str, str]) -> dict[str, Answer]:
    """GET every path of `wanted` (name -> path) through the client in one parallel round."""
    answers = client.get_many(list(wanted.values()))
    return {name: answers[path] for name, path in wanted.items()}
