"""GitHub Actions: the commits of the event that started the workflow (GITHUB_EVENT_PATH).

- push: `before`..`after` of the ref; a created ref (`before` all zeros) brings what the default
  branch lacks; a forced push brings what `after` has that `before` lacks; a deleted ref nothing.
  Tags alike. The policy is `before`'s (the default branch's for a new ref).
- pull_request, pull_request_target: base.sha..head.sha, the head branch's name (forks too: the
  head is fetched from the base repository's refs/pull/N/head); the policy is the base's.
- merge_group: base_sha..head_sha, checked as a push to the target branch (base_ref).
"""
from __future__ import annotations

from collections.abc import Mapping

from pushguard.ci.plan import Plan, field, is_zero, needed, read_event
from pushguard.errors import PushguardError

SETTING = 'set `fetch-depth: 0` in the actions/checkout step\'s `with:`'
_WHERE = 'GitHub Actions'


def plan(env: Mapping[str, str]) -> Plan:
    name = needed(env, 'GITHUB_EVENT_NAME', _WHERE)
    event = read_event(needed(env, 'GITHUB_EVENT_PATH', _WHERE))
    where = f'GITHUB_EVENT_PATH ({name} event)'
    repository = event.get('repository')
    default = repository.get('default_branch') if isinstance(repository, dict) else None
    default = default if isinstance(default, str) and default else None
    if name in ('pull_request', 'pull_request_target'):
        return _pull_request(event, name, where)
    if name == 'merge_group':
        return _merge_group(event, where)
    if name == 'push':
        return _push(event, where, default)
    raise PushguardError(f'GitHub Actions: the {name} event names no commits to check; run '
                         f'on push, pull_request, pull_request_target or merge_group, or pass '
                         f'--range A..B [--branch NAME]')


def _pull_request(event: Mapping[str, object], name: str, where: str) -> Plan:
    base, head = field(event, 'pull_request.base.sha', where), \
        field(event, 'pull_request.head.sha', where)
    branch = field(event, 'pull_request.head.ref', where)
    number = event.get('number') or ''
    fork = field(event, 'pull_request.head.repo.full_name', where) \
        if _has(event, 'pull_request.head.repo.full_name') else None
    base_repo = field(event, 'pull_request.base.repo.full_name', where) \
        if _has(event, 'pull_request.base.repo.full_name') else None
    source = f'{fork}:{branch}' if fork and fork != base_repo else branch
    label = f'pull request #{number} ({source} -> {field(event, "pull_request.base.ref", where)})'
    return Plan('github', label, head, (base,), f'refs/heads/{branch}', base, base, SETTING,
                fork=fork if fork and fork != base_repo else None)


def _merge_group(event: Mapping[str, object], where: str) -> Plan:
    base, head = field(event, 'merge_group.base_sha', where), \
        field(event, 'merge_group.head_sha', where)
    target = field(event, 'merge_group.base_ref', where)
    label = f'merge queue into {target.removeprefix("refs/heads/")}'
    return Plan('github', label, head, (base,), target, base, base, SETTING)


def _push(event: Mapping[str, object], where: str, default: str | None) -> Plan:
    ref, before, after = field(event, 'ref', where), field(event, 'before', where), \
        field(event, 'after', where)
    short = ref.removeprefix('refs/heads/').removeprefix('refs/tags/')
    kind = 'tag' if ref.startswith('refs/tags/') else 'push to'
    label = f'{kind} {short}'
    if is_zero(after):
        return Plan('github', f'{label} (deleted)', None, ref=ref, old=before, setting=SETTING,
                    notes=(f'{ref} was deleted: no commits to check',))
    # the default branch's commits are on the server already (all history when it is the
    # ref pushed): a new ref brings what it lacks
    other = default if default and f'refs/heads/{default}' != ref else None
    if not is_zero(before):
        return Plan('github', label, after, (before,), ref, before, before, SETTING,
                    default_branch=other)
    return Plan('github', f'{label} (new)', after, (), ref, None, None, SETTING,
                default_branch=other)


def _has(event: Mapping[str, object], path: str) -> bool:
    value: object = event
    for key in path.split('.'):
        value = value.get(key) if isinstance(value, dict) else None
    return isinstance(value, str) and bool(value)
