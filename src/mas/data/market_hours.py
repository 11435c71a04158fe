"""When the forex market is closed, for telling real gaps in the data from closed hours.

Closed time (UTC), chosen wide enough to hold in both the northern summer and winter (the
market follows New York's 17:00 close, which is 21:00 UTC in summer and 22:00 UTC in winter):

- every weekend, from Friday 21:00 to Sunday 22:00;
- Christmas Day and New Year's Day, from 21:00 the evening before to 22:00 on the day.

Everything else is open time.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

HOUR = 3600
DAY = 86400
WEEK = 7 * DAY
CLOSE_HOUR = 21
"""UTC hour at which the market closes on Friday (and on the eve of a holiday)."""
OPEN_HOUR = 22
"""UTC hour at which the market opens on Sunday (and on the evening of a holiday)."""
HOLIDAYS = ((12, 25), (1, 1))
"""(month, day) of the days the market is closed every year."""

_FIRST_FRIDAY = 1 * DAY  # 1970-01-02 was a Friday.


def closed_intervals(first: int, last: int) -> np.ndarray:
    """Closed time overlapping ``[first, last]`` (epoch seconds) as sorted, disjoint (start, end) rows."""
    weeks_before = (first - _FIRST_FRIDAY) // WEEK - 1
    weeks_after = (last - _FIRST_FRIDAY) // WEEK + 1
    fridays = _FIRST_FRIDAY + WEEK * np.arange(weeks_before, weeks_after + 1, dtype=np.int64)
    weekends = np.column_stack((fridays + CLOSE_HOUR * HOUR, fridays + 2 * DAY + OPEN_HOUR * HOUR))

    year_first = _year(first) - 1
    year_last = _year(last) + 1
    holidays = []
    for year in range(year_first, year_last + 1):
        for month, day in HOLIDAYS:
            midnight = int(datetime(year, month, day, tzinfo=timezone.utc).timestamp())
            holidays.append((midnight - DAY + CLOSE_HOUR * HOUR, midnight + OPEN_HOUR * HOUR))
    return _merge(np.concatenate([weekends, np.array(holidays, dtype=np.int64).reshape(-1, 2)]))


def open_seconds(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Seconds of open market time in each ``[start, end)`` (0 where end <= start)."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.maximum(np.asarray(ends, dtype=np.int64), starts)
    if starts.size == 0:
        return np.zeros(0, dtype=np.int64)
    closed = closed_intervals(int(starts.min()), int(ends.max()))
    return (ends - starts) - (_closed_before(ends, closed) - _closed_before(starts, closed))


def is_open(times: np.ndarray) -> np.ndarray:
    """Whether the market is open at each of ``times`` (epoch seconds)."""
    times = np.asarray(times, dtype=np.int64)
    if times.size == 0:
        return np.zeros(0, dtype=bool)
    closed = closed_intervals(int(times.min()), int(times.max()))
    index = np.searchsorted(closed[:, 0], times, side="right") - 1
    inside = (index >= 0) & (times < closed[np.maximum(index, 0), 1])
    return ~inside


def closed_days(first: int, last: int) -> np.ndarray:
    """The holidays (``datetime64[D]``) from ``first`` to ``last``, for business-day arithmetic."""
    days = [
        np.datetime64(f"{year:04d}-{month:02d}-{day:02d}")
        for year in range(_year(first) - 1, _year(last) + 2)
        for month, day in HOLIDAYS
    ]
    return np.array(sorted(days), dtype="datetime64[D]")


def _closed_before(times: np.ndarray, closed: np.ndarray) -> np.ndarray:
    """Closed seconds before each time, counted from the first closed interval."""
    lengths = closed[:, 1] - closed[:, 0]
    before = np.concatenate(([0], np.cumsum(lengths)))
    index = np.searchsorted(closed[:, 0], times, side="right") - 1
    safe = np.maximum(index, 0)
    inside = np.clip(times - closed[safe, 0], 0, lengths[safe])
    return np.where(index >= 0, before[safe] + inside, 0)


def _merge(intervals: np.ndarray) -> np.ndarray:
    intervals = intervals[np.argsort(intervals[:, 0], kind="stable")]
    merged = [intervals[0].tolist()]
    for start, end in intervals[1:].tolist():
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return np.array(merged, dtype=np.int64)


def _year(epoch_seconds: int) -> int:
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=int(epoch_seconds))).year
