"""The live view as server-sent events, over a real `mas ui` (uvicorn on 127.0.0.1) and a real `mas sim serve`, both
started by the test: the active account switched in one click (the page gets the account, never a credential),
the profile's risk guards shown, a strategy started, positions / journal / equity pushed as they change, a
position closed after confirmation, the stream ended when the run stops. Plus what is refused."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from live.conftest import ServerProcess

from .conftest import make_client
from .server import running_ui

LOGIN = 7211
PASSWORD = "Stream-Pa55-Vermilion"
HOLD = {"period": 2, "oversold": 99.9, "overbought": 100}  # buys and never sells: a position stays open
READ_LIMIT = 5_000  # events read from a stream at most (each wait is bounded in count as well as time)


@pytest.fixture
def sim() -> Iterator[ServerProcess]:
    """``mas sim serve`` in a subprocess, replaying EURUSD H1 from 2017-01-02 at 20 bars a second."""
    server = ServerProcess()
    yield server
    server.kill()


@pytest.fixture
def ui(isolated_mas_home) -> Iterator[httpx.Client]:
    """`mas ui` in a subprocess; a client that entered with the printed token and sends the CSRF header."""
    with running_ui(isolated_mas_home, env={"MAS_PASSWORD_PAPER": PASSWORD}) as url:
        base, token = url.split("/?token=")
        with httpx.Client(base_url=base, timeout=60) as client:
            assert client.get(f"/?token={token}", follow_redirects=True).status_code == 200
            port = base.rsplit(":", 1)[1]
            client.headers["X-CSRF-Token"] = client.cookies.get(f"mas_csrf_{port}")
            yield client


def events(client: httpx.Client, ident: str) -> Iterator[tuple[str, Any]]:
    """(event name, data) of the run's stream, as they arrive."""
    with client.stream("GET", f"/api/live/{ident}/events", timeout=httpx.Timeout(60, read=60)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name, data = None, []
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data.append(line[len("data: "):])
            elif line == "" and name is not None:
                yield name, json.loads("\n".join(data))
                name, data = None, []


def read_until(stream: Iterator[tuple[str, Any]], predicate, limit: float = 60.0) -> dict:
    """The first view event ``predicate`` accepts (within ``limit`` seconds and READ_LIMIT events)."""
    deadline = time.monotonic() + limit
    for _ in range(READ_LIMIT):
        name, data = next(stream)
        if name == "view" and predicate(data):
            return data
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"the stream never showed it within {limit:g} s")


def test_switch_account_start_watch_the_stream_close_a_position_and_stop(ui, sim):
    added = ui.post("/api/brokers", json={"name": "paper", "terminal": "sim", "server": "MAS-Sim", "login": LOGIN,
                                         "host": "127.0.0.1", "port": sim.port, "max_lots": 1, "max_positions": 2})
    assert added.status_code == 200, added.text
    listed = ui.get("/api/brokers").json()
    assert listed[0]["guards"] == "max_lots=1 max_positions=2" and listed[0]["active"] is False
    assert ui.get("/api/account").json() == {"profile": None}

    switched = ui.post("/api/brokers/paper/activate")  # one click: the server logs in and reads the account
    assert switched.status_code == 200, switched.text
    assert switched.json()["account"]["login"] == LOGIN and switched.json()["account"]["balance"] == 10_000
    assert PASSWORD not in switched.text and "password" not in switched.text
    assert [p["active"] for p in ui.get("/api/brokers").json()] == [True]

    started = ui.post("/api/live", json={"strategy": {"kind": "builtin", "name": "rsi", "params": HOLD},
                                         "profile": "paper", "interval_ms": 50, "warmup_bars": 5, "confirm": True})
    assert started.status_code == 201, started.text
    ident = started.json()["id"]
    assert ui.get("/api/account").json() == {"profile": "paper", "guards": "max_lots=1 max_positions=2", "run": ident}
    stream = events(ui, ident)
    try:
        # the journal is read once a second: its entry may still be "pending" in the view that first has a position
        view = read_until(stream, lambda v: v["positions"] and any(j["state"] == "done" for j in v["journal"]))
        assert view["running"] and view["guards"] == "max_lots=1 max_positions=2"
        assert view["account"]["login"] == LOGIN and view["equity"]
        ticket = view["positions"][0]["ticket"]
        assert any(j["state"] == "done" and j["symbol"] == "EURUSD" for j in view["journal"])
        assert len(view["positions"]) <= 2  # the max_positions guard holds

        refused = ui.post(f"/api/live/{ident}/positions/{ticket}/close", json={})
        assert refused.status_code == 422 and refused.json()["detail"].startswith("confirm:")
        closed = ui.post(f"/api/live/{ident}/positions/{ticket}/close", json={"confirm": True})
        assert closed.status_code == 200, closed.text
        view = read_until(stream, lambda v: ticket not in {p["ticket"] for p in v["positions"]}
                          and any((j["comment"] or "").endswith("mas ui close") for j in v["journal"]))
        versions = [view["version"]]
    finally:
        stopped = ui.post(f"/api/live/{ident}/stop")
    assert stopped.status_code == 200
    last = None
    for _ in range(READ_LIMIT):  # the stream sends the final state, then ends
        name, data = next(stream)
        if name == "end":
            break
        last = data
        versions.append(data["version"])
    assert last is not None and last["running"] is False and last["account"]["login"] == LOGIN
    assert versions == sorted(versions) and len(set(versions)) == len(versions)  # each version sent once
    with pytest.raises(StopIteration):
        next(stream)
    # a stream opened after the end sends the last state and ends at once
    replay = list(events(ui, ident))
    assert [name for name, _ in replay] == ["view", "end"] and replay[0][1]["running"] is False


