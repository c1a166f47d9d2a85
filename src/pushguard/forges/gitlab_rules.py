"""GitLab's push rules and protected tags -> `Rule`s (regexes are RE2, as GitLab's)."""
from __future__ import annotations

from pushguard.forges import Repo
from pushguard.forges._http import Answer
from pushguard.forges._patterns import gitlab_matches
from pushguard.forges.rules import RefFacts, Rule

SOURCE = 'GitLab push rule'
TAG_DELETE = 'You cannot delete a tag'


def _regex_rule(check: str, kind: str, pattern: str, says: str, negate: bool = False,
                **extra: object) -> Rule:
    params = (('type', kind), ('operator', 'regex'), ('pattern', pattern), ('negate', negate),
              ('multiline', False), *extra.items())
    return Rule(check, f'{SOURCE} {kind}', f'{kind} is /{pattern}/', says, params=params)


def push_rules(answer: Answer) -> list[Rule]:
    """The project's push rule (null when never configured: then nothing is known to apply)."""
    data = answer.data if answer.ok and isinstance(answer.data, dict) else {}
    rules = []
    text = {k: str(data.get(k) or '') for k in (
        'commit_message_regex', 'commit_message_negative_regex', 'branch_name_regex',
        'author_email_regex', 'file_name_regex')}
    if text['commit_message_regex']:
        rules.append(_regex_rule('message-pattern', 'commit_message_regex',
                                 text['commit_message_regex'],
                                 f"Commit message does not follow the pattern "
                                 f"'{text['commit_message_regex']}'"))
    if text['commit_message_negative_regex']:
        rules.append(_regex_rule('message-pattern', 'commit_message_negative_regex',
                                 text['commit_message_negative_regex'],
                                 f"Commit message contains the forbidden pattern "
                                 f"'{text['commit_message_negative_regex']}'", negate=True))
    if text['branch_name_regex']:
        rules.append(_regex_rule('branch-name', 'branch_name_regex', text['branch_name_regex'],
                                 f"Branch name does not follow the pattern "
                                 f"'{text['branch_name_regex']}'", on_create_only=True))
    if text['author_email_regex']:
        rules.append(_regex_rule('author-email', 'author_email_regex', text['author_email_regex'],
                                 f"Author's email does not follow the pattern "
                                 f"'{text['author_email_regex']}'"))
    if text['file_name_regex']:
        rules.append(_regex_rule('forbidden-path', 'file_name_regex', text['file_name_regex'],
                                 f"File name is prohibited by the pattern "
                                 f"'{text['file_name_regex']}'"))
    size = data.get('max_file_size')
    if isinstance(size, int) and size > 0:
        rules.append(Rule('file-size', f'{SOURCE} max_file_size', f'files over {size} MB',
                          f'File is larger than the allowed size of {size} MB',
                          params=(('type', 'max_file_size'), ('max_file_size', size))))
    if data.get('reject_unsigned_commits') is True:
        rules.append(Rule('signature', f'{SOURCE} reject_unsigned_commits', 'commits must be '
                          'signed', 'Commit must be signed with a GPG key'))
    if data.get('reject_non_dco_commits') is True:
        rules.append(Rule('dco', f'{SOURCE} reject_non_dco_commits', 'commits need a '
                          'Signed-off-by trailer', 'Commit is missing a Signed-off-by trailer'))
    return rules


def tag_rules(repo: Repo, tag: str, protected: Answer, pushrule: Answer) -> RefFacts:
    name = tag[len('refs/tags/'):]
    rules: list[Rule] = []
    unread: list[str] = []
    data = pushrule.data if pushrule.ok and isinstance(pushrule.data, dict) else {}
    if data.get('deny_delete_tag') is True:
        rules.append(Rule('protected-tag', f'{SOURCE} deny_delete_tag', 'tags may not be deleted',
                          TAG_DELETE, params=(('action', 'delete'),)))
    if not protected.ok:
        unread.append(f'the protected tags could not be read ({protected.why}); not checked: '
                      'protected-tag')
    for item in protected.data if protected.ok and isinstance(protected.data, list) else ():
        if not isinstance(item, dict) or not gitlab_matches(str(item.get('name', '')), name):
            continue
        levels = [lv.get('access_level') for lv in item.get('create_access_levels') or ()
                  if isinstance(lv, dict)]
        nobody = bool(levels) and all(level == 0 for level in levels)
        who = ', '.join(str(lv.get('access_level_description')) for lv in
                        item.get('create_access_levels') or () if isinstance(lv, dict))
        rules.append(Rule('protected-tag', f'GitLab protected tag "{item.get("name")}"',
                          f'only {who or "the allowed roles"} may create it',
                          'You are not allowed to create this tag as it is protected.',
                          certain=nobody))
    settings = f'{repo.web}/-/settings/repository#js-protected-tags-settings'
    return RefFacts(tag, tuple(rules), None, tuple(unread), (('settings', settings),))
