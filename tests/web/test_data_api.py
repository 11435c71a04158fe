"""The data page's API through the ASGI client: what is stored (ranges, gaps), the quality of a series, an
uploaded MT5 export imported (and a bad or oversized file refused clearly), and a Dukascopy download with
progress from a real HTTP server on 127.0.0.1 serving fixture files (never the internet)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from data.dukascopy_encoder import datafeed_path, encode_candles, encode_ticks
from mas.web import routes_data
from mas.web.app import WebConfig, create_app
from mas.web.security import SecurityConfig

from .conftest import BASE, PORT, Session, enter

MT5_HEADER = "<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>"
MT5_ROWS = ["2024.03.04\t00:00:00\t1.08500\t1.08600\t1.08400\t1.08550\t120\t0\t5",
            "2024.03.04\t01:00:00\t1.08550\t1.08700\t1.08500\t1.08650\t110\t0\t6",
            "2024.03.04\t03:00:00\t1.08650\t1.08660\t1.08600\t1.08610\t90\t0\t5"]


@pytest.fixture
def feed() -> Iterator[tuple[str, dict[str, bytes]]]:
    """A datafeed tree served on 127.0.0.1: (base URL, files by relative path)."""
    files: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = files.get(self.path.removeprefix("/datafeed/"))
            self.send_response(200 if body is not None else 404)
            payload = body if body is not None else b"not found"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/datafeed", files
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def data_session(isolated_mas_home, feed) -> Iterator[Session]:
    security = SecurityConfig(host="127.0.0.1", port=PORT, token="test-token-123")
    app = create_app(WebConfig(security=security, home=isolated_mas_home, data_feed=feed[0]))
    with TestClient(app, base_url=BASE) as client:
        yield Session(client, enter(client))


def upload(session: Session, content: bytes, **params) -> object:
    return session.client.post("/api/data/import", params=params, content=content,
                               headers={"X-CSRF-Token": session.csrf, "Content-Type": "application/octet-stream"})


def test_the_bundled_sample_is_listed_with_its_range_and_checked(data_session):
    rows = data_session.get("/api/data").json()
    sample = next(r for r in rows if r["symbol"] == "EURUSD" and r["timeframe"] == "H1")
    assert sample["source"] == "bundled" and sample["rows"] > 6000
    assert sample["first"].startswith("2017-01-0") and sample["last"].startswith("2017-12-29")
    assert isinstance(sample["gaps"], int)
    report = data_session.get("/api/data/check", params={"symbol": "EURUSD", "timeframe": "H1"}).json()
    assert report[0]["rows"] == sample["rows"] and report[0]["gap_count"] == sample["gaps"]
    assert isinstance(report[0]["problems"], list)
    missing = data_session.get("/api/data/check", params={"symbol": "XAUUSD"})
    assert missing.status_code == 422 and "XAUUSD" in missing.json()["detail"]


def test_an_uploaded_mt5_export_is_imported_and_listed_with_its_gap(data_session):
    content = ("\n".join([MT5_HEADER, *MT5_ROWS]) + "\n").encode()
    answer = upload(data_session, content, symbol="GBPUSD", timeframe="H1", name="GBPUSD_H1.csv")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["symbol"], report["timeframe"], report["rows_stored"]) == ("GBPUSD", "H1", 3)
    assert report["first"] == "2024-03-04 00:00" and report["last"] == "2024-03-04 03:00"
    listed = next(r for r in data_session.get("/api/data").json() if r["symbol"] == "GBPUSD")
    assert listed["source"] == "user" and listed["rows"] == 3 and listed["gaps"] == 1  # 02:00 is missing
    check = data_session.get("/api/data/check", params={"symbol": "GBPUSD", "timeframe": "H1"}).json()[0]
    assert check["gaps"][0]["start"].startswith("2024-03-04 02:00") and check["gaps"][0]["missing_bars"] == 1
    again = upload(data_session, content, symbol="GBPUSD", timeframe="H1", name="GBPUSD_H1.csv").json()
    assert again["bars_added"] == 0 and again["bars_total"] == 3  # importing twice changes nothing


def test_a_bad_file_is_refused_naming_the_file_and_the_line(data_session, monkeypatch):
    bad = ("\n".join([MT5_HEADER, MT5_ROWS[0], "2024.03.04\t01:00:00\tnot-a-price\t1\t1\t1\t1\t0\t1"]) + "\n").encode()
    refused = upload(data_session, bad, symbol="GBPUSD", timeframe="H1", name="broken.csv")
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail == "file: broken.csv:3: open: 'not-a-price' is not a number"  # the line; no server temp path
    empty = upload(data_session, b"", symbol="GBPUSD", name="empty.csv")
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    monkeypatch.setattr(routes_data, "MAX_UPLOAD", 100)
    big = upload(data_session, b"x" * 101, symbol="GBPUSD", name="big.csv")
    assert big.status_code == 413 and "upload limit" in big.json()["detail"]
    assert upload(data_session, b"x", symbol="bad symbol!").status_code == 422
    assert data_session.client.post("/api/data/import", params={"symbol": "X"}, content=b"x").status_code == 403
    assert not any(r["symbol"] == "GBPUSD" for r in data_session.get("/api/data").json())  # nothing stored


def test_a_dukascopy_download_reports_progress_and_stores_the_bars(data_session, feed):
    _base, files = feed
    files[datafeed_path("EURUSD", 2024, 3, 5, "BID_candles_min_1.bi5")] = encode_candles(
        [(0, 108_500, 108_520, 108_490, 108_530, 1.5), (60, 108_520, 108_540, 108_510, 108_550, 2.0)])
    files[datafeed_path("EURUSD", 2024, 3, 7, "BID_candles_min_1.bi5")] = encode_candles(
        [(3600, 108_600, 108_610, 108_590, 108_640, 2.0)])
    started = data_session.post("/api/data/downloads", {"symbol": "EURUSD", "from": "2024-03-05", "to": "2024-03-07"})
    assert started.status_code == 202, started.text
    ident = started.json()["id"]
    deadline = time.monotonic() + 60
    view = data_session.get(f"/api/data/downloads/{ident}").json()
    for _ in range(6000):
        if view["state"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.01)
        view = data_session.get(f"/api/data/downloads/{ident}").json()
    assert view["state"] == "done", view
    assert (view["done"], view["total"]) == (3, 3)
    assert view["report"] == {"files": 3, "downloaded": 2, "from_cache": 0, "without_data": 1, "rows_stored": 3}
    m1 = next(r for r in data_session.get("/api/data").json() if r["symbol"] == "EURUSD" and r["timeframe"] == "M1")
    assert m1["rows"] == 3 and m1["first"] == "2024-03-05 00:00" and m1["last"] == "2024-03-07 01:00"
    backwards = data_session.post("/api/data/downloads", {"symbol": "EURUSD", "from": "2024-03-07", "to": "2024-03-05"})
    assert backwards.status_code == 422 and backwards.json()["detail"].startswith("to:")
    assert data_session.get("/api/data/downloads/" + "0" * 32).status_code == 404


def test_a_download_from_a_broker_profiles_terminal_stores_its_bars(data_session, monkeypatch):
    from live.conftest import ServerProcess, wait_until

    monkeypatch.setenv("MAS_PASSWORD_SIMFEED", "Data-Feed-Pa55-Umber")
    sim = ServerProcess()  # a real `mas sim serve`, replaying EURUSD H1 from 2017-01-02
    try:
        added = data_session.post("/api/brokers", {"name": "simfeed", "terminal": "sim", "server": "MAS-Sim",
                                                   "login": 7401, "host": "127.0.0.1", "port": sim.port})
        assert added.status_code == 200, added.text

        def replayed_two_days() -> bool:  # the server has bars only up to its replay clock
            from live.conftest import other_program

            term = other_program(sim.port, 7402, "x-any-password")
            try:
                bars = term.copy_rates_from_pos("EURUSD", 16385, 0, 100)  # H1
                return bars is not None and len(bars) >= 30
            finally:
                term.shutdown()

        assert wait_until(replayed_two_days, timeout=60, step=0.2)
        started = data_session.post("/api/data/downloads", {"symbol": "EURUSD", "from": "2017-01-02",
                                                            "to": "2017-01-03", "profile": "simfeed",
                                                            "timeframe": "H1"})
        assert started.status_code == 202, started.text
        ident = started.json()["id"]
        assert wait_until(lambda: data_session.get(f"/api/data/downloads/{ident}").json()["state"] != "running",
                          timeout=60)
        view = data_session.get(f"/api/data/downloads/{ident}").json()
        assert view["state"] == "done" and (view["done"], view["total"]) == (2, 2), view
        assert view["request"]["source"] == "profile" and view["report"]["rows_stored"] >= 24
        assert view["report"]["first"] == "2017-01-02 00:00"
        mine = next(r for r in data_session.get("/api/data").json()
                    if r["symbol"] == "EURUSD" and r["timeframe"] == "H1" and r["source"] == "user")
        assert mine["rows"] == view["report"]["rows_stored"]
    finally:
        sim.kill()
    unknown = data_session.post("/api/data/downloads", {"symbol": "EURUSD", "from": "2017-01-02", "to": "2017-01-03",
                                                        "profile": "ghost"})
    assert unknown.status_code == 422 and "ghost" in unknown.json()["detail"]


def wait_download(session: Session, ident: str, limit: float = 60.0) -> dict:
    """The download's view once it is no longer running (bounded in count and time)."""
    deadline = time.monotonic() + limit
    view = session.get(f"/api/data/downloads/{ident}").json()
    for _ in range(6000):
        if view["state"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.01)
        view = session.get(f"/api/data/downloads/{ident}").json()
    return view


