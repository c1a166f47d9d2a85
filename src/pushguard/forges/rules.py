"""The normalised facts every forge module returns: one shape for GitHub, GitLab, Bitbucket, Gitea.

A forge module turns its API answers into `RefFacts` per pushed ref; the remote checks
(checks/protected_branch.py, force_push.py, ...) read only these records, never a forge payload.
"""
from __future__ import annotations

from pushguard._typing import NamedTuple


class Rule(NamedTuple):
    """One thing the forge enforces on a ref, named for humans and quoted as the server says it."""

    check: str            # a SPEC check id: protected-branch, force-push, branch-deletion,
                          # branch-creation, linear-history, status-checks, protected-tag, or a
                          # content check: message-pattern, author-email, branch-name, file-size,
                          # forbidden-path, signature, dco, secrets
    source: str           # where it comes from, named for humans: 'ruleset "main" (id 42)',
                          # 'classic branch protection', 'GitLab push rule', ...
    reason: str           # why it stops the push, in the forge's terms
    server_says: str      # the literal rejection text (forges/README.md section 0)
    certain: bool = True  # False: seen only partly (classic protection as protected: true):
                          # a warning
    bypass: bool = False  # this credential may bypass: a note, never an error
    params: tuple[tuple[str, object], ...] = ()   # content-rule parameters (operator, pattern,
                          # negate, max_file_size, restricted_file_paths, ...), or required contexts


class RefFacts(NamedTuple):
    """What the forge says about one ref: its rules, whether this credential may push, and what
    could not be read."""

    ref: str                            # refs/heads/x or refs/tags/v1
    rules: tuple[Rule, ...] = ()
    can_push: bool | None = None        # the forge's own answer where it gives one
    unread: tuple[str, ...] = ()        # what could not be read, and why (-> `remote` warning)
    links: tuple[tuple[str, str], ...] = ()   # ('pull request', compare URL), ('settings', URL)


def items(value: object) -> tuple[object, ...]:
    """A parameter that holds a list (a tuple once normalised), else ()."""
    return tuple(value) if isinstance(value, (list, tuple)) else ()


def param(rule: Rule, key: str, default: object = None) -> object:
    """The value of one of a rule's parameters, or `default`."""
    for name, value in rule.params:
        if name == key:
            return value
    return default
