"""``import_file``: recognise a file's format, read and check it, and merge it into the store.

Formats: ``mt5`` (MT5 bars or ticks exports), ``histdata`` (HistData.com M1 or tick files),
``dukascopy`` (``.bi5`` candle or tick files) and ``csv`` (any delimited file with a column
mapping). Auto-detection looks at the file name and its first line and never guesses between
look-alikes: a mapping means ``csv``, a ``.bi5`` name ``dukascopy``, a ``<DATE>`` header ``mt5``,
``YYYYMMDD HHMMSS;`` / ``YYYYMMDD HHMMSSmmm,`` rows ``histdata``; anything else needs ``--format``.

Time zones: ``tz_offset_hours`` is the file's offset from UTC, subtracted from its stamps. When it
is not given: MT5 exports 0 (pass the broker server's offset, e.g. 2 for GMT+2), HistData -5 (its
fixed EST), Dukascopy 0 (UTC), CSV 0.

Tick files fill the tick store and, built from the ticks, the M1 bars (so that every timeframe can
be loaded); the bars are saved first, so a refused merge leaves the tick store untouched.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from mas.data.importers.dukascopy import is_dukascopy_file, read_dukascopy_file
from mas.data.importers.generic_csv import ColumnMapping, read_generic_csv
from mas.data.importers.histdata import (
    HISTDATA_TZ_OFFSET_HOURS,
    is_histdata_bars,
    is_histdata_ticks,
    read_histdata_m1,
    read_histdata_ticks,
)
from mas.data.importers.mt5_csv import is_mt5_header, is_mt5_ticks_header, read_mt5_csv, read_mt5_ticks_csv
from mas.data.importers.parsed import ParsedBars, ParsedTicks
from mas.data.importers.report import ImportReport
from mas.data.importers.text import first_line
from mas.data.points import check_digits, symbol_digits
from mas.data.quality import guess_timeframe, off_grid
from mas.data.resample import ticks_to_m1
from mas.data.store import canonical_symbol, save_bars
from mas.data.tick_store import TICKS, save_ticks
from mas.data.timeframes import timeframe_name, timeframe_seconds
from mas.i18n.errors import InputError, Text

FORMATS = ("mt5", "histdata", "dukascopy", "csv")
DEFAULT_TZ_OFFSETS = {"mt5": 0.0, "histdata": HISTDATA_TZ_OFFSET_HOURS, "dukascopy": 0.0, "csv": 0.0}


def detect_format(path: Path | str, columns: ColumnMapping | str | None = None) -> str:
    """The format of ``path`` (one of :data:`FORMATS`), or a ValueError asking for ``--format``."""
    path = Path(path)
    if columns:
        return "csv"
    if is_dukascopy_file(path):
        return "dukascopy"
    line = first_line(path)
    if is_mt5_header(line):
        return "mt5"
    if is_histdata_bars(line) or is_histdata_ticks(line):
        return "histdata"
    shown = line[:80] + ("..." if len(line) > 80 else "")
    raise InputError("import_format_unknown", path=path, line=shown, formats="|".join(FORMATS))


def read_file(
    path: Path | str,
    symbol: str,
    timeframe: str | None = None,
    tz_offset_hours: float | None = None,
    *,
    file_format: str | None = None,
    columns: ColumnMapping | str | None = None,
    time_format: str | None = None,
    delimiter: str | None = None,
    digits: int | None = None,
    day: date | None = None,
    price_side: str = "bid",
) -> tuple[str, ParsedBars | ParsedTicks]:
    """Read and check a file without storing it: ``(format, parsed rows)``."""
    path = Path(path)
    fmt = (file_format or detect_format(path, columns)).lower()
    if fmt not in FORMATS:
        raise InputError("import_format_invalid", value=file_format, valid=", ".join(FORMATS))
    offset = DEFAULT_TZ_OFFSETS[fmt] if tz_offset_hours is None else float(tz_offset_hours)
    tf = timeframe_name(timeframe) if timeframe is not None else None
    if fmt == "mt5":
        if is_mt5_ticks_header(first_line(path)):
            return fmt, read_mt5_ticks_csv(path, offset)
        if tf is None:
            raise InputError("import_mt5_needs_timeframe")
        return fmt, read_mt5_csv(path, tf, offset)
    if fmt == "histdata":
        if is_histdata_ticks(first_line(path)):
            return fmt, read_histdata_ticks(path, offset)
        return fmt, read_histdata_m1(path, offset)
    if fmt == "dukascopy":
        point_digits = check_digits(digits) if digits is not None else symbol_digits(symbol)
        return fmt, read_dukascopy_file(path, point_digits, day, offset)
    if columns is None:
        raise InputError("import_csv_needs_columns")
    mapping = columns if isinstance(columns, ColumnMapping) else ColumnMapping.parse(columns)
    parsed = read_generic_csv(
        path,
        mapping,
        timeframe=tf,
        time_format=time_format,
        tz_offset_hours=offset,
        delimiter=delimiter,
        price_side=price_side,
    )
    return fmt, parsed


def import_file(
    path: Path | str,
    symbol: str,
    timeframe: str | None = None,
    tz_offset_hours: float | None = None,
    *,
    file_format: str | None = None,
    columns: ColumnMapping | str | None = None,
    time_format: str | None = None,
    delimiter: str | None = None,
    digits: int | None = None,
    day: date | None = None,
    price_side: str = "bid",
    force: bool = False,
) -> ImportReport:
    """Import a file of bars or ticks into the store (format auto-detected unless ``file_format``).

    Importing the same file twice changes nothing; on equal times (bars) or overlapping spans
    (ticks) the later import wins. Files that hold M1 bars or ticks accept ``timeframe`` M1 or
    none; other timeframes are resampled from M1 when loaded. Bars whose times are not on the
    timeframe's grid (an M1 file imported as H1) are refused unless ``force``.
    """
    path = Path(path)
    name = canonical_symbol(symbol)
    tf = timeframe_name(timeframe) if timeframe is not None else None
    fmt, parsed = read_file(
        path,
        name,
        tf,
        tz_offset_hours,
        file_format=file_format,
        columns=columns,
        time_format=time_format,
        delimiter=delimiter,
        digits=digits,
        day=day,
        price_side=price_side,
    )
    if isinstance(parsed, ParsedTicks):
        return _store_ticks(path, name, tf, fmt, parsed, digits)
    if tf is not None and tf != parsed.timeframe:
        raise InputError("import_other_timeframe", path=path, fmt=fmt, found=parsed.timeframe, given=tf)
    if not force:
        _check_grid(path, parsed)
    update = save_bars(name, parsed.timeframe, parsed.rates, price_side=parsed.price_side, has_spread=parsed.has_spread)
    times = parsed.rates["time"]
    return ImportReport(
        path=path,
        symbol=name,
        timeframe=parsed.timeframe,
        rows_read=parsed.rows_read,
        rows_stored=int(parsed.rates.size),
        first=_utc(int(times[0])) if times.size else None,
        last=_utc(int(times[-1])) if times.size else None,
        issues=parsed.issues,
        store_path=update.path,
        bars_added=update.added,
        bars_replaced=update.replaced,
        bars_total=update.total,
        file_format=fmt,
    )


def _check_grid(path: Path, parsed: ParsedBars) -> None:
    """Refuse bars off their timeframe's grid, saying what timeframe they look like."""
    times = parsed.rates["time"]
    count = int(np.count_nonzero(off_grid(times, parsed.timeframe)))
    if count == 0:
        return
    tf = parsed.timeframe
    looks = guess_timeframe(times)
    hint = (
        Text("import_looks_like", looks=looks)
        if looks is not None and looks != tf
        else Text("import_tf_unknown")
    )
    raise InputError("import_off_grid", path=str(path), count=f"{count:,}", total=f"{times.size:,}", tf=tf,
                     grid=_grid_words(tf), hint=hint)


