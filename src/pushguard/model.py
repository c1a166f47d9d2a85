"""The records the engine passes around: frozen, typed, no behaviour beyond naming.

NamedTuples, not dataclasses: importing `dataclasses` (it pulls in `inspect`) and building the
classes were a large share of the commit-msg hook's start-up time.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Sequence

from pushguard._typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Protocol

    from pushguard.forges.rules import RefFacts
    from pushguard.pushed import Pushed

    class AddedLinesFeed(Protocol):
        """The added lines as the engine hands them over: read once, as they come; `sifted`
        (before the first read) says which file diffs are worth parsing at all."""

        def __next__(self) -> AddedLines: ...
        def __iter__(self) -> Iterator[AddedLines]: ...
        def sifted(self, sift: Sift) -> Iterator[AddedLines]: ...

# shown each file diff's (path, added lines) of a block of the patch, the lines less their '+'
# and joined by newlines: says which ones to parse (a true item); the others are never split
Sift = Callable[[Sequence[tuple[str, bytes]]], Sequence[bool]]


class Options(NamedTuple):
    """What the command line asks of a checking run: the engine's side of it, so that neither
    the engine nor the hooks read argparse's namespace."""

    format: str = 'text'
    config: str | None = None  # the policy file given with --config (or $PUSHGUARD_CONFIG)
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()


class Severity(str, enum.Enum):
    ERROR = 'error'
    WARNING = 'warning'


class Place(str, enum.Enum):
    """Where the engine runs: decides which checks make sense."""

    COMMIT_MSG = 'commit-msg'
    PRE_COMMIT = 'pre-commit'
    PRE_PUSH = 'pre-push'
    CHECK = 'check'
    PRE_RECEIVE = 'pre-receive'

    @property
    def trusts_content(self) -> bool:
        """Whether what is checked may name code for pushguard to run (a baseline's custom
        detect-secrets plugins): the user's own work at commit and push time, never commits
        from others (`check` of any range, CI, a server hook)."""
        return self in (Place.COMMIT_MSG, Place.PRE_COMMIT, Place.PRE_PUSH)


class Finding(NamedTuple):
    check: str
    severity: Severity
    message: str
    fix: str | None = None
    ref: str | None = None
    commit: str | None = None
    path: str | None = None
    line: int | None = None

    def as_dict(self) -> dict[str, object]:
        """The SPEC's JSON keys, in field order: check, severity, message, fix, ref, commit, ..."""
        return {**self._asdict(), 'severity': self.severity.value}


class RefUpdate(NamedTuple):
    """One line of git's pre-push (or pre-receive) input."""

    local_ref: str
    local_sha: str
    remote_ref: str
    remote_sha: str

    @property
    def is_deletion(self) -> bool:
        return set(self.local_sha) == {'0'}

    @property
    def is_creation(self) -> bool:
        return set(self.remote_sha) == {'0'}

    @property
    def is_tag(self) -> bool:
        return self.remote_ref.startswith('refs/tags/')

    @property
    def is_branch(self) -> bool:
        return self.remote_ref.startswith('refs/heads/')

    @property
    def branch(self) -> str | None:
        """The remote branch's short name, or None for tags and other refs."""
        if self.is_branch:
            return self.remote_ref[len('refs/heads/'):]
        return None


class Signature(NamedTuple):
    kind: str | None  # 'gpg', 'ssh', 'x509', or None when the commit is unsigned
    status: str | None  # git's %G? letter, only when verification was asked for


class Commit(NamedTuple):
    """A commit to check; sha is None for a message not yet committed."""

    sha: str | None
    message: str
    parents: tuple[str, ...] = ()
    author_name: str = ''
    author_email: str = ''
    committer_name: str = ''
    committer_email: str = ''
    ref: str | None = None  # the pushed ref that brought it (the first, when several)
    signature: Signature | None = None  # None when not fetched

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def short(self) -> str:
        return self.sha[:12] if self.sha else '(new commit)'


SUBMODULE_MODE = '160000'  # a gitlink: a commit of another repository, not a blob


class FileChange(NamedTuple):
    """A path a commit (or the index, commit None) adds, modifies, renames or deletes."""

    commit: str | None
    ref: str | None
    path: str  # decoded with surrogateescape: odd bytes survive the round trip
    status: str  # git's letter: A M D R C T
    blob: str  # the new blob's sha (zeros for a deletion)
    mode: str  # the new mode ('160000' is a submodule, '120000' a symlink)
    size: int | None = None  # None when sizes were not fetched, or not a blob
    old_blob: str | None = None  # the blob it replaces (zeros for an addition), when known

    @property
    def brings_blob(self) -> bool:
        """Whether the change brings a blob its source did not have (a pure rename or a mode
        change brings none: the server already has the blob)."""
        return self.status != 'D' and self.blob != self.old_blob


