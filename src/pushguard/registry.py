"""The one table of what pushguard has: commands, hook types, checks, output formats and forges.

Everything else reads its lists from here. It imports nothing of pushguard's but the record
maker, so any module may import it, and a hook pays nothing for it: each entry names a module
path, imported only when used.
"""
from __future__ import annotations

from pushguard._typing import NamedTuple


class Command(NamedTuple):
    target: str  # 'module:function', the function takes the argparse namespace, returns the status
    summary: str
    built: bool = True  # False: named by the contract, not built yet (says so, exit 2)


class Hook(NamedTuple):
    target: str
    summary: str
    # the arguments git passes after `hook TYPE`: the first `required` are required, the rest
    # optional; `many` names one argument that takes any number of values instead
    arguments: tuple[str, ...] = ()
    required: int = 0
    many: str | None = None
    built: bool = True


class Check(NamedTuple):
    module: str
    summary: str
    places: frozenset[str]  # model.Place values where the check makes sense
    # the Config fields that turn it on when any of them is set; () means always on (the
    # embedded default)
    turned_on_by: tuple[str, ...]
    built: bool = True


COMMANDS: dict[str, Command] = {
    'install': Command('pushguard.commands.install:install',
                       'write git hooks into this repository'),
    'hook': Command('', 'run as a git hook (git calls this)'),
    'check': Command('pushguard.commands.check:check',
                     'check a range of commits as a push would be'),
    'init': Command('pushguard.commands.init:init', 'write a starter .pushguard.toml'),
    'ci': Command('pushguard.commands.ci:ci',
                  'check the push or merge request a CI pipeline runs for'),
    'remote': Command('pushguard.commands.remote:remote',
                      'show what the forge enforces on a branch or tag'),
    'explain': Command('pushguard.commands.explain:explain',
                       "say why a push failed, from git's output"),
    'doctor': Command('pushguard.commands.doctor:doctor', 'check the set-up'),
    'sync': Command('pushguard.commands.sync:sync', "save the forge's rules for commit time"),
}

HOOKS: dict[str, Hook] = {
    'commit-msg': Hook('pushguard.hooks.commit_msg:commit_msg', 'check the commit message file',
                       ('file',), 1),
    'prepare-commit-msg': Hook('pushguard.hooks.prepare_commit_msg:prepare_commit_msg',
                               'insert the Jira key from the branch', ('file', 'source', 'sha'), 1),
    'pre-commit': Hook('pushguard.hooks.pre_commit:pre_commit', 'check the staged files',
                       many='filenames'),
    'pre-push': Hook('pushguard.hooks.pre_push:pre_push',
                     'check what a push sends (refs on stdin)', ('remote', 'url'), 0),
    'pre-receive': Hook('pushguard.hooks.pre_receive:pre_receive',
                        'check what a push brings, on the server (refs on stdin)'),
}
# the hooks a commit starts: their arguments are read without argparse (see cli.py)
COMMIT_TIME_HOOKS = ('pre-commit', 'prepare-commit-msg', 'commit-msg')

_ALL = frozenset({'commit-msg', 'pre-commit', 'pre-push', 'check', 'pre-receive'})
_MESSAGE = _ALL - {'pre-commit'}
_CONTENT = _ALL - {'commit-msg'}
_COMMITTED = frozenset({'pre-push', 'check', 'pre-receive'})
_FORGE = frozenset({'pre-push', 'check'})  # the server enforces these itself



def _forge_check(module: str, summary: str) -> Check:
    """A check of what the forge enforces: on wherever the forge is asked."""
    return Check(f'pushguard.checks.{module}', summary, _FORGE, ('remote_enabled',))


CHECKS: dict[str, Check] = {
    'jira-ticket': Check('pushguard.checks.jira_ticket', 'the message names a Jira issue key',
                         _MESSAGE, ('jira',)),
    'conventional-commit': Check('pushguard.checks.conventional_commit',
                                 'the message follows Conventional Commits', _MESSAGE,
                                 ('conventional',)),
    'message-pattern': Check('pushguard.checks.message_pattern',
                             'the message matches commit.pattern, not forbidden-pattern',
                             _MESSAGE, ('pattern', 'forbidden_pattern')),
    'commit-style': Check('pushguard.checks.commit_style', 'gitlint style rules', _MESSAGE,
                          ('style',)),
    'branch-name': Check('pushguard.checks.branch_name', 'the pushed branch name fits the pattern',
                         _COMMITTED, ('branch_pattern',)),
    'file-size': Check('pushguard.checks.file_size', 'no added file over the size limit',
                       _CONTENT, ()),
    'forbidden-path': Check('pushguard.checks.forbidden_path',
                            'no added path matching a forbidden glob, or too long', _CONTENT,
                            ('forbidden', 'max_path_length')),
    'secrets': Check('pushguard.checks.secrets', 'no added line holds a secret', _CONTENT, ()),
    'signature': Check('pushguard.checks.signature', 'every pushed commit is signed', _COMMITTED,
                       ('signing_required',)),
    'author-email': Check('pushguard.checks.author_email',
                          'author and committer emails fit the pattern', _COMMITTED,
                          ('author_email',)),
    'dco': Check('pushguard.checks.dco', 'a Signed-off-by trailer matching the author', _MESSAGE,
                 ('dco',)),
    'protected-branch': _forge_check('protected_branch', 'a direct push the forge refuses'),
    'force-push': _forge_check('force_push', 'a force push the forge refuses'),
    'branch-deletion': _forge_check('branch_deletion', 'a deletion the forge refuses'),
    'branch-creation': _forge_check('branch_creation', 'a branch creation the forge refuses'),
    'linear-history': _forge_check('linear_history',
                                   'a merge commit to a branch that needs linear history'),
    'status-checks': _forge_check('status_checks',
                                  'a direct push to a branch with required status checks'),
    'protected-tag': _forge_check('protected_tag', 'a tag the forge protects'),
    'remote': _forge_check('remote', 'the forge could not be asked'),
}

FORMATS: dict[str, str] = {
    'text': 'pushguard.report.text',
    'json': 'pushguard.report.json',
    'sarif': 'pushguard.report.sarif',
    'junit': 'pushguard.report.junit',
    'github': 'pushguard.report.github',
    'gitlab': 'pushguard.report.gitlab',
}

FORGES: dict[str, str] = {
    'github': 'pushguard.forges.github',
    'gitlab': 'pushguard.forges.gitlab',
    'bitbucket': 'pushguard.forges.bitbucket',
    'bitbucket-server': 'pushguard.forges.bitbucket_server',
    'gitea': 'pushguard.forges.gitea',
}


def target(path: str) -> object:
    """The object a 'module:function' (or 'module') path names, imported now.

    Not importlib: it imports warnings, at every start of a hook."""
    import sys
    module_name, _, attribute = path.partition(':')
    __import__(module_name)
    module = sys.modules[module_name]
    return getattr(module, attribute) if attribute else module


def not_built(what: str, name: str) -> str:
    """The one line for a command, hook or check the contract names but this version lacks."""
    return f'{what} {name!r} is not built yet in this version of pushguard'
