"""The group's own risk guards (groups.toml): a refused parent sends nothing to any account."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from groups.sim_group import STILL, Reader, Recorder, add_members
from live.conftest import server_process  # noqa: F401 - fixture
from mas.groups.plans import find_plan
from mas.groups.store import AccountGroup, GroupError, add_group, get_group, groups_path
from mas.live import journal as j

BUY = {"symbol": "EURUSD", "order_type": "buy", "backtest_toggle": False}


@pytest.fixture
def two_brokers(server_process, monkeypatch):  # noqa: F811
    first, second = server_process(speed=STILL), server_process(speed=STILL)
    layout = [("alice", first.port, 1001), ("bob", second.port, 2001)]
    add_members(monkeypatch, layout)
    reader = Reader(layout)
    yield layout, reader
    reader.close()


def _everything(reader: Reader) -> list:
    return [(reader.volumes(n), len(reader.orders(n))) for n in ("alice", "bob")]


def test_max_total_lots_and_max_open_positions_refuse_a_parent_before_any_child(two_brokers):
    _, reader = two_brokers
    add_group(AccountGroup("desk", ("alice", "bob"), "balance", max_total_lots=1.0, max_open_positions=3))
    client = Recorder()
    assert client.login({"group": "desk"}), client.last_error()
    try:
        assert client.send_order({**BUY, "volume": 0.8, "client_order_id": "G-1"}) == "G-1"
        assert _everything(reader) == [([0.4], 0), ([0.4], 0)]
        # 0.8 open + 0.4 > 1.0: refused, nothing sent, no split written (a later resend is checked again)
        assert client.send_order({**BUY, "volume": 0.4, "client_order_id": "G-2"}) is None
        assert "max_total_lots" in client.last_error()[1] and "group desk" in client.last_error()[1]
        assert _everything(reader) == [([0.4], 0), ([0.4], 0)]
        assert find_plan("desk", "G-2") is None
        refusal = [s for oid, s in client.statuses if oid == "G-2"]
        assert refusal and refusal[-1]["retcode"] == 10006
        # 2 open + 2 new children > 3 positions: refused, though the lots fit
        assert client.send_order({**BUY, "volume": 0.2, "client_order_id": "G-3"}) is None
        assert "max_open_positions" in client.last_error()[1]
        assert _everything(reader) == [([0.4], 0), ([0.4], 0)]
        # closing is never refused; then the same parent id that was refused goes through
        assert client.send_order({**BUY, "order_type": "sell", "volume": 0.8, "order_id": "G-1"}) == "G-1/close"
        assert _everything(reader) == [([], 0), ([], 0)]
        assert client.send_order({**BUY, "volume": 0.4, "client_order_id": "G-2"}) == "G-2"
        assert _everything(reader) == [([0.2], 0), ([0.2], 0)]
        # an admitted parent is never refused on a resend, though its own children now count
        assert client.send_order({**BUY, "volume": 0.4, "client_order_id": "G-2"}) == "G-2"
    finally:
        client.shutdown_mt5()


def test_daily_loss_across_members_refuses_new_parents(two_brokers):
    layout, reader = two_brokers
    today = datetime.now(timezone.utc).date().isoformat()
    journal = j.Journal()
    for _, _, login in layout:  # each account started the UTC day 400 above its equity now: 800 lost together
        equity = 10_000.0
        assert journal.day_start_equity(login, "MAS-Sim", today, equity + 400.0) == equity + 400.0
    add_group(AccountGroup("desk", ("alice", "bob"), "equity", daily_loss_limit=1000.0))
    client = Recorder()
    assert client.login({"group": "desk"}), client.last_error()
    try:
        assert client.send_order({**BUY, "volume": 0.2}) is not None  # 800 < 1000
        add_group(AccountGroup("desk", ("alice", "bob"), "equity", daily_loss_limit=800.0), replace=True)
        client.shutdown_mt5()
        assert client.login({"group": "desk"}), client.last_error()
        before = _everything(reader)
        assert client.send_order({**BUY, "volume": 0.2}) is None
        assert "daily_loss_limit" in client.last_error()[1] and "800.00" in client.last_error()[1]
        assert _everything(reader) == before
    finally:
        client.shutdown_mt5()


def test_group_guards_are_read_from_and_written_to_groups_toml():
    add_group(AccountGroup("desk", ("alice", "bob"), max_total_lots=5.0, max_open_positions=20,
                           daily_loss_limit=1000.0))
    text = groups_path().read_text(encoding="utf-8")
    assert "max_total_lots = 5.0" in text and "max_open_positions = 20" in text
    group = get_group("desk")
    assert (group.max_total_lots, group.max_open_positions, group.daily_loss_limit) == (5.0, 20, 1000.0)
    assert "max_total_lots=5" in group.describe()
    with pytest.raises(GroupError, match="max_open_positions must be a whole number"):
        AccountGroup("desk", ("alice",), max_open_positions=2.5)
    with pytest.raises(GroupError, match="max_total_lots must be a number >= 0"):
        AccountGroup("desk", ("alice",), max_total_lots=-1.0)
    groups_path().write_text('[desk]\nmembers = ["alice"]\nmax_total_lots = "lots"\n', encoding="utf-8")
    with pytest.raises(GroupError, match="max_total_lots"):
        get_group("desk")