def test_a_stored_series_is_removed_only_with_the_csrf_header_and_the_sample_never(data_session, feed):
    content = ("\n".join([MT5_HEADER, *MT5_ROWS]) + "\n").encode()
    assert upload(data_session, content, symbol="GBPUSD", timeframe="H1", name="GBPUSD_H1.csv").status_code == 200
    _base, files = feed
    files[datafeed_path("GBPUSD", 2024, 3, 5, "10h_ticks.bi5")] = encode_ticks(
        [(1_000, 126_510, 126_500, 1.0, 1.0), (2_500, 126_520, 126_505, 1.0, 2.0)])
    started = data_session.post("/api/data/downloads", {"symbol": "GBPUSD", "from": "2024-03-05", "to": "2024-03-05",
                                                        "ticks": True})
    assert wait_download(data_session, started.json()["id"])["state"] == "done"
    listed = {(r["symbol"], r["timeframe"]) for r in data_session.get("/api/data").json()}
    assert {("GBPUSD", "H1"), ("GBPUSD", "M1"), ("GBPUSD", "TICKS")} <= listed

    forged = data_session.client.delete("/api/data/stored/GBPUSD", params={"timeframe": "H1"})  # no CSRF header
    assert forged.status_code == 403 and "CSRF" in forged.json()["detail"]
    wrong = data_session.client.delete("/api/data/stored/GBPUSD", params={"timeframe": "H1"},
                                       headers={"X-CSRF-Token": "not-the-token"})
    assert wrong.status_code == 403
    assert ("GBPUSD", "H1") in {(r["symbol"], r["timeframe"]) for r in data_session.get("/api/data").json()}

    removed = data_session.client.delete("/api/data/stored/GBPUSD", params={"timeframe": "H1"},
                                         headers={"X-CSRF-Token": data_session.csrf})
    assert removed.status_code == 200, removed.text
    assert removed.json() == {"symbol": "GBPUSD", "timeframes": ["H1"], "tick_days": 0}
    ticks = data_session.client.delete("/api/data/stored/GBPUSD", params={"ticks": "true"},
                                       headers={"X-CSRF-Token": data_session.csrf})
    assert ticks.status_code == 200 and ticks.json() == {"symbol": "GBPUSD", "timeframes": [], "tick_days": 1}
    left = {(r["symbol"], r["timeframe"]) for r in data_session.get("/api/data").json() if r["symbol"] == "GBPUSD"}
    assert left == {("GBPUSD", "M1")}  # the M1 bars built from the ticks stay until removed themselves

    again = data_session.client.delete("/api/data/stored/GBPUSD", params={"timeframe": "H1"},
                                       headers={"X-CSRF-Token": data_session.csrf})
    assert again.status_code == 422 and "H1" in again.json()["detail"] and "M1 bars" in again.json()["detail"]
    sample = data_session.client.delete("/api/data/stored/EURUSD", params={"timeframe": "H1"},
                                        headers={"X-CSRF-Token": data_session.csrf})
    assert sample.status_code == 422 and "cannot be removed" in sample.json()["detail"]
    assert any(r["symbol"] == "EURUSD" and r["source"] == "bundled" for r in data_session.get("/api/data").json())
    vague = data_session.client.delete("/api/data/stored/GBPUSD", headers={"X-CSRF-Token": data_session.csrf})
    assert vague.status_code == 422 and vague.json()["detail"].startswith("timeframe:")
    bad = data_session.client.delete("/api/data/stored/GBP USD!", params={"timeframe": "H1"},
                                     headers={"X-CSRF-Token": data_session.csrf})
    assert bad.status_code in (404, 422)


