"""Live trading under faults: callbacks that raise, orders sent at the same moment, programs that exit at once.

Every test runs against a sim server on 127.0.0.1. "Nothing more is pushed" is checked by running
the fill poller's own poll a few times in the test's thread (deterministic), not by sleeping.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter

import pytest

import mas
from mas.live import journal as j
from mas.live import profiles as pr
from mas.live.runner import LiveTally, callback_errors, status_line
from mas.terminal import constants as c

from .conftest import other_program, poll_more, sim_login, wait_until

BUY = {"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False}
SELL = {**BUY, "order_type": "sell"}
GUARDED = 6101


def trade_deals(server, account: int = 1001) -> list:
    return [d for d in server.exchange.accounts[account].terminal.deals if d.type in (c.DEAL_TYPE_BUY,
                                                                                     c.DEAL_TYPE_SELL)]




# ---------------------------------------------------------------------- callbacks that raise
class Hedger(mas):
    """Hedges every buy fill with a sell, then raises."""

    def __init__(self) -> None:
        super().__init__()
        self.executions: list[dict] = []

    def receive_order_execution(self, order_id, execution_data):
        self.executions.append(execution_data)
        if execution_data["type"] == "buy":
            self.send_order(SELL)
            raise RuntimeError("the strategy failed after sending its hedge")


def test_a_handler_that_raises_after_sending_a_hedge_sends_exactly_one_hedge(start_server, caplog):
    server = start_server()
    hedger = Hedger()
    assert hedger.login(sim_login(server.port))
    assert hedger.send_order(BUY) is not None
    assert poll_more(hedger) == [0, 0, 0]
    assert [d.type for d in trade_deals(server)] == [c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL]
    assert Counter(e["deal"] for e in hedger.executions) == Counter(d.ticket for d in trade_deals(server))
    assert callback_errors(hedger) == 1
    assert "the strategy failed after sending its hedge" in caplog.text and "Traceback" in caplog.text
    hedger.shutdown_mt5()


class AlwaysRaises(mas):
    """Records every execution and ended-order status, and raises on each."""

    def __init__(self) -> None:
        super().__init__()
        self.deals: list[int] = []
        self.ended: list[str] = []

    def receive_order_execution(self, order_id, execution_data):
        self.deals.append(execution_data["deal"])
        raise ValueError(f"cannot handle deal {execution_data['deal']}")

    def receive_order_status(self, order_id, status_data):
        if status_data["state"] == c.ORDER_STATE_CANCELED:
            self.ended.append(order_id)
            raise ValueError(f"cannot handle the end of {order_id}")


def test_an_always_raising_handler_gets_each_deal_once_and_later_deals_still_come(start_server):
    server = start_server()
    client = AlwaysRaises()
    assert client.login(sim_login(server.port))
    poll_more(client, 1)  # the account's first look at its ended orders is done: what ends from now on is news
    assert client.send_order(BUY) is not None
    assert client.send_order(BUY) is not None
    other = other_program(server.port)  # deals the server makes for another program reach the poller only
    tick = other.symbol_info_tick("EURUSD")
    for _ in range(2):
        assert other.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_SELL,
                                 "volume": 0.1, "price": tick.bid}).retcode == c.TRADE_RETCODE_DONE
    placed = other.order_send({"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1,
                               "type": c.ORDER_TYPE_BUY_LIMIT, "price": round(tick.ask - 0.05, 5)})
    assert other.order_send({"action": c.TRADE_ACTION_REMOVE, "order": placed.order}).retcode == \
        c.TRADE_RETCODE_DONE
    other.shutdown()

    assert wait_until(lambda: len(client.deals) == 4 and client.ended)
    assert poll_more(client) == [0, 0, 0]
    assert client.deals == [d.ticket for d in trade_deals(server)]  # each once, in order
    assert client.ended == [str(placed.order)]
    assert callback_errors(client) == 5
    assert "callback errors 5" in status_line(client, LiveTally())  # what `mas live` prints
    client.shutdown_mt5()


def test_a_raising_bar_callback_is_counted_and_the_feed_goes_on(start_server):
    server = start_server(speed=3600 * 100)

    class BadBars(mas):
        def __init__(self) -> None:
            super().__init__()
            self.times: list = []

        def receive_bars(self, symbol, data, is_end):
            self.times.append(data["time"])
            raise KeyError("no such indicator")

    client = BadBars()
    assert client.login(sim_login(server.port))
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "interval_ms": 20, "backtest_toggle": False})
    assert wait_until(lambda: len(client.times) >= 4, timeout=15)
    client.stop_all_subscriptions()
    assert len(set(client.times)) == len(client.times) and client.times == sorted(client.times)
    assert callback_errors(client) == len(client.times)
    client.shutdown_mt5()


# ---------------------------------------------------------------------- risk guards under concurrency
def guarded_profile(port: int, max_positions: int = 2) -> None:
    pr.save_profile(pr.BrokerProfile(name="guarded", terminal="sim", server="MAS-Sim", login=GUARDED,
                                     host="127.0.0.1", port=port, max_positions=max_positions))


@pytest.fixture
def guarded_env(monkeypatch):
    monkeypatch.setenv("MAS_PASSWORD_GUARDED", "guarded-pass")


SENDER = """
import json, os, sys, threading, time
import mas

