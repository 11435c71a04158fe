"""Broker profiles, password sources, ``mas broker``, and the password never leaving memory."""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mas
from mas.cli.broker import broker_app
from mas.client import state_of
from mas.live import profiles as pr

from .conftest import wait_until

SECRET = "S3cret-Pa55-Quartz-9"
WRONG = "Wr0ng-Pa55-Onyx-4"


def test_profiles_round_trip_atomically_without_passwords(tmp_path):
    path = tmp_path / "brokers.toml"
    odd = pr.BrokerProfile(name="ic.markets-1", terminal="mt5", server='IC "Live" \\ 3', login=555,
                           path="C:\\Program Files\\MT5\\terminal64.exe")
    pr.save_profile(odd, path)
    pr.save_profile(pr.BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=1, host="127.0.0.1",
                                     port=18812), path)
    assert pr.load_profiles(path) == {"ic.markets-1": odd, "paper": pr.load_profiles(path)["paper"]}
    assert pr.load_profiles(path)["paper"].port == 18812
    assert "password =" not in path.read_text() and sorted(p.name for p in tmp_path.iterdir()) == ["brokers.toml"]
    assert pr.remove_profile("paper", path) and list(pr.load_profiles(path)) == ["ic.markets-1"]
    path.write_text('[x]\nterminal = "sim"\npassword = "oops"\n')
    with pytest.raises(pr.ProfileError, match="MAS_PASSWORD_X") as info:
        pr.load_profiles(path)
    assert "oops" not in str(info.value)
    with pytest.raises(pr.ProfileError, match="terminal"):
        pr.BrokerProfile(name="y", terminal="telnet")


def test_password_sources_in_order(monkeypatch):
    store: dict[tuple[str, str], str] = {}
    fake = types.SimpleNamespace(get_password=lambda service, name: store.get((service, name)),
                                 set_password=lambda service, name, value: store.__setitem__((service, name), value))
    monkeypatch.setitem(sys.modules, "keyring", fake)
    assert pr.resolve_password("live-1") == (None, "none")
    pr.store_keyring_password("live-1", "from-keyring")
    assert pr.resolve_password("live-1") == ("from-keyring", "keyring")
    monkeypatch.setenv("MAS_PASSWORD_LIVE_1", "from-env")
    assert pr.resolve_password("live-1") == ("from-env", "environment")
    assert pr.resolve_password("live-1", "from-call") == ("from-call", "call")
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    monkeypatch.delenv("MAS_PASSWORD_LIVE_1")
    assert pr.resolve_password("live-1") == (None, "none")


def test_login_by_profile_and_the_password_is_never_written(start_server, tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    state = tmp_path / "server-state.sqlite"
    server = start_server(state=state)
    pr.save_profile(pr.BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=31337, host="127.0.0.1",
                                     port=server.port))
    pr.save_profile(pr.BrokerProfile(name="paper-bad", terminal="sim", server="MAS-Sim", login=31337,
                                     host="127.0.0.1", port=server.port))
    client = mas.MAS()
    assert client.login({"profile": "paper"}) is False
    assert "MAS_PASSWORD_PAPER" in client.last_error()[1]

    monkeypatch.setenv("MAS_PASSWORD_PAPER", SECRET)
    monkeypatch.setenv("MAS_PASSWORD_PAPER_BAD", WRONG)
    assert client.login({"profile": "paper"}) is True, client.last_error()
    assert client.get_account_info()["login"] == 31337
    order = client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert order is not None
    assert wait_until(lambda: len(client.get_order_history()) >= 2)
    other = mas.MAS()
    assert other.login({"profile": "paper-bad"}) is False
    errors = [client.last_error()[1], other.last_error()[1], repr(state_of(client).live.terminal)]

    result = CliRunner().invoke(broker_app, ["test", "paper"])
    assert result.exit_code == 0 and "login=31337" in result.output and "connected=True" in result.output
    listing = CliRunner().invoke(broker_app, ["list"])
    assert "paper: sim" in listing.output and "password=environment" in listing.output
    failing = CliRunner().invoke(broker_app, ["test", "paper-bad"])
    assert failing.exit_code == 1 and "Authorization failed" in failing.output
    client.shutdown_mt5()
    server.stop()

    written = b"".join(p.read_bytes() for p in Path(tmp_path).rglob("*") if p.is_file())
    text = caplog.text + "".join(errors) + result.output + listing.output + failing.output
    for password in (SECRET, WRONG):
        assert password not in text
        assert password.encode() not in written
    assert (tmp_path / "mas_home" / "journal.sqlite").exists() and state.exists()


def test_broker_add_and_list(monkeypatch):
    runner = CliRunner()
    added = runner.invoke(broker_app, ["add", "demo", "--terminal", "mt5linux", "--server", "Broker-Demo",
                                       "--login", "123", "--host", "127.0.0.1", "--port", "18812"])
    assert added.exit_code == 0, added.output
    assert "MAS_PASSWORD_DEMO" in added.output
    assert pr.get_profile("demo").terminal == "mt5linux"
    listing = runner.invoke(broker_app, ["list"])
    assert "demo: mt5linux 127.0.0.1:18812 server=Broker-Demo login=123 password=none" in listing.output
    bad = runner.invoke(broker_app, ["add", "x", "--terminal", "fax", "--server", "s", "--login", "1"])
    assert bad.exit_code == 2
    assert runner.invoke(broker_app, ["remove", "demo"]).exit_code == 0
    assert runner.invoke(broker_app, ["test", "demo"]).exit_code == 1
