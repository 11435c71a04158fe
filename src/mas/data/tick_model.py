"""The MT5 strategy tester's "every tick" model: ticks synthesized from M1 candles.

The rule, for each candle (``RATES_DTYPE`` row with open O, high H, low L, close C):

1. The path has four pivots: ``O -> L -> H -> C`` for a bullish candle (``C >= O``, dojis
   included) and ``O -> H -> L -> C`` for a bearish one (``C < O``), the tester's convention.
2. Each of the three legs between pivots is walked in ``m`` equal steps, with
   ``m = clamp(ceil((tick_volume - 1) / 3), 1, MAX_STEPS)``; the candle gets ``3 * m + 1`` ticks
   (the open, then ``m`` per leg): 4 ticks for tick_volume <= 4, at most 61 (``MAX_STEPS`` = 20),
   about ``tick_volume`` in between.
3. The tick after step ``j`` of the leg from ``a`` to ``b`` has the bid
   ``a + (b - a) * j / m`` rounded to the point grid (``10**-digits``) and kept between ``a``
   and ``b``; the last step of a leg is the pivot itself, exactly. So the first tick is the open,
   the last the close, and the candle's high and low are reached exactly.
4. Tick ``i`` of ``n`` is stamped ``time + i * 60 s / n`` (whole milliseconds, rounded down):
   the open at the candle's open time, all ticks inside its minute.
5. ``ask = bid + spread * point``, with the candle's ``spread`` column, or the ``spread``
   argument when given. Volumes are 0; flags mark what changed (:mod:`mas.data.ticks`).

Building M1 candles back from these ticks (:func:`mas.data.resample.ticks_to_m1`) gives the
candles' open, high, low, close and spread back, and ``3 * m + 1`` as tick volume.
"""

from __future__ import annotations

import numpy as np

from mas.data.points import check_digits
from mas.data.ticks import change_flags
from mas.terminal.types import RATES_DTYPE, TICKS_DTYPE

MAX_STEPS = 20
"""The most steps per leg: a candle gets at most ``3 * MAX_STEPS + 1`` ticks."""
_CHUNK = 4096
"""Candles synthesized at a time (keeps the temporaries small enough for the CPU caches)."""


def ticks_per_candle(tick_volume: np.ndarray) -> np.ndarray:
    """How many ticks each candle gets: ``3 * m + 1`` with ``m = clamp(ceil((v - 1) / 3), 1, MAX_STEPS)``."""
    volume = np.minimum(np.asarray(tick_volume, dtype=np.uint64), 3 * MAX_STEPS).astype(np.int64)
    return 3 * np.clip((volume + 1) // 3, 1, MAX_STEPS) + 1


def synthesize_ticks_from_m1(
    rates: np.ndarray, digits: int, *, spread: int | None = None, bar_seconds: int = 60
) -> np.ndarray:
    """Every-tick ticks (``TICKS_DTYPE``) for each candle of ``rates``, following the module's rule."""
    rates = np.asarray(rates, dtype=RATES_DTYPE)
    scale = 10.0 ** check_digits(digits)
    counts = ticks_per_candle(rates["tick_volume"])
    ends = np.cumsum(counts)
    ticks = np.empty(int(ends[-1]) if ends.size else 0, dtype=TICKS_DTYPE)
    spreads = rates["spread"] if spread is None else np.full(rates.size, spread, dtype=np.int32)
    for lo in range(0, rates.size, _CHUNK):
        hi = min(lo + _CHUNK, rates.size)
        first = int(ends[lo - 1]) if lo else 0
        _fill(ticks[first : int(ends[hi - 1])], rates[lo:hi], counts[lo:hi], spreads[lo:hi], scale, bar_seconds)
    ticks["flags"] = change_flags(ticks["bid"], ticks["ask"])
    return ticks


def _fill(
    out: np.ndarray, rates: np.ndarray, counts: np.ndarray, spreads: np.ndarray, scale: float, bar_seconds: int
) -> None:
    """Write the ticks of ``rates`` (whose tick counts are ``counts``) into ``out``."""
    size = rates.size
    candle = np.repeat(np.arange(size, dtype=np.int32), counts)
    first_tick = (np.cumsum(counts) - counts).astype(np.int32)
    index = np.arange(candle.size, dtype=np.int32) - first_tick[candle]  # tick number inside its candle

    bearish = rates["close"] < rates["open"]
    pivots = np.empty((size, 4), dtype=np.float64)
    pivots[:, 0] = rates["open"]
    pivots[:, 1] = np.where(bearish, rates["high"], rates["low"])
    pivots[:, 2] = np.where(bearish, rates["low"], rates["high"])
    pivots[:, 3] = rates["close"]

    leg_steps = ((counts - 1) // 3).astype(np.int32)[candle]
    done = np.maximum(index - 1, 0)
    leg = done // leg_steps
    step = np.where(index == 0, 0, done - leg * leg_steps + 1)
    flat = pivots.ravel()
    at = candle * 4 + leg
    start = flat[at]
    end = flat[at + 1]
    bid = (end - start) * (step / leg_steps)
    bid += start
    bid *= scale
    np.rint(bid, out=bid)
    bid /= scale
    np.clip(bid, np.minimum(start, end), np.maximum(start, end), out=bid)
    bid[step == leg_steps] = end[step == leg_steps]
    bid[step == 0] = start[step == 0]

    time_msc = rates["time"][candle] * 1000
    time_msc += index * (bar_seconds * 1000) // counts[candle]
    out["time_msc"] = time_msc
    out["time"] = time_msc // 1000
    out["bid"] = bid
    out["ask"] = bid + spreads[candle] / scale
    out["last"] = 0.0
    out["volume"] = 0
    out["volume_real"] = 0.0
