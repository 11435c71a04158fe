"""Orders that end unfilled on the server (expired, cancelled, rejected) are pushed once to every client logged in
when they end; what ended before the login is history, never pushed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timedelta

from mas.client import state_of
from mas.live import journal as j
from mas.live.runner import callback_errors
from mas.live.sim_client import SimTerminalClient
from mas.terminal import constants as c

from .conftest import other_program, poll_more, sim_login, wait_until
from .test_live_trading import Trader

_EPOCH = datetime(1970, 1, 1)
POLLS = 0.8  # several poll intervals of the fill poller


def ended(trader: Trader, order_id: str) -> list[dict]:
    """The statuses pushed for ``order_id`` that end it without a fill."""
    return [s for o, s in trader.statuses if o == order_id
            and s["state"] in (c.ORDER_STATE_CANCELED, c.ORDER_STATE_EXPIRED, c.ORDER_STATE_REJECTED)]


def pending(trader: Trader, order_type: str, offset: float, volume: float = 0.1, **extra) -> str:
    """A pending order ``offset`` away from the current ask (placed, not filled)."""
    ask = state_of(trader).live.terminal.symbol_info_tick("EURUSD").ask
    order_id = trader.send_order({"symbol": "EURUSD", "order_type": order_type, "price": round(ask + offset, 5),
                                  "volume": volume, "backtest_toggle": False, **extra})
    assert order_id is not None, trader.last_error()
    return order_id




def cancel(term: SimTerminalClient, ticket: int) -> None:
    assert term.order_send({"action": c.TRADE_ACTION_REMOVE, "order": ticket}).retcode == c.TRADE_RETCODE_DONE


def test_expired_cancelled_and_rejected_orders_are_pushed_once(start_server):
    server = start_server()
    trader = Trader()
    assert trader.login(sim_login(server.port))
    server_now = _EPOCH + timedelta(seconds=int(state_of(trader).live.terminal.symbol_info_tick("EURUSD").time))

    expiring = pending(trader, "buy_limit", -0.05, expiration=server_now + timedelta(hours=6))
    by_other = pending(trader, "sell_limit", 0.05)
    by_us = pending(trader, "buy_limit", -0.06)
    too_big = pending(trader, "buy_stop", 0.0003, volume=90.0)  # no margin for it when it triggers
    other = other_program(server.port)
    cancel(other, int(by_other))
    other.shutdown()
    assert trader.cancel_order({"order_id": by_us}) is True

    assert wait_until(lambda: all(ended(trader, o) for o in (expiring, by_other, by_us, too_big)), timeout=10)
    time.sleep(POLLS)
    expected = {expiring: (c.ORDER_STATE_EXPIRED, c.TRADE_RETCODE_CANCEL, "Order expired"),
                by_other: (c.ORDER_STATE_CANCELED, c.TRADE_RETCODE_CANCEL, "Order canceled"),
                by_us: (c.ORDER_STATE_CANCELED, c.TRADE_RETCODE_CANCEL, "Order canceled"),
                too_big: (c.ORDER_STATE_REJECTED, c.TRADE_RETCODE_REJECT, "Order rejected")}
    for order_id, (state, retcode, message) in expected.items():
        (status,) = ended(trader, order_id)
        assert (status["state"], status["retcode"], status["message"]) == (state, retcode, message)
        assert status["request"]["symbol"] == "EURUSD" and status["request"]["volume"] > 0
    history = {o.ticket: o.state for o in server.exchange.accounts[1001].terminal.history_orders}
    assert {int(o): history[int(o)] for o in expected} == {int(o): s for o, (s, _, _) in expected.items()}
    assert trader.executions == [] and trader.get_pending_orders() == []
    trader.shutdown_mt5()


def history_states(trader: Trader) -> dict[str, int]:
    """``get_history_orders`` of the live account: order id -> state."""
    return {str(o["ticket"]): o["state"] for o in trader.get_history_orders({"backtest_toggle": False})}


def test_orders_that_ended_while_away_are_history_not_pushed_at_the_next_login(start_server):
    server = start_server()
    before_first_login = other_program(server.port)  # history from before MAS ever ran is not news
    tick = before_first_login.symbol_info_tick("EURUSD")
    old = before_first_login.order_send({"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1,
                                         "type": c.ORDER_TYPE_BUY_LIMIT, "price": round(tick.ask - 0.05, 5)})
    cancel(before_first_login, old.order)
    before_first_login.shutdown()

    first = Trader()
    assert first.login(sim_login(server.port))
    away, still_active = pending(first, "buy_limit", -0.05), pending(first, "buy_limit", -0.06)
    assert poll_more(first) == [0, 0, 0]
    first.shutdown_mt5()
    assert first.statuses and not ended(first, away) and not ended(first, str(old.order))

    other = other_program(server.port)
    cancel(other, int(away))  # while no program runs

    second = Trader()
    assert second.login(sim_login(server.port))
    assert poll_more(second) == [0, 0, 0]
    assert second.statuses == []  # ended before this login: history
    assert {o: history_states(second).get(o) for o in (away, str(old.order))} == \
        {away: c.ORDER_STATE_CANCELED, str(old.order): c.ORDER_STATE_CANCELED}
    cancel(other, int(still_active))  # active at the login, ends while the program runs: news
    other.shutdown()
    assert wait_until(lambda: ended(second, still_active))
    assert poll_more(second) == [0, 0, 0]
    assert [(o, s["state"]) for o, s in second.statuses] == [(still_active, c.ORDER_STATE_CANCELED)]
    second.shutdown_mt5()

    third = Trader()  # a restart pushes nothing again
    assert third.login(sim_login(server.port))
    assert poll_more(third) == [0, 0, 0]
    assert third.statuses == []
    third.shutdown_mt5()


def test_an_old_pending_order_cancelled_later_is_pushed_once(start_server):
    """Orders set up long before the history window the poller reads each time are still found, also
    when they were set up before the login; the old ones that ended while away are not pushed."""
    server = start_server(speed=3600 * 100)  # the poller's 2-day margin passes in half a second
    trader = Trader()
    assert trader.login(sim_login(server.port))
    old_in_session, old_while_away, old_at_login = (pending(trader, "buy_limit", -0.05 - i / 100) for i in range(3))
    time.sleep(1.5)  # about six market days
    assert trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert wait_until(lambda: trader.executions)  # the history the poller reads now starts days after the orders
    other = other_program(server.port)
    cancel(other, int(old_in_session))
    assert wait_until(lambda: ended(trader, old_in_session))
    assert poll_more(trader) == [0, 0, 0]
    trader.shutdown_mt5()
    time.sleep(1.5)
    cancel(other, int(old_while_away))

    again = Trader()
    assert again.login(sim_login(server.port))
    assert poll_more(again) == [0, 0, 0] and again.statuses == []
    assert history_states(again)[old_while_away] == c.ORDER_STATE_CANCELED
    cancel(other, int(old_at_login))  # set up days before this login, still active at it
    other.shutdown()
    assert wait_until(lambda: ended(again, old_at_login))
    assert poll_more(again) == [0, 0, 0]
    assert len(ended(trader, old_in_session)) == 1 and [o for o, _ in again.statuses] == [old_at_login]
    again.shutdown_mt5()


WATCHER = """
import json, os, sys, time
import mas
from mas.client import state_of

