"""The backtest clock over bars: drives the simulated terminal and the strategy's callback.

For each bar, in time order across symbols: the terminal settles what happens on the bar
(swaps at rollover, market orders at the open, pending orders, SL/TP, expirations and
stop-out along the path: its listener pushes those events first), the account's equity
at the bar's close is recorded, then the strategy receives the completed bar. No pandas,
no logging and no allocation beyond the bar dict happen in this loop.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mas.sim.market import SymbolTape, TickTape, to_datetimes
from mas.sim.terminal import SimulatedTerminal

BarCallback = Callable[[str, dict, bool], object]


class EquityCurve:
    """Equity and balance at each replayed bar's close (account currency)."""

    def __init__(self, times: np.ndarray, equity: np.ndarray, balance: np.ndarray) -> None:
        self.times = times
        self.equity = equity
        self.balance = balance


def merged_order(tapes: list[SymbolTape]) -> tuple[np.ndarray, np.ndarray]:
    """(tape index, bar index) of every bar of every tape, in time order (ties: tape order)."""
    if len(tapes) == 1:
        n = len(tapes[0].times)
        return np.zeros(n, dtype=np.int64), np.arange(n, dtype=np.int64)
    which = np.concatenate([np.full(len(t.times), k, dtype=np.int64) for k, t in enumerate(tapes)])
    index = np.concatenate([np.arange(len(t.times), dtype=np.int64) for t in tapes])
    times = np.concatenate([t.rates["time"] for t in tapes])
    order = np.lexsort((which, times))
    return which[order], index[order]


def run_bars(terminal: SimulatedTerminal, tapes: list[SymbolTape], on_bar: BarCallback | None) -> EquityCurve:
    """Replay ``tapes`` through ``terminal``; ``on_bar(symbol, bar, is_end)`` sees each completed bar."""
    which, index = merged_order(tapes)
    total = len(index)
    equity = np.empty(total, dtype=np.float64)
    balance = np.empty(total, dtype=np.float64)
    if len(tapes) == 1:
        times = tapes[0].rates["time"].copy()
    else:
        times = np.array([tapes[k].times[i] for k, i in zip(which.tolist(), index.tolist(), strict=True)],
                         dtype=np.int64)
    terminal.begin_replay()
    try:
        if len(tapes) == 1:
            _run_one(terminal, tapes[0], on_bar, equity, balance)
        else:
            _run_merged(terminal, tapes, which.tolist(), index.tolist(), on_bar, equity, balance)
    finally:
        terminal.end_replay()
    return EquityCurve(times, equity, balance)


def _run_one(terminal: SimulatedTerminal, tape: SymbolTape, on_bar: BarCallback | None, equity: np.ndarray,
             balance: np.ndarray) -> None:
    """The single-symbol loop: bars with nothing open skip the terminal's matching entirely."""
    symbol, timeframe = tape.spec.name, tape.timeframe
    stamps = to_datetimes(tape.rates["time"])
    volumes = tape.rates["tick_volume"].tolist()
    spreads = tape.rates["spread"].tolist()
    times, opens, highs, lows, closes = tape.times, tape.open, tape.high, tape.low, tape.close
    spread_price = tape.spread_price
    market = terminal.market
    cursor, bids, market_spread = market.cursor, market.bid, market.spread_price
    advance = terminal.advance_bar
    step = tape.bar_seconds
    last = len(times) - 1
    for i in range(last + 1):
        if terminal.positions or terminal.orders:
            advance(symbol, i)
            bal = terminal.balance
            balance[i] = bal
            equity[i] = terminal.equity() if terminal.positions else bal
        else:
            market.now = times[i] + step
            cursor[symbol] = i
            bids[symbol] = closes[i]
            market_spread[symbol] = spread_price[i]
            balance[i] = equity[i] = terminal.balance
        if on_bar is not None:
            on_bar(symbol, {"time": stamps[i], "open": opens[i], "high": highs[i], "low": lows[i],
                            "close": closes[i], "volume": volumes[i], "timeframe": timeframe,
                            "tick_volume": volumes[i], "spread": spreads[i]}, i == last)


