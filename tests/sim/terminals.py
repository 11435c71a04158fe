"""Simulated terminals over hand-made bars, for the simulator's, backtest's and facade's tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

import numpy as np

from mas.sim.account import AccountSettings
from mas.sim.clock import run_bars
from mas.sim.market import Market, SymbolTape
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal.types import RATES_DTYPE


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def make_rates(start: str, bars: Sequence[tuple[float, float, float, float]], step: int = 3600,
               spread: int = 0) -> np.ndarray:
    """Rates from (open, high, low, close) tuples, one bar every ``step`` seconds from ``start``."""
    rates = np.zeros(len(bars), dtype=RATES_DTYPE)
    rates["time"] = epoch(start) + np.arange(len(bars)) * step
    for i, (o, h, lo, cl) in enumerate(bars):
        rates[i]["open"], rates[i]["high"], rates[i]["low"], rates[i]["close"] = o, h, lo, cl
    rates["spread"] = spread
    rates["tick_volume"] = 100
    return rates


def make_terminal(rates_by_symbol: dict[str, np.ndarray], *, account: AccountSettings | None = None,
                  overrides: dict | None = None, timeframe: str = "H1", listener=None, slippage: int = 0
                  ) -> tuple[SimulatedTerminal, list[SymbolTape]]:
    """A simulated terminal replaying the given bid rates (spread column = points)."""
    overrides = overrides or {}
    specs = {n: resolve_spec(n, overrides) for n in list(BUILTIN_SYMBOLS) + list(overrides)}
    market = Market()
    tapes = []
    for name, rates in rates_by_symbol.items():
        tape = SymbolTape(spec=specs[name], timeframe=timeframe, rates=rates, price_side_note="test")
        market.add(tape)
        tapes.append(tape)
    terminal = SimulatedTerminal(account or AccountSettings(), specs, market, listener=listener,
                                 slippage_points=slippage)
    return terminal, tapes


def replay(terminal, tapes, on_bar=None):
    return run_bars(terminal, tapes, on_bar)


class Recorder:
    """A listener that records every event in order."""

    def __init__(self):
        self.events = []

    def on_order_update(self, order, retcode, message, request):
        self.events.append(("status", order.ticket, retcode, order.state))

    def on_deal(self, deal, order):
        self.events.append(("deal", deal.order, deal.entry, deal.reason, deal.price, deal.profit))
