"""git's output read as it comes, so that a big diff or many blobs never sit in memory whole."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from pushguard._typing import TYPE_CHECKING
from pushguard.errors import GitError
from pushguard.git import failure_message

if TYPE_CHECKING:
    from typing import IO


@contextlib.contextmanager
def streamed(*args: str, stdin: bytes) -> Iterator[IO[bytes]]:
    """Run git with its stdout read as it comes, so a big diff never sits in memory whole."""
    import subprocess
    import tempfile
    # stdin and stderr are files, not pipes: git answers each line as it reads it, so writing a
    # long input (2,000 shas) to a pipe while nobody reads git's full stdout deadlocks both
    with tempfile.TemporaryFile() as feed, tempfile.TemporaryFile() as said:
        feed.write(stdin)
        feed.seek(0)
        proc = subprocess.Popen(('git', *args), stdin=feed, stdout=subprocess.PIPE, stderr=said)
        assert proc.stdout is not None
        read_to_the_end = False
        try:
            yield proc.stdout
            read_to_the_end = True
        finally:
            proc.stdout.close()
            if not read_to_the_end:  # the reader stopped early: git's failure is not news
                proc.kill()
            if proc.wait() != 0 and read_to_the_end:
                said.seek(0)
                raise GitError(failure_message(('git', *args), proc.returncode, said.read()))
