"""Cancel stops a fast-path backtest and a fast sweep mid-run: they run in a worker process (mas.web.worker) that
cancel ends, so the job is "cancelled" at once, its process is gone, and nothing of it is kept as a finished run.

The long fast run is a text strategy over a million synthetic M1 bars written into the test's own MAS_HOME."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import numpy as np
import pytest

from mas.web import worker

from .conftest import until
from .test_optimize_api import finish

BARS = 1_000_000
LONG = {"symbol": "EURUSD", "timeframe": "M1", "from": "2000-01-01", "to": "2003-12-31", "capital": 1e9}
RSI = {"kind": "text", "text": "buy when RSI(14) < 30, sell when RSI(14) > 70"}


def write_long_history(bars: int = BARS) -> None:
    """A random walk of ``bars`` M1 candles from 2000-01-03 into the user's store (MAS_HOME)."""
    from mas.data.store import save_bars
    from mas.terminal.types import RATES_DTYPE

    start = int(np.datetime64("2000-01-03T00:00", "s").astype(np.int64))
    rng = np.random.default_rng(7)
    close = 1.10 + np.cumsum(rng.normal(0.0, 0.00005, bars))
    rates = np.zeros(bars, dtype=RATES_DTYPE)
    rates["time"] = start + np.arange(bars, dtype=np.int64) * 60
    rates["open"] = np.r_[close[0], close[:-1]]
    rates["close"] = close
    rates["high"] = np.maximum(rates["open"], close) + 0.0001
    rates["low"] = np.minimum(rates["open"], close) - 0.0001
    rates["tick_volume"] = 10
    rates["spread"] = 10
    save_bars("EURUSD", "M1", rates, price_side="bid", has_spread=True)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture()
def long_history(isolated_mas_home):
    write_long_history()


def test_cancel_ends_a_fast_backtest_mid_run_and_keeps_nothing(session, long_history):
    started = session.post("/api/backtests", {"strategy": RSI, **LONG})
    assert started.status_code == 202, started.text
    job = started.json()["job"]
    assert until(lambda: session.get(f"/api/jobs/{job}").json()["state"] == "running")
    pids = until(worker.running)  # the fast path runs in a worker process
    assert len(pids) == 1
    cancelled = session.post(f"/api/jobs/{job}/cancel").json()
    assert cancelled["state"] == "cancelled"
    jobs = session.client.app.state.jobs
    assert until(lambda: jobs.active() == 0 and not worker.running())
    assert until(lambda: gone(pids[0]))  # the process is ended, not left to finish
    run = session.get(f"/api/runs/{job}").json()
    assert run["state"] == "cancelled" and run["document"] is None and run["kpis"] is None and run["error"] is None
    assert [r["state"] for r in session.get("/api/runs").json()] == ["cancelled"]


def test_a_fast_backtest_in_its_worker_gives_what_it_gives_in_the_app(session):
    """The worker changes where the fast path runs, not what it computes: the same document as the app's run (a
    year of H1 bars is a quick run, made in the app's process) and as in this process."""
    from mas.app import exact_spec, load_text_strategy, result_document, run_backtest
    from mas.web.services import fast_backtest_in_worker

    year = {"from": "2017-01-01", "to": "2017-12-31"}
    run = session.backtest(RSI, **year)
    assert run["document"]["settings"]["engine"] == "fast"
    strategy = load_text_strategy(RSI["text"])
    here = result_document(run_backtest(strategy, {"symbol": "EURUSD", "timeframe": "H1", **year},
                                        spec=exact_spec(strategy, None, {})))
    assert run["document"]["metrics"] == here["metrics"] and run["document"]["trades"] == here["trades"]
    saved = worker.run_in_worker(fast_backtest_in_worker, {"strategy": RSI, **year}, on_progress=lambda *_: None,
                                 check=lambda: None)
    there = json.loads(saved.text)
    for document in (there, run["document"]):
        document["settings"].pop("elapsed_seconds")  # how long each took
    assert there == run["document"]
    assert not worker.running()


def test_only_long_fast_backtests_take_a_worker_process():
    """A worker process costs more to start than a short fast run takes: a year of H1 bars runs in the app."""
    from mas.web.schemas import BacktestRequest
    from mas.web.services import QUICK_BARS, quick

    def request(**fields):
        return BacktestRequest.model_validate({"strategy": RSI, **fields})

    assert quick(request(**{"from": "2017-01-01", "to": "2017-12-31"}))  # 8,760 hours
    assert not quick(request(**LONG))  # four years of minutes
    assert not quick(request())  # the whole stored history: its length is unknown
    assert not quick(request(model="ohlc", **{"from": "2017-01-01", "to": "2017-12-31"}))  # it replays minutes
    start, days = date(2017, 1, 1), QUICK_BARS // 1440  # that many days of minutes, and one more
    assert quick(request(timeframe="M1", **{"from": str(start), "to": str(start + timedelta(days=days - 1))}))
    assert not quick(request(timeframe="M1", **{"from": str(start), "to": str(start + timedelta(days=days))}))


def test_a_failure_in_the_worker_is_the_runs_error(session):
    started = session.post("/api/backtests", {"strategy": RSI, "symbol": "GBPJPY", "from": "2017-01-01",
                                              "to": "2017-01-31"})
    assert started.status_code == 202, started.text
    state = session.wait(started.json()["job"])
    assert state["state"] == "failed" and "GBPJPY" in state["error"]


def test_cancel_ends_a_fast_sweep_mid_run(session):
    body = {"strategy": {"kind": "builtin", "name": "ma"}, "params": {"fast": "2:60:1", "slow": "20:300:1"},
            "method": "random", "trials": 5000, "from": "2017-01-01", "to": "2017-12-31"}
    started = session.post("/api/optimizations", body)
    assert started.status_code == 202, started.text
    ident = started.json()["id"]
    view = until(lambda: (v := session.get(f"/api/optimizations/{ident}").json())["done"] and v)
    assert view and view["state"] == "running" and 0 < view["done"] < view["total"] == 5000
    pids = worker.running()
    assert len(pids) == 1
    assert session.post(f"/api/optimizations/{ident}/cancel").json()["state"] == "cancelled"
    assert until(lambda: not worker.running() and gone(pids[0]))
    task = finish(session, ident)
    assert task["state"] == "cancelled" and task["result"] is None and task["done"] < 5000
    kept = session.client.app.state.store.sweep(ident)
    assert until(lambda: (k := session.client.app.state.store.sweep(ident)) and k["state"] == "cancelled") or kept
