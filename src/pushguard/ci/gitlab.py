"""GitLab CI: the commits of the pipeline, from its predefined variables.

- merge request pipelines: CI_MERGE_REQUEST_DIFF_BASE_SHA..the source branch's head, checked as
  a push of the source branch; in a merged-results pipeline CI_COMMIT_SHA is GitLab's own merge
  commit, so the head is CI_MERGE_REQUEST_SOURCE_BRANCH_SHA. The policy is the diff base's.
- tag pipelines (CI_COMMIT_TAG): what the default branch lacks (CI_COMMIT_BEFORE_SHA is zeros).
- branch pipelines: CI_COMMIT_BEFORE_SHA..CI_COMMIT_SHA; all zeros (a new branch, or a pipeline
  not started by a push) checks what the default branch (CI_DEFAULT_BRANCH) lacks.
"""
from __future__ import annotations

from collections.abc import Mapping

from pushguard.ci.plan import Plan, is_zero, needed

SETTING = 'set `GIT_DEPTH: 0` in the job\'s `variables:`'
_WHERE = 'GitLab CI'


def plan(env: Mapping[str, str]) -> Plan:
    commit = needed(env, 'CI_COMMIT_SHA', _WHERE)
    default = env.get('CI_DEFAULT_BRANCH') or None
    if env.get('CI_MERGE_REQUEST_IID'):
        return _merge_request(env, commit)
    before = env.get('CI_COMMIT_BEFORE_SHA', '')
    tag = env.get('CI_COMMIT_TAG')
    if tag:
        ref, label = f'refs/tags/{tag}', f'tag {tag}'
    else:
        branch = needed(env, 'CI_COMMIT_BRANCH', _WHERE)
        ref, label = f'refs/heads/{branch}', f'push to {branch}'
    other = default if default and f'refs/heads/{default}' != ref else None
    if not is_zero(before):
        return Plan('gitlab', label, commit, (before,), ref, before, before, SETTING,
                    default_branch=other)
    return Plan('gitlab', f'{label} (new)', commit, (), ref, None, None, SETTING,
                default_branch=other)


def _merge_request(env: Mapping[str, str], commit: str) -> Plan:
    source = needed(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', _WHERE)
    target = env.get('CI_MERGE_REQUEST_TARGET_BRANCH_NAME', '')
    base = env.get('CI_MERGE_REQUEST_DIFF_BASE_SHA') or \
        needed(env, 'CI_MERGE_REQUEST_TARGET_BRANCH_SHA', _WHERE)
    merged = env.get('CI_MERGE_REQUEST_EVENT_TYPE') == 'merged_result'
    head = env.get('CI_MERGE_REQUEST_SOURCE_BRANCH_SHA') or commit
    label = f'merge request !{env["CI_MERGE_REQUEST_IID"]} ({source} -> {target or "?"})'
    notes = (f'merged-results pipeline: checked the source branch {head[:12]}, not GitLab\'s '
             f'merge commit {commit[:12]}',) if merged and head != commit else ()
    source_project = env.get('CI_MERGE_REQUEST_SOURCE_PROJECT_PATH') or None
    fork = source_project if source_project and source_project != env.get(
        'CI_MERGE_REQUEST_PROJECT_PATH', env.get('CI_PROJECT_PATH')) else None
    return Plan('gitlab', label, head, (base,), f'refs/heads/{source}', base, base, SETTING,
                notes=notes, fork=fork)
