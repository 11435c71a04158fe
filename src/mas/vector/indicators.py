"""Indicator arrays for the fast path, bit for bit the values the streaming indicators give.

A spec strategy reads each indicator's ``.value`` after every bar. Here the same values come as
arrays (NaN while warming up): SMA, EMA, WMA, RSI, ATR, MACD and KD by loops that repeat the
streaming classes' arithmetic in the same order (compiled by numba when it is installed),
highest/lowest by sliding windows (a maximum is exact however it is found), and the others
(Bollinger, Stochastic, ADX, CCI, Williams %R) by running the streaming classes themselves.
Arrays are cached per indicator definition, so a grid computes each distinct one once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from mas.strategy.conditions import indicator_updater
from mas.strategy.spec import INDICATOR_OUTPUTS
from mas.vector.jit import njit

__all__ = ["Candles", "IndicatorCache"]

Outputs = dict[str | None, np.ndarray]


@dataclass(frozen=True)
class Candles:
    """The replayed bars as arrays: bid OHLC (what strategies see), tick volume and spread."""

    time: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    spread: np.ndarray  # points
    spread_price: np.ndarray  # price units

    @classmethod
    def from_rates(cls, rates: np.ndarray, point: float) -> Candles:
        return cls(time=rates["time"].astype(np.int64), open=rates["open"].astype(np.float64),
                   high=rates["high"].astype(np.float64), low=rates["low"].astype(np.float64),
                   close=rates["close"].astype(np.float64), volume=rates["tick_volume"].astype(np.int64),
                   spread=rates["spread"].astype(np.int64),
                   spread_price=rates["spread"].astype(np.float64) * point)

    def __len__(self) -> int:
        return len(self.time)

    @cached_property
    def abs_close(self) -> np.ndarray:
        """|close|: the scale of price-unit differences."""
        return np.abs(self.close)

    @cached_property
    def max_abs_close(self) -> float:
        """The largest |close| (NaN if a close is not a number, 0.0 without bars)."""
        return float(self.abs_close.max()) if len(self.close) else 0.0

    def field(self, name: str) -> np.ndarray:
        """A price field as floats (``volume`` is the tick volume)."""
        return self.volume.astype(np.float64) if name == "volume" else getattr(self, name)


@njit
def _sma(x: np.ndarray, n: int) -> np.ndarray:
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
def _ema_from(x: np.ndarray, n: int, start: int, k: float, out: np.ndarray) -> None:
    """EMA of ``x[start:]`` seeded with the mean of its first ``n`` values (EMA.update's order)."""
    total = 0.0
    value = 0.0
    for i in range(start, len(x)):
        if i < start + n:
            total += x[i]
            if i == start + n - 1:
                value = total / n
                out[i] = value
        else:
            value = (x[i] - value) * k + value
            out[i] = value


def _ema(x: np.ndarray, n: int) -> np.ndarray:
    out = np.full(len(x), np.nan)
    _ema_from(x, n, 0, 2.0 / (n + 1), out)
    return out


@njit
def _wma(x: np.ndarray, n: int) -> np.ndarray:
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
def _rsi(x: np.ndarray, n: int) -> np.ndarray:
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
def _atr(high: np.ndarray, low: np.ndarray, close: np.ndarray, n: int) -> np.ndarray:
    out = np.full(len(close), np.nan)
    value = total = 0.0
    count = 0
    for i in range(1, len(close)):
        pc = close[i - 1]
        tr = max(high[i] - low[i], abs(pc - high[i]), abs(pc - low[i]))
        value, count, total, ready = _wilder_step(value, count, total, tr, n)
        if ready:
            out[i] = value
    return out


@njit
def _macd(x: np.ndarray, fast: int, slow: int, signal: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    size = len(x)
    slow_line = np.full(size, np.nan)
    _ema_from(x, slow, 0, 2.0 / (slow + 1), slow_line)
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
    _ema_from(line, signal, slow - 1, 2.0 / (signal + 1), sig)
    out_line = np.where(np.isnan(sig), np.nan, line)
    return out_line, sig, out_line - sig


@njit
def _kd(high: np.ndarray, low: np.ndarray, close: np.ndarray, hh: np.ndarray, ll: np.ndarray, ks: int,
        ds: int) -> tuple[np.ndarray, np.ndarray]:
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


def _extreme(x: np.ndarray, n: int, highest: bool) -> np.ndarray:
    out = np.full(len(x), np.nan)
    if len(x) >= n:
        windows = sliding_window_view(x, n)
        out[n - 1:] = windows.max(axis=1) if highest else windows.min(axis=1)
    return out


def _streamed(spec_indicator: Any, candles: Candles) -> Outputs:
    """Run the streaming indicator itself over every bar (the exact reference, and the fallback)."""
    obj, update = indicator_updater(spec_indicator)
    outputs = INDICATOR_OUTPUTS.get(spec_indicator.kind, (None,))
    columns = {name: np.full(len(candles), np.nan) for name in outputs}
    bar: dict[str, Any] = {}
    fields = {name: candles.field(name).tolist() for name in ("open", "high", "low", "close")}
    fields["volume"] = candles.volume.tolist()
    attributes = {name: {"line": "macd"}.get(name, name) for name in outputs if name is not None}
    for i in range(len(candles)):
        for name, values in fields.items():
            bar[name] = values[i]
        update(bar)
        value = obj.value
        if value is None:
            continue
        if None in columns:
            columns[None][i] = value
        else:
            for name, attribute in attributes.items():
                columns[name][i] = getattr(value, attribute)
    return columns


def _computed(spec_indicator: Any, candles: Candles) -> Outputs | None:
    kind = spec_indicator.kind
    if kind in ("sma", "ema", "wma", "rsi"):
        x = candles.field(spec_indicator.source)
        function = {"sma": _sma, "ema": _ema, "wma": _wma, "rsi": _rsi}[kind]
        return {None: function(x, spec_indicator.period)}
    if kind in ("highest", "lowest"):
        return {None: _extreme(candles.field(spec_indicator.field), spec_indicator.period, kind == "highest")}
    if kind == "atr":
        return {None: _atr(candles.high, candles.low, candles.close, spec_indicator.period)}
    if kind == "macd":
        line, sig, hist = _macd(candles.field(spec_indicator.source), spec_indicator.fast, spec_indicator.slow,
                                spec_indicator.signal)
        return {"line": line, "signal": sig, "hist": hist}
    if kind == "kd":
        n = spec_indicator.period
        k, d = _kd(candles.high, candles.low, candles.close, _extreme(candles.high, n, True),
                   _extreme(candles.low, n, False), spec_indicator.k_smooth, spec_indicator.d_smooth)
        return {"k": k, "d": d}
    return None


class IndicatorCache:
    """Indicator arrays over one set of candles, each distinct definition computed once."""

    def __init__(self, candles: Candles) -> None:
        self.candles = candles
        self._cache: dict[str, Outputs] = {}
        self._scratch: list[np.ndarray] = []

    def outputs(self, spec_indicator: Any) -> Outputs:
        """Output name (None for single-valued kinds) -> array of ``.value`` after each bar."""
        key = spec_indicator.model_dump_json(exclude={"id"})
        if key not in self._cache:
            computed = _computed(spec_indicator, self.candles)
            self._cache[key] = computed if computed is not None else _streamed(spec_indicator, self.candles)
        return self._cache[key]

    def scratch(self, count: int) -> list[np.ndarray]:
        """``count`` integer arrays of one slot per bar, reused from call to call (read them before the next)."""
        while len(self._scratch) < count:
            self._scratch.append(np.empty(len(self.candles), dtype=np.int64))
        return self._scratch[:count]

    def atr(self, period: int) -> np.ndarray:
        """ATR(period) after each bar (the compiler's ATR distances)."""
        key = f"atr:{period}"
        if key not in self._cache:
            self._cache[key] = {None: _atr(self.candles.high, self.candles.low, self.candles.close, period)}
        return self._cache[key][None]
