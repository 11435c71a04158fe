"""Simulated terminals over hand-made bars, for the simulator's, backtest's and facade's tests."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from mas.sim.account import AccountSettings
from mas.sim.clock import run_bars
from mas.sim.market import Market, SymbolTape
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c
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


@dataclass(frozen=True)
class RandomTrading:
    """How a random trader acts on each bar or tick: one roll in [0, 1) picks a market order below ``open_below``,
    else a close below ``close_below``, a stop change below ``stops_below``, a pending order below
    ``pending_below``; the gaps (points) are drawn from the tuples."""

    open_below: float
    close_below: float
    stops_below: float
    pending_below: float
    sl_gaps: tuple[int, ...]
    tp_gaps: tuple[int, ...]
    stop_gaps: tuple[int, ...]
    pending_gaps: tuple[int, ...]


def trade_at_random(terminal: SimulatedTerminal, rng: random.Random, trading: RandomTrading, symbol: str,
                    bid: float, ask: float, point: float = 0.00001) -> None:
    """One random step of a trader: market orders with and without SL/TP on both sides, closes, stop changes and
    pending orders, at ``bid`` / ``ask``."""
    roll = rng.random()
    if roll < trading.open_below:
        buy = rng.random() < 0.5
        price = ask if buy else bid
        sl_gap, tp_gap = rng.choice(trading.sl_gaps) * point, rng.choice(trading.tp_gaps) * point
        terminal.order_send({
            "action": c.TRADE_ACTION_DEAL, "symbol": symbol, "type": c.ORDER_TYPE_BUY if buy else c.ORDER_TYPE_SELL,
            "volume": rng.choice([0.1, 0.5, 1.0, 3.0, 6.0]),
            "sl": round(price - sl_gap if buy else price + sl_gap, 5) if sl_gap else 0.0,
            "tp": round(price + tp_gap if buy else price - tp_gap, 5) if tp_gap else 0.0,
        })
    elif roll < trading.close_below and terminal.positions:
        pos = rng.choice(list(terminal.positions.values()))
        terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": pos.volume,
                             "type": c.ORDER_TYPE_SELL if pos.is_buy else c.ORDER_TYPE_BUY, "position": pos.ticket})
    elif roll < trading.stops_below and terminal.positions:
        pos = rng.choice(list(terminal.positions.values()))
        gap = rng.choice(trading.stop_gaps) * point
        terminal.order_send({"action": c.TRADE_ACTION_SLTP, "symbol": symbol, "position": pos.ticket,
                             "sl": round(bid - gap if pos.is_buy else ask + gap, 5), "tp": 0.0})
    elif roll < trading.pending_below:
        gap = rng.choice(trading.pending_gaps) * point
        kind = rng.choice([c.ORDER_TYPE_BUY_LIMIT, c.ORDER_TYPE_SELL_LIMIT, c.ORDER_TYPE_BUY_STOP,
                           c.ORDER_TYPE_SELL_STOP])
        below = kind in (c.ORDER_TYPE_BUY_LIMIT, c.ORDER_TYPE_SELL_STOP)
        terminal.order_send({"action": c.TRADE_ACTION_PENDING, "symbol": symbol, "type": kind, "volume": 0.5,
                             "price": round(bid - gap if below else ask + gap, 5), "type_time": c.ORDER_TIME_DAY})
