"""Both cores for a big scan (`_secret_pool`): a forked helper scans some file diffs, the
results come out in the stream's order, and a helper that fails costs only speed."""
from __future__ import annotations

import os
import time

import pytest

from pushguard.checks import _secret_pool
from pushguard.checks._secret_scan import find_secrets
from pushguard.model import AddedLines
from secrets_test import AWS_KEY, OTHER_KEY
from secret_reduce_test import FILLER

PARENT = os.getpid()


def _handed(monkeypatch) -> list[object]:
    handed: list[object] = []
    hand = _secret_pool._Helper.hand

    def counting(self, entry, work, slot):
        handed.append(entry[0])
        return hand(self, entry, work, slot)
    monkeypatch.setattr(_secret_pool._Helper, 'hand', counting)
    return handed


def _stream() -> list[AddedLines]:
    files = []
    for n in range(60):
        lines = [*FILLER[:n % 7], f'k = "{AWS_KEY if n % 2 else OTHER_KEY}"', *FILLER[:3]]
        if n % 5 == 0:
            lines = FILLER[:4]  # nothing to find
        files.append(AddedLines(f'{n:040x}', 'refs/heads/main', f'src/m{n}.py',
                                tuple(enumerate(lines, start=n + 1))))
    return files


def _found(tmp_path) -> list[tuple[str, str, int]]:
    baseline = str(tmp_path / '.secrets.baseline')
    return [(added.path, hit.identity, hit.line)
            for added, hit in find_secrets(_stream(), baseline)]


def test_a_scan_shared_with_a_helper_finds_the_same_in_the_same_order(tmp_path, monkeypatch):
    monkeypatch.setattr(_secret_pool, 'START', float('inf'))
    alone = _found(tmp_path)
    assert len(alone) == 48
    handed = _handed(monkeypatch)
    monkeypatch.setattr(_secret_pool, 'START', 0.0)
    assert _found(tmp_path) == alone
    assert handed  # the helper did scan some


def _slow_in_helper(item: int, slot: str) -> tuple[int, str]:
    if os.getpid() != PARENT:
        time.sleep(0.01)
    return item * 2, slot


@pytest.mark.parametrize('fate', ('dies', 'raises', 'fine'))
def test_a_helper_that_fails_costs_only_speed(monkeypatch, fate):
    handed = _handed(monkeypatch)
    monkeypatch.setattr(_secret_pool, 'START', 0.0)

    def work(item: int, slot: str) -> tuple[int, str]:
        if os.getpid() != PARENT and item > 5:
            if fate == 'dies':
                os._exit(3)
            if fate == 'raises':
                raise RuntimeError('no')
        return _slow_in_helper(item, slot)
    results = list(_secret_pool.scanned(range(200), work, 'slot'))
    assert [item for item, _ in results] == list(range(200))
    assert all(result[0] == item * 2 for item, result in results)
    assert {result[1] for _, result in results} <= {'slot', 'slot-helper'}
    assert handed


def test_an_error_in_the_work_is_raised_here(monkeypatch):
    monkeypatch.setattr(_secret_pool, 'START', 0.0)

    def work(item: int, slot: str) -> int:
        if item == 50:
            raise ValueError('bad item')
        return item
    with pytest.raises(ValueError, match='bad item'):
        list(_secret_pool.scanned(range(100), work, 'slot'))


def test_big_items_and_big_answers_cannot_leave_both_processes_waiting(monkeypatch):
    """Both pipes full at once (an item bigger than the pipe, answers bigger still): the
    handing over reads the helper's answers while it waits to write."""
    import signal
    monkeypatch.setattr(_secret_pool, 'START', 0.0)
    monkeypatch.setattr(_secret_pool, 'PIPE_SIZE', 1 << 16)

    def work(item: str, slot: str) -> str:
        return item * 3
    items = [chr(97 + n % 26) * (3 << 20) for n in range(12)]
    signal.alarm(120)  # a wait for ever fails the test instead of hanging it
    try:
        results = list(_secret_pool.scanned(items, work, 'slot'))
    finally:
        signal.alarm(0)
    assert [result for _, result in results] == [item * 3 for item in items]


def test_a_scan_known_to_be_big_shares_its_work_from_the_start(tmp_path, monkeypatch):
    monkeypatch.setattr(_secret_pool, 'START', 3600.0)
    alone = _found(tmp_path)
    handed = _handed(monkeypatch)
    baseline = str(tmp_path / '.secrets.baseline')
    shared = [(added.path, hit.identity, hit.line)
              for added, hit in find_secrets(_stream(), baseline, big=True)]
    assert shared == alone
    assert handed and handed[0] == _stream()[1]  # from the second file diff on


def test_no_helper_is_forked_while_other_threads_run(monkeypatch):
    import threading
    monkeypatch.setattr(_secret_pool, 'START', 0.0)
    handed = _handed(monkeypatch)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        results = list(_secret_pool.scanned(range(50), _slow_in_helper, 'slot'))
    finally:
        release.set()
        waiting.join()
    assert [result for _, result in results] == [(n * 2, 'slot') for n in range(50)]
    assert not handed


def test_this_process_reads_no_further_ahead_than_allowed(monkeypatch):
    """A helper slow on one file diff: the stream is read at most AHEAD file diffs past it."""
    monkeypatch.setattr(_secret_pool, 'START', 0.0)
    monkeypatch.setattr(_secret_pool, 'AHEAD', 5)
    read: list[int] = []

    def stream():
        for n in range(40):
            read.append(n)
            yield n

    def work(item: int, slot: str) -> int:
        if os.getpid() != PARENT and item == 0:
            time.sleep(0.5)
        return item
    first = next(_secret_pool.scanned(stream(), work, 'slot'))
    assert first == (0, 0)
    assert len(read) <= 1 + 5 + 1
