"""Reading --cleanup, --template, -v and --allow-empty-message from git's command line."""
from __future__ import annotations

import pytest

from pushguard.hooks._commit_args import CommitArgs, parse
from pushguard.hooks._message_file import cleanup, effective_mode, is_empty


@pytest.mark.parametrize(('argv', 'expected'), (
    pytest.param(['git', 'commit', '-m', 'x'], CommitArgs(True), id='plain'),
    pytest.param(['git', 'commit', '--cleanup=verbatim'], CommitArgs(True, 'verbatim'),
                 id='cleanup-equals'),
    pytest.param(['git', 'commit', '--cleanup', 'strip'], CommitArgs(True, 'strip'),
                 id='cleanup-separate'),
    pytest.param(['git', 'commit', '--clean=whitespace'], CommitArgs(True, 'whitespace'),
                 id='abbreviated'),
    pytest.param(['git', '-C', 'dir', '-c', 'a.b=c', 'commit', '-t', 'tmpl'],
                 CommitArgs(True, template='tmpl'), id='global-options-template'),
    pytest.param(['git', 'commit', '-vttmpl'], CommitArgs(True, template='tmpl', verbose=True),
                 id='bundled'),
    pytest.param(['git', 'commit', '-m', '--cleanup=verbatim'], CommitArgs(True),
                 id='message-value'),
    pytest.param(['git', 'commit', '-am', '-t x'], CommitArgs(True), id='bundled-message-value'),
    pytest.param(['git', 'commit', '--', '--cleanup=strip'], CommitArgs(True), id='after-dashdash'),
    pytest.param(['git', 'commit', '-v', '--no-verbose'], CommitArgs(True, verbose=False),
                 id='no-verbose'),
    pytest.param(['git', 'commit', '--allow-empty-message'],
                 CommitArgs(True, allow_empty_message=True), id='allow-empty-message'),
    pytest.param(['git', 'merge', '--cleanup=scissors', 'x'], CommitArgs(True, 'scissors'),
                 id='merge'),
    pytest.param(['git', 'rebase', '-i'], None, id='other-command'),
    pytest.param(['/bin/sh', '.git/hooks/commit-msg'], None, id='not-git'),
))
def test_parse(argv, expected):
    assert parse(argv) == expected


@pytest.mark.parametrize(('name', 'editor', 'mode'), (
    (None, True, 'strip'), (None, False, 'whitespace'), ('default', True, 'strip'),
    ('scissors', True, 'scissors'), ('scissors', False, 'whitespace'),
    ('verbatim', True, 'verbatim'), ('STRIP', False, 'strip'),
))
def test_effective_mode(name, editor, mode):
    assert effective_mode(name, editor) == mode


@pytest.mark.parametrize(('text', 'mode', 'stored'), (
    pytest.param('\n\n a \t\r\n\n\n\nb  \n\n', 'whitespace', ' a\n\nb\n', id='whitespace'),
    pytest.param('# c\na\n#d\n', 'strip', 'a\n', id='strip'),
    pytest.param('# c\na\n', 'whitespace', '# c\na\n', id='whitespace-keeps-comments'),
    pytest.param('a\r\n\r\n', 'verbatim', 'a\r\n\r\n', id='verbatim'),
    pytest.param('a\x0b\n', 'whitespace', 'a\x0b\n', id='vertical-tab-is-no-git-space'),
))
def test_cleanup(text, mode, stored):
    assert cleanup(text, mode, '#') == stored


@pytest.mark.parametrize(('stored', 'mode', 'empty'), (
    ('', 'strip', True), ('Signed-off-by: A <a@b>\n', 'strip', True),
    ('Signed-off-by: A <a@b>\n', 'verbatim', False), ('x\n', 'strip', False),
))
def test_is_empty(stored, mode, empty):
    assert is_empty(stored, mode) is empty
