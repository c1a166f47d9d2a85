from __future__ import annotations

import pytest

from pushguard.git import log
from pushguard.checks import conventional_commit
from pushguard.config import Config, Conventional
from pushguard.model import Context, Place
from testing import gitrepo
from testing.run import run_pushguard

SPEC_RACING = '''fix: prevent racing of requests

Introduce a request id and a reference to latest request. Dismiss
incoming responses other than from latest request.

Remove timeouts which were used to mitigate the racing issue but are
obsolete now.

Reviewed-by: Z
Refs: #123
'''


def _hook(repo, message, toml='[commit.conventional]\n'):
    (repo / '.pushguard.toml').write_text(toml)
    (repo / 'msg').write_bytes(message.encode() if isinstance(message, str) else message)
    return run_pushguard('hook', 'commit-msg', 'msg')


@pytest.mark.parametrize('message', (
    pytest.param('feat: add login', id='type-description'),
    pytest.param('feat(lang): add Polish language', id='spec-scope'),
    pytest.param('feat!: send an email to the customer when a product is shipped', id='spec-bang'),
    pytest.param('feat(api)!: send an email to the customer when a product is shipped',
                 id='spec-scope-bang'),
    pytest.param('chore!: drop support for Node 6\n\n'
                 'BREAKING CHANGE: use JavaScript features not available in Node 6.\n',
                 id='spec-bang-and-footer'),
    pytest.param('feat: allow provided config object to extend other configs\n\n'
                 'BREAKING CHANGE: `extends` key in config file is now used for extending other '
                 'config files\n', id='spec-breaking-footer'),
    pytest.param('docs: correct spelling of CHANGELOG', id='spec-docs'),
    pytest.param(SPEC_RACING, id='spec-multi-paragraph-footers'),
    pytest.param('fix: x\n\nBREAKING-CHANGE: hyphenated synonym', id='breaking-hyphen'),
    pytest.param('fix: x\n\nFixes #42', id='footer-hash-separator'),
    pytest.param('fix: x\n\nRefs: #1\n  continued value line\nAcked-by: Y', id='footer-multiline'),
    pytest.param('fix: x\n\nBreaking changes are listed in the docs.', id='breaking-prose'),
    pytest.param('fix(ü): Ümlaute im Betreff, 日本語', id='non-ascii'),
    pytest.param('revert: let us never again speak of the noodle incident\n\n'
                 'Refs: 676104e, a215868', id='spec-revert'),
    pytest.param('fix: x\r\n\r\nbody with CRLF\r\n', id='crlf'),
    pytest.param('Merge branch "x" into main', id='exempt-merge'),
    pytest.param('Revert "feat: add login"', id='exempt-revert'),
    pytest.param('fixup! feat: add login', id='exempt-fixup'),
    pytest.param('squash! feat: add login', id='exempt-squash'),
    pytest.param('amend! feat: add login', id='exempt-amend'),
    pytest.param('# only a comment\nfeat: add login\n# another', id='comments-ignored'),
    pytest.param('Feat: add login', id='type-any-case-clause-15'),
    pytest.param('CI: run on arm64', id='upper-case-ci'),
    pytest.param('fix: x\n\nReviewed by: Z', id='spaced-token-paragraph-is-body'),
    pytest.param('fix: x\n\r\nbody after a CR-only line', id='cr-only-line-is-blank'),
    pytest.param('fix: x\n\n\nbody after two blank lines', id='verbatim-blank-lines'),
))
def test_accepted(repo, message):
    result = _hook(repo, message)
    assert (result.code, result.out) == (0, '')


