"""Read a failed push's output and name its causes, each with the fix, most likely first.

The output may be git's own (`git push 2>&1`), or a whole CI job log: timestamps, colour codes
and progress lines are taken off first. Each rejected ref (` ! [remote rejected] main -> main
(...)`) gets the causes that belong to it: git's own reason, or what the server said in its
`remote:` lines (a GH006/GH013 header names the ref its bullets belong to). Lines that reject
nothing (ssh, HTTP, DNS, proxy failures) are causes of their own.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pushguard._typing import NamedTuple
from pushguard.explain.causes import POLICY_DECLINED, REJECTED_REF, SIGNS, TO_LINE, Sign

UNKNOWN_FIX = 'pushguard doctor   (checks hooks, policy, remote, credentials and signing)'
_ANSI = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)')
# GitHub Actions: `2024-05-01T10:00:00.1234567Z `; GitLab: the same, then a stream tag `00O `
# (or `00O+`); Bitbucket and others: `[10:00:00] ` or `10:00:00 `
_CI_PREFIX = re.compile(
    r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?\s(\d\d[OE]\+?\s?)?|\[?\d\d:\d\d:\d\d\]?\s)')
_REMOTE = re.compile(r'^remote:\s?')
_BULLET = re.compile(r'^((error|warning|fatal|hint):\s*|GitLab:\s*|-\s+)+', re.IGNORECASE)
_OWN_FINDING = re.compile(r'^(?P<severity>error) \[(?P<check>[a-z-]+)\] (?P<message>.*)$')
_OWN_FIX = re.compile(r'^\s+fix: (?P<fix>.*)$')
_OWN_VERDICT = re.compile(r'^pushguard: \d+ errors?, \d+ warnings? in .*: blocked$')
_CONTROL = re.compile(r'[\x00-\x08\x0b-\x1f\x7f]')
CURRENT_BRANCH = '"$(git branch --show-current)"'


class Cause(NamedTuple):
    cause: str
    message: str
    fix: str
    ref: str | None = None
    seen: str = ''  # the line that says it
    weight: int = 50

    def as_dict(self) -> dict[str, object]:
        return {'cause': self.cause, 'message': self.message, 'fix': self.fix, 'ref': self.ref,
                'seen': self.seen}


class _Line(NamedTuple):
    text: str  # without the `remote: ` prefix and bullets
    remote: bool  # the server said it


def clean_lines(text: str) -> list[str]:
    """The output's lines as a terminal would show them last: no colour codes, no CI
    timestamps, and of a line rewritten with `\\r` (progress), only what it ended as."""
    lines = []
    for raw in text.replace('\r\n', '\n').split('\n'):
        line = _ANSI.sub('', raw)
        line = _CI_PREFIX.sub('', line).rsplit('\r', 1)[-1]
        line = _CI_PREFIX.sub('', line)  # the prefix may come before and after colour codes
        lines.append(line.rstrip())
    return lines


def safe(text: str) -> str:
    """Control characters shown, not obeyed: output never carries the log's escape codes."""
    return _CONTROL.sub(lambda m: f'\\x{ord(m[0]):02x}', text)


def explain(text: str, remote: str = 'origin') -> list[Cause]:
    """The causes of the failure in `text`, most likely first; [unknown] when none is known."""
    lines = clean_lines(text)
    own = list(_own_hook(lines))
    if own:
        return own
    to = next((m['url'] for m in map(TO_LINE.match, lines) if m), '')
    context = {'remote': remote, 'host': _host(to), 'ssh_host': _ssh_host(to), 'unblock': '',
               'repo_path': _repo_path(to)}
    rejected = [m for m in map(REJECTED_REF.match, lines) if m]
    said = _signs_said(lines)
    causes = _per_ref(rejected, said, lines, context) if rejected else [
        _cause(sign, match, None, line, context) for sign, match, _, line in said]
    causes = _unique(causes) or [Cause('unknown', 'this output names no failure pushguard knows',
                                       UNKNOWN_FIX)]
    return sorted(causes, key=lambda cause: -cause.weight)


def _own_hook(lines: list[str]) -> Iterator[Cause]:
    """pushguard's own pre-push hook stopped the push: its findings, as it printed them."""
    if not any(_OWN_VERDICT.match(line) for line in lines):
        return
    for index, line in enumerate(lines):
        found = _OWN_FINDING.match(line)
        if found:
            fixes = [m['fix'] for m in map(_OWN_FIX.match, lines[index + 1:index + 2]) if m]
            yield Cause(found['check'],
                        f"pushguard's pre-push hook stopped the push before anything was sent: "
                        f"{safe(found['message'])}", safe(fixes[0]) if fixes else
                        'see the finding above', None, safe(line), 100)


def _signs_said(lines: list[str]) -> list[tuple[Sign, re.Match[str], str | None, str]]:
    """(sign, match, ref it belongs to, line) for each line a sign recognises: the weightiest
    sign of each line; the server's generic words only in `remote:` lines."""
    said = []
    ref: str | None = None
    for line in _lines(lines):
        best = _best_sign(line)
        if best is None:
            continue
        sign, match = best
        if sign.names_ref:
            ref = match['ref']
        said.append((sign, match, ref, line.text))
    return said


