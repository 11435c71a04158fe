"""The optimize page's API through the ASGI test client: parameters of a strategy, a sweep with progress equal to
``mas.app.run_optimization``'s ranking, a walk-forward, cancel, and careless input."""

from __future__ import annotations

import time

import pytest

from mas.app import run_optimization

from .conftest import TEXT, make_client

MA = {"kind": "builtin", "name": "ma", "params": {}}
HALF = {"from": "2017-01-01", "to": "2017-06-30"}


def finish(session, ident: str, limit: float = 300.0) -> dict:
    deadline = time.monotonic() + limit
    seen = []
    for _ in range(30_000):
        task = session.get(f"/api/optimizations/{ident}").json()
        seen.append((task["done"], task["total"]))
        if task["state"] not in ("queued", "running") or time.monotonic() > deadline:
            task["seen"] = seen
            return task
        time.sleep(0.02)
    return task


def test_the_parameters_of_a_builtin_and_of_a_text_strategy(session):
    assert session.post("/api/optimize/params", {"strategy": MA}).json() == [
        {"name": "fast", "value": 5}, {"name": "slow", "value": 20}, {"name": "volume", "value": 0.1}]
    names = [p["name"] for p in session.post("/api/optimize/params",
                                             {"strategy": {"kind": "text", "text": TEXT}}).json()]
    assert names[:3] == ["rsi_14.period", "entry_long.right", "exit_long.right"]
    assert {"risk.stop_loss.value", "risk.take_profit.value", "risk.lots"} <= set(names)
    assert "version" not in names


def test_a_grid_sweep_ranks_as_run_optimization_does_with_progress(session):
    response = session.post("/api/optimizations", {"strategy": MA, "params": {"fast": "5:15:5", "slow": [20, 40]},
                                                   "metric": "sharpe_ratio", **HALF})
    assert response.status_code == 202, response.text
    task = finish(session, response.json()["id"])
    assert task["state"] == "done", task
    assert (task["done"], task["total"]) == (6, 6)
    assert all(done <= total for done, total in task["seen"] if total)
    result = task["result"]
    direct = run_optimization("ma", {"fast": "5:15:5", "slow": [20, 40]}, start=HALF["from"], end=HALF["to"],
                              metric="sharpe_ratio", seed=0, backtest={"capital": 10_000.0, "leverage": 100})
    assert [r["params"] for r in result["ranked"]] == [t.params for t in direct.ranked()]
    assert result["ranked"][0]["metrics"]["sharpe_ratio"] == pytest.approx(direct.best.metrics["sharpe_ratio"])
    assert result["param_names"] == ["fast", "slow"] and len(result["all"]) == 6
    best = result["ranked"][0]
    assert best["backtest"] == {"kind": "builtin", "name": "ma", "params": best["params"]}
    run = session.backtest(best["backtest"], **HALF)  # "backtest these parameters": the same numbers
    assert run["document"]["metrics"]["total_return_rate"] == pytest.approx(best["metrics"]["total_return_rate"])


def test_a_text_strategy_sweep_backtests_its_spec_with_the_chosen_values(session):
    params = {"rsi_14.period": [10, 14], "risk.stop_loss.value": "30:50:20"}
    response = session.post("/api/optimizations", {"strategy": {"kind": "text", "text": TEXT}, "params": params,
                                                   "metric": "total_return_rate", **HALF})
    task = finish(session, response.json()["id"])
    assert task["state"] == "done", task
    best = task["result"]["ranked"][0]
    spec = best["backtest"]["spec"]
    assert spec["indicators"][0]["period"] == best["params"]["rsi_14.period"]
    assert spec["risk"]["stop_loss"]["value"] == best["params"]["risk.stop_loss.value"]
    run = session.backtest(best["backtest"], **HALF)
    assert run["document"]["metrics"]["total_return_rate"] == pytest.approx(best["metrics"]["total_return_rate"])


