"""The one process runner: environment, secrets on stdin, a bound in time, streamed output."""
from __future__ import annotations

import os
import time

import pytest

from pushguard import _process


def test_a_given_environment_replaces_ours():
    code, out, _ = _process.run(('sh', '-c', 'echo "$ONLY_HERE-$HOME"'),
                                env={'PATH': os.environ['PATH'], 'ONLY_HERE': 'yes'})
    assert (code, out) == (0, b'yes-\n')


def test_stdin_reaches_the_program_and_not_its_arguments():
    code, out, _ = _process.run(('sh', '-c', 'read secret; echo "${#secret} $#"'),
                                stdin=b'hunter2\n')
    assert (code, out) == (0, b'7 0\n')


def test_a_program_past_its_time_is_stopped():
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        _process.run(('sleep', '30'), timeout=0.3)
    assert time.monotonic() - started < 10


def test_streamed_output_and_the_exit_status_after_it():
    with _process.streamed(('sh', '-c', 'cat; echo oops >&2; exit 3'), b'a\nb\n') as (out, finish):
        assert out.read() == b'a\nb\n'
        assert finish() == (3, b'oops\n')


def test_a_reader_that_leaves_early_does_not_wait_for_the_program():
    started = time.monotonic()
    with pytest.raises(RuntimeError):
        with _process.streamed(('sh', '-c', 'echo first; sleep 30'), b'') as (out, _):
            assert out.readline() == b'first\n'
            raise RuntimeError
    assert time.monotonic() - started < 10


def test_a_started_program_runs_while_the_caller_works():
    started = time.monotonic()
    finish = _process.start(('sh', '-c', 'sleep 0.5; echo out; echo err >&2; exit 3'))
    time.sleep(0.5)  # the caller's own work, done while the program sleeps
    assert finish() == (3, b'out\n', b'err\n')
    assert time.monotonic() - started < 0.95


def test_a_program_that_cannot_be_started_fails_at_the_start():
    with pytest.raises(FileNotFoundError):
        _process.start(('pushguard-no-such-program',))
