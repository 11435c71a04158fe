"""The clock's tick replay (:func:`mas.sim.clock.run_ticks`): the shortcut for quiet ticks (nothing open, or
positions open with no order waiting, no rollover and no SL, TP or stop-out reachable at the tick) settles the
account exactly as settling every tick does; a stop or a pending order still fires at the exact tick that
reaches it; the tick dicts are the ticks' values; a callback that never reads its tick gets one shared dict.

The ticks are synthesized (the 'every_tick' model) from M1 bars drawn inside the real EURUSD H1 2017 sample."""

from __future__ import annotations

import random
from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.backtest.session import reads_its_data, tick_replay_bars
from mas.data.resample import ticks_to_m1
from mas.data.store import load_bars
from mas.data.tick_model import synthesize_ticks_from_m1
from mas.sessions.events import tick_dict
from mas.sim.account import AccountSettings
from mas.sim.clock import CHUNK, TickLedger, minute_ends, run_ticks
from mas.sim.market import Market, TickTape, prepare_rates, rollover_counts
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c
from mas.terminal.types import TICKS_DTYPE
from sim.terminals import RandomTrading, epoch, trade_at_random
from sim.test_quiet_bars import m1_inside

H1_BARS = 160
POINT = 0.00001


def sample_m1(bars: int = H1_BARS) -> np.ndarray:
    spec = resolve_spec("EURUSD", {})
    rates, _ = prepare_rates(load_bars("EURUSD", "H1"), spec, None)
    return m1_inside(rates[:bars])


def tick_terminal(ticks: np.ndarray | None, margin_mode: str = "hedging", capital: float = 3_000,
                  swaps: bool = True, m1: np.ndarray | None = None) -> tuple[SimulatedTerminal, list[TickTape]]:
    """A terminal replaying ``ticks``, or the ticks synthesized from ``m1`` a chunk at a time (``ticks`` None)."""
    specs = {n: resolve_spec(n, {} if swaps else {"swap_long": 0.0, "swap_short": 0.0}) for n in BUILTIN_SYMBOLS}
    if ticks is None:
        assert m1 is not None
        tape = TickTape.from_m1(specs["EURUSD"], m1)
        assert tape.stored is None  # made a chunk at a time
    else:
        tape = TickTape(spec=specs["EURUSD"], ticks=ticks)
    market = Market()
    market.add(tape)
    account = AccountSettings(capital=capital, leverage=500, margin_mode=margin_mode)
    return SimulatedTerminal(account, specs, market), [tape]


TICK_TRADING = RandomTrading(open_below=0.004, close_below=0.006, stops_below=0.007, pending_below=0.0075,
                             sl_gaps=(0, 30, 80, 200), tp_gaps=(0, 40, 100, 300), stop_gaps=(20, 60, 150),
                             pending_gaps=(10, 50))


def tick_trader(terminal: SimulatedTerminal, seed: int):
    """Trades at random on ticks: market orders with and without stops, closes, stop changes, pending orders."""
    rng = random.Random(seed)

    def on_tick(symbol: str, tick: dict, is_end: bool) -> None:
        trade_at_random(terminal, rng, TICK_TRADING, symbol, tick["bid"], tick["ask"], POINT)

    return on_tick


SAMPLE_M1 = sample_m1()
TICKS = synthesize_ticks_from_m1(SAMPLE_M1, 5)


def tick_story(margin_mode: str, seed: int, quiet_ticks: bool, streamed: bool = False):
    terminal, tapes = tick_terminal(None if streamed else TICKS, margin_mode, m1=SAMPLE_M1)
    curve = run_ticks(terminal, tapes, tick_trader(terminal, seed), quiet_ticks=quiet_ticks)
    deals = [(d.ticket, d.order, d.time, d.type, d.entry, d.reason, d.volume, d.price, d.profit, d.swap,
              d.commission, d.position_id) for d in terminal.deals]
    orders = [(o.ticket, o.state, o.time_done, o.type) for o in terminal.history_orders]
    return deals, orders, curve, terminal.margin_calls


@pytest.mark.parametrize(("margin_mode", "seed"), [("hedging", 1), ("netting", 2), ("hedging", 3)])
def test_quiet_ticks_settle_exactly_like_settling_every_tick(margin_mode, seed):
    assert len(TICKS) > CHUNK  # the replay crosses chunk boundaries
    deals, orders, curve, calls = tick_story(margin_mode, seed, quiet_ticks=True)
    full_deals, full_orders, full_curve, full_calls = tick_story(margin_mode, seed, quiet_ticks=False)
    reasons = {d[5] for d in deals}
    assert {c.DEAL_REASON_SL, c.DEAL_REASON_TP} <= reasons, reasons  # the story exercises the stops
    assert any(d[9] != 0 for d in deals), "no swaps were charged"
    assert deals == full_deals
    assert orders == full_orders
    assert calls == full_calls
    np.testing.assert_array_equal(curve.times, full_curve.times)
    np.testing.assert_array_equal(curve.equity, full_curve.equity)
    np.testing.assert_array_equal(curve.balance, full_curve.balance)
    np.testing.assert_array_equal(curve.margin, full_curve.margin)


