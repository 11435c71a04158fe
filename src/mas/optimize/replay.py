"""One event-engine backtest over candles already in memory (:class:`MarketData`).

It is the backtest session's :meth:`~mas.backtest.session.BacktestSession.replay_bars` with the replayed
symbols' bars given instead of read from the data store, so a worker replays the same candles many
times without reloading them (and a remote Dask worker needs no data store for them). Currency
conversion, other timeframes and tick models still come from the local store, as in ``subscribe_bars``.

With ``trade_from`` the bars before that time are a *warm-up*: the strategy receives them (its
indicators fill) but every order it sends meanwhile is refused, as during ``mas live``'s warm-up
(``send_order`` returns None, nothing reaches the terminal). The result then starts at
``trade_from``: the account is untouched until then, so its equity curve, trades and metrics are
those of a backtest that starts there with warm indicators.
"""

from __future__ import annotations

from dataclasses import replace as replace_fields
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from mas.client import MAS, state_of
from mas.reports.metrics import to_epoch
from mas.results import BacktestResult
from mas.terminal import constants as c
from mas.vector.market_data import MarketData

__all__ = ["replay", "warm_up_bars"]

_EPOCH = datetime(1970, 1, 1)
_TRADE_DEALS = (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL)
"""Deals of trades (the balance deal of the initial deposit is booked when the replay starts)."""


def warm_up_bars(data: MarketData, trade_from: int) -> int:
    """How many of ``data``'s bars (all symbols) open before ``trade_from`` (epoch seconds)."""
    return sum(int(np.searchsorted(s.rates["time"], trade_from, side="left")) for s in data.series.values())


def replay(client: MAS, data: MarketData, trade_from: int | None = None) -> BacktestResult:
    """Replay ``data``'s bars into ``client.receive_bars`` on a fresh account; the result (also kept
    as ``client.backtest_result``). ``trade_from``: the bars before it only warm the strategy up."""
    warm = warm_up_bars(data, trade_from) if trade_from is not None else 0
    state = state_of(client)
    session = state.backtest_session()
    if warm == 0 or trade_from is None:
        return session.replay_bars(data.settings, series=data.series, detail=data.detail)
    # The first ``warm`` bars only warm the strategy up: send_order refuses meanwhile, as during a live warm-up.
    result = _from(session.replay_bars(data.settings, series=data.series, detail=data.detail, warm_up=warm),
                   trade_from, warm)
    state.adopt_result(result)
    return result


def _from(result: BacktestResult, start: int, warm: int) -> BacktestResult:
    """``result`` from ``start`` on (the warm-up bars before it traded nothing: that is checked)."""
    early = [t for t in result.trades if (to_epoch(t.open_time) or 0.0) < start]
    if early or any(_deal_time(d) < start for d in result.deals if d.get("type") in _TRADE_DEALS):
        raise RuntimeError(f"the warm-up before {_EPOCH + timedelta(seconds=start)} traded: {early[:1]}")
    times = np.asarray(result.equity_times)
    keep = times >= start
    settings = {**result.settings, "from": (_EPOCH + timedelta(seconds=start)).isoformat(sep=" "),
                "warmup_bars": warm}
    bars = {name: rates[rates["time"] >= start] for name, rates in result.bars.items()}
    return replace_fields(result, settings=settings, equity_times=times[keep], equity=np.asarray(result.equity)[keep],
                          balance=np.asarray(result.balance)[keep], bars=bars,
                          margin=None if result.margin is None else np.asarray(result.margin)[keep])


def _deal_time(deal: dict[str, Any]) -> float:
    value = deal.get("time")
    return float(value) if isinstance(value, (int, float, np.integer, np.floating)) else to_epoch(value) or 0.0
