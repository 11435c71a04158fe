"""The journal and ``client_order_id``: one order per id, across processes, crashes and lost answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from mas.live import journal as j
from mas.live.connect import open_terminal, parse_target
from mas.live.orders import order_tag, submit
from mas.live.sim_client import TerminalDisconnected
from mas.live.terminal import LiveTerminal
from mas.terminal import constants as c

from .conftest import sim_login

CHILD = """
import json, os, sys
import mas
from mas.live import journal

mode, port, cid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if mode == "crash":  # die right after the terminal accepted the order, before its outcome is journaled
    journal.Journal.finish = lambda *args, **kwargs: os._exit(17)
client = mas.MAS()
assert client.login({"account": 1001, "password": "demo-pass", "server": "MAS-Sim",
                     "terminal": f"sim://127.0.0.1:{port}", "timeout": 3000}), client.last_error()
order = client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False,
                           "client_order_id": cid})
print(json.dumps({"order": order, "positions": [p["ticket"] for p in client.get_positions()]}))
client.shutdown_mt5()
"""


def run_child(mode: str, port: int, cid: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, mode, str(port), cid], capture_output=True, text=True,
                          timeout=30, env=dict(os.environ))


def test_the_same_client_order_id_from_two_processes_is_one_order(start_server):
    server = start_server()
    first = run_child("normal", server.port, "strategy-7/entry-1")
    assert first.returncode == 0, first.stderr
    second = run_child("normal", server.port, "strategy-7/entry-1")
    assert second.returncode == 0, second.stderr
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["order"] == b["order"] is not None
    assert b["positions"] == [int(a["order"])]
    assert len(server.exchange.accounts[1001].terminal.positions) == 1
    (entry,) = j.Journal().entries()
    assert entry.state == j.DONE and entry.client_order_id == "strategy-7/entry-1"
    assert entry.request["comment"].startswith(order_tag("strategy-7/entry-1"))


def test_a_client_killed_after_sending_is_reconciled_not_resent(start_server):
    server = start_server()
    crashed = run_child("crash", server.port, "after-crash")
    assert crashed.returncode == 17, crashed.stderr
    (entry,) = j.Journal().entries()
    assert entry.state == j.PENDING  # sent, outcome never journaled
    positions = server.exchange.accounts[1001].terminal.positions
    assert len(positions) == 1

    again = run_child("normal", server.port, "after-crash")
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["order"] == str(next(iter(positions)))
    assert result["positions"] == [int(result["order"])]
    assert len(server.exchange.accounts[1001].terminal.positions) == 1
    (entry,) = j.Journal().entries()
    assert entry.state == j.DONE and entry.order_ticket == int(result["order"])


class LosesAnswers:
    """A sim terminal whose first ``order_send`` breaks the connection, before or after the server got it."""

    sends = 0

    def __init__(self, raw, after_server: bool) -> None:
        self.raw, self.after_server = raw, after_server

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def order_send(self, request):
        type(self).sends += 1
        if type(self).sends == 1:
            if self.after_server:
                self.raw.order_send(request)
            self.raw.close()
            raise TerminalDisconnected("connection reset")
        return self.raw.order_send(request)


def live_terminal(port: int, after_server: bool) -> LiveTerminal:
    params = sim_login(port)
    target = parse_target(params)

    def opener():
        raw = open_terminal(target, 1001, params["password"], "MAS-Sim", 3000)
        return LosesAnswers(raw, after_server)

    return LiveTerminal(opener, account=1001, server="MAS-Sim", kind="sim", backoff_s=(0.05, 0.2))


def market_request(terminal: LiveTerminal) -> dict:
    tick = terminal.symbol_info_tick("EURUSD")
    return {"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY, "volume": 0.1,
            "price": tick.ask, "type_filling": c.ORDER_FILLING_FOK, "type_time": c.ORDER_TIME_GTC, "comment": "x"}


def test_an_answer_lost_after_the_server_filled_is_found_not_resent(start_server):
    server = start_server()
    LosesAnswers.sends = 0
    terminal = live_terminal(server.port, after_server=True)
    result = submit(terminal, market_request(terminal), "lost-answer")
    assert result is not None and result.retcode == c.TRADE_RETCODE_DONE
    assert LosesAnswers.sends == 1 and terminal.reconnects == 1
    (position,) = server.exchange.accounts[1001].terminal.positions.values()
    assert result.order == position.ticket
    assert terminal.journal.find(1001, "MAS-Sim", "lost-answer").state == j.DONE
    terminal.shutdown()


def test_a_request_lost_before_the_server_got_it_is_sent_again_once(start_server):
    server = start_server()
    LosesAnswers.sends = 0
    terminal = live_terminal(server.port, after_server=False)
    result = submit(terminal, market_request(terminal), "lost-request")
    assert result is not None and result.retcode == c.TRADE_RETCODE_DONE
    assert LosesAnswers.sends == 2
    assert len(server.exchange.accounts[1001].terminal.positions) == 1
    again = submit(terminal, market_request(terminal), "lost-request")
    assert again.order == result.order and "already sent" in again.comment
    assert LosesAnswers.sends == 2 and len(server.exchange.accounts[1001].terminal.positions) == 1
    terminal.shutdown()


def test_every_live_request_is_journaled_before_and_after(start_server):
    server = start_server()
    from .test_live_trading import Trader

    trader = Trader()
    assert trader.login(sim_login(server.port))
    order_id = trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.013,
                              "backtest_toggle": False}) is None
    assert trader.modify_position_sltp({"position_id": order_id, "tp": 1.5, "backtest_toggle": False})
    states = [(e.request["action"], e.state, e.retcode) for e in j.Journal().entries()]
    assert states == [(c.TRADE_ACTION_DEAL, j.DONE, c.TRADE_RETCODE_DONE),
                      (c.TRADE_ACTION_DEAL, j.REJECTED, c.TRADE_RETCODE_INVALID_VOLUME),
                      (c.TRADE_ACTION_SLTP, j.DONE, c.TRADE_RETCODE_DONE)]
    trader.shutdown_mt5()


def test_no_journal_no_order(start_server, tmp_path, monkeypatch):
    server = start_server()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where MAS_HOME should be")
    monkeypatch.setenv("MAS_HOME", str(blocked))
    from .test_live_trading import Trader

    trader = Trader()
    assert trader.login(sim_login(server.port)) is True  # logging in needs no journal
    assert trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1,
                              "backtest_toggle": False}) is None
    assert "journal" in trader.last_error()[1]
    assert server.exchange.accounts[1001].terminal.positions == {}
    trader.shutdown_mt5()


def test_threads_that_ask_for_the_journal_at_once_share_one_connection():
    """The deal poller's thread and the strategy's thread may both be first to ask for the journal; two
    connections setting up the same file at once locked it ("database is locked", and no order sent)."""
    terminal = LiveTerminal(lambda: None, account=1001, server="MAS-Sim", kind="sim")
    start = threading.Barrier(8)
    opened: list[object] = []

    def ask() -> None:
        start.wait(timeout=10)
        opened.append(terminal.journal)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(opened) == 8 and len({id(journal) for journal in opened}) == 1
    opened[0].close()


def test_a_corrupt_symbol_file_refuses_the_order_and_sends_nothing(start_server, tmp_path, monkeypatch):
    """The suffix mapping lives in symbols.toml: when it cannot be read, which broker symbol is meant is unknown,
    so send_order answers None with the reason (it does not raise out of the strategy) and nothing is sent."""
    server = start_server()
    from mas.data.folders import mas_home

    from .test_live_trading import Trader

    mas_home().mkdir(parents=True, exist_ok=True)
    (mas_home() / "symbols.toml").write_text("[suffixes\n'*' = '.m'\n")
    trader = Trader()
    assert trader.login(sim_login(server.port)) is True
    assert trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1,
                              "backtest_toggle": False}) is None
    assert "symbol file" in trader.last_error()[1]
    assert server.exchange.accounts[1001].terminal.positions == {}
    trader.shutdown_mt5()
