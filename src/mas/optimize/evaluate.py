"""Evaluating parameter sets: a backtest per set, its metrics, or the reason it was skipped.

An :class:`Evaluator` is the job every worker holds (target, candles, objective, engine); it is
pickled once per worker and then fed chunks of ``(index, params)``. The event engine replays
each set through the simulated terminal; the fast engine (spec strategies, see
:mod:`mas.optimize.fast`) evaluates a chunk at once and falls back to the event engine for the
sets it cannot reproduce exactly.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mas.optimize.market_data import MarketData
from mas.optimize.replay import replay
from mas.optimize.results import ERROR, OK, SKIPPED, Trial, select_metrics
from mas.optimize.target import StrategyTarget
from mas.reports.metrics import compute_metrics
from mas.results import BacktestResult

__all__ = ["ENGINES", "Evaluator", "IndexedParams", "Window"]

ENGINES = ("auto", "event", "fast")
IndexedParams = tuple[int, dict[str, Any]]
Window = tuple[int, int]


@dataclass
class Evaluator:
    """Backtests parameter sets of ``target`` over ``data`` and keeps the objective's metrics."""

    target: StrategyTarget
    data: MarketData
    metric: str
    engine: str = "event"

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"--engine: {self.engine!r} is not an engine; choose one of {', '.join(ENGINES)}")
        self._windows: dict[Window, MarketData] = {}

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

    def run(self, params: dict[str, Any], window: Window | None = None) -> BacktestResult:
        """The event engine's backtest of ``params`` (ValueError/TypeError when the strategy refuses them)."""
        strategy = self.target.build(dict(params))
        return replay(strategy, self.data_for(window))

    def trial(self, params: dict[str, Any], result: BacktestResult) -> Trial:
        return Trial(dict(params), OK, select_metrics(compute_metrics(result), self.metric))

    def evaluate(self, params: dict[str, Any], window: Window | None = None) -> Trial:
        """One set with the event engine."""
        try:
            result = self.run(params, window)
        except (ValueError, TypeError) as exc:
            return Trial(dict(params), SKIPPED, reason=f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - one failed backtest must not end the sweep
            logging.getLogger("mas").debug("backtest of %s failed", params, exc_info=True)
            return Trial(dict(params), ERROR, reason=f"{type(exc).__name__}: {exc}")
        return self.trial(params, result)

    def evaluate_chunk(self, chunk: Sequence[IndexedParams], window: Window | None = None) -> list[tuple[int, Trial]]:
        """``(index, trial)`` for each ``(index, params)`` of ``chunk``, in order."""
        return [(index, self.evaluate(params, window)) for index, params in chunk]
