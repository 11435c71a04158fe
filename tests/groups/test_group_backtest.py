"""Group backtests on the bundled EURUSD H1 2017 sample: one strategy, one replay, one simulated account per member."""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas import MAS
from mas.app.backtests import run_backtest
from mas.app.group_backtests import run_group_backtest
from mas.app.strategies import load_strategy
from mas.groups.backtest import parse_accounts
from mas.groups.backtest_session import PARENT_BASE, BacktestAccount
from mas.groups.store import GroupError

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31"}
QUARTER = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-03-31"}


def _rows(trades):
    return [(t.position_id, t.symbol, t.direction, t.volume, t.open_time, t.open_price, t.close_time, t.close_price,
             t.profit, t.commission, t.swap, t.is_open, t.exit_reason, t.sl, t.tp) for t in trades]


def _volumes_by_open(result):
    out = defaultdict(float)
    for trade in result.trades:
        out[trade.open_time] += trade.volume
    return out


class Recorder(MAS):
    """Buys ``volume`` at the first bar, sets its SL (through the parent id), closes it ``hold`` bars later, and
    keeps every status and execution it receives."""

    def __init__(self, volume: float = 0.1, hold: int = 10, side: str = "buy", sl_pips: float = 0.0) -> None:
        super().__init__()
        self.volume, self.hold, self.side, self.sl_pips = volume, hold, side, sl_pips
        self.parent: str | None = None
        self.closed: str | None = None
        self.bars = 0
        self.statuses: list[tuple[str, dict]] = []
        self.executions: list[tuple[str, dict]] = []
        self.positions_seen: list[dict] = []
        self.sl_set: bool | None = None

    def receive_bars(self, symbol, data, is_end):
        self.bars += 1
        if is_end:
            return
        if self.parent is None:
            self.parent = self.send_order({"symbol": symbol, "order_type": self.side, "volume": self.volume,
                                           "backtest_toggle": True})
        elif self.bars == 3 and self.sl_pips:
            self.positions_seen = self.get_positions({"backtest_toggle": True})
            self.sl_set = self.modify_position_sltp({"position_id": self.parent, "sl": round(
                data["close"] - self.sl_pips * 0.0001, 5), "backtest_toggle": True})
        elif self.bars == self.hold and self.closed is None:
            self.closed = self.send_order({"symbol": symbol, "order_type": "sell" if self.side == "buy" else "buy",
                                           "volume": self.volume, "order_id": self.parent, "backtest_toggle": True})

    def receive_order_status(self, order_id, status_data):
        self.statuses.append((order_id, status_data))

    def receive_order_execution(self, order_id, execution_data):
        self.executions.append((order_id, execution_data))


def test_one_account_with_the_multiplier_equals_a_plain_backtest():
    plain = run_backtest(load_strategy("ma", {}), {**YEAR, "capital": 10_000, "leverage": 100}, engine="event")
    group = run_group_backtest(load_strategy("ma", {}), YEAR, [{"name": "solo", "deposit": 10_000, "leverage": 100}],
                               allocation="multiplier")
    solo = group.results["solo"]
    assert len(plain.closed_trades) > 100
    assert _rows(solo.trades) == _rows(plain.trades)
    assert np.array_equal(solo.equity_times, plain.equity_times)
    assert np.array_equal(solo.equity, plain.equity) and np.array_equal(solo.balance, plain.balance)
    assert np.array_equal(solo.margin, plain.margin)
    assert [d.view() for d in solo.deal_records] == [d.view() for d in plain.deal_records]
    assert np.array_equal(group.aggregate.equity, plain.equity)  # the aggregate of one account is that account
    assert _rows(group.aggregate.trades) == _rows(plain.trades)


def test_proportional_to_balance_splits_one_to_two_within_the_step():
    group = run_group_backtest(load_strategy("ma", {}), YEAR, [{"name": "a", "deposit": 10_000},
                                                                {"name": "b", "deposit": 20_000}], allocation="balance")
    a, b = _volumes_by_open(group.results["a"]), _volumes_by_open(group.results["b"])
    assert set(a) == set(b) and len(a) > 100
    for when in a:
        # 0.1 lot * 1/3 and 2/3 = 0.0333 / 0.0667: each rounded down to the 0.01 step (0.03, 0.06), the remainder
        # step to the largest account
        assert (round(a[when], 8), round(b[when], 8)) == (0.03, 0.07)
        assert abs(a[when] - 0.1 / 3) < 0.01 and abs(b[when] - 0.2 / 3) < 0.01


