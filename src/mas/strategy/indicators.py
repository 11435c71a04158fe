"""Technical indicators, streaming and vectorized, with TA-Lib's definitions.

Streaming classes take one bar at a time: ``update(...)`` does O(1) work (amortized O(1) for
Highest/Lowest's monotonic deque and for the Bollinger variance, whose sums are re-centred
once per window) and returns the new value, or ``None`` while the indicator is warming up; the
latest value is also kept in ``.value``. Their first value appears on the same bar as TA-Lib's
first non-NaN output, and on real prices they agree with TA-Lib to 1e-11 or better.

Array functions (``sma(values, n)`` ...) give the streaming classes' values over a whole array,
bit for bit: float arrays of the input's length with NaN during the warm-up. They check their
arguments and call the one array implementation of each indicator, :mod:`mas.vector.indicators`
(which the fast backtests use too; compiled by numba when it is installed).

Definitions (all as TA-Lib unless noted):

- SMA, WMA: plain and linearly weighted means of the last ``n`` values.
- EMA: ``k = 2 / (n + 1)``, seeded with the SMA of the first ``n`` values.
- Wilder (RSI, ATR): ``avg = (avg * (n - 1) + x) / n``, seeded with the SMA of the first ``n``.
- RSI: Wilder averages of gains and losses of close-to-close changes, first value on bar ``n``.
  Difference: TA-Lib returns 0 when the average gain plus loss is within 1e-14 of zero (a flat
  series); here a series that has not moved gives 50 (neutral), and any movement gives the ratio.
- MACD: EMA(fast) - EMA(slow), signal = EMA(signal) of the MACD line, histogram = MACD - signal.
  As in TA-Lib, the fast EMA is seeded on the slow EMA's first bar (``slow - 1``) with the SMA of
  the ``fast`` values ending there, and all three outputs start on bar ``slow + signal - 2``.
- Bollinger Bands: SMA middle band, +/- ``nbdev`` population standard deviations.
- KD (the MAS docs' stochastic, not TA-Lib's STOCH): RSV = (close - lowest low) / (highest
  high - lowest low) * 100 over ``n`` bars; K = (1 - 1/k) K_prev + RSV / k, D = (1 - 1/d) D_prev
  + K / d, both starting from 50 (so with 9, 3, 3: K = 2/3 K_prev + 1/3 RSV). A bar range of zero
  gives RSV = 50.
- True range: max(high, previous close) - min(low, previous close), from the second bar;
  ATR = Wilder average of it, first value on bar ``n``.
- Highest / Lowest: max / min of the last ``n`` values (TA-Lib MAX / MIN).
- Stochastic (TA-Lib STOCH, simple averages), Williams %R, CCI and ADX: streaming classes here;
  their array versions are in :mod:`mas.vector.indicators`.
"""

from __future__ import annotations

import math
import operator
from collections import deque
from collections.abc import Callable
from types import ModuleType
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mas.i18n.errors import Text

FloatArray = NDArray[np.float64]

__all__ = [
    "ADX",
    "ATR",
    "CCI",
    "EMA",
    "KD",
    "MACD",
    "RSI",
    "SMA",
    "WMA",
    "BandsValue",
    "BollingerBands",
    "Highest",
    "KDValue",
    "Lowest",
    "MACDValue",
    "RollingStats",
    "RollingWindow",
    "Stochastic",
    "TrueRange",
    "WilderMA",
    "WilliamsR",
    "atr",
    "bollinger_bands",
    "check_number",
    "check_period",
    "ema",
    "highest",
    "kd",
    "lowest",
    "macd",
    "rsi",
    "sma",
    "true_range",
    "wilder",
    "wma",
]


# ---------------------------------------------------------------------------------------------
# Validation


