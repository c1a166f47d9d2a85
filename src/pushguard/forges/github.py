"""GitHub (github.com, GHE.com, Enterprise Server): rulesets, classic protection, tag rulesets.

One round reads, for every pushed branch, `rules/branches/{b}` (every active ruleset, any level),
the branch summary and its classic protection (admin-only: unreadable is not "unprotected"), plus
the repository and its rulesets list; a second round, in the same deadline, reads each ruleset
met for `current_user_can_bypass` and the tag rulesets' conditions.
"""
from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from pushguard.forges import Repo
from pushguard.forges._http import Answer, Client
from pushguard.forges._patterns import github_matches
from pushguard.forges.github_rules import classic_rules, ruleset_rule, unknown_classic
from pushguard.forges.rules import RefFacts, Rule, items

RULESET_CHECKS = ('protected-branch, force-push, branch-deletion, branch-creation, '
                  'linear-history, status-checks and the rulesets\' content rules')


def facts(client: Client, repo: Repo, refs: Sequence[str], *, default_branch: str | None
          ) -> dict[str, RefFacts]:
    base = f'/repos/{repo.path}'
    branches = [r[len('refs/heads/'):] for r in refs if r.startswith('refs/heads/')]
    tags = [r for r in refs if r.startswith('refs/tags/')]
    first = [base, f'{base}/rulesets?includes_parents=true&per_page=100']
    for b in branches:
        name = quote(b, safe='')
        first += [f'{base}/rules/branches/{name}?per_page=100', f'{base}/branches/{name}',
                  f'{base}/branches/{name}/protection']
    answers = client.get_many(first)
    rulesets = answers[first[1]]
    ids = {item.get('ruleset_id') for b in branches
           for item in _list(answers[f'{base}/rules/branches/{quote(b, safe="")}?per_page=100'])}
    if tags:
        ids |= {rs.get('id') for rs in _list(rulesets) if rs.get('target') in ('tag', None)}
    details = client.get_many([f'{base}/rulesets/{i}' for i in sorted(ids, key=str) if i])
    detail = {str(i): details[f'{base}/rulesets/{i}'] for i in ids if i}
    repository = answers[base]
    default = default_branch or _dict(repository).get('default_branch')
    out = {}
    for b in branches:
        out[f'refs/heads/{b}'] = _branch(repo, b, answers, detail, repository)
    for tag in tags:
        out[tag] = _tag(repo, tag, rulesets, detail, default)
    return out


def _list(answer: Answer) -> list[dict[str, object]]:
    data = answer.data if answer.ok else None
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _dict(answer: Answer) -> dict[str, object]:
    return answer.data if answer.ok and isinstance(answer.data, dict) else {}


def _branch(repo: Repo, branch: str, answers: dict[str, Answer], detail: dict[str, Answer],
            repository: Answer) -> RefFacts:
    base, name = f'/repos/{repo.path}', quote(branch, safe='')
    ref = f'refs/heads/{branch}'
    rules: list[Rule] = []
    unread: list[str] = []
    listed = answers[f'{base}/rules/branches/{name}?per_page=100']
    if listed.ok:
        rules += [ruleset_rule(item, detail, ref) for item in _list(listed)]
    else:
        unread.append(f'the rulesets on {branch} could not be read ({listed.why}); not checked: '
                      f'{RULESET_CHECKS}')
    summary = answers[f'{base}/branches/{name}']
    protection = answers[f'{base}/branches/{name}/protection']
    admin = _permissions(repository).get('admin') is True
    if protection.ok:
        rules += classic_rules(_dict(protection), ref, admin)
    elif not _not_protected(protection) and _dict(summary).get('protected') is True:
        rules += unknown_classic(_dict(summary), ref, blocking_seen=any(
            r.check == 'protected-branch' for r in rules), why=protection.why)
    elif not summary.ok and summary.status != 404:
        unread.append(f'whether {branch} is protected could not be read ({summary.why}); not '
                      'checked: classic branch protection')
    if _permissions(repository).get('push') is False:
        rules.append(Rule('protected-branch', f'your access to {repo.path}',
                          'this credential has no write access to the repository',
                          f'Permission to {repo.path}.git denied.'))
    links = (('pull request', f'{repo.web}/compare/{branch}...{{name}}?expand=1'),
             ('settings', f'{repo.web}/settings/rules'))
    return RefFacts(ref, tuple(rules), None, tuple(unread), links)


def _not_protected(answer: Answer) -> bool:
    return answer.status == 404 and isinstance(answer.data, dict) and \
        answer.data.get('message') == 'Branch not protected'


def _permissions(repository: Answer) -> dict[str, object]:
    value = _dict(repository).get('permissions')
    return value if isinstance(value, dict) else {}


def _tag(repo: Repo, tag: str, rulesets: Answer, detail: dict[str, Answer],
         default: object) -> RefFacts:
    if not rulesets.ok:
        return RefFacts(tag, unread=(f'the tag rulesets could not be read ({rulesets.why}); not '
                                     'checked: protected-tag',))
    rules: list[Rule] = []
    unread: list[str] = []
    for summary in _list(rulesets):
        if summary.get('target') not in ('tag', None):
            continue
        full = detail.get(str(summary.get('id')))
        if full is None or not full.ok:
            why = full.why if full is not None else 'not read'
            unread.append(f'tag ruleset {summary.get("name")!r} could not be read ({why}); not '
                          'checked: protected-tag')
            continue
        data = _dict(full)
        if data.get('target') != 'tag' or data.get('enforcement') != 'active':
            continue
        if not _condition_matches(data, tag, default if isinstance(default, str) else None):
            continue
        for item in items(data.get('rules')):
            if isinstance(item, dict):
                rule = {**item, 'ruleset_id': data.get('id')}
                rules.append(ruleset_rule(rule, detail, tag))
    links = (('settings', f'{repo.web}/settings/rules'),)
    return RefFacts(tag, tuple(rules), None, tuple(unread), links)


def _condition_matches(ruleset: dict[str, object], ref: str, default: str | None) -> bool:
    conditions = ruleset.get('conditions')
    names = conditions.get('ref_name') if isinstance(conditions, dict) else None
    if not isinstance(names, dict):
        return False
    include, exclude = names.get('include') or [], names.get('exclude') or []
    return any(github_matches(p, ref, default) for p in include) and not any(
        github_matches(p, ref, default) for p in exclude)
