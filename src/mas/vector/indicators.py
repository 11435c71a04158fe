"""The array version of every indicator: one implementation, value for value the streaming one's.

The event path feeds the streaming classes of :mod:`mas.strategy.indicators` one bar at a time;
the fast path and the public array functions of that module (``sma(values, n)`` ...) take whole
arrays from here. Each function repeats its streaming class's arithmetic in the same order (the
same running sums, the same seeds, the same divisions), so the two give the same floats, bit for
bit, on finite inputs (``tests/vector/test_one_rule.py`` holds them together). The loops are
compiled by numba when it is installed and run as plain Python otherwise (same floats, slower).

Inputs are float64 arrays of one dimension (already checked: the public functions of
``mas.strategy.indicators`` validate them); outputs have the input's length, NaN while the
indicator warms up (where its streaming class's ``value`` is still None).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from mas.vector.jit import njit

__all__ = ["adx", "atr", "bollinger_bands", "cci", "ema", "highest", "kd", "lowest", "macd", "rsi", "sma",
           "stochastic", "true_range", "williams_r", "wilder", "wma"]


def _after(values: np.ndarray, start: int, size: int) -> np.ndarray:
    """``values`` (of an indicator fed from bar ``start`` on) placed at ``start`` in a NaN array of ``size``."""
    out = np.full(size, np.nan)
    out[start:] = values
    return out


# ------------------------------------------------------------------ moving averages


@njit
def sma(x: np.ndarray, n: int) -> np.ndarray:
    """Simple moving average (:class:`~mas.strategy.indicators.SMA`: RollingWindow's running sum, ``(total - old)
    + new``)."""
    out = np.full(len(x), np.nan)
    total = 0.0
    for i in range(len(x)):
        if i < n:
            total += x[i]
        else:
            total = (total - x[i - n]) + x[i]
        if i >= n - 1:
            out[i] = total / n
    return out


@njit
def ema(x: np.ndarray, n: int) -> np.ndarray:
    """Exponential moving average, ``k = 2 / (n + 1)``, seeded with the mean of the first ``n`` values (:class:`EMA`,
    in its order of operations)."""
    out = np.full(len(x), np.nan)
    k = 2.0 / (n + 1)
    total = 0.0
    value = 0.0
    for i in range(len(x)):
        if i < n:
            total += x[i]
            if i == n - 1:
                value = total / n
                out[i] = value
        else:
            value = (x[i] - value) * k + value
            out[i] = value
    return out


@njit
def wma(x: np.ndarray, n: int) -> np.ndarray:
    """Linearly weighted moving average, weights 1..n (:class:`WMA`)."""
    out = np.full(len(x), np.nan)
    total = 0.0
    weighted = 0.0
    divider = n * (n + 1) / 2.0
    for i in range(len(x)):
        if i < n:
            total += x[i]
            count = i + 1
        else:
            total = (total - x[i - n]) + x[i]
            count = n
        weighted += x[i] * count
        if i >= n - 1:
            out[i] = weighted / divider
            weighted -= total
    return out


@njit
def _wilder_step(value: float, count: int, total: float, x: float, n: int) -> tuple[float, int, float, bool]:
    """One WilderMA.update: (value, count, sum, ready)."""
    if count < n:
        count += 1
        total += x
        if count < n:
            return value, count, total, False
        return total / n, count, total, True
    return (value * (n - 1.0) + x) / n, count, total, True


@njit
def wilder(x: np.ndarray, n: int) -> np.ndarray:
    """Wilder's smoothing ``(prev * (n - 1) + x) / n`` seeded with the first SMA (:class:`WilderMA`)."""
    out = np.full(len(x), np.nan)
    value = total = 0.0
    count = 0
    for i in range(len(x)):
        value, count, total, ready = _wilder_step(value, count, total, x[i], n)
        if ready:
            out[i] = value
    return out


# ------------------------------------------------------------------ oscillators and ranges


