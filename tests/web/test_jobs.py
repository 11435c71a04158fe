"""Background jobs: states, cancel of a queued and of a running job, failures, two writers on one database."""

from __future__ import annotations

import threading
import time

from mas.web.jobs import JobRunner
from mas.web.store import Store


def _wait_state(store: Store, ident: str, states: set[str], limit: float = 30.0) -> str:
    deadline = time.monotonic() + limit
    state = store.run(ident, with_document=False)["state"]
    while state not in states and time.monotonic() < deadline:
        time.sleep(0.01)
        state = store.run(ident, with_document=False)["state"]
    return state


def test_a_job_goes_queued_running_done(tmp_path):
    store = Store(tmp_path / "ui.sqlite3")
    runner = JobRunner(store, workers=1)
    release = threading.Event()
    ident = runner.submit("x", {}, lambda: (release.wait(30), {"metrics": {"a": 1.5}, "equity": []})[1])
    assert _wait_state(store, ident, {"running"}) == "running"
    release.set()
    assert _wait_state(store, ident, {"done"}) == "done"
    run = store.run(ident)
    assert run["document"] == {"metrics": {"a": 1.5}, "equity": []}
    assert run["started_at"] <= run["finished_at"]
    runner.shutdown()


def test_cancel_a_queued_job_and_it_never_runs(tmp_path):
    store = Store(tmp_path / "ui.sqlite3")
    runner = JobRunner(store, workers=1)
    release, ran = threading.Event(), threading.Event()
    blocker = runner.submit("blocker", {}, lambda: (release.wait(30), {})[1])
    waiting = runner.submit("waiting", {}, lambda: (ran.set(), {})[1])
    assert _wait_state(store, blocker, {"running"}) == "running"
    assert runner.cancel(waiting) is True
    release.set()
    assert _wait_state(store, blocker, {"done"}) == "done"
    runner.shutdown()
    assert store.run(waiting, with_document=False)["state"] == "cancelled"
    assert not ran.is_set()
    assert runner.cancel(waiting) is False  # already ended


def test_cancel_a_running_job_discards_its_late_result(tmp_path):
    """The engine has no stop hook: the replay finishes, but the run stays cancelled and keeps no document."""
    store = Store(tmp_path / "ui.sqlite3")
    runner = JobRunner(store, workers=1)
    release, finished = threading.Event(), threading.Event()

    def work():
        release.wait(30)
        finished.set()
        return {"metrics": {}}

    ident = runner.submit("long", {}, work)
    assert _wait_state(store, ident, {"running"}) == "running"
    assert runner.cancel(ident) is True
    assert store.run(ident, with_document=False)["state"] == "cancelled"
    release.set()
    assert finished.wait(30)
    runner.shutdown()
    for _ in range(3000):  # the worker's finish_run has returned once the job leaves the runner
        if runner.active() == 0:
            break
        time.sleep(0.01)
    assert runner.active() == 0
    run = store.run(ident)
    assert run["state"] == "cancelled" and run["document"] is None


def test_a_failing_job_records_its_message(tmp_path):
    store = Store(tmp_path / "ui.sqlite3")
    runner = JobRunner(store, workers=1)

    def work():
        raise ValueError("symbol: no data for XYZ")

    def crash():
        raise RuntimeError("boom")

    a, b = runner.submit("a", {}, work), runner.submit("b", {}, crash)
    assert _wait_state(store, a, {"failed"}) == "failed"
    assert _wait_state(store, b, {"failed"}) == "failed"
    assert store.run(a)["error"] == "symbol: no data for XYZ"
    assert store.run(b)["error"] == "RuntimeError: boom"
    runner.shutdown()


def test_non_finite_numbers_are_stored_as_null(tmp_path):
    store = Store(tmp_path / "ui.sqlite3")
    ident = store.add_run("x", {})
    store.start_run(ident)
    assert store.finish_run(ident, {"metrics": {"pf": float("inf"), "x": float("nan"), "y": 2.5}, "equity": [[0, 1]]})
    assert store.run(ident)["document"]["metrics"] == {"pf": None, "x": None, "y": 2.5}
    assert store.runs()[0]["metrics"] == {"pf": None, "x": None, "y": 2.5}


def test_two_stores_on_one_file_write_concurrently(tmp_path):
    """Two app processes (or threads) on one database: every write lands, none is lost to a lock."""
    path = tmp_path / "ui.sqlite3"
    stores = [Store(path), Store(path)]
    errors: list[BaseException] = []

    def write(store: Store, n: int) -> None:
        try:
            for i in range(40):
                store.save_strategy(f"s{n}-{i}", {"kind": "text", "text": f"buy {i}"})
                store.add_run(f"r{n}-{i}", {})
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(Store(path).strategies()) == 80
    assert len(Store(path).runs()) == 80


def test_a_killed_process_releases_its_instance_lock(tmp_path):
    import subprocess
    import sys

    from mas.web.instances import Instance, instance_alive

    folder = tmp_path / "ui-instances"
    code = ("import sys, time; from mas.web.instances import Instance; i = Instance(sys.argv[1]); "
            "print(i.id, flush=True); time.sleep(600)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        ident = proc.stdout.readline().strip()
        assert len(ident) == 32
        assert instance_alive(folder, ident)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert not instance_alive(folder, ident)
    assert not (folder / f"{ident}.lock").exists()  # cleaned up by whoever found it dead
    mine = Instance(folder)
    assert instance_alive(folder, mine.id)  # a live one in this very process counts too
    mine.release()
    assert not instance_alive(folder, mine.id)
    assert not instance_alive(folder, None) and not instance_alive(folder, "../../etc/passwd")
