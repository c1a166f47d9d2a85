"""jira-ticket's verification (`[commit.jira] url`): every key the pushed commits name exists in
Jira and, with `statuses`, is in one of them. At pre-push, `check` and `ci` only: a commit being
written is never held up by the network. What Jira could not be asked about is a warning naming
the keys and why (an error with `[remote] offline = "fail"`), never a silent pass.
"""
from __future__ import annotations

from collections.abc import Iterator

from pushguard.checks._jira_keys import key_pattern, where_to_look
from pushguard.checks._message import checked_commits, finding, reword_fix, subject
from pushguard.config import Config, Jira
from pushguard.model import Commit, Context, Finding, Place, Severity

ID = 'jira-ticket'
PLACES = (Place.PRE_PUSH, Place.CHECK)
CREDENTIALS = ('set JIRA_API_TOKEN (with JIRA_USER=you@example.com for Jira Cloud; alone for a '
               'Data Center personal access token), or store one with git credential approve')


def findings(ctx: Context, cfg: Config, jira: Jira) -> Iterator[Finding]:
    if not jira.url or ctx.place not in PLACES:
        return
    named = _named(ctx, cfg, jira)
    if not named:
        return
    from pushguard import git, jira as client
    issues = client.verify(list(named), jira.url, cfg.remote.timeout, cfg.remote.cache_ttl,
                           git.git_path('.'))
    unverified = {}
    for key, commits in named.items():
        issue = issues[key]
        if issue.why:
            unverified[key] = issue.why
        elif issue.missing:
            for commit in commits:
                yield finding(ID, commit, f'{key} is not an issue in Jira ({jira.url}), or this '
                              'credential may not see it', reword_fix(commit, _other(commit, key)))
        elif jira.statuses and issue.status not in jira.statuses:
            for commit in commits:
                yield finding(ID, commit, f'{key} is in status {issue.status!r}, not one of '
                              f'{", ".join(jira.statuses)}',
                              f'move {key} to {jira.statuses[0]!r} in Jira '
                              f'({jira.url.rstrip("/")}/browse/{key}), or name another issue')
    if unverified:
        yield _unverified(unverified, cfg)


def _named(ctx: Context, cfg: Config, jira: Jira) -> dict[str, list[Commit]]:
    pattern = key_pattern(jira.projects)
    named: dict[str, list[Commit]] = {}
    for commit in checked_commits(ctx, cfg):
        for key in dict.fromkeys(pattern.findall(where_to_look(commit.message, jira.where))):
            named.setdefault(key, []).append(commit)
    return named


def _other(commit: Commit, key: str) -> str:
    project = key.rsplit('-', 1)[0]
    return subject(commit.message).replace(key, f'{project}-NUMBER')


def _unverified(why: dict[str, str], cfg: Config) -> Finding:
    severity = Severity.ERROR if cfg.remote.offline == 'fail' else Severity.WARNING
    reasons = sorted(set(why.values()))
    keys = ', '.join(sorted(why))
    fix = CREDENTIALS if any('401' in r or '403' in r for r in reasons) else (
        'check that Jira is reachable, or raise [remote] timeout')
    return Finding(ID, severity, f'not verified in Jira: {keys} ({"; ".join(reasons)})', fix)
