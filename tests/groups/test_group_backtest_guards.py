"""A group backtest applies the group's guards and each member profile's, with the live code, at the replay's time.

The scenarios mirror the live ones of ``test_group_ops_guards.py`` (and the profile guards of tests/live): the same
orders are refused, before any child (a group guard) or for one account (a profile guard), with the same reason.
"""

from __future__ import annotations

from datetime import datetime, timezone

from mas import MAS
from mas.app.group_backtests import run_group_backtest
from mas.groups.backtest_guards import ReplayJournal, replay_moment
from mas.groups.store import AccountGroup, add_group, get_group
from mas.i18n.errors import Text
from mas.live import guards as live_guards
from mas.live.profiles import BrokerProfile, save_profile

WEEK = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-06", "to": "2017-03-10"}  # Monday to Friday
ACCOUNTS = [{"name": "alice", "deposit": 10_000}, {"name": "bob", "deposit": 10_000}]


class Script(MAS):
    """Sends the orders of ``plan`` (bar number -> list of (kind, volume[, parent index])) and keeps what it is told:
    the id each send returned, every status, and the last error after each send."""

    def __init__(self, plan: dict[int, list[tuple]]) -> None:
        super().__init__()
        self.plan, self.bars = plan, 0
        self.sent: list[str | None] = []
        self.errors: list[str] = []
        self.statuses: list[tuple[str, dict]] = []

    def receive_bars(self, symbol, data, is_end):
        self.bars += 1
        for step in self.plan.get(self.bars, []):
            kind, volume = step[0], step[1]
            order = {"symbol": symbol, "order_type": kind, "volume": volume, "backtest_toggle": True}
            if len(step) > 2:
                order["order_id"] = self.sent[step[2]]
            self.sent.append(self.send_order(order))
            self.errors.append(self.last_error()[1])

    def receive_order_status(self, order_id, status_data):
        self.statuses.append((order_id, status_data))


def _lots(result, name: str) -> list[float]:
    return [t.volume for t in result.results[name].trades]


def test_the_group_guards_refuse_a_parent_before_any_child_as_live():
    """As live (test_group_ops_guards): 0.8 lot placed; 0.4 more is above max_total_lots; 0.2 more fits the lots
    but 2 + 2 positions are above max_open_positions; after the close, the 0.4 goes through."""
    add_group(AccountGroup("desk", ("alice", "bob"), "balance", max_total_lots=1.0, max_open_positions=3))
    script = Script({1: [("buy", 0.8)], 2: [("buy", 0.4), ("buy", 0.2)], 3: [("sell", 0.8, 0)], 4: [("buy", 0.4)]})
    result = run_group_backtest(script, WEEK, ACCOUNTS, allocation=get_group("desk"))
    first, too_many_lots, too_many_positions, close, later = script.sent
    assert first is not None and close is not None and later is not None
    assert too_many_lots is None and too_many_positions is None
    assert script.errors[1] == "group desk: " + str(Text("gguard_max_total_lots", group="desk", lots=0.8,
                                                         new_lots=0.4, limit=1.0))
    assert script.errors[2] == "group desk: " + str(Text("gguard_max_open_positions", group="desk", count=2,
                                                         new_count=2, limit=3))
    refused = [s for oid, s in script.statuses if s.get("retcode") == 10006]
    assert len(refused) == 2
    # nothing of the refused parents reached an account: each has the first parent's 0.4 and the later 0.2
    assert _lots(result, "alice") == _lots(result, "bob") == [0.4, 0.2]


def test_queued_market_orders_count_so_two_parents_in_one_bar_cannot_both_pass():
    """A market child waits for the next open; until then it counts as it would live (a position of its lots)."""
    add_group(AccountGroup("desk", ("alice", "bob"), "balance", max_total_lots=1.0))
    script = Script({1: [("buy", 0.6), ("buy", 0.6)]})
    result = run_group_backtest(script, WEEK, ACCOUNTS, allocation=get_group("desk"))
    assert script.sent[0] is not None and script.sent[1] is None
    assert "max_total_lots" in script.errors[1] and " 0.6 lots open" in script.errors[1]
    assert _lots(result, "alice") == _lots(result, "bob") == [0.3]


def _profiles(**guards_of: dict) -> None:
    for login, name in enumerate(("alice", "bob"), start=1001):
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=login, host="127.0.0.1",
                                   port=18812, **guards_of.get(name, {})))


def test_a_profile_guard_refuses_one_child_and_the_others_are_placed():
    _profiles(alice={"max_lots": 0.3})
    add_group(AccountGroup("desk", ("alice", "bob"), "multiplier"))
    script = Script({1: [("buy", 0.5)]})
    result = run_group_backtest(script, WEEK, ACCOUNTS, allocation=get_group("desk"))
    parent = script.sent[0]
    assert parent is not None
    reason = str(Text("refusal_max_lots", guard=Text("refusal_name_profile", guard="max_lots", profile="alice"),
                      volume=0.5, limit=0.3))
    child = [s for oid, s in script.statuses if s.get("account") == "alice" and s.get("retcode") == 10006]
    assert len(child) == 1 and child[0]["parent_order_id"] == parent
    assert reason in child[0]["message"]
    summary = [s for oid, s in script.statuses if oid == parent and "children" in s]
    assert summary[0]["retcode"] == 10010  # some children placed
    assert [c["account"] for c in summary[0]["children"] if not c["order_id"]] == ["alice"]
    assert _lots(result, "alice") == [] and _lots(result, "bob") == [0.5]


