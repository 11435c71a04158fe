"""Fills, pending orders, SL/TP, expirations, stop-out and netting on hand-made bars."""

from __future__ import annotations

import pytest

from mas.sim.account import AccountSettings
from mas.sim.market import rollover_counts
from mas.terminal import constants as c

from .terminals import Recorder, epoch, make_rates, make_terminal, replay

NO_SWAP = {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}}


def scripted(term, actions):
    """on_bar that sends ``actions[bar_index]`` (a list of request dicts) at that bar."""
    results = []
    count = {"i": -1}

    def on_bar(symbol, bar, is_end):
        count["i"] += 1
        for request in actions.get(count["i"], []):
            results.append(term.order_send(request))

    return on_bar, results


def buy(volume=0.1, **extra):
    return {"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY, "volume": volume, **extra}


def sell(volume=0.1, **extra):
    return {"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_SELL, "volume": volume, **extra}


def test_market_order_fills_at_next_open_with_spread():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1010, 1.0990, 1.1005), (1.1020, 1.1030, 1.1010, 1.1025),
                                            (1.1030, 1.1040, 1.1020, 1.1035)], spread=10)
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    on_bar, results = scripted(term, {0: [buy()], 1: [sell(position=1)]})
    replay(term, tapes, on_bar)
    assert results[0].retcode == c.TRADE_RETCODE_PLACED and results[0].order == 1
    deals = [d for d in term.deals if d.type in (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL)]
    assert deals[0].price == pytest.approx(1.1020 + 0.0001)  # ask = bid + 10 points at bar 1's open
    assert deals[0].time == epoch("2017-01-02 01:00")
    assert deals[1].price == pytest.approx(1.1030)  # bid at bar 2's open
    assert deals[1].profit == pytest.approx((1.1030 - 1.1021) * 10_000, abs=0.001)
    assert deals[1].entry == c.DEAL_ENTRY_OUT and deals[1].position_id == 1


def test_bullish_bar_path_hits_sl_before_tp():
    # bullish bar: open -> low -> high -> close, so the low (SL) comes first
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1),
                                            (1.1000, 1.1100, 1.0900, 1.1050)])
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    on_bar, _ = scripted(term, {0: [buy(sl=1.0950, tp=1.1050)]})
    replay(term, tapes, on_bar)
    exit_deal = term.deals[-1]
    assert exit_deal.reason == c.DEAL_REASON_SL and exit_deal.price == pytest.approx(1.0950)
    assert exit_deal.profit == pytest.approx(-50.0)


def test_bearish_bar_path_hits_tp_before_sl():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1),
                                            (1.1000, 1.1100, 1.0900, 1.0950)])
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    on_bar, _ = scripted(term, {0: [buy(sl=1.0950, tp=1.1050)]})
    replay(term, tapes, on_bar)
    assert term.deals[-1].reason == c.DEAL_REASON_TP and term.deals[-1].price == pytest.approx(1.1050)


def test_gap_through_stop_loss_fills_at_the_open():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1),
                                            (1.0900, 1.0920, 1.0880, 1.0910)])
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    on_bar, _ = scripted(term, {0: [buy(sl=1.0950)]})
    replay(term, tapes, on_bar)
    assert term.deals[-1].reason == c.DEAL_REASON_SL and term.deals[-1].price == pytest.approx(1.0900)


def test_limit_and_stop_orders_trigger_in_path_order():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1000, 1.1060, 1.0940, 1.1050)], spread=10)
    rec = Recorder()
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP, listener=rec)
    pending = {"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1}
    on_bar, results = scripted(term, {0: [
        {**pending, "type": c.ORDER_TYPE_BUY_LIMIT, "price": 1.0960},  # ask reaches 1.0960 on the way down
        {**pending, "type": c.ORDER_TYPE_SELL_STOP, "price": 1.0950},  # bid 1.0950 on the way down, after
        {**pending, "type": c.ORDER_TYPE_SELL_LIMIT, "price": 1.1055},  # on the way up
    ]})
    replay(term, tapes, on_bar)
    assert [r.retcode for r in results] == [c.TRADE_RETCODE_PLACED] * 3
    fills = [d for d in term.deals if d.type != c.DEAL_TYPE_BALANCE]
    assert [d.order for d in fills] == [1, 2, 3]
    assert [d.price for d in fills] == pytest.approx([1.0960, 1.0950, 1.1055])
    assert fills[0].time < fills[2].time


def test_pending_order_on_the_wrong_side_is_rejected():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1)])
    term, tapes = make_terminal({"EURUSD": rates})
    on_bar, results = scripted(term, {0: [{"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1,
                                           "type": c.ORDER_TYPE_BUY_LIMIT, "price": 1.2}]})
    replay(term, tapes, on_bar)
    assert results[0].retcode == c.TRADE_RETCODE_INVALID_PRICE
    assert "wrong side" in results[0].comment


