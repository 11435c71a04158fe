"""Atomic file writes: a temp file in the same folder, fsync, ``os.replace``.

A crash or an error at any point leaves either the old file or the new one, never a mix. An error
removes the temp file; a killed process leaves it (``.<name>.<hex>.tmp``), and the next writer of
the file removes it (see :mod:`mas.data.locking`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Create or replace ``path`` with what ``write`` writes to a binary file object."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp_path = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temp_path, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_path, path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def write_bytes_atomically(path: Path, content: bytes) -> None:
    """Create or replace ``path`` with ``content``."""
    write_atomically(path, lambda out: out.write(content))


def write_parquet_atomically(path: Path, table: pa.Table, encodings: dict[str, str] | None = None,
                             compression: str = "zstd") -> None:
    """Create or replace ``path`` with ``table`` as Parquet with page checksums (CRC32), zstd-compressed unless
    ``compression`` names another codec (``"lz4"``). ``encodings``: the Parquet encoding of some columns
    (``{"time_msc": "DELTA_BINARY_PACKED"}``); the others are dictionary-encoded, as by default."""
    options: dict = {}
    if encodings:
        options["column_encoding"] = encodings
        options["use_dictionary"] = [name for name in table.column_names if name not in encodings]
    write_atomically(path, lambda out: pq.write_table(table, out, compression=compression, write_page_checksum=True,
                                                      **options))


def _fsync_directory(directory: Path) -> None:
    """Persist a rename on POSIX file systems (Windows cannot open directories; skip there)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
