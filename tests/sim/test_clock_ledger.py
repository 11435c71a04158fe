"""The clock's ledger over replays longer than one chunk (:data:`mas.sim.clock.CHUNK` bars): the equity,
balance and margin of each bar are what the account holds when the strategy sees that bar, across chunk
boundaries, whether the curve is read at the end or while the replay runs; and a tape's bar times
(:class:`~mas.sim.market.TimeColumn`) read like the list they replace.

The long replay is the bundled EURUSD H1 2017 sample and its mirror image, end to end (real prices)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.data.store import load_bars
from mas.sim.account import AccountSettings
from mas.sim.clock import CHUNK, BarLedger, run_bars
from mas.sim.market import Market, SymbolTape, TimeColumn, prepare_rates
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c


def long_rates(count: int) -> np.ndarray:
    """``count`` H1 bars: the real sample, then its mirror image (shifted by whole weeks), and so on."""
    specs = resolve_spec("EURUSD", {})
    base, _ = prepare_rates(load_bars("EURUSD", "H1"), specs, None)
    span = int(base["time"][-1] - base["time"][0]) + 7 * 86400
    span -= span % (7 * 86400)
    axis = float(base["open"][0] + base["close"][-1])
    copies = []
    for k in range(count // len(base) + 1):
        chunk = base.copy()
        chunk["time"] += k * span
        if k % 2:
            chunk["open"], chunk["close"] = np.round(axis - base["open"], 5), np.round(axis - base["close"], 5)
            chunk["high"], chunk["low"] = np.round(axis - base["low"], 5), np.round(axis - base["high"], 5)
        copies.append(chunk)
    return np.concatenate(copies)[:count]


BARS = CHUNK + CHUNK // 4  # one whole chunk and part of the next
RATES = long_rates(BARS)


def terminal_over(rates: np.ndarray, margin_mode: str = "hedging") -> tuple[SimulatedTerminal, list[SymbolTape]]:
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    tape = SymbolTape(spec=specs["EURUSD"], timeframe="H1", rates=rates, price_side_note="test")
    market = Market()
    market.add(tape)
    account = AccountSettings(capital=50_000, leverage=100, margin_mode=margin_mode)
    return SimulatedTerminal(account, specs, market), [tape]


def trader(terminal: SimulatedTerminal, seed: int, seen: list[tuple[float, float, float]]):
    """Notes the account (equity, balance, margin in use) as each bar reaches it, then trades at random:
    market orders with and without stops, closes, and long stretches with nothing open."""
    rng = random.Random(seed)
    book = terminal.book

    def on_bar(symbol: str, bar: dict, is_end: bool) -> None:
        seen.append((book.equity(), book.balance, book.margin_used()))
        roll = rng.random()
        if roll < 0.01:
            buy = rng.random() < 0.5
            bid = bar["close"]
            gap = rng.choice([0, 0.002, 0.01])
            terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": rng.choice([0.1, 0.5, 1.0]),
                                 "type": c.ORDER_TYPE_BUY if buy else c.ORDER_TYPE_SELL,
                                 "sl": round(bid - gap if buy else bid + gap, 5) if gap else 0.0})
        elif roll < 0.02 and terminal.positions:
            pos = rng.choice(list(terminal.positions.values()))
            terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": pos.volume,
                                 "type": c.ORDER_TYPE_SELL if pos.is_buy else c.ORDER_TYPE_BUY,
                                 "position": pos.ticket})

    return on_bar


@pytest.mark.parametrize(("margin_mode", "seed"), [("hedging", 1), ("netting", 2)])
def test_each_bar_of_the_curve_is_the_account_the_strategy_saw(margin_mode, seed):
    terminal, tapes = terminal_over(RATES, margin_mode)
    seen: list[tuple[float, float, float]] = []
    curve = run_bars(terminal, tapes, trader(terminal, seed, seen))
    assert len(terminal.deals) > 100, "the story trades across both chunks"
    equity, balance, margin = (np.array(column) for column in zip(*seen, strict=True))
    assert len(curve.equity) == BARS
    np.testing.assert_array_equal(curve.balance, balance)
    np.testing.assert_array_equal(curve.margin, margin)
    np.testing.assert_allclose(curve.equity, equity, rtol=0, atol=1e-6)  # the quiet form sums in another order
    assert (margin > 0).any() and (margin == 0).any()
    assert (np.diff(margin[:CHUNK]) != 0).any() and (np.diff(margin[CHUNK:]) != 0).any()  # deals in both chunks


def test_quiet_bars_and_walking_every_bar_give_the_same_curve_across_chunks():
    curves = []
    for quiet in (True, False):
        terminal, tapes = terminal_over(RATES)
        curves.append(run_bars(terminal, tapes, trader(terminal, 3, []), quiet_bars=quiet))
    quick, walked = curves
    np.testing.assert_array_equal(quick.balance, walked.balance)
    np.testing.assert_array_equal(quick.margin, walked.margin)
    np.testing.assert_allclose(quick.equity, walked.equity, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(quick.times, RATES["time"])


def test_the_curve_read_during_the_replay_is_the_final_curve_so_far():
    terminal, tapes = terminal_over(RATES)
    ledger = BarLedger(tapes)
    reads = {}
    trade = trader(terminal, 4, [])
    wanted = {10, CHUNK - 1, CHUNK, CHUNK + 7, BARS - 1}

    def on_bar(symbol: str, bar: dict, is_end: bool) -> None:
        trade(symbol, bar, is_end)
        done = ledger.done(terminal)
        if done - 1 in wanted:
            reads[done] = ledger.curve(done)

    final = run_bars(terminal, tapes, on_bar, ledger=ledger)
    assert sorted(reads) == sorted(b + 1 for b in wanted)
    for done, so_far in reads.items():
        assert len(so_far.equity) == done
        np.testing.assert_array_equal(so_far.times, final.times[:done])
        np.testing.assert_array_equal(so_far.balance, final.balance[:done])
        np.testing.assert_array_equal(so_far.margin, final.margin[:done])
        # a bar's equity is recorded before the strategy trades on it, so only the last one read may differ
        np.testing.assert_array_equal(so_far.equity[:-1], final.equity[:done - 1])


def test_a_ledger_written_bar_by_bar_reads_back_as_written():
    """A clock of its own (a group's) writes the arrays item by item and never opens a chunk."""
    _, tapes = terminal_over(RATES[:500])
    ledger = BarLedger(tapes)
    ledger.equity[:] = np.arange(500) + 0.5
    ledger.balance[7] = 3.0
    ledger.margin[9] = 2.0
    curve = ledger.curve(100)
    assert curve.equity[99] == 99.5 and curve.balance[7] == 3.0 and curve.margin[9] == 2.0
    assert len(ledger.curve().equity) == 500


def test_bar_times_read_like_a_list():
    times = TimeColumn(RATES["time"])
    expected = RATES["time"].tolist()
    assert len(times) == BARS
    assert times[0] == expected[0] and times[-1] == expected[-1] and times[CHUNK] == expected[CHUNK]
    assert type(times[5]) is int
    np.testing.assert_array_equal(np.asarray(times, dtype=np.int64), RATES["time"])
    assert times.tolist() == expected and list(times)[:3] == expected[:3]
    with pytest.raises(IndexError, match="outside the tape"):
        times[BARS]
    with pytest.raises(IndexError):
        times[-BARS - 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-BARS, max_value=BARS - 1), min_size=1, max_size=40))
def test_bar_times_at_any_index_in_any_order(indexes):
    times = TimeColumn(RATES["time"])
    expected = RATES["time"].tolist()
    assert [times[i] for i in indexes] == [expected[i] for i in indexes]
