"""`pushguard ci`: check the commits of the push or merge request that started the pipeline.

The commits and the branch come from the CI's own variables (`pushguard.ci.github`, `gitlab`,
`bitbucket`), or from `--range A..B [--branch NAME]` anywhere else; they are checked as a push of
them would be (same engine, same checks as `check` and the pre-push hook). A shallow clone is
deepened (bounded) or refused with the setting to change. The policy and the secrets baseline
come from the trusted side (the base of a pull request, the ref's old tip), so the commits under
check cannot switch checks off; `--config FILE` overrides the policy. With a token in the job's
variables the forge is asked as the pre-push hook asks it (`pushguard.ci.forge`); without one, one
line says what was skipped. Nothing is kept between pipelines.
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping, Sequence

from pushguard import config, engine, git
from pushguard._typing import TYPE_CHECKING
from pushguard.ci import forge, history, outputs, trusted
from pushguard.ci.plan import Plan
from pushguard.errors import PushguardError
from pushguard.model import Commit, Context, Place, RefUpdate
from pushguard.report import Report, count
from pushguard.sources import _Commits
from pushguard.status import Status

if TYPE_CHECKING:
    from pushguard.config import Remote
    from pushguard.forges.rules import RefFacts

SYSTEMS = {
    'github': ('GITHUB_ACTIONS', 'pushguard.ci.github'),
    'gitlab': ('GITLAB_CI', 'pushguard.ci.gitlab'),
    'bitbucket': ('BITBUCKET_BUILD_NUMBER', 'pushguard.ci.bitbucket'),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--range', metavar='A..B', help='the commits to check, outside a known CI')
    parser.add_argument('--branch', metavar='NAME', help='the branch --range is pushed to')
    parser.add_argument('--config', metavar='FILE',
                        help='policy file (default: the one on the trusted side of the change)')
    parser.add_argument('--only', type=_ids, default=[], metavar='ID,...',
                        help='run only these checks')
    parser.add_argument('--skip', type=_ids, default=[], metavar='ID,...',
                        help='do not run these checks')
    outputs.add_arguments(parser)


def _ids(value: str) -> list[str]:
    return [item.strip() for item in value.split(',') if item.strip()]


class CiSource(_Commits):
    """The commits `tip` has and none of `bottoms` has, as one push of `ref`. With a token in
    the job's variables, the forge is asked about `ref` as the pre-push hook asks it."""

    def __init__(self, plan: Plan, tip: str | None, bottoms: Sequence[str], root: str | None,
                 env: Mapping[str, str] | None = None) -> None:
        self.plan, self.tip, self.bottoms, self.root = plan, tip, list(bottoms), root
        self.env = env if env is not None else os.environ
        self.place = Place.CHECK
        self.note: str | None = None  # why the forge was not asked, when a token was there

    def _prepare(self) -> tuple[Context, Iterator[Commit]]:
        from pushguard.git import log
        ref = self.plan.ref
        branch = ref[len('refs/heads/'):] if ref and ref.startswith('refs/heads/') else None
        if self.tip is None:
            return Context(self.place, branch=branch, root=self.root), iter(())
        commits = (c._replace(ref=ref) for c in log.stream_commits([self.tip], self.bottoms))
        old = self.plan.old if self.plan.old and git.resolve(self.plan.old) else '0' * len(self.tip)
        updates = (RefUpdate(ref, self.tip, ref, old),) if ref else ()
        return Context(self.place, updates=updates, branch=branch, root=self.root), commits

    def forge_facts(self, remote: Remote) -> tuple[dict[str, RefFacts], tuple[str, ...]]:
        """What the forge enforces on the pipeline's ref; nothing (and why) without a token."""
        ctx = self.context()
        if forge.skipped(self.plan.system, self.env, remote, self.plan.fork) is not None \
                or not ctx.updates:
            return {}, ()
        from pushguard.sources import _remote_url
        url = forge.repository_url(self.plan.system, self.env) or _remote_url(history.REMOTE)
        from pushguard.forges import is_local
        if not url or is_local(url):
            self.note = (f'{forge.SKIPPED}: no forge serves this repository ({history.REMOTE} '
                         f'is {"not set" if not url else "on this machine"})')
            return {}, ()
        from pushguard.forges._ask import ask
        settings = forge.remote_settings(self.plan.system, self.env, remote)
        asked = ask(url, [u.remote_ref for u in ctx.updates], settings, git.git_path('.'),
                    default_branch=self.plan.default_branch)
        return asked.facts, asked.problems

    def forced(self) -> frozenset[str]:
        """The ref, when its old tip is not an ancestor of the new one (a forced push)."""
        from pushguard.sources import _is_ancestor
        return frozenset(u.remote_ref for u in self.context().updates
                         if not u.is_creation and not u.is_deletion and u.is_branch
                         and not _is_ancestor(u.remote_sha, u.local_sha))


def ci(args: argparse.Namespace) -> int:
    env = os.environ
    outputs.targets(getattr(args, 'reports', None) or [])  # a bad --output fails first
    plan = _plan(args, env)
    tip, bottoms, trusted_rev, notes = history.prepare(plan)
    explicit = args.config or env.get('PUSHGUARD_CONFIG') or None
    cfg, root = _policy(trusted_rev, tip, explicit, notes)
    source = CiSource(plan, tip, bottoms, root, env)
    selected = engine.select(cfg, source.place, args.only, args.skip)
    ctx, found = engine.run(source, cfg, selected)
    skipped = forge.skipped(plan.system, env, cfg.remote, plan.fork)
    forge_notes = [note for note in (skipped, source.note) if note]
    checked = f'{count(ctx.commit_count, "commit")} in {plan.label}'
    report = Report(tuple(found), (*plan.notes, *notes, *forge_notes, *ctx.notes), checked)
    outputs.write(report, getattr(args, 'reports', None) or [], env)
    return Status.BLOCKED if engine.blocks(found) else Status.OK


def _plan(args: argparse.Namespace, env: Mapping[str, str]) -> Plan:
    if args.range:
        return _range_plan(args.range, args.branch)
    if args.branch:
        raise PushguardError('--branch goes with --range A..B')
    for variable, module_name in SYSTEMS.values():
        if env.get(variable):
            import importlib
            made: Plan = importlib.import_module(module_name).plan(env)
            return made
    raise PushguardError('no CI found (GitHub Actions, GitLab CI, Bitbucket Pipelines): pass '
                         '--range A..B [--branch NAME]')


def _range_plan(revisions: str, branch: str | None) -> Plan:
    from pushguard.git import log
    tips, bottoms = log.range_ends([revisions])
    if len(tips) != 1:
        raise PushguardError(f'--range {revisions}: name one tip, e.g. origin/main..HEAD')
    ref = f'refs/heads/{branch.removeprefix("refs/heads/")}' if branch else None
    old = bottoms[0] if len(bottoms) == 1 else None
    label = f'{revisions}' + (f' on {branch}' if branch else '')
    return Plan('range', label, tips[0], tuple(bottoms), ref, old,
                bottoms[0] if bottoms else None,
                'run `git fetch --unshallow`')


def _policy(trusted_rev: str | None, tip: str | None, explicit: str | None,
            notes: list[str]) -> tuple[config.Config, str | None]:
    """The trusted side's policy; with none (a repository's first commits), the tip's, said."""
    if trusted_rev is None and tip is not None:
        notes.append('no base to trust (new history): the policy of the commits checked applies')
        return trusted.policy(tip, explicit, notes)
    return trusted.policy(trusted_rev, explicit, notes)