def _lines(lines: Iterable[str]) -> Iterator[_Line]:
    for line in lines:
        remote = _REMOTE.match(line)
        text = _BULLET.sub('', line[remote.end():] if remote else line).strip()
        if text:
            yield _Line(text, bool(remote))


def _best_sign(line: _Line) -> tuple[Sign, re.Match[str]] | None:
    best: tuple[Sign, re.Match[str]] | None = None
    for sign in SIGNS:
        if sign.weight < 50 and not line.remote:
            continue
        match = sign.pattern.search(line.text)
        if match and (best is None or sign.weight > best[0].weight):
            best = (sign, match)
    return best


_Said = tuple[Sign, re.Match[str], str | None, str]
_WHOLE_PUSH = frozenset({'ssh-auth', 'host-key', 'token-auth', 'repository-not-found', 'network',
                         'proxy'})


def _per_ref(rejected: list[re.Match[str]], said: list[_Said], lines: list[str],
             context: dict[str, str]) -> list[Cause]:
    """The causes of each rejected ref, then those of the whole push (authentication, ...)."""
    unblock = next((_url_in(line) for *_, line in said if 'unblock-secret' in line), '')
    context = {**context, 'unblock': f': {unblock}' if unblock else ''}
    causes: list[Cause] = []
    for rejection in rejected:
        ref = _full_ref(rejection['remote'])
        if POLICY_DECLINED.search(rejection['reason']):
            causes.extend(_declined(ref, said, lines, context))
        else:  # git's own reason: non-fast-forward, fetch first, would clobber existing tag
            best = _best_sign(_Line(rejection[0], False))
            if best:
                causes.append(_cause(*best, ref, rejection[0].strip(), context))
    causes.extend(_cause(sign, match, None, line, context) for sign, match, _, line in said
                  if sign.cause in _WHOLE_PUSH)
    return causes


def _declined(ref: str, said: list[_Said], lines: list[str], context: dict[str, str]
              ) -> list[Cause]:
    """What the server said about `ref` (or about no ref in particular); a header (GH006)
    counts only when no line under it says more."""
    own = [entry for entry in said if entry[2] in (None, ref) and entry[0].cause not in _WHOLE_PUSH]
    details = [entry for entry in own if not entry[0].names_ref]
    found = [_cause(sign, match, ref, line, context) for sign, match, _, line in details or own]
    if found:
        return found
    quoted = '; '.join(line.text for line in _lines(lines) if line.remote)
    return [Cause('pre-receive-hook', f"the server's pre-receive hook refused {_short(ref)}",
                  'read what the server said (the remote: lines); `pushguard check '
                  f'{context["remote"]}/{_short(ref)}..HEAD` shows what a policy would refuse',
                  ref, safe(quoted), 30)]


def _cause(sign: Sign, match: re.Match[str], ref: str | None, line: str,
           context: dict[str, str]) -> Cause:
    branch = _short(ref) if ref else CURRENT_BRANCH
    values = {**context, **{k: v or '' for k, v in match.groupdict().items()},
              'ref': ref or 'the branch', 'branch': branch}
    values['pull_request'] = _pull_request_url(values['host'], context['repo_path'], branch)
    return Cause(sign.cause, safe(sign.message.format(**values)), safe(sign.fix.format(**values)),
                 ref, safe(line), sign.weight)


def _unique(causes: Iterable[Cause]) -> list[Cause]:
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for cause in causes:
        if (cause.cause, cause.ref) not in seen:
            seen.add((cause.cause, cause.ref))
            kept.append(cause)
    return kept


def _full_ref(name: str) -> str:
    return name if name.startswith('refs/') else f'refs/heads/{name}'


def _short(ref: str) -> str:
    for prefix in ('refs/heads/', 'refs/tags/'):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


def _host(url: str) -> str:
    match = re.match(r'^(?:[a-z+]+://)?(?:[^@/]*@)?(?P<host>[^:/]+)', url)
    return match['host'] if match else '<host>'


def _ssh_host(url: str) -> str:
    match = re.match(r'^(?:ssh://)?(?P<user>[^@/:]+)@(?P<host>[^:/]+)', url)
    return f"{match['user']}@{match['host']}" if match else f'git@{_host(url)}'


def _repo_path(url: str) -> str:
    """`group/sub/repo` of a remote URL (https, ssh:// or scp-like), without `.git`."""
    match = re.match(r'^(?:[a-z+]+://[^/]+/|[^@/]+@[^:/]+:|[^:/]+:)(?P<path>.+?)(?:\.git)?/?$',
                     url)
    return match['path'] if match else ''


def _pull_request_url(host: str, path: str, branch: str) -> str:
    """The page that opens a pull/merge request from `branch`-change into `branch`."""
    if not path or branch == CURRENT_BRANCH:
        return 'the forge (a pull/merge request from that branch)'
    source = f'{branch}-change'
    if host == 'github.com':
        return f'https://{host}/{path}/compare/{branch}...{source}?expand=1'
    if host == 'gitlab.com':
        return (f'https://{host}/{path}/-/merge_requests/new?merge_request[source_branch]='
                f'{source}&merge_request[target_branch]={branch}')
    if host == 'bitbucket.org':
        return f'https://{host}/{path}/pull-requests/new?source={source}&dest={branch}'
    return f'the forge (a pull/merge request from {source} into {branch})'


def _url_in(line: str) -> str:
    match = re.search(r'https://\S+', line)
    return match[0] if match else ''
