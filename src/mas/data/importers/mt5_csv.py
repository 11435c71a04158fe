"""MetaTrader 5 history exports (Symbols > Bars / Ticks > Export): tab-separated text.

Bars: header ``<DATE> <TIME> <OPEN> <HIGH> <LOW> <CLOSE> <TICKVOL> <VOL> <SPREAD>`` (daily and
higher exports have no ``<TIME>``), dates ``YYYY.MM.DD``, times ``HH:MM:SS``, bid prices, spreads
in points.

Ticks: header ``<DATE> <TIME> <BID> <ASK> <LAST> <VOLUME> <FLAGS>``, times ``HH:MM:SS.mmm``. A
tick leaves the bid or ask cell empty when that price did not change: it is carried forward from
the tick before. ``<FLAGS>`` is kept as MT5 wrote it.

Stamps are in the broker's server time: ``tz_offset_hours`` (e.g. 2 for GMT+2) is subtracted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mas.data.importers.parsed import (
    ParsedBars,
    ParsedTicks,
    finish_bars,
    finish_ticks,
    issues_from_checks,
    tz_offset_seconds,
)
from mas.data.importers.report import ImportFormatError
from mas.data.importers.text import (
    TextRows,
    parse_iso_stamps,
    parse_numbers,
    read_lines,
    sniff_delimiter,
    split_rows,
)
from mas.data.quality import RowCheck
from mas.data.ticks import make_ticks
from mas.data.timeframes import timeframe_name
from mas.i18n.errors import Text
from mas.terminal.types import RATES_DTYPE

REQUIRED_COLUMNS = ("<DATE>", "<OPEN>", "<HIGH>", "<LOW>", "<CLOSE>", "<TICKVOL>", "<VOL>", "<SPREAD>")
OPTIONAL_COLUMNS = ("<TIME>",)
TICK_COLUMNS = ("<DATE>", "<TIME>", "<BID>", "<ASK>", "<LAST>", "<VOLUME>")
OPTIONAL_TICK_COLUMNS = ("<FLAGS>",)

ParsedExport = ParsedBars
"""The former name of :class:`ParsedBars`."""

_HEADER_ORDER = (
    "<DATE>",
    "<TIME>",
    "<OPEN>",
    "<HIGH>",
    "<LOW>",
    "<CLOSE>",
    "<TICKVOL>",
    "<VOL>",
    "<SPREAD>",
    "<BID>",
    "<ASK>",
    "<LAST>",
    "<VOLUME>",
    "<FLAGS>",
)
_PRICE_FIELDS = ("open", "high", "low", "close")
_COUNT_FIELDS = {"tick_volume": "<TICKVOL>", "real_volume": "<VOL>", "spread": "<SPREAD>"}


def is_mt5_header(line: str) -> bool:
    """Whether ``line`` looks like the header of an MT5 bars or ticks export."""
    return line.lstrip("\ufeff").strip().upper().startswith("<DATE>")


def is_mt5_ticks_header(line: str) -> bool:
    """Whether ``line`` is the header of an MT5 ticks export."""
    names = _header_names(line)
    return "<BID>" in names and "<ASK>" in names


def read_mt5_csv(path: Path | str, timeframe: str, tz_offset_hours: float = 0.0) -> ParsedBars:
    """Parse and check an MT5 bars export; malformed rows raise :class:`ImportFormatError`.

    Invalid candles (high < low, prices <= 0, open or close outside [low, high]) are left out;
    duplicate times keep the later row; rows are sorted by time. Every such fix is reported.
    """
    path = Path(path)
    tf = timeframe_name(timeframe)
    offset = tz_offset_seconds(tz_offset_hours)
    lines = read_lines(path)
    delimiter, columns = _parse_header(path, lines[0], REQUIRED_COLUMNS, OPTIONAL_COLUMNS, "history export")
    rows = _split(path, lines, delimiter, len(columns), "bars")
    rates = np.zeros(len(rows), dtype=RATES_DTYPE)
    rates["time"] = _parse_times(rows, columns, "s", "YYYY.MM.DD HH:MM:SS") - offset
    for name in _PRICE_FIELDS:
        rates[name] = _column(rows, columns, f"<{name.upper()}>", np.float64, name)
    for name, header in _COUNT_FIELDS.items():
        maximum = int(np.iinfo(RATES_DTYPE[name]).max)
        rates[name] = _column(rows, columns, header, np.int64, name, maximum=maximum)
    return finish_bars(rates, rows.line_numbers, tf, price_side="bid", has_spread=True)


def read_mt5_ticks_csv(path: Path | str, tz_offset_hours: float = 0.0) -> ParsedTicks:
    """Parse and check an MT5 ticks export (empty bid/ask cells carry the previous price forward)."""
    path = Path(path)
    offset_ms = tz_offset_seconds(tz_offset_hours) * 1000
    lines = read_lines(path)
    delimiter, columns = _parse_header(path, lines[0], TICK_COLUMNS, OPTIONAL_TICK_COLUMNS, "ticks export")
    rows = _split(path, lines, delimiter, len(columns), "ticks")
    time_msc = _parse_times(rows, columns, "ms", "YYYY.MM.DD HH:MM:SS.mmm") - offset_ms
    bid, bid_known = _carried_forward(rows, columns, "<BID>", "bid")
    ask, ask_known = _carried_forward(rows, columns, "<ASK>", "ask")
    last, _ = _carried_forward(rows, columns, "<LAST>", "last")
    volume = _optional_numbers(rows, columns, "<VOLUME>", "volume")
    if np.any(volume < 0):
        number = rows.numbers[int(np.argmax(volume < 0))]
        raise ImportFormatError(path, number, "volume: negative volume")
    unknown = ~(bid_known & ask_known)
    ticks = make_ticks(time_msc, bid, ask, volume=np.rint(volume), volume_real=volume)
    ticks["last"] = last
    if "<FLAGS>" in columns:
        ticks["flags"] = _optional_numbers(rows, columns, "<FLAGS>", "flags", dtype=np.int64)
    line_numbers = rows.line_numbers
    no_price_yet = RowCheck("no_price_yet", Text("quality_no_price_yet"), unknown, False)
    parsed = finish_ticks(ticks[~unknown], line_numbers[~unknown])
    return ParsedTicks(
        ticks=parsed.ticks,
        rows_read=len(rows),
        issues=issues_from_checks([no_price_yet], line_numbers) + parsed.issues,
    )


def _header_names(line: str) -> list[str]:
    line = line.lstrip("\ufeff")
    return [name.strip().upper() for name in line.split(sniff_delimiter(line, "\t"))]


def _parse_header(
    path: Path, header: str, required: tuple[str, ...], optional: tuple[str, ...], what: str
) -> tuple[str, dict[str, int]]:
    """The delimiter and a column name -> index map, or an error showing the expected header."""
    delimiter = sniff_delimiter(header, "\t")
    names = _header_names(header)
    columns = {name: index for index, name in enumerate(names)}
    missing = [name for name in required if name not in columns]
    unknown = [name for name in names if name not in required + optional]
    if missing or unknown or len(columns) != len(names):
        expected = "\t".join(sorted(required + optional, key=_HEADER_ORDER.index))
        raise ImportFormatError(
            path, 1, f"not an MT5 {what}: expected the header {expected!r}, found {header.strip()!r}"
        )
    return delimiter, columns


def _split(path: Path, lines: list[str], delimiter: str, width: int, what: str) -> TextRows:
    if not any(line.strip() for line in lines[1:]):
        raise ImportFormatError(path, 2, f"no {what} after the header")
    return split_rows(path, lines[1:], 2, delimiter, width)


def _parse_times(rows: TextRows, columns: dict[str, int], unit: str, expected: str) -> np.ndarray:
    """Epoch times (in ``unit``) of each row from ``YYYY.MM.DD`` (+ ``HH:MM[:SS[.mmm]]``) stamps."""
    dates = rows.columns[columns["<DATE>"]]
    if "<TIME>" in columns:
        clocks = rows.columns[columns["<TIME>"]]
        stamps = [
            f"{date.strip().replace('.', '-')}T{clock.strip()}" for date, clock in zip(dates, clocks, strict=True)
        ]
    else:
        stamps = [date.strip().replace(".", "-") for date in dates]

    def shown(index: int) -> str:
        date, _, clock = stamps[index].partition("T")
        return f"{date.replace('-', '.')} {clock}".strip()

    return parse_iso_stamps(rows.path, rows.numbers, stamps, unit, shown, expected)


def _column(
    rows: TextRows, columns: dict[str, int], header: str, dtype: type, name: str, maximum: int = 0
) -> np.ndarray:
    return parse_numbers(rows.path, rows.numbers, rows.columns[columns[header]], dtype, name, maximum=maximum)


def _optional_numbers(
    rows: TextRows, columns: dict[str, int], header: str, name: str, dtype: type = np.float64
) -> np.ndarray:
    """A column whose empty cells are 0."""
    values, _ = _carried_forward(rows, columns, header, name, dtype=dtype, fill=False)
    return values


def _carried_forward(
    rows: TextRows, columns: dict[str, int], header: str, name: str, dtype: type = np.float64, fill: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """A column whose empty cells take the value above (``fill``) or 0; and where a value is known."""
    texts = rows.columns[columns[header]]
    present = np.fromiter((bool(text.strip()) for text in texts), dtype=bool, count=len(texts))
    values = np.zeros(len(texts), dtype=dtype)
    where = np.flatnonzero(present)
    if where.size:
        values[where] = parse_numbers(
            rows.path, [rows.numbers[i] for i in where], [texts[i] for i in where], dtype, name
        )
    if not fill:
        return values, present
    source = np.maximum.accumulate(np.where(present, np.arange(len(texts)), -1))
    known = source >= 0
    return np.where(known, values[np.maximum(source, 0)], 0), known
