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

from data.dukascopy_encoder import datafeed_path, encode_candles
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
