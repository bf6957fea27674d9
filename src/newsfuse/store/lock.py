"""The writer lock of a store: an exclusive ``flock`` on ``<db>.lock``, so one process writes at a time.

The lock file holds the holder's pid (for the message a waiting writer prints).  The kernel drops
the lock when its holder exits, even by ``kill -9``, so a crash never leaves a store locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable

from newsfuse.errors import StoreError

WRITER_WAIT = 3600.0  # a second writer waits this long for the first one's run to end before giving up
_POLL = 0.2  # seconds between tries of a held lock


class WriterLock:
    """A re-entrant writer lock for the database at ``path``: ``acquire`` waits up to ``wait``
    seconds for another process to release it (calling ``on_wait`` once, with a message saying
    why), then raises ``StoreError``."""

    def __init__(self, path: str, *, wait: float = WRITER_WAIT, on_wait: Callable[[str], None] | None = None) -> None:
        self.path, self.wait, self.on_wait = path, wait, on_wait
        self._fd: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        if self._depth == 0:
            self._fd = self._take()
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth <= 0 and self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd, self._depth = None, 0

    def close(self) -> None:
        """Release the lock however often it was acquired."""
        self._depth = 0
        self.release()

    def _take(self) -> int:
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline, told = time.monotonic() + self.wait, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreError(
                        f"another newsfuse process (pid {holder}) is still writing to {self.path}"
                        f" after {self.wait:g} s; try again when it has finished"
                    ) from None
                if not told and self.on_wait is not None:
                    self.on_wait(f"waiting for another newsfuse process (pid {holder}) writing to {self.path}")
                told = True
                time.sleep(_POLL)
                continue
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            return fd
