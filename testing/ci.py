"""A CI job in a test: a served repository, the job's clone of it, and the CI's variables."""
from __future__ import annotations

import json
import os
from pathlib import Path

from testing import gitrepo

_PREFIXES = ('GITHUB_', 'GITLAB_', 'CI_', 'BITBUCKET_', 'RUNNER_')


def clean_env(monkeypatch) -> None:
    """No CI variable of the machine the tests run on leaks into a test."""
    for name in list(os.environ):
        if name.startswith(_PREFIXES) or name == 'CI':
            monkeypatch.delenv(name)


def served(tmp: Path, policy: str) -> tuple[Path, Path]:
    """(a bare `server.git` that hands out any commit by id, as GitHub and GitLab do for CI
    fetches, and `dev`: a developer's clone whose first commit, on main, adds `policy`)."""
    server = gitrepo.bare_remote(tmp)
    gitrepo.git('config', 'uploadpack.allowAnySHA1InWant', 'true', cwd=server)
    dev = gitrepo.with_origin(tmp / 'dev', server, policy)
    gitrepo.git('push', '-q', 'origin', 'main', cwd=dev)
    return server, dev


def job_clone(server: Path, path: Path, rev: str, depth: int | None = None) -> Path:
    """The CI's checkout of `rev`: fetched by id (depth 1 as actions/checkout does, or whole)."""
    gitrepo.init(path)
    gitrepo.git('remote', 'add', 'origin', server.as_uri(), cwd=path)
    args = ['fetch', '-q', '--no-tags', 'origin']
    if depth:
        args.insert(2, f'--depth={depth}')
    gitrepo.git(*args, rev, cwd=path)
    gitrepo.git('checkout', '-q', '--detach', rev, cwd=path)
    return path


def github(monkeypatch, tmp: Path, name: str, event: dict[str, object]) -> Path:
    """GitHub Actions' variables for an event; returns the step summary file."""
    path = tmp / f'event-{name}.json'
    path.write_text(json.dumps(event))
    summary = tmp / 'step-summary.md'
    for key, value in {'GITHUB_ACTIONS': 'true', 'CI': 'true', 'GITHUB_EVENT_NAME': name,
                       'GITHUB_EVENT_PATH': str(path), 'GITHUB_STEP_SUMMARY': str(summary)
                       }.items():
        monkeypatch.setenv(key, value)
    return summary


def variables(monkeypatch, values: dict[str, str]) -> None:
    for key, value in values.items():
        monkeypatch.setenv(key, value)
