"""One Parquet file of bars: read it into a ``RATES_DTYPE`` array, write it atomically.

The file holds the ``RATES_DTYPE`` columns (``time`` as a UTC ``timestamp[s]``, so other tools
read real times) and key-value metadata saying which side the prices are and whether the
spread column is real. Pages are written with CRC32 checksums and verified when read (files
written before checksums were added have none to verify and read as before); a file that fails
verification or does not decode raises :class:`~mas.data.validation.CorruptDataError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from mas.data.atomic import write_parquet_atomically
from mas.data.validation import (
    CorruptDataError,
    candles_pass,
    check_candles,
    open_parquet,
    read_parquet,
    read_parquet_schema,
)
from mas.i18n.errors import InputError
from mas.terminal.types import RATES_DTYPE

PRICE_SIDES = ("bid", "ask")

_META_PRICE_SIDE = b"mas.price_side"
_META_HAS_SPREAD = b"mas.has_spread"
_META_SYMBOL = b"mas.symbol"
_META_TIMEFRAME = b"mas.timeframe"
_META_FORMAT = b"mas.format"
_FORMAT_VERSION = b"1"

_REQUIRED = ("time", "open", "high", "low", "close")
_ARROW_TYPES = {
    "time": pa.timestamp("s", tz="UTC"),
    "open": pa.float64(),
    "high": pa.float64(),
    "low": pa.float64(),
    "close": pa.float64(),
    "tick_volume": pa.uint64(),
    "spread": pa.int32(),
    "real_volume": pa.uint64(),
}


@dataclass(frozen=True)
class RatesFile:
    """The contents of one bar file."""

    rates: np.ndarray
    price_side: str
    has_spread: bool


def write_rates_file(
    path: Path, rates: np.ndarray, *, price_side: str, has_spread: bool, symbol: str, timeframe: str
) -> None:
    """Write ``rates`` to ``path`` atomically (see :mod:`mas.data.atomic`)."""
    if price_side not in PRICE_SIDES:
        raise InputError("rates_price_side", valid=", ".join(PRICE_SIDES), value=price_side)
    rates = np.asarray(rates, dtype=RATES_DTYPE)
    columns = {name: pa.array(rates[name], type=_ARROW_TYPES[name]) for name in RATES_DTYPE.names}
    columns["time"] = pa.array(rates["time"], type=pa.int64()).cast(_ARROW_TYPES["time"])
    metadata = {
        _META_FORMAT: _FORMAT_VERSION,
        _META_PRICE_SIDE: price_side.encode(),
        _META_HAS_SPREAD: b"true" if has_spread else b"false",
        _META_SYMBOL: symbol.encode(),
        _META_TIMEFRAME: timeframe.encode(),
    }
    write_parquet_atomically(path, pa.table(columns).replace_schema_metadata(metadata))


def read_rates_file(path: Path, *, checked: bool = True) -> RatesFile:
    """Read a bar file into a ``RATES_DTYPE`` array (pyarrow straight to numpy, no pandas).

    Page checksums are always verified. When ``checked``, the candles must also pass
    :func:`~mas.data.validation.check_candles` (times strictly increasing, valid and plausible
    prices); quality checks pass False to read files as they are.

    The file is opened once and read a row group at a time (a row group of more than :data:`GROUP_ROWS` rows, a
    column at a time): what is decoded beside the array stays a fraction of it. Each part is checked on its
    decoded columns (contiguous, where the array's fields are strided) and copied into the array in blocks that
    stay in the CPU cache; a part that fails is described by :func:`~mas.data.validation.check_candles` on the
    whole array (the same message as for the whole file).
    """
    with open_parquet(path) as parquet:
        schema = parquet.schema_arrow
        missing = [name for name in _REQUIRED if name not in schema.names]
        if missing:
            raise CorruptDataError(path, f"not a bar file, missing column(s) {', '.join(missing)}")
        present = [name for name in RATES_DTYPE.names if name in schema.names]
        metadata = parquet.metadata
        rates = np.empty(metadata.num_rows, dtype=RATES_DTYPE)  # every field is written below: no zeroing pass
        for name in RATES_DTYPE.names:
            if name not in present:
                rates[name] = 0
        passed = True
        previous_time: int | None = None
        previous_close: float | None = None
        at = 0
        for group in range(metadata.num_row_groups):
            rows = metadata.row_group(group).num_rows
            part = rates[at:at + rows]
            if rows <= GROUP_ROWS:
                table = parquet.read_row_group(group, columns=present)
                columns = [_values(path, parquet, table.column(name), name, rows) for name in present]
                del table
                _copy_in_blocks(part, present, columns)
                # _REQUIRED come first, in RATES_DTYPE's order; a column stored in another type (float32 prices) is
                # checked as the array holds it
                times, open_, high, low, close = (values if values.dtype == RATES_DTYPE[name] else part[name]
                                                  for name, values in zip(_REQUIRED, columns, strict=False))
            else:  # one row group of a large file written whole: decoded a column at a time
                for name in present:
                    part[name] = _values(path, parquet, parquet.read_row_group(group, columns=[name]).column(name),
                                         name, rows)
                times, open_, high, low, close = (part[name] for name in _REQUIRED)
            columns = []
            if checked and passed and rows:
                passed = candles_pass(times, open_, high, low, close, previous_time, previous_close)
                previous_time, previous_close = int(times[-1]), float(close[-1])
            del times, open_, high, low, close
            at += rows
    pa.default_memory_pool().release_unused()  # arrow's pool keeps what it freed: give it back
    if at != rates.size:
        raise CorruptDataError(path, f"row groups hold {at} rows, not {rates.size}")
    if not passed:
        check_candles(rates, path)
    price_side, has_spread = _price_flags(schema)
    return RatesFile(rates=rates, price_side=price_side, has_spread=has_spread)


GROUP_ROWS = 1 << 21
"""A row group of up to this many rows is decoded whole (all its columns at once, about 60 bytes a row); a larger
one (files written in one row group) a column at a time, so a load never decodes much beside its array."""

_BLOCK_ROWS = 8192
"""Rows copied into the array per block: a block of the array (60 bytes a row) stays in the CPU cache while every
column is written into it, where a whole column at a time would pass over the array once per column."""


def _values(path: Path, parquet: pq.ParquetFile, column: pa.ChunkedArray, name: str, rows: int) -> np.ndarray:
    """One column of one row group as numpy (epoch seconds for ``time``); missing values or a wrong length are a
    :class:`~mas.data.validation.CorruptDataError` (the count of missing values is the whole file's)."""
    if column.null_count:
        nulls = parquet.read(columns=[name]).column(name).null_count
        raise CorruptDataError(path, f"column {name} has {nulls} missing value(s)")
    if len(column) != rows:
        raise CorruptDataError(path, f"column {name} has {len(column)} rows, not {rows}")
    if name == "time":
        return _epoch_seconds(column)
    return column.chunk(0).to_numpy() if column.num_chunks == 1 else column.to_numpy()


def _copy_in_blocks(part: np.ndarray, names: list[str], columns: list[np.ndarray]) -> None:
    """Write ``columns`` (one per field of ``names``) into the ``RATES_DTYPE`` rows ``part``."""
    size = part.size
    for start in range(0, size, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, size)
        block = part[start:stop]
        for name, values in zip(names, columns, strict=True):
            block[name] = values[start:stop]


def read_price_flags(path: Path) -> tuple[str, bool]:
    """``(price_side, has_spread)`` of a bar file, from its metadata only (bid, False if absent)."""
    return _price_flags(read_parquet_schema(path))


def _price_flags(schema: pa.Schema) -> tuple[str, bool]:
    metadata = schema.metadata or {}
    return metadata.get(_META_PRICE_SIDE, b"bid").decode(), metadata.get(_META_HAS_SPREAD) == b"true"


def read_rates_times(path: Path) -> np.ndarray:
    """The ``time`` column of a bar file as int64 epoch seconds (reads nothing else)."""
    return _epoch_seconds(read_parquet(path, columns=["time"]).column("time"))


_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
"""Units of a Parquet timestamp per second (the store's ``timestamp[s]`` times are kept in milliseconds)."""


def _epoch_seconds(column: pa.ChunkedArray) -> np.ndarray:
    """A time column (int64 seconds, or a timestamp of any unit) as int64 epoch seconds."""
    kind = column.type
    if pa.types.is_timestamp(kind) and kind.unit in _PER_SECOND and column.num_chunks == 1:
        ticks = column.chunk(0).to_numpy().view(np.int64)  # datetime64 without a copy: its int64 count
        per_second = _PER_SECOND[kind.unit]
        if per_second == 1:
            return ticks
        seconds = ticks // per_second
        if not (seconds * per_second != ticks).any():  # whole seconds (as the store writes): no rounding to do
            return seconds
    if pa.types.is_timestamp(kind):
        column = column.cast(pa.timestamp("s", tz=kind.tz), safe=False).cast(pa.int64())
    return column.to_numpy().astype(np.int64, copy=False)
