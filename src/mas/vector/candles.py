"""The replayed bars as arrays, and a spec's indicators over them, each distinct one computed once.

A spec strategy reads each indicator's ``.value`` after every bar; here the same values come as
arrays from :mod:`mas.vector.indicators` (NaN while warming up), cached per indicator definition
so that a grid computes each distinct one once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from mas.vector import indicators as arrays

__all__ = ["Candles", "IndicatorCache", "indicator_outputs"]

Outputs = dict[str | None, np.ndarray]
"""Output name (None for single-valued kinds) -> the value after each bar."""


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
        """Candles from MT5 rates (spread in points, turned into a price with ``point``)."""
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


def indicator_outputs(spec_indicator: Any, candles: Candles) -> Outputs:
    """The values of a spec's indicator after each bar, by output (what its streaming class's ``.value`` holds)."""
    kind = spec_indicator.kind
    if kind in ("sma", "ema", "wma", "rsi"):
        function = {"sma": arrays.sma, "ema": arrays.ema, "wma": arrays.wma, "rsi": arrays.rsi}[kind]
        return {None: function(candles.field(spec_indicator.source), spec_indicator.period)}
    if kind in ("highest", "lowest"):
        function = arrays.highest if kind == "highest" else arrays.lowest
        return {None: function(candles.field(spec_indicator.field), spec_indicator.period)}
    if kind == "macd":
        line, signal, hist = arrays.macd(candles.field(spec_indicator.source), spec_indicator.fast,
                                         spec_indicator.slow, spec_indicator.signal)
        return {"line": line, "signal": signal, "hist": hist}
    if kind == "bbands":
        upper, middle, lower = arrays.bollinger_bands(candles.field(spec_indicator.source), spec_indicator.period,
                                                      spec_indicator.nbdev)
        return {"middle": middle, "upper": upper, "lower": lower}
    hlc = candles.high, candles.low, candles.close
    if kind == "kd":
        k, d = arrays.kd(*hlc, spec_indicator.period, spec_indicator.k_smooth, spec_indicator.d_smooth)
        return {"k": k, "d": d}
    if kind == "stoch":
        k, d = arrays.stochastic(*hlc, spec_indicator.fastk, spec_indicator.slowk, spec_indicator.slowd)
        return {"k": k, "d": d}
    function = {"atr": arrays.atr, "adx": arrays.adx, "cci": arrays.cci, "willr": arrays.williams_r}[kind]
    return {None: function(*hlc, spec_indicator.period)}


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
            self._cache[key] = indicator_outputs(spec_indicator, self.candles)
        return self._cache[key]

    def scratch(self, count: int) -> list[np.ndarray]:
        """``count`` integer arrays of one slot per bar, reused from call to call (read them before the next)."""
        while len(self._scratch) < count:
            self._scratch.append(np.empty(len(self.candles), dtype=np.int64))
        return self._scratch[:count]

    def atr(self, period: int) -> np.ndarray:
        """ATR(period) after each bar (the ATR distances of SL / TP)."""
        key = f"atr:{period}"
        if key not in self._cache:
            self._cache[key] = {None: arrays.atr(self.candles.high, self.candles.low, self.candles.close, period)}
        return self._cache[key][None]
