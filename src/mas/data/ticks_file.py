"""One Parquet file of ticks: read it into a ``TICKS_DTYPE`` array, write it atomically.

The file holds the ``TICKS_DTYPE`` columns except ``time`` (it is ``time_msc // 1000``), with
``time_msc`` as a UTC ``timestamp[ms]`` (delta-encoded) so that other tools read real times. Pages carry CRC32
checksums, verified when read (see :func:`mas.data.validation.read_parquet`). New files are LZ4-compressed with
required (never null) columns: read in under half the time of zstd with nullable columns (zstd makes a
decompression context per page; a nullable column decodes a definition level per tick), for a few per cent more
bytes. Files written before (zstd, nullable columns) read the same.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from mas.data.atomic import write_parquet_atomically
from mas.data.validation import CorruptDataError, read_parquet, read_parquet_rows
from mas.terminal.types import TICKS_DTYPE

_META_KIND = b"mas.kind"
_META_SYMBOL = b"mas.symbol"
_META_FORMAT = b"mas.format"
_FORMAT_VERSION = b"1"

_TIME = pa.timestamp("ms", tz="UTC")
_ENCODINGS = {"time_msc": "DELTA_BINARY_PACKED"}
"""Tick times are written as deltas (a tick's step from the one before is small): files a third of the size of
dictionary-then-plain times, read faster. Files written before (plain times) read the same."""
_ARROW_TYPES = {
    "bid": pa.float64(),
    "ask": pa.float64(),
    "last": pa.float64(),
    "volume": pa.uint64(),
    "flags": pa.uint32(),
    "volume_real": pa.float64(),
}
_SCHEMA = pa.schema([pa.field("time_msc", _TIME, nullable=False)]
                    + [pa.field(name, kind, nullable=False) for name, kind in _ARROW_TYPES.items()])
"""The columns of a new file: required (no definition levels to decode)."""
_COMPRESSION = "lz4"


def write_ticks_file(path: Path, ticks: np.ndarray, *, symbol: str) -> None:
    """Write ``ticks`` to ``path`` atomically (see :mod:`mas.data.atomic`)."""
    ticks = np.asarray(ticks, dtype=TICKS_DTYPE)
    columns = [pa.array(ticks["time_msc"], type=pa.int64()).cast(_TIME)]
    columns += [pa.array(ticks[name], type=kind) for name, kind in _ARROW_TYPES.items()]
    metadata = {_META_FORMAT: _FORMAT_VERSION, _META_KIND: b"ticks", _META_SYMBOL: symbol.encode()}
    table = pa.Table.from_arrays(columns, schema=_SCHEMA.with_metadata(metadata))
    write_parquet_atomically(path, table, _ENCODINGS, _COMPRESSION)


def read_ticks_file(path: Path) -> np.ndarray:
    """Read a tick file into a ``TICKS_DTYPE`` array."""
    table = read_tick_table(path)
    ticks = np.zeros(table.num_rows, dtype=TICKS_DTYPE)
    fill_ticks(ticks, table)
    return ticks


def read_tick_table(path: Path) -> pa.Table:
    """Read a tick file's table (checked: it has the tick columns; every page's checksum verified), to be copied
    into ticks by :func:`fill_ticks` or taken as columns by :func:`table_columns`. A file that fails the checksums
    or does not decode is a :class:`CorruptDataError` (a missing file stays FileNotFoundError)."""
    table = read_parquet(path)
    missing = [name for name in ("time_msc", "bid", "ask") if name not in table.column_names]
    if missing:
        raise CorruptDataError(path, f"not a tick file, missing column(s) {', '.join(missing)}")
    return table


def tick_file_rows(path: Path) -> int:
    """How many ticks a tick file holds (its footer only); a footer that does not decode is a
    :class:`CorruptDataError`."""
    return read_parquet_rows(path)


def table_columns(table: pa.Table, start: int, end: int, times: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Rows ``start`` to ``end`` of a tick file's table as columns (:data:`mas.data.tick_columns.FIELDS` that the
    file has; read-only views of the table's buffers where the types allow); ``times`` is :func:`table_times`
    when already read. Besides times, bids and asks, a column that is zero (every bit) throughout is left out:
    it reads as zeros all the same, and is not kept in memory (forex ticks have no last price nor volumes)."""
    columns = {"time_msc": (table_times(table) if times is None else times)[start:end]}
    for name in _ARROW_TYPES:
        if name in table.column_names:  # sliced before the conversion: a cast converts only the rows wanted
            values = table.column(name).to_numpy()[start:end].astype(TICKS_DTYPE[name], copy=False)
            if name in ("bid", "ask") or values.view(f"u{values.itemsize}").any():
                columns[name] = values
    return columns


def table_times(table: pa.Table) -> np.ndarray:
    """The ``time_msc`` column of a tick file's table as int64 epoch milliseconds."""
    return _epoch_ms(table.column("time_msc"))


def fill_ticks(out: np.ndarray, table: pa.Table, start: int = 0, times: np.ndarray | None = None) -> None:
    """Write the table's rows ``start`` to ``start + len(out)`` into ``out`` (``TICKS_DTYPE``; columns the file
    lacks are left as they are); ``times`` is :func:`table_times` when already read."""
    end = start + len(out)
    time_msc = (table_times(table) if times is None else times)[start:end]
    out["time_msc"] = time_msc
    out["time"] = time_msc // 1000
    for name in _ARROW_TYPES:
        if name in table.column_names:
            out[name] = table.column(name).slice(start, len(out)).to_numpy()


def read_tick_times(path: Path) -> np.ndarray:
    """The ``time_msc`` column of a tick file as int64 epoch milliseconds."""
    return _epoch_ms(read_parquet(path, columns=["time_msc"]).column("time_msc"))


def _epoch_ms(column: pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.timestamp("ms", tz=column.type.tz), safe=False).cast(pa.int64())
    return column.to_numpy().astype(np.int64, copy=False)
