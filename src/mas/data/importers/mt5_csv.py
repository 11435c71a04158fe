"""MetaTrader 5 history exports (Symbols > Bars > Export Bars): tab-separated CSV into the store.

Header ``<DATE> <TIME> <OPEN> <HIGH> <LOW> <CLOSE> <TICKVOL> <VOL> <SPREAD>`` (daily and higher
exports have no ``<TIME>``), dates ``YYYY.MM.DD``, times ``HH:MM:SS`` in broker server time, bid
prices, spreads in points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from mas.data.importers.report import ImportFormatError, ImportIssue, ImportReport
from mas.data.store import canonical_symbol, merge_rates, save_bars
from mas.data.timeframes import bar_open_times, timeframe_name
from mas.terminal.types import RATES_DTYPE

REQUIRED_COLUMNS = ("<DATE>", "<OPEN>", "<HIGH>", "<LOW>", "<CLOSE>", "<TICKVOL>", "<VOL>", "<SPREAD>")
OPTIONAL_COLUMNS = ("<TIME>",)
SAMPLE_LINES = 5
"""How many line numbers an issue lists."""

_PRICE_FIELDS = ("open", "high", "low", "close")
_COUNT_FIELDS = {"tick_volume": "<TICKVOL>", "real_volume": "<VOL>", "spread": "<SPREAD>"}
_DELIMITERS = ("\t", ";", ",")
_MAX_OFFSET_HOURS = 24


@dataclass(frozen=True)
class ParsedExport:
    """An export read into memory: the bars to store (UTC, sorted, unique) and the issues found."""

    rates: np.ndarray
    rows_read: int
    issues: list[ImportIssue]


def import_file(path: Path | str, symbol: str, timeframe: str, tz_offset_hours: float = 0.0) -> ImportReport:
    """Import an MT5 history export into the store as bid prices with real spreads.

    ``tz_offset_hours`` is the broker server's offset from UTC (e.g. 2 for GMT+2); it is
    subtracted from the export's stamps. Importing the same file twice changes nothing; on
    equal times the later import wins.
    """
    path = Path(path)
    name = canonical_symbol(symbol)
    tf = timeframe_name(timeframe)
    parsed = read_mt5_csv(path, tf, tz_offset_hours)
    update = save_bars(name, tf, parsed.rates, price_side="bid", has_spread=True)
    times = parsed.rates["time"]
    return ImportReport(
        path=path,
        symbol=name,
        timeframe=tf,
        rows_read=parsed.rows_read,
        rows_stored=int(parsed.rates.size),
        first=_utc(times[0]) if times.size else None,
        last=_utc(times[-1]) if times.size else None,
        issues=parsed.issues,
        store_path=update.path,
        bars_added=update.added,
        bars_replaced=update.replaced,
        bars_total=update.total,
    )


def read_mt5_csv(path: Path | str, timeframe: str, tz_offset_hours: float = 0.0) -> ParsedExport:
    """Parse and check an MT5 history export; malformed rows raise :class:`ImportFormatError`.

    Invalid candles (high < low, prices <= 0, open or close outside [low, high]) are left out;
    duplicate times keep the later row; rows are sorted by time. Every such fix is reported.
    """
    path = Path(path)
    tf = timeframe_name(timeframe)
    if not abs(tz_offset_hours) <= _MAX_OFFSET_HOURS:
        raise ValueError(f"tz_offset_hours must be within +-{_MAX_OFFSET_HOURS}, not {tz_offset_hours}")
    lines = _decode(path).splitlines()
    if not lines:
        raise ImportFormatError(path, 1, "the file is empty")
    delimiter, columns = _parse_header(path, lines[0])

    numbers = [number for number, line in enumerate(lines[1:], start=2) if line.strip()]
    rows = [lines[number - 1] for number in numbers]
    if not rows:
        raise ImportFormatError(path, 2, "no bars after the header")
    line_numbers = np.array(numbers, dtype=np.int64)
    separators = np.fromiter((row.count(delimiter) for row in rows), dtype=np.int64, count=len(rows))
    wrong = np.flatnonzero(separators != len(columns) - 1)
    if wrong.size:
        raise ImportFormatError(
            path,
            numbers[wrong[0]],
            f"expected {len(columns)} fields separated by {delimiter!r}, found {separators[wrong[0]] + 1}",
        )
    # One flat list of strings instead of a list per row: far fewer objects for the garbage collector.
    flat = delimiter.join(rows).split(delimiter)
    fields = [flat[index :: len(columns)] for index in range(len(columns))]
    rates = np.zeros(len(rows), dtype=RATES_DTYPE)
    offset = round(tz_offset_hours * 3600)
    rates["time"] = _parse_times(path, numbers, fields, columns) - offset
    for name in _PRICE_FIELDS:
        rates[name] = _parse_numbers(path, numbers, fields[columns[f"<{name.upper()}>"]], np.float64, name)
    for name, header in _COUNT_FIELDS.items():
        rates[name] = _parse_numbers(path, numbers, fields[columns[header]], np.int64, name)

    issues, invalid = _check_rows(rates, line_numbers, tf)
    return ParsedExport(
        rates=merge_rates(np.empty(0, dtype=RATES_DTYPE), rates[~invalid]),
        rows_read=len(rows),
        issues=issues,
    )


def _decode(path: Path) -> str:
    """The file's text: UTF-16 (MT5's usual export encoding, with or without BOM) or UTF-8."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if len(raw) > 1 and raw[1:2] == b"\x00":
        return raw.decode("utf-16-le")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFormatError(path, line, "not a text file (neither UTF-8 nor UTF-16)") from None


