"""Advisory locks (flock) on folders: builds of one site take turns, and a build leaves alone the
temporary folder another live build is writing. Where no lock can be taken (Windows, a folder that is
gone, a file system without locks), nothing is kept apart and nothing waits."""
from __future__ import annotations

import os
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:
    fcntl = None


class Lock(Enum):
    TAKEN = "taken"
    WAITED = "waited"  # taken after another process let go of it
    BUSY = "busy"  # another process holds it, and this one did not wait
    NONE = "none"  # no lock to take here


@contextmanager
def folder_lock(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[Lock]:
    """The folder locked while the block runs. With ``waiting`` (called once, to say so), a lock
    another process holds is waited for; without, the block runs at once with Lock.BUSY."""
    if fcntl is None:
        yield Lock.NONE
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        yield Lock.NONE
        return
    try:
        yield _take(handle, waiting)
    finally:
        os.close(handle)


def _take(handle: int, waiting: Callable[[], None] | None) -> Lock:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return Lock.TAKEN
    except BlockingIOError:
        if waiting is None:
            return Lock.BUSY
        waiting()
    except OSError:
        return Lock.NONE
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError:  # a lock the file system cannot wait for: go on, as without locks
        return Lock.NONE
    return Lock.WAITED


def in_use(folder: Path) -> bool:
    """Whether a running process holds ``folder``'s lock; a killed build's holds none."""
    with folder_lock(folder) as lock:
        return lock is Lock.BUSY
