"""Optimization sweeps are kept in the app's SQLite database: a finished one is listed and read back, with its
result, by the next app on the same MAS_HOME; a cancelled one is kept as cancelled; one is forgotten on request."""

from __future__ import annotations

import time

from .conftest import Session, enter, make_client
from .test_optimize_api import HALF, MA, finish


def test_a_finished_sweep_is_read_back_after_a_restart_and_can_be_forgotten(isolated_mas_home):
    with make_client(isolated_mas_home) as first_client:
        first = Session(first_client, enter(first_client))
        ident = first.post("/api/optimizations", {"strategy": MA, "params": {"fast": [5, 10], "slow": [20]},
                                                  "metric": "sharpe_ratio", **HALF}).json()["id"]
        task = finish(first, ident)
        assert task["state"] == "done"
        listed = first.get("/api/optimizations").json()
        assert [s["id"] for s in listed] == [ident] and "result" not in listed[0]
    with make_client(isolated_mas_home, token="second") as second_client:  # a new process, the same database
        second = Session(second_client, enter(second_client, "second"))
        listed = second.get("/api/optimizations").json()
        assert [(s["id"], s["state"], s["done"], s["total"]) for s in listed] == [(ident, "done", 2, 2)]
        assert listed[0]["request"]["params"] == {"fast": [5, 10], "slow": [20]}
        assert listed[0]["label"].startswith("ma(")
        kept = second.get(f"/api/optimizations/{ident}").json()
        assert kept["result"]["ranked"] == task["result"]["ranked"] and kept["result"]["all"] == task["result"]["all"]
        assert second.delete(f"/api/optimizations/{ident}").json() == {"ok": True}
        assert second.get("/api/optimizations").json() == []
        assert second.get(f"/api/optimizations/{ident}").status_code == 404
        assert second.delete(f"/api/optimizations/{ident}").status_code == 404
        assert second.client.delete(f"/api/optimizations/{ident}").status_code == 403  # no CSRF header


def test_a_cancelled_sweep_is_kept_as_cancelled(session):
    ident = session.post("/api/optimizations", {"strategy": MA, "params": {"fast": "2:40:1", "slow": "20:60:5"},
                                                "metric": "sharpe_ratio", **HALF}).json()["id"]
    session.post(f"/api/optimizations/{ident}/cancel")
    assert finish(session, ident)["state"] == "cancelled"
    store = session.client.app.state.store
    for _ in range(3000):  # kept once the worker has stopped (at once when it had not started)
        if store.sweep(ident) is not None:
            break
        time.sleep(0.01)
    assert store.sweep(ident)["state"] == "cancelled" and store.sweep(ident)["result"] is None
    assert [s["state"] for s in session.get("/api/optimizations").json()] == ["cancelled"]
    assert session.delete(f"/api/optimizations/{ident}").json() == {"ok": True}
    assert session.get("/api/optimizations").json() == [] and store.sweep(ident) is None
