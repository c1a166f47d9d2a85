"""commit-style: a gitlint rule fails (title length, trailing whitespace, body line length, ...).

Runs gitlint (gitlint-core) as a library, with its default rules, as a server running gitlint
would. `[commit.style]` configures it by gitlint's own names:

    [commit.style]
    title-max-length = 72                          # a rule = the value of its main (first) option
    title-must-not-contain-word = ["WIP", "TODO"]
    body-max-line-length = { line-length = 100 }   # or a table of the rule's options
    ignore = ["body-is-missing", "B5"]             # rules turned off (names or ids)
    contrib = ["contrib-body-requires-signed-off-by"]  # gitlint's contrib rules turned on

Rules may be named by name or id (`T1`). Regex options are searched, not anchored (gitlint's
`regex-style-search`). A `gitlint-ignore: RULES` line in a body works as in gitlint.
`body-changed-file-mention` is refused: it needs the changed files, which message checks do not
read. Merges, reverts, fixup!/squash!/amend! messages are left alone by `[commit] exempt`.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping

from pushguard._typing import TYPE_CHECKING
from pushguard.checks import _gitlint
from pushguard.checks._message import checked_commits, edit_fix, finding
from pushguard.config import Config
from pushguard.errors import ConfigError
from pushguard.model import Commit, Context, Finding, Need

if TYPE_CHECKING:
    from typing import Any

    from gitlint.config import LintConfig

ID = 'commit-style'
NEEDS = frozenset({Need.MESSAGES})
GENERAL = ('ignore', 'contrib')
UNSUPPORTED = {
    'body-changed-file-mention': 'it needs the changed files, which message checks do not read',
    'B7': 'see body-changed-file-mention',
    'contrib-allowed-authors': 'it reads an AUTHORS file of the repository, which message checks '
                               'do not read; use [author] email = REGEX instead',
    'CC3': 'see contrib-allowed-authors',
}
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


class _Invalid(Exception):
    pass


def _gitlint_value(value: object) -> Any:
    """TOML values as gitlint's option setters take them."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, (int, str)):
        return value
    raise _Invalid(f'{value!r} is not a valid option value')


def _names(value: object, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid(f'{key}: expected a list of gitlint rule names')
    return value


def _known(config: LintConfig, wrong: str) -> str:
    import difflib
    names = [rule.name for rule in config.rules if rule.name not in UNSUPPORTED]
    close = difflib.get_close_matches(wrong, names, n=1)
    return f'did you mean {close[0]!r}?' if close else f'rules: {", ".join(names)}'


def _set_rule(config: LintConfig, key: str, value: object) -> None:
    from gitlint.config import LintConfigError
    rule = config.rules.find_rule(key)
    if key in UNSUPPORTED:
        raise _Invalid(f'{key!r} is not supported: {UNSUPPORTED[key]}')
    if rule is None:
        raise _Invalid(f'{key!r} is not a gitlint rule name or id ({_known(config, key)})')
    if isinstance(value, dict):
        options = value
    elif rule.options:
        options = {next(iter(rule.options)): value}
    else:
        raise _Invalid(f'{key}: the rule has no option to set '
                       f'(turn it off with ignore = ["{key}"])')
    for option, option_value in options.items():
        try:
            config.set_rule_option(key, option, _gitlint_value(option_value))
        except LintConfigError as e:
            raise _Invalid(f'{key}: {e}') from None


def lint_config(options: Mapping[str, Any]) -> LintConfig:
    """One gitlint LintConfig from `[commit.style]`; _Invalid says which key is wrong and why."""
    _gitlint.load()
    from gitlint.config import LintConfig, LintConfigError
    config = LintConfig()
    config.regex_style_search = True
    contrib = _names(options.get('contrib', []), 'contrib')
    for name in contrib:
        if name in UNSUPPORTED:
            raise _Invalid(f'contrib: {name!r} is not supported: {UNSUPPORTED[name]}')
    try:
        if contrib:  # setting it, even to [], imports every contrib rule module
            config.contrib = contrib
    except LintConfigError as e:
        raise _Invalid(f'contrib: {e}') from None
    ignored = _names(options.get('ignore', []), 'ignore')
    for name in ignored:
        if config.rules.find_rule(name) is None:
            raise _Invalid(f'ignore: {name!r} is not a gitlint rule name or id '
                           f'({_known(config, name)})')
    config.ignore = ignored
    for key, value in options.items():
        if key not in GENERAL:
            _set_rule(config, key, value)
    return config


def validate_options(options: dict[str, Any]) -> None:
    """Raise cfgv.ValidationError naming the rule or option of `[commit.style]` that is wrong."""
    import cfgv
    try:
        lint_config(options)
    except _Invalid as e:
        raise cfgv.ValidationError(str(e)) from None


def _hint(config: LintConfig, rule_id: str, line: int | None) -> tuple[str, str]:
    rule = config.rules.find_rule(rule_id)
    name = rule.name if rule is not None else rule_id
    values = {key: option.value for key, option in (rule.options.items() if rule else ())}
    values = {key: getattr(value, 'pattern', value) for key, value in values.items()}
    template = _HINTS.get(name)
    if template is None:
        return name, f'change the message so that gitlint rule {name} passes'
    return name, template.format_map({**values, 'line': line})


def violations(config: LintConfig, commits: list[Commit]) -> Iterator[tuple[Commit, Any]]:
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


def check(ctx: Context, cfg: Config) -> Iterator[Finding]:
    commits = list(checked_commits(ctx, cfg))
    if not commits:
        return
    try:
        config = lint_config(cfg.style or {})
    except _Invalid as e:  # valid when the policy was cached, not with the gitlint now installed
        raise ConfigError(f'{cfg.source}: key commit.style: {e}') from None
    for commit, violation in violations(config, commits):
        yield _finding(config, commit, violation)
