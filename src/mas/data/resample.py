"""Build higher-timeframe bars from lower-timeframe bars, and M1 bars from ticks.

Aggregation per target bar: open = first open, high = max, low = min, close = last close,
tick_volume and real_volume = sums, spread = the *minimum* spread of the constituent bars.
A bar's spread in MT5 history is the lowest spread seen during the bar, so the minimum keeps that
meaning: an H1 bar built from M1 bars carries the lowest spread of the hour, like an H1 bar
exported from the terminal.
"""

from __future__ import annotations

import numpy as np

from mas.data.points import check_digits
from mas.data.timeframes import bar_open_times, timeframe_name, timeframe_seconds
from mas.i18n.errors import InputError
from mas.terminal.types import RATES_DTYPE, TICKS_DTYPE

_DAY = 86400
_CALENDAR = ("W1", "MN1")


def can_resample(source: str, target: str) -> bool:
    """True when every ``source`` bar lies inside exactly one ``target`` bar (and they differ).

    Fixed-length targets up to D1 need a source length that divides theirs (H1 -> H4, not H3 ->
    H4); W1 and MN1 can be built from any timeframe up to D1, whose bars never cross midnight.
    """
    source, target = timeframe_name(source), timeframe_name(target)
    if source == target or source in _CALENDAR:
        return False
    source_seconds = timeframe_seconds(source)
    if target in _CALENDAR:
        return _DAY % source_seconds == 0
    target_seconds = timeframe_seconds(target)
    return target_seconds > source_seconds and target_seconds % source_seconds == 0


def resample_rates(rates: np.ndarray, target: str) -> np.ndarray:
    """Aggregate ``rates`` (``RATES_DTYPE``, sorted by time) into ``target`` bars.

    Bar open times follow :func:`~mas.data.timeframes.bar_open_times` (midnight-aligned, W1 on
    Monday, MN1 on the 1st). The first and last bars may be partial when the data starts or
    ends inside them.
    """
    if rates.size == 0:
        return np.empty(0, dtype=RATES_DTYPE)
    times = rates["time"]
    if np.any(np.diff(times) <= 0):
        raise InputError("resample_unsorted")
    keys = bar_open_times(times, target)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(keys)) + 1))
    ends = np.concatenate((starts[1:], [rates.size]))

    result = np.empty(starts.size, dtype=RATES_DTYPE)
    result["time"] = keys[starts]
    result["open"] = rates["open"][starts]
    result["high"] = np.maximum.reduceat(rates["high"], starts)
    result["low"] = np.minimum.reduceat(rates["low"], starts)
    result["close"] = rates["close"][ends - 1]
    result["tick_volume"] = np.add.reduceat(rates["tick_volume"], starts)
    result["spread"] = np.minimum.reduceat(rates["spread"], starts)
    result["real_volume"] = np.add.reduceat(rates["real_volume"], starts)
    return result


def ticks_to_m1(ticks: np.ndarray, digits: int) -> np.ndarray:
    """M1 bars (``RATES_DTYPE``) from ``ticks`` (``TICKS_DTYPE``, sorted by ``time_msc``).

    Candles are built from the bid, as MT5 does: open = first bid of the minute, high = max,
    low = min, close = last bid. ``tick_volume`` is the number of ticks in the minute,
    ``spread`` the smallest ``ask - bid`` of the minute in points (``10**-digits``), and
    ``real_volume`` the sum of the ticks' ``volume``. Minutes without ticks have no bar.
    """
    ticks = np.asarray(ticks, dtype=TICKS_DTYPE)
    return columns_to_m1(ticks["time_msc"], ticks["bid"], ticks["ask"], ticks["volume"], digits)


def columns_to_m1(time_msc: np.ndarray, bid: np.ndarray, ask: np.ndarray, volume: np.ndarray | None,
                  digits: int) -> np.ndarray:
    """:func:`ticks_to_m1` of ticks given as columns (``volume`` None: every tick's is 0).

    The minutes are found by a search per minute boundary (ticks outnumber minutes by tens), and the
    spread is the smallest ``ask - bid`` of the minute put in points (the same as the smallest of the
    ticks' spreads in points: rounding a scaled value never changes which is smaller)."""
    time_msc = np.asarray(time_msc, dtype=np.int64)
    size = time_msc.size
    if size == 0:
        return np.empty(0, dtype=RATES_DTYPE)
    scale = 10.0 ** check_digits(digits)
    if bool((time_msc[1:] < time_msc[:-1]).any()):
        raise InputError("ticks_unsorted")
    first, last = int(time_msc[0]) // 60_000, int(time_msc[-1]) // 60_000
    starts = np.searchsorted(time_msc, np.arange(first + 1, last + 1, dtype=np.int64) * 60_000, side="left")
    if starts.size:
        starts = starts[np.append(True, starts[1:] != starts[:-1])]  # minutes without ticks repeat the next start
    starts = np.concatenate(([0], starts)).astype(np.intp)
    ends = np.append(starts[1:], size)
    bid = np.asarray(bid, dtype=np.float64)

    result = np.empty(starts.size, dtype=RATES_DTYPE)
    result["time"] = time_msc[starts] // 60_000 * 60
    result["open"] = bid[starts]
    result["high"] = np.maximum.reduceat(bid, starts)
    result["low"] = np.minimum.reduceat(bid, starts)
    result["close"] = bid[ends - 1]
    result["tick_volume"] = ends - starts
    spreads = np.rint(np.minimum.reduceat(np.subtract(ask, bid), starts) * scale)
    result["spread"] = np.clip(spreads, 0, np.iinfo(np.int32).max)
    result["real_volume"] = 0 if volume is None else np.add.reduceat(volume, starts)
    return result
