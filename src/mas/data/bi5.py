"""Dukascopy ``.bi5`` files: LZMA-compressed arrays of big-endian records.

Day candle files (``BID_candles_min_1.bi5``, ``ASK_candles_min_1.bi5``) hold 24-byte records:
seconds from midnight UTC, open, close, low, high (int32, in points) and volume (float32, in
millions of units). Hour tick files (``HHh_ticks.bi5``) hold 20-byte records: milliseconds from
the start of the hour (UTC), ask, bid (int32, in points), ask volume and bid volume (float32, in
millions). A point is ``10**-digits`` of the symbol. An empty file means no data.

Mapping into MT5 arrays (documented choices):

- candles: ``tick_volume = ceil(volume)`` (so every traded minute counts at least 1) and
  ``real_volume = round(volume * 10**6)`` (units); ``spread`` = 0 (a candle file has one side).
- ticks: ``volume_real = ask volume + bid volume`` (millions), ``volume`` = 0, flags as in
  :mod:`mas.data.ticks`.
"""

from __future__ import annotations

import lzma

import numpy as np

from mas.data.points import points_to_prices
from mas.data.ticks import make_ticks
from mas.i18n.errors import Text
from mas.terminal.types import RATES_DTYPE

CANDLE_RECORD = np.dtype(
    [("seconds", ">i4"), ("open", ">i4"), ("close", ">i4"), ("low", ">i4"), ("high", ">i4"), ("volume", ">f4")]
)
"""One minute candle of a day file (24 bytes)."""

TICK_RECORD = np.dtype([("ms", ">i4"), ("ask", ">i4"), ("bid", ">i4"), ("ask_volume", ">f4"), ("bid_volume", ">f4")])
"""One tick of an hour file (20 bytes)."""


class Bi5Error(ValueError):
    """A ``.bi5`` payload that cannot be decoded; names where it came from and what is wrong."""


def decode_records(data: bytes, record: np.dtype, source: str) -> np.ndarray:
    """The records of a compressed ``.bi5`` payload (empty payload: no records)."""
    if not data:
        return np.empty(0, dtype=record)
    try:
        raw = lzma.decompress(data, format=lzma.FORMAT_AUTO)
    except lzma.LZMAError as error:
        raise Bi5Error(Text("bi5_not_lzma", source=source, reason=str(error))) from None
    if len(raw) % record.itemsize:
        raise Bi5Error(Text("bi5_truncated", source=source, size=len(raw), record=record.itemsize))
    return np.frombuffer(raw, dtype=record)


def candles_to_rates(records: np.ndarray, day_start: int, digits: int) -> np.ndarray:
    """Candle records of the day starting at ``day_start`` (epoch seconds) as ``RATES_DTYPE``."""
    rates = np.zeros(records.size, dtype=RATES_DTYPE)
    rates["time"] = day_start + records["seconds"].astype(np.int64)
    for name in ("open", "high", "low", "close"):
        rates[name] = points_to_prices(records[name], digits)
    volume = records["volume"].astype(np.float64)
    rates["tick_volume"] = np.ceil(np.clip(volume, 0, None))
    rates["real_volume"] = np.rint(np.clip(volume, 0, None) * 1e6)
    return rates


def records_to_ticks(records: np.ndarray, hour_start: int, digits: int) -> np.ndarray:
    """Tick records of the hour starting at ``hour_start`` (epoch seconds) as ``TICKS_DTYPE``."""
    return make_ticks(
        hour_start * 1000 + records["ms"].astype(np.int64),
        points_to_prices(records["bid"], digits),
        points_to_prices(records["ask"], digits),
        volume_real=records["ask_volume"].astype(np.float64) + records["bid_volume"].astype(np.float64),
    )