@pytest.mark.parametrize(("margin_mode", "seed"), [("hedging", 4), ("netting", 5)])
def test_ticks_made_a_chunk_at_a_time_replay_exactly_like_all_ticks_made_first(margin_mode, seed):
    streamed = tick_story(margin_mode, seed, quiet_ticks=True, streamed=True)
    whole = tick_story(margin_mode, seed, quiet_ticks=True)
    assert len(streamed[0]) > 20 and any(d[9] != 0 for d in streamed[0])  # deals, swaps among them
    assert streamed[:2] == whole[:2] and streamed[3] == whole[3]
    for name in ("times", "equity", "balance", "margin"):
        np.testing.assert_array_equal(getattr(streamed[2], name), getattr(whole[2], name))


def test_a_streamed_tape_reads_as_the_synthesized_ticks():
    specs = {"EURUSD": resolve_spec("EURUSD", {})}
    streamed = TickTape.from_m1(specs["EURUSD"], SAMPLE_M1)
    whole = TickTape(spec=specs["EURUSD"], ticks=TICKS)
    assert streamed.stored is None and len(streamed) == len(whole) == len(TICKS) > 2 * CHUNK
    np.testing.assert_array_equal(streamed.marks, whole.marks)
    np.testing.assert_array_equal(streamed.rollover_ticks, whole.rollover_ticks)
    assert streamed.rollovers.at == whole.rollovers.at and whole.rollovers.at
    rng = np.random.default_rng(5)
    picks = np.concatenate([rng.integers(0, len(TICKS), 300), [0, CHUNK - 1, CHUNK, len(TICKS) - 1]])
    for i in picks.tolist():  # random access across chunks, as the matching reads a walked tick
        for column in ("times", "bid", "ask", "spread_price"):
            assert getattr(streamed, column)[i] == getattr(whole, column)[i], (column, i)
    assert streamed.times[int(picks[0])] == TICKS["time_msc"][int(picks[0])] // 1000
    np.testing.assert_array_equal(streamed.times_msc(picks), TICKS["time_msc"][picks])
    assert streamed.rows(CHUNK - 5, CHUNK + 5).tobytes() == TICKS[CHUNK - 5:CHUNK + 5].tobytes()
    assert streamed.ticks.tobytes() == TICKS.tobytes()  # all of them, when asked
    with pytest.raises(IndexError):
        streamed.bid[len(TICKS)]


def test_m1_bars_off_the_minute_are_synthesized_all_at_once():
    m1 = SAMPLE_M1[:50].copy()
    m1["time"] += 30
    tape = TickTape.from_m1(resolve_spec("EURUSD", {}), m1)
    assert tape.stored is not None and tape.ticks.tobytes() == synthesize_ticks_from_m1(m1, 5).tobytes()


def test_a_stop_out_on_ticks_is_the_same_with_the_shortcut():
    # a tiny account with a large position: the stop-out comes from the price, not from a stop
    def story(quiet: bool):
        terminal, tapes = tick_terminal(TICKS, capital=400)
        sent = []

        def on_tick(symbol, tick, is_end):
            if not terminal.positions and len(sent) < 40:
                sent.append(terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": 1.5,
                                                 "type": c.ORDER_TYPE_BUY if len(sent) % 2 else c.ORDER_TYPE_SELL}))

        curve = run_ticks(terminal, tapes, on_tick, quiet_ticks=quiet)
        return [(d.time, d.reason, d.price, d.profit) for d in terminal.deals], curve, terminal.margin_calls

    deals, curve, calls = story(True)
    assert c.DEAL_REASON_SO in {d[1] for d in deals} and calls
    full_deals, full_curve, full_calls = story(False)
    assert deals == full_deals and calls == full_calls
    np.testing.assert_array_equal(curve.equity, full_curve.equity)


def flat_ticks(bids: list[float], start: str = "2017-03-06 10:00:00", step_ms: int = 1000,
               spread: float = 0.0001) -> np.ndarray:
    ticks = np.zeros(len(bids), dtype=TICKS_DTYPE)
    ticks["time_msc"] = epoch(start) * 1000 + step_ms * np.arange(len(bids))  # a second per tick: deals are stamped
    # in seconds
    ticks["time"] = ticks["time_msc"] // 1000
    ticks["bid"] = bids
    ticks["ask"] = np.round(np.asarray(bids) + spread, 5)
    ticks["flags"] = c.TICK_FLAG_BID | c.TICK_FLAG_ASK
    return ticks


