"""The candles of a backtest or an optimization, loaded once and shipped to every worker.

:class:`MarketData` holds the backtest settings (from the MAS parameter dict) and the bars of
each replayed symbol (plus their M1 bars for the ``ohlc`` model). Workers replay from it
without touching the data store, and walk-forward windows are time slices of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from mas.data.store import BarSeries, load_bars
from mas.data.timeframes import timeframe_seconds
from mas.i18n.errors import InputError
from mas.sim.settings import BacktestSettings

__all__ = ["MarketData", "epoch_of"]

_EPOCH = datetime(1970, 1, 1)


def epoch_of(moment: datetime) -> int:
    """Naive UTC datetime -> epoch seconds."""
    return int((moment - _EPOCH).total_seconds())


@dataclass(frozen=True)
class MarketData:
    """Settings of the backtests and the bars they replay (``series``: symbol -> bars of the range)."""

    settings: BacktestSettings
    params: dict[str, Any]
    series: dict[str, BarSeries]
    detail: dict[str, BarSeries]

    @classmethod
    def load(cls, params: dict[str, Any]) -> MarketData:
        """Validate the MAS backtest ``params`` and load their bars (MissingDataError when absent)."""
        settings = BacktestSettings.from_params(params)
        series = {name: load_bars(name, settings.timeframe, settings.start, settings.end)
                  for name in settings.symbols}
        detail = {}
        if settings.model == "ohlc" and settings.timeframe != "M1":
            step = timeframe_seconds(settings.timeframe)
            for name, bars in series.items():
                first = _EPOCH + timedelta(seconds=int(bars.rates["time"][0]))
                last = _EPOCH + timedelta(seconds=int(bars.rates["time"][-1]) + step - 1)
                detail[name] = load_bars(name, "M1", first, last)
        return cls(settings=settings, params=dict(params), series=series, detail=detail)

    @property
    def bars(self) -> int:
        """Bars replayed per backtest (all symbols)."""
        return sum(len(s) for s in self.series.values())

    def times(self) -> np.ndarray:
        """Sorted unique bar open times of every symbol (epoch seconds)."""
        return np.unique(np.concatenate([s.rates["time"] for s in self.series.values()]))

    def of_symbol(self, name: str) -> MarketData:
        """The same backtests on the bars of ``name`` (one of :attr:`series`) alone, as the fast path replays each of
        several symbols."""
        settings = replace(self.settings, symbols=[name])
        detail = {name: self.detail[name]} if name in self.detail else {}
        return MarketData(settings=settings, params={**self.params, "symbol": name}, series={name: self.series[name]},
                          detail=detail)

    def window(self, start: int, end: int) -> MarketData:
        """The bars whose open time is in ``[start, end)`` (epoch seconds); the settings' range follows."""
        series = {name: _slice(s, start, end) for name, s in self.series.items()}
        empty = [name for name, s in series.items() if len(s) == 0]
        if empty:
            raise InputError("fast_no_bars_between", symbols=", ".join(empty), first=_EPOCH + timedelta(seconds=start),
                             last=_EPOCH + timedelta(seconds=end))
        step = timeframe_seconds(self.settings.timeframe)
        detail = {name: _slice(s, start, end + step) for name, s in self.detail.items()}
        first = _EPOCH + timedelta(seconds=start)
        last = _EPOCH + timedelta(seconds=end - 1)
        settings = replace(self.settings, start=first, end=last)
        params = {**self.params, "from": first.isoformat(sep=" "), "to": last.isoformat(sep=" ")}
        return MarketData(settings=settings, params=params, series=series, detail=detail)


def _slice(series: BarSeries, start: int, end: int) -> BarSeries:
    times = series.rates["time"]
    lo = int(np.searchsorted(times, start, side="left"))
    hi = int(np.searchsorted(times, end, side="left"))
    return replace(series, rates=series.rates[lo:hi])
