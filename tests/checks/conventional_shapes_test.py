"""Conventional Commits 1.0.0 on real-world shapes: what the spec and its peers (commitlint's
config-conventional, conventional-pre-commit, the spec's own examples) accept must pass; only
what they all reject may fail. A false positive blocks a push the server accepts."""
from __future__ import annotations

import pytest

from pushguard.checks.conventional_commit import (
    fixed_header, footer_start, header_problems, lines_of, problems,
)
from pushguard.config import Conventional

RULES = Conventional()
ANY_TYPE = Conventional(types=())

ACCEPTED = {
    # the spec's examples
    'spec-breaking-footer': 'feat: allow provided config object to extend other configs\n\n'
                            'BREAKING CHANGE: `extends` key in config file is now used for '
                            'extending other config files',
    'spec-bang': 'feat!: send an email to the customer when a product is shipped',
    'spec-scope-bang': 'feat(api)!: send an email to the customer when a product is shipped',
    'spec-bang-footer': 'chore!: drop support for Node 6\n\n'
                        'BREAKING CHANGE: use JavaScript features not available in Node 6.',
    'spec-no-body': 'docs: correct spelling of CHANGELOG',
    'spec-scope': 'feat(lang): add Polish language',
    'spec-racing': 'fix: prevent racing of requests\n\nIntroduce a request id and a reference to '
                   'latest request. Dismiss\nincoming responses other than from latest request.'
                   '\n\nRemove timeouts which were used to mitigate the racing issue but are\n'
                   'obsolete now.\n\nReviewed-by: Z\nRefs: #123',
    'spec-revert': 'revert: let us never again speak of the noodle incident\n\n'
                   'Refs: 676104e, a215868',
    # last paragraphs that are body, not footers (clause 9)
    'see-more-url': 'fix(router): keep query on redirect\n\nSee more: https://example.com/a?b=c',
    'related-to': 'fix: handle empty input\n\nrelated to #418',
    'follow-up-from': 'refactor: split parser\n\nFollow up from #2158',
    'closes-two-words': 'fix: x\n\nThis closes #12 and #13',
    'prose-with-colon': 'docs: explain setup\n\nNote that the order matters: first A, then B.',
    'markdown-list': 'feat: bulk import\n\n- parse CSV: done\n- validate rows\n* retry: later',
    'numbered-list': 'chore: release prep\n\n1. bump: versions\n2. tag it',
    'indented-code': 'docs: show usage\n\n    $ tool --flag: value\n    ok',
    'reviewed-by-with-space': 'fix: x\n\nReviewed by: Z',
    'co-authored-lowercase-words': 'feat: x\n\nthanks to: everyone who tested',
    'breaking-prose': 'fix: x\n\nBreaking changes are listed in the docs.',
    'url-last': 'docs: link\n\nhttps://github.com/org/repo/pull/12',
    'emoji-body': 'feat: ✨ sparkle\n\n🎉 party: yes',
    # footers, values over several lines (clause 10)
    'fix-then-partially': 'fix: x\n\nFix #8457\nPartially addresses #5618',
    'multiline-value': 'fix: x\n\nRefs: #1\n  continued value line\nAcked-by: Y',
    'value-continues-with-spaced-words': 'fix: x\n\nBREAKING CHANGE: the API changed\n'
                                         'Reviewed by the whole team, see the RFC',
    'signed-off-by': 'feat: x\n\nSigned-off-by: Ada Tester <ada@example.com>',
    'co-authored-by': 'feat: x\n\nbody\n\nCo-authored-by: A <a@example.com>\n'
                      'Co-authored-by: B <b@example.com>',
    'closes-hash': 'fix: x\n\nCloses #42',
    'fixes-url': 'fix: x\n\nFixes: https://github.com/o/r/issues/1',
    'breaking-hyphen': 'fix: x\n\nBREAKING-CHANGE: hyphenated synonym',
    'breaking-then-other': 'feat!: x\n\nBREAKING CHANGE: a\nRefs: #2',
    'breaking-multiline': 'feat: x\n\nBREAKING CHANGE: first line\nsecond line of the same',
    'dependabot': 'build(deps): bump lodash from 4.17.20 to 4.17.21\n\nBumps [lodash]'
                  '(https://github.com/lodash/lodash) from 4.17.20 to 4.17.21.\n- [Release '
                  'notes](https://github.com/lodash/lodash/releases)\n\n---\nupdated-'
                  'dependencies:\n- dependency-name: lodash\n  dependency-type: direct:'
                  'production\n...\n\nSigned-off-by: dependabot[bot] <support@github.com>',
    'renovate': 'chore(deps): update dependency eslint to v8.57.0 (#1234)\n\n'
                'Co-authored-by: renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>',
    'semantic-release': 'chore(release): 1.2.3 [skip ci]\n\n## [1.2.3](https://x/compare/v1.2.2'
                        '...v1.2.3) (2024-01-01)\n\n### Bug Fixes\n\n* **core:** x ([abc](https'
                        '://x/commit/abc))',
    'github-squash': 'feat(ui): new button (#77)\n\n* wip\n\n* review: fixes\n\n'
                     'Co-authored-by: B <b@example.com>',
    'cherry-picked': 'fix: x\n\n(cherry picked from commit 0123456789abcdef)',
    'cherry-picked-after-footer': 'fix: x\n\nRefs: #1\n(cherry picked from commit 0123456789ab)',
    'gerrit-change-id': 'fix: x\n\nChange-Id: I0123456789abcdef0123456789abcdef01234567',
    'angular-pr-close': 'feat(core): add `inject` function (#123)\n\nThis commit adds the '
                        'function.\n\nFixes #1234\n\nPR Close #123',
    'angular-breaking-body': 'feat(router)!: drop old API\n\nBREAKING CHANGE: the old API is '
                             'gone.\nUse the new one.\n\nPR Close #9',
    'electron-notes': 'fix: crash on exit (#123)\n\n* fix: a\r\n\r\n* fix: b\n\n'
                      'Notes: Fixed a crash on exit.',
    'skip-ci-last': 'chore: bump version\n\n[skip ci]',
    'see-also-continuation': 'fix: x\n\nSee-also: #1\nSee also #2',
    'vue-close-lowercase': 'fix(runtime-core): x\n\nclose #123',
    'trailer-block': 'fix: x\n\nReported-by: A <a@x>\nTested-by: B <b@x>\n'
                     'Signed-off-by: C <c@x>',
    'breaking-hyphen-bang': 'feat(scope)!: x\n\nBREAKING-CHANGE: y',
    'deps-dev': 'build(deps-dev): bump @types/node from 20.1.0 to 20.2.0',
    'breaking-paragraph-then-body': 'feat: x\n\nBREAKING CHANGE: y\nthat spans\n\nmore words',
    'two-breaking-footers': 'feat!: x\n\nBREAKING CHANGE: a\nBREAKING CHANGE: b',
    'footer-value-with-colon': 'fix: x\n\nRefs: https://example.com:8080/a',
    'token-with-digits': 'fix: x\n\nJIRA-Ticket: PROJ-12\nX-Cc: y',
    'body-ends-with-list-of-issues': 'fix: x\n\nIssues fixed:\n- #1\n- #2',
    'quoted-reply': 'docs: x\n\n> quoted: text\n> more',
    'key-value-prose': 'perf: x\n\nBefore: 12 ms\nAfter: 3 ms',
    'lowercase-description-with-scope-dots': 'fix(a.b.c): x',
    # headers
    'type-upper-ci': 'CI: run on arm64',
    'type-capitalised': 'Feat: add login',
    'type-upper-with-scope': 'FIX(API): x',
    'scope-with-slash': 'feat(api/v2): x',
    'scope-with-dot-and-dash': 'fix(pkg.sub-mod): x',
    'scope-with-comma': 'chore(deps,ci): x',
    'scope-with-space': 'fix(some scope): x',
    'scope-non-ascii': 'fix(ü): Ümlaute im Betreff, 日本語',
    'description-with-colon': 'fix: handle a: b in keys',
    'description-with-parens': 'fix: (windows) paths',
    'description-issue-ref': 'fix: crash on start (#123)',
    'description-backticks': 'docs: explain `--flag: value`',
    'description-trailing-dot': 'docs: update README.',
    'description-upper-case': 'feat: Add login',
    'long-description': 'feat: ' + 'x' * 200,
    'release-version': 'chore(release): v1.0.0',
    'revert-type': 'revert: feat: add login\n\nThis reverts commit 0123456789abcdef.',
    # whitespace as git or Windows tools store it
    'crlf': 'fix: x\r\n\r\nbody with CRLF\r\n',
    'cr-only-line': 'fix: x\n\r\nbody after a CR-only line',
    'cr-only-lines': 'fix: x\n\r\n\r\nbody after two CR-only lines (verbatim or an API)',
    'spaces-only-line': 'fix: x\n   \nbody after a line of spaces',
    'two-blank-lines-verbatim': 'fix: x\n\n\nbody',
    'trailing-newlines': 'fix: x\n\n\n',
    'crlf-footers': 'fix: x\r\n\r\nbody\r\n\r\nRefs: #1\r\nAcked-by: Y\r\n',
}