def _run_merged(terminal: SimulatedTerminal, tapes: list[SymbolTape], which: list[int], index: list[int],
                on_bar: BarCallback | None, equity: np.ndarray, balance: np.ndarray) -> None:
    """Several symbols merged by time (ties in the order the symbols were given)."""
    names = [t.spec.name for t in tapes]
    timeframes = [t.timeframe for t in tapes]
    stamps = [to_datetimes(t.rates["time"]) for t in tapes]
    volumes = [t.rates["tick_volume"].tolist() for t in tapes]
    spreads = [t.rates["spread"].tolist() for t in tapes]
    advance = terminal.advance_bar
    last = len(index) - 1
    for j, (k, i) in enumerate(zip(which, index, strict=True)):
        tape = tapes[k]
        symbol = names[k]
        advance(symbol, i)
        bal = terminal.balance
        balance[j] = bal
        equity[j] = terminal.equity() if terminal.positions else bal
        if on_bar is not None:
            on_bar(symbol, {
                "time": stamps[k][i], "open": tape.open[i], "high": tape.high[i], "low": tape.low[i],
                "close": tape.close[i], "volume": volumes[k][i], "timeframe": timeframes[k],
                "tick_volume": volumes[k][i], "spread": spreads[k][i],
            }, j == last)


TickCallback = Callable[[str, dict, bool], object]


def run_ticks(terminal: SimulatedTerminal, tapes: list[TickTape], on_tick: TickCallback | None,
              delivered: list[np.ndarray] | None = None) -> EquityCurve:
    """Replay ticks through ``terminal`` (merged by time across symbols); ``on_tick(symbol, tick,
    is_end)`` sees the ticks whose ``delivered`` mask is set (all when None). The equity curve has
    one point per minute that has ticks: the account at that minute's last tick."""
    which = np.concatenate([np.full(len(t.times), k, dtype=np.int64) for k, t in enumerate(tapes)])
    index = np.concatenate([np.arange(len(t.times), dtype=np.int64) for t in tapes])
    msc = np.concatenate([t.ticks["time_msc"] for t in tapes])
    order = np.lexsort((which, msc))
    which, index, msc = which[order], index[order], msc[order]
    shown = np.ones(len(index), dtype=bool) if delivered is None else np.concatenate(delivered)[order]
    total = len(index)
    equity = np.empty(total, dtype=np.float64)
    balance = np.empty(total, dtype=np.float64)
    names = [t.spec.name for t in tapes]
    stamps = (msc.astype("datetime64[ms]").astype(object)).tolist()
    last_shown = int(np.flatnonzero(shown)[-1]) if shown.any() else -1
    columns = [(t.ticks["last"].tolist(), t.ticks["volume"].tolist(), t.ticks["flags"].tolist()) for t in tapes]
    advance = terminal.advance_tick
    terminal.begin_replay()
    try:
        for j, (k, i, show) in enumerate(zip(which.tolist(), index.tolist(), shown.tolist(), strict=True)):
            tape = tapes[k]
            advance(names[k], i)
            bal = terminal.balance
            balance[j] = bal
            equity[j] = terminal.equity() if terminal.positions else bal
            if show and on_tick is not None:
                last, volume, flags = columns[k]
                on_tick(names[k], {"time": stamps[j], "bid": tape.bid[i], "ask": tape.ask[i], "last": last[i],
                                   "volume": volume[i], "flags": flags[i], "time_msc": int(msc[j])},
                        j == last_shown)
    finally:
        terminal.end_replay()
    minute = msc // 60_000
    keep = np.flatnonzero(np.append(minute[1:] != minute[:-1], True)) if total else np.zeros(0, dtype=np.int64)
    return EquityCurve(minute[keep] * 60, equity[keep], balance[keep])
