"""A minimal writer of Dukascopy ``.bi5`` payloads, for building test fixtures only.

Layouts (big-endian): candles ``>iiiiif`` (seconds from midnight, open, close, low, high in
points, volume); ticks ``>iiiff`` (milliseconds from the hour, ask, bid in points, ask volume,
bid volume). Payloads are LZMA "alone" streams, as Dukascopy serves them.
"""

from __future__ import annotations

import lzma
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

CANDLE = struct.Struct(">iiiiif")
TICK = struct.Struct(">iiiff")


def encode_candles(rows: Iterable[Sequence[float]]) -> bytes:
    """Rows of (seconds, open, close, low, high, volume) as a compressed candle file."""
    return _compress(b"".join(CANDLE.pack(*row) for row in rows))


def encode_ticks(rows: Iterable[Sequence[float]]) -> bytes:
    """Rows of (ms, ask, bid, ask_volume, bid_volume) as a compressed tick file."""
    return _compress(b"".join(TICK.pack(*row) for row in rows))


def datafeed_path(symbol: str, year: int, month: int, day: int, name: str) -> str:
    """The relative path of a file in Dukascopy's tree (``month`` is 1-based here, 0-based there)."""
    return f"{symbol}/{year:04d}/{month - 1:02d}/{day:02d}/{name}"


def write_datafeed_file(root: Path, relative_path: str, payload: bytes) -> Path:
    path = root / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return path


def _compress(raw: bytes) -> bytes:
    return lzma.compress(raw, format=lzma.FORMAT_ALONE) if raw else b""