@njit
def rsi(x: np.ndarray, n: int) -> np.ndarray:
    """Relative strength index with Wilder smoothing; 50 where nothing moved (:class:`RSI`)."""
    out = np.full(len(x), np.nan)
    gain = loss = gain_sum = loss_sum = 0.0
    gain_count = loss_count = 0
    for i in range(1, len(x)):
        d = x[i] - x[i - 1]
        if d < 0.0:
            up, down = 0.0, -d
        else:
            up, down = d, 0.0
        gain, gain_count, gain_sum, _ = _wilder_step(gain, gain_count, gain_sum, up, n)
        loss, loss_count, loss_sum, ready = _wilder_step(loss, loss_count, loss_sum, down, n)  # both warm together
        if ready:
            total = gain + loss
            out[i] = 100.0 * (gain / total) if total != 0.0 else 50.0
    return out


@njit
def true_range(high: np.ndarray, low: np.ndarray, close: np.ndarray) -> np.ndarray:
    """True range from the second bar (:class:`TrueRange`)."""
    out = np.full(len(close), np.nan)
    for i in range(1, len(close)):
        pc = close[i - 1]
        out[i] = max(high[i] - low[i], abs(pc - high[i]), abs(pc - low[i]))
    return out


def atr(high: np.ndarray, low: np.ndarray, close: np.ndarray, n: int) -> np.ndarray:
    """Average true range: Wilder's smoothing of the true range, first value on bar ``n`` (:class:`ATR`)."""
    return _after(wilder(true_range(high, low, close)[1:], n), 1, len(close))


@njit
def _macd(x: np.ndarray, fast: int, slow: int, signal: int) -> tuple[np.ndarray, np.ndarray]:
    size = len(x)
    slow_line = ema(x, slow)
    line = np.full(size, np.nan)
    k = 2.0 / (fast + 1)
    if size >= slow:
        seed = 0.0  # the fast EMA starts on the slow one's first bar from the SMA of the last ``fast`` values
        for i in range(slow):
            if i < fast:
                seed += x[i]
            else:
                seed = (seed - x[i - fast]) + x[i]
        fast_value = seed / fast
        line[slow - 1] = fast_value - slow_line[slow - 1]
        for i in range(slow, size):
            fast_value = (x[i] - fast_value) * k + fast_value
            line[i] = fast_value - slow_line[i]
    sig = np.full(size, np.nan)
    if size >= slow:  # the signal line is the EMA of the MACD line from its first bar on
        sig[slow - 1:] = ema(line[slow - 1:], signal)
    return line, sig


