"""One order, many accounts: ``login({"group": ...})`` and ``send_order`` against two real sim servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from groups.sim_group import Recorder
from live.conftest import start_server, wait_until  # noqa: F401 - fixture
from mas import MAS
from mas.groups.session import child_order_id
from mas.groups.store import AccountGroup, add_group
from mas.live import journal as j
from mas.live.profiles import BrokerProfile, save_profile


def _members(monkeypatch, layout, **guards):
    """Profiles ``(name, port, login)`` with passwords in the environment; ``guards``: name -> max_lots."""
    for name, port, login in layout:
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=login, host="127.0.0.1",
                                   port=port, max_lots=guards.get(name, 0.0)))
        monkeypatch.setenv(f"MAS_PASSWORD_{name.upper()}", f"pw-{name}")


def _volumes(server, login):
    terminal = server.exchange.accounts[login].terminal
    return sorted(float(pos.volume) for pos in terminal.positions_get() or ())


BUY = {"symbol": "EURUSD", "order_type": "buy", "volume": 1.0, "backtest_toggle": False}


def test_ten_accounts_on_two_brokers_one_parent(start_server, monkeypatch):  # noqa: F811
    big, small = start_server(capital=10_000.0), start_server(capital=5_000.0)
    layout = [(f"m{i}", big.port, 1000 + i) for i in range(7)] + [(f"m{i}", small.port, 2000 + i) for i in range(7, 10)]
    _members(monkeypatch, layout)
    add_group(AccountGroup("desk", tuple(name for name, _, _ in layout), "equity"))
    client = Recorder()
    assert client.login({"group": "desk"}), client.last_error()
    try:
        assert client.check_connection()
        parent = client.send_order({**BUY, "client_order_id": "P-1"})
        assert parent == "P-1"
        # 1.0 by equity over 7 x 10,000 and 3 x 5,000: 0.11 x 7 + 0.05 x 3 = 0.92; the remainder 0.08 goes one
        # step each to m0..m6 (the largest), then m7
        expected = {f"m{i}": 0.12 for i in range(7)} | {"m7": 0.06, "m8": 0.05, "m9": 0.05}
        for name, port, login in layout:
            assert _volumes(big if port == big.port else small, login) == [expected[name]], name
        summary = [s for oid, s in client.statuses if oid == "P-1"]
        assert len(summary) == 1 and summary[0]["retcode"] == 10009 and summary[0]["group"] == "desk"
        assert [ch["profile"] for ch in summary[0]["children"]] == [f"m{i}" for i in range(10)]
        assert all(ch["order_id"] for ch in summary[0]["children"])
        child_statuses = [s for oid, s in client.statuses if oid != "P-1"]
        assert {s["profile"] for s in child_statuses} == set(expected)
        logins = {name: login for name, _, login in layout}
        assert all(s["account"] == logins[s["profile"]] for s in child_statuses)
        assert all(s["parent_order_id"] == "P-1" for s in child_statuses if s["message"] != "Order filled")
        assert wait_until(lambda: len({f["profile"] for _, f in client.fills}) == 10)
        for _, fill in client.fills:
            assert fill["volume"] == expected[fill["profile"]] and fill["account"] == logins[fill["profile"]]
        # the same parent again: every child answered from the journal, nothing new
        assert client.send_order({**BUY, "client_order_id": "P-1"}) == "P-1"
        for name, port, login in layout:
            assert _volumes(big if port == big.port else small, login) == [expected[name]], name
        # the same id for another order is refused, nothing sent
        assert client.send_order({**BUY, "volume": 2.0, "client_order_id": "P-1"}) is None
        assert "sent before as a different order" in client.last_error()[1]
    finally:
        client.shutdown_mt5()


def test_one_accounts_refusal_does_not_block_the_others(start_server, monkeypatch):  # noqa: F811
    first, second = start_server(), start_server()
    _members(monkeypatch, [("alice", first.port, 1001), ("bob", second.port, 2001), ("carol", first.port, 1002)],
             bob=0.1)  # bob's own risk guard: at most 0.1 lot per order
    add_group(AccountGroup("desk", ("alice", "bob", "carol"), "equity"))
    client = Recorder()
    assert client.login({"group": "desk"}), client.last_error()
    try:
        parent = client.send_order({**BUY, "volume": 0.9})
        assert parent is not None and parent.startswith("grp-")
        assert _volumes(first, 1001) == [0.3] and _volumes(first, 1002) == [0.3] and _volumes(second, 2001) == []
        (summary,) = [s for _, s in client.statuses if "children" in s]
        assert summary["retcode"] == 10010  # partial: 2 of 3
        bob = next(ch for ch in summary["children"] if ch["profile"] == "bob")
        assert bob["order_id"] is None and "max_lots" in bob["message"]
        refusal = [s for _, s in client.statuses if s.get("profile") == "bob"]
        assert refusal and refusal[0]["retcode"] == 10006 and refusal[0]["account"] == 2001
        # closing the parent closes every child's position (bob has none)
        client.statuses.clear()
        closed = client.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.9, "order_id": parent,
                                    "backtest_toggle": False})
        assert closed == f"{parent}/close"
        assert _volumes(first, 1001) == [] and _volumes(first, 1002) == [] and _volumes(second, 2001) == []
        (summary,) = [s for oid, s in client.statuses if oid == closed]
        assert summary["retcode"] == 10009 and "2 of 2 child orders closed" in summary["message"]
        deals = len(first.exchange.accounts[1001].terminal.history_deals_get(0, 2**31))
        again = client.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.9, "order_id": parent,
                                   "backtest_toggle": False})
        assert again == closed  # answered from the journal: nothing is sent twice
        assert len(first.exchange.accounts[1001].terminal.history_deals_get(0, 2**31)) == deals
        # a child's own ticket is not closed through the group (tickets of two servers can be equal)
        assert client.send_order({**BUY, "order_type": "sell", "volume": 0.3, "order_id": 1}) is None
        assert "names the parent" in client.last_error()[1]
    finally:
        client.shutdown_mt5()


def test_a_group_login_names_members_that_cannot_log_in(start_server, monkeypatch):  # noqa: F811
    server = start_server()
    _members(monkeypatch, [("alice", server.port, 1001), ("bob", 1, 1002)])
    add_group(AccountGroup("desk", ("alice", "bob")))
    client = MAS()
    assert not client.login({"group": "desk"})
    assert "bob:" in client.last_error()[1] and "pw-" not in client.last_error()[1]
    assert not client.login({"group": "dsk"})
    assert "did you mean 'desk'?" in client.last_error()[1]


KILLED = """
import os, signal, sys
import mas
from mas.groups import session as gs

