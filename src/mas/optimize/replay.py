"""One event-engine backtest over candles already in memory (:class:`MarketData`).

It is :func:`mas.backtest.session.run_bar_backtest` with the replayed symbols' bars given instead of
read from the data store, so a worker replays the same candles many times without reloading them
(and a remote Dask worker needs no data store for them). Currency conversion, other timeframes and
tick models still come from the local store, as in ``subscribe_bars``.
"""

from __future__ import annotations

from mas.backtest.session import run_bar_backtest
from mas.client import MAS
from mas.optimize.market_data import MarketData
from mas.results import BacktestResult

__all__ = ["replay"]


def replay(client: MAS, data: MarketData) -> BacktestResult:
    """Replay ``data``'s bars into ``client.receive_bars`` on a fresh account; the result (also kept
    as ``client.backtest_result``)."""
    return run_bar_backtest(client, data.settings, series=data.series, detail=data.detail)