def _grid_words(timeframe: str) -> str:
    if timeframe == "MN1":
        return Text("grid_month")
    if timeframe == "W1":
        return Text("grid_monday")
    if timeframe == "D1":
        return "00:00 UTC"
    minutes = timeframe_seconds(timeframe) // 60
    if minutes % 60 == 0:
        return Text("grid_hours", hours=minutes // 60)
    return Text("grid_minutes", minutes=minutes)


def _store_ticks(
    path: Path, symbol: str, timeframe: str | None, fmt: str, parsed: ParsedTicks, digits: int | None
) -> ImportReport:
    if timeframe not in (None, "M1"):
        raise InputError("import_tick_file", path=path, timeframe=timeframe)
    point_digits = check_digits(digits) if digits is not None else symbol_digits(symbol)
    bars = save_bars(symbol, "M1", ticks_to_m1(parsed.ticks, point_digits), price_side="bid", has_spread=True)
    ticks = save_ticks(symbol, parsed.ticks)
    stamps = parsed.ticks["time_msc"]
    return ImportReport(
        path=path,
        symbol=symbol,
        timeframe=TICKS,
        rows_read=parsed.rows_read,
        rows_stored=int(parsed.ticks.size),
        first=_utc_ms(int(stamps[0])) if stamps.size else None,
        last=_utc_ms(int(stamps[-1])) if stamps.size else None,
        issues=parsed.issues,
        store_path=bars.path,
        bars_added=bars.added,
        bars_replaced=bars.replaced,
        bars_total=bars.total,
        file_format=fmt,
        tick_update=ticks,
    )


def _utc(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.utc)


def _utc_ms(epoch_ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=epoch_ms)
