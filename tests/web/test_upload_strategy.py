"""Uploaded strategy files (.py): kept without running (a static look only), run when a backtest is started,
exactly as ``mas backtest file.py`` runs them (same trades and equity), never run to draw a chart; bad files and
what a file cannot do (the fast path) refused naming why."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import YEAR

ROOT = Path(__file__).resolve().parents[2]
MARKED = '''import os

import mas

with open(os.environ["MAS_TEST_MARKER"], "a", encoding="utf-8") as marker:  # proves when the file runs
    marker.write("ran\\n")

'''


def post_file(session, name: str, content: bytes):
    return session.client.post("/api/strategy/files", params={"name": name}, content=content,
                               headers={"X-CSRF-Token": session.csrf, "Content-Type": "application/octet-stream"})


def test_an_uploaded_file_runs_only_when_backtested_and_gives_what_mas_backtest_gives(session, tmp_path,
                                                                                      monkeypatch):
    marker = tmp_path / "marker.txt"
    monkeypatch.setenv("MAS_TEST_MARKER", str(marker))
    program = MARKED + (ROOT / "examples" / "ma_cross.py").read_text(encoding="utf-8").split("import mas\n", 1)[1]
    uploaded = post_file(session, "ma cross.py", program.encode())
    assert uploaded.status_code == 200, uploaded.text
    source = uploaded.json()
    assert source["kind"] == "file" and source["name"] == "ma_cross.py" and source["classes"] == ["MAS_Client"]
    assert not marker.exists()  # uploading ran nothing
    assert post_file(session, "again.py", program.encode()).json()["id"] == source["id"]  # one copy per content

    run = session.backtest(source, **YEAR)
    assert marker.read_text() == "ran\n"  # the backtest ran it, once
    doc = run["document"]
    assert doc["settings"]["engine"] == "event" and run["label"] == "ma_cross.py"
    chart = session.get(f"/api/runs/{run['id']}/chart")
    assert chart.status_code == 200 and marker.read_text() == "ran\n"  # drawing the chart runs nothing

    path = tmp_path / "ma_cross.py"
    path.write_text(program, encoding="utf-8")
    out = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "mas", "backtest", str(path), "--from", YEAR["from"], "--to", YEAR["to"],
                    "--json", str(out)], check=True, capture_output=True, timeout=300)
    cli = json.loads(out.read_text(encoding="utf-8"))
    assert doc["trades"] == cli["trades"] and doc["equity"] == cli["equity"] and doc["metrics"] == cli["metrics"]

    fast = session.post("/api/backtests", {"strategy": source, "engine": "fast", **YEAR})
    assert fast.status_code == 422 and fast.json()["detail"].startswith("engine:")
    export = session.post("/api/strategy/export", {"strategy": source})  # the file and its runner (its own tests)
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    runs = marker.read_text()
    sweep = session.post("/api/optimize/params", {"strategy": source})  # read from its source, without running it
    assert sweep.status_code == 200 and sweep.json() == [] and marker.read_text() == runs
    saved = session.post("/api/strategies", {"name": "my file", "source": source})
    assert saved.status_code == 200 and saved.json()["source"]["id"] == source["id"]


def test_bad_files_are_refused_naming_what_is_wrong(session):
    cases = [("notes.txt", b"class A: pass\n", "is not a Python file"),
             ("broken.py", b"class A(:\n", "broken.py:1:"),
             ("latin.py", "x = 'é'\n".encode("latin-1"), "not UTF-8"),
             ("empty.py", b"x = 1\n", "defines no class")]
    for name, content, words in cases:
        response = post_file(session, name, content)
        assert response.status_code == 422 and words in response.json()["detail"], (name, response.text)
    from mas.web import uploads

    too_big = post_file(session, "big.py", b"#" * (uploads.MAX_FILE + 1))
    assert too_big.status_code == 413
    unknown = session.post("/api/backtests", {"strategy": {"kind": "file", "id": "0" * 32}, **YEAR})
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("strategy.id:")
    assert session.client.post("/api/strategy/files", params={"name": "a.py"}, content=b"class A: pass\n"
                               ).status_code == 403  # no CSRF header
