"""Running a backtest with a choice of engine: the vectorized fast path where it is exact, else the event engine.

Both give the same trades and equity where the fast path runs (it refuses what it cannot replay exactly);
afterwards the strategy's ``backtest_result`` and its reports show the result either way.
"""

from __future__ import annotations

from typing import Any

from mas.choices import ENGINES, check_engine
from mas.client import MAS, state_of
from mas.i18n.errors import InputError
from mas.results import BacktestResult

__all__ = ["ENGINES", "check_engine", "fast_result", "run_backtest"]

def fast_result(spec: Any, params: dict[str, Any], label: str, required: bool) -> BacktestResult | None:
    """The vectorized fast path's backtest, or None where it would not be exact (an error when ``required``)."""
    from mas.vector.engine import fast_market, market_limitation
    from mas.vector.market_data import MarketData

    data = MarketData.load({**params, "backtest_toggle": True})
    why = market_limitation(data)
    market = fast_market(data) if why is None else None
    if market is not None:
        why = market.limitation(spec)
    result = market.backtest(spec, label) if market is not None and why is None else None
    if result is None and required:
        why = why or "its fills come near a margin rejection or a stop-out"
        raise InputError("engine_fast_inexact", why=why)
    return result


def run_backtest(strategy: MAS, params: dict[str, Any], *, spec: Any = None, engine: str = "auto") -> BacktestResult:
    """Backtest ``strategy`` with the ``subscribe_bars`` parameters ``params`` and return the result.

    ``spec`` is the strategy spec that trades exactly like ``strategy`` (see :func:`mas.app.exact_spec`;
    None for a strategy only Python can run). ``engine``: "auto" runs the fast path when ``spec`` is given
    and the fast path is exact for it, else the event engine; "fast" the fast path or a ValueError saying
    why not; "event" always the event engine. Afterwards ``strategy.backtest_result`` and the strategy's
    reports show this result. ValueError when no bar was replayed."""
    check_engine(engine)
    if engine == "event":
        spec = None
    elif engine == "fast" and spec is None:
        raise InputError("engine_fast_python")
    result = fast_result(spec, params, type(strategy).__name__, engine == "fast") if spec is not None else None
    if result is None:
        strategy.backtest_toggle = True  # a strategy written for both modes sends its orders to the backtest
        strategy.subscribe_bars({**params, "backtest_toggle": True})
        result = strategy.backtest_result
    else:  # the reports read the strategy's result, as after subscribe_bars
        state_of(strategy).adopt_result(result)
    if result is None or len(result.equity_times) == 0:
        raise InputError("bt_no_bars")
    return result
