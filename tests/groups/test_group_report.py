"""Consolidated live reporting of a group: the summary's figures are the sums of what each account says."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from groups.sim_group import STILL, Reader, Recorder, add_members
from live.conftest import server_process, sim_login  # noqa: F401 - fixture
from mas import MAS
from mas.groups.store import AccountGroup, add_group
from mas.terminal import constants as c

MONEY = ("balance", "equity", "margin", "margin_free", "profit")
NAMES = ("alice", "bob", "carol")


@pytest.fixture
def traded(server_process, monkeypatch):  # noqa: F811
    """Three accounts on two brokers with a long and a short parent open and a partial close done (hedging)."""
    first, second = server_process(speed=STILL), server_process(speed=STILL)
    layout = [("alice", first.port, 1001), ("bob", second.port, 2001), ("carol", first.port, 1002)]
    add_members(monkeypatch, layout)
    add_group(AccountGroup("desk", NAMES, "multiplier", multipliers={"alice": 1.0, "bob": 0.7, "carol": 0.3}))
    client = Recorder()
    assert client.login({"group": "desk"}), client.last_error()
    base = {"symbol": "EURUSD", "backtest_toggle": False}
    assert client.send_order({**base, "order_type": "buy", "volume": 1.0, "client_order_id": "L"}) == "L"
    assert client.send_order({**base, "order_type": "sell", "volume": 0.5, "client_order_id": "S"}) == "S"
    # half the long parent closes: half of each child (1.0 of the children's 2.0 lots)
    assert client.send_order({**base, "order_type": "sell", "volume": 0.5, "order_id": "L", "client_order_id": "LP"})
    reader = Reader(layout)
    yield client, reader, layout
    reader.close()
    client.shutdown_mt5()


def test_the_summary_is_the_sum_of_the_members_accounts_and_positions(traded):
    client, reader, _ = traded
    summary = client.get_group_summary()
    assert summary["group"] == "desk" and summary["problems"] == {}
    assert [a["profile"] for a in summary["accounts"]] == list(NAMES)
    infos = {name: reader.terminals[name].account_info() for name in NAMES}
    for account in summary["accounts"]:
        info = infos[account["profile"]]
        assert account["account"] == info.login and account["currency"] == info.currency == "USD"
        assert {key: account[key] for key in MONEY} == {key: getattr(info, key) for key in MONEY}
        positions = reader.positions(account["profile"])
        assert account["positions"] == len(positions) == 2 and account["pending_orders"] == 0
        (exposure,) = account["exposure"]
        longs = sum(p.volume for p in positions if p.type == c.POSITION_TYPE_BUY)
        shorts = sum(p.volume for p in positions if p.type == c.POSITION_TYPE_SELL)
        assert (exposure["symbol"], exposure["long_lots"], exposure["short_lots"]) == ("EURUSD", longs, shorts)
        assert exposure["net_lots"] == pytest.approx(longs - shorts)
        # EURUSD on a USD account: a lot is 100,000 EUR, worth 100,000 x the price in USD
        value = sum((1 if p.type == c.POSITION_TYPE_BUY else -1) * p.volume * 100_000 * p.price_current
                    for p in positions)
        assert exposure["value"] == pytest.approx(value, rel=1e-9)
        # a new account's every trade is today's: what it realised is its balance change from the deposit
        assert account["realised_today"] == pytest.approx(info.balance - 10_000.0, abs=0.005)
        assert account["realised_today"] < 0  # bought at the ask, sold at the bid: the spread is lost
        assert account["day"] == "2017-01-02"
    totals = summary["totals"]
    for key in MONEY:
        assert totals[key] == pytest.approx(sum(getattr(info, key) for info in infos.values()), abs=0.005), key
    assert totals["positions"] == 6 and totals["accounts"] == 3 and totals["currency"] == "USD"
    assert totals["realised_today"] == pytest.approx(sum(a["realised_today"] for a in summary["accounts"]), abs=0.005)
    (group_exposure,) = summary["exposure"]
    every = [p for name in NAMES for p in reader.positions(name)]
    assert group_exposure["long_lots"] == pytest.approx(sum(p.volume for p in every if p.type == c.POSITION_TYPE_BUY))
    assert group_exposure["short_lots"] == pytest.approx(sum(p.volume for p in every if p.type == c.POSITION_TYPE_SELL))
    # 2.0 long less the partial close, 1.0 short: long (2.0 - 1.0) - short 1.0
    assert group_exposure["long_lots"] == pytest.approx(1.0) and group_exposure["short_lots"] == pytest.approx(1.0)
    assert group_exposure["value"] == pytest.approx(sum(e["exposure"][0]["value"] for e in summary["accounts"]))


def test_mas_broker_group_status_prints_the_same_figures(traded):
    client, _, _ = traded
    summary = client.get_group_summary()
    command = [sys.executable, "-m", "mas", "broker", "group", "status", "desk"]
    as_json = subprocess.run([*command, "--json"], capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert as_json.returncode == 0, as_json.stderr
    printed = json.loads(as_json.stdout)
    assert printed["totals"] == summary["totals"] and printed["exposure"] == summary["exposure"]
    table = subprocess.run(command, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert table.returncode == 0, table.stderr
    total = next(line for line in table.stdout.splitlines() if line.startswith("total"))
    assert f"{summary['totals']['equity']:.2f}" in total and f"{summary['totals']['balance']:.2f}" in total
    assert "pw-" not in table.stdout + table.stderr
    unknown = subprocess.run([*command[:-1], "dsk"], capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert unknown.returncode == 1 and "did you mean 'desk'?" in unknown.stderr


def test_a_plain_login_reports_its_one_account_and_no_login_reports_an_error(server_process):  # noqa: F811
    assert "error" in MAS().get_group_summary()
    server = server_process(speed=STILL)
    client = MAS()
    assert client.login(sim_login(server.port))
    try:
        summary = client.get_group_summary()
        (account,) = summary["accounts"]
        info = client.get_account_info()
        assert account["account"] == info["login"] and account["equity"] == info["equity"]
        assert summary["totals"]["equity"] == info["equity"] and summary["exposure"] == []
    finally:
        client.shutdown_mt5()