@pytest.fixture
def slow_feed() -> Iterator[tuple[str, dict[str, bytes], list[str]]]:
    """A datafeed on 127.0.0.1 that answers each file after DELAY_S: (base URL, files, paths asked)."""
    files: dict[str, bytes] = {}
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            asked.append(self.path)
            time.sleep(DELAY_S)
            body = files.get(self.path.removeprefix("/datafeed/"))
            payload = body if body is not None else b"not found"
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/datafeed", files, asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


DELAY_S = 0.4
DAYS = 20


def test_cancelling_a_download_stops_it_between_files_and_leaves_no_partial_file(isolated_mas_home, slow_feed):
    from mas.data.store import data_root, load_bars

    base, files, asked = slow_feed
    for day in range(1, DAYS + 1):  # two M1 candles every day of March 2024
        files[datafeed_path("EURUSD", 2024, 3, day, "BID_candles_min_1.bi5")] = encode_candles(
            [(0, 108_500, 108_520, 108_490, 108_530, 1.5), (60, 108_520, 108_540, 108_510, 108_550, 2.0)])
    security = SecurityConfig(host="127.0.0.1", port=PORT, token="test-token-123")
    with TestClient(create_app(WebConfig(security=security, home=isolated_mas_home, data_feed=base)),
                    base_url=BASE) as client:
        session = Session(client, enter(client))
        started = session.post("/api/data/downloads", {"symbol": "EURUSD", "from": "2024-03-01", "to": "2024-03-20"})
        ident = started.json()["id"]
        deadline = time.monotonic() + 30
        for _ in range(3000):  # the first file is in
            view = session.get(f"/api/data/downloads/{ident}").json()
            if view["done"] >= 1 or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        assert view["state"] == "running" and 1 <= view["done"] < DAYS
        assert client.post(f"/api/data/downloads/{ident}/cancel").status_code == 403  # no CSRF header
        cancelled = session.post(f"/api/data/downloads/{ident}/cancel")
        assert cancelled.status_code == 200
        view = wait_download(session, ident)
        assert view["state"] == "cancelled" and view["done"] < DAYS and view["report"] is None, view
        asked_at_end = len(asked)
        time.sleep(3 * DELAY_S)
        assert len(asked) == asked_at_end < DAYS  # nothing more is fetched after it ended
        assert session.get(f"/api/data/downloads/{ident}").json()["state"] == "cancelled"
        again = session.post(f"/api/data/downloads/{ident}/cancel")
        assert again.status_code == 200 and again.json()["state"] == "cancelled"
        assert session.post("/api/data/downloads/" + "0" * 32 + "/cancel").status_code == 404

        root = data_root()
        assert [p for p in root.rglob("*") if p.name.endswith(".tmp")] == []  # no half-written file anywhere
        stored = [r for r in session.get("/api/data").json() if r["timeframe"] == "M1"]
        if stored:  # the whole days fetched before the cancel, each with both of its bars
            bars = load_bars("EURUSD", "M1")
            assert len(bars) % 2 == 0 and 2 <= len(bars) < 2 * DAYS and stored[0]["rows"] == len(bars)
