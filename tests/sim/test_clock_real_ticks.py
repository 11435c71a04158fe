"""The 'real_ticks' replay over the tick store's columns (``TickTape(columns=...)``, what ``subscribe_ticks`` runs):
the same replay as the same ticks given as a ``TICKS_DTYPE`` array (how stored ticks were replayed before they were
read as columns): the same chunks, minute marks and rollovers, deals, curve and tick dicts; the result's M1 bars
are the bars the earlier minute-by-minute build made, with and without a ``spread`` parameter.

The store holds ticks synthesized from M1 bars drawn inside the real EURUSD H1 2017 sample, with volumes, last
prices and trade flags (``sample_ticks``)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

import mas
from data.test_tick_columns import sample_ticks
from mas.data.tick_store import load_tick_columns, load_ticks, save_ticks
from mas.sim.account import AccountSettings
from mas.sim.clock import run_ticks
from mas.sim.market import (
    ASK,
    BID,
    SECOND_STEPS,
    SPREAD,
    TICK_CHUNK,
    TIME,
    Market,
    TickTape,
    minute_ends,
    rollover_points,
)
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c
from mas.terminal.types import RATES_DTYPE
from sim.test_clock_ticks import tick_trader

SPAN = {"symbol": "EURUSD", "from": "2017-01-02", "to": "2017-01-09", "backtest_toggle": True, "model": "real_ticks"}


@pytest.fixture()
def stored() -> np.ndarray:
    ticks = sample_ticks(130)
    save_ticks("EURUSD", ticks)
    assert ticks.size > 2 * TICK_CHUNK  # three chunks
    return ticks


def reference_m1(ticks: np.ndarray, digits: int) -> np.ndarray:
    """M1 bars as they were built before: a minute key per tick, the spread of each tick in points."""
    minutes = ticks["time_msc"] // 60_000 * 60
    starts = np.concatenate(([0], np.flatnonzero(np.diff(minutes)) + 1))
    ends = np.concatenate((starts[1:], [ticks.size]))
    bid = ticks["bid"]
    bars = np.empty(starts.size, dtype=RATES_DTYPE)
    bars["time"] = minutes[starts]
    bars["open"], bars["close"] = bid[starts], bid[ends - 1]
    bars["high"], bars["low"] = np.maximum.reduceat(bid, starts), np.minimum.reduceat(bid, starts)
    bars["tick_volume"] = ends - starts
    spreads = np.rint((ticks["ask"] - bid) * 10.0**digits)
    bars["spread"] = np.clip(np.minimum.reduceat(spreads, starts), 0, np.iinfo(np.int32).max)
    bars["real_volume"] = np.add.reduceat(ticks["volume"], starts)
    return bars


def terminal_of(tape: TickTape, margin_mode: str) -> SimulatedTerminal:
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    market = Market()
    market.add(tape)
    return SimulatedTerminal(AccountSettings(capital=3_000, leverage=500, margin_mode=margin_mode), specs, market)


def test_a_tape_of_stored_columns_reads_as_the_ticks_array(stored):
    spec = resolve_spec("EURUSD", {})
    columns = TickTape(spec=spec, columns=load_tick_columns("EURUSD"))
    rows = TickTape(spec=spec, ticks=load_ticks("EURUSD"))
    assert columns.stored is None and len(columns) == len(rows) == stored.size
    seconds = stored["time_msc"] // 1000
    np.testing.assert_array_equal(columns.marks, minute_ends(seconds, 60))  # as marks were found before
    at, nights = rollover_points(seconds, spec.swap_rollover3days)
    assert at.size > 2
    np.testing.assert_array_equal(columns.rollover_ticks, at)
    assert columns.rollovers.at == dict(zip(at.tolist(), nights.tolist(), strict=True)) == rows.rollovers.at
    for start in range(0, stored.size, TICK_CHUNK):  # every chunk's lists, as the clock reads them
        part = stored[start:start + TICK_CHUNK]
        columns.load(start)
        rows.load(start)
        expected = {TIME: (part["time_msc"] // 1000).tolist(), BID: part["bid"].tolist(), ASK: part["ask"].tolist(),
                    SPREAD: (part["ask"] - part["bid"]).tolist(),
                    SECOND_STEPS: np.diff(part["time_msc"] // 1000, prepend=0).tolist()}
        for column, values in expected.items():
            assert columns.chunk_list(column) == rows.chunk_list(column) == values, (start, column)
        assert columns.rows_of_chunk().tobytes() == rows.rows_of_chunk().tobytes() == part.tobytes()
    picks = np.array([0, TICK_CHUNK - 1, TICK_CHUNK, stored.size - 1])
    np.testing.assert_array_equal(columns.times_msc(picks), stored["time_msc"][picks])
    for name in ("times", "bid", "ask", "spread_price"):
        np.testing.assert_array_equal(np.asarray(getattr(columns, name)), np.asarray(getattr(rows, name)))
    assert columns.ticks.tobytes() == stored.tobytes()
    assert columns.minute_bars().tobytes() == rows.minute_bars().tobytes() == reference_m1(stored, 5).tobytes()


@pytest.mark.parametrize(("margin_mode", "seed"), [("hedging", 1), ("netting", 2)])
def test_stored_columns_replay_exactly_like_the_ticks_array(stored, margin_mode, seed):
    spec = resolve_spec("EURUSD", {})
    stories = []
    for tape in (TickTape(spec=spec, columns=load_tick_columns("EURUSD")), TickTape(spec=spec, ticks=stored)):
        terminal = terminal_of(tape, margin_mode)
        curve = run_ticks(terminal, [tape], tick_trader(terminal, seed))
        deals = [(d.ticket, d.time, d.type, d.entry, d.reason, d.volume, d.price, d.profit, d.swap)
                 for d in terminal.deals]
        stories.append((deals, [(o.ticket, o.state, o.time_done) for o in terminal.history_orders], curve))
    (deals, orders, curve), (row_deals, row_orders, row_curve) = stories
    assert len(deals) > 20 and any(d[8] != 0 for d in deals)  # trades, swaps among them
    assert {c.DEAL_REASON_SL, c.DEAL_REASON_TP} <= {d[4] for d in deals}
    assert deals == row_deals and orders == row_orders
    for name in ("times", "equity", "balance", "margin"):
        np.testing.assert_array_equal(getattr(curve, name), getattr(row_curve, name))


class MethodTrader:
    """``tick_trader``'s trading as a method of a Python class (what a strategy's ``receive_ticks`` is), counting its
    calls and the ``is_end`` flags it is given; ``quoted``: it reads the market's quote, not its tick (the replay
    then hands it one dict for every tick)."""

    def __init__(self, terminal: SimulatedTerminal, seed: int, quoted: bool) -> None:
        self.trade = tick_trader(terminal, seed)
        self.market = terminal.book.market if quoted else None
        self.calls, self.ends = 0, []

    def receive_ticks(self, symbol, data, is_end):
        self.calls += 1
        if is_end:
            self.ends.append(self.calls)
        if self.market is not None:
            bid, ask = self.market.bid_ask(symbol)
            data = {"bid": bid, "ask": ask}
        self.trade(symbol, data, is_end)


@pytest.mark.parametrize("wants_data", [True, False])
def test_a_method_called_as_its_function_replays_like_a_plain_function(stored, wants_data):
    spec = resolve_spec("EURUSD", {})
    stories = []
    for as_method in (True, False):
        tape = TickTape(spec=spec, columns=load_tick_columns("EURUSD"))
        terminal = terminal_of(tape, "hedging")
        trader = MethodTrader(terminal, 3, quoted=not wants_data)
        callback = trader.receive_ticks if as_method else (lambda s, d, e, t=trader: t.receive_ticks(s, d, e))
        curve = run_ticks(terminal, [tape], callback, wants_data=wants_data)
        assert trader.calls == stored.size and trader.ends == [stored.size]
        deals = [(d.ticket, d.time, d.type, d.entry, d.reason, d.volume, d.price, d.profit) for d in terminal.deals]
        stories.append((deals, curve))
    (deals, curve), (plain_deals, plain_curve) = stories
    assert len(deals) > 20 and deals == plain_deals
    for name in ("times", "equity", "balance", "margin"):
        np.testing.assert_array_equal(getattr(curve, name), getattr(plain_curve, name))


class Reads(mas):
    def __init__(self):
        super().__init__()
        self.ticks, self.ends = [], 0

    def receive_ticks(self, symbol, data, is_end):
        self.ticks.append(dict(data))
        self.ends += bool(is_end)


class Ignores(mas):
    def __init__(self):
        super().__init__()
        self.count = 0

    def receive_ticks(self, symbol, data, is_end):
        self.count += 1


@pytest.mark.parametrize("spread", [None, 7])
def test_subscribe_ticks_hands_over_the_stored_ticks_and_keeps_the_bars_they_make(stored, spread):
    params = SPAN if spread is None else {**SPAN, "spread": spread}
    expected = load_ticks("EURUSD", datetime(2017, 1, 2), datetime(2017, 1, 9, 23, 59, 59, 999_999))
    if spread is not None:
        expected["ask"] = np.round(expected["bid"] + spread * 0.00001, 5)
    reader, ignorer = Reads(), Ignores()
    reader.subscribe_ticks(params)
    ignorer.subscribe_ticks(params)
    assert len(reader.ticks) == ignorer.count == expected.size and reader.ends == 1
    for i in (0, 1, TICK_CHUNK - 1, TICK_CHUNK, expected.size - 1):
        row, tick = expected[i], reader.ticks[i]
        assert tick["time"] == row["time_msc"].astype("datetime64[ms]").item()
        assert (tick["bid"], tick["ask"], tick["last"], tick["volume"], tick["time_msc"], tick["flags"],
                tick["volume_real"]) == tuple(row[k].item() for k in ("bid", "ask", "last", "volume", "time_msc",
                                                                       "flags", "volume_real"))
    assert [t["bid"] for t in reader.ticks] == expected["bid"].tolist()
    assert [t["ask"] for t in reader.ticks] == expected["ask"].tolist()
    assert [t["flags"] for t in reader.ticks] == expected["flags"].tolist()
    for client in (reader, ignorer):
        assert client.backtest_result.bars["EURUSD"].tobytes() == reference_m1(expected, 5).tobytes()


def test_mode_trade_hands_over_only_the_trade_ticks(stored):
    reader = Reads()
    reader.subscribe_ticks({**SPAN, "mode": "trade"})
    span = stored[(stored["time_msc"] >= 1_483_315_200_000) & (stored["time_msc"] < 1_484_006_400_000)]  # 2 to 9 Jan
    trades = span[(span["flags"] & (c.TICK_FLAG_LAST | c.TICK_FLAG_VOLUME)) != 0]
    assert 0 < len(reader.ticks) == trades.size < span.size
    assert [t["time_msc"] for t in reader.ticks] == trades["time_msc"].tolist()
