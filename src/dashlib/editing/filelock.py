"""A lock that spans processes: replicas of the app saving into one data folder.

The editor's compare-and-swap (refuse the save when the file's SHA-256 is no longer the one
the editor loaded) is only safe when no other process can write between the comparison and
the write. :func:`exclusive` holds an ``fcntl.flock`` on a lock file in the folder for that
span: a second process (another replica, or ``python -m dashlib`` on the server) waits for
the first save to finish, then sees the new digest and is refused. flock works on a local
disk and on NFSv4 (Linux emulates it with byte-range locks); the folder must be writable.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".dashlib-save.lock"  # starts with a dot: not a data file, not copied for trials


class LockTimeout(TimeoutError):
    """Another process held the lock longer than the timeout."""


@contextmanager
def exclusive(folder: Path, timeout: float = 60.0, name: str = LOCK_NAME) -> Iterator[Path]:
    """Hold the folder's lock for the ``with`` block (waits up to ``timeout`` seconds)."""
    path = folder / name
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o664)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"{path} is held by another process") from None
                time.sleep(0.05)
        try:
            yield path
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
