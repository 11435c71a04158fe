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

from mas.sim.market import SymbolTape, to_datetimes
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
    times = np.empty(total, dtype=np.int64)
    names = [t.spec.name for t in tapes]
    timeframes = [t.timeframe for t in tapes]
    stamps = [to_datetimes(t.rates["time"]) for t in tapes]
    volumes = [t.rates["tick_volume"].tolist() for t in tapes]
    spreads = [t.rates["spread"].tolist() for t in tapes]
    advance = terminal.advance_bar
    last = total - 1
    terminal.begin_replay()
    try:
        for j, (k, i) in enumerate(zip(which.tolist(), index.tolist(), strict=True)):
            tape = tapes[k]
            symbol = names[k]
            advance(symbol, i)
            times[j] = tape.times[i]
            bal = terminal.balance
            balance[j] = bal
            equity[j] = terminal.equity() if terminal.positions else bal
            if on_bar is not None:
                on_bar(symbol, {
                    "time": stamps[k][i], "open": tape.open[i], "high": tape.high[i], "low": tape.low[i],
                    "close": tape.close[i], "volume": volumes[k][i], "timeframe": timeframes[k],
                    "tick_volume": volumes[k][i], "spread": spreads[k][i],
                }, j == last)
    finally:
        terminal.end_replay()
    return EquityCurve(times, equity, balance)