@pytest.mark.parametrize(("deposits", "expected"), [
    ((10_000, 10_000), (0.05, 0.05)),
    ((10_000, 30_000), (0.02, 0.08)),  # 0.025 / 0.075 -> 0.02 / 0.07, the remainder to the larger
    ((30_000, 10_000), (0.08, 0.02)),
    ((10_000, 40_000), (0.02, 0.08)),
])
def test_proportional_splits_are_the_allocation_of_each_account_at_that_moment(deposits, expected):
    group = run_group_backtest(load_strategy("ma", {}), QUARTER, [{"name": "a", "deposit": deposits[0]},
                                                                   {"name": "b", "deposit": deposits[1]}],
                               allocation="equity")
    first_a = group.results["a"].trades[0]
    first_b = group.results["b"].trades[0]
    assert first_a.open_time == first_b.open_time
    assert (first_a.volume, first_b.volume) == expected


@pytest.mark.parametrize(("rule", "expected"), [("skip", (0.03, 0.07, 0.0)), ("raise", (0.03, 0.06, 0.01))])
def test_an_account_too_small_for_the_minimum_lot_follows_the_rule(rule, expected):
    strategy = Recorder(volume=0.1, hold=5)
    group = run_group_backtest(strategy, QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 20_000},
                                                   {"name": "tiny", "deposit": 50}],
                               allocation="balance", min_lot_rule=rule)
    got = tuple(sum(t.volume for t in group.results[n].trades) for n in ("a", "b", "tiny"))
    assert tuple(round(v, 8) for v in got) == expected
    summary = next(s for oid, s in strategy.statuses if oid == strategy.parent)
    tiny = next(ch for ch in summary["children"] if ch["account"] == "tiny")
    if rule == "skip":
        assert tiny["volume"] == 0 and "skipped" in tiny["message"]
    else:
        assert tiny["volume"] == 0.01 and tiny["order_id"]


def test_one_account_stopped_out_while_the_others_continue():
    strategy = Recorder(volume=1.0, hold=10**9, side="sell")  # sells 1 lot and holds it: EURUSD rose in 2017
    group = run_group_backtest(strategy, YEAR, [{"name": "big", "deposit": 100_000},
                                                {"name": "small", "deposit": 2_000}], allocation="multiplier")
    small, big = group.results["small"], group.results["big"]
    assert [t.exit_reason for t in small.trades] == ["so"]
    stopped = small.trades[0].close_time
    assert len(big.trades) == 1 and big.trades[0].is_open  # still open at the end, valued at the last close
    assert big.equity[-1] < 100_000 - 10_000
    # the small account sits on its balance after its stop-out while the big one keeps moving with the price
    after = small.equity_times > np.datetime64(stopped, "s").astype(np.int64)
    assert after.sum() > 100 and np.all(small.equity[after] == small.equity[after][0])
    assert np.ptp(big.equity[after]) > 1_000
    # the strategy sees the stop-out of the small account's child in the child's ids, not a close of its parent
    outs = [(oid, e) for oid, e in strategy.executions if e["entry"] == "out"]
    assert len(outs) == 1 and outs[0][1]["account"] == "small" and outs[0][1]["reason"] == "stop_out"
    assert outs[0][1]["position_id"] != int(strategy.parent)
    assert outs[0][1]["parent_order_id"] == strategy.parent


def test_a_child_refused_for_margin_does_not_affect_the_others():
    plain = run_backtest(load_strategy("ma", {}), {**QUARTER, "capital": 10_000}, engine="event")
    strategy = load_strategy("ma", {})
    group = run_group_backtest(strategy, QUARTER, [{"name": "rich", "deposit": 10_000},
                                                   {"name": "poor", "deposit": 100, "leverage": 1}],
                               allocation="multiplier")
    assert group.results["poor"].trades == [] and group.results["poor"].equity[-1] == 100
    assert _rows(group.results["rich"].trades) == _rows(plain.trades)
    assert np.array_equal(group.results["rich"].equity, plain.equity)


