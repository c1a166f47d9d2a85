"""jira-ticket's verification (`[commit.jira] url`): every key the pushed commits name exists in
Jira and, with `statuses`, is in one of them. At pre-push, `check` and `ci` only: a commit being
written is never held up by the network. What Jira could not be asked about is a warning naming
the keys and why (an error with `[remote] offline = "fail"`), never a silent pass.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from pushguard.checks._jira_keys import key_pattern, where_to_look
from pushguard.checks._message import finding, reword_fix, subject
from pushguard.config import Config, Jira
from pushguard.model import Commit, Context, Finding, Place, Severity

ID = 'jira-ticket'
PLACES = (Place.PRE_PUSH, Place.CHECK)
CREDENTIALS = ('set JIRA_API_TOKEN (with JIRA_USER=you@example.com for Jira Cloud; alone for a '
               'Data Center personal access token), or store one with git credential approve')


def add_named(named: dict[str, list[Commit]], commits: Iterable[Commit], jira: Jira) -> None:
    """Each key `commits` name -> the commits naming it, kept with their subject only: what a
    finding and its fix need, so a streamed push holds no message bodies."""
    pattern = key_pattern(jira.projects)
    for commit in commits:
        keys = dict.fromkeys(pattern.findall(where_to_look(commit.message, jira.where)))
        if keys:
            short = commit._replace(message=subject(commit.message))
            for key in keys:
                named.setdefault(key, []).append(short)


def verified(named: dict[str, list[Commit]], ctx: Context, cfg: Config, jira: Jira
             ) -> Iterator[Finding]:
    """Jira asked once about every key of `named`: a finding for each commit naming one that
    does not exist or is in another status, one warning for what Jira could not be asked."""
    if not jira.url or ctx.place not in PLACES or not named:
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
