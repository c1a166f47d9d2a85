"""The synced content rules applied at commit time (commit-msg: the message, the author and
committer emails, the branch name; pre-commit: the staged paths and sizes), as the pre-push hook
applies the forge's own answers. Findings carry the content check's id, so `[checks] warn`/`skip`
treat them as the local rule of that id. Rules synced for this very branch are errors (the server
will refuse the push); rules synced for other refs only warn (they may not apply here).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from pushguard.forges.rules import Rule, param
from pushguard.model import Context, Finding, Need, Place, Severity
from pushguard import sync as store
from pushguard.sync import Synced, load, rules_for

AT = {
    Place.COMMIT_MSG: ('message-pattern', 'author-email', 'branch-name'),
    Place.PRE_COMMIT: ('forbidden-path', 'file-size'),
}
NEEDS = {'forbidden-path': {Need.CHANGES}, 'file-size': {Need.CHANGES, Need.SIZES}}


class Prepared:
    """What the engine applies at commit time: the file, the rules, for which branch; or why
    the file could not be read (a warning: never a silent pass)."""

    def __init__(self, synced: Synced | None, rules: tuple[Rule, ...], exact: bool,
                 branch: str | None, problem: str = '') -> None:
        self.synced, self.rules, self.exact, self.branch = synced, rules, exact, branch
        self.problem = problem


def prepare(where: str, place: Place, branch: str | None, skip: frozenset[str]
            ) -> Prepared | None:
    """The synced rules in the git dir `where` for a commit-time hook, or None."""
    if place not in AT:
        return None
    synced = load(where)
    if synced is None:
        return Prepared(None, (), False, branch, f'{store.path(where)} cannot be read, so the '
                        "forge's synced rules were not applied")
    if branch is None:
        branch = _committing_branch()
    rules, exact = applicable(synced, place, branch, skip)
    return Prepared(synced, rules, exact, branch) if rules else None


def applicable(synced: Synced, place: Place, branch: str | None, skip: frozenset[str]
               ) -> tuple[tuple[Rule, ...], bool]:
    rules, exact = rules_for(synced, branch)
    wanted = AT.get(place, ())
    return tuple(r for r in rules if r.check in wanted and r.check not in skip), exact


def needs(rules: Sequence[Rule]) -> set[Need]:
    return {need for rule in rules for need in NEEDS.get(rule.check, ())}


def findings(ctx: Context, prepared: Prepared) -> Iterator[Finding]:
    synced, rules, exact, branch = (prepared.synced, prepared.rules, prepared.exact,
                                    prepared.branch)
    if synced is None:
        yield Finding('remote', Severity.WARNING, prepared.problem,
                      'pushguard sync  # reads them again')
        return
    severity = Severity.ERROR if exact else Severity.WARNING
    where = f'{synced.forge} {synced.repository}, synced {synced.synced_at}'
    hint = '' if exact else ' (synced for other branches: it may not apply to this one)'
    for rule in rules:
        for what, fix, path in _broken(ctx, rule, branch):
            message = (f'{what}: the server will refuse the push: {rule.reason} '
                       f'({rule.source}; {where}){hint}')
            yield Finding(rule.check, severity, message, fix,
                          ref=f'refs/heads/{branch}' if branch else None, path=path)


def _broken(ctx: Context, rule: Rule, branch: str | None) -> Iterator[tuple[str, str, str | None]]:
    from pushguard.checks._forge_content import _fails, _file_rules
    pattern = param(rule, 'pattern', '')
    if rule.check == 'message-pattern':
        for commit in ctx.commits:
            if _fails(rule, commit.message.replace('\r\n', '\n').rstrip('\n')):
                yield (f'the message vs /{pattern}/',
                       f'edit the message so that it satisfies /{pattern}/', None)
    elif rule.check == 'author-email':
        committer = 'committer' in str(param(rule, 'type', ''))
        email = _identity_email('GIT_COMMITTER_IDENT' if committer else 'GIT_AUTHOR_IDENT')
        who = 'committer' if committer else 'author'
        if email is not None and _fails(rule, email):
            yield (f'the {who} email {email} vs /{pattern}/',
                   'git config user.email YOU@ALLOWED, then commit again', None)
    elif rule.check == 'branch-name':
        if branch and _fails(rule, branch):
            yield (f'the branch name {branch} vs /{pattern}/',
                   f'git branch -m {branch} NEW-NAME  # a name that matches', None)
    else:
        kind = str(param(rule, 'type', ''))
        for what, _, path in _file_rules(rule, kind, list(ctx.changes)):
            yield what, f'git restore --staged -- {path}  # keep it out of the commit', path


def _committing_branch() -> str | None:
    """The current branch, or during `git rebase -i` the branch being rebased."""
    import os

    from pushguard import git
    branch = git.current_branch()
    for state in ('rebase-merge', 'rebase-apply'):
        if branch is not None:
            break
        try:
            with open(os.path.join(git.git_path(state), 'head-name'), encoding='utf-8') as f:
                name = f.read().strip()
        except (OSError, UnicodeError):
            continue
        branch = name.removeprefix('refs/heads/') if name.startswith('refs/heads/') else None
    return branch


def _identity_email(variable: str) -> str | None:
    """The email git will write (`git var`), or None when git has none (git then refuses)."""
    from pushguard import git
    out = git.decode(git.run('var', variable, ok=(0, 128))).strip()
    if '<' not in out:
        return None
    return out.split('<', 1)[1].split('>', 1)[0]