def test_aggregate_equity_is_the_sum_of_the_accounts_per_bar():
    group = run_group_backtest(load_strategy("ma", {}), QUARTER, [{"name": "a", "deposit": 10_000},
                                                                   {"name": "b", "deposit": 25_000, "leverage": 500},
                                                                   {"name": "c", "deposit": 5_000, "leverage": 50}],
                               allocation="equity")
    total = sum(group.results[n].equity for n in "abc")
    assert np.allclose(group.aggregate.equity, total, rtol=0, atol=1e-9)
    assert np.allclose(group.aggregate.balance, sum(group.results[n].balance for n in "abc"), rtol=0, atol=1e-9)
    assert group.aggregate.initial_capital == 40_000
    assert len(group.aggregate.trades) == sum(len(group.results[n].trades) for n in "abc")
    net = sum(t.net_profit for t in group.aggregate.closed_trades)
    assert net == pytest.approx(sum(t.net_profit for n in "abc" for t in group.results[n].closed_trades))
    rows = {row["account"]: row for row in group.rows()}
    assert rows["total"]["net_profit"] == pytest.approx(sum(rows[n]["net_profit"] for n in "abc"), abs=0.02)


def test_an_account_in_another_currency_is_converted_at_each_bar():
    accounts = [{"name": "usd", "deposit": 10_000}, {"name": "eur", "deposit": 10_000, "currency": "EUR"}]
    group = run_group_backtest(load_strategy("ma", {}), QUARTER, accounts, allocation="multiplier")
    eur = group.results["eur"]
    assert eur.currency == "EUR" and group.aggregate.currency == "USD"
    close = group.aggregate.bars["EURUSD"]["close"]
    assert np.allclose(group.aggregate.equity, group.results["usd"].equity + eur.equity * close, rtol=1e-12)
    # the EUR account's profit on a EURUSD trade is the USD profit converted at the close
    usd_trade, eur_trade = group.results["usd"].trades[0], eur.trades[0]
    assert eur_trade.profit == pytest.approx(usd_trade.profit / usd_trade.close_price, abs=0.011)


def test_closing_and_modifying_the_parent_act_on_every_child():
    strategy = Recorder(volume=0.1, hold=8, sl_pips=300)
    group = run_group_backtest(strategy, QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 10_000}],
                               allocation="multiplier", multipliers={"b": 2.0})
    assert int(strategy.parent) > PARENT_BASE and strategy.closed is not None and strategy.sl_set is True
    a, b = group.results["a"].trades, group.results["b"].trades
    assert [t.volume for t in a] == [0.1] and [t.volume for t in b] == [0.2]
    assert a[0].close_time == b[0].close_time and a[0].exit_reason == b[0].exit_reason == "expert"
    assert a[0].sl == b[0].sl > 0  # the SL set through the parent reached both children
    # the parent view: one position, the volume the strategy sent, the children's profit summed
    (position,) = strategy.positions_seen
    assert position["ticket"] == int(strategy.parent) and position["volume"] == 0.1
    # one fill and one close in the parent's ids; the other child's fill in its own, with its account
    ins = [(oid, e) for oid, e in strategy.executions if e["entry"] == "in"]
    outs = [(oid, e) for oid, e in strategy.executions if e["entry"] == "out"]
    assert [oid for oid, _ in ins] .count(strategy.parent) == 1 and len(ins) == 2
    assert {e["account"] for _, e in ins} == {"a", "b"}
    assert [(oid, e["position_id"]) for oid, e in outs if oid == strategy.closed] == [(strategy.closed,
                                                                                       int(strategy.parent))]
    assert len(outs) == 2


