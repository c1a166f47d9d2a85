"""Make the clone hold what the plan checks: the commits, the base, and the whole range.

CI clones are often shallow (actions/checkout fetches one commit, GitLab 20 or 50, Bitbucket 50)
or single-branch. Missing commits are fetched from `origin` by id; a range cut by the shallow
boundary is deepened with a bounded `git fetch --deepen` (100, then 1,000 commits, then
`--unshallow`): at most three fetches. When the remote cannot give them, the run stops with
exit 2 and the CI setting that fetches the whole history: a partial range would give a verdict
on commits that are not all there.
"""
from __future__ import annotations

from pushguard import git
from pushguard.ci import bitbucket
from pushguard.ci.plan import Plan
from pushguard.errors import GitError, PushguardError

REMOTE = 'origin'
_DEEPEN = ('--deepen=100', '--deepen=1000', '--unshallow')


def prepare(plan: Plan) -> tuple[str | None, list[str], str | None, list[str]]:
    """(the tip, the bottoms, the trusted commit, notes), each a commit id in this clone."""
    notes: list[str] = []
    if plan.tip is None:
        return None, [], None, notes
    tip = _present(plan.tip, 'the commit to check', plan)
    bottoms = []
    for bottom in plan.bottoms:
        if bottom == bitbucket.OTHER_BRANCHES:
            continue
        try:
            bottoms.append(_present(bottom, 'the base', plan))
        except PushguardError:
            if not plan.default_branch or bottom != plan.old:
                raise
            # a forced push's old tip is gone from the remote: the default branch stands in
            notes.append(f'{bottom[:12]}, the tip before the push, is not on {REMOTE} (a forced '
                         f'push?): checked what {plan.default_branch} lacks')
    if bitbucket.OTHER_BRANCHES in plan.bottoms:
        bottoms += _other_branches(plan.ref)
    trusted = _trusted(plan, bottoms)
    if plan.default_branch:
        base = _branch_tip(plan.default_branch)
        if base is None:
            notes.append(f'the default branch {plan.default_branch!r} is not on {REMOTE}: '
                         f'checked all the history of {tip[:12]}')
        else:
            bottoms.append(base)
            trusted = trusted or base
    _deep_enough(tip, bottoms, plan)
    return tip, bottoms, trusted, notes


def _fetch(*args: str) -> bool:
    try:
        git.run('fetch', '-q', '--no-tags', '--no-write-fetch-head', REMOTE, *args)
    except GitError:
        return False
    return True


def _is_sha(rev: str) -> bool:
    return len(rev) in (40, 64) and all(c in '0123456789abcdef' for c in rev)


def _present(rev: str, what: str, plan: Plan) -> str:
    """`rev`'s commit id, fetched from origin when this clone lacks it."""
    found = git.resolve(rev)
    if found is None and rev.startswith('refs/remotes/origin/'):
        found = _branch_tip(rev[len('refs/remotes/origin/'):])
    elif found is None and _is_sha(rev):
        _fetch('--depth=1', rev) if _shallow() else _fetch(rev)
        found = git.resolve(rev)
    if found is None:
        raise PushguardError(f'{what} {rev[:40]} is not in this clone and {REMOTE} did not give '
                             f'it: fetch the whole history: {plan.setting}')
    return found


def _branch_tip(branch: str) -> str | None:
    ref = f'refs/remotes/{REMOTE}/{branch}'
    if git.resolve(ref) is None:
        depth = ('--depth=1',) if _shallow() else ()
        _fetch(*depth, f'+refs/heads/{branch}:{ref}')
    return git.resolve(ref)


def _other_branches(ref: str | None) -> list[str]:
    """The tips of every branch of origin but `ref`'s (fetched: clones are often single-branch)."""
    depth = ('--depth=1',) if _shallow() else ()
    _fetch(*depth, f'+refs/heads/*:refs/remotes/{REMOTE}/*')
    own = f'refs/remotes/{REMOTE}/{ref.removeprefix("refs/heads/")}' if ref else ''
    out = git.run('for-each-ref', '--format=%(objectname) %(refname)', f'refs/remotes/{REMOTE}/')
    tips = []
    for line in git.decode(out).splitlines():
        sha, _, name = line.partition(' ')
        if name not in (own, f'refs/remotes/{REMOTE}/HEAD'):
            tips.append(sha)
    return tips


def _trusted(plan: Plan, bottoms: list[str]) -> str | None:
    if plan.trusted is None:
        return None
    if plan.trusted == bitbucket.OTHER_BRANCHES:
        return git.resolve(f'refs/remotes/{REMOTE}/HEAD') or git.resolve(
            f'refs/remotes/{REMOTE}/main') or git.resolve(f'refs/remotes/{REMOTE}/master')
    return git.resolve(plan.trusted)


def _shallow() -> bool:
    return git.run('rev-parse', '--is-shallow-repository').strip() == b'true'


def _deep_enough(tip: str, bottoms: list[str], plan: Plan) -> None:
    """Deepen until no commit of the range has parents the clone lacks (bounded), or refuse."""
    if not _shallow():
        return
    for step in (None, *_DEEPEN):
        if step is not None and not (_fetch(step, tip) or _fetch(step)):
            break
        if not _cut(tip, bottoms):
            return
    raise PushguardError(
        f'shallow clone: the commits of {plan.label} go back further than this clone, and '
        f'{REMOTE} did not give the rest; fetch the whole history: {plan.setting}')


def _cut(tip: str, bottoms: list[str]) -> bool:
    """Whether a commit of `tip --not bottoms` has a parent hidden by the shallow boundary."""
    roots = git.shallow_roots()
    if not roots:
        return False
    if bottoms and not git.run('merge-base', tip, bottoms[0], ok=(0, 1)).strip():
        return True  # the base's history and the tip's do not meet within the clone yet
    out = git.run('rev-list', '--stdin', stdin=git.stdin_lines([tip, *(f'^{b}' for b in bottoms)]))
    cut = [sha for sha in git.decode(out).split() if sha in roots]
    if not cut:
        return False
    from pushguard.git import log
    parents = log.cut_parents(cut)
    return any(p not in bottoms for sha in cut for p in parents.get(sha, ()))
