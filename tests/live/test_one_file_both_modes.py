"""One strategy file for backtest and live, and the data a backtest needs fetched from the terminal
it is logged in to (as the original SDK does)."""

from __future__ import annotations

import threading

import numpy as np
from typer.testing import CliRunner

import mas
from mas.app import load_strategy
from mas.cli import app
from mas.data.store import MissingDataError, load_bars, save_bars
from mas.live.profiles import BrokerProfile, save_profile
from mas.live.runner import run_live

from .conftest import wait_until

LOGIN = 7301
PASSWORD = "Both-Modes-Pa55-Jade"
STRATEGY = """
import mas


class EveryTenBars(mas):
    def __init__(self):
        super().__init__()
        self.bars, self.order_id, self.sent = 0, None, []

    def receive_bars(self, symbol, data, is_end):
        self.bars += 1
        if self.bars % 10 == 1 and not is_end:
            if self.order_id is None:
                self.order_id = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                                 "backtest_toggle": self.backtest_toggle})
                self.sent.append(("buy", self.backtest_toggle, self.order_id))
            else:
                closed = self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1,
                                          "order_id": self.order_id, "backtest_toggle": self.backtest_toggle})
                self.sent.append(("sell", self.backtest_toggle, closed))
                self.order_id = None
"""


def test_the_same_file_backtests_with_mas_backtest_and_trades_with_mas_live(start_server, tmp_path, monkeypatch):
    path = tmp_path / "every_ten.py"
    path.write_text(STRATEGY)
    backtest = CliRunner().invoke(app, ["backtest", str(path), "--symbol", "EURUSD", "--timeframe", "H1",
                                        "--from", "2017-01-02", "--to", "2017-01-31"])
    assert backtest.exit_code == 0, backtest.output
    assert "trades" in backtest.output.lower()
    # constructed directly: the documented default is the backtest
    direct = load_strategy(str(path), {})
    assert direct.backtest_toggle is True
    direct.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-31",
                           "backtest_toggle": True})
    assert len(direct.backtest_result.closed_trades) > 10

    server = start_server()
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                               port=server.port, max_lots=1.0))
    monkeypatch.setenv("MAS_PASSWORD_PAPER", PASSWORD)
    live = load_strategy(str(path), {})
    stop, lines = threading.Event(), []
    runner = threading.Thread(target=run_live, args=(live, "paper", "EURUSD", "H1", 50, 0.2, stop, lines.append))
    runner.start()
    try:
        assert wait_until(lambda: LOGIN in server.exchange.accounts
                          and len(server.exchange.accounts[LOGIN].terminal.deals) >= 3, timeout=30), lines
    finally:
        stop.set()
        runner.join(timeout=15)
    assert live.backtest_toggle is False
    assert live.sent and all(toggle is False and answer is not None for _, toggle, answer in live.sent[:2])


def test_a_logged_in_backtest_fetches_missing_bars_from_the_terminal(start_server, tmp_path, monkeypatch):
    # the broker's terminal has GBPUSD (here: made from the sample's bars); the local store has none
    eurusd = load_bars("EURUSD", "H1", None, None).rates.copy()
    gbpusd = eurusd.copy()
    for column in ("open", "high", "low", "close"):
        gbpusd[column] = np.round(eurusd[column] * 1.18, 5)
    server_home = tmp_path / "server_home"
    monkeypatch.setenv("MAS_HOME", str(server_home))
    save_bars("GBPUSD", "H1", gbpusd, price_side="bid", has_spread=True)
    from mas.live.simserver import ReplaySpec, SimExchange, SimServer

    exchange = SimExchange(ReplaySpec(symbol="GBPUSD", start=gbpusd_start(gbpusd), speed=3600 * 2000,
                                      allow_new_accounts=True), None)
    server = SimServer(exchange).start()
    try:
        assert wait_until(lambda: exchange.cursor > 24 * 10, timeout=20)
        monkeypatch.setenv("MAS_HOME", str(tmp_path / "client_home"))
        try:
            load_bars("GBPUSD", "H1", None, None)
            raise AssertionError("the client's store should have no GBPUSD")
        except MissingDataError:
            pass
        client = mas.MAS()
        assert client.login({"account": LOGIN, "password": PASSWORD, "server": "MAS-Sim",
                             "terminal": f"sim://127.0.0.1:{server.port}"}), client.last_error()
        client.subscribe_bars({"symbol": "GBPUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-06",
                               "backtest_toggle": True})
        client.shutdown_mt5()
        replayed = client.backtest_result.bars["GBPUSD"]
        expected = gbpusd[(gbpusd["time"] >= replayed["time"][0]) & (gbpusd["time"] <= replayed["time"][-1])]
        assert len(replayed) == len(expected) > 80
        np.testing.assert_allclose(replayed["close"], expected["close"])
        assert len(load_bars("GBPUSD", "H1", None, None).rates) >= len(replayed)  # stored for the next run
    finally:
        server.stop()


def gbpusd_start(rates: np.ndarray):
    from datetime import datetime, timedelta

    return datetime(1970, 1, 1) + timedelta(seconds=int(rates["time"][0]))


def test_mas_live_warns_about_orders_hard_coded_to_the_backtest(tmp_path):
    from mas.app.live import sends_backtest_orders as _sends_backtest_orders

    both = tmp_path / "both.py"
    both.write_text(STRATEGY)
    fixed = tmp_path / "fixed.py"
    fixed.write_text(STRATEGY.replace('"backtest_toggle": self.backtest_toggle', '"backtest_toggle":True'))
    assert not _sends_backtest_orders(str(both)) and not _sends_backtest_orders("rsi")
    assert _sends_backtest_orders(str(fixed))