port, ready = int(sys.argv[1]), sys.argv[2]
ENDED = (2, 4, 5)  # canceled, rejected, expired


class Watcher(mas.MAS):
    def __init__(self):
        super().__init__()
        self.ended = []

    def receive_order_status(self, order_id, status_data):
        if status_data["state"] in ENDED:
            self.ended.append([order_id, status_data["state"]])


client = Watcher()
assert client.login({"account": 1001, "password": "demo-pass", "server": "MAS-Sim",
                     "terminal": f"sim://127.0.0.1:{port}", "timeout": 3000}), client.last_error()
open(ready, "w").close()
for _ in range(1000):  # at most 20 s for the first ended order
    if client.ended:
        break
    time.sleep(0.02)
poller = state_of(client).live.deal_poller
more = [poller.poll_ended_orders() for _ in range(3)]
print(json.dumps({"ended": client.ended, "more": more}))
client.shutdown_mt5()
"""


def test_two_processes_and_two_clients_on_one_account_each_get_a_cancellation_once(start_server, tmp_path):
    server = start_server()
    ready = tmp_path / "watcher.ready"
    watcher = subprocess.Popen([sys.executable, "-c", WATCHER, str(server.port), str(ready)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        trader, second = Trader(), Trader()  # two clients in this process, each with its own poller
        assert trader.login(sim_login(server.port)) and second.login(sim_login(server.port))
        assert wait_until(ready.exists, timeout=30), watcher.stderr.read() if watcher.poll() is not None else ""
        order = pending(trader, "buy_limit", -0.05)
        assert trader.cancel_order({"order_id": order}) is True
        out, err = watcher.communicate(timeout=60)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait(timeout=10)
    assert watcher.returncode == 0, err
    assert json.loads(out) == {"ended": [[order, c.ORDER_STATE_CANCELED]], "more": [0, 0, 0]}
    for client in (trader, second):
        assert wait_until(lambda client=client: ended(client, order))
        assert poll_more(client) == [0, 0, 0]
        assert [s["state"] for s in ended(client, order)] == [c.ORDER_STATE_CANCELED]
        client.shutdown_mt5()


class RaisesOnEnds(Trader):
    """Records every status, and raises on each ended order."""

    def receive_order_status(self, order_id, status_data):
        super().receive_order_status(order_id, status_data)
        if status_data["state"] == c.ORDER_STATE_CANCELED:
            raise ValueError(f"cannot handle the end of {order_id}")


def test_a_callback_that_raises_on_an_ended_order_gets_it_once_and_later_ones_still_come(start_server):
    server = start_server()
    client = RaisesOnEnds()
    assert client.login(sim_login(server.port))
    first, second = pending(client, "buy_limit", -0.05), pending(client, "sell_limit", 0.05)
    other = other_program(server.port)
    cancel(other, int(first))
    assert wait_until(lambda: ended(client, first))
    assert poll_more(client) == [0, 0, 0]
    cancel(other, int(second))
    other.shutdown()
    assert wait_until(lambda: ended(client, second))
    assert poll_more(client) == [0, 0, 0]
    assert [(o, s["state"]) for o, s in client.statuses if s["state"] == c.ORDER_STATE_CANCELED] == \
        [(first, c.ORDER_STATE_CANCELED), (second, c.ORDER_STATE_CANCELED)]
    assert callback_errors(client) == 2
    client.shutdown_mt5()


OTHER_SENDER = """
import sys
from mas.live.journal import Journal, REJECTED