def macd(x: np.ndarray, fast: int, slow: int, signal: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(line, signal, hist) aligned and seeded as TA-Lib's MACD (:class:`MACD`); ``fast < slow``."""
    line, sig = _macd(x, fast, slow, signal)
    line = np.where(np.isnan(sig), np.nan, line)
    return line, sig, line - sig


def _extreme(x: np.ndarray, n: int, largest: bool) -> np.ndarray:
    out = np.full(len(x), np.nan)
    if len(x) >= n:
        windows = sliding_window_view(x, n)
        out[n - 1:] = windows.max(axis=1) if largest else windows.min(axis=1)
    return out


def highest(x: np.ndarray, n: int) -> np.ndarray:
    """Highest of the last ``n`` values (:class:`Highest`; a maximum is exact however it is found)."""
    return _extreme(x, n, True)


def lowest(x: np.ndarray, n: int) -> np.ndarray:
    """Lowest of the last ``n`` values (:class:`Lowest`)."""
    return _extreme(x, n, False)


@njit
def _kd(close: np.ndarray, hh: np.ndarray, ll: np.ndarray, ks: int, ds: int) -> tuple[np.ndarray, np.ndarray]:
    k_out = np.full(len(close), np.nan)
    d_out = np.full(len(close), np.nan)
    k = d = 50.0
    for i in range(len(close)):
        if np.isnan(hh[i]):
            continue
        rng = hh[i] - ll[i]
        rsv = (close[i] - ll[i]) / rng * 100.0 if rng > 0.0 else 50.0
        k = k * ((ks - 1) / ks) + rsv / ks
        d = d * ((ds - 1) / ds) + k / ds
        k_out[i] = k
        d_out[i] = d
    return k_out, d_out


def kd(high: np.ndarray, low: np.ndarray, close: np.ndarray, n: int, k_smooth: int,
       d_smooth: int) -> tuple[np.ndarray, np.ndarray]:
    """(K, D) of the MAS docs' KD stochastic (:class:`KD`)."""
    return _kd(close, highest(high, n), lowest(low, n), k_smooth, d_smooth)


@njit
def _fast_k(close: np.ndarray, hh: np.ndarray, ll: np.ndarray, start: int, down: bool) -> np.ndarray:
    """Stochastic's fast %K (``down`` False) or Williams %R (True) from bar ``start``; 0 on a flat range."""
    out = np.full(len(close), np.nan)
    for i in range(start, len(close)):
        if down:
            rng = (hh[i] - ll[i]) / -100.0
            out[i] = (hh[i] - close[i]) / rng if rng != 0.0 else 0.0
        else:
            rng = (hh[i] - ll[i]) / 100.0
            out[i] = (close[i] - ll[i]) / rng if rng != 0.0 else 0.0
    return out


def stochastic(high: np.ndarray, low: np.ndarray, close: np.ndarray, fastk: int, slowk: int,
               slowd: int) -> tuple[np.ndarray, np.ndarray]:
    """(slow %K, slow %D) of TA-Lib's STOCH with simple averages (:class:`Stochastic`): both start where %D does."""
    size = len(close)
    start = min(fastk - 1, size)  # where fast %K starts, then slow %K
    fast = _fast_k(close, highest(high, fastk), lowest(low, fastk), start, False)
    k = _after(sma(fast[start:], slowk), start, size)
    start = min(start + slowk - 1, size)
    d = _after(sma(k[start:], slowd), start, size)
    return np.where(np.isnan(d), np.nan, k), d


def williams_r(high: np.ndarray, low: np.ndarray, close: np.ndarray, n: int) -> np.ndarray:
    """Williams %R (:class:`WilliamsR`)."""
    return _fast_k(close, highest(high, n), lowest(low, n), n - 1, True)


@njit
def cci(high: np.ndarray, low: np.ndarray, close: np.ndarray, n: int) -> np.ndarray:
    """Commodity channel index (:class:`CCI`): the mean and the mean deviation summed in sequence, oldest first."""
    size = len(close)
    out = np.full(size, np.nan)
    typical = (high + low + close) / 3.0
    for i in range(n - 1, size):
        total = 0.0
        for j in range(i - n + 1, i + 1):
            total += typical[j]
        mean = total / n
        spread = 0.0
        for j in range(i - n + 1, i + 1):
            spread += abs(typical[j] - mean)
        deviation = spread / n
        diff = typical[i] - mean
        out[i] = diff / (0.015 * deviation) if diff != 0.0 and deviation != 0.0 else 0.0
    return out


@njit
def _dx(plus: float, minus: float, tr: float) -> float:
    if abs(tr) < 1e-8:
        return 0.0
    p = 100.0 * (plus / tr)
    m = 100.0 * (minus / tr)
    total = p + m
    return 100.0 * (abs(m - p) / total) if abs(total) >= 1e-8 else 0.0


@njit
def adx(high: np.ndarray, low: np.ndarray, close: np.ndarray, n: int) -> np.ndarray:
    """Average directional index as TA-Lib (:class:`ADX`), first value on bar ``2 n - 1``."""
    size = len(close)
    out = np.full(size, np.nan)
    plus = minus = tr_sum = 0.0
    dx_sum = 0.0
    dx_count = 0
    value = np.nan
    for i in range(1, size):
        up, down = high[i] - high[i - 1], low[i - 1] - low[i]
        plus_dm = up if up > 0.0 and up > down else 0.0
        minus_dm = down if down > 0.0 and up < down else 0.0
        prev_close = close[i - 1]
        tr = max(high[i], prev_close) - min(low[i], prev_close)
        if i < n:  # the first n - 1 moves are summed
            plus += plus_dm
            minus += minus_dm
            tr_sum += tr
            continue
        plus += plus_dm - plus / n
        minus += minus_dm - minus / n
        tr_sum += tr - tr_sum / n
        dx = _dx(plus, minus, tr_sum)
        if dx_count >= n:
            value = (value * (n - 1) + dx) / n
        else:
            dx_sum += dx
            dx_count += 1
            if dx_count < n:
                continue
            value = dx_sum / n
        out[i] = value
    return out


# ------------------------------------------------------------------ Bollinger Bands


@njit
def _fsum(values: np.ndarray) -> float:
    """``math.fsum`` (Shewchuk's exact sum, correctly rounded, CPython's steps); NaN where fsum raises
    (``-inf + inf``, an intermediate overflow)."""
    partials = np.empty(len(values) + 1)
    count = 0
    special = 0.0
    infinite = 0.0
    for item in values:
        x = item
        i = 0
        for j in range(count):
            y = partials[j]
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo != 0.0:
                partials[i] = lo
                i += 1
            x = hi
        count = i
        if x != 0.0:
            if not np.isfinite(x):
                if np.isfinite(item):
                    return np.nan  # fsum: intermediate overflow
                if np.isinf(item):
                    infinite += item
                special += item
                count = 0
            else:
                partials[count] = x
                count += 1
    if special != 0.0:
        return np.nan if np.isnan(infinite) else special
    hi = 0.0
    if count > 0:
        count -= 1
        hi = partials[count]
        lo = 0.0
        while count > 0:
            x = hi
            count -= 1
            y = partials[count]
            hi = x + y
            lo = y - (hi - x)
            if lo != 0.0:
                break
        if count > 0 and ((lo < 0.0 and partials[count - 1] < 0.0) or (lo > 0.0 and partials[count - 1] > 0.0)):
            y = lo * 2.0
            x = hi + y
            if y == x - hi:
                hi = x
    return hi


@njit
def _recentred(window: np.ndarray) -> tuple[float, float, float, float]:
    """RollingStats._recentre over the window's values (oldest first): (centre, s1, s2, variance)."""
    count = len(window)
    c = _fsum(window) / count
    deviations = window - c
    s1 = _fsum(deviations)
    s2 = _fsum(deviations * deviations)
    mean_dev = s1 / count
    variance = s2 / count - mean_dev * mean_dev
    if 0.0 > variance:
        variance = 0.0
    return c, s1, s2, variance


@njit
def _bands(x: np.ndarray, n: int, nbdev: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BollingerBands over RollingStats: a running sum for the middle band, a variance from sums of deviations
    around a centre, recentred exactly once per window and whenever it collapses (see RollingStats)."""
    size = len(x)
    upper, middle, lower = np.full(size, np.nan), np.full(size, np.nan), np.full(size, np.nan)
    buf = np.zeros(n)
    ordered = np.empty(n)
    pos = count = 0
    total = c = s1 = s2 = peak = 0.0
    for i in range(size):
        value = x[i]
        full = count == n
        old = buf[pos]
        if full:
            total = (total - old) + value
        else:
            count += 1
            total += value
        buf[pos] = value
        pos = pos + 1 if pos + 1 < n else 0
        if count == 1:
            c = value
        d = value - c
        if full:
            e = old - c
            s1 += d - e
            s2 += d * d - e * e
        else:
            s1 += d
            s2 += d * d
        scale = s2 / count
        if scale > peak:
            peak = scale
        mean_dev = s1 / count
        variance = scale - mean_dev * mean_dev
        if pos == 0 or variance < 1e-4 * peak:
            if count < n:  # not wrapped yet: the values are in order
                c, s1, s2, variance = _recentred(buf[:count])
            else:
                ordered[:n - pos] = buf[pos:]
                ordered[n - pos:] = buf[:pos]
                c, s1, s2, variance = _recentred(ordered)
            peak = s2 / count
        if count == n:
            mid = total / n
            width = np.sqrt(variance) * nbdev
            upper[i], middle[i], lower[i] = mid + width, mid, mid - width
    return upper, middle, lower


def bollinger_bands(x: np.ndarray, n: int, nbdev: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(upper, middle, lower): SMA(n) +/- ``nbdev`` population standard deviations (:class:`BollingerBands`)."""
    with np.errstate(invalid="ignore", over="ignore"):  # uncompiled, non-finite values would warn as numpy scalars
        return _bands(x, n, float(nbdev))
