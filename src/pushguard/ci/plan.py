"""What a pipeline checks, read from the CI's variables: the record every CI module returns."""
from __future__ import annotations

import json
from collections.abc import Mapping

from pushguard._typing import NamedTuple
from pushguard.errors import PushguardError


class Plan(NamedTuple):
    """The commits of one push or merge request, as a push of them would be checked."""

    system: str  # 'github', 'gitlab', 'bitbucket', or 'range' (--range)
    label: str  # what is checked, for the summary line: "push to main", "merge request !4"
    tip: str | None  # the commit checked from (None: nothing to check, e.g. a deleted branch)
    bottoms: tuple[str, ...] = ()  # commits whose history is not checked (the base, the old tip)
    ref: str | None = None  # the pushed ref: refs/heads/NAME or refs/tags/NAME
    old: str | None = None  # the ref's old tip as the push saw it (None: a new ref)
    trusted: str | None = None  # the commit whose policy and baseline apply (the base side)
    setting: str = ''  # how to fetch the whole history, said when a shallow clone is refused
    default_branch: str | None = None  # fetched and used as the bottom of a new branch
    notes: tuple[str, ...] = ()
    fork: str | None = None  # the head is a fork's branch (owner/name): the forge's rules on the
    # base repository do not apply to it, and the forge checks are skipped with this said


def is_zero(sha: str | None) -> bool:
    return not sha or set(sha) == {'0'}


def needed(env: Mapping[str, str], name: str, where: str) -> str:
    value = env.get(name, '').strip()
    if not value:
        raise PushguardError(f'{where}: {name} is not set (is this a {where} job?); '
                             f'pass --range A..B [--branch NAME] to check commits by hand')
    return value


def read_event(path: str) -> dict[str, object]:
    """GitHub's event payload (GITHUB_EVENT_PATH): a JSON object, or a one-line error."""
    try:
        with open(path, 'rb') as f:
            event = json.load(f)
    except OSError as e:
        raise PushguardError(f'GITHUB_EVENT_PATH: {path}: cannot read: {e.strerror}') from None
    except ValueError as e:
        raise PushguardError(f'GITHUB_EVENT_PATH: {path}: not valid JSON: {e}') from None
    if not isinstance(event, dict):
        raise PushguardError(f'GITHUB_EVENT_PATH: {path}: not a JSON object')
    return event


def field(event: Mapping[str, object], path: str, where: str) -> str:
    """`event[a][b]...` for `path` 'a.b...', a non-empty string; else a one-line error."""
    value: object = event
    for key in path.split('.'):
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise PushguardError(f'{where}: the event has no {path} (a string)')
    return value
