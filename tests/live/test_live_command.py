"""``mas live``: a built-in strategy trades on the sim server and stops cleanly on SIGINT / SIGTERM."""

from __future__ import annotations

import re
import signal
import sys
import threading

import pytest
from typer.testing import CliRunner

from mas.app import load_strategy
from mas.cli import app
from mas.client import state_of
from mas.live.profiles import BrokerProfile, save_profile
from mas.live.runner import run_live

from .conftest import run_until_stopped, wait_until

LOGIN = 7101
PASSWORD = "Live-Run-Pa55-Topaz"
RSI_EVERY_BAR = ["--param", "period=2", "--param", "oversold=45", "--param", "overbought=55"]
USER_STRATEGY = """
from mas import MAS


class FirstBarBuyer(MAS):
    bought = False

    def receive_bars(self, symbol, data, is_end):
        if not self.bought:
            self.bought = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                           "backtest_toggle": self.backtest_toggle}) is not None
"""


def paper_profile(port: int) -> None:
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                               port=port, max_lots=1.0))


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_mas_live_trades_a_builtin_and_stops_cleanly(start_server, stop_signal):
    server = start_server()
    paper_profile(server.port)
    command = [sys.executable, "-m", "mas", "live", "rsi", "--profile", "paper", "--symbol", "eurusd",
               "--timeframe", "H1", "--interval-ms", "50", "--status-every", "0.3", *RSI_EVERY_BAR]

    def ready(lines: list[str]) -> None:
        assert wait_until(lambda: LOGIN in server.exchange.accounts, timeout=20), "".join(lines)
        account = server.exchange.accounts[LOGIN].terminal
        assert wait_until(lambda: len(account.deals) >= 2, timeout=20), "".join(lines)  # the deposit + a trade
        assert wait_until(lambda: sum("UTC  equity" in line for line in lines) >= 2, timeout=10), "".join(lines)

    out = run_until_stopped(command, ready, PASSWORD, stop_signal)
    lines = out.splitlines(keepends=True)
    assert "live: RSIStrategy on EURUSD H1, profile paper (account 7101 on MAS-Sim), risk guards: max_lots=1" in out
    final = next(line for line in lines if line.startswith("final: "))
    assert "equity" in final and "positions" in final and "last bar 2017-" in final
    assert "callback errors 0" in final
    assert out.rstrip().endswith("open positions and pending orders stay on the account")
    assert PASSWORD not in out
    deals = server.exchange.accounts[LOGIN].terminal.deals
    assert deals[1].comment.startswith("#")  # sent through the journal, as a live order


def test_mas_live_refuses_what_it_cannot_run(start_server, monkeypatch):
    runner = CliRunner()
    unknown = runner.invoke(app, ["live", "no-such-strategy", "--profile", "paper"])
    assert unknown.exit_code == 2 and "neither a built-in" in unknown.output
    no_profile = runner.invoke(app, ["live", "ma", "--profile", "paper"])
    assert no_profile.exit_code == 1 and "no broker profile 'paper'" in no_profile.output

    server = start_server()
    paper_profile(server.port)
    monkeypatch.setenv("MAS_PASSWORD_PAPER", PASSWORD)
    bad_symbol = runner.invoke(app, ["live", "ma", "--profile", "paper", "--symbol", "NOPE"])
    assert bad_symbol.exit_code == 1 and "NOPE is not offered by MAS-Sim" in bad_symbol.output
    assert server.exchange.accounts[LOGIN].terminal.deals[1:] == []


def test_a_strategy_file_trades_live_through_self_backtest_toggle(start_server, tmp_path, monkeypatch):
    server = start_server()
    paper_profile(server.port)
    monkeypatch.setenv("MAS_PASSWORD_PAPER", PASSWORD)
    path = tmp_path / "first_bar.py"
    path.write_text(USER_STRATEGY)
    strategy = load_strategy(str(path), {})
    threads_before = set(threading.enumerate())
    stop, lines = threading.Event(), []
    runner = threading.Thread(target=run_live, args=(strategy, "paper", "EURUSD", "H1", 50, 0.2, stop, lines.append))
    runner.start()
    try:
        assert wait_until(lambda: LOGIN in server.exchange.accounts and len(server.exchange.accounts[LOGIN].terminal
                                                                           .deals) >= 2, timeout=20), lines
    finally:
        stop.set()
        runner.join(timeout=15)
    assert not runner.is_alive() and strategy.bought and strategy.backtest_toggle is False
    assert any(line.startswith("final: ") and "positions 1" in line for line in lines), lines
    assert state_of(strategy).live.terminal is None
    assert not [t.name for t in set(threading.enumerate()) - threads_before if t.name.startswith("mas-")]


BROKEN_STRATEGY = """
from mas import MAS


class Broken(MAS):
    def receive_bars(self, symbol, data, is_end):
        raise ZeroDivisionError("a bug in the strategy")
"""


def test_a_raising_strategy_keeps_running_and_the_status_line_counts_its_errors(start_server, tmp_path,
                                                                                monkeypatch, caplog):
    server = start_server()
    paper_profile(server.port)
    monkeypatch.setenv("MAS_PASSWORD_PAPER", PASSWORD)
    path = tmp_path / "broken.py"
    path.write_text(BROKEN_STRATEGY)
    strategy = load_strategy(str(path), {})
    stop, lines = threading.Event(), []
    runner = threading.Thread(target=run_live, args=(strategy, "paper", "EURUSD", "H1", 20, 0.1, stop, lines.append),
                              kwargs={"warmup_bars": 0})
    runner.start()
    try:
        assert wait_until(lambda: any(re.search(r"bars [3-9]\d*  fills 0  callback errors [1-9]", line)
                                      for line in list(lines)), timeout=20), lines
    finally:
        stop.set()
        runner.join(timeout=15)
    assert not runner.is_alive()
    final = next(line for line in lines if line.startswith("final: "))
    bars, errors = (int(x) for x in re.search(r"bars (\d+)  fills 0  callback errors (\d+)", final).groups())
    assert bars >= 3 and errors == bars  # every bar reached the strategy once, and each error was counted
    assert caplog.text.count("ZeroDivisionError: a bug in the strategy") == errors
