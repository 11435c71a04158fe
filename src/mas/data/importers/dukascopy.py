"""Dukascopy ``.bi5`` files (see :mod:`mas.data.bi5` for the record layouts), in UTC.

A file's name says what it holds: ``BID_candles_min_1.bi5`` / ``ASK_candles_min_1.bi5`` (the M1
candles of one day) or ``HHh_ticks.bi5`` (the ticks of one hour). Its date comes from the
datafeed tree it sits in, ``.../SYMBOL/YYYY/MM/DD/<file>`` with zero-based months (January is
``00``), or is given explicitly. Record numbers (1-based) stand in for line numbers in reports.

Minutes without trading (volume 0: Dukascopy writes every minute of the day, weekends included,
repeating the last price) are not stored: MT5 has no bar where there was no tick.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np

from mas.data.bi5 import CANDLE_RECORD, TICK_RECORD, candles_to_rates, decode_records, records_to_ticks
from mas.data.importers.parsed import ParsedBars, ParsedTicks, finish_bars, finish_ticks, tz_offset_seconds
from mas.data.quality import RowCheck
from mas.i18n.errors import InputError, Text

CANDLES_NAME = re.compile(r"^(BID|ASK)_candles_min_1\.bi5$", re.IGNORECASE)
TICKS_NAME = re.compile(r"^(\d{2})h_ticks\.bi5$", re.IGNORECASE)


def is_dukascopy_file(path: Path) -> bool:
    """Whether ``path`` is named like a Dukascopy candle or tick file, or has the ``.bi5`` suffix."""
    return path.suffix.lower() == ".bi5"


def read_dukascopy_file(
    path: Path | str, digits: int, day: date | None = None, tz_offset_hours: float = 0.0
) -> ParsedBars | ParsedTicks:
    """Decode and check a Dukascopy candle or tick file into UTC bars or ticks."""
    path = Path(path)
    day = day if day is not None else datafeed_day(path)
    data = path.read_bytes()
    offset = tz_offset_seconds(tz_offset_hours)
    day_start = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
    if (match := CANDLES_NAME.match(path.name)) is not None:
        return candles_from_bi5(data, day_start - offset, digits, str(path), price_side=match[1].lower())
    if (match := TICKS_NAME.match(path.name)) is not None:
        hour = int(match[1])
        if hour > 23:
            raise InputError("duka_hour", path=str(path), hour=hour)
        return ticks_from_bi5(data, day_start + 3600 * hour - offset, digits, str(path))
    raise InputError("duka_not_name", path=str(path))


def candles_from_bi5(data: bytes, day_start: int, digits: int, source: str, *, price_side: str = "bid") -> ParsedBars:
    """The checked M1 bars of a compressed day candle file (day starting at ``day_start``, UTC)."""
    records = decode_records(data, CANDLE_RECORD, source)
    no_trading = RowCheck("no_trading", Text("quality_no_trading"), records["volume"] <= 0, False)
    return finish_bars(
        candles_to_rates(records, day_start, digits),
        np.arange(1, records.size + 1),
        "M1",
        price_side=price_side,
        has_spread=False,
        extra_checks=[no_trading],
    )


def ticks_from_bi5(data: bytes, hour_start: int, digits: int, source: str) -> ParsedTicks:
    """The checked ticks of a compressed hour tick file (hour starting at ``hour_start``, UTC)."""
    records = decode_records(data, TICK_RECORD, source)
    return finish_ticks(records_to_ticks(records, hour_start, digits), np.arange(1, records.size + 1))


def datafeed_day(path: Path) -> date:
    """The day of a file in Dukascopy's tree: ``.../YYYY/MM/DD/<file>``, months counted from 00."""
    parts = path.parts[-4:-1]
    try:
        year, month, day = (int(part) for part in parts)
        if len(parts) != 3 or not all(len(part) in (2, 4) for part in parts):
            raise ValueError
        return date(year, month + 1, day)
    except ValueError:
        raise InputError("duka_no_date", path=str(path), name=path.name) from None