def test_buy_stop_limit_becomes_a_limit_then_fills():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1000, 1.1050, 1.0990, 1.1000),
                                            (1.1000, 1.1010, 1.0970, 1.0980)])
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    on_bar, _ = scripted(term, {0: [{"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1,
                                     "type": c.ORDER_TYPE_BUY_STOP_LIMIT, "price": 1.1040, "stoplimit": 1.1020}]})
    replay(term, tapes, on_bar)
    fill = term.deals[-1]
    assert fill.entry == c.DEAL_ENTRY_IN and fill.price == pytest.approx(1.1020)
    assert term.history_orders[-1].type == c.ORDER_TYPE_BUY_LIMIT


def test_specified_expiration_expires_the_order():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1)] * 4)
    term, tapes = make_terminal({"EURUSD": rates})
    on_bar, _ = scripted(term, {0: [{"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1,
                                     "type": c.ORDER_TYPE_BUY_LIMIT, "price": 1.0, "type_time": c.ORDER_TIME_SPECIFIED,
                                     "expiration": epoch("2017-01-02 02:00")}]})
    replay(term, tapes, on_bar)
    assert term.history_orders[-1].state == c.ORDER_STATE_EXPIRED
    assert term.history_orders[-1].time_done == epoch("2017-01-02 02:00")


def test_orders_pending_at_the_end_are_cancelled():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1)] * 2)
    term, tapes = make_terminal({"EURUSD": rates})
    on_bar, _ = scripted(term, {1: [buy()]})
    replay(term, tapes, on_bar)
    assert not term.orders and term.history_orders[-1].state == c.ORDER_STATE_CANCELED


def test_stop_out_closes_the_worst_position_first():
    falling = [(1.1, 1.1, 1.1, 1.1)] * 2 + [(1.1000, 1.1000, 1.0000, 1.0000)]
    rates = make_rates("2017-01-02 00:00", falling)
    rec = Recorder()
    account = AccountSettings(capital=1_000.0, leverage=100)
    term, tapes = make_terminal({"EURUSD": rates}, account=account, overrides=NO_SWAP, listener=rec)
    # two longs (0.3 and 0.5 lots) and a small short that gains as the price falls
    on_bar, _ = scripted(term, {0: [buy(0.3), buy(0.5), sell(0.1)]})
    replay(term, tapes, on_bar)
    stop_outs = [d for d in term.deals if d.reason == c.DEAL_REASON_SO]
    assert stop_outs, "the account must be stopped out"
    # the 0.5 lot long has the largest loss, then the 0.3 lot long; the winning short stays
    assert [d.position_id for d in stop_outs] == [2, 1]
    assert list(term.positions) == [3]
    # 0.8 lots long less 0.1 hedged: margin 880 * 0.7 / 0.8 + 0.1 lot at half contract = 825 USD;
    # equity 1000 - 0.7 lot * 100000 * move reaches 30 % of it at a move of 0.010750
    assert stop_outs[0].price == pytest.approx(1.1 - 0.01075, abs=2e-5)
    # realised losses exceed the deposit while the open short still carries a gain: equity stays positive
    assert term.balance < 0 < term.equity()


def test_netting_reversal_keeps_the_position_identifier():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1), (1.2, 1.2, 1.2, 1.2),
                                            (1.2, 1.2, 1.2, 1.2)])
    term, tapes = make_terminal({"EURUSD": rates}, account=AccountSettings(margin_mode="netting"),
                                overrides=NO_SWAP)
    on_bar, _ = scripted(term, {0: [buy(0.1)], 1: [sell(0.3)]})
    replay(term, tapes, on_bar)
    reversal = term.deals[-1]
    assert reversal.entry == c.DEAL_ENTRY_INOUT and reversal.volume == pytest.approx(0.3)
    assert reversal.profit == pytest.approx(1000.0)  # 0.1 lot * (1.2 - 1.1) * 100000
    (pos,) = term.positions.values()
    assert pos.ticket == 1 and not pos.is_buy and pos.volume == pytest.approx(0.2)
    assert pos.price_open == pytest.approx(1.2)


