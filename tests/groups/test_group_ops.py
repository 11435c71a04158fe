"""Acting on a group's parent: modify, cancel, partial and whole close, against two `mas sim serve` processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from groups.sim_group import STILL, Reader, Recorder, add_members
from live.conftest import server_process  # noqa: F401 - fixture
from mas.groups.actions import child_order_id
from mas.groups.plans import find_act
from mas.groups.store import AccountGroup, add_group
from mas.live import journal as j
from mas.terminal import constants as c

BUY = {"symbol": "EURUSD", "order_type": "buy", "volume": 1.0, "backtest_toggle": False}
SELL_CLOSE = {"symbol": "EURUSD", "order_type": "sell", "backtest_toggle": False}


@pytest.fixture
def desk(server_process, monkeypatch):  # noqa: F811
    """Three accounts on two brokers (two sim servers), allocation by multiplier 1 / 0.7 / 0.3."""
    first, second = server_process(speed=STILL), server_process(speed=STILL)
    layout = [("alice", first.port, 1001), ("bob", second.port, 2001), ("carol", first.port, 1002)]
    add_members(monkeypatch, layout)
    add_group(AccountGroup("desk", ("alice", "bob", "carol"), "multiplier",
                           multipliers={"alice": 1.0, "bob": 0.7, "carol": 0.3}))
    reader = Reader(layout)
    yield layout, reader
    reader.close()


def _login() -> Recorder:
    client = Recorder()
    assert client.login({"group": "desk"}), client.last_error()
    return client


def test_modify_partial_close_and_close_act_on_every_child(desk):
    _, reader = desk
    client = _login()
    try:
        assert client.send_order({**BUY, "client_order_id": "P-1"}) == "P-1"
        assert [reader.volumes(n) for n in ("alice", "bob", "carol")] == [[1.0], [0.7], [0.3]]
        ask = reader.terminals["alice"].symbol_info_tick("EURUSD").ask
        sl, tp = round(ask - 0.01, 5), round(ask + 0.01, 5)
        assert client.modify_position_sltp({"position_id": "P-1", "sl": sl, "tp": tp, "backtest_toggle": False})
        for name in ("alice", "bob", "carol"):
            (pos,) = reader.positions(name)
            assert (pos.sl, pos.tp) == (sl, tp), name
        (summary,) = client.summary_of("P-1")[-1:]
        assert summary["retcode"] == c.TRADE_RETCODE_DONE and summary["action"] == "modify"
        assert "3 of 3 child orders modified" in summary["message"]
        child_statuses = [s for oid, s in client.statuses if s.get("parent_order_id") == "P-1" and "children" not in s]
        assert {s["profile"] for s in child_statuses} >= {"alice", "bob", "carol"}

        # partial close of 0.275 of the parent's 1.0 lot: the children hold 2.0 lots (multipliers), so 0.55 of theirs
        # close: 0.275 / 0.1925 / 0.0825 rounded down to 0.27 / 0.19 / 0.08 (0.54), the remainder step 0.01 to the
        # largest allocation (alice)
        closed = client.send_order({**SELL_CLOSE, "volume": 0.275, "order_id": "P-1", "client_order_id": "PC-1"})
        assert closed == "PC-1"
        assert [reader.volumes(n) for n in ("alice", "bob", "carol")] == [[0.72], [0.51], [0.22]]
        (summary,) = client.summary_of("PC-1")
        assert summary["retcode"] == c.TRADE_RETCODE_DONE and summary["parent"] == "P-1"
        assert [(ch["profile"], ch["volume"]) for ch in summary["children"]] == [
            ("alice", 0.28), ("bob", 0.19), ("carol", 0.08)]
        assert find_act("desk", "PC-1").shares == (("alice", 0.28), ("bob", 0.19), ("carol", 0.08))
        # the same partial close again: answered from the journal, nothing closes twice
        again = client.send_order({**SELL_CLOSE, "volume": 0.275, "order_id": "P-1", "client_order_id": "PC-1"})
        assert again == "PC-1"
        assert [reader.volumes(n) for n in ("alice", "bob", "carol")] == [[0.72], [0.51], [0.22]]
        assert [ch["message"] for ch in client.summary_of("PC-1")[-1]["children"]] == ["closed before"] * 3
        # the same id for another action is refused, nothing sent
        assert client.send_order({**SELL_CLOSE, "volume": 0.2, "order_id": "P-1", "client_order_id": "PC-1"}) is None
        assert "used before for another action" in client.last_error()[1]
        # the SL / TP survive a partial close
        assert all((reader.positions(n)[0].sl, reader.positions(n)[0].tp) == (sl, tp) for n in ("alice", "bob"))

        # the parent's volume (1.0; at least its open 0.725) closes every child wholly
        assert client.send_order({**SELL_CLOSE, "volume": 1.0, "order_id": "P-1"}) == "P-1/close"
        assert [reader.volumes(n) for n in ("alice", "bob", "carol")] == [[], [], []]
        assert client.summary_of("P-1/close")[0]["retcode"] == c.TRADE_RETCODE_DONE
        # every close deal exactly once: a partial and a whole close per account
        for name in ("alice", "bob", "carol"):
            outs = [d for d in reader.deals(name) if d.entry == c.DEAL_ENTRY_OUT]
            assert len(outs) == 2, name
    finally:
        client.shutdown_mt5()


def test_modify_and_cancel_a_pending_parent(desk):
    _, reader = desk
    client = _login()
    try:
        ask = reader.terminals["alice"].symbol_info_tick("EURUSD").ask
        limit = {**BUY, "order_type": "buy_limit", "volume": 0.5, "price": round(ask - 0.02, 5),
                 "client_order_id": "L-1"}
        assert client.send_order(limit) == "L-1"
        volumes = {n: [round(o.volume_current, 2) for o in reader.orders(n)] for n in ("alice", "bob", "carol")}
        assert volumes == {"alice": [0.5], "bob": [0.35], "carol": [0.15]}
        lower = round(ask - 0.03, 5)
        assert client.modify_order({"order_id": "L-1", "price": lower, "sl": round(lower - 0.01, 5),
                                    "backtest_toggle": False})
        for name in ("alice", "bob", "carol"):
            (order,) = reader.orders(name)
            assert (order.price_open, order.sl) == (lower, round(lower - 0.01, 5)), name
        assert client.cancel_order({"order_id": "L-1", "backtest_toggle": False})
        assert all(reader.orders(n) == [] for n in ("alice", "bob", "carol"))
        (summary,) = client.summary_of("L-1")[-1:]
        assert summary["action"] == "cancel" and "3 of 3 child orders canceled" in summary["message"]
        # cancelling again: every child is known as canceled (from the journal), nothing is sent
        assert client.cancel_order({"order_id": "L-1", "backtest_toggle": False})
        assert [ch["message"] for ch in client.summary_of("L-1")[-1]["children"]] == ["canceled before"] * 3
        # a child ticket is still an ordinary order id for the facade: it is not a parent
        assert not client.cancel_order({"order_id": 999999, "backtest_toggle": False})
    finally:
        client.shutdown_mt5()


def test_one_accounts_failure_does_not_block_the_others(desk):
    _, reader = desk
    client = _login()
    try:
        assert client.send_order({**BUY, "client_order_id": "P-2"}) == "P-2"
        # bob's position is closed by another program: the group's SL/TP change reaches alice and carol
        (bobs,) = reader.positions("bob")
        tick = reader.terminals["bob"].symbol_info_tick("EURUSD")
        result = reader.terminals["bob"].order_send({"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "volume": 0.7,
                                                     "type": c.ORDER_TYPE_SELL, "position": bobs.ticket,
                                                     "price": tick.bid, "deviation": 10})
        assert result.retcode in (c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_PLACED)
        assert reader.volumes("bob") == []
        sl = round(tick.bid - 0.01, 5)
        assert client.modify_position_sltp({"position_id": "P-2", "sl": sl, "backtest_toggle": False})
        assert reader.positions("alice")[0].sl == sl and reader.positions("carol")[0].sl == sl
        bob = next(ch for ch in client.summary_of("P-2")[-1]["children"] if ch["profile"] == "bob")
        assert bob["order_id"] is None and "is not open" in bob["message"]
        # an SL that is invalid for a buy (above the price) is refused by every account: 10006, False
        assert not client.modify_position_sltp({"position_id": "P-2", "sl": round(tick.ask + 0.05, 5),
                                                "backtest_toggle": False})
        assert client.summary_of("P-2")[-1]["retcode"] == c.TRADE_RETCODE_REJECT
        assert reader.positions("alice")[0].sl == sl
        # a partial close splits over the children still open: 0.2 of the parent is 0.4 of the children's lots, over
        # alice 1.0 and carol 0.3: 0.3077 / 0.0923 -> 0.30 / 0.09, the remainder step to alice
        assert client.send_order({**SELL_CLOSE, "volume": 0.2, "order_id": "P-2", "client_order_id": "PC-2"})
        assert reader.volumes("alice") == [0.69] and reader.volumes("carol") == [0.21]
    finally:
        client.shutdown_mt5()


KILLED = """
import os, signal, sys
import mas
from mas.groups import actions

