"""`pushguard remote [BRANCH|TAG] [--remote NAME] [--format json]`: what the forge enforces on a
ref, and whether this credential could push, force-push, create or delete it, and why.

Exit 0 when a plain push of the ref would be accepted (or cannot be known), 1 when the forge would
refuse it (so a pipeline can ask before it deploys), 2 when the forge cannot be found.
"""
from __future__ import annotations

import argparse
import json
import sys

from pushguard import git
from pushguard._typing import TYPE_CHECKING
from pushguard.errors import ForgeError
from pushguard.forges.rules import RefFacts, Rule, param
from pushguard.status import Status
from pushguard.verdict import load_config, options

if TYPE_CHECKING:
    from pushguard.config import Remote

# action -> the check ids whose rules refuse it
ACTIONS = {
    'push': ('protected-branch', 'status-checks'),
    'force-push': ('protected-branch', 'status-checks', 'force-push'),
    'create': ('branch-creation', 'protected-branch', 'status-checks'),
    'delete': ('branch-deletion',),
}
TAG_ACTIONS = {'create': 'create', 'move': 'update', 'delete': 'delete'}


def remote(args: argparse.Namespace) -> int:
    from pushguard.forges._ask import ask
    opts = options(args)
    cfg = load_config(opts, git.toplevel())
    name = args.remote or _upstream_remote() or 'origin'
    url = git.decode(git.run('ls-remote', '--get-url', name).strip())
    ref = _full_ref(args.ref or git.current_branch() or 'HEAD', name, cfg.remote.timeout)
    from pushguard.forges import is_local, redact_url
    if is_local(url):
        raise ForgeError(f'remote {name!r} is a local repository ({url}): no forge to ask')
    asked = ask(url, [ref], _settings(cfg.remote)._replace(enabled=True), git.git_path('.'))
    if asked.problems:
        raise ForgeError(f'remote {name!r} ({redact_url(url)}): {asked.problems[0]}')
    facts = asked.facts[ref]
    verdicts = _verdicts(facts)
    summary = {
        'forge': asked.repo.forge if asked.repo else None,
        'repository': asked.repo.label if asked.repo else None,
        'remote': name, 'ref': ref, 'credential': asked.credential,
        'can': {action: answer for action, (answer, _) in verdicts.items()},
        'why': {action: why for action, (_, why) in verdicts.items()},
        'rules': [_rule_json(rule) for rule in facts.rules],
        'can_push': facts.can_push, 'unread': list(facts.unread),
        'links': dict(facts.links), 'from_cache': asked.requests == 0,
    }
    if args.format == 'json':
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write('\n')
    else:
        _print(summary, name, facts)
    refused = verdicts.get('push', verdicts.get('move', ('yes', '')))[0] == 'no'
    return Status.BLOCKED if refused else Status.OK


def _settings(remote: Remote) -> Remote:
    """In a known CI, the forge and API base it names where the policy is silent (GitHub
    Enterprise, self-managed GitLab)."""
    import os
    from pushguard.ci import forge
    for variable, system in (('GITHUB_ACTIONS', 'github'), ('GITLAB_CI', 'gitlab'),
                             ('BITBUCKET_BUILD_NUMBER', 'bitbucket')):
        if os.environ.get(variable):
            return forge.remote_settings(system, os.environ, remote, keep=True)
    return remote


def _upstream_remote() -> str | None:
    up = git.upstream()
    return up.split('/', 1)[0] if up else None


def _full_ref(name: str, remote_name: str, timeout: float) -> str:
    """The full ref `name` means: a local branch, a local tag, a remote-tracking branch, else
    what the remote itself has (a tag made elsewhere, e.g. by a release job); else a branch."""
    if name.startswith('refs/'):
        return name
    if git.resolve(f'refs/heads/{name}') is not None:
        return f'refs/heads/{name}'
    if git.resolve(f'refs/tags/{name}'):
        return f'refs/tags/{name}'
    if git.resolve(f'refs/remotes/{remote_name}/{name}'):
        return f'refs/heads/{name}'
    if name != 'HEAD' and _remote_has(remote_name, f'refs/tags/{name}', timeout):
        return f'refs/tags/{name}'
    return f'refs/heads/{name}'


