"""gitlint for commit-style, without the imports that linting a message does not use.

These imports cost about as much as everything else a commit-msg hook does:
- gitlint/__init__.py only looks up gitlint-core's version with importlib.metadata (~20 ms).
  `load()` sets the package up from its import spec without running that file; `__version__`
  is still there, looked up when something asks for it.
- gitlint.git imports arrow (~20 ms) to parse commit dates, which no rule reads. `lint_commit()`
  gives the rules a record with the attributes of gitlint's GitCommit, built from fetched data.
- gitlint.rule_finder imports inspect (~4 ms) to find contrib rules: it runs on first use.
tests/checks/commit_style_test.py fails if gitlint's __init__ or GitCommit grow anything more.
"""
from __future__ import annotations

import sys

from pushguard._typing import TYPE_CHECKING
from pushguard.text import message_text

if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

    from pushguard.model import Commit


def _version(name: str) -> str:
    """The one name gitlint/__init__.py defines, computed as it does, on first use (PEP 562)."""
    if name != '__version__':
        raise AttributeError(f"module 'gitlint' has no attribute {name!r}")
    from importlib.metadata import version
    return version('gitlint-core')


def load() -> None:
    """Make `import gitlint.<module>` find the package without running gitlint/__init__.py."""
    if 'gitlint' in sys.modules:
        return
    from importlib.util import find_spec, module_from_spec
    spec = find_spec('gitlint')
    if spec is None or spec.submodule_search_locations is None:
        return  # not installed, or not a package: the plain import says what is wrong
    package = module_from_spec(spec)
    package.__getattr__ = _version  # type: ignore[method-assign]
    sys.modules['gitlint'] = package
    _load_on_use(package, 'rule_finder')


def _load_on_use(package: ModuleType, name: str) -> None:
    """gitlint.config imports rule_finder (and so inspect, ~4 ms) to load contrib rules: run it
    only when they are asked for. The attribute on the package lets `from gitlint import
    rule_finder` take the module without touching it, which would run it."""
    from importlib.util import LazyLoader, find_spec, module_from_spec
    spec = find_spec(f'{package.__name__}.{name}')
    if spec is None or spec.loader is None:
        return
    spec.loader = LazyLoader(spec.loader)
    module = module_from_spec(spec)
    sys.modules[spec.name] = module
    setattr(package, name, module)
    spec.loader.exec_module(module)


class _Context:
    """What rules may read of a shared `GitContext()`: it names no repository."""

    def __init__(self) -> None:
        self.repository_path: str | None = None
        self.commits: list[Any] = []


class _Message:
    """gitlint's GitCommitMessage: the rules read title and body; ignore rules rewrite them."""

    def __init__(self, context: _Context, original: str, full: str, title: str,
                 body: list[str]) -> None:
        self.context = context
        self.original = original
        self.full = full
        self.title = title
        self.body = body

    def __str__(self) -> str:
        return self.full


class _Commit:
    """gitlint's GitCommit for a commit that is fetched already: the same attributes."""

    def __init__(self, message: _Message, commit: Commit) -> None:
        self.context = message.context
        self.message = message
        self.sha = commit.sha
        self.date = None
        self.author_name = commit.author_name or None
        self.author_email = commit.author_email or None
        self.parents = list(commit.parents)
        self.changed_files_stats: dict[str, Any] = {}
        self.branches: list[str] = []

    @property
    def is_merge_commit(self) -> bool:
        return self.message.title.startswith('Merge')

    @property
    def is_fixup_commit(self) -> bool:
        return self.message.title.startswith('fixup!')

    @property
    def is_squash_commit(self) -> bool:
        return self.message.title.startswith('squash!')

    @property
    def is_fixup_amend_commit(self) -> bool:
        return self.message.title.startswith('amend!')

    @property
    def is_revert_commit(self) -> bool:
        return self.message.title.startswith('Revert')

    @property
    def changed_files(self) -> list[str]:
        return list(self.changed_files_stats)


def new_context() -> _Context:
    """One context shared by every commit of a run."""
    return _Context()


def lint_commit(context: _Context, commit: Commit) -> _Commit:
    """What gitlint's rules take for `commit`: the message split into title and body lines."""
    full = message_text(commit.message)
    lines = full.split('\n')
    message = _Message(context, original=commit.message, full=full, title=lines[0],
                       body=lines[1:])
    return _Commit(message, commit)
