"""GitHub's rules -> `Rule`s: ruleset rule types, classic protection, and what `protected: true`
alone lets one say (only warnings)."""
from __future__ import annotations

from pushguard.forges._http import Answer
from pushguard.forges.rules import Rule, items

PR = 'Changes must be made through a pull request.'
# ruleset rule type -> (check id, reason, what the server says)
RULESET = {
    'pull_request': ('protected-branch', 'changes must be made through a pull request', PR),
    'update': ('protected-branch', 'only bypass actors may update this ref',
               'Cannot update this protected ref.'),
    'non_fast_forward': ('force-push', 'force pushes are blocked',
                         'Cannot force-push to this branch'),
    'deletion': ('branch-deletion', 'only bypass actors may delete this ref',
                 'Cannot delete this protected ref.'),
    'creation': ('branch-creation', 'only bypass actors may create this ref',
                 'Cannot create ref due to creations being restricted.'),
    'required_linear_history': ('linear-history', 'merge commits are not allowed',
                                'This branch must not contain merge commits.'),
    'required_status_checks': ('status-checks', 'required status checks must pass first',
                               'required status checks are expected.'),
    'required_signatures': ('signature', 'commits must have verified signatures',
                            'Commits must have verified signatures.'),
    'commit_message_pattern': ('message-pattern', 'commit messages must match a pattern',
                               'Commit message pattern rule violated.'),
    'commit_author_email_pattern': ('author-email', 'author emails must match a pattern',
                                    'Commit author email pattern rule violated.'),
    'committer_email_pattern': ('author-email', 'committer emails must match a pattern',
                                'Committer email pattern rule violated.'),
    'branch_name_pattern': ('branch-name', 'branch names must match a pattern',
                            'Branch name pattern rule violated.'),
    'tag_name_pattern': ('branch-name', 'tag names must match a pattern',
                         'Tag name pattern rule violated.'),
    'file_path_restriction': ('forbidden-path', 'these paths may not be pushed',
                              'File path restriction rule violated.'),
    'file_extension_restriction': ('forbidden-path', 'these file extensions may not be pushed',
                                   'File extension restriction rule violated.'),
    'max_file_path_length': ('forbidden-path', 'file paths must not be longer than the limit',
                             'Max file path length rule violated.'),
    'max_file_size': ('file-size', 'files must not be larger than the limit',
                      'Max file size rule violated.'),
}
# on tags the ref rules are protected-tag, with what they stop
TAG_ACTIONS = {'creation': 'create', 'update': 'update', 'deletion': 'delete',
               'non_fast_forward': 'force'}
UNCERTAIN = {'workflows': 'required workflows must pass first',
             'code_scanning': 'code scanning results must be in first'}


def _plain(value: object) -> object:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    return value


def ruleset_rule(item: dict[str, object], detail: dict[str, Answer], ref: str) -> Rule:
    """One entry of `rules/branches` (or of a tag ruleset) as a Rule."""
    kind = str(item.get('type'))
    rid = item.get('ruleset_id')
    full = detail.get(str(rid))
    data: dict[str, object] = {}
    if full is not None and full.ok and isinstance(full.data, dict):
        data = full.data
    name = data.get('name')
    source = f'ruleset "{name}" (id {rid})' if name else f'ruleset id {rid}'
    level = str(item.get('ruleset_source_type', ''))
    if level in ('Organization', 'Enterprise'):
        source += f' of {level.lower()} {item.get("ruleset_source")}'
    given = item.get('parameters')
    parameters: dict[str, object] = given if isinstance(given, dict) else {}
    params: list[tuple[str, object]] = [('type', kind)]
    params += [(str(k), _plain(v)) for k, v in sorted(parameters.items())]
    bypass = data.get('current_user_can_bypass') in ('always', 'exempt')
    certain = full is None or full.ok or full.status == 404
    header = f'GH013: Repository rule violations found for {ref}.'
    if ref.startswith('refs/tags/') and kind in TAG_ACTIONS:
        params.append(('action', TAG_ACTIONS[kind]))
        return Rule('protected-tag', source, f'tags matching it are protected ({kind})',
                    f'{header} Cannot {TAG_ACTIONS[kind]} this protected ref.', certain, bypass,
                    tuple(params))
    if kind == 'required_status_checks':
        listed = parameters.get('required_status_checks')
        contexts = tuple(str(c.get('context')) for c in listed if isinstance(c, dict)) \
            if isinstance(listed, list) else ()
        params.append(('contexts', contexts))
        says = f'{header} {len(contexts)} of {len(contexts)} required status checks are expected.'
        return Rule('status-checks', source, 'required status checks must pass first', says,
                    certain, bypass, tuple(params))
    if kind in RULESET:
        check, reason, says = RULESET[kind]
        return Rule(check, source, reason, f'{header} {says}', certain, bypass, tuple(params))
    if kind in UNCERTAIN:
        return Rule('status-checks', source, UNCERTAIN[kind], header, False, bypass, tuple(params))
    return Rule('remote', source, f'a {kind} rule applies (not predicted)', header, False, bypass,
                tuple(params))