def test_switching_to_an_account_that_cannot_log_in_keeps_the_active_one(isolated_mas_home, monkeypatch):
    monkeypatch.setenv("MAS_PASSWORD_NOWHERE", PASSWORD)
    with make_client(isolated_mas_home) as client:
        from .conftest import Session, enter

        session = Session(client, enter(client))
        assert session.post("/api/brokers", {"name": "nowhere", "terminal": "sim", "server": "MAS-Sim", "login": 1,
                                             "host": "127.0.0.1", "port": 9}).status_code == 200
        assert session.post("/api/brokers", {"name": "nopass", "terminal": "sim", "login": 2, "host": "127.0.0.1",
                                             "port": 9}).status_code == 200
        failed = session.post("/api/brokers/nowhere/activate")
        assert failed.status_code == 422 and failed.json()["detail"].startswith("profile: nowhere: login failed")
        nopass = session.post("/api/brokers/nopass/activate")
        assert nopass.status_code == 422 and "MAS_PASSWORD_NOPASS" in nopass.json()["detail"]
        assert PASSWORD not in failed.text
        assert not any(p["active"] for p in session.get("/api/brokers").json())
        assert session.post("/api/brokers/ghost/activate").status_code == 422
        assert session.post("/api/brokers/bad name/activate").status_code in (404, 422)
        assert session.client.post("/api/brokers/nowhere/activate").status_code == 403  # no CSRF header
        assert session.get("/api/live/" + "0" * 32 + "/events").status_code == 404


def test_the_active_profile_is_kept_across_restarts_and_cleared_when_removed(isolated_mas_home):
    from mas.web.store import Store

    store = Store(isolated_mas_home / "ui.sqlite3")
    store.set_setting("active_profile", "paper")
    assert Store(isolated_mas_home / "ui.sqlite3").setting("active_profile") == "paper"
    store.set_setting("active_profile", None)
    assert store.setting("active_profile") is None


def test_a_version_1_database_is_upgraded_in_place_keeping_its_runs(tmp_path):
    import sqlite3

    from mas.web.store import SCHEMA_VERSION, Store

    path = tmp_path / "ui.sqlite3"
    old = Store(path)
    ident = old.add_run("kept", {"x": 1})
    with sqlite3.connect(path) as conn:  # what version 1 wrote: no settings table
        conn.execute("DROP TABLE settings")
        conn.execute("DROP TABLE sweeps")
        conn.execute("PRAGMA user_version = 1")
    upgraded = Store(path)
    assert upgraded.run(ident)["label"] == "kept"
    upgraded.set_setting("active_profile", "a")
    assert upgraded.setting("active_profile") == "a"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2


def test_the_stream_needs_a_session(isolated_mas_home):
    with make_client(isolated_mas_home) as stranger:
        assert stranger.get("/api/live/" + "0" * 32 + "/events").status_code == 401
        assert stranger.get("/api/account").status_code == 401

