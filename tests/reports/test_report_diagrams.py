"""The MT5 tester's diagrams: entries and profit/loss per hour, weekday, month; MFE/MAE; holding time."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from mas.reports import diagrams as dg
from mas.reports.kpi import render_kpi_html
from mas.results import TradeRecord
from mas.terminal.types import RATES_DTYPE

from .helpers import drawn_figures, make_result, trade

# 2017-03-06 is a Monday
MON = datetime(2017, 3, 6, tzinfo=timezone.utc).timestamp()
H = 3600.0
D = 86_400.0


def _hand_made():
    trades = [
        trade(1, 50.0, open_ts=MON + 9 * H, close_ts=MON + 11 * H),  # Mon 09 buy, exit Mon 11 win
        trade(2, -20.0, open_ts=MON + 9 * H + 1800, close_ts=MON + D + 14 * H, direction="sell"),  # exit Tue 14
        trade(3, 30.0, open_ts=MON + 2 * D + 23 * H, close_ts=MON + 3 * D + 1 * H),  # Wed 23 -> Thu 01
        trade(4, -5.0, open_ts=MON + 4 * D + 9 * H, close_ts=MON + 4 * D + 11 * H, direction="sell"),  # Fri
        trade(5, 0.0, open_ts=MON + 30 * D + 9 * H, close_ts=MON + 30 * D + 10 * H),  # Wed Apr 5, breakeven
        trade(6, 7.0, open_ts=MON + 31 * D + 2 * H, is_open=True),  # Thu Apr 6 02, still open
    ]
    times = np.arange(MON, MON + 40 * D, H)
    return make_result(times, np.full(len(times), 10_000.0), trades, initial=10_000.0)


def test_entries_by_hour_weekday_and_month_equal_a_hand_count():
    r = _hand_made()
    hours = dg.entries_by(r, "hour")
    assert {h: n for h, n in enumerate(hours["buy"]) if n} == {9: 2, 23: 1, 2: 1}  # trades 1, 5; 3; 6 (open)
    assert {h: n for h, n in enumerate(hours["sell"]) if n} == {9: 2}  # trades 2 and 4
    days = dg.entries_by(r, "weekday")
    assert days["buy"] == [1, 0, 2, 1, 0, 0, 0] and days["sell"] == [1, 0, 0, 0, 1, 0, 0]
    months = dg.entries_by(r, "month")
    assert months["buy"][2:4] == [2, 2] and months["sell"][2:4] == [2, 0] and sum(months["buy"]) == 4


def test_a_position_closed_in_parts_is_one_entry():
    r = _hand_made()
    part = trade(1, 10.0, open_ts=MON + 9 * H, close_ts=MON + 12 * H)  # the second part of position 1
    r.trades.append(part)
    assert sum(dg.entries_by(r, "hour")["buy"]) == 4


def test_profit_and_loss_by_exit_time_equal_a_hand_sum():
    r = _hand_made()
    hours = dg.profit_loss_by(r, "hour")
    assert {h: p for h, p in enumerate(hours["profit"]) if p} == {11: 50.0, 1: 30.0}
    assert {h: p for h, p in enumerate(hours["loss"]) if p} == {14: -20.0, 11: -5.0}
    days = dg.profit_loss_by(r, "weekday")
    assert days["profit"] == [50.0, 0, 0, 30.0, 0, 0, 0] and days["loss"] == [0, -20.0, 0, 0, -5.0, 0, 0]
    months = dg.profit_loss_by(r, "month")
    assert months["profit"][2] == 80.0 and months["loss"][2] == -25.0 and sum(months["profit"]) == 80.0


def test_an_unknown_unit_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown diagram unit 'minute'"):
        dg.bucket_of(0, "minute")  # type: ignore[arg-type]


def _bars(rows):
    b = np.zeros(len(rows), dtype=RATES_DTYPE)
    for i, (t, o, h, low, c) in enumerate(rows):
        b[i] = (t, o, h, low, c, 0, 0, 0)
    return b


def test_mfe_and_mae_from_the_bars_between_open_and_close_by_hand():
    bars = _bars([
        (MON + 0 * H, 1.1000, 1.1010, 1.0990, 1.1000),  # before the trades
        (MON + 1 * H, 1.1000, 1.1030, 1.0980, 1.1020),  # entry bar (entry at 01:30)
        (MON + 2 * H, 1.1020, 1.1060, 1.0970, 1.1040),
        (MON + 3 * H, 1.1040, 1.1050, 1.1030, 1.1045),  # exit bar (exit at 03:15)
        (MON + 4 * H, 1.1045, 1.1200, 1.0800, 1.1100),  # after: must not count
    ])
    def rec(pid, direction, close, profit):
        return TradeRecord(pid, "EURUSD", direction, 0.1, datetime.fromtimestamp(MON + 1.5 * H, tz=timezone.utc),
                           1.1010, datetime.fromtimestamp(MON + 3.25 * H, tz=timezone.utc), close, profit, -0.7, 0.0)
    # long 0.1 lot: profit 1.1040 - 1.1010 = 0.0030 -> 30 USD, so 10,000 USD per 1.0 of price
    # highs 1.1030, 1.1060, 1.1050 -> MFE 0.0050 = 50 USD; lows 1.0980, 1.0970, 1.1030 -> MAE 0.0040 = 40 USD
    long = rec(1, "buy", 1.1040, 30.0)
    # short the same: profit -30; MFE = open - min(low) = 0.0040 -> 40, MAE = max(high) - open = 0.0050 -> 50
    short = rec(2, "sell", 1.1040, -30.0)
    r = make_result(bars["time"], np.full(5, 10_000.0), [long, short], initial=10_000.0, bars={"EURUSD": bars})
    (a, b) = dg.excursions(r)
    assert (a.position_id, a.mfe, a.mae, a.profit, a.holding_seconds) == pytest.approx((1, 50.0, 40.0, 29.3, 6300))
    assert (b.position_id, b.mfe, b.mae, b.profit) == pytest.approx((2, 40.0, 50.0, -30.7))
    # a trade closed where it opened: volume x the symbol's contract size (100,000 for EURUSD)
    flat = rec(3, "buy", 1.1010, 0.0)
    r.trades = [flat]
    (c,) = dg.excursions(r)
    assert (c.mfe, c.mae) == pytest.approx((0.0050 * 10_000, 0.0040 * 10_000))


def test_excursions_on_the_sample_bound_each_trade_price_profit(sample_result):
    exc = {e.position_id: e for e in dg.excursions(sample_result)}
    closed = sample_result.closed_trades
    assert len(exc) == len(closed) > 150
    for t in closed:  # the trades open and close at bar closes, inside the bars read
        e = exc[t.position_id]
        assert e.mfe >= max(t.profit, 0.0) - 1e-6 and e.mae >= max(-t.profit, 0.0) - 1e-6
        assert e.holding_seconds == (t.close_time - t.open_time).total_seconds() >= 11 * H
    # the excursions read the bars in between, not only the entry and exit prices
    assert sum(exc[t.position_id].mfe > max(t.profit, 0.0) + 1.0 for t in closed) > len(closed) // 2


def test_the_kpi_page_draws_the_diagrams_with_the_counted_values(sample_result):
    figs = drawn_figures(render_kpi_html(sample_result, "s"))["figures"]  # as the page's scripts draw them
    entries, pl, mfe = (next(f for f in figs if f["layout"].get("annotations", [{}])[0].get("text") == title)
                        for title in ("Entries by hour (UTC)", "Profit and loss by hour (UTC)", "MFE against profit"))
    # an independent hand count of the entry hours on the EURUSD H1 2017 sample
    opens = np.array([t.open_time.timestamp() for t in sample_result.trades])
    longs = np.array([t.direction == "buy" for t in sample_result.trades])
    hour = (opens // 3600 % 24).astype(int)
    buy_hour = entries["data"][0]
    assert buy_hour["name"] == "buy" and buy_hour["y"] == np.bincount(hour[longs], minlength=24).tolist()
    assert entries["data"][1]["y"] == np.bincount(hour[~longs], minlength=24).tolist()
    weekday = ((opens // 86400 + 3) % 7).astype(int)  # 1970-01-01 was a Thursday
    assert entries["data"][2]["y"] == np.bincount(weekday[longs], minlength=7).tolist()
    net = np.array([t.net_profit for t in sample_result.closed_trades])
    assert sum(pl["data"][0]["y"]) == pytest.approx(net[net > 0].sum(), abs=0.5)
    assert sum(pl["data"][1]["y"]) == pytest.approx(net[net < 0].sum(), abs=0.5)
    assert len(mfe["data"]) == 3 and len(mfe["data"][0]["x"]) == len(sample_result.closed_trades)
    assert mfe["data"][2]["x"][0] == 11.0  # holding time in hours


def test_the_kpi_page_draws_balance_beside_equity(sample_result):
    sample_result.balance = sample_result.balance.copy()
    sample_result.balance[100:] += 123.0
    first = drawn_figures(render_kpi_html(sample_result, "s"))["figures"][0]  # as the page's script fills it
    names = [t["name"] for t in first["data"]]
    assert names[:2] == ["Balance (USD)", "Equity (USD)"]
    balance = np.array(first["data"][0]["y"])
    assert np.array_equal(balance, np.round(sample_result.balance, 2))  # a year of H1 is not thinned; in cents
