"""``mas broker group add|list|remove|allocate``: the group file and the dry run against real sim servers."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from live.conftest import other_program, start_server  # noqa: F401 - fixture
from mas.cli.broker import broker_app
from mas.groups.store import GroupError, get_group, groups_path, load_groups
from mas.live.profiles import BrokerProfile, save_profile

runner = CliRunner()


def _profiles(monkeypatch, *entries):
    """Save sim profiles ``(name, port, login)`` with passwords in the environment."""
    for name, port, login in entries:
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=login, host="127.0.0.1",
                                   port=port))
        monkeypatch.setenv(f"MAS_PASSWORD_{name.upper()}", f"pw-{name}")


def test_add_list_remove_and_the_file(monkeypatch):
    _profiles(monkeypatch, ("alice", 1, 1001), ("bob", 1, 1002), ("carol.m", 2, 2001))
    result = runner.invoke(broker_app, ["group", "add", "desk", "--members", "alice,bob,carol.m", "--allocation",
                                        "free_margin", "--per-account-max-lots", "alice=2,carol.m=0.5",
                                        "--min-lot-rule", "skip"])
    assert result.exit_code == 0, result.output
    group = get_group("desk")
    assert group.members == ("alice", "bob", "carol.m") and group.allocation == "free_margin"
    assert group.max_lots == {"alice": 2.0, "carol.m": 0.5} and group.min_lot_rule == "skip"
    text = groups_path().read_text()
    assert 'max_lots = { alice = 2.0, "carol.m" = 0.5 }' in text and "pw-" not in text
    listing = runner.invoke(broker_app, ["group", "list"])
    assert "desk: alice, bob, carol.m allocation=free_margin min-lot=skip; max_lots: alice=2, carol.m=0.5" \
        in listing.output
    again = runner.invoke(broker_app, ["group", "add", "desk", "--members", "alice"])
    assert again.exit_code == 2 and "exists already" in again.output
    replaced = runner.invoke(broker_app, ["group", "add", "desk", "--members", "alice", "--replace"])
    assert replaced.exit_code == 0 and get_group("desk").members == ("alice",)
    assert runner.invoke(broker_app, ["group", "remove", "desk"]).exit_code == 0
    assert load_groups() == {}
    gone = runner.invoke(broker_app, ["group", "remove", "desk"])
    assert gone.exit_code == 1 and "no group 'desk'" in gone.output


@pytest.mark.parametrize(("args", "message"), [
    (["--members", "alice,bobb"], "no broker profile 'bobb' (did you mean 'bob'?"),
    (["--members", "alice,bob", "--allocation", "equty"], "did you mean 'equity'?"),
    (["--members", "alice,alice"], "member alice is listed twice"),
    (["--members", "alice", "--per-account-max-lots", "bob=1"], "max_lots names 'bob', which is not a member"),
    (["--members", "alice", "--per-account-max-lots", "lots"], "--per-account-max-lots: expected a number"),
    (["--members", "alice", "--allocation", "risk"], "needs --risk-percent"),
    (["--members", "alice", "--min-lot-rule", "round"], "min_lot_rule must be 'raise' or 'skip'"),
])
def test_bad_groups_are_refused_with_the_fix(monkeypatch, args, message):
    _profiles(monkeypatch, ("alice", 1, 1001), ("bob", 1, 1002))
    result = runner.invoke(broker_app, ["group", "add", "desk", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not groups_path().exists()


def test_a_corrupt_group_file_is_named():
    groups_path().parent.mkdir(parents=True, exist_ok=True)
    groups_path().write_text("[desk\nmembers = 1")
    result = runner.invoke(broker_app, ["group", "list"])
    assert result.exit_code == 2 and "not valid TOML" in result.output and "groups.toml" in result.output
    with pytest.raises(GroupError, match="no account group 'desks'"):
        groups_path().write_text('[desk]\nmembers = ["a"]\n')
        get_group("desks")


def test_two_processes_adding_groups_at_once_keep_both(monkeypatch, tmp_path):
    _profiles(monkeypatch, ("alice", 1, 1001), ("bob", 1, 1002))
    code = ("import sys\nfrom mas.groups.store import AccountGroup, add_group\n"
            "for i in range(15):\n"
            "    add_group(AccountGroup(f'{sys.argv[1]}{i}', ('alice', 'bob')))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, prefix]) for prefix in ("p", "q")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert sorted(load_groups()) == sorted([f"p{i}" for i in range(15)] + [f"q{i}" for i in range(15)])
    assert not list(groups_path().parent.glob(".groups.toml.*.tmp"))


def test_allocate_is_a_dry_run_over_two_brokers(start_server, monkeypatch):  # noqa: F811
    first, second = start_server(capital=10_000.0), start_server(capital=5_000.0)
    _profiles(monkeypatch, ("alice", first.port, 1001), ("bob", first.port, 1002), ("carol", second.port, 2001))
    added = runner.invoke(broker_app, ["group", "add", "desk", "--members", "alice,bob,carol", "--allocation",
                                       "equity", "--per-account-max-lots", "bob=0.3"])
    assert added.exit_code == 0, added.output
    result = runner.invoke(broker_app, ["group", "allocate", "desk", "--volume", "1.05", "--symbol", "eurusd"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line[:1] not in (" ", "g")}
    # equity 10,000 / 10,000 / 5,000 -> 0.42 / 0.42 (capped 0.3) / 0.21; what the cap cut off is not handed on
    assert rows["alice"][2] == "0.42" and rows["bob"][2] == "0.3" and rows["carol"][2] == "0.21", result.output
    assert "capped at 0.3" in result.output and "nothing is sent" in result.output
    for port, login in ((first.port, 1001), (first.port, 1002), (second.port, 2001)):
        term = other_program(port, login, f"pw-{ {1001: 'alice', 1002: 'bob', 2001: 'carol'}[login] }")
        try:
            assert term.positions_total() == 0 and term.orders_total() == 0
            assert [d for d in term.history_deals_get(0, 2**31) if d.symbol] == []  # only the deposit
        finally:
            term.shutdown()


def test_allocate_names_members_it_cannot_read(start_server, monkeypatch):  # noqa: F811
    server = start_server()
    _profiles(monkeypatch, ("alice", server.port, 1001), ("bob", 1, 1002))
    assert runner.invoke(broker_app, ["group", "add", "desk", "--members", "alice,bob"]).exit_code == 0
    result = runner.invoke(broker_app, ["group", "allocate", "desk", "--volume", "1"])
    assert result.exit_code == 1
    assert "cannot read 1 member(s): bob:" in result.output and "pw-" not in result.output
    unknown = runner.invoke(broker_app, ["group", "allocate", "dsk", "--volume", "1"])
    assert unknown.exit_code == 1 and "did you mean 'desk'?" in unknown.output


def test_allocate_by_risk_reads_the_tick_value_from_the_server(start_server, monkeypatch):  # noqa: F811
    server = start_server(capital=10_000.0)
    _profiles(monkeypatch, ("alice", server.port, 1001), ("bob", server.port, 1002))
    added = runner.invoke(broker_app, ["group", "add", "desk", "--members", "alice,bob", "--allocation", "risk",
                                       "--risk-percent", "1"])
    assert added.exit_code == 0, added.output
    missing = runner.invoke(broker_app, ["group", "allocate", "desk", "--volume", "1"])
    assert missing.exit_code == 1 and "stop distance must be above 0" in missing.output
    result = runner.invoke(broker_app, ["group", "allocate", "desk", "--volume", "1", "--stop-distance", "0.005"])
    assert result.exit_code == 0, result.output
    # 1% of 10,000 = 100 over a 0.005 stop: EURUSD on a USD account is 10 USD a pip per lot -> 500 a lot -> 0.2
    assert [line.rsplit(" ", 1)[1] for line in result.output.splitlines() if "tick_value=" in line] == \
        ["tick_value=1", "tick_value=1"]
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line[:1] not in (" ", "g")}
    assert rows["alice"][2] == rows["bob"][2] == "0.2", result.output
