"""A backtest job's progress and cancel are real: the job reports the replay's bars done out of its total, and
cancel stops the replay at its next bar (the strategy sees no bar after that), nothing of it kept."""

from __future__ import annotations

import threading
import time

from mas.strategy.builtins import BUILTIN_STRATEGIES
from mas.web.jobs import JobControl, JobRunner
from mas.web.services import PROGRESS_EVERY
from mas.web.store import Store

from .conftest import YEAR, until

MACD = {"kind": "builtin", "name": "macd", "params": {}}
HOLD_AT = 300  # the bar at which the stand-in slow strategy waits


def _until(predicate, limit: float = 60.0):
    return until(predicate, limit)


def test_a_running_backtest_reports_bars_done_of_the_total_and_cancel_stops_the_replay(session, monkeypatch):
    whole = session.backtest(MACD, engine="event", **YEAR)["document"]
    total = len(whole["equity"])  # one equity point per replayed bar
    cls = BUILTIN_STRATEGIES["macd"]
    original = cls.receive_bars
    gate, calls = threading.Event(), []

    def slow(self, symbol, data, is_end):  # a strategy that takes its time at bar HOLD_AT
        calls.append(data["time"])
        if len(calls) == HOLD_AT:
            gate.wait(60)
        return original(self, symbol, data, is_end)

    monkeypatch.setattr(cls, "receive_bars", slow)
    job = session.post("/api/backtests", {"strategy": MACD, "engine": "event", **YEAR}).json()["job"]
    try:
        view = _until(lambda: (v := session.get(f"/api/jobs/{job}").json())["progress"]
                      and v["progress"]["done"] >= HOLD_AT - HOLD_AT % PROGRESS_EVERY and v)
        assert view and view["state"] == "running", view
        assert view["progress"] == {"done": HOLD_AT - HOLD_AT % PROGRESS_EVERY, "total": total, "phase": "bars"}
        cancelled = session.post(f"/api/jobs/{job}/cancel").json()
        assert cancelled["state"] == "cancelled" and cancelled["progress"] is None
    finally:
        gate.set()
    jobs = session.client.app.state.jobs
    assert _until(lambda: jobs.active() == 0)
    seen = len(calls)
    assert HOLD_AT <= seen <= HOLD_AT + PROGRESS_EVERY < total  # stopped at the next check, not at the year's end
    time.sleep(0.2)
    assert len(calls) == seen  # and nothing replays on in the background
    run = session.get(f"/api/runs/{job}").json()
    assert run["state"] == "cancelled" and run["document"] is None and run["error"] is None


def test_a_finished_job_has_no_progress_and_the_fast_path_still_runs(session):
    run = session.backtest({"kind": "text", "text": "buy when RSI(14) < 30, sell when RSI(14) > 70"}, **YEAR)
    assert run["document"]["settings"]["engine"] == "fast"
    assert session.get(f"/api/jobs/{run['id']}").json()["progress"] is None


def test_the_runner_passes_a_control_to_jobs_that_take_one(tmp_path):
    store = Store(tmp_path / "ui.sqlite3")
    runner = JobRunner(store, workers=1)
    step, release = threading.Event(), threading.Event()

    def work(control: JobControl):
        control.report(3, 10, "bars")
        step.set()
        for _ in range(3000):
            control.check()  # raises once cancelled
            if release.wait(0.01):
                break
        control.report(10)
        return {"metrics": {}}

    done = runner.submit("a", {}, work)
    assert step.wait(30)
    assert runner.progress(done) == {"done": 3, "total": 10, "phase": "bars"}
    release.set()
    assert _until(lambda: runner.active() == 0)  # the job has left the runner
    assert store.run(done, with_document=False)["state"] == "done"
    assert runner.progress(done) is None

    step.clear()
    release.clear()
    stopped = runner.submit("b", {}, work)
    assert step.wait(30)
    assert runner.cancel(stopped) is True
    assert _until(lambda: runner.active() == 0)
    assert store.run(stopped)["state"] == "cancelled" and store.run(stopped)["document"] is None
    runner.shutdown()
