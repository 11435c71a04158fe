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

from mas.data.locking import clean_folder
from mas.data.market_hours import closed_days, open_seconds
from mas.data.rates_file import read_rates_file
from mas.data.store import (
    BUNDLED,
    BUNDLED_SOURCE,
    MissingDataError,
    canonical_symbol,
    list_datasets,
    repair_hint_for,
    symbol_dir,
)
from mas.data.tick_store import TICKS, load_ticks, stored_tick_days, tick_day_path, tick_dir
from mas.data.ticks_file import read_ticks_file
from mas.data.timeframes import TIMEFRAMES, bar_open_times, timeframe_name, timeframe_seconds
from mas.data.validation import IMPLAUSIBLE_FACTOR, CorruptDataError, implausible
from mas.i18n.errors import Text

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
        """How many rows the check flagged."""
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
        RowCheck("duplicate_time", Text("quality_duplicate_time"), repeated_values(times), True),
        RowCheck("out_of_order", Text("quality_rows_out_of_order"), decreasing(times), True),
        RowCheck("inverted", Text("quality_inverted"), inverted, False),
        RowCheck("non_positive_price", Text("quality_non_positive_prices"), (prices <= 0).any(axis=0), False),
        RowCheck("open_close_outside", Text("quality_open_close_outside"), outside, False),
        RowCheck("off_grid", Text("quality_off_grid", timeframe=tf), off_grid(times, tf), True),
    ]


def off_grid(times: np.ndarray, timeframe: str) -> np.ndarray:
    """True for each time that is not the open time of a ``timeframe`` bar."""
    return bar_open_times(times, timeframe) != times


def guess_timeframe(times: np.ndarray) -> str | None:
    """The timeframe that bars at ``times`` look like: the longest one whose grid holds every time and
    whose length is at most the commonest step between times; None when no timeframe fits."""
    times = np.unique(np.asarray(times, dtype=np.int64))
    if times.size < 2:
        return None
    steps, counts = np.unique(np.diff(times), return_counts=True)
    step = int(steps[np.argmax(counts)])
    for tf in reversed(TIMEFRAMES):
        if timeframe_seconds(tf) <= step and not off_grid(times, tf).any():
            return tf
    return None


def tick_row_checks(ticks: np.ndarray) -> list[RowCheck]:
    """Every check of ``TICKS_DTYPE`` rows in file order (equal stamps are normal for ticks)."""
    bid, ask = ticks["bid"], ticks["ask"]
    non_positive = (bid <= 0) | (ask <= 0) | ~np.isfinite(bid) | ~np.isfinite(ask)
    return [
        RowCheck("out_of_order", Text("quality_ticks_out_of_order"), decreasing(ticks["time_msc"]), True),
        RowCheck("non_positive_price", Text("quality_non_positive_quotes"), non_positive, False),
        RowCheck("crossed", Text("quality_crossed"), (ask < bid) & ~non_positive, False),
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


def find_gaps(times: np.ndarray, timeframe: str | None, min_gap_seconds: int = DEFAULT_MIN_GAP_SECONDS) -> list[Gap]:
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


@dataclass(frozen=True)
class Problem:
    """Rows of one kind of problem in stored data: how many, and the times of the first few."""

    kind: str
    description: str
    count: int
    first_times: tuple[datetime, ...]


@dataclass(frozen=True)
class QualityReport:
    """The quality of one stored series (bars of a timeframe, or ticks)."""

    symbol: str
    timeframe: str
    """A timeframe name, or "TICKS"."""
    source: str
    rows: int
    first: datetime | None
    last: datetime | None
    problems: list[Problem]
    gaps: list[Gap]


def check_stored(
    symbol: str,
    timeframe: str | None = None,
    *,
    ticks: bool = False,
    min_gap_seconds: int = DEFAULT_MIN_GAP_SECONDS,
) -> list[QualityReport]:
    """Check the stored bars of ``symbol`` (every timeframe, or one), or its ticks.

    Raises :class:`~mas.data.store.MissingDataError` when nothing of the kind is stored.
    """
    name = canonical_symbol(symbol)
    if ticks:
        if not stored_tick_days(name):
            load_ticks(name)  # raises MissingTicksError with the fetch command
        return [_check_ticks(name, min_gap_seconds)]
    tf = timeframe_name(timeframe) if timeframe is not None else None
    datasets = [info for info in list_datasets(name) if tf is None or info.timeframe == tf]
    if not datasets:
        raise MissingDataError(name, tf or "any timeframe", None, None, list_datasets(name))
    reports = []
    for info in datasets:
        try:
            rates = read_rates_file(info.path, checked=False).rates
        except CorruptDataError as exc:
            raise exc.with_remedy(repair_hint_for(info.path)) from None
        checks = bar_row_checks(rates, info.timeframe)
        reports.append(
            QualityReport(
                symbol=name,
                timeframe=info.timeframe,
                source=BUNDLED_SOURCE if info.source == BUNDLED else str(info.path),
                rows=int(rates.size),
                first=info.first,
                last=info.last,
                problems=_problems([*checks, _implausible_check(rates)], rates["time"]),
                gaps=find_gaps(rates["time"], info.timeframe, min_gap_seconds),
            )
        )
    return reports


def _implausible_check(rates: np.ndarray) -> RowCheck:
    return RowCheck("implausible", Text("quality_implausible", factor=IMPLAUSIBLE_FACTOR), implausible(rates), False)


def remove_interrupted_writes(symbol: str) -> int:
    """Delete the temp files that killed writers left in ``symbol``'s folders (each under its file's
    lock, so a write in progress is left alone); returns how many."""
    folder = symbol_dir(symbol)
    return clean_folder(folder) + clean_folder(folder / "ticks")


def _check_ticks(symbol: str, min_gap_seconds: int) -> QualityReport:
    """Check every stored tick day, one day in memory at a time."""
    counts: dict[str, list] = {}
    gaps: list[Gap] = []
    rows = 0
    first = last = None
    previous_second: np.ndarray = np.zeros(0, dtype=np.int64)
    for day in stored_tick_days(symbol):
        ticks = read_ticks_file(tick_day_path(symbol, day))
        if ticks.size == 0:
            continue
        rows += ticks.size
        seconds = ticks["time_msc"] // 1000
        for check in tick_row_checks(ticks):
            entry = counts.setdefault(check.kind, [check.description, 0, []])
            entry[1] += check.count
            entry[2].extend(seconds[check.mask][: 5 - len(entry[2])].tolist())
        gaps += find_gaps(np.concatenate([previous_second, seconds]), None, min_gap_seconds)
        previous_second = seconds[-1:]
        first = first if first is not None else int(ticks["time_msc"].min())
        last = int(ticks["time_msc"].max())
    problems = [
        Problem(kind, description, count, tuple(_utc(t) for t in times))
        for kind, (description, count, times) in counts.items()
        if count
    ]
    return QualityReport(
        symbol=symbol,
        timeframe=TICKS,
        source=str(tick_dir(symbol)),
        rows=rows,
        first=_utc(first / 1000) if first is not None else None,
        last=_utc(last / 1000) if last is not None else None,
        problems=problems,
        gaps=gaps,
    )


def _problems(checks: list[RowCheck], times: np.ndarray) -> list[Problem]:
    return [
        Problem(check.kind, check.description, check.count, tuple(_utc(t) for t in times[check.mask][:5]))
        for check in checks
        if check.count
    ]


def _utc(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(float(epoch_seconds), tz=timezone.utc)