REJECTED = {
    'no-type': ('add login', 'does not start with'),
    'unknown-type': ('feature: add login', "type 'feature' is not allowed"),
    'no-space-after-colon': ('feat:add login', 'a space is needed after the colon'),
    'two-spaces': ('feat:  add login', 'exactly one space must follow the colon'),
    'empty-description': ('feat: ', 'the description after the colon is empty'),
    'empty-scope': ('feat(): x', 'the scope in parentheses is empty'),
    'space-before-scope': ('feat (api): x', 'no space is allowed in the type(scope) prefix'),
    'unclosed-scope': ('feat(api: x', 'parenthesis is not closed'),
    'no-blank-line': ('feat: x\nbody right below', 'must start after one blank line'),
    'lowercase-breaking-footer': ('fix: x\n\nbreaking change: drops Node 6', 'must be uppercase'),
    'mixed-case-breaking-in-footers': ('fix: x\n\nRefs: #1\nBreaking-Change: y',
                                       'must be uppercase'),
    'breaking-no-space': ('fix: x\n\nBREAKING CHANGE:drops Node 6', 'must be followed by ": "'),
    'breaking-hash': ('fix: x\n\nBREAKING CHANGE #12', 'must be followed by ": "'),
    'empty-message': ('', 'the header (first line) is empty'),
    'emoji-type': ('✨ feat: x', 'does not start with'),
    'gitmoji-only': (':sparkles: add login', 'does not start with'),
    'bracket-type': ('[feat] add login', 'does not start with'),
    'lowercase-breaking-among-footers': ('fix: x\n\nRefs: #1\nbreaking change: y',
                                         'must be uppercase'),
    'breaking-empty': ('feat: x\n\nBREAKING CHANGE:', 'must be followed by ": "'),
    'type-typo': ('fature: x', "type 'fature' is not allowed"),
    'missing-colon': ('feat add login', 'does not start with'),
}


