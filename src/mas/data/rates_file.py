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

from mas.data.atomic import write_parquet_atomically
from mas.data.validation import CorruptDataError, check_candles, read_parquet, read_parquet_schema
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
    """
    schema = read_parquet_schema(path)
    missing = [name for name in _REQUIRED if name not in schema.names]
    if missing:
        raise CorruptDataError(path, f"not a bar file, missing column(s) {', '.join(missing)}")
    rates: np.ndarray | None = None
    # one column at a time: the file's decoded columns beside the array would double the memory of a load
    for name in RATES_DTYPE.names:
        if name not in schema.names:
            continue
        column = read_parquet(path, columns=[name]).column(name)
        if rates is None:
            rates = np.zeros(len(column), dtype=RATES_DTYPE)
        if column.null_count:
            raise CorruptDataError(path, f"column {name} has {column.null_count} missing value(s)")
        if len(column) != rates.size:
            raise CorruptDataError(path, f"column {name} has {len(column)} rows, not {rates.size}")
        rates[name] = _epoch_seconds(column) if name == "time" else column.to_numpy()
        del column
    pa.default_memory_pool().release_unused()  # arrow's pool keeps what it freed: give it back
    assert rates is not None
    if checked:
        check_candles(rates, path)

    price_side, has_spread = _price_flags(schema)
    return RatesFile(rates=rates, price_side=price_side, has_spread=has_spread)


def read_price_flags(path: Path) -> tuple[str, bool]:
    """``(price_side, has_spread)`` of a bar file, from its metadata only (bid, False if absent)."""
    return _price_flags(read_parquet_schema(path))


def _price_flags(schema: pa.Schema) -> tuple[str, bool]:
    metadata = schema.metadata or {}
    return metadata.get(_META_PRICE_SIDE, b"bid").decode(), metadata.get(_META_HAS_SPREAD) == b"true"


def read_rates_times(path: Path) -> np.ndarray:
    """The ``time`` column of a bar file as int64 epoch seconds (reads nothing else)."""
    return _epoch_seconds(read_parquet(path, columns=["time"]).column("time"))


def _epoch_seconds(column: pa.ChunkedArray) -> np.ndarray:
    """A time column (int64 seconds, or a timestamp of any unit) as int64 epoch seconds."""
    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.timestamp("s", tz=column.type.tz), safe=False).cast(pa.int64())
    return column.to_numpy().astype(np.int64, copy=False)