close_child = actions.ParentActions._close_child

def close_then_die(self, *args, **kwargs):
    child, request = close_child(self, *args, **kwargs)
    if child["order_id"] and sys.argv[1] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 between two children of the partial close
    return child, request

actions.ParentActions._close_child = close_then_die
client = mas.MAS()
assert client.login({"group": "desk"}), client.last_error()
print(client.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.275, "order_id": "P-9",
                         "client_order_id": "PC-9", "backtest_toggle": False}), flush=True)
client.shutdown_mt5()
"""


def test_kill_9_in_a_partial_close_then_resend_closes_each_child_once(desk):
    _, reader = desk
    client = _login()
    try:
        assert client.send_order({**BUY, "client_order_id": "P-9"}) == "P-9"
    finally:
        client.shutdown_mt5()

    def run(mode):
        return subprocess.run([sys.executable, "-c", KILLED, mode], capture_output=True, text=True, timeout=120,
                              env=dict(os.environ))

    killed = run("kill")
    assert killed.returncode == -9, killed.stderr
    assert [reader.volumes(n) for n in ("alice", "bob", "carol")] == [[0.72], [0.7], [0.3]]  # alice's child only
    resent = run("resend")
    assert resent.returncode == 0, resent.stderr
    assert resent.stdout.strip() == "PC-9"
    assert [reader.volumes(n) for n in ("alice", "bob", "carol")] == [[0.72], [0.51], [0.22]]
    again = run("resend")
    assert again.returncode == 0 and again.stdout.strip() == "PC-9", again.stderr
    assert [reader.volumes(n) for n in ("alice", "bob", "carol")] == [[0.72], [0.51], [0.22]]
    for name, volume in (("alice", 0.28), ("bob", 0.19), ("carol", 0.08)):
        outs = [round(d.volume, 2) for d in reader.deals(name) if d.entry == c.DEAL_ENTRY_OUT]
        assert outs == [volume], name
    entries = {e.client_order_id: e for e in j.Journal().entries() if e.client_order_id.startswith("PC-9")}
    assert set(entries) == {child_order_id("PC-9", n) for n in ("alice", "bob", "carol")}
    assert all(e.state == j.DONE for e in entries.values())


def test_the_facade_asks_the_session_which_calls_it_answers():
    from mas.client import state_of
    from mas.sessions import Session

    client = Recorder()
    assert not client.login({"group": "nope"})  # the live session answered the login: no such group
    assert "no account group 'nope'" in client.last_error()[1]
    live = state_of(client).live
    assert live.handles("login", {"group": "desk"}) and not live.handles("login", {"profile": "alice"})
    # no group logged in: a parent id is nobody's, so the facade's own path reads it (and refuses a non-number)
    assert not live.handles("cancel_order", {"order_id": "P-1"})
    with pytest.raises(ValueError, match="order_id"):
        client.cancel_order({"order_id": "P-1", "backtest_toggle": False})
    assert "error" in client.get_group_summary()
    assert not Session.handles(live, "send_order", {"order_id": 1})  # the base answers nothing itself