@pytest.mark.parametrize('message', ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted(message):
    assert list(problems(message, RULES)) == []


@pytest.mark.parametrize(('message', 'why'), REJECTED.values(), ids=REJECTED.keys())
def test_rejected(message, why):
    found = list(problems(message, RULES))
    assert found, message
    assert any(why in problem.why for problem in found), found


@pytest.mark.parametrize('message', (
    pytest.param('anything: goes', id='any-word'),
    pytest.param('Merge-Request: x', id='hyphenated-type'),
    pytest.param('ci/cd: x', id='slash-type'),
))
def test_any_type_when_the_list_is_empty(message):
    assert list(problems(message, ANY_TYPE)) == []


@pytest.mark.parametrize(('message', 'start'), (
    pytest.param('fix: x\n\nbody\n\nRefs: #1', 4, id='footers-after-body'),
    pytest.param('fix: x\n\nRefs: #1', 2, id='footers-only'),
    pytest.param('fix: x\n\nSee more: https://x', None, id='spaced-token-is-body'),
    pytest.param('fix: x\n\nrelated to #418', None, id='prose-is-body'),
    pytest.param('fix: x\nRefs: #1', None, id='no-blank-line-no-footers'),
    pytest.param('fix: x\n\nFix #8457\nPartially addresses #5618', 2, id='continuation'),
))
def test_footer_section(message, start):
    assert footer_start(lines_of(message)) == start


@pytest.mark.parametrize('message', [m for m, _ in REJECTED.values()],
                         ids=list(REJECTED.keys()))
def test_the_suggested_header_passes(message):
    header = lines_of(message)[0]
    assert list(header_problems(fixed_header(header, RULES), RULES)) == []