def test_trading_hours_are_the_replays_hours():
    """alice may open only 08:00-12:00 UTC of the replayed days; bob always: alice's fills all fall in the window
    of the replay (whatever this machine's clock says), bob's every hour."""
    _profiles(alice={"trading_hours": "Mon-Fri 08:00-12:00"})
    add_group(AccountGroup("desk", ("alice", "bob"), "multiplier"))
    plan = {bar: [("buy", 0.1)] for bar in range(1, 60)}
    result = run_group_backtest(Script(plan), WEEK, ACCOUNTS, allocation=get_group("desk"))
    alice = [t.open_time for t in result.results["alice"].trades]
    bob = [t.open_time for t in result.results["bob"].trades]
    assert len(bob) == 59 and 0 < len(alice) < len(bob)
    hours = {(t if isinstance(t, datetime) else datetime.fromisoformat(str(t))).hour for t in alice}
    assert hours <= {8, 9, 10, 11, 12}  # sent at a bar's close inside the window, filled at that (next) open


class Hourly(MAS):
    """Each bar: close the parent it holds, then buy 0.1 lot (one parent open at a time)."""

    def __init__(self) -> None:
        super().__init__()
        self.parent: str | None = None
        self.statuses: list[dict] = []

    def receive_bars(self, symbol, data, is_end):
        if is_end:
            return
        if self.parent is not None:
            self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1, "order_id": self.parent,
                             "backtest_toggle": True})
        self.parent = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "backtest_toggle": True})

    def receive_order_status(self, order_id, status_data):
        self.statuses.append(status_data)


def test_daily_loss_refuses_the_rest_of_the_replayed_day_and_the_next_day_starts_again():
    """bob stops opening once he lost 5 USD since the replayed UTC day's start (his equity at the close before the
    day's first bar); alice has no limit. Every refusal names a replayed day, and bob opens again each new day."""
    _profiles(bob={"daily_loss_limit": 5.0})
    add_group(AccountGroup("desk", ("alice", "bob"), "multiplier"))
    script = Hourly()
    result = run_group_backtest(script, WEEK, ACCOUNTS, allocation=get_group("desk"))
    refused = [s["message"] for s in script.statuses if s.get("account") == "bob" and s.get("retcode") == 10006]
    assert refused and all("daily_loss_limit" in text for text in refused)
    days = {text.split("at the start of ")[1][:10] for text in refused}
    assert days <= {"2017-03-06", "2017-03-07", "2017-03-08", "2017-03-09", "2017-03-10"}
    alice, bob = result.results["alice"].trades, result.results["bob"].trades
    assert len(alice) > len(bob) > 0
    opened = {str(t.open_time)[:10] for t in bob}
    assert opened == {str(t.open_time)[:10] for t in alice}  # each day bob starts again


def test_the_groups_daily_loss_refuses_whole_parents_until_the_next_replayed_day():
    """The group's daily_loss_limit sums the members' losses since the replayed day's start: once 10 USD are lost
    together, new parents are refused on every account; the next replayed day they trade again."""
    add_group(AccountGroup("desk", ("alice", "bob"), "multiplier", daily_loss_limit=10.0))
    script = Hourly()
    result = run_group_backtest(script, WEEK, ACCOUNTS, allocation=get_group("desk"))
    refused = [s for s in script.statuses if s.get("retcode") == 10006]
    assert refused and all("daily_loss_limit" in s["message"] and "group desk" in s["message"] for s in refused)
    assert all("account" not in s for s in refused)  # the parent is refused, not a child
    alice, bob = result.results["alice"].trades, result.results["bob"].trades
    assert [(t.open_time, t.volume) for t in alice] == [(t.open_time, t.volume) for t in bob]
    assert {str(t.open_time)[:10] for t in alice} == {"2017-03-06", "2017-03-07", "2017-03-08", "2017-03-09",
                                                      "2017-03-10"}
    assert len(alice) < 5 * 24 - 1  # fewer than one a bar: parents were refused


def test_a_replayed_check_reads_the_replay_time_and_leaves_the_machine_clock_alone():
    """The guards are handed the replay's moment: trading hours answer for it, whatever the wall clock says, and
    the guards' clock itself is never replaced (a live session in the same process keeps the real time)."""
    wall = live_guards.utc_now
    moment = replay_moment(1488790800)  # Monday 2017-03-06 09:00 UTC
    assert moment == datetime(2017, 3, 6, 9, 0, tzinfo=timezone.utc)
    guards = live_guards.RiskGuards(trading_hours=live_guards.TradingHours.parse("Mon-Fri 08:00-17:00"))
    request = {"symbol": "EURUSD", "volume": 0.1, "type": 2, "action": 5}  # a buy limit: never a close
    assert guards.refusal(object(), request, moment) is None
    evening = replay_moment(1488790800 + 10 * 3600)  # 19:00 the same day
    assert "trading_hours" in str(guards.refusal(object(), request, evening))
    assert live_guards.utc_now is wall


def test_the_replay_journal_keeps_the_first_equity_of_a_day():
    journal = ReplayJournal()
    journal.note_day("2017-03-06", 10_000.0)
    assert journal.day_start_equity(1, "s", "2017-03-06", 9_000.0) == 10_000.0
    assert journal.day_start_equity(1, "s", "2017-03-07", 9_000.0) == 9_000.0
    assert journal.day_start_equity(1, "s", "2017-03-08") is None
    assert journal.reservations(1, "s") == []
