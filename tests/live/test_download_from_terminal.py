"""`mas data download --source mt5`: history copied from a terminal (the simulated MT5 server)."""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from mas.cli import app
from mas.data.store import load_bars
from mas.data.tick_store import load_ticks
from mas.live.profiles import BrokerProfile, save_profile

from .conftest import wait_until

runner = CliRunner()


def test_bars_and_ticks_come_from_the_terminal(start_server, monkeypatch):
    server = start_server(speed=3600 * 400)  # 400 H1 bars a second
    assert wait_until(lambda: server.exchange.cursor > 60, timeout=10)
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=5001, host="127.0.0.1",
                               port=server.port))
    monkeypatch.setenv("MAS_PASSWORD_PAPER", "s3cret-pass")
    result = runner.invoke(app, ["data", "download", "EURUSD", "--source", "mt5", "--profile", "paper",
                                 "--timeframe", "H1", "--from", "2017-01-02", "--to", "2017-01-03"])
    assert result.exit_code == 0, result.output
    assert "s3cret-pass" not in result.output
    stored = load_bars("EURUSD", "H1", None, None)
    assert stored.source != "bundled sample" and stored.has_spread and stored.price_side == "bid"
    # the server replays the bundled sample: what it served is the sample's bars of those days (as bids)
    assert 40 <= len(stored) <= 48
    assert stored.rates["time"][0] >= np.datetime64("2017-01-02").astype("datetime64[s]").astype(np.int64)
    result = runner.invoke(app, ["data", "download", "EURUSD", "--source", "mt5", "--profile", "paper", "--ticks",
                                 "--from", "2017-01-02", "--to", "2017-01-02"])
    assert result.exit_code == 0, result.output
    ticks = load_ticks("EURUSD")
    assert ticks.size > 10 and np.all(ticks["ask"] >= ticks["bid"])


def test_download_from_mt5_needs_a_profile_and_a_password(monkeypatch):
    result = runner.invoke(app, ["data", "download", "EURUSD", "--source", "mt5", "--from", "2017-01-02",
                                 "--to", "2017-01-03"])
    assert result.exit_code == 2 and "--profile" in result.output
    save_profile(BrokerProfile(name="nopass", terminal="sim", server="S", login=1, host="127.0.0.1", port=1))
    result = runner.invoke(app, ["data", "download", "EURUSD", "--source", "mt5", "--profile", "nopass",
                                 "--from", "2017-01-02", "--to", "2017-01-03"])
    assert result.exit_code == 2 and "MAS_PASSWORD_NOPASS" in result.output