sent = gs.GroupSession._send_child

def send_then_die(self, *args, **kwargs):
    out = sent(self, *args, **kwargs)
    if out["order_id"] and sys.argv[1] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 between two children
    return out

gs.GroupSession._send_child = send_then_die
client = mas.MAS()
assert client.login({"group": "desk"}), client.last_error()
print(client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.4, "backtest_toggle": False,
                         "client_order_id": "crash-1"}), flush=True)
client.shutdown_mt5()
"""


def test_kill_9_between_children_then_resend_places_each_child_once(start_server, monkeypatch):  # noqa: F811
    first, second = start_server(), start_server()
    _members(monkeypatch, [("alice", first.port, 1001), ("bob", second.port, 2001)])
    add_group(AccountGroup("desk", ("alice", "bob"), "balance"))

    def run(mode):
        return subprocess.run([sys.executable, "-c", KILLED, mode], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ))

    killed = run("kill")
    assert killed.returncode == -9, killed.stderr
    assert _volumes(first, 1001) == [0.2] and _volumes(second, 2001) == []  # alice's child only
    resent = run("resend")
    assert resent.returncode == 0, resent.stderr
    assert resent.stdout.strip() == "crash-1"
    assert _volumes(first, 1001) == [0.2] and _volumes(second, 2001) == [0.2]
    again = run("resend")
    assert again.returncode == 0 and again.stdout.strip() == "crash-1"
    assert _volumes(first, 1001) == [0.2] and _volumes(second, 2001) == [0.2]
    entries = {e.client_order_id: e for e in j.Journal().entries()}
    assert set(entries) == {child_order_id("crash-1", "alice"), child_order_id("crash-1", "bob")}
    assert all(e.state == j.DONE for e in entries.values())
    assert json.dumps(sorted(entries)) == json.dumps(["crash-1@alice", "crash-1@bob"])


def test_risk_allocation_sizes_each_child_from_the_orders_stop(start_server, monkeypatch):  # noqa: F811
    rich, poor = start_server(capital=20_000.0, speed=1.0), start_server(capital=5_000.0, speed=1.0)  # still quotes
    _members(monkeypatch, [("alice", rich.port, 1001), ("bob", poor.port, 2001)])
    add_group(AccountGroup("desk", ("alice", "bob"), "risk", risk_percent=1.0))
    client = Recorder()
    assert client.login({"group": "desk"}), client.last_error()
    try:
        assert client.send_order({**BUY, "volume": 0.1}) is None  # no sl: nothing to size by
        assert "needs the order's sl" in client.last_error()[1]
        assert _volumes(rich, 1001) == [] and _volumes(poor, 2001) == []
        ask = rich.exchange.accounts[1001].terminal.symbol_info_tick("EURUSD").ask
        assert client.send_order({**BUY, "volume": 0.1, "sl": round(ask - 0.005, 5)}) is not None
        # 1% of 20,000 / (500 points x 1 USD a point per lot) = 0.4; 1% of 5,000 -> 0.1
        assert _volumes(rich, 1001) == [0.4] and _volumes(poor, 2001) == [0.1]
    finally:
        client.shutdown_mt5()
