"""The clock's shortcut for quiet bars (positions open, nothing reachable on the bar's path) must
settle the account exactly as walking every bar does: same deals, same prices, same equity curve.

A random trader (market orders with SL/TP on both sides, closes, stop changes, pending orders) runs
on the real EURUSD H1 sample with high leverage, so stops, take-profits, swaps, margin calls and
stop-outs all happen; once with the shortcut and once walking every bar.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from mas.data.store import load_bars
from mas.sim.account import AccountSettings
from mas.sim.clock import run_bars
from mas.sim.market import Market, PathDetail, SymbolTape, prepare_rates
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c
from sim.terminals import RandomTrading, trade_at_random

BARS = 2500


def sample_terminal(margin_mode: str, with_m1: bool) -> tuple[SimulatedTerminal, list[SymbolTape]]:
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    spec = specs["EURUSD"]
    rates, _ = prepare_rates(load_bars("EURUSD", "H1"), spec, None)
    rates = rates[:BARS]
    tape = SymbolTape(spec=spec, timeframe="H1", rates=rates, price_side_note="test")
    if with_m1:
        tape.detail = PathDetail.for_bars(m1_inside(rates), rates["time"], 3600, 60, spec.point)
    market = Market()
    market.add(tape)
    account = AccountSettings(capital=3_000, leverage=500, margin_mode=margin_mode)
    return SimulatedTerminal(account, specs, market), [tape]


def m1_inside(rates: np.ndarray) -> np.ndarray:
    """M1 bars inside each H1 bar (open -> low -> high -> close, or via the high first on a bearish
    bar) with spreads that vary minute by minute, so the path's spread range matters. The last
    H1 bar of every day has no M1 bars (the walk then uses the H1 bar itself)."""
    rng = np.random.default_rng(7)
    keep = rates[(rates["time"] // 3600) % 24 != 23]
    minutes = np.arange(60)
    out = np.zeros(len(keep) * 60, dtype=rates.dtype)
    for k, bar in enumerate(keep):
        o, h, lo, cl = (float(bar[f]) for f in ("open", "high", "low", "close"))
        first, second = (lo, h) if cl >= o else (h, lo)
        closes = np.interp(minutes, [0, 20, 40, 59], [o, first, second, cl]).round(5)
        opens = np.concatenate(([o], closes[:-1]))
        block = out[k * 60:(k + 1) * 60]
        block["time"] = int(bar["time"]) + 60 * minutes
        block["open"], block["close"] = opens, closes
        block["high"], block["low"] = np.maximum(opens, closes), np.minimum(opens, closes)
        block["spread"] = rng.integers(0, 25, 60)
        block["tick_volume"] = 10
    return out


BAR_TRADING = RandomTrading(open_below=0.06, close_below=0.09, stops_below=0.11, pending_below=0.12,
                            sl_gaps=(0, 80, 200, 600), tp_gaps=(0, 100, 300, 900), stop_gaps=(50, 150, 400),
                            pending_gaps=(30, 120))


def random_trader(terminal: SimulatedTerminal, seed: int):
    rng = random.Random(seed)

    def on_bar(symbol: str, bar: dict, is_end: bool) -> None:
        bid = bar["close"]
        trade_at_random(terminal, rng, BAR_TRADING, symbol, bid, bid + bar["spread"] * 0.00001)

    return on_bar


def account_story(margin_mode: str, with_m1: bool, seed: int, quiet_bars: bool):
    terminal, tapes = sample_terminal(margin_mode, with_m1)
    curve = run_bars(terminal, tapes, random_trader(terminal, seed), quiet_bars=quiet_bars)
    deals = [(d.ticket, d.order, d.time, d.type, d.entry, d.reason, d.volume, d.price, d.profit, d.swap,
              d.commission, d.position_id) for d in terminal.deals]
    orders = [(o.ticket, o.state, o.time_done, o.type) for o in terminal.history_orders]
    return deals, orders, curve, terminal.margin_calls


@pytest.mark.parametrize(("margin_mode", "with_m1", "seed"), [
    ("hedging", False, 1), ("hedging", False, 2), ("netting", False, 3), ("hedging", True, 4), ("netting", True, 5),
])
def test_quiet_bars_settle_exactly_like_walking_every_bar(margin_mode, with_m1, seed):
    deals, orders, curve, calls = account_story(margin_mode, with_m1, seed, quiet_bars=True)
    walked_deals, walked_orders, walked_curve, walked_calls = account_story(margin_mode, with_m1, seed,
                                                                            quiet_bars=False)
    reasons = {d[5] for d in deals}
    # the story exercises what the shortcut has to respect
    assert {c.DEAL_REASON_SL, c.DEAL_REASON_TP, c.DEAL_REASON_SO} <= reasons, reasons
    assert any(d[9] != 0 for d in deals), "no swaps were charged"
    assert deals == walked_deals
    assert orders == walked_orders
    assert calls == walked_calls
    np.testing.assert_array_equal(curve.equity, walked_curve.equity)
    np.testing.assert_array_equal(curve.balance, walked_curve.balance)