def test_a_closed_parent_cannot_be_closed_twice_and_unknown_ids_are_refused():
    class Twice(Recorder):
        def receive_bars(self, symbol, data, is_end):
            super().receive_bars(symbol, data, is_end)
            if self.bars == self.hold + 1:
                self.again = self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1,
                                              "order_id": self.parent, "backtest_toggle": True})
                self.unknown = self.modify_position_sltp({"position_id": 12345, "sl": 1.0,
                                                          "backtest_toggle": True})

    strategy = Twice(volume=0.1, hold=4)
    run_group_backtest(strategy, QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 10_000}],
                       allocation="multiplier")
    assert strategy.again is None and strategy.unknown is False
    texts = [s["message"] for _, s in strategy.statuses]
    assert any(f"position {strategy.parent} is not open" in t for t in texts)


def test_a_partial_close_of_the_parent_closes_that_share_of_each_child():
    class Half(Recorder):
        def receive_bars(self, symbol, data, is_end):
            if self.bars + 1 == self.hold and not is_end:
                self.bars += 1
                self.closed = self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.05,
                                               "order_id": self.parent, "backtest_toggle": True})
                return
            super().receive_bars(symbol, data, is_end)

    strategy = Half(volume=0.1, hold=6)
    group = run_group_backtest(strategy, QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 10_000}],
                               allocation="multiplier", multipliers={"a": 1.0, "b": 3.0})
    a, b = group.results["a"].trades, group.results["b"].trades
    assert sorted((t.volume, t.is_open) for t in a) == [(0.05, False), (0.05, True)]
    assert sorted((t.volume, t.is_open) for t in b) == [(0.15, False), (0.15, True)]


def test_the_risk_method_sizes_each_account_from_its_equity_and_the_stop():
    class WithStop(MAS):
        def __init__(self):
            super().__init__()
            self.sent = None

        def receive_bars(self, symbol, data, is_end):
            if self.sent is None and not is_end:
                self.sent = self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.01, "sl": round(
                    data["close"] + 0.0050, 5), "backtest_toggle": True})

    group = run_group_backtest(WithStop(), QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 3_000}],
                               allocation="risk", risk_percent=1.0)
    # 1% of 10,000 = 100 USD over a 50-pip stop (10 USD a pip per lot) = 0.2 lot; 30 USD -> 0.06 lot
    assert [t.volume for t in group.results["a"].trades] == [0.2]
    assert [t.volume for t in group.results["b"].trades] == [0.06]


def test_a_group_backtest_refuses_ticks_and_bad_accounts_with_the_fix():
    from mas.client import state_of
    from mas.groups.backtest_session import GroupBacktestSession
    from mas.groups.store import AccountGroup

    strategy = MAS()
    session = GroupBacktestSession(state_of(strategy).backtest_session().events, AccountGroup("g", ("a",)),
                                   [BacktestAccount("a", 1000.0)])
    with pytest.raises(ValueError, match="a group backtest replays bars"):
        session.subscribe_ticks({})
    with pytest.raises(ValueError, match="deposit must be above 0"):
        run_group_backtest(MAS(), QUARTER, [{"name": "a", "deposit": 0}])
    with pytest.raises(ValueError, match="unknown key"):
        run_group_backtest(MAS(), QUARTER, [{"name": "a", "depsit": 10}])
    with pytest.raises(GroupError, match="did you mean 'equity'"):
        run_group_backtest(MAS(), QUARTER, [{"name": "a", "deposit": 10}], allocation="equty")


def test_after_the_group_backtest_the_strategy_reports_the_aggregate(tmp_path):
    strategy = load_strategy("ma", {})
    group = run_group_backtest(strategy, QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 5_000}],
                               allocation="equity")
    assert strategy.backtest_result is group.aggregate
    report = strategy.generate_data_report()
    assert report["status"] is True
    # a plain backtest afterwards is a plain one again
    plain = run_backtest(strategy, {**QUARTER, "capital": 10_000}, engine="event")
    assert plain.initial_capital == 10_000 and "group" not in plain.settings


def test_a_report_asked_for_at_the_last_bar_is_the_group_so_far():
    class ReportsAtEnd(MAS):
        def __init__(self):
            super().__init__()
            self.report = None
            self.sent = False

        def receive_bars(self, symbol, data, is_end):
            if not self.sent:
                self.sent = bool(self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                                  "backtest_toggle": True}))
            if is_end:
                self.report = self.generate_data_report()

    strategy = ReportsAtEnd()
    group = run_group_backtest(strategy, QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 5_000}],
                               allocation="multiplier")
    assert strategy.report["status"] is True
    after = strategy.generate_data_report()
    assert strategy.report["data"]["general_data"] == after["data"]["general_data"]
    assert group.aggregate.initial_capital == 15_000


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**7), st.integers(1, 3000), st.sampled_from(["", "USD", "EUR", "jpy"])),
                min_size=1, max_size=6), st.booleans())
