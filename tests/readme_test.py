"""The README keeps up with the code: every hook id, check id, format and exit status, the first
screen's two commands as CI runs them, and a configuration example that really loads."""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from pushguard import checks, cli, schema
from pushguard.status import Status
from testing.run import run_pushguard

if sys.version_info >= (3, 11):  # pragma: no cover
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / 'README.md').read_text(encoding='utf-8')
SPEC = ROOT.parent / 'shared' / 'SPEC.md'
FIRST_SCREEN = 25  # lines
HOOK_IDS_IN_SPEC = re.compile(r'`(pushguard-[a-z-]+)`')
MANIFEST_ID = re.compile(r'^- +id: *([\w-]+)', re.MULTILINE)
TABLE_ROW_ID = re.compile(r'^\| `([a-z-]+)` \|', re.MULTILINE)


def _section(text: str, heading: str) -> str:
    """From the line starting with `heading` to the next second-level heading."""
    start = text.index(f'\n{heading}')
    end = text.find('\n## ', start + 1)
    return text[start:end if end != -1 else len(text)]


def _hook_ids() -> list[str]:
    manifest = ROOT / '.pre-commit-hooks.yaml'
    if manifest.exists():
        return MANIFEST_ID.findall(manifest.read_text())
    return HOOK_IDS_IN_SPEC.findall(SPEC.read_text())


def _spec_check_ids() -> set[str]:
    if SPEC.exists():
        return set(TABLE_ROW_ID.findall(_section(SPEC.read_text(), '## Checks')))
    return set(checks.CHECK_IDS)


def _ci_commands() -> list[str]:
    """The commands of .ci/run's test step; pip's -q only quiets it, so it is left out."""
    lines = (ROOT / '.ci' / 'run').read_text().splitlines()
    commands = [line.strip() for line in lines if line.strip().startswith('python3 ')]
    return [shlex.join(word for word in shlex.split(command) if word != '-q')
            for command in commands]


def _first_code_block(text: str) -> list[str]:
    block = re.search(r'```sh\n(.*?)```', text, re.DOTALL)
    assert block, 'no ```sh block in the README'
    return block[1].strip().splitlines()


def test_names_every_hook_id_of_the_manifest():
    ids = _hook_ids()
    assert len(ids) == 4
    missing = [hook_id for hook_id in ids if f'- id: {hook_id}' not in README]
    assert missing == []


def test_the_check_table_has_every_check_id_of_the_spec():
    ids = _spec_check_ids()
    assert ids >= set(checks.CHECKS)
    table = set(TABLE_ROW_ID.findall(_section(README, '## Checks')))
    assert table == ids


def test_remote_checks_run_at_push_time():
    rows = {match[1]: match[0] for match in re.finditer(r'^\| `([a-z-]+)` \|.*$',
                                                       _section(README, '## Checks'), re.MULTILINE)}
    for check_id in checks.REMOTE_CHECKS:
        assert rows[check_id].endswith('| pre-push, `pushguard remote` |'), check_id


def test_first_screen_commands_are_the_ones_ci_runs():
    first_screen = '\n'.join(README.splitlines()[:FIRST_SCREEN])
    install, tests = _first_code_block(first_screen)
    assert install == 'python3 -m pip install . && pushguard check HEAD'
    assert _ci_commands() == ["python3 -m pip install -e '.[test]'", 'python3 -m pytest']
    assert tests == ' && '.join(_ci_commands())


@pytest.mark.parametrize('fmt', cli.FORMAT_NAMES)
def test_names_every_output_format(fmt):
    assert f'| `{fmt}` |' in _section(README, '## Output formats')


@pytest.mark.parametrize('status', list(Status), ids=lambda s: s.name)
def test_names_every_exit_status(status):
    assert f'| {int(status)} |' in _section(README, '## Exit status')


def test_the_configuration_example_is_a_valid_policy():
    block = re.search(r'```toml\n(.*?)```', _section(README, '## Configuration'), re.DOTALL)
    assert block
    cfg = schema.validate(tomllib.loads(block[1]), 'README.md')
    # the example leaves `pattern`, `forbidden-pattern` and `dco` at their defaults: off
    assert cfg.enabled_checks() == set(checks.CHECKS) - {'message-pattern', 'dco'}


def test_the_section_table_covers_every_local_check():
    table = _section(README, '### Which section turns on which check')
    named = set(re.findall(r'`([a-z-]+)`', table)) & set(checks.CHECKS)
    assert named == set(checks.CHECKS)


def test_the_first_command_passes_on_this_repository():
    """`pushguard check HEAD` in this very repository exits 0, as the first screen promises."""
    if not (ROOT / '.git').exists():
        pytest.skip('not a git clone of pushguard')
    result = run_pushguard('check', 'HEAD', cwd=ROOT)
    assert result.code == 0, result.out + result.err
