"""Per-file locks for the store, and removal of temp files that killed writers left behind.

Every read-merge-write of a store file runs under :func:`locked`: an OS file lock (``filelock``,
``flock`` on POSIX) on ``.<name>.lock`` next to the file, so two processes (or threads) saving to
the same file take turns and neither loses the other's rows. The lock is released by the OS when
its holder dies, so a killed writer never blocks the next one.

Temp files: :mod:`mas.data.atomic` writes ``.<name>.<hex>.tmp`` next to the file and renames it
over the file. Writers only write a file's temps while holding its lock, and a writer that
finishes (or fails with an exception) removes its temp; so a temp found by the next holder of the
lock was left by a writer that was killed, and :func:`locked` deletes it.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from mas.i18n.errors import Text

LOCK_TIMEOUT_SECONDS = 600.0
"""How long a writer waits for another process to finish writing the same file."""

_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[0-9a-f]{32}\.tmp$")


class StoreLockedError(OSError):
    """Another process held a store file's lock for longer than the wait allowed."""


def lock_path(target: Path) -> Path:
    """The lock file that guards ``target``: ``.<name>.lock`` in the same folder."""
    return target.with_name(f".{target.name}.lock")


@contextmanager
def locked(target: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[int]:
    """Hold ``target``'s lock (creating its folder), after deleting the temps that killed writers left.

    Yields how many temps were deleted. Not re-entrant: do not nest two ``locked`` of one file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(target), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise StoreLockedError(Text("lock_timeout", target=str(target), timeout=timeout,
                                    lock=str(lock_path(target)))) from None
    try:
        yield remove_temp_files(target)
    finally:
        lock.release()


def remove_temp_files(target: Path) -> int:
    """Delete ``target``'s temp files; the caller holds ``target``'s lock. Returns how many."""
    removed = 0
    for temp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        match = _TEMP_NAME.match(temp.name)
        if match and match["target"] == target.name:
            temp.unlink(missing_ok=True)
            removed += 1
    return removed


def clean_folder(folder: Path) -> int:
    """Delete the temps of every file in ``folder`` that killed writers left, each under its file's lock."""
    if not folder.is_dir():
        return 0
    targets = {match["target"] for temp in folder.glob(".*.tmp") if (match := _TEMP_NAME.match(temp.name))}
    removed = 0
    for name in sorted(targets):
        target = folder / name
        try:
            with locked(target, timeout=0) as cleaned:  # a file being written now is left alone
                removed += cleaned
        except StoreLockedError:
            continue
    return removed