@pytest.mark.parametrize(('message', 'why', 'fixed'), (
    pytest.param('add login', 'does not start with `type(scope): description`',
                 'feat: add login', id='no-type'),
    pytest.param('Fix login crash', 'does not start with', 'fix: login crash',
                 id='word-type-guessed'),
    pytest.param('feature: add login', "type 'feature' is not allowed (allowed: feat, fix",
                 'feat: add login', id='unknown-type'),
    pytest.param('feat:add login', 'a space is needed after the colon', 'feat: add login',
                 id='no-space'),
    pytest.param('feat:  add login', 'exactly one space must follow the colon',
                 'feat: add login', id='two-spaces'),
    pytest.param('feat: ', 'the description after the colon is empty',
                 'feat: describe the change', id='empty-description'),
    pytest.param('feat(): add login', 'the scope in parentheses is empty', 'feat: add login',
                 id='empty-scope'),
    pytest.param('feat (api): add login', 'no space is allowed in the type(scope) prefix',
                 'feat(api): add login', id='space-before-scope'),
    pytest.param('feat : add login', 'no space is allowed in the type(scope) prefix',
                 'feat: add login', id='space-before-colon'),
    pytest.param('feat(api: add login', "parenthesis is not closed", 'feat(api): add login',
                 id='unclosed-scope'),
    pytest.param('feat: add login\nbody right below', 'must start after one blank line',
                 'put one blank line between the header and the body', id='no-blank-line'),
    pytest.param('fix: x\n\nbreaking change: drops Node 6',
                 "'breaking change' must be uppercase", 'BREAKING CHANGE: drops Node 6',
                 id='lowercase-breaking'),
    pytest.param('fix: x\n\nBreaking-Change: drops Node 6', 'must be uppercase',
                 'BREAKING-CHANGE: drops Node 6', id='mixed-case-breaking-hyphen'),
    pytest.param('fix: x\n\nBREAKING CHANGE:drops Node 6', 'must be followed by ": "',
                 'BREAKING CHANGE: drops Node 6', id='breaking-no-space'),
    pytest.param('fix: x\n\nBREAKING CHANGE #12', 'must be followed by ": "',
                 'BREAKING CHANGE: 12', id='breaking-hash'),
    pytest.param('Verbesserung: Umlaute überall', "type 'Verbesserung' is not allowed",
                 'feat: Umlaute überall',
                 id='non-ascii-type'),
))
def test_rejected(repo, message, why, fixed):
    result = _hook(repo, message)
    assert result.code == 1
    assert '[conventional-commit]' in result.out
    assert why in result.out
    assert fixed in result.out


@pytest.mark.parametrize(('toml', 'message', 'expected'), (
    pytest.param('lowercase-type = true', 'Feat: x',
                 ("type 'Feat' must be written 'feat'", 'feat: x'), id='lowercase-type-opt-in'),
    pytest.param('lowercase-type = true', 'CI: x', ("must be written 'ci'", 'ci: x'),
                 id='lowercase-type-ci'),
    pytest.param('lowercase-type = true', 'feat: x', None, id='lowercase-type-lower'),
    pytest.param('types = ["Build"]', 'build: x', None, id='configured-type-any-case'),
    pytest.param('scopes = ["api", "ui"]', 'feat(api): x', None, id='allowed-scope'),
    pytest.param('scopes = ["api", "ui"]', 'feat: x', None, id='scope-optional'),
    pytest.param('scopes = ["api", "ui"]', 'feat(db): x',
                 ("scope 'db' is not allowed (allowed: api, ui)", 'feat(api): x'), id='bad-scope'),
    pytest.param('scopes = ["api", "ui"]', 'feat(UI): x',
                 ("scope 'UI' is not allowed", 'feat(ui): x'), id='scope-case'),
    pytest.param('require-scope = true', 'feat: x',
                 ('a scope is required', 'feat(scope): x'), id='required-scope'),
    pytest.param('require-scope = true\nscopes = ["ui"]', 'feat!: x',
                 ('a scope is required', 'feat(ui)!: x'), id='required-scope-suggested'),
    pytest.param('types = ["build"]', 'feat: x',
                 ("type 'feat' is not allowed (allowed: build)", 'build: x'), id='custom-types'),
    pytest.param('types = []', 'anything-goes: x', None, id='any-type'),
))
def test_configured_rules(repo, toml, message, expected):
    result = _hook(repo, message, f'[commit.conventional]\n{toml}\n')
    if expected is None:
        assert (result.code, result.out) == (0, '')
    else:
        assert result.code == 1
        for text in expected:
            assert text in result.out


def test_every_failure_is_its_own_finding_with_the_whole_fix(repo):
    result = _hook(repo, 'Feature():add login\nno blank line')
    lines = [line for line in result.out.splitlines() if line.startswith('error')]
    assert len(lines) == 4, result.out
    assert result.out.count('feat: add login') == 3


def test_only_runs_with_defaults_when_section_absent(repo):
    (repo / 'msg').write_text('Feature: add login\n')
    assert run_pushguard('hook', 'commit-msg', 'msg').code == 0
    result = run_pushguard('hook', 'commit-msg', 'msg', '--only', 'conventional-commit')
    assert result.code == 1
    assert "type 'Feature' is not allowed" in result.out


def test_pushed_commit_finding_names_commit_and_rebase(repo):
    gitrepo.commit(repo, 'feat: first')
    sha = gitrepo.commit(repo, 'add login')
    ctx = Context(Place.CHECK, commits=tuple(log.commits_in(['HEAD'])))
    findings = list(conventional_commit.check(ctx, Config(conventional=Conventional())))
    assert len(findings) == 1
    assert findings[0].commit == sha
    assert findings[0].check == 'conventional-commit'
    assert f'git rebase -i {sha[:12]}~1' in (findings[0].fix or '')
    assert 'feat: add login' in (findings[0].fix or '')