go, count = sys.argv[1], int(sys.argv[2])
client = mas.MAS()
assert client.login({"profile": "guarded"}), client.last_error()
open(go + ".ready-" + str(os.getpid()), "w").close()
for _ in range(2000):  # at most 20 s
    if os.path.exists(go):
        break
    time.sleep(0.01)
results = [None] * count
def send(i):
    results[i] = client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1,
                                    "backtest_toggle": False})
threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"sent": [r for r in results if r is not None], "error": client.last_error()[1]}))
client.shutdown_mt5()
"""


def test_six_opening_orders_from_two_processes_make_exactly_max_positions(start_server, guarded_env, tmp_path):
    server = start_server()
    guarded_profile(server.port)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", SENDER, str(go), "3"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=dict(os.environ)) for _ in range(2)]
    try:
        assert wait_until(lambda: len(list(tmp_path.glob("go.ready-*"))) == 2, timeout=30)
        go.touch()
        outs = [proc.communicate(timeout=60) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert all(proc.returncode == 0 for proc in procs), [err for _, err in outs]
    answers = [json.loads(out) for out, _ in outs]
    sent = [ticket for answer in answers for ticket in answer["sent"]]
    positions = server.exchange.accounts[GUARDED].terminal.positions
    assert len(positions) == 2 and sorted(int(t) for t in sent) == sorted(positions)
    assert any("max_positions" in answer["error"] for answer in answers)
    refused = [e for e in j.Journal().entries(GUARDED) if e.state == j.REFUSED]
    assert len(refused) == 4 and all("the limit is 2" in e.comment for e in refused)


def test_four_threads_at_once_make_exactly_max_positions_and_reservations_settle(start_server, guarded_env):
    server = start_server()
    guarded_profile(server.port)
    client = mas.MAS()
    assert client.login({"profile": "guarded"}), client.last_error()
    start = threading.Barrier(4)
    results: list = []

    def send() -> None:
        start.wait(timeout=10)
        results.append(client.send_order(BUY))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    positions = server.exchange.accounts[GUARDED].terminal.positions
    assert len(positions) == 2 and sorted(int(r) for r in results if r is not None) == sorted(positions)
    assert results.count(None) == 2

    # an accepted order's reservation lasts until the server shows it; then only the server's count holds
    journal = j.Journal()
    assert {r.order_ticket for r in journal.reservations(GUARDED, "MAS-Sim")} <= set(positions)
    assert client.send_order(BUY) is None and "the limit is 2" in client.last_error()[1]
    assert journal.reservations(GUARDED, "MAS-Sim") == []
    # a position closed makes room again
    first = min(positions)
    assert client.send_order({**SELL, "position": first}) is not None
    assert client.send_order(BUY) is not None
    assert len(positions) == 2
    client.shutdown_mt5()


def test_a_rejected_order_and_a_dead_process_release_their_reservations(start_server, guarded_env, tmp_path):
    server = start_server()
    guarded_profile(server.port, max_positions=1)
    client = mas.MAS()
    assert client.login({"profile": "guarded"}), client.last_error()
    assert client.send_order({**BUY, "volume": 90.0}) is None  # no margin for it: the server rejects it
    assert j.Journal().reservations(GUARDED, "MAS-Sim") == []

    # a process that reserved and died before sending: its reservation does not block the account
    code = (f"from mas.live.journal import Journal; Journal().reserve({GUARDED}, 'MAS-Sim', '#deadbeef0000', "
            f"'EURUSD')")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30, env=dict(os.environ))
    (dead,) = j.Journal().reservations(GUARDED, "MAS-Sim")
    assert not j.owner_alive(dead.owner)
    assert client.send_order(BUY) is not None, client.last_error()
    assert len(server.exchange.accounts[GUARDED].terminal.positions) == 1

    # while this process holds a reservation whose order the server does not show, it counts
    client.send_order({**SELL, "position": next(iter(server.exchange.accounts[GUARDED].terminal.positions))})
    j.Journal().reserve(GUARDED, "MAS-Sim", "#0123456789ab", "EURUSD")
    assert client.send_order(BUY) is None
    assert "1 open positions and pending orders already (with 1 order(s) on their way" in client.last_error()[1]
    client.shutdown_mt5()


# ---------------------------------------------------------------------- own fills, and history is not news
PROGRAM = """
import json, os, sys
import mas
from mas.client import state_of

