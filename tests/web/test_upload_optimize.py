"""An uploaded strategy file (.py) on the optimize page and in Export: its parameters read from its source without
running it, a sweep that runs it only once started and ranks exactly as ``mas optimize FILE.py`` does, and the
export (the file itself and the runner that runs it as ``mas backtest`` does)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from .test_optimize_api import finish
from .test_upload_strategy import post_file

HALF = {"from": "2017-01-01", "to": "2017-03-31"}
CROSS = '''import os

import mas

with open(os.environ["MAS_TEST_MARKER"], "a", encoding="utf-8") as marker:  # proves when the file runs
    marker.write("ran\\n")


class Cross(mas):
    """Buy when SMA(fast) is above SMA(slow), close when below."""

    def __init__(self, fast=5, slow=20, volume=0.1, label="x", *, flip=False):
        super().__init__()
        self.fast, self.slow, self.volume = fast, slow, volume
        self.closes = []
        self.order_id = None

    def receive_bars(self, symbol, data, is_end):
        self.closes = (self.closes + [data["close"]])[-self.slow:]
        if len(self.closes) < self.slow or is_end:
            return
        fast = sum(self.closes[-self.fast:]) / self.fast
        slow = sum(self.closes) / self.slow
        if self.order_id is None and fast > slow:
            self.order_id = self.send_order({"symbol": symbol, "order_type": "buy", "volume": self.volume,
                                             "backtest_toggle": True})
        elif self.order_id is not None and fast < slow:
            order = {"symbol": symbol, "order_type": "sell", "volume": self.volume, "order_id": self.order_id,
                     "backtest_toggle": True}
            if self.send_order(order) is not None:
                self.order_id = None
'''


def upload(session, tmp_path, monkeypatch) -> tuple[dict, Path]:
    marker = tmp_path / "marker.txt"
    monkeypatch.setenv("MAS_TEST_MARKER", str(marker))
    response = post_file(session, "my cross.py", CROSS.encode())
    assert response.status_code == 200, response.text
    return response.json(), marker


def test_the_parameters_of_an_uploaded_file_are_read_without_running_it(session, tmp_path, monkeypatch):
    source, marker = upload(session, tmp_path, monkeypatch)
    response = session.post("/api/optimize/params", {"strategy": source})
    assert response.status_code == 200, response.text
    assert response.json() == [{"name": "fast", "value": 5}, {"name": "slow", "value": 20},
                               {"name": "volume", "value": 0.1}]  # numbers only: label and flip are not swept
    chosen = session.post("/api/optimize/params", {"strategy": {**source, "params": {"fast": 8}}}).json()
    assert chosen[0] == {"name": "fast", "value": 8}
    assert not marker.exists()


def test_a_sweep_of_an_uploaded_file_ranks_as_mas_optimize_does(session, tmp_path, monkeypatch):
    source, marker = upload(session, tmp_path, monkeypatch)
    body = {"strategy": source, "params": {"fast": "4:8:2", "slow": [20, 30]}, "metric": "total_return_rate", **HALF}
    started = session.post("/api/optimizations", body)
    assert started.status_code == 202, started.text
    task = finish(session, started.json()["id"])
    assert task["state"] == "done", task
    assert marker.exists()  # the sweep ran the file
    ranked = task["result"]["ranked"]
    assert len(ranked) == 6 and task["result"]["param_names"] == ["fast", "slow"]
    best = ranked[0]
    assert best["backtest"] == {**source, "params": best["params"]}  # "backtest these parameters" runs the file

    path = tmp_path / "cross.py"
    path.write_text(CROSS, encoding="utf-8")
    out = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "mas", "optimize", str(path), "--param", "fast=4:8:2",
                    "--param", "slow=20,30", "--metric", "total_return_rate", "--from", HALF["from"], "--to",
                    HALF["to"], "--json", str(out)], check=True, capture_output=True, timeout=300, env=os.environ)
    cli = json.loads(out.read_text(encoding="utf-8"))
    by_params = {json.dumps(t["params"], sort_keys=True): t["metrics"]["total_return_rate"] for t in cli["results"]}
    for row in ranked:
        assert row["metrics"]["total_return_rate"] == by_params[json.dumps(row["params"], sort_keys=True)]
    run = session.backtest(best["backtest"], **HALF)
    assert run["document"]["metrics"]["total_return_rate"] == best["metrics"]["total_return_rate"]


def test_a_sweep_naming_a_parameter_the_class_does_not_take_fails_as_the_command_does(session, tmp_path,
                                                                                       monkeypatch):
    source, _marker = upload(session, tmp_path, monkeypatch)
    started = session.post("/api/optimizations", {"strategy": source, "params": {"fats": "4:6:2"}, **HALF})
    assert started.status_code == 202, started.text  # names are checked by the class, once the file runs
    task = finish(session, started.json()["id"])
    assert task["state"] in ("failed", "done"), task
    if task["state"] == "done":
        assert all(row["status"] != "ok" for row in task["result"]["ranked"])
    else:
        assert "fats" in task["error"]


def test_export_of_an_uploaded_file_is_the_file_and_its_runner(session, tmp_path, monkeypatch):
    source, marker = upload(session, tmp_path, monkeypatch)
    response = session.post("/api/strategy/export", {"strategy": {**source, "params": {"fast": 6}},
                                                     "symbol": "EURUSD", "timeframe": "H1", **HALF})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="my_cross.zip"' in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["my_cross.py", "run_my_cross.py"]
    assert archive.read("my_cross.py") == CROSS.encode()
    assert not marker.exists()  # exporting runs nothing
    archive.extractall(tmp_path / "program")

    out = tmp_path / "runner.json"
    subprocess.run([sys.executable, str(tmp_path / "program" / "run_my_cross.py"), "--json", str(out)], check=True,
                   capture_output=True, timeout=300, env=os.environ)
    cli = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "mas", "backtest", str(tmp_path / "program" / "my_cross.py"), "--param",
                    "fast=6", "--from", HALF["from"], "--to", HALF["to"], "--json", str(cli)], check=True,
                   capture_output=True, timeout=300, env=os.environ)
    ran, expected = json.loads(out.read_text()), json.loads(cli.read_text())
    assert ran["trades"] == expected["trades"] and ran["metrics"] == expected["metrics"]
    assert len(ran["trades"]) > 0

    live = session.post("/api/strategy/export", {"strategy": source, "live": True, "profile": "paper"})
    runner = zipfile.ZipFile(io.BytesIO(live.content)).read("run_my_cross.py")
    assert b"BACKTEST = False" in runner and b"PROFILE = 'paper'" in runner
    assert not re.search(rb"password\W*[=:]", runner, re.IGNORECASE)  # no password is written into it
