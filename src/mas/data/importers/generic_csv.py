"""Any delimited text file of bars or ticks, read through a column mapping.

The mapping names which file column holds each field, e.g.
``time=Date,open=Open,high=High,low=Low,close=Close,volume=Volume``. A column is a header name
(matched case-insensitively) or a 1-based position (then a first line whose price cells are not
numbers is taken as a header). Fields:

- bars: ``time`` (or ``date`` and ``time`` in two columns, joined with a space), ``open``,
  ``high``, ``low``, ``close``; optional ``volume`` (alias ``tick_volume``), ``spread`` (points),
  ``real_volume``.
- ticks: ``time`` (or ``date`` + ``time``), ``bid``, ``ask``; optional ``volume``.

Times are parsed with ``time_format`` (a ``strftime`` pattern such as ``%d.%m.%Y %H:%M:%S``, or
``unix`` / ``unix_ms`` for epoch seconds / milliseconds); without it they must be ISO-8601
(``2024-01-02 13:45:00``). Stamps are taken as UTC + ``tz_offset_hours``. Cells may be wrapped in
double quotes; a quoted cell must not contain the delimiter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mas.data.importers.parsed import ParsedBars, ParsedTicks, finish_bars, finish_ticks, tz_offset_seconds
from mas.data.importers.report import ImportFormatError
from mas.data.importers.text import TextRows, parse_iso_stamps, parse_numbers, read_lines, sniff_delimiter
from mas.data.importers.text import split_rows as split_text_rows
from mas.data.ticks import make_ticks
from mas.data.timeframes import timeframe_name
from mas.i18n.errors import InputError
from mas.terminal.types import RATES_DTYPE

BAR_FIELDS = ("open", "high", "low", "close")
TICK_FIELDS = ("bid", "ask")
OPTIONAL_BAR_FIELDS = ("volume", "tick_volume", "spread", "real_volume")
OPTIONAL_TICK_FIELDS = ("volume",)
_TIME_FIELDS = ("time", "date")
_UNIX_UNITS = {"unix": "s", "unix_ms": "ms"}


@dataclass(frozen=True)
class ColumnMapping:
    """Which file column (header name or 1-based position) holds each field."""

    columns: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> ColumnMapping:
        """``field=column,...`` into a checked mapping; bad items are a ValueError saying why."""
        columns: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            field, sep, column = item.partition("=")
            field = field.strip().lower()
            if not sep or not column.strip():
                raise InputError("columns_not_pair", item=item)
            if field in columns:
                raise InputError("columns_twice", field=field)
            columns[field] = column.strip()
        mapping = cls(columns)
        mapping.check()
        return mapping

    def check(self) -> str:
        """ "bars" or "ticks", from the fields; ValueError when the fields fit neither."""
        fields = set(self.columns)
        known = {*_TIME_FIELDS, *BAR_FIELDS, *TICK_FIELDS, *OPTIONAL_BAR_FIELDS}
        unknown = sorted(fields - known)
        if unknown:
            raise InputError("columns_unknown", unknown=", ".join(unknown), known=", ".join(sorted(known)))
        if "time" not in fields:
            raise InputError("columns_need_time")
        if {"volume", "tick_volume"} <= fields:
            raise InputError("columns_volume_twice")
        if fields - set(_TIME_FIELDS) - set(OPTIONAL_BAR_FIELDS) == set(BAR_FIELDS):
            return "bars"
        if fields - set(_TIME_FIELDS) - set(OPTIONAL_TICK_FIELDS) == set(TICK_FIELDS):
            return "ticks"
        raise InputError("columns_incomplete")


def read_generic_csv(
    path: Path | str,
    mapping: ColumnMapping,
    *,
    timeframe: str | None = None,
    time_format: str | None = None,
    tz_offset_hours: float = 0.0,
    delimiter: str | None = None,
    price_side: str = "bid",
) -> ParsedBars | ParsedTicks:
    """Parse and check a delimited file of bars (``timeframe`` required) or ticks through ``mapping``."""
    path = Path(path)
    kind = mapping.check()
    if kind == "bars" and timeframe is None:
        raise InputError("import_needs_timeframe")
    offset = tz_offset_seconds(tz_offset_hours)
    lines = read_lines(path)
    delimiter = delimiter or sniff_delimiter(lines[0])
    indexes, first_row = _locate_columns(path, lines[0], delimiter, mapping)
    width = lines[0].count(delimiter) + 1
    rows = split_text_rows(path, lines[first_row - 1 :], first_row, delimiter, width)
    cells = {field: [_unquote(text) for text in rows.columns[index]] for field, index in indexes.items()}
    unit = "s" if kind == "bars" else "ms"
    times = _parse_times(rows, cells, time_format, unit)
    if kind == "ticks":
        bid = _numbers(rows, cells, "bid", np.float64)
        ask = _numbers(rows, cells, "ask", np.float64)
        volume = _numbers(rows, cells, "volume", np.float64) if "volume" in cells else np.zeros(len(rows))
        ticks = make_ticks(times - offset * 1000, bid, ask, volume=np.rint(volume), volume_real=volume)
        return finish_ticks(ticks, rows.line_numbers)

    rates = np.zeros(len(rows), dtype=RATES_DTYPE)
    rates["time"] = times - offset
    for field in BAR_FIELDS:
        rates[field] = _numbers(rows, cells, field, np.float64)
    volume_field = next((field for field in ("tick_volume", "volume") if field in cells), None)
    if volume_field is not None:
        rates["tick_volume"] = np.rint(_numbers(rows, cells, volume_field, np.float64))
    if "real_volume" in cells:
        rates["real_volume"] = np.rint(_numbers(rows, cells, "real_volume", np.float64))
    if "spread" in cells:
        rates["spread"] = _numbers(rows, cells, "spread", np.int64)
    return finish_bars(
        rates, rows.line_numbers, timeframe_name(timeframe), price_side=price_side, has_spread="spread" in cells
    )


def _locate_columns(path: Path, first_line: str, delimiter: str, mapping: ColumnMapping) -> tuple[dict[str, int], int]:
    """Field -> 0-based column index, and the line number of the first data row."""
    header = [_unquote(cell) for cell in first_line.lstrip("\ufeff").split(delimiter)]
    positional = all(column.isdigit() for column in mapping.columns.values())
    if positional:
        indexes = {field: int(column) - 1 for field, column in mapping.columns.items()}
        bad = [f"{field}={column}" for field, column in mapping.columns.items() if not 1 <= int(column) <= len(header)]
        if bad:
            raise ImportFormatError(path, 1, f"column position(s) {', '.join(bad)} outside 1..{len(header)}")
        price_field = next(field for field in ("open", "bid") if field in indexes)
        try:
            float(header[indexes[price_field]])
            return indexes, 1
        except ValueError:
            return indexes, 2
    names = {name.upper(): index for index, name in enumerate(header)}
    missing = [column for column in mapping.columns.values() if column.upper() not in names]
    if missing:
        raise ImportFormatError(
            path, 1, f"column(s) {', '.join(map(repr, missing))} not in the header {first_line.strip()!r}"
        )
    return {field: names[column.upper()] for field, column in mapping.columns.items()}, 2


def _parse_times(rows: TextRows, cells: dict[str, list[str]], time_format: str | None, unit: str) -> np.ndarray:
    texts = cells["time"]
    if "date" in cells:
        texts = [f"{day} {clock}" for day, clock in zip(cells["date"], texts, strict=True)]
    if time_format in _UNIX_UNITS:
        values = parse_numbers(rows.path, rows.numbers, texts, np.int64, "time")
        source = _UNIX_UNITS[time_format]
        if source == unit:
            return values
        return values * 1000 if source == "s" else values // 1000
    if time_format is None:
        return parse_iso_stamps(rows.path, rows.numbers, texts, unit, texts.__getitem__, "ISO-8601 date/time")
    parsed = pd.to_datetime(pd.Series(texts), format=time_format, errors="coerce", utc=True)
    bad = parsed.isna().to_numpy()
    if bad.any():
        index = int(np.argmax(bad))
        raise ImportFormatError(
            rows.path, rows.numbers[index], f"bad date/time {texts[index]!r}, expected the format {time_format!r}"
        )
    return parsed.dt.tz_localize(None).to_numpy().astype(f"datetime64[{unit}]").astype(np.int64)


def _numbers(rows: TextRows, cells: dict[str, list[str]], field: str, dtype: type) -> np.ndarray:
    volume = field in OPTIONAL_BAR_FIELDS
    return parse_numbers(rows.path, rows.numbers, cells[field], dtype, field, non_negative=volume)


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1].strip() if len(text) >= 2 and text[0] == text[-1] == '"' else text