@pytest.mark.parametrize("quiet", [True, False])
def test_a_stop_fires_at_the_exact_tick_that_reaches_it(quiet):
    # a long with SL 1.0990 and TP 1.1030: ticks drift for a while (quiet ticks), one tick touches the SL
    # level exactly; the SL fills there, at that tick, not a tick before or after
    drift = [1.1000 + 0.00001 * (k % 7) for k in range(CHUNK + 50)]
    bids = drift + [1.0995, 1.0991, 1.0990, 1.0989, 1.1000]
    terminal, tapes = tick_terminal(flat_ticks(bids), swaps=False, capital=100_000)
    hit = len(drift) + 2
    sent = []

    def on_tick(symbol, tick, is_end):
        if not sent:
            sent.append(terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": 1.0,
                                 "type": c.ORDER_TYPE_BUY, "sl": 1.0990, "tp": 1.1030}))

    run_ticks(terminal, tapes, on_tick, quiet_ticks=quiet)
    _, entry, exit_deal = terminal.deals  # the first deal is the deposit
    assert exit_deal.reason == c.DEAL_REASON_SL
    assert exit_deal.time == int(tapes[0].ticks["time"][hit]) and exit_deal.price == pytest.approx(1.0990)


@pytest.mark.parametrize("quiet", [True, False])
def test_a_pending_order_and_a_short_take_profit_fill_at_the_exact_tick(quiet):
    # a sell limit at 1.1010 waits through a chunk of quiet ticks, fills at the first tick at or above it;
    # the short's TP (an ask level) fires at the first tick whose ask reaches it
    drift = [1.1000 + 0.00001 * (k % 5) for k in range(CHUNK + 10)]
    bids = drift + [1.1005, 1.1009, 1.1011, 1.1004] + drift[:100] + [1.0992, 1.0990, 1.0989]
    terminal, tapes = tick_terminal(flat_ticks(bids), swaps=False, capital=100_000)
    times = tapes[0].ticks["time_msc"]

    def on_tick(symbol, tick, is_end):
        if not terminal.history_orders and not terminal.orders:
            terminal.order_send({"action": c.TRADE_ACTION_PENDING, "symbol": symbol, "type": c.ORDER_TYPE_SELL_LIMIT,
                                 "volume": 1.0, "price": 1.1010, "tp": 1.1000})

    run_ticks(terminal, tapes, on_tick, quiet_ticks=quiet)
    _, fill, tp = terminal.deals  # the first deal is the deposit
    assert fill.time == int(times[len(drift) + 2]) // 1000 and fill.price == pytest.approx(1.1011)
    # TP 1.1000 at the ask (bid + 0.0001): the drift's asks stay above it, bid 1.0992 is the first to reach it
    assert tp.reason == c.DEAL_REASON_TP and tp.time == int(times[len(drift) + 4 + 100]) // 1000
    assert tp.price == pytest.approx(1.0993)