def _on(data: dict[str, object], key: str) -> bool:
    value = data.get(key)
    return isinstance(value, dict) and value.get('enabled') is True


def classic_rules(data: dict[str, object], ref: str, admin: bool) -> list[Rule]:
    """The classic protection object (readable by repository admins only)."""
    source = 'classic branch protection'
    header = f'GH006: Protected branch update failed for {ref}.'
    bypass = admin and not _on(data, 'enforce_admins')
    rules = []
    if isinstance(data.get('required_pull_request_reviews'), dict):
        rules.append(Rule('protected-branch', source, 'changes must be made through a pull request',
                          f'{header} {PR}', True, bypass))
    if _on(data, 'lock_branch'):
        rules.append(Rule('protected-branch', source, 'the branch is locked (read-only)',
                          f'{header} Cannot update this protected ref.', True, bypass))
    if not _on(data, 'allow_force_pushes'):
        rules.append(Rule('force-push', source, 'force pushes are not allowed',
                          f'{header} Cannot force-push to this protected branch', True, bypass))
    if not _on(data, 'allow_deletions'):
        rules.append(Rule('branch-deletion', source, 'deleting the branch is not allowed',
                          f'{header} Cannot delete this protected branch', True, bypass))
    if _on(data, 'required_linear_history'):
        rules.append(Rule('linear-history', source, 'merge commits are not allowed',
                          f'{header} This branch must not contain merge commits.', True, bypass))
    if _on(data, 'required_signatures'):
        rules.append(Rule('signature', source, 'commits must have verified signatures',
                          f'{header} Commits must have verified signatures.', True, bypass,
                          (('type', 'required_signatures'),)))
    checks = data.get('required_status_checks')
    if isinstance(checks, dict):
        rules.append(_status_rule(checks, source, header, True, bypass))
    return rules


def _status_rule(checks: dict[str, object], source: str, header: str, certain: bool,
                 bypass: bool) -> Rule:
    contexts = tuple(str(c) for c in items(checks.get('contexts')))
    if not contexts:
        contexts = tuple(str(c.get('context')) for c in items(checks.get('checks'))
                         if isinstance(c, dict))
    first = contexts[0] if contexts else '?'
    return Rule('status-checks', source, 'required status checks must pass first',
                f'{header} Required status check "{first}" is expected.', certain, bypass,
                (('type', 'required_status_checks'), ('contexts', contexts)))


def unknown_classic(summary: dict[str, object], ref: str, blocking_seen: bool, why: str
                    ) -> list[Rule]:
    """`protected: true` without the classic details (admin-only): warnings, never errors."""
    source = 'classic branch protection (details unreadable: ' + why + ')'
    header = f'GH006: Protected branch update failed for {ref}.'
    rules = []
    if not blocking_seen:
        rules.append(Rule('protected-branch', source,
                          'the branch is protected; it may need a pull request',
                          f'{header} {PR}', False))
    rules.append(Rule('force-push', source, 'protected branches refuse force pushes by default',
                      f'{header} Cannot force-push to this protected branch', False))
    rules.append(Rule('branch-deletion', source, 'protected branches refuse deletion by default',
                      f'{header} Cannot delete this protected branch', False))
    protection = summary.get('protection')
    checks = protection.get('required_status_checks') if isinstance(protection, dict) else None
    if isinstance(checks, dict) and checks.get('enforcement_level') not in (None, 'off') and (
            checks.get('contexts') or checks.get('checks')):
        rules.append(_status_rule(checks, 'classic branch protection', header, True, False))
    return rules
