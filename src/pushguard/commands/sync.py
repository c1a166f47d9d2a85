"""`pushguard sync [BRANCH ...] [--remote NAME] [--write] [--format json]`: read the forge's
content rules (GitHub rulesets' message, email, branch-name and file rules; GitLab push rules)
and keep them for the commit-time hooks: in the git dir (`pushguard/synced.json`, the default),
or as `.pushguard.toml` keys with `--write`. Says what changed since the last sync.

Exit 0 when synced, 2 when the forge could not be asked or could not tell its content rules
(then the last sync is kept as it was: never a silent pass on half an answer).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from pushguard import git
from pushguard.errors import ForgeError
from pushguard.forges.rules import RefFacts, Rule
from pushguard.status import Status
from pushguard.sync import SYNCED, Synced, load, save
from pushguard.verdict import load_config, options

# the parts of a forge's answer that hold its content rules: unread, nothing can be synced
_CONTENT_UNREAD = ('content rules', 'push rules', 'rulesets on')


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('refs', metavar='BRANCH', nargs='*',
                        help='the branches whose rules to read (default: the current branch)')
    parser.add_argument('--remote', metavar='NAME',
                        help="the remote to ask (default: the upstream's, else origin)")
    parser.add_argument('--write', action='store_true',
                        help='write the rules into .pushguard.toml (comments and layout kept)')
    parser.add_argument('--format', choices=('text', 'json'), default='text')
    parser.add_argument('--config', metavar='FILE', help='policy file (default: .pushguard.toml)')


def sync(args: argparse.Namespace) -> int:
    from pushguard.forges import is_local, redact_url
    from pushguard.forges._ask import ask
    cfg = load_config(options(args), git.toplevel())
    name = args.remote or _upstream_remote() or 'origin'
    url = git.decode(git.run('ls-remote', '--get-url', name).strip())
    if is_local(url):
        raise ForgeError(f'remote {name!r} is a local repository ({url}): no forge to sync from')
    branches = args.refs or [git.current_branch() or '']
    if not all(branches):
        raise ForgeError('HEAD is detached: name the branch to sync (pushguard sync BRANCH)')
    refs = [b if b.startswith('refs/') else f'refs/heads/{b}' for b in branches]
    remote = cfg.remote._replace(enabled=True, cache_ttl=0)  # always the forge's answer now
    asked = ask(url, refs, remote, git.git_path('.'))
    if asked.problems or asked.repo is None:
        why = asked.problems[0] if asked.problems else 'no forge found'
        raise ForgeError(f'remote {name!r} ({redact_url(url)}): {why}')
    _refuse_unread(asked.facts)
    found = {ref: _content(asked.facts[ref]) for ref in refs}
    git_dir = _common_dir()
    before = load(git_dir)
    synced = Synced(asked.repo.forge, asked.repo.label,
                    time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), found,
                    {ref: tuple(_label(r) for r in rules) for ref, rules in found.items()})
    changes = list(_changes(before, synced))
    written: list[str] = []
    if args.write:
        from pushguard.sync.write import write
        written, kept = write(cfg.source, found)
        synced = synced._replace(refs=kept)
    where = save(git_dir, synced)
    _report(args.format, synced, found, changes, written, where, before)
    return Status.OK


def _upstream_remote() -> str | None:
    up = git.upstream()
    return up.split('/', 1)[0] if up else None


def _common_dir() -> str:
    raw = git.decode(git.run('rev-parse', '--git-common-dir').strip())
    return os.path.abspath(raw)


def _refuse_unread(facts: dict[str, RefFacts]) -> None:
    for ref, ref_facts in facts.items():
        for unread in ref_facts.unread:
            if any(part in unread for part in _CONTENT_UNREAD):
                raise ForgeError(f'{ref}: {unread}; the last sync is kept')


def _content(facts: RefFacts) -> tuple[Rule, ...]:
    """The content rules a commit can break, those this credential may bypass left out."""
    rules = (r._replace(certain=True, bypass=False) for r in facts.rules
             if r.check in SYNCED and not r.bypass)
    return tuple(dict.fromkeys(rules))


def _label(rule: Rule) -> str:
    return f'{rule.check}: {rule.reason} ({rule.source})'


def _changes(before: Synced | None, now: Synced) -> list[str]:
    """`+ rule` / `- rule` lines per ref against the last sync (all its rules, written or not)."""
    old = before.seen if before is not None and before.repository == now.repository else {}
    out = []
    for ref in now.seen:
        was, new = set(old.get(ref, ())), set(now.seen[ref])
        out += [f'+ {ref}: {label}' for label in sorted(new - was)]
        out += [f'- {ref}: {label}' for label in sorted(was - new)]
    return out


def _report(form: str, synced: Synced, found: dict[str, tuple[Rule, ...]], changes: list[str],
            written: list[str], where: str, before: Synced | None) -> None:
    if form == 'json':
        json.dump({'forge': synced.forge, 'repository': synced.repository,
                   'synced_at': synced.synced_at, 'file': where, 'changes': changes,
                   'written': written,
                   'rules': {ref: [_label(r) for r in rules] for ref, rules in found.items()}},
                  sys.stdout, indent=2)
        sys.stdout.write('\n')
        return
    count = sum(len(rules) for rules in found.values())
    print(f'synced {count} content rule(s) from {synced.forge} {synced.repository} '
          f'into {where}')
    for ref, rules in found.items():
        for rule in rules:
            print(f'  {ref}: {_label(rule)}')
    for line in written:
        print(f'  wrote {line}')
    if before is None:
        print('first sync')
    elif changes:
        print(f'changed since the last sync ({before.synced_at}):')
        for line in changes:
            print(f'  {line}')
    else:
        print(f'no change since the last sync ({before.synced_at})')