def test_hedging_partial_close_and_close_by():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1), (1.2, 1.2, 1.2, 1.2),
                                            (1.2, 1.2, 1.2, 1.2)])
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    on_bar, results = scripted(term, {0: [buy(0.3)], 1: [sell(0.1, position=1), sell(0.2)],
                                      2: [{"action": c.TRADE_ACTION_CLOSE_BY, "position": 1, "position_by": 3}]})
    replay(term, tapes, on_bar)
    assert results[-1].retcode == c.TRADE_RETCODE_DONE
    outs = [d for d in term.deals if d.entry in (c.DEAL_ENTRY_OUT, c.DEAL_ENTRY_OUT_BY)]
    assert outs[0].volume == pytest.approx(0.1) and outs[0].profit == pytest.approx(1000.0)
    # close-by: the long (open 1.1) closes at the short's open price 1.2, the short at its own price
    by = [d for d in outs if d.entry == c.DEAL_ENTRY_OUT_BY]
    assert [d.profit for d in by] == pytest.approx([2000.0, 0.0])
    assert not term.positions


def test_rollover_counts_triple_wednesday_and_no_weekend():
    # Mon 2017-01-02 ... rollovers at 17:00 New York = 22:00 UTC in winter
    times = [epoch(t) for t in ("2017-01-02 21:00", "2017-01-02 23:00", "2017-01-04 21:00", "2017-01-04 23:00",
                                "2017-01-06 21:00", "2017-01-08 23:00")]
    import numpy as np

    counts = rollover_counts(np.array(times), c.DAY_OF_WEEK_WEDNESDAY).tolist()
    # Mon 22:00 (1); Tue 22:00 (1) + Wed 22:00 is after 21:00 -> 1; Wed 22:00 triple (3);
    # Thu (1) + Fri 22:00 is after 21:00 -> 1; Fri 22:00 (1) then the weekend (0)
    assert counts == [0, 1, 1, 3, 1, 1]


def test_swap_is_charged_per_night_with_the_triple_day():
    # a long held from Tuesday to Thursday crosses Tuesday's (1) and Wednesday's (3) rollovers
    times = ["2017-01-03 12:00", "2017-01-03 13:00", "2017-01-05 12:00", "2017-01-05 13:00"]
    rates = make_rates("2017-01-03 12:00", [(1.1, 1.1, 1.1, 1.1)] * 4)
    rates["time"] = [epoch(t) for t in times]
    term, tapes = make_terminal({"EURUSD": rates}, overrides={"EURUSD": {"swap_long": -5.0}})
    on_bar, _ = scripted(term, {0: [buy(1.0)], 2: [sell(1.0, position=1)]})
    replay(term, tapes, on_bar)
    # -5 points * 0.00001 * 100000 * 1 lot = -5 USD a night, 4 nights
    assert term.deals[-1].swap == pytest.approx(-20.0)
    assert term.balance == pytest.approx(10_000 - 20.0)


def test_no_money_rejects_adds_and_reversals_on_netting():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1), (1.09, 1.09, 1.09, 1.09),
                                            (1.09, 1.09, 1.09, 1.09)])
    rec = Recorder()
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP, listener=rec,
                                account=AccountSettings(capital=1_000.0, margin_mode="netting"))
    # 0.5 lot needs 550 USD. At bar 1, adding 0.5 more (550 > 450 free) or reversing into 0.8 short
    # (880 > 1000 free after closing) is refused at once; adding 0.4 (440 <= 450) is accepted, but
    # bar 2 opens 100 points lower: equity 500, free -50, so the add is rejected at the fill.
    on_bar, results = scripted(term, {0: [buy(0.5)], 1: [buy(0.5), sell(1.5), buy(0.4)]})
    replay(term, tapes, on_bar)
    assert [r.retcode for r in results] == [c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_NO_MONEY,
                                            c.TRADE_RETCODE_NO_MONEY, c.TRADE_RETCODE_PLACED]
    rejected_at_fill = [e for e in rec.events if e[0] == "status" and e[2] == c.TRADE_RETCODE_NO_MONEY]
    assert [e[1] for e in rejected_at_fill] == [results[3].order]
    assert term.history_orders[-1].state == c.ORDER_STATE_REJECTED
    (pos,) = term.positions.values()
    assert pos.volume == pytest.approx(0.5) and pos.is_buy