def test_the_tick_dicts_are_the_ticks_and_the_curve_has_a_point_per_minute():
    ticks = TICKS[: CHUNK + 500].copy()
    ticks["volume"] = np.arange(len(ticks)) % 3  # a column that varies, beside ones that do not
    terminal, tapes = tick_terminal(ticks)
    seen: list[dict] = []
    ends: list[bool] = []

    def on_tick(symbol, tick, is_end):
        seen.append(tick)
        ends.append(is_end)

    curve = run_ticks(terminal, tapes, on_tick)
    assert len(seen) == len(ticks) and ends.count(True) == 1 and ends[-1]
    for k in (0, 1, CHUNK - 1, CHUNK, len(ticks) - 1):
        row = ticks[k]
        expected = tick_dict("EURUSD", datetime(1970, 1, 1) + np.timedelta64(int(row["time_msc"]), "ms").item(),
                             float(row["bid"]), float(row["ask"]), float(row["last"]), int(row["volume"]),
                             int(row["time_msc"]), int(row["flags"]), float(row["volume_real"]))
        assert seen[k] == expected and list(seen[k]) == list(expected)
        assert [type(v) for v in seen[k].values()] == [type(v) for v in expected.values()]
    assert len({id(t) for t in seen}) == len(seen)  # a dict of its own per tick
    minutes = np.unique(ticks["time_msc"] // 60_000)
    np.testing.assert_array_equal(curve.times, minutes * 60)
    assert (curve.equity == 3_000).all()


def test_a_mode_trade_mask_delivers_only_the_masked_ticks_and_the_last_one_is_the_end():
    ticks = TICKS[:1000]
    terminal, tapes = tick_terminal(ticks)
    mask = np.zeros(len(ticks), dtype=bool)
    mask[[3, 10, 500, 700]] = True
    got: list[tuple[int, bool]] = []
    run_ticks(terminal, tapes, lambda s, t, e: got.append((t["time_msc"], e)), [mask])
    assert got == [(int(ticks["time_msc"][k]), k == 700) for k in (3, 10, 500, 700)]


def test_the_curve_read_while_the_replay_runs_ends_at_the_current_tick():
    ticks = TICKS[:5000]
    terminal, tapes = tick_terminal(ticks)
    ledger = TickLedger(tapes)
    partial = {}

    def on_tick(symbol, tick, is_end):
        done = ledger.done(terminal)
        if done == 10:
            terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "volume": 1.0,
                                 "type": c.ORDER_TYPE_BUY})
        if done in (1, 2500, 4000):
            partial[done] = ledger.curve(done)

    final = run_ticks(terminal, tapes, on_tick, ledger=ledger)
    for done, curve in partial.items():
        minute = ticks["time_msc"][done - 1] // 60_000
        assert curve.times[-1] == minute * 60
        whole = final.times <= minute * 60
        np.testing.assert_array_equal(curve.times[:-1], final.times[whole][:-1])
        np.testing.assert_array_equal(curve.equity[:-1], final.equity[whole][:-1])
    assert partial[4000].equity[-1] != 3_000  # the position is valued at the current tick


def test_every_tick_result_bars_are_the_bars_the_ticks_make():
    m1 = sample_m1(40)
    m1["spread"][::7] = 0
    m1["tick_volume"] = np.arange(len(m1)) % 90
    ticks = synthesize_ticks_from_m1(m1, 5)
    terminal, tapes = tick_terminal(ticks)
    tape = TickTape(spec=tapes[0].spec, ticks=ticks, source_m1=m1)
    np.testing.assert_array_equal(tick_replay_bars(tape), ticks_to_m1(ticks, 5))
    assert tick_replay_bars(TickTape(spec=tapes[0].spec, ticks=ticks)).tobytes() == ticks_to_m1(ticks, 5).tobytes()


def test_rollovers_are_counted_per_hour_run_like_per_time():
    rng = np.random.default_rng(3)
    times = np.unique(1_483_300_000 + np.cumsum(rng.integers(1, 20_000, 3000)))
    counts = rollover_counts(times, 3)
    # the reference: a time's session day (New York 17:00) changes from the previous time's -> the nights between
    import pandas as pd

    ny = pd.to_datetime(times, unit="s", utc=True).tz_convert("America/New_York").tz_localize(None)
    day = (ny - pd.Timedelta(hours=17)).normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
    expected = [0]
    for previous, current in zip(day[:-1], day[1:], strict=True):
        nights = 0
        for d in range(previous + 1, current + 1):
            weekday = (d + 4) % 7  # epoch day 0 was a Thursday (MT5 weekday 4)
            nights += 0 if weekday in (0, 6) else 3 if weekday == 3 else 1
        expected.append(nights)
    np.testing.assert_array_equal(counts, expected)
    assert counts.sum() > 0


def test_reads_its_data_tells_a_callback_that_never_uses_its_tick():
    class Strategy:
        def __init__(self):
            self.count = 0

        def counts(self, symbol, data, is_end):
            self.count += 1

        def reads(self, symbol, data, is_end):
            self.count += data["bid"] > 0

        def keeps(self, symbol, data, is_end):
            self.last = data

        def closes_over(self, symbol, data, is_end):
            return lambda: data

        def looks_at_frames(self, symbol, data, is_end):
            return locals()

        def passes_on(self, *args):
            pass

    s = Strategy()
    assert not reads_its_data(s.counts)
    assert not reads_its_data(lambda symbol, data, is_end: None)
    for method in (s.reads, s.keeps, s.closes_over, s.looks_at_frames, s.passes_on, print):
        assert reads_its_data(method), method


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10**7), min_size=0, max_size=300), st.integers(1_400_000_000_000, 1_600_000_000_000))
def test_minute_ends_are_the_last_time_of_each_minute(offsets, base):
    msc = np.sort(np.asarray(offsets, dtype=np.int64)) + base
    minute = msc // 60_000
    expected = np.flatnonzero(np.append(minute[1:] != minute[:-1], True)) if len(msc) else []
    np.testing.assert_array_equal(minute_ends(msc), expected)
