"""The cheaper order path of issue 19 (the user-style flip) does what the plain one did.

- the matching reads a sparsely settled bar's prices from the arrays, a densely settled one's through the
  columns' chunks: both give the same floats, and the switch between them follows how densely bars are settled;
- an SMA flip whose bars are settled sparsely (the clock skips the quiet bars between its trades) trades and
  values the account exactly as when every bar with a position is walked (every read through the chunks);
- the facade asks a session about a call only when its class answers calls itself, and a close naming the order
  that opened a position reaches that position, in the replay and after it.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import mas
from mas.backtest.session import BacktestSession
from mas.client import state_of
from mas.data.store import load_bars
from mas.groups.session import GroupSession
from mas.live.session import LiveSession
from mas.sessions.base import Session
from mas.sim.account import AccountSettings
from mas.sim.clock import run_bars
from mas.sim.market import Market, SymbolTape, prepare_rates
from mas.sim.matching import _DENSE_SHARE, _SPAN, _price, _settled_densely
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c


def sample_terminal(bars: int | None = None, spread: int | None = None) -> tuple[SimulatedTerminal, SymbolTape]:
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    spec = specs["EURUSD"]
    rates, _ = prepare_rates(load_bars("EURUSD", "H1"), spec, spread)
    tape = SymbolTape(spec=spec, timeframe="H1", rates=rates[:bars], price_side_note="test")
    market = Market()
    market.add(tape)
    return SimulatedTerminal(AccountSettings(capital=10_000, leverage=100), specs, market), tape


def test_a_price_read_from_the_array_is_the_chunks_float():
    _, tape = sample_terminal(spread=7)
    rng = random.Random(3)
    indices = [0, len(tape.times) - 1, *(rng.randrange(len(tape.times)) for _ in range(300))]
    for column in (tape.open, tape.high, tape.low, tape.close, tape.spread_price):
        by_bar = [_price(column, i, False) for i in indices]
        by_chunk = [_price(column, i, True) for i in indices]
        assert all(type(v) is float for v in by_bar + by_chunk)
        np.testing.assert_array_equal(np.array(by_bar).view(np.int64), np.array(by_chunk).view(np.int64))
    assert [tape.times.values.item(i) for i in indices] == [tape.times[i] for i in indices]


def test_bars_are_read_by_the_chunk_only_while_they_are_settled_densely():
    terminal, _ = sample_terminal()
    book = terminal.book
    sparse = [_settled_densely(book, "EURUSD", i) for i in range(0, 3 * _SPAN, 30)]
    assert not any(sparse)  # a bar in 30 (the flip's trades): read from the arrays
    start = 3 * _SPAN
    dense = [_settled_densely(book, "EURUSD", i) for i in range(start, start + _SPAN)]
    needed = -(-_SPAN // _DENSE_SHARE)  # settles of the span that make it dense
    assert not any(dense[:needed - 1]) and all(dense[needed - 1:])
    assert _settled_densely(book, "EURUSD", start + _SPAN)  # the next span starts dense: the last one was
    assert not _settled_densely(book, "EURUSD", start + 3 * _SPAN)  # a span later, after a gap, sparse again
    assert not _settled_densely(book, "GBPUSD", start)  # each symbol counts its own


def sma_flipper(terminal: SimulatedTerminal, fast: int, slow: int, stop_gap: float):
    """A flip on SMA crosses that closes by position and puts a stop on every new position (SL fills happen)."""
    closes: list[float] = []
    state = {"side": 0}

    def on_bar(symbol: str, bar: dict, is_end: bool) -> None:
        closes.append(bar["close"])
        if len(closes) < slow:
            return
        want = 1 if sum(closes[-fast:]) / fast > sum(closes[-slow:]) / slow else -1
        if want == state["side"]:
            return
        for pos in terminal.positions_get(symbol=symbol) or ():
            terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": pos.volume,
                                 "type": c.ORDER_TYPE_SELL if pos.type == c.POSITION_TYPE_BUY else c.ORDER_TYPE_BUY,
                                 "position": pos.ticket})
        close = bar["close"]
        sl = round(close - stop_gap if want > 0 else close + stop_gap, 5)
        terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": 0.1, "sl": sl,
                             "type": c.ORDER_TYPE_BUY if want > 0 else c.ORDER_TYPE_SELL})
        state["side"] = want

    return on_bar


@pytest.mark.parametrize("stop_gap", [0.002, 0.05])
def test_a_sparsely_settled_flip_trades_as_one_walking_every_bar(stop_gap):
    stories = []
    for quiet_bars in (True, False):
        terminal, tape = sample_terminal(spread=8)
        curve = run_bars(terminal, [tape], sma_flipper(terminal, 10, 30, stop_gap), quiet_bars=quiet_bars)
        deals = [(d.ticket, d.order, d.time, d.type, d.entry, d.reason, d.volume, d.price, d.profit, d.swap,
                  d.commission, d.position_id) for d in terminal.deals]
        stories.append((deals, curve.equity.tolist(), curve.balance.tolist(), terminal.book.settle_counts))
    (deals, equity, balance, counts), (deals_walked, equity_walked, balance_walked, _) = stories
    assert len(deals) > 200 and deals == deals_walked
    assert equity == equity_walked and balance == balance_walked
    assert counts["EURUSD"][1] > 0  # the matching counted what it settled


class Answering(BacktestSession):
    def handles(self, call: str, params: dict) -> bool:
        return call == "send_order" and params.get("symbol") == "ANSWERED"

    def handle(self, call: str, params: dict) -> str:
        return "answered"


def test_only_a_session_class_that_answers_calls_is_asked():
    assert not Session.answers_calls and not BacktestSession.answers_calls and not LiveSession.answers_calls
    assert GroupSession.answers_calls and Answering.answers_calls

    class Flip(mas):
        def receive_bars(self, symbol, data, is_end):
            pass

    strategy = Flip()
    state = state_of(strategy)
    state.backtest = Answering(state._events(weak=True))
    order = {"symbol": "ANSWERED", "order_type": "buy", "volume": 0.1, "backtest_toggle": True}
    assert strategy.send_order(order) == "answered"


def test_a_close_by_order_id_reaches_the_position_it_opened():
    class OpenThenClose(mas):
        def __init__(self):
            super().__init__()
            self.seen, self.opened, self.answers = 0, None, []

        def receive_bars(self, symbol, data, is_end):
            self.seen += 1
            if self.seen == 5:
                self.opened = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                               "backtest_toggle": True})
            elif self.seen == 9:
                self.answers.append(self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1,
                                                     "order_id": self.opened, "backtest_toggle": True}))

    strategy = OpenThenClose()
    strategy.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-03",
                             "capital": 10_000, "backtest_toggle": True})
    result = strategy.backtest_result
    assert strategy.answers[0] is not None
    assert len(result.closed_trades) == 1 and result.closed_trades[0].position_id == int(strategy.opened)
    assert not result.trades[0].is_open
    # after the replay the order's id still names its (now closed) position: the close is refused as MT5 does
    assert strategy.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.1, "order_id": strategy.opened,
                                "backtest_toggle": True}) is None
