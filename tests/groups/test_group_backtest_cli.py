"""``mas broker group backtest`` as a user types it (a subprocess), and the group file's backtest tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mas.cli.broker import broker_app
from mas.groups.store import GroupError, get_group, groups_path
from mas.live.profiles import BrokerProfile, save_profile

runner = CliRunner()
QUARTER = ["--from", "2017-01-01", "--to", "2017-03-31"]


def _mas(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mas", *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, COLUMNS="200"), cwd=cwd)


def _desk(*extra: str) -> None:
    for name, login in (("alice", 1001), ("bob", 1002)):
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=login, host="127.0.0.1",
                                   port=1))
    added = runner.invoke(broker_app, ["group", "add", "desk", "--members", "alice,bob", "--allocation", "balance",
                                       *extra])
    assert added.exit_code == 0, added.output


def test_backtest_a_stored_group_prints_the_table_and_writes_json_and_reports(tmp_path):
    _desk("--deposits", "alice=10000,bob=20000", "--leverages", "alice=100,bob=500")
    out = _mas("broker", "group", "backtest", "desk", "ma", *QUARTER, "--json", str(tmp_path / "desk.json"),
               "--report-dir", str(tmp_path / "reports"))
    assert out.returncode == 0, out.stderr + out.stdout
    lines = out.stdout.splitlines()
    alice = next(line for line in lines if line.startswith("│ alice"))
    bob = next(line for line in lines if line.startswith("│ bob"))
    total = next(line for line in lines if line.startswith("│ total"))
    assert "10,000.00" in alice and " 100 " in alice and "20,000.00" in bob and " 500 " in bob
    assert "30,000.00" in total and "allocation balance" in out.stdout
    document = json.loads((tmp_path / "desk.json").read_text())
    rows = {row["account"]: row for row in document["accounts"]}
    assert (rows["alice"]["deposit"], rows["bob"]["deposit"], rows["total"]["deposit"]) == (10_000, 20_000, 30_000)
    assert rows["alice"]["trades"] == rows["bob"]["trades"] > 10
    assert rows["total"]["trades"] == rows["alice"]["trades"] + rows["bob"]["trades"]
    assert rows["total"]["net_profit"] == pytest.approx(rows["alice"]["net_profit"] + rows["bob"]["net_profit"],
                                                        abs=0.02)
    # every bar: the aggregate's equity is the accounts' sum (each rounded to the cent in the document)
    for (when, total_eq), (_, a), (_, b) in zip(document["aggregate"]["equity"], document["results"]["alice"]["equity"],
                                                 document["results"]["bob"]["equity"], strict=True):
        assert total_eq == pytest.approx(a + b, abs=0.011), when
    volumes = {(t["open_time"], t["volume"]) for t in document["results"]["bob"]["trades"]}
    assert {v for _, v in volumes} == {0.07}  # 2/3 of 0.1 lot, plus the remainder step
    pages = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert "group-desk.html" in pages
    assert sum(name.startswith("kpi_") for name in pages) == 3
    summary = (tmp_path / "reports" / "group-desk.html").read_text()
    assert summary.count('<a href="kpi_') == 3 and "alice" in summary and "bob" in summary
    for line in out.stdout.splitlines():
        if line.startswith("report: "):
            assert os.path.exists(line[len("report: "):])


def test_accounts_on_the_command_line_override_the_group_and_the_allocation(tmp_path):
    _desk()
    out = _mas("broker", "group", "backtest", "desk", "ma", *QUARTER, "--accounts", "5000:50,15000:200:EUR",
               "--allocation", "multiplier", "--json", str(tmp_path / "run.json"))
    assert out.returncode == 0, out.stderr + out.stdout
    document = json.loads((tmp_path / "run.json").read_text())
    rows = {row["account"]: row for row in document["accounts"]}
    assert (rows["alice"]["deposit"], rows["alice"]["leverage"], rows["alice"]["currency"]) == (5000, 50, "USD")
    assert (rows["bob"]["deposit"], rows["bob"]["leverage"], rows["bob"]["currency"]) == (15000, 200, "EUR")
    assert document["allocation"] == "multiplier" and rows["total"]["currency"] == "USD"
    assert get_group("desk").allocation == "balance"  # the stored group is not changed


def test_an_ad_hoc_group_needs_every_account_named(tmp_path):
    out = _mas("broker", "group", "backtest", "trial", "ma", *QUARTER, "--accounts", "a=10000,b=30000",
               "--allocation", "equity", "--json", str(tmp_path / "trial.json"))
    assert out.returncode == 0, out.stderr + out.stdout
    rows = {row["account"]: row for row in json.loads((tmp_path / "trial.json").read_text())["accounts"]}
    assert set(rows) == {"a", "b", "total"} and rows["total"]["deposit"] == 40_000
    assert not groups_path().exists()  # nothing is stored
    unnamed = _mas("broker", "group", "backtest", "trial", "ma", *QUARTER, "--accounts", "10000,30000")
    assert unnamed.returncode == 2 and "no account group 'trial'" in unnamed.stdout + unnamed.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--accounts", "10000:100"], "1 account(s) given for 2 member(s)"),
    (["--accounts", "alice=10000,carol=5"], "'carol' is not a member"),
    (["--allocation", "equty"], "did you mean 'equity'?"),
    (["--timeframe", "H7"], "timeframe"),
])
def test_bad_input_is_refused_naming_the_option(args, message):
    _desk()
    out = _mas("broker", "group", "backtest", "desk", "ma", *QUARTER, *args)
    assert out.returncode == 2, out.stdout + out.stderr
    assert message in " ".join((out.stdout + out.stderr).split())


def test_the_group_file_keeps_deposits_leverages_and_currencies():
    _desk("--deposits", "10000", "--leverages", "bob=500", "--currencies", "bob=eur")
    group = get_group("desk")
    assert group.deposits == {"alice": 10_000.0, "bob": 10_000.0}
    assert group.leverages == {"bob": 500} and group.currencies == {"bob": "EUR"}
    text = groups_path().read_text()
    assert "deposits = { alice = 10000.0, bob = 10000.0 }" in text and 'currencies = { bob = "EUR" }' in text
    listing = runner.invoke(broker_app, ["group", "list"])
    assert "backtest leverages: bob=500" in listing.output


@pytest.mark.parametrize(("table", "message"), [
    ('leverages = { alice = 1.5 }', "leverages of alice must be a whole number >= 1"),
    ('deposits = { alice = -1.0 }', "deposits of alice must be a number above 0"),
    ('currencies = { alice = "EURO" }', "currencies of alice must be a 3-letter currency code"),
    ('deposits = { zed = 10.0 }', "deposits names 'zed', which is not a member"),
    ('deposits = 10', "deposits must be a table"),
])
def test_bad_backtest_tables_in_the_file_are_refused_with_the_fix(table, message):
    groups_path().parent.mkdir(parents=True, exist_ok=True)
    groups_path().write_text(f'[desk]\nmembers = ["alice", "bob"]\nallocation = "equity"\n{table}\n')
    with pytest.raises(GroupError, match=message):
        get_group("desk")


def test_an_error_in_a_strategy_file_shows_the_users_frames(tmp_path):
    target = tmp_path / "bad.py"
    target.write_text("from mas import MAS\n\n\nclass Bad(MAS):\n    def receive_bars(self, symbol, data, is_end):\n"
                      "        raise RuntimeError('boom in my strategy')\n")
    out = _mas("broker", "group", "backtest", "trial", str(target), *QUARTER, "--accounts", "a=1000,b=2000")
    assert out.returncode == 1
    assert "boom in my strategy" in out.stderr + out.stdout and f'File "{target}", line 6' in out.stderr + out.stdout