def _remote_has(remote_name: str, ref: str, timeout: float) -> bool:
    """Whether the remote lists `ref`: `git ls-remote`, bounded, never prompting (the URL and
    any token in it stay in git's config, never in an argument)."""
    import os
    import subprocess
    env = {**os.environ, 'GIT_TERMINAL_PROMPT': '0', 'GIT_ASKPASS': 'false',
           'SSH_ASKPASS': 'false', 'GCM_INTERACTIVE': 'never',
           'GIT_SSH_COMMAND': os.environ.get('GIT_SSH_COMMAND', 'ssh') + ' -o BatchMode=yes'}
    try:
        proc = subprocess.run(('git', 'ls-remote', '--refs', remote_name, ref),
                              capture_output=True, env=env, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0 and ref.encode() in proc.stdout


def _rule_json(rule: Rule) -> dict[str, object]:
    return {'check': rule.check, 'source': rule.source, 'reason': rule.reason,
            'server_says': rule.server_says, 'certain': rule.certain, 'bypass': rule.bypass}


def _verdicts(facts: RefFacts) -> dict[str, tuple[str, str]]:
    """action -> ('yes' | 'no' | 'maybe', why)."""
    if facts.ref.startswith('refs/tags/'):
        return {action: _answer([r for r in facts.rules if r.check == 'protected-tag'
                                 and param(r, 'action') in (None, kind)], facts)
                for action, kind in TAG_ACTIONS.items()}
    out = {}
    for action, ids in ACTIONS.items():
        rules = [r for r in facts.rules if r.check in ids]
        answer = _answer(rules, facts)
        if action != 'delete' and facts.can_push is False and answer[0] != 'no':
            answer = ('no', 'the forge says this credential may not push to it')
        out[action] = answer
    return out


def _answer(rules: list[Rule], facts: RefFacts) -> tuple[str, str]:
    for rule in rules:
        if rule.certain and not rule.bypass:
            return 'no', f'{rule.reason} ({rule.source})'
    for rule in rules:
        if not rule.certain and not rule.bypass:
            return 'maybe', f'{rule.reason} ({rule.source})'
    if facts.unread:
        return 'maybe', 'not everything could be read (see below)'
    bypassed = [r for r in rules if r.bypass]
    if bypassed:
        return 'yes', f'this credential may bypass {bypassed[0].source}'
    return 'yes', 'no rule the forge showed refuses it'


def _print(summary: dict[str, object], remote_name: str, facts: RefFacts) -> None:
    out = sys.stdout
    out.write(f'{summary["ref"]} on {summary["repository"]} ({summary["forge"]}), asked with '
              f'{summary["credential"]}{" (cached)" if summary["from_cache"] else ""}\n')
    if not facts.rules:
        out.write('  no rule the forge showed applies to it\n')
    for rule in facts.rules:
        tag = 'may bypass' if rule.bypass else ('seen only partly' if not rule.certain else '')
        out.write(f'  [{rule.check}] {rule.reason}: {rule.source}'
                  f'{f" ({tag})" if tag else ""}\n      server: {rule.server_says}\n')
    for action, answer in summary['can'].items():  # type: ignore[attr-defined]
        out.write(f'{action}: {answer}: {summary["why"][action]}\n')  # type: ignore[index]
    for unread in facts.unread:
        out.write(f'not read: {unread}\n')
    links = dict(facts.links)
    request = links.get('pull request') or links.get('merge request')
    if summary['can'].get('push') == 'no' and request:  # type: ignore[attr-defined]
        branch = f'{summary["ref"].removeprefix("refs/heads/")}-change'  # type: ignore[attr-defined]
        out.write(f'way through: git push {remote_name} HEAD:refs/heads/{branch}\n'
                  f'  then open {request.replace("{name}", branch)}\n')
    if links.get('settings'):
        out.write(f'settings: {links["settings"]}\n')


