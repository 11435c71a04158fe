"""Data quality: row checks shared by every importer, and gaps in stored series.

Row checks return one :class:`RowCheck` per kind of problem with a mask over the rows (in the
order they were read). Whether such rows are kept is part of the check: duplicates, rows out of
order and off-grid times are kept (sorted, the later duplicate winning); impossible prices are not.

Gaps (see :func:`find_gaps`) are missing runs of bars inside open market time, as defined in
:mod:`mas.data.market_hours` (weekends and the Christmas and New Year holidays are closed):

- intraday timeframes (M1 .. H12): between two consecutive bars, the open market time from the
  end of the first bar to the start of the next is missing; it is a gap when it lasts at least
  ``min_gap_seconds`` (default 30 minutes) and at least one bar. ``missing_bars`` is that open
  time divided by the bar length, rounded down.
- D1: a gap is one or more missing weekdays (Monday to Friday, holidays excepted).
- W1 and MN1: a gap is one or more missing weeks or months.
- ticks: as intraday, with no bar length (missing open time of at least ``min_gap_seconds``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from mas.data.market_hours import closed_days, open_seconds
from mas.data.timeframes import bar_open_times, timeframe_name, timeframe_seconds

DEFAULT_MIN_GAP_SECONDS = 30 * 60

_PRICE_FIELDS = ("open", "high", "low", "close")


@dataclass(frozen=True)
class RowCheck:
    """Rows with one kind of problem: ``mask`` marks them; ``kept`` says whether they are stored."""

    kind: str
    description: str
    mask: np.ndarray
    kept: bool

    @property
    def count(self) -> int:
        return int(np.count_nonzero(self.mask))


@dataclass(frozen=True)
class Gap:
    """Missing data between two stored rows: from ``start`` (end of the earlier bar) to ``end``."""

    start: datetime
    end: datetime
    missing_bars: int
    missing_open_seconds: int


def bar_row_checks(rates: np.ndarray, timeframe: str) -> list[RowCheck]:
    """Every check of ``RATES_DTYPE`` rows in file order (empty masks included)."""
    times = rates["time"]
    prices = np.stack([rates[name] for name in _PRICE_FIELDS])
    low, high = rates["low"], rates["high"]
    inverted = high < low
    outside = (prices[[0, 3]] < low).any(axis=0) | (prices[[0, 3]] > high).any(axis=0)
    tf = timeframe_name(timeframe)
    return [
        RowCheck("duplicate_time", "rows repeating an earlier time", repeated_values(times), True),
        RowCheck("out_of_order", "rows earlier than the row before them", decreasing(times), True),
        RowCheck("inverted", "inverted candles, high < low", inverted, False),
        RowCheck("non_positive_price", "zero or negative prices", (prices <= 0).any(axis=0), False),
        RowCheck("open_close_outside", "open or close outside [low, high]", outside, False),
        RowCheck("off_grid", f"times not on the {tf} grid", bar_open_times(times, tf) != times, True),
    ]


def tick_row_checks(ticks: np.ndarray) -> list[RowCheck]:
    """Every check of ``TICKS_DTYPE`` rows in file order (equal stamps are normal for ticks)."""
    bid, ask = ticks["bid"], ticks["ask"]
    non_positive = (bid <= 0) | (ask <= 0) | ~np.isfinite(bid) | ~np.isfinite(ask)
    return [
        RowCheck("out_of_order", "ticks earlier than the tick before them", decreasing(ticks["time_msc"]), True),
        RowCheck("non_positive_price", "zero or negative bid or ask", non_positive, False),
        RowCheck("crossed", "crossed quotes, ask < bid", (ask < bid) & ~non_positive, False),
    ]


def rejected_rows(checks: list[RowCheck], size: int) -> np.ndarray:
    """The mask of rows that a check refuses to store."""
    rejected = np.zeros(size, dtype=bool)
    for check in checks:
        if not check.kept:
            rejected |= check.mask
    return rejected


def repeated_values(values: np.ndarray) -> np.ndarray:
    """True for each value equal to one seen earlier in the array."""
    order = np.argsort(values, kind="stable")
    repeated = np.zeros(values.size, dtype=bool)
    repeated[order[1:]] = values[order[1:]] == values[order[:-1]]
    return repeated


def decreasing(values: np.ndarray) -> np.ndarray:
    """True for each value smaller than the one before it."""
    mask = np.zeros(values.size, dtype=bool)
    mask[1:] = values[1:] < values[:-1]
    return mask


def find_gaps(
    times: np.ndarray, timeframe: str | None, min_gap_seconds: int = DEFAULT_MIN_GAP_SECONDS
) -> list[Gap]:
    """Gaps in sorted ``times`` (epoch seconds) of ``timeframe`` bars, or of ticks when it is None."""
    times = np.unique(np.asarray(times, dtype=np.int64))
    if times.size < 2:
        return []
    tf = timeframe_name(timeframe) if timeframe is not None else None
    starts, ends = times[:-1], times[1:]
    if tf in ("D1", "W1", "MN1"):
        missing = _missing_calendar_bars(starts, ends, tf)
        found = np.flatnonzero(missing > 0)
        step = timeframe_seconds(tf)
        holes = open_seconds(starts[found] + step, ends[found]) if found.size else np.zeros(0, np.int64)
        return [
            _gap(int(starts[i]) + step, int(ends[i]), int(missing[i]), int(hole))
            for i, hole in zip(found, holes, strict=True)
        ]
    step = timeframe_seconds(tf) if tf is not None else 0
    candidates = np.flatnonzero(ends - starts - step >= max(min_gap_seconds, step, 1))
    holes = open_seconds(starts[candidates] + step, ends[candidates])
    wanted = holes >= max(min_gap_seconds, step, 1)
    return [
        _gap(int(starts[i]) + step, int(ends[i]), int(hole // step) if step else 0, int(hole))
        for i, hole in zip(candidates[wanted], holes[wanted], strict=True)
    ]


def _missing_calendar_bars(starts: np.ndarray, ends: np.ndarray, timeframe: str) -> np.ndarray:
    if timeframe == "D1":
        first_days = starts.astype("datetime64[s]").astype("datetime64[D]") + 1
        last_days = ends.astype("datetime64[s]").astype("datetime64[D]")
        holidays = closed_days(int(starts[0]), int(ends[-1]))
        return np.busday_count(first_days, last_days, holidays=holidays)
    if timeframe == "W1":
        return (bar_open_times(ends, "W1") - bar_open_times(starts, "W1")) // (7 * 86400) - 1
    return _month_index(ends) - _month_index(starts) - 1


def _month_index(times: np.ndarray) -> np.ndarray:
    return times.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)


def _gap(start: int, end: int, missing_bars: int, missing_open_seconds: int) -> Gap:
    return Gap(
        start=datetime.fromtimestamp(start, tz=timezone.utc),
        end=datetime.fromtimestamp(end, tz=timezone.utc),
        missing_bars=missing_bars,
        missing_open_seconds=missing_open_seconds,
    )
