"""A strategy spec's indicators as chart series: what a spec (text, spec file or built-in) strategy trades on,
drawn on its trade chart the way a Python strategy's ``MAS.plot`` series are.

:func:`spec_series` computes each indicator of the spec over each symbol's replayed bars with the arrays the
vectorized engine trades on (:class:`mas.vector.candles.IndicatorCache`): one value per bar, the indicator
after that bar's close. Price-scale kinds (moving averages, Bollinger bands, highest / lowest) go over the
candles, the others (RSI, MACD, KD, ...) in the panel below. :func:`with_spec_series` adds them to a result
without replacing a series the strategy plotted itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from mas.results import BacktestResult, PlottedSeries

OVERLAY_KINDS = frozenset({"sma", "ema", "wma", "bbands", "highest", "lowest"})
"""Indicator kinds drawn over the candles (on the price scale)."""

__all__ = ["OVERLAY_KINDS", "spec_series", "with_spec_series"]


def spec_series(spec: Any, bars: dict[str, np.ndarray]) -> dict[str, dict[str, PlottedSeries]]:
    """``{symbol: {name: PlottedSeries}}`` of every indicator of ``spec`` over each symbol's ``bars``; a
    multi-output indicator gives one series per output, named ``id.output`` (e.g. ``bb.upper``)."""
    from mas.vector.candles import Candles, IndicatorCache

    out: dict[str, dict[str, PlottedSeries]] = {}
    for symbol, rates in (bars or {}).items():
        if rates is None or not len(rates):
            continue
        cache = IndicatorCache(Candles.from_rates(rates, 0.0))
        times = np.asarray(rates["time"], dtype=np.int64)
        for indicator in getattr(spec, "indicators", ()) or ():
            panel = "price" if indicator.kind in OVERLAY_KINDS else "lower"
            for output, values in cache.outputs(indicator).items():
                name = indicator.id if output is None else f"{indicator.id}.{output}"
                out.setdefault(symbol, {})[name] = PlottedSeries(times, np.asarray(values, dtype=np.float64), panel)
    return out


def with_spec_series(result: BacktestResult, spec: Any) -> BacktestResult:
    """``result`` with ``spec``'s indicator series added to its plots (a series of the same name that the
    strategy plotted stays); ``result`` itself when there is no spec or nothing to add."""
    if spec is None or not getattr(spec, "indicators", None):
        return result
    plots = {symbol: dict(series) for symbol, series in result.plots.items()}
    added = False
    for symbol, series in spec_series(spec, result.bars).items():
        for name, plotted in series.items():
            if name not in plots.setdefault(symbol, {}):
                plots[symbol][name] = plotted
                added = True
    return replace(result, plots=plots) if added else result
