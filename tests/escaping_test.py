"""pushguard.text: the escaping that checks and renderers share, with no renderer in a check."""
from __future__ import annotations

import ast
from pathlib import Path

import pushguard.checks
from pushguard import text


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_check_imports_a_renderer():
    """Checks work on fetched data and word their findings; printing is the report's."""
    folder = Path(pushguard.checks.__file__).parent
    offenders = {path.name: sorted(name for name in _imports(path)
                                   if name == 'pushguard.report'
                                   or name.startswith('pushguard.report.'))
                 for path in sorted(folder.glob('*.py'))}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_text_helpers():
    assert text.display('caf\udce9') == 'caf\ufffd'
    assert text.safe('a\nerror [x] b\x1b[31m\u202e') == 'a\\nerror [x] b\\x1b[31m\\u202e'
    assert text.safe_lines('one\ntwo\r') == ['one', 'two\\r']
    assert (text.count(1, 'error'), text.count(2, 'error')) == ('1 error', '2 errors')


def test_one_message_normalisation_for_every_message_check():
    assert text.message_text('feat: x\r\n\r\nbody\r\n\n') == 'feat: x\n\nbody'
    from pushguard.checks import _gitlint, dco, message_pattern
    for module in (_gitlint, dco, message_pattern):
        assert module.message_text is text.message_text
