"""Brokers and live trading through the ASGI test client, against a sim server the test starts on 127.0.0.1:
profiles without passwords, a confirmed start, the account polled while a strategy trades, a confirmed close,
stop; and what is refused (no confirmation, unknown profile, a second run on a busy profile, careless input)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from live.conftest import other_program, wait_until
from mas.live.profiles import load_profiles
from mas.live.simserver import ReplaySpec, SimExchange, SimServer

from .conftest import make_client

LOGIN = 7103
PASSWORD = "Web-Live-Pa55-Cobalt"
EVERY_BAR = {"period": 2, "oversold": 45, "overbought": 55}  # opens and closes a position every few bars
HOLD = {"period": 2, "oversold": 99.9, "overbought": 100}  # buys and never sells: a position stays open


@pytest.fixture
def server(monkeypatch) -> Iterator[SimServer]:
    """A sim server replaying H1 bars from 2017-01-02 (``speed`` bars a second), new accounts allowed."""
    monkeypatch.setenv("MAS_PASSWORD_PAPER", PASSWORD)
    exchange = SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=3600 * 10, capital=10_000.0,
                                      allow_new_accounts=True), None)
    running = SimServer(exchange, port=0).start()
    yield running
    running.stop()


def add_paper(session, port: int) -> dict:
    response = session.post("/api/brokers", {"name": "paper", "terminal": "sim", "server": "MAS-Sim",
                                             "login": LOGIN, "host": "127.0.0.1", "port": port, "max_lots": 1})
    assert response.status_code == 200, response.text
    return response.json()


def start(session, params: dict, **extra) -> str:
    response = session.post("/api/live", {"strategy": {"kind": "builtin", "name": "rsi", "params": params},
                                          "profile": "paper", "interval_ms": 50, "warmup_bars": 5, "confirm": True,
                                          **extra})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_profiles_are_listed_without_any_password(session, server):
    profile = add_paper(session, server.port)
    assert profile["password_from"] == "environment"
    listed = session.get("/api/brokers").json()
    assert [p["name"] for p in listed] == ["paper"]
    assert PASSWORD not in session.get("/api/brokers").text
    assert "password" not in listed[0]
    assert load_profiles()["paper"].port == server.port  # saved where 'mas broker' keeps profiles
    again = session.post("/api/brokers", {"name": "paper", "terminal": "sim"})
    assert again.status_code == 422 and again.json()["detail"].startswith("name:")
    assert session.delete("/api/brokers/paper").json() == {"ok": True}
    assert session.get("/api/brokers").json() == []
    assert session.delete("/api/brokers/paper").status_code == 404


def test_a_strategy_trades_on_the_paper_account_and_the_page_sees_positions_open_and_close(session, server):
    add_paper(session, server.port)
    ident = start(session, EVERY_BAR)
    seen: set[int] = set()

    def positions_come_and_go() -> bool:
        view = session.get(f"/api/live/{ident}").json()
        now = {p["ticket"] for p in view["positions"]}
        seen.update(now)
        return any(ticket not in now for ticket in seen)  # one seen open is closed now

    try:
        assert wait_until(positions_come_and_go, timeout=60, step=0.05)
        view = session.get(f"/api/live/{ident}").json()
        assert view["running"] and view["account"]["login"] == LOGIN
        assert view["equity"] and view["lines"][0].startswith("live: RSIStrategy on EURUSD H1, profile paper")
        terminal = other_program(server.port, LOGIN, PASSWORD)  # what the broker booked, read from outside
        closed = {d.position_id for d in terminal.history_deals_get(datetime(2000, 1, 1), datetime(2100, 1, 1))
                  if d.entry == 1}
        terminal.shutdown()
        assert seen & closed
        assert session.post("/api/live", {"strategy": {"kind": "builtin", "name": "ma"}, "profile": "paper",
                                          "confirm": True}).json()["detail"].startswith("profile: paper already runs")
    finally:
        stopped = session.post(f"/api/live/{ident}/stop").json()
    assert stopped["id"] == ident
    assert wait_until(lambda: not session.get(f"/api/live/{ident}").json()["running"], timeout=30)
    assert session.get("/api/live").json()[0]["running"] is False


def test_a_position_is_closed_from_the_page_only_when_confirmed(session, server):
    add_paper(session, server.port)
    ident = start(session, HOLD)
    try:
        assert wait_until(lambda: session.get(f"/api/live/{ident}").json()["positions"], timeout=60, step=0.05)
        ticket = session.get(f"/api/live/{ident}").json()["positions"][0]["ticket"]
        refused = session.post(f"/api/live/{ident}/positions/{ticket}/close", {})
        assert refused.status_code == 422 and refused.json()["detail"].startswith("confirm:")
        assert ticket in {p["ticket"] for p in session.get(f"/api/live/{ident}").json()["positions"]}
        closed = session.post(f"/api/live/{ident}/positions/{ticket}/close", {"confirm": True})
        assert closed.status_code == 200, closed.text
        assert wait_until(lambda: ticket not in {p["ticket"] for p in session.get(f"/api/live/{ident}").json()
                                                 ["positions"]}, timeout=20)
        terminal = other_program(server.port, LOGIN, PASSWORD)
        outs = [d for d in terminal.history_deals_get(datetime(2000, 1, 1), datetime(2100, 1, 1))
                if d.entry == 1 and d.position_id == ticket]
        terminal.shutdown()
        assert len(outs) == 1 and outs[0].comment.endswith("mas ui close")  # the journal prefixes its id
        gone = session.post(f"/api/live/{ident}/positions/{ticket}/close", {"confirm": True})
        assert gone.status_code == 404 and "ticket" in gone.json()["detail"]
    finally:
        session.post(f"/api/live/{ident}/stop")
    assert wait_until(lambda: not session.get(f"/api/live/{ident}").json()["running"], timeout=30)


@pytest.mark.parametrize(("body", "field"), [
    ({"profile": "paper"}, "confirm"),
    ({"profile": "nowhere", "confirm": True}, "--profile"),
    ({"profile": "paper", "confirm": True, "timeframe": "H7"}, "timeframe"),
    ({"profile": "bad name!", "confirm": True}, "profile"),
    ({"profile": "paper", "confirm": True, "interval_ms": 1}, "interval_ms"),
    ({"profile": "paper", "confirm": True, "strategy": {"kind": "builtin", "name": "nope"}}, "strategy.name"),
])
def test_careless_live_requests_are_refused_naming_the_field(session, server, body, field):
    add_paper(session, server.port)
    response = session.post("/api/live", {"strategy": {"kind": "builtin", "name": "rsi"}, **body})
    assert response.status_code == 422, response.text
    assert response.json()["detail"].removeprefix("request body: ").startswith(field), response.json()
    assert session.get("/api/live").json() == []  # nothing started


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x y"}, "name"), ({"name": "p", "terminal": "telnet"}, "terminal"),
    ({"name": "p", "port": 70000}, "port"),
    ({"name": "p", "max_lots": -1}, "max_lots"), ({"name": "p", "colour": "red"}, "colour"),
])
def test_careless_profiles_are_refused_naming_the_field(session, body, field):
    response = session.post("/api/brokers", body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(field), response.json()


def test_the_live_api_needs_a_session_and_the_csrf_header(isolated_mas_home, session):
    body = {"strategy": {"kind": "builtin", "name": "rsi"}, "profile": "paper", "confirm": True}
    assert session.client.post("/api/live", json=body).status_code == 403
    assert session.client.post("/api/brokers", json={"name": "p"}).status_code == 403
    assert session.client.delete("/api/brokers/p").status_code == 403
    close = "/api/live/" + "0" * 32 + "/positions/1/close"
    assert session.client.post(close, json={"confirm": True}).status_code == 403
    with make_client(isolated_mas_home) as stranger:
        assert stranger.get("/api/brokers").status_code == 401
        assert stranger.get("/api/live").status_code == 401
    assert session.get("/api/live/" + "0" * 32).status_code == 404
    assert session.post("/api/live/" + "0" * 32 + "/stop").status_code == 404


def test_a_run_started_from_a_chinese_tab_says_its_lines_in_chinese(session, server):
    add_paper(session, server.port)
    response = session.client.post("/api/live", json={
        "strategy": {"kind": "builtin", "name": "rsi", "params": HOLD}, "profile": "paper", "interval_ms": 50,
        "warmup_bars": 5, "confirm": True}, headers={"X-CSRF-Token": session.csrf, "X-MAS-Lang": "zh-tw"})
    assert response.status_code == 201, response.text
    ident = response.json()["id"]
    try:
        assert wait_until(lambda: session.get(f"/api/live/{ident}").json().get("lines"), timeout=60, step=0.05)
        first = session.get(f"/api/live/{ident}").json()["lines"][0]  # read from an English tab: the run's language
        assert first.startswith("實盤：RSIStrategy 交易 EURUSD H1，設定檔 paper"), first
    finally:
        session.post(f"/api/live/{ident}/stop")
    assert wait_until(lambda: not session.get(f"/api/live/{ident}").json()["running"], timeout=30)
