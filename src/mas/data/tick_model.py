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
"""Candles synthesized at a time (a block of candles' ticks is made in buffers that stay in the CPU caches)."""
_ROWS = 1 << 16
"""Ticks written into ``TICKS_DTYPE`` rows at a time."""


def ticks_per_candle(tick_volume: np.ndarray) -> np.ndarray:
    """How many ticks each candle gets: ``3 * m + 1`` with ``m = clamp(ceil((v - 1) / 3), 1, MAX_STEPS)``."""
    volume = np.minimum(np.asarray(tick_volume, dtype=np.uint64), 3 * MAX_STEPS).astype(np.int64)
    return 3 * np.clip((volume + 1) // 3, 1, MAX_STEPS) + 1


def synthesize_ticks_from_m1(
    rates: np.ndarray, digits: int, *, spread: int | None = None, bar_seconds: int = 60
) -> np.ndarray:
    """Every-tick ticks (``TICKS_DTYPE``) for each candle of ``rates``, following the module's rule."""
    synthesis = TickSynthesis(rates, digits, spread=spread, bar_seconds=bar_seconds)
    return synthesis.rows(0, synthesis.size)


class TickSynthesis:
    """The every-tick ticks of ``rates`` (:func:`synthesize_ticks_from_m1`), made a range of ticks at a time: a
    replay reads them a chunk at a time, so a year of ticks (tens of millions, 60 bytes each) need not be in
    memory at once. Tick ``i`` is the same whichever range it is made in."""

    def __init__(self, rates: np.ndarray, digits: int, *, spread: int | None = None, bar_seconds: int = 60) -> None:
        self.rates = np.asarray(rates, dtype=RATES_DTYPE)
        self.digits = check_digits(digits)
        self.scale = 10.0**self.digits
        self.bar_seconds = bar_seconds
        self.counts = ticks_per_candle(self.rates["tick_volume"])
        """Ticks per candle."""
        self.ends = np.cumsum(self.counts)
        """One past each candle's last tick."""
        self.size = int(self.ends[-1]) if self.ends.size else 0
        """How many ticks in all."""
        self.spreads = self.rates["spread"] if spread is None else np.full(self.rates.size, spread, dtype=np.int32)
        self.steps = (self.counts - 1) // 3

    def candle_of(self, ticks: np.ndarray) -> np.ndarray:
        """The candle (index in ``rates``) of each tick position in ``ticks``."""
        return np.searchsorted(self.ends, ticks, side="right")

    def times_msc(self, ticks: np.ndarray) -> np.ndarray:
        """The times (epoch milliseconds) of the ticks at positions ``ticks``."""
        ticks = np.asarray(ticks, dtype=np.int64)
        candle = self.candle_of(ticks)
        counts = self.counts[candle]
        index = ticks - (self.ends[candle] - counts)
        return self.rates["time"][candle] * 1000 + index * (self.bar_seconds * 1000) // counts

    def rows(self, start: int, end: int) -> np.ndarray:
        """Ticks ``start`` to ``end`` (exclusive) as ``TICKS_DTYPE`` rows, flags included (the first row's against
        the tick before it)."""
        start, end = max(0, start), min(end, self.size)
        ticks = np.zeros(max(0, end - start), dtype=TICKS_DTYPE)  # last and the volumes stay 0
        for lo in range(start, end, _ROWS):
            hi = min(lo + _ROWS, end)
            lead = 1 if lo else 0  # the tick before, for the first tick's flags
            time_msc, bid, ask = self.columns(lo - lead, hi)
            out = ticks[lo - start:hi - start]
            out["time_msc"] = time_msc[lead:]
            time_msc //= 1000
            out["time"] = time_msc[lead:]
            out["bid"] = bid[lead:]
            out["ask"] = ask[lead:]
            out["flags"] = change_flags(bid, ask)[lead:]
        return ticks

    def columns(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The times (epoch milliseconds), bids and asks of ticks ``start`` to ``end`` (exclusive)."""
        start, end = max(0, start), min(end, self.size)
        if end <= start:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.float64)
        first_candle, last_candle = (int(c) for c in self.candle_of(np.array([start, end - 1])))
        ends = self.ends
        parts = []
        for lo in range(first_candle, last_candle + 1, _CHUNK):
            hi = min(lo + _CHUNK, last_candle + 1)
            first = int(ends[lo - 1]) if lo else 0
            bid, ask, time_msc = _chunk(self.rates[lo:hi], self.steps[lo:hi], self.counts[lo:hi],
                                        self.spreads[lo:hi], self.scale, self.bar_seconds)
            skip, keep = max(start - first, 0), min(end, int(ends[hi - 1])) - first
            parts.append((time_msc[skip:keep], bid[skip:keep], ask[skip:keep]))
        if len(parts) == 1:
            return parts[0]
        time_msc, bid, ask = (np.concatenate(column) for column in zip(*parts, strict=True))
        return time_msc, bid, ask


def _chunk(rates: np.ndarray, steps: np.ndarray, counts: np.ndarray, spreads: np.ndarray, scale: float,
           bar_seconds: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bids, asks and times (epoch ms) of the ticks of ``rates``, whose legs have ``steps`` steps each.

    The candles with the same number of steps are done together, as a matrix of one row per candle: the
    step fractions, tick offsets and the point of each pivot in the row are the same for all of them."""
    size = counts.size
    firsts = np.cumsum(counts) - counts  # each candle's first tick in the chunk
    total = int(firsts[-1] + counts[-1])
    bid = np.empty(total, dtype=np.float64)
    ask = np.empty(total, dtype=np.float64)
    time_msc = np.empty(total, dtype=np.int64)
    opens, closes = rates["open"], rates["close"]
    bearish = closes < opens
    pivots = np.empty((size, 4), dtype=np.float64)
    pivots[:, 0] = opens
    pivots[:, 1] = np.where(bearish, rates["high"], rates["low"])
    pivots[:, 2] = np.where(bearish, rates["low"], rates["high"])
    pivots[:, 3] = closes
    spread_price = spreads / scale
    minute_ms = rates["time"] * 1000
    order = np.argsort(steps, kind="stable")
    bounds = np.flatnonzero(np.diff(steps[order])) + 1
    for group in np.split(order, bounds):
        m = int(steps[group[0]])
        n = 3 * m + 1
        rows = pivots[group]
        path = np.empty((group.size, n), dtype=np.float64)
        path[:, 0] = rows[:, 0]
        if m > 1:
            fractions = np.arange(1, m, dtype=np.int64) / m
            for leg in range(3):
                start, end = rows[:, leg : leg + 1], rows[:, leg + 1 : leg + 2]
                walk = path[:, leg * m + 1 : (leg + 1) * m]
                np.multiply(end - start, fractions, out=walk)
                walk += start
                walk *= scale
                np.rint(walk, out=walk)
                walk /= scale
                np.clip(walk, np.minimum(start, end), np.maximum(start, end), out=walk)
        path[:, m :: m] = rows[:, 1:]  # each leg ends on its pivot, exactly
        at = firsts[group][:, None] + np.arange(n)
        bid[at] = path
        path += spread_price[group][:, None]
        ask[at] = path
        time_msc[at] = minute_ms[group][:, None] + np.arange(n, dtype=np.int64) * (bar_seconds * 1000) // n
    return bid, ask, time_msc
