"""commit-style: a gitlint rule fails (title length, trailing whitespace, body line length, ...).

Runs gitlint (gitlint-core) as a library, with its default rules, as a server running gitlint
would. `[commit.style]` configures it by gitlint's own names:

    [commit.style]
    title-max-length = 72                          # a rule = the value of its main (first) option
    title-must-not-contain-word = ["WIP", "TODO"]
    body-max-line-length = { line-length = 100 }   # or a table of the rule's options
    ignore = ["body-is-missing", "B5"]             # rules turned off (names or ids)
    contrib = ["contrib-body-requires-signed-off-by"]  # gitlint's contrib rules turned on

Rules may be named by name or id (`T1`). Each value must have its option's type (a number, a string,
a list of strings, true or false). Regex options are searched, not anchored (gitlint's `regex-style-
search`), with RE2's semantics (pushguard.patterns). A `gitlint-ignore: RULES` line in a body works
as in gitlint. `body-changed-file-mention` is refused: it needs the changed files, which message
checks do not read. Merges, reverts, fixup!/squash!/amend! messages are left alone by `[commit]
exempt`.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence

from pushguard._typing import TYPE_CHECKING
from pushguard.checks import _gitlint, _style_options
from pushguard.checks._message import Messages, edit_fix, finding
from pushguard.checks._stream import whole
from pushguard.config import Config
from pushguard.errors import ConfigError
from pushguard.model import Commit, Context, Finding, Need

if TYPE_CHECKING:
    from typing import Any

    from gitlint.config import LintConfig

ID = 'commit-style'
NEEDS = frozenset({Need.MESSAGES})
_IGNORE_LINE = re.compile(r'gitlint-ignore:\s*(.*)')
_HINTS = {
    'title-max-length': 'shorten the subject line to at most {line-length} characters',
    'title-trailing-whitespace': 'remove the whitespace at the end of the subject line',
    'title-leading-whitespace': 'remove the whitespace at the start of the subject line',
    'title-trailing-punctuation': 'remove the punctuation at the end of the subject line',
    'title-hard-tab': 'replace the tab in the subject line with a space',
    'title-must-not-contain-word': 'remove the word from the subject line',
    'title-match-regex': 'make the subject line match {regex}',
    'title-min-length': 'write a subject line of at least {min-length} characters',
    'body-max-line-length': 'wrap line {line} at {line-length} characters',
    'body-trailing-whitespace': 'remove the whitespace at the end of line {line}',
    'body-hard-tab': 'replace the tab on line {line} with spaces',
    'body-first-line-empty': 'leave line 2 blank, between the subject and the body',
    'body-min-length': 'write a body of at least {min-length} characters',
    'body-is-missing': 'add a body, after one blank line, that says why the change is made',
    'body-match-regex': 'make the body match {regex}',
}


def _hint(config: LintConfig, rule_id: str, line: int | None) -> tuple[str, str]:
    rule = config.rules.find_rule(rule_id)
    name = rule.name if rule is not None else rule_id
    values = {key: option.value for key, option in (rule.options.items() if rule else ())}
    values = {key: getattr(value, 'pattern', value) for key, value in values.items()}
    template = _HINTS.get(name)
    if template is None:
        return name, f'change the message so that gitlint rule {name} passes'
    return name, template.format_map({**values, 'line': line})


def violations(config: LintConfig, commits: Sequence[Commit]) -> Iterator[tuple[Commit, Any]]:
    """(commit, gitlint RuleViolation) for each rule each message breaks."""
    _gitlint.load()
    from gitlint.lint import GitLinter
    logging.getLogger('gitlint').setLevel(logging.ERROR)  # no "skipping rule" chatter on stderr
    context = _gitlint.new_context()  # shared: GitContext.from_commit_msg starts git each time
    linter = GitLinter(config)
    ignored = list(config.ignore)
    for commit in commits:
        lint_commit = _gitlint.lint_commit(context, commit)
        asked = [m[1] for line in lint_commit.message.body if (m := _IGNORE_LINE.match(line))]
        config.ignore = asked[-1] if asked else ignored
        try:
            for violation in linter.lint(lint_commit):
                yield commit, violation
        finally:
            config.ignore = ignored  # gitlint's ignore-by-* rules change it per commit


def _finding(config: LintConfig, commit: Commit, violation: Any) -> Finding:
    name, what = _hint(config, violation.rule_id, violation.line_nr)
    where = f' (line {violation.line_nr})' if violation.line_nr else ''
    content = str(violation.content) if violation.content else ''
    shown = f': "{content[:77]}..."' if len(content) > 80 else (f': "{content}"' if content else '')
    message = f'{name}: {violation.message}{where}{shown}'
    if name == 'author-valid-email':
        fix = ('git config user.email you@example.com, then '
               'git commit --amend --reset-author --no-edit')
    else:
        fix = edit_fix(commit, what)
    return finding(ID, commit, message, fix, violation.line_nr)


def stream(ctx: Context, cfg: Config) -> Messages:
    configs: list[LintConfig] = []  # made for the first commit checked, if one is

    def judged(commits: Sequence[Commit]) -> Iterator[Finding]:
        if not configs:
            try:
                configs.append(_style_options.lint_config(cfg.style or {}))
            except _style_options.Invalid as e:  # valid when cached, not with this gitlint
                raise ConfigError(f'{cfg.source}: key commit.style: {e}') from None
        for commit, violation in violations(configs[0], commits):
            yield _finding(configs[0], commit, violation)
    return Messages(ctx, cfg, ID, judged)


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    return whole(stream(ctx, cfg), ctx)