def test_margin_call_is_flagged_once_before_the_stop_out():
    # 0.8 lot long on 1,000 USD: margin 880; the level falls to 50 % (equity 440) after a 700-point
    # fall, and to the 30 % stop-out only after 920 points
    bars = [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1), (1.0929, 1.0929, 1.0929, 1.0929),
            (1.0928, 1.0928, 1.0928, 1.0928), (1.1, 1.1, 1.1, 1.1)]
    calls = []

    class Listener(Recorder):
        def on_margin_call(self, level, limit):
            calls.append((level, limit))

    term, tapes = make_terminal({"EURUSD": make_rates("2017-01-02 00:00", bars)}, overrides=NO_SWAP,
                                account=AccountSettings(capital=1_000.0), listener=Listener())
    on_bar, _ = scripted(term, {0: [buy(0.8)]})
    replay(term, tapes, on_bar)
    assert len(calls) == 1 and calls[0][0] == pytest.approx((1000 - 0.0071 * 80_000) / 880 * 100)
    assert calls[0][1] == 50.0 and not term.margin_call  # recovered on the last bar
    assert not [d for d in term.deals if d.reason == c.DEAL_REASON_SO]


def test_day_orders_expire_at_the_end_of_the_day():
    rates = make_rates("2017-01-02 20:00", [(1.1, 1.1, 1.1, 1.1)] * 6)
    term, tapes = make_terminal({"EURUSD": rates})
    on_bar, _ = scripted(term, {0: [{"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1,
                                     "type": c.ORDER_TYPE_SELL_LIMIT, "price": 1.2, "type_time": c.ORDER_TIME_DAY}]})
    replay(term, tapes, on_bar)
    order = term.history_orders[-1]
    assert order.state == c.ORDER_STATE_EXPIRED and order.time_expiration == epoch("2017-01-03 00:00")
    assert order.time_done == epoch("2017-01-03 00:00")


def test_snapshot_and_restore_carry_the_whole_book():
    rates = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1)] * 4)
    term, tapes = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    on_bar, _ = scripted(term, {0: [buy(0.2)], 1: [sell(0.1, position=1)]})
    replay(term, tapes, on_bar)
    book = term.snapshot()
    other, _ = make_terminal({"EURUSD": rates}, overrides=NO_SWAP)
    other.market.set_bar("EURUSD", 3)
    term.market.set_bar("EURUSD", 3)
    other.restore(book)
    assert other.account_info() == term.account_info()
    assert other.positions_get() == term.positions_get()
    assert other.history_deals_get() == term.history_deals_get()
    assert other.history_orders_get(ticket=2) == term.history_orders_get(ticket=2)
    assert other.snapshot().next_order == term.snapshot().next_order == 3


def test_a_close_order_for_a_position_stopped_out_meanwhile_is_rejected_not_reversed():
    # EURUSD bars open at :30, GBPUSD bars on the hour. The EURUSD long (0.3 lot) loses 600 on its
    # 01:30 bar; its close order then waits for the 02:30 open, but GBPUSD's 02:00 crash stops the
    # account out first, and the worst position, the EURUSD long, is closed by the stop-out.
    eur = make_rates("2017-01-02 00:30", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.08, 1.08), (1.08, 1.08, 1.08, 1.08),
                                          (1.08, 1.08, 1.08, 1.08)])
    gbp = make_rates("2017-01-02 00:00", [(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.0, 1.0),
                                          (1.0, 1.0, 1.0, 1.0)])
    rec = Recorder()
    term, tapes = make_terminal({"GBPUSD": gbp, "EURUSD": eur},
                                overrides={**NO_SWAP, "GBPUSD": {"swap_long": 0.0, "swap_short": 0.0}},
                                account=AccountSettings(capital=1_000.0), listener=rec)
    sent = []

    def on_bar(symbol, bar, is_end):
        if symbol == "EURUSD" and bar["time"].hour == 0:
            sent.append(term.order_send(buy(0.3)))
            sent.append(term.order_send({**buy(0.1), "symbol": "GBPUSD"}))
        if symbol == "EURUSD" and bar["time"].hour == 1:
            sent.append(term.order_send(sell(0.3, position=sent[0].order)))

    replay(term, tapes, on_bar)
    stop_outs = [d for d in term.deals if d.reason == c.DEAL_REASON_SO]
    assert [d.symbol for d in stop_outs][:1] == ["EURUSD"]
    assert not [p for p in term.positions.values() if p.symbol == "EURUSD"]  # nothing reopened
    closing = term.history_orders_get(ticket=sent[2].order)[0]
    assert closing.state == c.ORDER_STATE_REJECTED
    assert ("status", sent[2].order, c.TRADE_RETCODE_POSITION_CLOSED, c.ORDER_STATE_REJECTED) in rec.events
