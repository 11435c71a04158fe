"""The page learns a job's end at once: ``GET /api/jobs/{id}?wait=S`` answers when the job ends (or after S
seconds), and a done job's answer carries its KPI tiles, which the page paints before reading the whole document.
Stopping the runner (the app stopping) fails what it had not finished, with the reason."""

from __future__ import annotations

import threading

from mas.web.jobs import JobRunner
from mas.web.store import INTERRUPTED, DocumentText, Store

from .conftest import TEXT, YEAR


def test_one_waiting_request_answers_the_end_with_the_kpi_tiles(session):
    started = session.post("/api/backtests", {"strategy": {"kind": "text", "text": TEXT}, **YEAR})
    assert started.status_code == 202, started.text
    job = started.json()["job"]
    state = session.get(f"/api/jobs/{job}?wait=10").json()
    for _ in range(30):  # bounded: under a very slow machine the run may outlast a wait
        if state["state"] not in ("queued", "running"):
            break
        state = session.get(f"/api/jobs/{job}?wait=10").json()
    assert state["state"] == "done" and state["progress"] is None
    run = session.get(f"/api/runs/{job}").json()
    assert state["result"] == {"kpis": run["kpis"], "currency": run["document"]["settings"]["currency"]}
    assert run["kpis"]["final_equity"] == run["document"]["equity"][-1][1]
    assert run["kpis"]["number_of_trades"] == run["document"]["metrics"]["number_of_trades"] > 0


def test_a_wait_ends_with_the_job_still_running_and_a_failed_job_has_no_tiles(session, monkeypatch):
    from mas.web import services

    release = threading.Event()

    def blocking_job(request):
        def work():
            release.wait(60)
            raise ValueError("no bars for that range")
        return work

    monkeypatch.setattr(services, "backtest_job", blocking_job)
    job = session.post("/api/backtests", {"strategy": {"kind": "text", "text": TEXT}}).json()["job"]
    waited = session.get(f"/api/jobs/{job}?wait=0.2").json()
    assert waited["state"] in ("queued", "running") and waited["result"] is None
    release.set()
    state = session.get(f"/api/jobs/{job}?wait=10").json()
    assert state["state"] == "failed" and state["error"] == "no bars for that range" and state["result"] is None
    assert session.get(f"/api/jobs/{job}?wait=11").status_code == 422  # at most MAX_WAIT seconds
    assert session.get(f"/api/jobs/{job}?wait=-1").status_code == 422


def test_the_runner_knows_only_its_own_jobs_and_wakes_a_waiter_at_the_end(tmp_path):
    store = Store(tmp_path / "ui.sqlite3")
    runner = JobRunner(store, workers=1)
    release = threading.Event()
    ident = runner.submit("x", {}, lambda: (release.wait(30), {"metrics": {"a": 1.5}, "equity": [[0, 2.0]]})[1])
    assert runner.wait("0" * 32, 5) is False  # not a job of this runner: no wait at all
    assert runner.wait(ident, 0.05) is True and store.run(ident, with_document=False)["state"] == "running"
    release.set()
    assert runner.wait(ident, 30) in (True, False)  # False when it had already been forgotten
    assert store.run(ident, with_document=False)["state"] == "done"
    assert store.result_summary(ident) == {"metrics": {"a": 1.5}, "final_equity": 2.0, "currency": ""}


def test_stopping_the_runner_fails_its_unfinished_jobs_with_the_reason(tmp_path):
    store = Store(tmp_path / "ui.sqlite3")
    runner = JobRunner(store, workers=1)
    release = threading.Event()
    running = runner.submit("a", {}, lambda control: (release.wait(30), control.check(), {"equity": []})[2])
    queued = runner.submit("b", {}, lambda: {"equity": []})
    for _ in range(3000):
        if store.run(running, with_document=False)["state"] == "running":
            break
        release.wait(0.01)
    runner.shutdown()
    release.set()
    assert runner.wait(running, 30) in (True, False)
    for ident in (running, queued):
        run = store.run(ident, with_document=False)
        assert run["state"] == "failed" and run["error"] == INTERRUPTED, run


def test_the_stored_text_is_the_strict_json_of_the_document():
    document = {"metrics": {"pf": float("inf"), "x": float("nan"), "y": 2.5}, "equity": [[0, 1.0], [1, 2.5]],
                "settings": {"currency": "USD", "label": "日本"}}
    saved = DocumentText.of(document)
    assert saved.text == ('{"metrics": {"pf": null, "x": null, "y": 2.5}, "equity": [[0, 1.0], [1, 2.5]], '
                          '"settings": {"currency": "USD", "label": "日本"}}')
    assert saved.metrics == '{"pf": null, "x": null, "y": 2.5}' and saved.final_equity == 2.5
    assert DocumentText.of({"equity": [[0, float("nan")]]}).final_equity is None
    assert DocumentText.of({}).final_equity is None and DocumentText.of({}).metrics == "{}"