class AddedLines(NamedTuple):
    """The lines one commit (or the index) adds to one path, with their line numbers."""

    commit: str | None
    ref: str | None
    path: str
    lines: tuple[tuple[int, str], ...]
    unread: bool = False  # too big to diff: its lines were not read
    blobs: tuple[str, str] | None = None  # the (old, new) blob ids, when the diff names them


class Need(str, enum.Enum):
    """Data a check reads; the engine fetches only what the selected checks need."""

    MESSAGES = 'messages'  # commit messages and identities
    SIGNATURES = 'signatures'  # whether each commit is signed (and verified, with verify)
    CHANGES = 'changes'  # paths each commit changes, with blob ids
    SIZES = 'sizes'  # sizes of the new blobs
    ADDED_LINES = 'added-lines'  # lines each commit adds
    REFS = 'refs'  # the ref updates themselves
    FORGE = 'forge'  # what the forge enforces on each pushed ref (ctx.forge)
    ANCESTRY = 'ancestry'  # which updates are not fast-forwards (ctx.forced)
    ATTRIBUTES = 'attributes'  # the `filter` attribute of the paths of big blobs (Git LFS)


class Context:
    """Everything a check may look at, fetched by the engine before any check runs; for a
    streamed push (engine.run), `commits` and `changes` stay empty and the checks see them in
    batches (checks._stream), with `index` holding what is known of the whole push."""

    __slots__ = (
        'place', 'updates', 'commits', 'changes', 'branch', 'root', 'notes', '_added_lines',
        'forge', 'forge_problems', 'remote', 'forced',
        'lfs_paths', 'trusted', 'read_blobs', 'checks', '_index',
    )

    def __init__(
        self,
        place: Place,
        updates: tuple[RefUpdate, ...] = (),
        commits: tuple[Commit, ...] = (),
        changes: tuple[FileChange, ...] = (),
        branch: str | None = None,
        root: str | None = None,
        notes: list[str] | None = None,
        _added_lines: AddedLinesFeed | None = None,
    ) -> None:
        self.place = place
        self.updates = updates
        self.commits = commits
        self.changes = changes
        self.branch = branch  # the branch being committed on (commit-time hooks)
        self.root = root  # the work tree's top, where repository files such as baselines live
        self.notes: list[str] = [] if notes is None else notes  # said once, above findings
        self._added_lines = _added_lines
        self.forge: dict[str, RefFacts] = {}  # remote ref -> its facts, with Need.FORGE
        self.forge_problems: tuple[str, ...] = ()  # why the forge could not be asked at all
        self.remote: str | None = None  # the remote's name (pre-push), for the fixes
        self.forced: frozenset[str] = frozenset()  # remote refs whose update is not a fast-forward
        self.lfs_paths: frozenset[str] = frozenset()  # paths .gitattributes sends to Git LFS
        self.trusted = place.trusts_content  # the engine may say otherwise (Place.trusts_content)
        # blob contents by id, for the few files a check must read whole (one git process)
        self.checks: tuple[str, ...] = ()  # the ids of the checks that run, in order
        self.read_blobs: Callable[[Sequence[str]], Iterator[tuple[str, bytes]]] = _no_blobs
        self._index: Pushed | None = None

    @property
    def index(self) -> Pushed:
        """The push's commits as pushguard.pushed keeps them: set by the engine for a streamed
        push, else made from `commits` when first asked for."""
        if self._index is None:
            from pushguard.pushed import Pushed
            self._index = Pushed.of(self.commits, Commit)
        return self._index

    @index.setter
    def index(self, pushed: Pushed) -> None:
        self._index = pushed

    @property
    def commit_count(self) -> int:
        """How many commits were checked, streamed or not."""
        return self.index.count if self._index is not None else len(self.commits)

    def added_lines(self, sift: Sift | None = None) -> Iterator[AddedLines]:
        """Stream of added lines; read once, so memory stays bounded by one diff. With `sift`,
        only the file diffs it keeps are parsed."""
        if self._added_lines is None:
            return iter(())
        lines, self._added_lines = self._added_lines, None
        return lines.sifted(sift) if sift is not None else lines


def _no_blobs(shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    return iter(())
