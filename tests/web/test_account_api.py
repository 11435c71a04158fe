"""The active account without any strategy running, through the ASGI test client against a sim server the test
starts on 127.0.0.1: a position opened by another program (the terminal) shows in the account view with the
account figures, the pending orders and the recent deals; closing it is refused without the confirmation and
done with it (the order journaled like every live order, the close's deal among the recent deals); what is
refused without an active account or the CSRF header; no password in any answer."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from live.conftest import other_program
from mas.live.journal import Journal
from mas.live.simserver import ReplaySpec, SimExchange, SimServer
from mas.terminal import constants as c

from .conftest import Session

LOGIN = 7121
PASSWORD = "Web-Account-Pa55-Jade"


@pytest.fixture
def server(monkeypatch) -> Iterator[SimServer]:
    """A sim server replaying H1 bars from 2017-01-02, new accounts allowed; the paper profile's password."""
    monkeypatch.setenv("MAS_PASSWORD_PAPER", PASSWORD)
    exchange = SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=3600 * 10, capital=10_000.0,
                                      allow_new_accounts=True), None)
    running = SimServer(exchange, port=0).start()
    yield running
    running.stop()


def market_buy(port: int, volume: float = 0.1) -> int:
    """A position opened by another program on the paper account (the MT5 terminal, a phone); its ticket."""
    term = other_program(port, LOGIN, PASSWORD)
    try:
        tick = term.symbol_info_tick("EURUSD")
        result = term.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY,
                                  "volume": volume, "price": tick.ask, "deviation": 10, "magic": 7, "comment": "phone",
                                  "type_filling": c.ORDER_FILLING_FOK, "type_time": c.ORDER_TIME_GTC})
        assert result.retcode == c.TRADE_RETCODE_DONE, result
        positions = term.positions_get(symbol="EURUSD")
        return int(next(p.ticket for p in positions if p.identifier == result.order or p.ticket == result.order))
    finally:
        term.shutdown()


def view_until(session: Session, predicate, limit: float = 30.0) -> dict[str, Any]:
    """The account view once ``predicate`` accepts it (bounded in time and count)."""
    deadline = time.monotonic() + limit
    view: dict[str, Any] = {}
    for _ in range(2_000):
        view = session.get("/api/account/view").json()
        if predicate(view) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert predicate(view), view
    return view


def test_the_active_account_shows_its_positions_without_a_strategy_and_closes_one_after_confirming(session, server):
    assert session.get("/api/account/view").status_code == 404  # no active account yet
    assert session.post("/api/account/positions/1/close", {"confirm": True}).status_code == 404
    added = session.post("/api/brokers", {"name": "paper", "terminal": "sim", "server": "MAS-Sim", "login": LOGIN,
                                          "host": "127.0.0.1", "port": server.port, "max_lots": 1})
    assert added.status_code == 200, added.text
    assert session.post("/api/brokers/paper/activate").status_code == 200
    assert session.get("/api/live").json() == []  # no strategy runs
    ticket = market_buy(server.port)

    view = view_until(session, lambda v: ticket in {p["ticket"] for p in v.get("positions", [])})
    assert view["profile"] == "paper" and view["connected"] is True and view["account"]["login"] == LOGIN
    assert view["account"]["balance"] == 10_000 and view["orders"] == []
    position = next(p for p in view["positions"] if p["ticket"] == ticket)
    assert position["symbol"] == "EURUSD" and position["volume"] == 0.1 and position["type"] == 0
    view = view_until(session, lambda v: any(d["position_id"] == ticket for d in v["deals"]))
    assert view["deals"][0]["symbol"] == "EURUSD" and view["deals"][0]["entry"] == 0
    assert PASSWORD not in json.dumps(view)

    refused = session.post(f"/api/account/positions/{ticket}/close", {})
    assert refused.status_code == 422 and refused.json()["detail"].startswith("confirm:")
    no_csrf = session.client.post(f"/api/account/positions/{ticket}/close", json={"confirm": True})
    assert no_csrf.status_code == 403
    assert ticket in {p["ticket"] for p in session.get("/api/account/view").json()["positions"]}  # still open
    unknown = session.post("/api/account/positions/999999/close", {"confirm": True})
    assert unknown.status_code == 404 and "999999" in unknown.json()["detail"]

    closed = session.post(f"/api/account/positions/{ticket}/close", {"confirm": True})
    assert closed.status_code == 200, closed.text
    view = view_until(session, lambda v: ticket not in {p["ticket"] for p in v["positions"]}
                      and sum(d["position_id"] == ticket for d in v["deals"]) == 2)
    assert next(d for d in view["deals"] if d["position_id"] == ticket)["entry"] == 1  # the newest: the exit
    journal = Journal()
    try:
        entries = [e for e in journal.entries(LOGIN) if (e.request or {}).get("position") == ticket]
    finally:
        journal.close()
    assert len(entries) == 1 and entries[0].state == "done"  # journaled like every live order
    assert (entries[0].request.get("comment") or "").endswith("mas ui close")


def test_the_account_stream_pushes_each_change_and_the_page_needs_a_session(session, server):
    session.post("/api/brokers", {"name": "paper", "terminal": "sim", "server": "MAS-Sim", "login": LOGIN,
                                  "host": "127.0.0.1", "port": server.port})
    with session.client.stream("GET", "/api/account/events") as response:  # no active account: says so
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        first = next(line for line in lines if line.startswith("data: "))
        assert json.loads(first[len("data: "):]) == {"profile": None}
    assert session.post("/api/brokers/paper/activate").status_code == 200
    ticket = market_buy(server.port)
    versions = []
    with session.client.stream("GET", "/api/account/events") as response:
        deadline = time.monotonic() + 30
        for line in response.iter_lines():
            if line.startswith("data: "):
                view = json.loads(line[len("data: "):])
                versions.append(view["version"])
                if ticket in {p["ticket"] for p in view["positions"]} or time.monotonic() > deadline:
                    break
    assert ticket in {p["ticket"] for p in view["positions"]}
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    stranger = session.client.__class__(session.client.app, base_url=str(session.client.base_url))
    assert stranger.get("/api/account/view").status_code == 401


def test_an_account_that_cannot_log_in_is_shown_with_the_reason(session, monkeypatch):
    monkeypatch.setenv("MAS_PASSWORD_NOWHERE", PASSWORD)
    session.post("/api/brokers", {"name": "nowhere", "terminal": "sim", "server": "MAS-Sim", "login": 1,
                                  "host": "127.0.0.1", "port": 9})
    session.client.app.state.store.set_setting("active_profile", "nowhere")  # the server went away since
    view = view_until(session, lambda v: v.get("error"))
    assert view["connected"] is False and view["error"].startswith("profile: nowhere: login failed")
    assert PASSWORD not in view["error"]
