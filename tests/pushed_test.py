"""What the engine keeps of a streamed push (pushguard.pushed), and how git is fed and asked as
the push streams by: chunks of stdin taken as git reads them, one cat-file asked many times."""
from __future__ import annotations

import os

from pushguard.git import _stream, blobs
from pushguard.model import Commit, Context, Place
from pushguard.pushed import Pushed
from testing import gitrepo

A, B, C, D, E = (f'{n}' * 40 for n in 'abcde')


def _push() -> list[Commit]:
    return [
        Commit(A, 'feat: first\n\nbody', (), ref='refs/heads/x'),
        Commit(B, 'fix: second', (A,), ref='refs/heads/x'),
        Commit(C, 'Merge side', (B, D, E), ref='refs/heads/y'),
        Commit(D, 'fixup! feat: first', (C,), ref='refs/heads/x'),
    ]


def test_each_commit_is_found_again_by_sha_with_its_parents_and_ref():
    pushed = Pushed.of(_push(), Commit)
    assert pushed.count == len(pushed) == 4 and pushed.last == D
    assert pushed.get(A) == Commit(A, '', (), ref='refs/heads/x')  # a root: no parent
    assert pushed.get(C) == Commit(C, '', (B, D, E), ref='refs/heads/y')
    assert pushed.get(D) == Commit(D, '', (C,), ref='refs/heads/x')
    assert pushed.get('f' * 40) is None and pushed.get('not hex') is None
    assert pushed.get(None) is None and pushed.get('a' * 12) is None
    assert [pushed.ref_of(sha) for sha in (D, A, C)] == ['refs/heads/x', 'refs/heads/x',
                                                         'refs/heads/y']
    assert pushed.ref_of('f' * 40) is None and pushed.ref_of(None) is None


def test_the_whole_push_is_summed_up():
    pushed = Pushed.of(_push(), Commit)
    assert pushed.merges == {C: 3}
    assert pushed.merge_refs == {'refs/heads/y': C}
    assert [pushed.subject(i) for i in range(4)] == ['feat: first', 'fix: second', 'Merge side',
                                                     'fixup! feat: first']
    assert b''.join(pushed.stdin()) == f'{A}\n{B}\n{C}\n{D}\n'.encode()


def test_a_sha_inside_another_record_is_not_taken_for_a_commit():
    """The records are shas and parents side by side: a parent is not a commit of the push."""
    pushed = Pushed.of([Commit(A, 'x', (E,)), Commit(B, 'y', (A,))], Commit)
    assert pushed.position(E) is None
    assert pushed.position(A) == 0 and pushed.position(B) == 1


def test_a_context_held_whole_makes_its_index_from_its_commits():
    ctx = Context(Place.CHECK, commits=tuple(_push()))
    assert ctx.commit_count == 4 and ctx.index.last == D and ctx.index.get(B).parents == (A,)


def test_stdin_given_in_chunks_is_taken_as_git_reads_it(repo):
    taken = []

    def chunks():
        for n in range(40):
            taken.append(n)
            yield b'HEAD\n' * 2000
    head = gitrepo.commit(repo, 'chore: one')
    with _stream.streamed('cat-file', '--batch-check=%(objectname)', stdin=chunks()) as out:
        first = out.readline()
        assert len(taken) < 40  # the rest is taken when git wants it
        rest = out.read()
    assert first.decode().strip() == head and rest.count(head.encode()) == 79999


def test_one_cat_file_answers_the_sizes_of_many_batches(repo):
    """The sizes of each batch of changes come from the same git process, asked again."""
    gitrepo.commit(repo, 'chore: files', {'a.txt': 'a' * 10, 'b.txt': 'b' * 20})
    a, b = (gitrepo.git('rev-parse', f'HEAD:{name}', cwd=repo).strip()
            for name in ('a.txt', 'b.txt'))
    with blobs.size_reader() as reader:
        pid = reader._out.pid
        assert reader.sizes([a]) == {a: 10}
        assert reader.sizes([b, 'f' * 40, a]) == {a: 10, b: 20}  # unknown ids left out
        assert reader.sizes([]) == {}
        assert reader.sizes([a] * 3000) == {a: 10}  # more than a pipe holds, each way
        assert reader._out.pid == pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass  # git ended with the `with`
    else:
        raise AssertionError('cat-file still runs')