class Program(mas):
    def __init__(self):
        super().__init__()
        self.deals = []

    def receive_order_execution(self, order_id, execution_data):
        self.deals.append(execution_data["deal"])

mode, port = sys.argv[1], int(sys.argv[2])
program = Program()
assert program.login({"account": 1001, "password": "demo-pass", "server": "MAS-Sim",
                      "terminal": f"sim://127.0.0.1:{port}", "timeout": 3000}), program.last_error()
if mode == "send-and-exit":
    order = program.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    print(json.dumps({"order": order, "deals": program.deals}), flush=True)
    os._exit(0)  # gone at once: nothing else runs in this process
poller = state_of(program).live.deal_poller
pushed = [poller.poll() for _ in range(3)]
before = list(program.deals)
order = program.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.1, "backtest_toggle": False})
pushed += [poller.poll() for _ in range(3)]
program.shutdown_mt5()
print(json.dumps({"order": order, "before": before, "deals": program.deals, "pushed": pushed}), flush=True)
"""


def run_program(mode: str, port: int) -> dict:
    done = subprocess.run([sys.executable, "-c", PROGRAM, mode, str(port)], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_send_and_exit_program_sees_its_own_fill_once_and_a_later_one_does_not(start_server):
    server = start_server()
    first = run_program("send-and-exit", server.port)
    (buy,) = trade_deals(server)
    assert first["deals"] == [buy.ticket] and int(first["order"]) == buy.order

    second = run_program("later", server.port)
    assert second["before"] == [] and second["pushed"] == [0] * 6  # the first program's fill is history
    (_, sell) = trade_deals(server)
    assert second["deals"] == [sell.ticket] and int(second["order"]) == sell.order


def test_own_fills_are_pushed_once_even_with_the_background_poller_racing(start_server):
    server = start_server()
    client = AlwaysRaises()
    assert client.login(sim_login(server.port, poll_ms=10))
    orders = [client.send_order(BUY) for _ in range(10)]
    assert None not in orders
    assert poll_more(client) == [0, 0, 0]
    assert client.deals == [d.ticket for d in trade_deals(server)]
    client.shutdown_mt5()


def test_status_line_shows_zero_errors_for_a_quiet_strategy(start_server):
    server = start_server()
    client = mas.MAS()
    assert client.login(sim_login(server.port))
    assert "callback errors 0" in status_line(client, LiveTally())
    client.shutdown_mt5()


def test_the_journal_is_readable_by_its_owner_only(tmp_path):
    import stat

    from mas.live.journal import Journal

    path = tmp_path / "new" / "journal.sqlite"
    journal = Journal(path)
    journal.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.chmod(0o644)
    Journal(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_order_filled_while_the_guard_counts_is_counted_once(tmp_path):
    """The reserved order fills between the guard's reads: the history shows it ended, the positions show it
    open. Read positions first and the history second, and neither counted it (a third position slipped
    through the 2-position limit once in a loaded run); the guard reads the history first."""
    from types import SimpleNamespace

    from mas.live.guards import RiskGuards

    class FillingTerminal:
        """One position open; the reserved order (ticket 7) fills at the moment its history is read."""

        def __init__(self, journal):
            self.journal, self.account, self.server = journal, 1, "MAS-Sim"
            self.positions = [SimpleNamespace(ticket=3, identifier=3, comment="first", symbol="EURUSD", type=0,
                                              volume=0.1)]

        def account_info(self):
            return SimpleNamespace(margin_mode=c.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING, equity=10_000.0)

        def positions_get(self, **_):
            return tuple(self.positions)

        def orders_get(self, **_):
            return ()

        def history_orders_get(self, ticket=None, **_):
            if ticket == 7 and all(p.ticket != 7 for p in self.positions):
                self.positions.append(SimpleNamespace(ticket=7, identifier=7, comment="other", symbol="EURUSD",
                                                      type=0, volume=0.1))
            return (SimpleNamespace(ticket=7),) if ticket == 7 else ()

    journal = j.Journal(tmp_path / "journal.sqlite")
    terminal = FillingTerminal(journal)
    held = journal.reserve(1, "MAS-Sim", "tag-of-second", "EURUSD")
    journal.set_reservation_order(held, 7)  # the second order was accepted and is filling right now
    guards = RiskGuards(max_positions=2)
    request = {"action": c.TRADE_ACTION_DEAL, "type": c.ORDER_TYPE_BUY, "symbol": "EURUSD", "volume": 0.1}
    why, reserved = guards.admit(terminal, request, "tag-of-third")
    assert reserved is None and why is not None and "2 open positions and pending orders already" in why
    assert journal.reservations(1, "MAS-Sim") == []  # the filled order's reservation is settled
    journal.close()
