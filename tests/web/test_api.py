"""The JSON API through the ASGI test client: strategies, backtest jobs, runs, the library, bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time

import pytest

from mas.web.security import csrf_cookie
from mas.web.store import SCHEMA_VERSION, Store, StoreError

from .conftest import PORT, TEXT, YEAR, Session, enter, make_client

ZH_TEXT = "RSI(14) 低於 30 時買進，RSI 高於 70 時賣出，停損 50 點"


# ----------------------------------------------------------------------------- strategies


def test_a_text_is_read_back_in_plain_words(session):
    reading = session.post("/api/strategy/parse", {"text": TEXT}).json()
    assert reading["spec"]["risk"]["stop_loss"] == {"unit": "pips", "value": 50.0, "atr_period": 14}
    assert reading["lang"] == "en"
    assert "Buy (go long) when RSI(14) is below 30." in reading["explanation"]
    assert "Stop loss: 50 pips." in reading["explanation"]
    assert [r["rule"] for r in reading["rules"]] == ["entry_long", "exit_long"]
    assert reading["rules"][0]["words"] == "RSI(14) is below 30"
    assert reading["indicators"] == [{"id": "rsi_14", "kind": "rsi", "numbers": {"period": 14}, "source": "close",
                                      "outputs": []}]


def test_a_chinese_text_is_read_back_in_chinese_and_simplified_on_request(session):
    reading = session.post("/api/strategy/parse", {"text": ZH_TEXT}).json()
    assert reading["lang"] == "zh-tw"
    assert "停損：50點。" in reading["explanation"]
    simplified = session.post("/api/strategy/parse", {"text": ZH_TEXT, "lang": "zh-cn"}).json()
    assert "止损：50点。" in simplified["explanation"]
    assert simplified["spec"] == reading["spec"]


def test_a_refusal_quotes_the_words_it_could_not_read(session):
    response = session.post("/api/strategy/parse", {"text": "buy when the moon is full"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["kind"] == "parse"
    assert error["fragment"] == "moon"
    assert "buy when the moon is full"[error["start"]:error["end"]] == "moon"
    assert '"moon"' in error["message"]


def test_an_ambiguous_text_lists_the_readings_to_choose_from(session):
    response = session.post("/api/strategy/parse", {"text": "buy when RSI(14) < 30, stop loss 50"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["kind"] == "ambiguous"
    assert error["readings"] == ["50 pips", "50 points", "50% of the price"]
    assert error["fragment"] == "stop loss 50"


def test_an_edited_spec_is_checked_again_on_the_server(session):
    spec = session.post("/api/strategy/parse", {"text": TEXT}).json()["spec"]
    spec["symbol"], spec["timeframe"] = "GBPUSD", "H4"
    spec["risk"]["stop_loss"] = {"unit": "pips", "value": 30}
    spec["risk"]["lots"] = 0.5
    reading = session.post("/api/strategy/check", {"spec": spec}).json()
    assert "Trade GBPUSD H4." in reading["explanation"]
    assert "Stop loss: 30 pips." in reading["explanation"]
    assert "Trade 0.5 lots per position." in reading["explanation"]
    spec["risk"]["lots"] = -1
    refused = session.post("/api/strategy/check", {"spec": spec})
    assert refused.status_code == 422
    assert "risk.lots" in refused.json()["detail"]
    spec["risk"]["lots"], spec["timeframe"] = 0.1, "H5"
    assert "timeframe" in session.post("/api/strategy/check", {"spec": spec}).json()["detail"]


def test_the_builtins_are_listed_with_their_parameters(session):
    builtins = {b["name"]: b for b in session.get("/api/strategy/builtins").json()}
    assert set(builtins) == {"ma", "rsi", "macd", "kd", "bband"}
    assert builtins["ma"]["params"] == {"fast": 5, "slow": 20, "volume": 0.1}
    assert "SMA(5)" in builtins["ma"]["explanation"]
    assert "買進" in session.get("/api/strategy/builtins?lang=zh-tw").json()[0]["explanation"]
    assert session.get("/api/strategy/builtins?lang=fr").status_code == 422


def test_the_library_saves_lists_replaces_and_deletes(session):
    saved = session.post("/api/strategies", {"name": "RSI swing", "source": {"kind": "text", "text": TEXT}}).json()
    assert saved["name"] == "RSI swing" and saved["source"] == {"kind": "text", "text": TEXT}
    spec = session.post("/api/strategy/parse", {"text": TEXT}).json()["spec"]
    session.post("/api/strategies", {"name": "RSI swing", "source": {"kind": "spec", "spec": spec}})
    session.post("/api/strategies", {"name": "a cross", "source": {"kind": "builtin", "name": "ma", "params": {}}})
    listed = session.get("/api/strategies").json()
    assert [s["name"] for s in listed] == ["a cross", "RSI swing"]
    assert listed[1]["source"]["kind"] == "spec"  # replaced in place, same id
    assert listed[1]["id"] == saved["id"]
    assert session.delete(f"/api/strategies/{saved['id']}").json() == {"ok": True}
    assert session.delete(f"/api/strategies/{saved['id']}").status_code == 404
    bad = dict(spec, entry_long=None)
    refused = session.post("/api/strategies", {"name": "broken", "source": {"kind": "spec", "spec": bad}})
    assert refused.status_code == 422 and "entry" in refused.json()["detail"]
    assert [s["name"] for s in session.get("/api/strategies").json()] == ["a cross"]


def test_the_datasets_name_the_bundled_sample(session):
    datasets = session.get("/api/datasets").json()
    sample = {"symbol": "EURUSD", "timeframe": "H1", "first": "2017-01-01", "last": "2017-12-29"}
    assert sample.items() <= datasets[0].items()
    assert all("path" not in d for d in datasets)


# ----------------------------------------------------------------------------- backtests


def _cli_document(tmp_path, *args: str) -> dict:
    out = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "mas", "backtest", *args, "--json", str(out)], check=True,
                   capture_output=True, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def _same_document(web: dict, cli: dict) -> None:
    for key in ("metrics", "trades", "equity", "tester_metrics"):
        assert web[key] == cli[key], key
    drop = {"elapsed_seconds"}
    assert {k: v for k, v in web["settings"].items() if k not in drop} == \
        {k: v for k, v in cli["settings"].items() if k not in drop}


def test_a_backtest_shows_exactly_the_numbers_of_mas_backtest_json(session, tmp_path):
    run = session.backtest({"kind": "text", "text": TEXT}, symbol="EURUSD", timeframe="H1", **YEAR)
    cli = _cli_document(tmp_path, "--text", TEXT, "--from", YEAR["from"], "--to", YEAR["to"])
    _same_document(run["document"], cli)
    kpis = run["kpis"]
    for key in ("total_return_rate", "win_rate", "profit_factor", "max_drawdown", "sharpe_ratio", "number_of_trades"):
        assert kpis[key] == cli["metrics"][key], key
    assert kpis["final_equity"] == cli["equity"][-1][1]
    assert kpis["number_of_trades"] > 20
    assert run["state"] == "done" and run["request"]["from"] == YEAR["from"]


def test_account_options_reach_the_backtest_as_the_cli_passes_them(session, tmp_path):
    options = {"capital": 5000, "leverage": 50, "spread": 12, "commission": 3.5, "from": "2017-03-01",
               "to": "2017-06-30"}
    run = session.backtest({"kind": "builtin", "name": "ma", "params": {"fast": 8, "slow": 30}}, **options)
    cli = _cli_document(tmp_path, "ma", "--param", "fast=8", "--param", "slow=30", "--capital", "5000",
                        "--leverage", "50", "--spread", "12", "--commission", "3.5", "--from", "2017-03-01",
                        "--to", "2017-06-30")
    _same_document(run["document"], cli)
    assert run["document"]["settings"]["capital"] == 5000
    assert any(t["commission"] != 0 for t in run["document"]["trades"])


def test_an_edited_spec_backtests_as_its_spec_file_does(session, tmp_path):
    spec = session.post("/api/strategy/parse", {"text": TEXT}).json()["spec"]
    spec["risk"]["take_profit"] = {"unit": "pips", "value": 40}
    run = session.backtest({"kind": "spec", "spec": spec}, **YEAR)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    cli = _cli_document(tmp_path, str(path), "--from", YEAR["from"], "--to", YEAR["to"])
    assert run["document"]["metrics"] == cli["metrics"]
    assert run["document"]["trades"] == cli["trades"]
    assert {t["exit_reason"] for t in run["document"]["trades"]} >= {"tp"}


def test_trades_download_as_csv(session):
    run = session.backtest({"kind": "text", "text": TEXT}, **YEAR)
    response = session.get(f"/api/runs/{run['id']}/trades.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    trades = run["document"]["trades"]
    assert len(rows) == len(trades)
    assert [float(r["profit"]) for r in rows] == [t["profit"] for t in trades]
    assert rows[0]["open_time"] == trades[0]["open_time"]


def test_runs_are_kept_across_a_restart_and_compared(isolated_mas_home):
    with make_client(isolated_mas_home) as client:
        first = Session(client, enter(client))
        a = first.backtest({"kind": "text", "text": TEXT}, **YEAR)
        b = first.backtest({"kind": "builtin", "name": "rsi", "params": {}}, **YEAR)
    with make_client(isolated_mas_home, token="another-token") as client:  # a new process, a new token
        again = Session(client, enter(client, "another-token"))
        runs = again.get("/api/runs").json()
        assert [r["id"] for r in runs] == [b["id"], a["id"]]  # newest first
        assert runs[1]["kpis"] == a["kpis"] and runs[1]["label"] == TEXT
        assert again.get(f"/api/runs/{a['id']}").json()["document"] == a["document"]
        both = again.get(f"/api/compare?a={a['id']}&b={b['id']}").json()["runs"]
        assert [r["kpis"] for r in both] == [a["kpis"], b["kpis"]]
        assert both[1]["label"] == "rsi()"
        assert again.delete(f"/api/runs/{a['id']}").json() == {"ok": True}
        assert [r["id"] for r in again.get("/api/runs").json()] == [b["id"]]


def test_a_run_left_unfinished_by_a_stopped_app_is_marked_failed(isolated_mas_home):
    store = Store(isolated_mas_home / "ui.sqlite3")
    ident = store.add_run("left over", {"symbol": "EURUSD"})
    with make_client(isolated_mas_home) as client:
        job = Session(client, enter(client)).get(f"/api/jobs/{ident}").json()
    assert job["state"] == "failed"
    assert "stopped before this run finished" in job["error"]


def test_a_backtest_that_fails_says_why(session):
    response = session.post("/api/backtests", {"strategy": {"kind": "text", "text": TEXT}, "symbol": "XYZABC"})
    assert response.status_code == 202
    job = session.wait(response.json()["job"])
    assert job["state"] == "failed"
    assert "XYZABC" in job["error"]
    assert session.get(f"/api/runs/{job['id']}/trades.csv").status_code == 409


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("body", "words"), [
    ({"strategy": {"kind": "text", "text": TEXT}, "capital": -5}, "capital"),
    ({"strategy": {"kind": "text", "text": TEXT}, "capital": "lots"}, "capital"),
    ({"strategy": {"kind": "text", "text": TEXT}, "timeframe": "H5"}, "timeframe"),
    ({"strategy": {"kind": "text", "text": TEXT}, "from": "2017-02-30"}, "from"),
    ({"strategy": {"kind": "text", "text": TEXT}, "from": "2017-12-01", "to": "2017-01-01"}, "after"),
    ({"strategy": {"kind": "text", "text": TEXT}, "model": "guess"}, "model"),
    ({"strategy": {"kind": "text", "text": TEXT}, "symbol": "EUR/USD;DROP"}, "symbol"),
    ({"strategy": {"kind": "text", "text": TEXT}, "leverage": 0}, "leverage"),
    ({"strategy": {"kind": "text", "text": TEXT}, "surprise": 1}, "surprise"),
    ({"strategy": {"kind": "python", "code": "import os"}}, "strategy"),
    ({"strategy": {"kind": "builtin", "name": "nope"}}, "nope"),
    ({"strategy": {"kind": "builtin", "name": "ma", "params": {"fastest": 3}}}, "fastest"),
    ({"strategy": {"kind": "spec", "spec": {"entry_long": {"kind": "magic"}}}}, "entry_long"),
    ({"strategy": {"kind": "text", "text": "buy when the moon is full"}}, "moon"),
    ({"strategy": {"kind": "text", "text": "x" * 5000}}, "text"),
    ([1, 2, 3], "request body"),
])
def test_garbage_input_gets_a_clear_4xx_naming_the_field(session, body, words):
    response = session.post("/api/backtests", body)
    assert response.status_code == 422, response.text
    assert words in response.json()["detail"]
    assert session.get("/api/runs").json() == []  # nothing was queued


def test_a_body_that_is_not_json_is_refused_clearly(session):
    response = session.client.post("/api/backtests", content=b"{not json", headers={
        "X-CSRF-Token": session.csrf, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/runs/zzz", "/api/jobs/../../etc/passwd", "/api/runs/1;drop"])
def test_malformed_run_ids_are_refused(session, path):
    assert session.get(path).status_code in (404, 422)


def test_unknown_runs_are_404(session):
    missing = "0" * 32
    assert session.get(f"/api/runs/{missing}").status_code == 404
    assert session.get(f"/api/jobs/{missing}").status_code == 404
    assert session.post(f"/api/jobs/{missing}/cancel").status_code == 404
    assert "no run" in session.get(f"/api/runs/{missing}").json()["detail"]


def test_a_corrupt_database_file_is_refused_with_the_fix(isolated_mas_home):
    isolated_mas_home.mkdir(parents=True)
    (isolated_mas_home / "ui.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="move it aside"):
        make_client(isolated_mas_home)


def test_a_database_from_a_newer_version_is_refused(isolated_mas_home):
    import sqlite3

    Store(isolated_mas_home / "ui.sqlite3")
    with sqlite3.connect(isolated_mas_home / "ui.sqlite3") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        Store(isolated_mas_home / "ui.sqlite3")


def test_the_csrf_cookie_is_the_sessions_token(session):
    assert session.client.cookies.get(csrf_cookie(PORT)) == session.csrf


def test_cancel_over_the_api_stops_the_wait_and_keeps_no_result(session, monkeypatch):
    """The route marks the job cancelled at once; the replay (here a stand-in that blocks) ends later, unsaved."""
    import threading

    from mas.web import services

    release = threading.Event()

    def blocking_job(request):
        def work():
            release.wait(60)
            return {"metrics": {}, "equity": [["2017-01-02 00:00:00", 1.0]]}
        return work

    monkeypatch.setattr(services, "backtest_job", blocking_job)
    job = session.post("/api/backtests", {"strategy": {"kind": "text", "text": TEXT}}).json()["job"]
    for _ in range(3000):
        if session.get(f"/api/jobs/{job}").json()["state"] == "running":
            break
        time.sleep(0.01)
    assert session.get(f"/api/jobs/{job}").json()["state"] == "running"
    cancelled = session.post(f"/api/jobs/{job}/cancel").json()
    assert cancelled["state"] == "cancelled" and cancelled["finished_at"]
    release.set()
    jobs = session.client.app.state.jobs
    for _ in range(3000):
        if jobs.active() == 0:
            break
        time.sleep(0.01)
    assert jobs.active() == 0
    run = session.get(f"/api/runs/{job}").json()
    assert run["state"] == "cancelled" and run["document"] is None and run["kpis"] is None
    assert session.post(f"/api/jobs/{job}/cancel").json()["state"] == "cancelled"  # cancelling again changes nothing
    assert session.delete(f"/api/runs/{job}").json() == {"ok": True}


def test_two_backtests_at_once_give_what_each_gives_alone(session):
    """The pool runs jobs in parallel threads: no state leaks from one replay into the other."""
    text = {"kind": "text", "text": TEXT}
    event = {"kind": "builtin", "name": "macd", "params": {}}
    alone = [session.backtest(text, **YEAR)["document"],
             session.backtest(event, engine="event", **YEAR)["document"]]
    jobs = [session.post("/api/backtests", {"strategy": text, **YEAR}).json()["job"],
            session.post("/api/backtests", {"strategy": event, "engine": "event", **YEAR}).json()["job"]]
    together = []
    for job in jobs:
        assert session.wait(job)["state"] == "done"
        together.append(session.get(f"/api/runs/{job}").json()["document"])
    for a, b in zip(alone, together, strict=True):
        assert a["metrics"] == b["metrics"] and a["trades"] == b["trades"] and a["equity"] == b["equity"]
    assert together[1]["settings"]["engine"] != "fast"


def test_a_second_app_on_the_same_database_leaves_the_first_apps_runs_alone(isolated_mas_home, monkeypatch):
    """Two `mas ui` on one MAS_HOME: starting the second does not fail the first's running job."""
    import threading

    from mas.web import services

    release = threading.Event()

    def blocking_job(request):
        return lambda: (release.wait(60), {"metrics": {"win_rate": 50.0}, "equity": [["2017-01-02 00:00:00", 1.0]]})[1]

    monkeypatch.setattr(services, "backtest_job", blocking_job)
    with make_client(isolated_mas_home) as first_client:
        first = Session(first_client, enter(first_client))
        job = first.post("/api/backtests", {"strategy": {"kind": "text", "text": TEXT}}).json()["job"]
        for _ in range(3000):
            if first.get(f"/api/jobs/{job}").json()["state"] == "running":
                break
            time.sleep(0.01)
        with make_client(isolated_mas_home, token="second") as second_client:
            second = Session(second_client, enter(second_client, "second"))
            assert second.get(f"/api/jobs/{job}").json()["state"] == "running"
            release.set()
            assert second.wait(job)["state"] == "done"
            assert second.get(f"/api/runs/{job}").json()["kpis"]["win_rate"] == 50.0