def check_period(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int if it is a whole number >= ``minimum``, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(Text("ind_whole_number", name=name, minimum=minimum, value=value))
    return int(value)


def check_number(
    value: object, name: str, *, low: float | None = None, high: float | None = None, strict: bool = False
) -> float:
    """Return ``value`` as a finite float within [low, high] (open bounds if ``strict``)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        v = float(value)
        below = low is not None and (v <= low if strict else v < low)
        above = high is not None and (v >= high if strict else v > high)
        if math.isfinite(v) and not (below or above):
            return v
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    bounds = f"({lo}, {hi})" if strict else f"[{lo}, {hi}]"
    raise ValueError(Text("ind_finite_number", name=name, bounds=bounds, value=value))


# ---------------------------------------------------------------------------------------------
# Shared rolling helpers


class RollingWindow:
    """The last ``n`` values in a ring buffer with their running sum, O(1) per push."""

    __slots__ = ("n", "count", "total", "_buf", "_pos")

    def __init__(self, n: int) -> None:
        self.n = check_period(n, "n")
        self.count = 0
        self.total = 0.0
        self._buf = [0.0] * self.n
        self._pos = 0

    @property
    def full(self) -> bool:
        """Whether the window holds ``n`` values."""
        return self.count == self.n

    def push(self, x: float) -> float | None:
        """Add ``x``; return the value it evicted (None while the window is filling)."""
        pos = self._pos
        if self.count < self.n:
            old = None
            self.count += 1
            self.total += x
        else:
            old = self._buf[pos]
            self.total = (self.total - old) + x  # TA-Lib's order of operations
        self._buf[pos] = x
        self._pos = pos + 1 if pos + 1 < self.n else 0
        return old

    def mean(self) -> float:
        """The mean of the values held (at least one)."""
        return self.total / self.count

    def values(self) -> list[float]:
        """The window's values, oldest first (O(n); for inspection)."""
        if self.count < self.n:
            return self._buf[: self.count]
        return self._buf[self._pos :] + self._buf[: self._pos]


class RollingStats(RollingWindow):
    """A :class:`RollingWindow` that also keeps the population variance of its values.

    The variance comes from running sums of deviations from a centre ``c`` (close to the
    window's mean), so rounding error stays relative to the window's own spread rather than to
    the price level. The sums are re-centred exactly once per window length (amortized O(1)),
    and at once when the variance collapses below 1e-4 of the sums' scale (e.g. a flat
    market), where it would otherwise be only rounding noise; a flat window gives exactly 0.
    """

    __slots__ = ("_c", "_s1", "_s2", "_peak", "_var")

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self._c = 0.0
        self._s1 = 0.0  # sum of (x - c)
        self._s2 = 0.0  # sum of (x - c) ** 2
        self._peak = 0.0  # largest s2 / count since the last re-centring
        self._var = 0.0

    def push(self, x: float) -> float | None:
        old = super().push(x)
        count = self.count
        if count == 1:
            self._c = x
        d = x - self._c
        if old is None:
            self._s1 += d
            self._s2 += d * d
        else:
            e = old - self._c
            self._s1 += d - e
            self._s2 += d * d - e * e
        scale = self._s2 / count
        if scale > self._peak:
            self._peak = scale
        mean_dev = self._s1 / count
        var = scale - mean_dev * mean_dev
        if self._pos == 0 or var < 1e-4 * self._peak:
            var = self._recentre()
        self._var = var
        return old

    def _recentre(self) -> float:
        """Recompute the sums exactly around the current mean; return the variance."""
        values = self.values()
        count = len(values)
        self._c = c = math.fsum(values) / count
        self._s1 = math.fsum(v - c for v in values)
        self._s2 = math.fsum((v - c) * (v - c) for v in values)
        self._peak = self._s2 / count
        mean_dev = self._s1 / count
        return max(self._peak - mean_dev * mean_dev, 0.0)

    def variance(self) -> float:
        """Population variance of the values in the window."""
        return self._var


class _RollingExtreme:
    """Max or min of the last ``period`` values with a monotonic deque (amortized O(1))."""

    __slots__ = ("period", "value", "_dq", "_i")
    _dominates: Callable[[float, float], bool]

    def __init__(self, period: int) -> None:
        self.period = check_period(period, "period")
        self.value: float | None = None
        self._dq: deque[tuple[int, float]] = deque()
        self._i = 0

    def update(self, x: float) -> float | None:
        dq = self._dq
        i = self._i
        self._i = i + 1
        dominates = self._dominates
        while dq and dominates(x, dq[-1][1]):
            dq.pop()
        dq.append((i, x))
        if dq[0][0] <= i - self.period:
            dq.popleft()
        if i + 1 < self.period:
            return None
        self.value = v = dq[0][1]
        return v


class Highest(_RollingExtreme):
    """Highest value of the last ``period`` values (TA-Lib MAX)."""

    __slots__ = ()
    _dominates = staticmethod(operator.ge)


class Lowest(_RollingExtreme):
    """Lowest value of the last ``period`` values (TA-Lib MIN)."""

    __slots__ = ()
    _dominates = staticmethod(operator.le)


class _SeededAverage:
    """A recursive average whose first value is the SMA of its first ``period`` inputs."""

    __slots__ = ("period", "value", "_count", "_sum")

    def __init__(self, period: int) -> None:
        self.period = check_period(period, "period")
        self.value: float | None = None
        self._count = 0
        self._sum = 0.0

    def seed(self, value: float) -> None:
        """Start the recursion from ``value`` instead of the SMA of the first inputs."""
        self.value = float(value)

    def _warm(self, x: float) -> float | None:
        self._count += 1
        self._sum += x
        if self._count < self.period:
            return None
        self.value = v = self._sum / self.period
        return v


# ---------------------------------------------------------------------------------------------
# Streaming indicators


class SMA:
    """Simple moving average of the last ``period`` values."""

    __slots__ = ("period", "value", "_win")

    def __init__(self, period: int) -> None:
        self.period = check_period(period, "period")
        self.value: float | None = None
        self._win = RollingWindow(self.period)

    def update(self, x: float) -> float | None:
        """Add the next value; the average, or None until ``period`` values are in."""
        win = self._win
        win.push(x)
        if win.count < self.period:
            return None
        self.value = v = win.total / self.period
        return v


class EMA(_SeededAverage):
    """Exponential moving average, ``k = 2 / (period + 1)``, seeded with the first SMA."""

    __slots__ = ("k",)

    def __init__(self, period: int) -> None:
        super().__init__(period)
        self.k = 2.0 / (self.period + 1)

    def update(self, x: float) -> float | None:
        """Add the next value; the average, or None until ``period`` values are in."""
        v = self.value
        if v is None:
            return self._warm(x)
        self.value = v = (x - v) * self.k + v
        return v


class WilderMA(_SeededAverage):
    """Wilder's smoothing (RMA): ``(prev * (period - 1) + x) / period``, seeded with the first SMA."""

    __slots__ = ("_nm1",)

    def __init__(self, period: int) -> None:
        super().__init__(period)
        self._nm1 = float(self.period - 1)

    def update(self, x: float) -> float | None:
        """Add the next value; the average, or None until ``period`` values are in."""
        v = self.value
        if v is None:
            return self._warm(x)
        self.value = v = (v * self._nm1 + x) / self.period
        return v


class WMA:
    """Linearly weighted moving average (weights 1..period, newest heaviest)."""

    __slots__ = ("period", "value", "_win", "_wsum", "_divider")

    def __init__(self, period: int) -> None:
        self.period = check_period(period, "period")
        self.value: float | None = None
        self._win = RollingWindow(self.period)
        self._wsum = 0.0
        self._divider = self.period * (self.period + 1) / 2.0

    def update(self, x: float) -> float | None:
        """Add the next value; the average, or None until ``period`` values are in."""
        win = self._win
        win.push(x)
        self._wsum += x * win.count  # the newest value weighs the number of values held
        if win.count < self.period:
            return None
        self.value = v = self._wsum / self._divider
        self._wsum -= win.total  # every weight drops by one; the oldest reaches zero
        return v


class RSI:
    """Relative strength index with Wilder smoothing; first value after ``period`` changes."""

    __slots__ = ("period", "value", "_prev", "_gain", "_loss")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period(period, "period")
        self.value: float | None = None
        self._prev: float | None = None
        self._gain = WilderMA(self.period)
        self._loss = WilderMA(self.period)

    def update(self, x: float) -> float | None:
        """Add the next close; the RSI (0 to 100), or None until ``period`` changes are in."""
        prev = self._prev
        self._prev = x
        if prev is None:
            return None
        d = x - prev
        if d < 0.0:
            gain = self._gain.update(0.0)
            loss = self._loss.update(-d)
        else:
            gain = self._gain.update(d)
            loss = self._loss.update(0.0)
        if gain is None or loss is None:
            return None
        total = gain + loss
        self.value = v = 100.0 * (gain / total) if total != 0.0 else 50.0
        return v


class MACDValue(NamedTuple):
    """One MACD reading: the MACD line, its signal line and the histogram (line - signal)."""
    macd: float
    signal: float
    hist: float


class MACD:
    """MACD line, signal line and histogram, aligned and seeded as TA-Lib's MACD.

    ``macd_line`` is available from bar ``slow - 1``; ``update`` returns a :class:`MACDValue`
    from bar ``slow + signal - 2`` on (TA-Lib's first output), None before.
    """

    __slots__ = (
        "fast",
        "slow",
        "signal",
        "value",
        "macd_line",
        "_fast_ema",
        "_slow_ema",
        "_seed_win",
        "_signal_ema",
    )

    def __init__(self, fast: int = 12, slow: int = 26, signal: int = 9) -> None:
        self.fast = check_period(fast, "fast")
        self.slow = check_period(slow, "slow")
        self.signal = check_period(signal, "signal")
        if self.fast >= self.slow:
            raise ValueError(Text("ind_fast_below_slow", slow=self.slow, fast=fast))
        self.value: MACDValue | None = None
        self.macd_line: float | None = None
        self._fast_ema = EMA(self.fast)
        self._slow_ema = EMA(self.slow)
        self._seed_win: RollingWindow | None = RollingWindow(self.fast)
        self._signal_ema = EMA(self.signal)

    def update(self, x: float) -> MACDValue | None:
        """Add the next close; the reading, or None until the slow EMA and the signal have started."""
        slow = self._slow_ema.update(x)
        win = self._seed_win
        if win is not None:  # TA-Lib seeds the fast EMA where the slow one starts
            win.push(x)
            if slow is None:
                return None
            self._fast_ema.seed(win.total / self.fast)
            self._seed_win = None
            fast = self._fast_ema.value
        else:
            fast = self._fast_ema.update(x)
        line = fast - slow  # type: ignore[operator]
        self.macd_line = line
        sig = self._signal_ema.update(line)
        if sig is None:
            return None
        self.value = v = MACDValue(line, sig, line - sig)
        return v


class BandsValue(NamedTuple):
    """One Bollinger reading: upper band, middle (the SMA) and lower band."""
    upper: float
    middle: float
    lower: float


class BollingerBands:
    """Bollinger Bands: SMA(period) +/- nbdev population standard deviations."""

    __slots__ = ("period", "nbdev", "value", "_win")

    def __init__(self, period: int = 20, nbdev: float = 2.0) -> None:
        self.period = check_period(period, "period")
        self.nbdev = check_number(nbdev, "nbdev", low=0.0)
        self.value: BandsValue | None = None
        self._win = RollingStats(self.period)

    def update(self, x: float) -> BandsValue | None:
        """Add the next close; the bands, or None until ``period`` values are in."""
        win = self._win
        win.push(x)
        if win.count < self.period:
            return None
        middle = win.total / self.period
        width = math.sqrt(win.variance()) * self.nbdev
        self.value = v = BandsValue(middle + width, middle, middle - width)
        return v


class KDValue(NamedTuple):
    """One stochastic reading: %K and %D."""
    k: float
    d: float


class KD:
    """The MAS docs' KD stochastic: RSV over ``period`` bars, K and D smoothed from 50."""

    __slots__ = ("period", "k_smooth", "d_smooth", "value", "_hi", "_lo", "_k", "_d")

    def __init__(self, period: int = 9, k_smooth: int = 3, d_smooth: int = 3) -> None:
        self.period = check_period(period, "period")
        self.k_smooth = check_period(k_smooth, "k_smooth")
        self.d_smooth = check_period(d_smooth, "d_smooth")
        self.value: KDValue | None = None
        self._hi = Highest(self.period)
        self._lo = Lowest(self.period)
        self._k = 50.0
        self._d = 50.0

    def update(self, high: float, low: float, close: float) -> KDValue | None:
        """Add the next bar; K and D, or None until ``period`` bars are in."""
        hh = self._hi.update(high)
        ll = self._lo.update(low)
        if hh is None or ll is None:
            return None
        rng = hh - ll
        rsv = (close - ll) / rng * 100.0 if rng > 0.0 else 50.0
        ks, ds = self.k_smooth, self.d_smooth
        self._k = k = self._k * ((ks - 1) / ks) + rsv / ks
        self._d = d = self._d * ((ds - 1) / ds) + k / ds
        self.value = v = KDValue(k, d)
        return v


class TrueRange:
    """True range; None on the first bar (no previous close), as TA-Lib TRANGE."""

    __slots__ = ("value", "_prev_close")

    def __init__(self) -> None:
        self.value: float | None = None
        self._prev_close: float | None = None

    def update(self, high: float, low: float, close: float) -> float | None:
        """Add the next bar; its true range, or None on the first bar."""
        pc = self._prev_close
        self._prev_close = close
        if pc is None:
            return None
        self.value = v = max(high - low, abs(pc - high), abs(pc - low))
        return v


class ATR:
    """Average true range (Wilder); first value on bar ``period`` as TA-Lib ATR."""

    __slots__ = ("period", "value", "_tr", "_avg")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period(period, "period")
        self.value: float | None = None
        self._tr = TrueRange()
        self._avg = WilderMA(self.period)

    def update(self, high: float, low: float, close: float) -> float | None:
        """Add the next bar; the average true range, or None until ``period`` ranges are in."""
        tr = self._tr.update(high, low, close)
        if tr is None:
            return None
        v = self._avg.update(tr)
        if v is not None:
            self.value = v
        return v


class Stochastic:
    """TA-Lib STOCH with simple averages: fast %K over ``fastk`` bars (0 when the range is 0),
    slow %K = SMA(``slowk``) of it, slow %D = SMA(``slowd``) of slow %K."""

    __slots__ = ("fastk", "slowk", "slowd", "value", "_hi", "_lo", "_k", "_d")

    def __init__(self, fastk: int = 14, slowk: int = 3, slowd: int = 3) -> None:
        self.fastk = check_period(fastk, "fastk")
        self.slowk = check_period(slowk, "slowk")
        self.slowd = check_period(slowd, "slowd")
        self.value: KDValue | None = None
        self._hi = Highest(self.fastk)
        self._lo = Lowest(self.fastk)
        self._k = SMA(self.slowk)
        self._d = SMA(self.slowd)

    def update(self, high: float, low: float, close: float) -> KDValue | None:
        """Add the next bar; slow %K and %D, or None until enough bars are in."""
        hh = self._hi.update(high)
        ll = self._lo.update(low)
        if hh is None or ll is None:
            return None
        rng = (hh - ll) / 100.0
        k = self._k.update((close - ll) / rng if rng != 0.0 else 0.0)
        if k is None:
            return None
        d = self._d.update(k)
        if d is None:
            return None
        self.value = v = KDValue(k, d)
        return v


class WilliamsR:
    """Williams %R: -100 (highest high - close) / (highest high - lowest low); 0 when the range is 0."""

    __slots__ = ("period", "value", "_hi", "_lo")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period(period, "period")
        self.value: float | None = None
        self._hi = Highest(self.period)
        self._lo = Lowest(self.period)

    def update(self, high: float, low: float, close: float) -> float | None:
        """Add the next bar; %R (-100 to 0), or None until ``period`` bars are in."""
        hh = self._hi.update(high)
        ll = self._lo.update(low)
        if hh is None or ll is None:
            return None
        rng = (hh - ll) / -100.0
        self.value = v = (hh - close) / rng if rng != 0.0 else 0.0
        return v


class CCI:
    """Commodity channel index: (typical price - its SMA) / (0.015 x mean absolute deviation).

    The mean deviation is taken around the current SMA, so each update is O(period) (no
    recomputation over the history); 0 when the deviation is 0, as TA-Lib.
    """

    __slots__ = ("period", "value", "_win")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period(period, "period", minimum=2)
        self.value: float | None = None
        self._win = RollingWindow(self.period)

    def update(self, high: float, low: float, close: float) -> float | None:
        """Add the next bar; the CCI, or None until ``period`` bars are in."""
        win = self._win
        typical = (high + low + close) / 3.0
        win.push(typical)
        if win.count < self.period:
            return None
        values = win.values()
        total = 0.0  # summed in sequence, as the array version does (Python 3.12's sum() compensates)
        for v in values:
            total += v
        mean = total / self.period
        spread = 0.0
        for v in values:
            spread += abs(v - mean)
        deviation = spread / self.period
        diff = typical - mean
        self.value = v = diff / (0.015 * deviation) if diff != 0.0 and deviation != 0.0 else 0.0
        return v


class ADX:
    """Average directional index as TA-Lib: Wilder sums of +DM, -DM and true range, DX from
    the directional indicators, ADX = Wilder average of DX; first value on bar ``2 period - 1``."""

    __slots__ = ("period", "value", "_prev", "_count", "_plus", "_minus", "_tr", "_dx_sum", "_dx_count")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period(period, "period", minimum=2)
        self.value: float | None = None
        self._prev: tuple[float, float, float] | None = None
        self._count = 0  # bars with a previous bar
        self._plus = self._minus = self._tr = 0.0
        self._dx_sum = 0.0
        self._dx_count = 0

    def update(self, high: float, low: float, close: float) -> float | None:
        """Add the next bar; the ADX, or None before its first value (bar ``2 * period - 1``)."""
        prev = self._prev
        self._prev = (high, low, close)
        if prev is None:
            return None
        prev_high, prev_low, prev_close = prev
        up, down = high - prev_high, prev_low - low
        plus_dm = up if up > 0.0 and up > down else 0.0
        minus_dm = down if down > 0.0 and up < down else 0.0
        tr = max(high, prev_close) - min(low, prev_close)
        n = self.period
        self._count += 1
        if self._count < n:  # the first n - 1 moves are summed
            self._plus += plus_dm
            self._minus += minus_dm
            self._tr += tr
            return None
        self._plus += plus_dm - self._plus / n
        self._minus += minus_dm - self._minus / n
        self._tr += tr - self._tr / n
        dx = self._dx()
        if self.value is not None:
            self.value = v = (self.value * (n - 1) + dx) / n
            return v
        self._dx_sum += dx
        self._dx_count += 1
        if self._dx_count < n:
            return None
        self.value = v = self._dx_sum / n
        return v

    def _dx(self) -> float:
        if abs(self._tr) < 1e-8:
            return 0.0
        plus = 100.0 * (self._plus / self._tr)
        minus = 100.0 * (self._minus / self._tr)
        total = plus + minus
        return 100.0 * (abs(minus - plus) / total) if abs(total) >= 1e-8 else 0.0


# ---------------------------------------------------------------------------------------------
# Array functions: the streaming classes' values over a whole array, from mas.vector.indicators


def _arrays() -> ModuleType:
    """The array implementations (imported on first use: numba, when installed, loads only then)."""
    from mas.vector import indicators

    return indicators


def _as_array(values: ArrayLike, name: str = "values") -> FloatArray:
    """A writable contiguous float copy (the compiled functions then have one signature, read-only inputs such
    as pandas' arrays included)."""
    x = np.array(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(Text("ind_one_dimensional", name=name, shape=x.shape))
    return x


def _hlc(high: ArrayLike, low: ArrayLike, close: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    h, lo, c = _as_array(high, "high"), _as_array(low, "low"), _as_array(close, "close")
    if not len(h) == len(lo) == len(c):
        raise ValueError(Text("ind_lengths_differ", high=len(h), low=len(lo), close=len(c)))
    return h, lo, c


def sma(values: ArrayLike, n: int) -> FloatArray:
    """Simple moving average (:class:`SMA`'s values)."""
    return _arrays().sma(_as_array(values), check_period(n, "n"))


def wma(values: ArrayLike, n: int) -> FloatArray:
    """Linearly weighted moving average, weights 1..n (:class:`WMA`'s values)."""
    return _arrays().wma(_as_array(values), check_period(n, "n"))


def ema(values: ArrayLike, n: int) -> FloatArray:
    """Exponential moving average (k = 2 / (n + 1)) seeded with the SMA of the first n values (:class:`EMA`)."""
    return _arrays().ema(_as_array(values), check_period(n, "n"))


def wilder(values: ArrayLike, n: int) -> FloatArray:
    """Wilder's smoothing (alpha = 1 / n) seeded with the SMA of the first n values (:class:`WilderMA`)."""
    return _arrays().wilder(_as_array(values), check_period(n, "n"))


def rsi(values: ArrayLike, n: int = 14) -> FloatArray:
    """Relative strength index (Wilder); 50 where there was no movement at all (:class:`RSI`)."""
    return _arrays().rsi(_as_array(values), check_period(n, "n"))


def macd(values: ArrayLike, fast: int = 12, slow: int = 26, signal: int = 9) -> tuple[FloatArray, ...]:
    """(macd, signal, hist) aligned and seeded as TA-Lib's MACD (see the module docstring)."""
    x = _as_array(values)
    fast, slow = check_period(fast, "fast"), check_period(slow, "slow")
    signal = check_period(signal, "signal")
    if fast >= slow:
        raise ValueError(Text("ind_fast_below_slow", slow=slow, fast=fast))
    return _arrays().macd(x, fast, slow, signal)


def bollinger_bands(values: ArrayLike, n: int = 20, nbdev: float = 2.0) -> tuple[FloatArray, ...]:
    """(upper, middle, lower): SMA(n) +/- nbdev population standard deviations (:class:`BollingerBands`)."""
    x, n = _as_array(values), check_period(n, "n")
    return _arrays().bollinger_bands(x, n, check_number(nbdev, "nbdev", low=0.0))


def highest(values: ArrayLike, n: int) -> FloatArray:
    """Rolling maximum of the last n values."""
    return _arrays().highest(_as_array(values), check_period(n, "n"))


def lowest(values: ArrayLike, n: int) -> FloatArray:
    """Rolling minimum of the last n values."""
    return _arrays().lowest(_as_array(values), check_period(n, "n"))


def kd(
    high: ArrayLike, low: ArrayLike, close: ArrayLike, n: int = 9, k_smooth: int = 3, d_smooth: int = 3
) -> tuple[FloatArray, FloatArray]:
    """(K, D) of the MAS docs' KD stochastic (:class:`KD`)."""
    h, lo, c = _hlc(high, low, close)
    n = check_period(n, "n")
    return _arrays().kd(h, lo, c, n, check_period(k_smooth, "k_smooth"), check_period(d_smooth, "d_smooth"))


def true_range(high: ArrayLike, low: ArrayLike, close: ArrayLike) -> FloatArray:
    """True range; NaN on the first bar (:class:`TrueRange`)."""
    return _arrays().true_range(*_hlc(high, low, close))


def atr(high: ArrayLike, low: ArrayLike, close: ArrayLike, n: int = 14) -> FloatArray:
    """Average true range (Wilder), first value on bar n (:class:`ATR`)."""
    h, lo, c = _hlc(high, low, close)
    return _arrays().atr(h, lo, c, check_period(n, "n"))
