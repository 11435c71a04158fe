"""Files that hold account state (the live journal, the sim server's state): readable by the owner only."""

from __future__ import annotations

import os
from pathlib import Path


def private_file(path: Path) -> None:
    """Create ``path`` (and its folder) readable by the owner only; tighten an existing file of ours.
    SQLite gives its ``-wal`` and ``-shm`` files the main file's mode; ones left looser by an earlier
    run are tightened too. An existing file is never opened here: closing a descriptor of a file
    drops every POSIX lock this process holds on it, the locks of SQLite connections included."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            os.chmod(file, 0o600)