def test_values_set_on_the_page_stay_fixed_in_every_set(session):
    strategy = {"kind": "builtin", "name": "ma", "params": {"fast": 8, "volume": 0.2}}
    response = session.post("/api/optimizations", {"strategy": strategy, "params": {"slow": [20, 30]}, **HALF})
    task = finish(session, response.json()["id"])
    assert task["state"] == "done", task
    assert task["result"]["param_names"] == ["slow"]
    assert sorted(r["params"]["slow"] for r in task["result"]["ranked"]) == [20, 30]
    for row in task["result"]["ranked"]:
        assert row["params"]["fast"] == 8 and row["params"]["volume"] == 0.2
        assert row["backtest"]["params"] == {"fast": 8, "volume": 0.2, "slow": row["params"]["slow"]}


def test_a_walk_forward_reports_each_window(session):
    response = session.post("/api/optimizations", {"strategy": MA, "params": {"fast": [5, 10]},
                                                   "walk_forward": {"in_sample": "2M", "out_of_sample": "1M"}, **HALF})
    task = finish(session, response.json()["id"])
    assert task["state"] == "done", task
    windows = task["result"]["windows"]
    assert len(windows) >= 3 and task["total"] == 2 * len(windows) == task["done"]
    assert all(w["backtest"]["params"]["fast"] == w["best_params"]["fast"] for w in windows if w["best_params"])


def test_a_sweep_can_be_cancelled(session):
    # 20,000 sets of a year (the most a page may ask): far longer than one request even on the compiled fast path,
    # so the cancel always finds the sweep queued or running (429 sets once finished before the cancel arrived)
    response = session.post("/api/optimizations", {"strategy": MA, "params": {"fast": "2:21:1", "slow": "51:1050:1"},
                                                   "max_sets": 20000,
                                                   "from": "2017-01-01", "to": "2017-12-31"})
    ident = response.json()["id"]
    cancelled = session.post(f"/api/optimizations/{ident}/cancel").json()
    assert cancelled["state"] == "cancelled"
    task = finish(session, ident)
    assert task["state"] == "cancelled" and task["result"] is None
    assert session.post(f"/api/optimizations/{ident}/cancel").json()["state"] == "cancelled"


@pytest.mark.parametrize(("change", "field"), [
    ({"params": {"nope": "1:3:1"}}, "params"),
    ({"params": {"fast": "five"}}, "params.fast"),
    ({"params": {}}, "params"),
    ({"metric": "happiness"}, "metric"),
    ({"method": "random"}, "trials"),
    ({"method": "annealing"}, "method"),
    ({"walk_forward": {"in_sample": "3Q", "out_of_sample": "1M"}}, "walk_forward.in_sample"),
    ({"from": "2017-06-01", "to": "2017-01-01"}, "from"),
    ({"strategy": {"kind": "builtin", "name": "nope"}}, "strategy.name"),
    ({"params": {"fast": "1:100000:1", "slow": "1:1000:1"}}, "params"),
])
def test_careless_sweeps_are_refused_naming_the_field(session, change, field):
    response = session.post("/api/optimizations", {"strategy": MA, "params": {"fast": "5:10:5"}, **change})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"].removeprefix("request body: ")
    assert detail.startswith(field), detail


def test_the_optimize_api_needs_a_session_and_the_csrf_header(isolated_mas_home, session):
    body = {"strategy": MA, "params": {"fast": "5:10:5"}}
    assert session.client.post("/api/optimizations", json=body).status_code == 403  # no CSRF header
    assert session.client.post("/api/optimize/params", json={"strategy": MA}).status_code == 403
    with make_client(isolated_mas_home) as stranger:
        assert stranger.get("/api/metrics").status_code == 401
        assert stranger.get("/api/optimizations/" + "0" * 32).status_code == 401
    assert session.get("/api/optimizations/" + "0" * 32).status_code == 404
    assert "sharpe_ratio" in session.get("/api/metrics").json()
