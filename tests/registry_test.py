"""The registry is the one list of commands, hooks, checks, formats and forges."""
from __future__ import annotations

import importlib.util

import pytest

from pushguard import registry
from testing import gitrepo
from testing.run import run_pushguard


def _module_exists(path: str) -> bool:
    return importlib.util.find_spec(path.partition(':')[0]) is not None


@pytest.mark.parametrize('name', [name for name, c in registry.COMMANDS.items() if c.built])
def test_every_built_command_has_its_module(name):
    target = registry.COMMANDS[name].target
    assert target == '' or _module_exists(target)


@pytest.mark.parametrize('check_id', [i for i, c in registry.CHECKS.items() if c.built])
def test_every_built_check_has_its_module_with_that_id(check_id):
    module = registry.target(registry.CHECKS[check_id].module)
    assert module.ID == check_id


@pytest.mark.parametrize('name', registry.FORMATS)
def test_every_format_renders(name):
    assert hasattr(registry.target(registry.FORMATS[name]), 'render')


def test_a_command_not_built_says_so_in_one_line(monkeypatch):
    monkeypatch.setitem(registry.COMMANDS, 'sync', registry.COMMANDS['sync']._replace(built=False))
    result = run_pushguard('sync', '--anything')
    assert result.code == 2
    assert result.err == "pushguard: error: command 'sync' is not built yet in this version " \
                         'of pushguard\n'


def test_a_hook_not_built_says_so(monkeypatch):
    hook = registry.HOOKS['pre-push']
    monkeypatch.setitem(registry.HOOKS, 'pre-push', hook._replace(built=False))
    result = run_pushguard('hook', 'pre-push')
    assert (result.code, result.err.count('\n')) == (2, 1)
    assert 'not built yet' in result.err


def test_asking_for_a_check_not_built_is_not_a_silent_pass(repo, monkeypatch):
    from pushguard import checks
    gitrepo.commit(repo, 'feat: first')
    monkeypatch.delitem(checks.CHECKS, 'linear-history')
    result = run_pushguard('check', 'HEAD', '--only', 'linear-history')
    assert result.code == 2
    assert 'not built yet' in result.err