def test_parse_accounts_reads_what_it_is_given(entries, named):
    names = [f"m{i}" for i in range(len(entries))]
    texts = [f"{d}:{lev}" + (f":{ccy}" if ccy else "") for d, lev, ccy in entries]
    text = ",".join(f"{n}={t}" for n, t in zip(names, texts, strict=True)) if named else ",".join(texts)
    accounts = parse_accounts(text, names)
    assert [(a.name, a.deposit, a.leverage, a.currency) for a in accounts] == [
        (n, float(d), lev, ccy.upper()) for n, (d, lev, ccy) in zip(names, entries, strict=True)]


@pytest.mark.parametrize(("text", "members", "message"), [
    ("10000:100", ("a", "b"), "1 account(s) given for 2 member(s)"),
    ("a=10000,10", ("a", "b"), "name every account"),
    ("a=10000,c=5", ("a", "b"), "'c' is not a member"),
    ("a=10000", ("a", "b"), "missing: b"),
    ("x:100", ("a",), "the deposit must be a number"),
    ("-5:100", ("a",), "must be above 0"),
    ("100:0", ("a",), "at least 1"),
    ("100:10:EURO", ("a",), "3-letter code"),
    ("10000", None, "name each account"),
])
def test_parse_accounts_refuses_bad_input_naming_it(text, members, message):
    with pytest.raises(GroupError, match=re.escape(message)):
        parse_accounts(text, members)


def test_modifying_and_cancelling_a_pending_parent_act_on_every_child():
    class Pending(MAS):
        def __init__(self):
            super().__init__()
            self.bars, self.parent, self.seen, self.statuses = 0, None, {}, []

        def receive_bars(self, symbol, data, is_end):
            self.bars += 1
            toggle = {"backtest_toggle": True}
            if self.bars == 2:
                self.parent = self.send_order({"symbol": symbol, "order_type": "buy_limit", "volume": 0.1,
                                               "price": round(data["close"] - 0.0100, 5), **toggle})
                self.seen["placed"] = self.get_pending_orders(toggle)
            elif self.bars == 4:
                self.seen["modified"] = self.modify_order({"order_id": self.parent, "price": round(
                    data["close"] - 0.0200, 5), **toggle})
                self.seen["after modify"] = self.get_pending_orders(toggle)
            elif self.bars == 6:
                self.seen["cancelled"] = self.cancel_order({"order_id": self.parent, **toggle})
                self.seen["after cancel"] = self.get_pending_orders(toggle)

        def receive_order_status(self, order_id, status_data):
            self.statuses.append((order_id, status_data))

    strategy = Pending()
    group = run_group_backtest(strategy, QUARTER, [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 10_000}],
                               allocation="multiplier", multipliers={"b": 3.0})
    (placed,) = strategy.seen["placed"]
    assert placed["ticket"] == int(strategy.parent) and placed["volume_initial"] == 0.1
    assert strategy.seen["modified"] is True and strategy.seen["cancelled"] is True
    (modified,) = strategy.seen["after modify"]
    assert modified["price_open"] < placed["price_open"] - 0.009 and strategy.seen["after cancel"] == []
    for name, volume in (("a", 0.1), ("b", 0.3)):
        (order,) = [o for o in group.results[name].orders if o["type"] == 2]
        assert order["volume_initial"] == volume and order["price_open"] == modified["price_open"]
        assert order["state"] == 2  # cancelled
    children = [(s["account"], s["state"]) for _, s in strategy.statuses if s.get("parent_order_id") == strategy.parent]
    assert ("a", 1) in children and ("b", 1) in children and ("a", 2) in children and ("b", 2) in children
    assert [s["state"] for oid, s in strategy.statuses if oid == strategy.parent] == [1, 2]
    assert group.results["a"].trades == [] and group.results["b"].trades == []
