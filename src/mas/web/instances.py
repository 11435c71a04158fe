"""Which app processes are alive: each holds a lock file for its lifetime, so a run it left unfinished can be
told from a run another live process (a second ``mas ui`` on the same ``$MAS_HOME``) is still working on.

The operating system releases the lock when the process ends in any way (exit, crash, SIGKILL), so a lock that
can be taken belongs to a process that is gone.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from filelock import FileLock, Timeout

__all__ = ["Instance", "instance_alive"]


class Instance:
    """This process's identity for the runs it starts; ``release()`` (or exiting) gives it up."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.id = uuid.uuid4().hex
        self._lock = FileLock(self.folder / f"{self.id}.lock")
        self._lock.acquire(timeout=0)

    def release(self) -> None:
        """Give up this app's lock file (at shutdown); idempotent."""
        if self._lock.is_locked:
            self._lock.release()
            (self.folder / f"{self.id}.lock").unlink(missing_ok=True)


def instance_alive(folder: Path, ident: str | None) -> bool:
    """True while the process that took ``ident`` holds its lock (a run with no owner has none alive)."""
    if not ident or not all(c in "0123456789abcdef" for c in ident):
        return False
    path = Path(folder) / f"{ident}.lock"
    if not path.exists():
        return False
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    path.unlink(missing_ok=True)
    return False