journal = Journal()
entry, _ = journal.claim(1001, "MAS-Sim", "their-order", "T1", {"action": 1})
journal.finish(entry, REJECTED, retcode=10019, order=int(sys.argv[1]))
"""


def test_only_rejections_answered_to_this_process_count_as_already_reported():
    journal = j.Journal()
    mine, _ = journal.claim(1001, "MAS-Sim", "my-order", "T0", {"action": 1})
    journal.finish(mine, j.REJECTED, retcode=c.TRADE_RETCODE_NO_MONEY, order=501)
    done = subprocess.run([sys.executable, "-c", OTHER_SENDER, "502"], capture_output=True, text=True,
                          env=dict(os.environ), timeout=60)
    assert done.returncode == 0, done.stderr
    assert {e.order_ticket: e.state for e in journal.entries(1001)} == {501: j.REJECTED, 502: j.REJECTED}
    assert journal.answered_rejections(1001, "MAS-Sim", [501, 502, 503]) == {501}
    assert journal.answered_rejections(1002, "MAS-Sim", [501]) == set()
    journal.close()


OLD_TABLES = """
CREATE TABLE deal_cursors (account INTEGER NOT NULL, server TEXT NOT NULL, last_deal INTEGER NOT NULL,
    last_time INTEGER NOT NULL, PRIMARY KEY (account, server));
CREATE TABLE order_watermarks (account INTEGER NOT NULL, server TEXT NOT NULL, setup_time INTEGER NOT NULL,
    PRIMARY KEY (account, server));
CREATE TABLE ended_orders (account INTEGER NOT NULL, server TEXT NOT NULL, ticket INTEGER NOT NULL,
    setup_time INTEGER NOT NULL, PRIMARY KEY (account, server, ticket));
INSERT INTO deal_cursors VALUES (1001, 'MAS-Sim', 999999, 2000000000);
INSERT INTO order_watermarks VALUES (1001, 'MAS-Sim', 2000000000);
INSERT INTO ended_orders VALUES (1001, 'MAS-Sim', 1, 0), (1001, 'MAS-Sim', 2, 0), (1001, 'MAS-Sim', 3, 0);
"""


def test_a_journal_file_with_the_tables_of_older_versions_opens_and_they_change_nothing(start_server):
    path = j.journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as db:
        db.executescript(OLD_TABLES)
    server = start_server()
    trader = Trader()
    assert trader.login(sim_login(server.port)), trader.last_error()
    order = pending(trader, "buy_limit", -0.05)  # a low ticket: the old ended_orders rows name it
    assert int(order) <= 3
    assert trader.cancel_order({"order_id": order}) is True
    assert wait_until(lambda: ended(trader, order))
    assert poll_more(trader) == [0, 0, 0]
    assert [s["state"] for s in ended(trader, order)] == [c.ORDER_STATE_CANCELED]
    trader.shutdown_mt5()
    with closing(sqlite3.connect(path)) as db:  # left as they were: an older version may still use the file
        assert db.execute("SELECT count(*) FROM ended_orders").fetchone() == (3,)
        assert db.execute("SELECT setup_time FROM order_watermarks").fetchone() == (2000000000,)
