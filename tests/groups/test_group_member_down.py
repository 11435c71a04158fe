"""Careless input and a broker that is down: the group commands say what is wrong before (or instead of) trading."""

from __future__ import annotations

import json

import pytest

from groups.sim_group import add_members
from live.conftest import start_server  # noqa: F401 - fixture
from mas.groups.accounts import dry_run
from mas.groups.report import group_report
from mas.groups.session import open_group, open_members
from mas.groups.store import AccountGroup, GroupError, add_group


def test_a_member_whose_server_is_down_is_named_and_the_others_are_still_reported(start_server, monkeypatch):  # noqa: F811
    server = start_server()
    add_members(monkeypatch, [("alice", server.port, 1001), ("dave", 1, 1002)])  # nothing listens on port 1
    add_group(AccountGroup("desk", ("alice", "dave"), "equity"))
    with pytest.raises(GroupError, match="dave") as refused:  # trading needs every member
        open_group("desk")
    assert "1 member" in str(refused.value)
    group, terminals, problems = open_members("desk")  # reading does not
    try:
        assert list(terminals) == ["alice"] and list(problems) == ["dave"]
        report = group_report(group.name, terminals, problems=problems)
    finally:
        for terminal in terminals.values():
            terminal.shutdown()
    assert [a.profile for a in report.accounts] == ["alice"] and list(report.problems) == ["dave"]
    assert "cannot reach" in report.problems["dave"] and report.totals["accounts"] == 1
    assert report.totals["balance"] == report.accounts[0].balance == 10_000.0


def test_mas_broker_group_status_reports_the_reachable_members_and_names_the_down_one(start_server, monkeypatch):  # noqa: F811
    from typer.testing import CliRunner

    from mas.cli import app

    server = start_server()
    add_members(monkeypatch, [("alice", server.port, 1001), ("dave", 1, 1002)])  # nothing listens on port 1
    add_group(AccountGroup("desk", ("alice", "dave"), "equity"))
    result = CliRunner().invoke(app, ["broker", "group", "status", "desk", "--json"])
    assert result.exit_code == 1  # something is wrong, and it is said
    report = json.loads(result.stdout)
    assert [a["profile"] for a in report["accounts"]] == ["alice"] and list(report["problems"]) == ["dave"]
    assert report["totals"]["balance"] == 10_000.0 and "cannot reach" in report["problems"]["dave"]


def test_a_dry_run_refuses_a_bad_volume_before_logging_in_to_anyone(monkeypatch):
    add_members(monkeypatch, [("alice", 1, 1001), ("bob", 1, 1002)])  # no server: a login would fail
    add_group(AccountGroup("desk", ("alice", "bob"), "equity"))
    opened = []
    for volume, why in ((0, "above 0"), (-1, "above 0"), (float("nan"), "finite")):
        with pytest.raises(GroupError, match=why):
            dry_run("desk", volume, opener=lambda name: opened.append(name))
    assert opened == []