def _parse_header(path: Path, header: str) -> tuple[str, dict[str, int]]:
    """The delimiter and a column name -> index map, or an error showing the expected header."""
    delimiter = next((d for d in _DELIMITERS if d in header), "\t")
    names = [name.strip().upper() for name in header.split(delimiter)]
    columns = {name: index for index, name in enumerate(names)}
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    unknown = [name for name in names if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown or len(columns) != len(names):
        expected = "\t".join(REQUIRED_COLUMNS[:1] + OPTIONAL_COLUMNS + REQUIRED_COLUMNS[1:])
        raise ImportFormatError(
            path, 1, f"not an MT5 history export: expected the header {expected!r}, found {header.strip()!r}"
        )
    return delimiter, columns


def _parse_times(
    path: Path, numbers: list[int], fields: list[list[str]], columns: dict[str, int]
) -> np.ndarray:
    """Epoch seconds of each row from ``YYYY.MM.DD`` (+ ``HH:MM[:SS]``) stamps."""
    dates = fields[columns["<DATE>"]]
    clocks = fields[columns["<TIME>"]] if "<TIME>" in columns else None
    if clocks is None:
        stamps = [date.strip().replace(".", "-") for date in dates]
    else:
        stamps = [
            f"{date.strip().replace('.', '-')}T{clock.strip()}"
            for date, clock in zip(dates, clocks, strict=True)
        ]
    try:
        return np.array(stamps, dtype="datetime64[s]").astype(np.int64)
    except ValueError:
        pass
    for number, stamp in zip(numbers, stamps, strict=True):
        try:
            np.datetime64(stamp, "s")
        except ValueError:
            shown = stamp.replace("-", ".").replace("T", " ")
            raise ImportFormatError(
                path, number, f"bad date/time {shown!r}, expected YYYY.MM.DD HH:MM:SS"
            ) from None
    raise AssertionError("unreachable: a stamp failed to parse in bulk but not alone")


def _parse_numbers(path: Path, numbers: list[int], texts: list[str], dtype: type, name: str) -> np.ndarray:
    """One numeric column; the first unparsable, non-finite, negative or too large value is an error."""
    kind = "number" if dtype is np.float64 else "whole number"
    try:
        values = np.array(texts, dtype=dtype)
    except (ValueError, OverflowError):
        for number, text in zip(numbers, texts, strict=True):
            try:
                np.array([text], dtype=dtype)
            except (ValueError, OverflowError):
                raise ImportFormatError(path, number, f"{name}: {text.strip()!r} is not a {kind}") from None
        raise
    if dtype is np.float64:
        bad = ~np.isfinite(values)
    else:
        bad = (values < 0) | (values > np.iinfo(RATES_DTYPE[name]).max)
    if bad.any():
        index = int(np.argmax(bad))
        raise ImportFormatError(
            path, numbers[index], f"{name}: {texts[index].strip()!r} is out of range for a {kind}"
        )
    return values


def _check_rows(
    rates: np.ndarray, line_numbers: np.ndarray, timeframe: str
) -> tuple[list[ImportIssue], np.ndarray]:
    """The quality issues of the rows in file order, and the mask of rows not to store."""
    times = rates["time"]
    prices = np.stack([rates[name] for name in _PRICE_FIELDS])
    low, high = rates["low"], rates["high"]

    order = np.argsort(times, kind="stable")
    repeated = np.zeros(times.size, dtype=bool)
    repeated[order[1:]] = times[order[1:]] == times[order[:-1]]
    out_of_order = np.zeros(times.size, dtype=bool)
    out_of_order[1:] = times[1:] < times[:-1]
    inverted = high < low
    non_positive = (prices <= 0).any(axis=0)
    outside = (prices[[0, 3]] < low).any(axis=0) | (prices[[0, 3]] > high).any(axis=0)
    off_grid = bar_open_times(times, timeframe) != times

    checks = [
        ("duplicate_time", "rows repeating an earlier time (the last valid row is kept)", repeated, True),
        ("out_of_order", "rows earlier than the row before them (sorted by time)", out_of_order, True),
        ("inverted", "inverted candles, high < low (not stored)", inverted, False),
        ("non_positive_price", "zero or negative prices (not stored)", non_positive, False),
        ("open_close_outside", "open or close outside [low, high] (not stored)", outside, False),
        (
            "off_grid",
            f"times not on the {timeframe} grid after the offset (stored as they are)",
            off_grid,
            True,
        ),
    ]
    issues = [
        ImportIssue(
            kind=kind,
            description=description,
            count=int(np.count_nonzero(mask)),
            lines=tuple(int(n) for n in line_numbers[mask][:SAMPLE_LINES]),
            stored=stored,
        )
        for kind, description, mask, stored in checks
        if mask.any()
    ]
    return issues, inverted | non_positive | outside


def _utc(epoch_seconds: np.integer) -> datetime:
    return datetime.fromtimestamp(int(epoch_seconds), tz=timezone.utc)
