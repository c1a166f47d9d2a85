"""Bitbucket Pipelines: the commits of the pipeline, from its variables.

Bitbucket says no "before" commit, so:
- pull request pipelines (BITBUCKET_PR_ID): what BITBUCKET_COMMIT has that the destination
  branch (BITBUCKET_PR_DESTINATION_COMMIT, else origin/BITBUCKET_PR_DESTINATION_BRANCH) lacks,
  as a push of BITBUCKET_BRANCH; the policy is the destination's.
- branch and tag pipelines: what BITBUCKET_COMMIT has that no other branch of the repository has
  (the clone's branches are fetched first), so a branch's earlier commits are checked again:
  the same verdict, never a narrower one. The policy is the main branch's (origin/HEAD).
"""
from __future__ import annotations

from collections.abc import Mapping

from pushguard.ci.plan import Plan, needed

SETTING = 'set `clone: depth: full` in bitbucket-pipelines.yml'
_WHERE = 'Bitbucket Pipelines'
OTHER_BRANCHES = '(other branches)'  # a bottom that history.py replaces with their tips


def plan(env: Mapping[str, str]) -> Plan:
    commit = needed(env, 'BITBUCKET_COMMIT', _WHERE)
    if env.get('BITBUCKET_PR_ID'):
        branch = needed(env, 'BITBUCKET_BRANCH', _WHERE)
        target = needed(env, 'BITBUCKET_PR_DESTINATION_BRANCH', _WHERE)
        base = env.get('BITBUCKET_PR_DESTINATION_COMMIT') or f'refs/remotes/origin/{target}'
        label = f'pull request #{env["BITBUCKET_PR_ID"]} ({branch} -> {target})'
        return Plan('bitbucket', label, commit, (base,), f'refs/heads/{branch}', base, base,
                    SETTING, default_branch=target)
    tag = env.get('BITBUCKET_TAG')
    if tag:
        ref, label = f'refs/tags/{tag}', f'tag {tag}'
    else:
        branch = needed(env, 'BITBUCKET_BRANCH', _WHERE)
        ref, label = f'refs/heads/{branch}', f'push to {branch}'
    return Plan('bitbucket', label, commit, (OTHER_BRANCHES,), ref, None, OTHER_BRANCHES,
                SETTING, notes=('Bitbucket names no commit before the push: checked what no '
                                'other branch has',))
