"""Stopping ``mas ui`` (Ctrl+C in its terminal, or a service manager's SIGTERM) while a long fast-path backtest and
a sweep run in their worker processes: the app ends those processes as it stops instead of waiting for their work,
and after a restart the backtest is a failed run and the sweep a kept cancelled one, each saying the app stopped
(never left "running"). The long backtest is a text strategy over a million synthetic M1 bars (seconds of work).
Before, a SIGTERM left the worker processes running on, orphaned, until their work was done."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from mas.web.store import INTERRUPTED

from .server import running_ui, ui_process
from .test_fast_cancel import LONG, RSI, until, write_long_history

SWEEP = {"strategy": {"kind": "builtin", "name": "ma"}, "params": {"fast": "2:60:1", "slow": "20:300:1"},
         "method": "random", "trials": 5000, "from": "2017-01-01", "to": "2017-12-31"}


def children() -> dict[int, int]:
    """Every live process's parent: {pid: ppid} (zombies left out: they have ended)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if state != "Z":
                out[int(entry.name)] = int(ppid)
    return out


def descendants(pid: int) -> dict[int, int]:
    """The live processes below ``pid``: {pid: depth} (1: its children, 2: theirs, ...)."""
    table = children()
    found, frontier, depth = {}, [pid], 0
    while frontier:
        depth += 1
        frontier = [p for p, parent in table.items() if parent in frontier and p not in found]
        found.update({p: depth for p in frontier})
    return found


def alive(pid: int) -> bool:
    return pid in children()


def logged_in(url: str) -> tuple[httpx.Client, dict[str, str]]:
    """A client past the token URL (its session cookie) and the CSRF header the page sends."""
    base = url.split("/?")[0]
    client = httpx.Client(base_url=base, timeout=60)
    assert client.get(url).status_code in (200, 303)
    csrf = client.cookies.get(f"mas_csrf_{base.rsplit(':', 1)[1]}")
    return client, {"X-CSRF-Token": csrf}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_the_app_ends_its_worker_processes_and_the_runs_say_so(isolated_mas_home, how):
    write_long_history()
    with ui_process(isolated_mas_home) as (proc, url):
        client, csrf = logged_in(url)
        started = client.post("/api/backtests", json={"strategy": RSI, **LONG}, headers=csrf)
        assert started.status_code == 202, started.text
        job = started.json()["job"]
        sweep = client.post("/api/optimizations", json=SWEEP, headers=csrf)
        assert sweep.status_code == 202, sweep.text
        sweep_id = sweep.json()["id"]
        # both work in worker processes, forked by the fork server: the server's grandchildren
        workers = until(lambda: len(found := [p for p, depth in descendants(proc.pid).items() if depth >= 2]) >= 2
                        and found)
        assert workers, descendants(proc.pid)
        assert client.get(f"/api/jobs/{job}").json()["state"] == "running"
        assert client.get(f"/api/optimizations/{sweep_id}").json()["state"] == "running"
        family = list(descendants(proc.pid))
        client.close()

        asked = time.monotonic()
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends to the app's whole process group
        else:
            proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
        ended = time.monotonic() - asked
        assert [p for p in workers if alive(p)] == []  # ended by the app before it exited, not left to finish
        assert until(lambda: not any(alive(p) for p in family)), [p for p in family if alive(p)]  # fork server
        print(f"{how}: the app and its {len(family)} processes ended {ended:.2f} s after the signal")

    with running_ui(isolated_mas_home) as url:
        client, _csrf = logged_in(url)
        run = client.get(f"/api/runs/{job}").json()
        assert run["state"] == "failed", run["state"]  # not "done": the app did not wait for the work to end
        assert run["error"] == INTERRUPTED and run["document"] is None
        kept = client.get(f"/api/optimizations/{sweep_id}").json()
        assert kept["state"] == "cancelled" and kept["error"] == INTERRUPTED and kept["result"] is None
        assert 0 <= kept["done"] < 5000
        client.close()
