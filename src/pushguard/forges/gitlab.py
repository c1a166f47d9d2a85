"""GitLab (gitlab.com and self-managed): the branch's own `can_push`, protected branches and tags,
and push rules, where the credential's role can read them.

A developer reads `repository/branches/:b` (`protected`, `can_push`); protected-branch settings and
push rules are for Maintainers, and a CI job token reads neither: what cannot be read is said,
with the way to read it. Overlapping wildcard rules: the most permissive one decides (GitLab's
documented rule, and its code: `any?` over the matching rules).
"""
from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from pushguard.forges import Repo
from pushguard.forges._http import Answer, Client
from pushguard.forges._patterns import gitlab_matches
from pushguard.forges.gitlab_rules import push_rules, tag_rules
from pushguard.forges.rules import RefFacts, Rule

PUSH = 'You are not allowed to push code to protected branches on this project.'
NO_ACCESS = 'You are not allowed to push code to this project.'
FORCE = 'You are not allowed to force push code to a protected branch on this project.'
DELETE = 'You can only delete protected branches using the web interface.'
DEFAULT = 'The default branch of a project cannot be deleted.'
CREATE = 'You are not allowed to create protected branches on this project.'
WAY_IN = ('use a project access token with the write_repository scope whose role is in the '
          'branch\'s "Allowed to push and merge" setting, or have a maintainer add your role there')
MAINTAINERS = ('GitLab shows them to Maintainers only and a CI job token never reads them: '
               'a project access token with read_api and the Maintainer role can.')


def facts(client: Client, repo: Repo, refs: Sequence[str], *, default_branch: str | None
          ) -> dict[str, RefFacts]:
    base = f'/projects/{quote(repo.path, safe="")}'
    branches = [r[len('refs/heads/'):] for r in refs if r.startswith('refs/heads/')]
    tags = [r for r in refs if r.startswith('refs/tags/')]
    paths = [base, f'{base}/push_rule', f'{base}/protected_branches?per_page=100',
             *(f'{base}/repository/branches/{quote(b, safe="")}' for b in branches)]
    if tags:
        paths.append(f'{base}/protected_tags?per_page=100')
    answers = client.get_many(paths)
    about = answers[base]
    project = about.data if about.ok and isinstance(about.data, dict) else {}
    default = default_branch or project.get('default_branch')
    pushrule = answers[f'{base}/push_rule']
    out = {}
    for b in branches:
        out[f'refs/heads/{b}'] = _branch(repo, b, answers[f'{base}/repository/branches/'
                                                        f'{quote(b, safe="")}'],
                                          answers[f'{base}/protected_branches?per_page=100'],
                                          pushrule, default)
    for tag in tags:
        out[tag] = tag_rules(repo, tag, answers[f'{base}/protected_tags?per_page=100'], pushrule)
    return out


def _items(answer: Answer) -> list[dict[str, object]]:
    data = answer.data if answer.ok else None
    return [i for i in data if isinstance(i, dict)] if isinstance(data, list) else []


def _branch(repo: Repo, branch: str, summary: Answer, protected: Answer, pushrule: Answer,
            default: object) -> RefFacts:
    ref = f'refs/heads/{branch}'
    info = summary.data if summary.ok and isinstance(summary.data, dict) else {}
    exists = summary.ok
    matching = [p for p in _items(protected) if gitlab_matches(str(p.get('name', '')), branch)]
    is_protected = info.get('protected') is True or bool(matching)
    rules: list[Rule] = []
    unread: list[str] = []
    if not exists and summary.status != 404:
        unread.append(f'whether {branch} is protected and you may push to it could not be read '
                      f'({summary.why}); not checked: protected-branch, force-push, '
                      'branch-deletion')
    if not protected.ok and (is_protected or not exists):
        unread.append(f'the protected-branch settings could not be read ({protected.why}); not '
                      f'checked for sure: force-push, branch-creation. {MAINTAINERS}')
    source = f'GitLab protected branch "{matching[0].get("name")}"' if matching else \
        'GitLab protected branch'
    can_push = info.get('can_push') if isinstance(info.get('can_push'), bool) else None
    if can_push is False:
        says = PUSH if is_protected else NO_ACCESS
        rules.append(Rule('protected-branch', source,
                          f'this credential may not push to it: {WAY_IN}', says))
    if is_protected:
        rules += _protected(source, matching, protected.ok, exists, branch == default)
    rules += push_rules(pushrule)
    if not pushrule.ok and pushrule.status not in (404,):
        unread.append(f'the push rules could not be read ({pushrule.why}); not checked: the '
                      f'push rules\' message, email, branch-name, file and signature rules. '
                      f'{MAINTAINERS}')
    links = (('merge request', f'{repo.web}/-/merge_requests/new?merge_request%5Bsource_branch%5D='
                              f'{{name}}&merge_request%5Btarget_branch%5D={quote(branch)}'),
             ('settings', f'{repo.web}/-/settings/repository#js-protected-branches-settings'))
    return RefFacts(ref, tuple(rules), can_push, tuple(unread), links)


def _protected(source: str, matching: list[dict[str, object]], readable: bool, exists: bool,
               is_default: bool) -> list[Rule]:
    rules = []
    if not readable:
        rules.append(Rule('force-push', source, 'protected branches refuse force pushes unless '
                          '"Allowed to force push" is on (the setting could not be read)',
                          FORCE, False))
    elif not any(p.get('allow_force_push') is True for p in matching):
        rules.append(Rule('force-push', source, 'no matching rule allows force pushes', FORCE))
    rules.append(Rule('branch-deletion', source, 'protected branches are deleted only in the web '
                      'interface', DEFAULT if is_default else DELETE))
    if not exists:
        rules.append(Rule('branch-creation', source, 'creating a protected branch needs the right '
                          'to merge into it', CREATE, False))
    return rules
