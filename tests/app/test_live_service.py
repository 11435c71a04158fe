"""``start_live`` driven as the web app drives it: a run in a thread of its own against a sim server on
127.0.0.1, stopped from outside; and what it refuses before anything connects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from live.conftest import wait_until
from mas.app import LiveRunError, start_live
from mas.live.profiles import BrokerProfile, save_profile
from mas.live.simserver import ReplaySpec, SimExchange, SimServer

LOGIN = 7102
PASSWORD = "App-Live-Pa55-Garnet"
RSI_EVERY_BAR = {"period": 2, "oversold": 45, "overbought": 55}




@pytest.fixture
def server() -> Iterator[SimServer]:
    """A sim server replaying 20 H1 bars a second from 2017-01-02, with a paper profile on it."""
    exchange = SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=3600 * 20, capital=10_000.0,
                                      allow_new_accounts=True), None)
    running = SimServer(exchange, port=0).start()
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                               port=running.port, max_lots=1.0))
    yield running
    running.stop()


def test_a_live_run_trades_in_its_own_thread_until_it_is_stopped(server, monkeypatch):
    monkeypatch.setenv("MAS_PASSWORD_PAPER", PASSWORD)
    run = start_live("rsi", "paper", symbol="eurusd", timeframe="h1", strategy_params=RSI_EVERY_BAR,
                     interval_ms=50, status_every=0.2, warmup_bars=5)
    assert (run.symbol, run.timeframe, run.notes) == ("EURUSD", "H1", [])
    echoed: list[str] = []
    run.start(echoed.append)
    try:
        assert wait_until(lambda: LOGIN in server.exchange.accounts, timeout=20), list(run.lines)
        account = server.exchange.accounts[LOGIN].terminal
        assert wait_until(lambda: len(account.deals) >= 2, timeout=20), list(run.lines)  # the deposit + a trade
        assert wait_until(lambda: sum("UTC  equity" in line for line in run.lines) >= 2, timeout=20), list(run.lines)
        assert run.running
    finally:
        run.stop()
    assert run.wait(30) and not run.running
    lines = list(run.lines)
    assert lines == echoed
    assert lines[0].startswith("live: RSIStrategy on EURUSD H1, profile paper (account 7102 on MAS-Sim)")
    assert any(line.startswith("final: ") and "callback errors 0" in line for line in lines)
    assert lines[-1].endswith("open positions and pending orders stay on the account")
    with pytest.raises(RuntimeError, match="already been started"):
        run.start()


def test_a_run_that_cannot_log_in_ends_with_the_reason(monkeypatch):
    save_profile(BrokerProfile(name="nowhere", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                               port=1))  # nothing listens on port 1
    monkeypatch.setenv("MAS_PASSWORD_NOWHERE", PASSWORD)
    run = start_live("ma", "nowhere", warmup_bars=0)
    run.start()
    assert wait_until(lambda: not run.running, timeout=20)
    with pytest.raises(LiveRunError, match="login with profile nowhere failed"):
        run.wait(10)


def test_what_start_live_refuses_before_connecting(tmp_path):
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                               port=1))
    with pytest.raises(ValueError, match=r"--profile: no broker profile 'papper' .*did you mean 'paper'\?"):
        start_live("ma", "papper")
    with pytest.raises(ValueError, match="H7"):
        start_live("ma", "paper", timeframe="H7")
    with pytest.raises(ValueError, match="did you mean 'rsi'"):
        start_live("rsii", "paper")
    fixed = tmp_path / "fixed.py"
    fixed.write_text("from mas import MAS\n\n\nclass Fixed(MAS):\n    def receive_bars(self, symbol, data, is_end):\n"
                     "        self.send_order({'symbol': symbol, 'order_type': 'buy', 'volume': 0.1, "
                     "'backtest_toggle': True})\n")
    run = start_live(str(fixed), "paper")
    assert len(run.notes) == 1 and run.notes[0].startswith("Fixed sends orders with 'backtest_toggle': True")
    assert not run.running and run.wait(0)  # prepared, never started: nothing connected
