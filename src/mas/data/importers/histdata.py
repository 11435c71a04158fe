"""HistData.com "Generic ASCII" files: M1 bars and ticks, bid prices, no header.

- M1 bars: ``YYYYMMDD HHMMSS;open;high;low;close;volume`` (the stamp is the bar's open time).
- Ticks: ``YYYYMMDD HHMMSSmmm,bid,ask,volume``.

Time zone: HistData stamps are Eastern Standard Time *without* daylight saving, i.e. a fixed
UTC-5 all year. The importer converts them to UTC by adding 5 hours (``tz_offset_hours`` = -5,
the default; pass another offset only for files known to differ). Bars have no spread column
(the store marks them ``has_spread = False``); the volume column goes to ``tick_volume``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from mas.data.importers.parsed import ParsedBars, ParsedTicks, finish_bars, finish_ticks, tz_offset_seconds
from mas.data.importers.report import ImportFormatError
from mas.data.importers.text import TextRows, parse_iso_stamps, parse_numbers, read_lines, split_rows
from mas.data.ticks import make_ticks
from mas.terminal.types import RATES_DTYPE

HISTDATA_TZ_OFFSET_HOURS = -5.0
"""HistData's fixed EST (UTC-5, no daylight saving)."""

BARS_LINE = re.compile(r"^\d{8} \d{6};")
TICKS_LINE = re.compile(r"^\d{8} \d{9},")

_BARS_STAMP = "YYYYMMDD HHMMSS"
_TICKS_STAMP = "YYYYMMDD HHMMSSmmm"


def is_histdata_bars(line: str) -> bool:
    """Whether ``line`` looks like a row of a HistData M1 file."""
    return bool(BARS_LINE.match(line.lstrip("\ufeff")))


def is_histdata_ticks(line: str) -> bool:
    """Whether ``line`` looks like a row of a HistData tick file."""
    return bool(TICKS_LINE.match(line.lstrip("\ufeff")))


def read_histdata_m1(path: Path | str, tz_offset_hours: float = HISTDATA_TZ_OFFSET_HOURS) -> ParsedBars:
    """Parse and check a HistData M1 file into UTC bid bars (see the module for the time zone)."""
    path = Path(path)
    offset = tz_offset_seconds(tz_offset_hours)
    rows = split_rows(path, read_lines(path), 1, ";", 6)
    rates = np.zeros(len(rows), dtype=RATES_DTYPE)
    rates["time"] = _parse_stamps(rows, _BARS_STAMP, "s") - offset
    for index, name in enumerate(("open", "high", "low", "close"), start=1):
        rates[name] = parse_numbers(path, rows.numbers, rows.columns[index], np.float64, name)
    rates["tick_volume"] = parse_numbers(path, rows.numbers, rows.columns[5], np.int64, "volume")
    return finish_bars(rates, rows.line_numbers, "M1", price_side="bid", has_spread=False)


def read_histdata_ticks(path: Path | str, tz_offset_hours: float = HISTDATA_TZ_OFFSET_HOURS) -> ParsedTicks:
    """Parse and check a HistData tick file into UTC ticks (see the module for the time zone)."""
    path = Path(path)
    offset_ms = tz_offset_seconds(tz_offset_hours) * 1000
    rows = split_rows(path, read_lines(path), 1, ",", 4)
    time_msc = _parse_stamps(rows, _TICKS_STAMP, "ms") - offset_ms
    bid = parse_numbers(path, rows.numbers, rows.columns[1], np.float64, "bid")
    ask = parse_numbers(path, rows.numbers, rows.columns[2], np.float64, "ask")
    volume = parse_numbers(path, rows.numbers, rows.columns[3], np.int64, "volume")
    ticks = make_ticks(time_msc, bid, ask, volume=volume, volume_real=volume)
    return finish_ticks(ticks, rows.line_numbers)


def _parse_stamps(rows: TextRows, layout: str, unit: str) -> np.ndarray:
    """Epoch times of ``YYYYMMDD HHMMSS[mmm]`` stamps; a malformed stamp names its line."""
    texts = [text.strip() for text in rows.columns[0]]
    width = len(layout)
    for number, text in zip(rows.numbers, texts, strict=True):
        if len(text) != width or text[8] != " ":
            raise ImportFormatError(rows.path, number, f"bad date/time {text!r}, expected {layout}")
    if unit == "ms":
        iso = [f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[9:11]}:{t[11:13]}:{t[13:15]}.{t[15:18]}" for t in texts]
    else:
        iso = [f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[9:11]}:{t[11:13]}:{t[13:15]}" for t in texts]
    return parse_iso_stamps(rows.path, rows.numbers, iso, unit, texts.__getitem__, layout)
