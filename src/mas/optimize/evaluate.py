"""Evaluating parameter sets: a backtest per set, its metrics, or the reason it was skipped.

An :class:`Evaluator` is the job every worker holds (target, candles, objective, engine); it is
pickled once per worker and then fed chunks of ``(index, params)``. The event engine replays
each set through the simulated terminal. With engine ``auto`` or ``fast``, spec strategies and
the built-ins go through the fast path (:mod:`mas.vector`; candles and indicators prepared
once per worker and window, shared by every set) and fall back to the event engine for the sets
it cannot reproduce exactly. The fast path computes each set's metrics from its arrays
(:mod:`mas.vector.metrics`): the values of :func:`~mas.reports.metrics.compute_metrics`
on the full result, without building it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mas.choices import ENGINES, check_engine
from mas.i18n.errors import Text, text_of
from mas.optimize.replay import replay
from mas.optimize.results import ERROR, OK, SKIPPED, Trial, select_metrics
from mas.optimize.target import StrategyTarget
from mas.reports.metrics import compute_metrics
from mas.results import BacktestResult
from mas.vector.market_data import MarketData

__all__ = ["ENGINES", "Evaluator", "IndexedParams", "Window", "failure_reason"]

IndexedParams = tuple[int, dict[str, Any]]
Window = tuple[int, int]


def failure_reason(exc: BaseException) -> str:
    """Why a set was skipped or failed: a catalog error's own message (a :class:`~mas.i18n.errors.Text`, shown in
    the user's language), else ``"<class>: <message>"``."""
    own = text_of(exc)
    return own if isinstance(own, Text) else f"{type(exc).__name__}: {exc}"


@dataclass
class Evaluator:
    """Backtests parameter sets of ``target`` over ``data`` and keeps the objective's metrics."""

    target: StrategyTarget
    data: MarketData
    metric: str
    engine: str = "event"

    def __post_init__(self) -> None:
        check_engine(self.engine)
        self._windows: dict[Any, Any] = {}  # candles per window, and the fast path's prepared candles

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_windows"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._windows = {}

    def data_for(self, window: Window | None) -> MarketData:
        """All candles, or only those of ``window`` (``[start, end)`` epoch seconds, sliced once)."""
        if window is None:
            return self.data
        if window not in self._windows:
            self._windows[window] = self.data.window(*window)
        return self._windows[window]

    def run(self, params: dict[str, Any], window: Window | None = None, warmup: int = 0) -> BacktestResult:
        """The event engine's backtest of ``params`` (ValueError/TypeError when the strategy refuses them).

        ``warmup``: with a window, up to that many bars before it (of the first symbol's times) are replayed
        first to warm the strategy's indicators up, orders refused; the result starts at the window."""
        strategy = self.target.build(dict(params))
        if window is None or warmup <= 0:
            return replay(strategy, self.data_for(window))
        times = self.data.series[self.data.settings.symbols[0]].rates["time"]
        first = int(np.searchsorted(times, window[0], side="left"))
        if first == 0:
            return replay(strategy, self.data_for(window))
        start = min(int(times[max(0, first - warmup)]), window[0])
        return replay(strategy, self.data_for((start, window[1])), trade_from=window[0])

    def trial(self, params: dict[str, Any], result: BacktestResult) -> Trial:
        """The trial of ``params``: its backtest's metrics (those ``--json`` reports, and the objective)."""
        return Trial(dict(params), OK, select_metrics(compute_metrics(result), self.metric))

    def evaluate(self, params: dict[str, Any], window: Window | None = None) -> Trial:
        """One set with the event engine."""
        try:
            result = self.run(params, window)
        except (ValueError, TypeError) as exc:
            return Trial(dict(params), SKIPPED, reason=failure_reason(exc))
        except Exception as exc:  # noqa: BLE001 - one failed backtest must not end the sweep
            logging.getLogger("mas").debug("backtest of %s failed", params, exc_info=True)
            return Trial(dict(params), ERROR, reason=failure_reason(exc))
        return self.trial(params, result)

    def evaluate_chunk(self, chunk: Sequence[IndexedParams], window: Window | None = None) -> list[tuple[int, Trial]]:
        """``(index, trial)`` for each ``(index, params)`` of ``chunk``, in order."""
        return [(index, self.evaluate_fast(params, window) or self.evaluate(params, window)) for index, params in chunk]

    def fast_market(self, window: Window | None) -> Any:
        """The fast path's prepared candles of ``window``, or None when the engine is "event" or the fast
        path cannot replay these backtests exactly."""
        if self.engine == "event":
            return None
        key = ("fast", window)
        if key not in self._windows:
            from mas.vector import fast_market, market_limitation

            data = self.data_for(window)
            self._windows[key] = None if market_limitation(data) else fast_market(data)
        return self._windows[key]

    def evaluate_fast(self, params: dict[str, Any], window: Window | None = None) -> Trial | None:
        """One set by the fast path, or None when it needs the event engine (not a spec, or not exact)."""
        market = self.fast_market(window)
        if market is None:
            return None
        try:
            spec = self.target.spec(dict(params))
        except (ValueError, TypeError) as exc:
            return Trial(dict(params), SKIPPED, reason=failure_reason(exc))
        if spec is None:
            return None
        if market.limitation(spec) is not None:
            return None
        metrics = market.metrics(spec)  # compute_metrics' values, from the arrays: no trade records
        return Trial(dict(params), OK, select_metrics(metrics, self.metric)) if metrics is not None else None
