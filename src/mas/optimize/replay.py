"""One event-engine backtest over candles already in memory (:class:`MarketData`).

It is :func:`mas.backtest.session.run_bar_backtest` with the replayed symbols' bars given
instead of read from the data store, so a worker replays the same candles many times without
reloading them (and a remote Dask worker needs no data store). Currency conversion and other
timeframes still come from the local store, as in ``subscribe_bars``. Results equal
``subscribe_bars``' (a test holds them together).
"""

from __future__ import annotations

import time as wallclock

import numpy as np

from mas.backtest.session import CallbackDispatcher
from mas.client import MAS
from mas.data.store import MissingDataError, load_bars
from mas.optimize.market_data import MarketData
from mas.results import BacktestResult
from mas.sim.clock import run_bars
from mas.sim.market import Market, PathDetail, SymbolTape, prepare_rates
from mas.sim.terminal import SimulatedTerminal

__all__ = ["replay"]


def _terminal(data: MarketData, client: MAS) -> tuple[SimulatedTerminal, list[SymbolTape]]:
    settings = data.settings
    specs = settings.specs()
    market = Market()
    tapes = []
    for name in settings.symbols:
        spec = specs[name]
        rates, note = prepare_rates(data.series[name], spec, settings.spread)
        tape = SymbolTape(spec=spec, timeframe=settings.timeframe, rates=rates, price_side_note=note)
        if name in data.detail:
            detail_rates, _ = prepare_rates(data.detail[name], spec, settings.spread)
            tape.detail = PathDetail.for_bars(detail_rates, rates["time"], tape.bar_seconds, 60, spec.point)
        market.add(tape)
        tapes.append(tape)

    def stored_rates(symbol: str, timeframe: str, start: object) -> np.ndarray | None:
        spec = specs.get(symbol)
        if spec is None:
            return None
        try:
            series = load_bars(symbol, timeframe, start, settings.end)
        except MissingDataError:
            return None
        return prepare_rates(series, spec, settings.spread)[0]

    market.conversion_loader = lambda symbol: stored_rates(symbol, settings.timeframe, settings.start)
    terminal = SimulatedTerminal(settings.account(), specs, market, slippage_points=settings.slippage,
                                 listener=CallbackDispatcher(client),
                                 rates_loader=lambda symbol, timeframe: stored_rates(symbol, timeframe, None))
    return terminal, tapes


def replay(client: MAS, data: MarketData) -> BacktestResult:
    """Replay ``data``'s bars into ``client.receive_bars`` on a fresh account; the result (also kept
    as ``client.backtest_result``)."""
    settings = data.settings
    terminal, tapes = _terminal(data, client)
    client._sim = terminal
    client._result = None
    overridden = type(client).receive_bars is not MAS.receive_bars
    client._replaying = True
    started = wallclock.perf_counter()
    try:
        curve = run_bars(terminal, tapes, client.receive_bars if overridden else None)
    finally:
        client._replaying = False
    elapsed = wallclock.perf_counter() - started
    result = BacktestResult(
        settings=settings.as_report_settings(type(client).__name__) | {"elapsed_seconds": round(elapsed, 4),
                                                                        "price_side": tapes[0].price_side_note},
        trades=terminal.trades + terminal.open_trade_records(),
        equity_times=curve.times, equity=curve.equity, balance=curve.balance, initial_capital=settings.capital,
        currency=settings.currency, deals=[d.view()._asdict() for d in terminal.deals],
        bars={t.spec.name: t.rates for t in tapes},
    )
    client._result = result
    return result
