"""The Dukascopy downloader against a real HTTP server on 127.0.0.1 serving fixture files."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from typer.testing import CliRunner

from mas.cli.data import app
from mas.data.downloaders import DownloadError, download_dukascopy, plan_files
from mas.data.downloaders.dukascopy import cache_dir
from mas.data.store import load_bars
from mas.data.tick_store import load_ticks, stored_tick_days

from .dukascopy_encoder import datafeed_path, encode_candles, encode_ticks

runner = CliRunner()
PREFIX = "/datafeed/"


@dataclass
class FeedServer:
    """Fixture files by relative path, and how the server misbehaves for some of them."""

    base_url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    fail_first: set[str] = field(default_factory=set)
    corrupt_first: set[str] = field(default_factory=set)
    always_fail: set[str] = field(default_factory=set)
    requests: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str) -> tuple[int, bytes]:
        with self.lock:
            self.requests[path] += 1
            first = self.requests[path] == 1
        if path in self.always_fail or (first and path in self.fail_first):
            return 500, b"server error"
        if first and path in self.corrupt_first:
            return 200, self.files[path][: len(self.files[path]) // 2]
        if path not in self.files:
            return 404, b"not found"
        return 200, self.files[path]


@pytest.fixture
def feed() -> Iterator[FeedServer]:
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = self.path[len(PREFIX) :] if self.path.startswith(PREFIX) else self.path
            status, body = state.answer(path)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_port}{PREFIX.rstrip('/')}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


def candles_path(day: int) -> str:
    return datafeed_path("EURUSD", 2024, 3, day, "BID_candles_min_1.bi5")


def ticks_path(hour: int, day: int = 5) -> str:
    return datafeed_path("EURUSD", 2024, 3, day, f"{hour:02d}h_ticks.bi5")


def test_plan_follows_the_datafeed_tree_with_zero_based_months():
    files = plan_files("eurusd", date(2024, 1, 31), date(2024, 2, 1), ticks=False)
    assert [f.relative_path for f in files] == [
        "EURUSD/2024/00/31/BID_candles_min_1.bi5",
        "EURUSD/2024/01/01/BID_candles_min_1.bi5",
    ]
    hours = plan_files("EURUSD", date(2024, 12, 31), date(2024, 12, 31), ticks=True)
    assert len(hours) == 24 and hours[23].relative_path == "EURUSD/2024/11/31/23h_ticks.bi5"
    assert hours[23].start == epoch(2024, 12, 31, 23)
    with pytest.raises(ValueError, match="before"):
        plan_files("EURUSD", date(2024, 1, 2), date(2024, 1, 1), ticks=False)


def test_candles_download_with_a_missing_day_a_retry_and_resume(feed):
    feed.files[candles_path(5)] = encode_candles(
        [(0, 108_500, 108_520, 108_490, 108_530, 1.5), (60, 108_520, 108_520, 108_520, 108_520, 0.0)]
    )
    feed.files[candles_path(7)] = encode_candles([(3600, 108_600, 108_610, 108_590, 108_640, 2.0)])
    feed.fail_first.add(candles_path(7))  # day 6 is not served at all: 404
    seen = []
    report = download_dukascopy(
        "EURUSD",
        date(2024, 3, 5),
        date(2024, 3, 7),
        base_url=feed.base_url,
        backoff_seconds=0.01,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (report.files, report.downloaded, report.from_cache, report.without_data) == (3, 2, 0, 1)
    assert report.rows_stored == 2 and report.issue_counts == {"minutes without trading (volume 0) (not stored)": 1}
    assert feed.requests[candles_path(7)] == 2 and feed.requests[candles_path(6)] == 1
    assert sorted(seen)[-1] == (3, 3)

    series = load_bars("EURUSD", "M1")
    assert (series.price_side, series.has_spread) == ("bid", False)
    assert series.rates["time"].tolist() == [epoch(2024, 3, 5), epoch(2024, 3, 7, 1)]
    assert series.rates[["open", "high", "low", "close"]].tolist() == [
        (1.085, 1.0853, 1.0849, 1.0852),
        (1.086, 1.0864, 1.0859, 1.0861),
    ]
    assert (cache_dir() / candles_path(6)).read_bytes() == b""  # a 404 is remembered as "no data"

    again = download_dukascopy("EURUSD", date(2024, 3, 5), date(2024, 3, 7), base_url=feed.base_url)
    assert (again.downloaded, again.from_cache) == (0, 3)
    assert sum(feed.requests.values()) == 4  # nothing fetched the second time
    assert (again.bars_update.added, again.bars_update.replaced, again.bars_update.written) == (0, 0, False)


def test_ticks_download_with_404_empty_and_failing_hours(feed):
    hour5 = [(1_000, 108_503, 108_500, 1.0, 1.0), (2_500, 108_504, 108_501, 1.0, 1.0), (61_000, 108_510, 108_502, 1, 1)]
    hour7 = [(0, 108_600, 108_598, 2.0, 2.0)]
    feed.files[ticks_path(5)] = encode_ticks(hour5)
    feed.files[ticks_path(6)] = b""  # an empty file: no ticks that hour
    feed.files[ticks_path(7)] = encode_ticks(hour7)
    feed.fail_first.add(ticks_path(7))
    feed.corrupt_first.add(ticks_path(5))  # a truncated payload is fetched again
    report = download_dukascopy(
        "EURUSD", date(2024, 3, 5), date(2024, 3, 5), ticks=True, base_url=feed.base_url, backoff_seconds=0.01
    )
    assert (report.files, report.downloaded, report.without_data, report.rows_stored) == (24, 3, 22, 4)
    assert feed.requests[ticks_path(5)] == 2 and feed.requests[ticks_path(7)] == 2

    ticks = load_ticks("EURUSD")
    base5, base7 = epoch(2024, 3, 5, 5) * 1000, epoch(2024, 3, 5, 7) * 1000
    assert ticks["time_msc"].tolist() == [base5 + 1_000, base5 + 2_500, base5 + 61_000, base7]
    assert ticks["bid"].tolist() == [1.085, 1.08501, 1.08502, 1.08598]
    assert ticks["ask"].tolist() == [1.08503, 1.08504, 1.0851, 1.086]
    assert stored_tick_days("EURUSD") == [date(2024, 3, 5)]

    bars = load_bars("EURUSD", "M1")
    assert bars.has_spread and bars.rates["time"].tolist() == [base5 // 1000, base5 // 1000 + 60, base7 // 1000]
    assert bars.rates["spread"].tolist() == [3, 8, 2] and bars.rates["tick_volume"].tolist() == [2, 1, 1]


def test_a_file_that_keeps_failing_stops_the_download_after_storing_what_came_before(feed):
    feed.files[candles_path(5)] = encode_candles([(0, 108_500, 108_520, 108_490, 108_530, 1.5)])
    feed.always_fail.add(candles_path(6))
    with pytest.raises(DownloadError) as caught:
        download_dukascopy(
            "EURUSD", date(2024, 3, 5), date(2024, 3, 7), base_url=feed.base_url, retries=2, backoff_seconds=0.01
        )
    message = str(caught.value)
    assert candles_path(6) in message and "HTTP 500" in message and "after 3 attempt(s)" in message
    assert "run the same command again to resume" in message
    assert feed.requests[candles_path(6)] == 3
    assert load_bars("EURUSD", "M1").rates["time"].tolist() == [epoch(2024, 3, 5)]
    assert not (cache_dir() / candles_path(6)).exists()


def test_answers_for_recent_periods_are_not_cached(feed):
    today = datetime.now(timezone.utc).date()
    report = download_dukascopy("EURUSD", today, today, base_url=feed.base_url)
    assert report.rows_stored == 0 and report.without_data == 1
    assert not cache_dir().exists() or not any(cache_dir().rglob("*.bi5"))


def test_download_command(feed):
    feed.files[candles_path(5)] = encode_candles([(0, 108_500, 108_520, 108_490, 108_530, 1.5)])
    args = ["download", "EURUSD", "--from", "2024-03-05", "--to", "2024-03-06", "--base-url", feed.base_url]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Downloaded EURUSD M1 candles 2024-03-05 .. 2024-03-06: 2 file(s), 1 fetched" in result.output
    assert "1 without data" in result.output and "rows stored:  1" in result.output
    assert len(load_bars("EURUSD", "M1")) == 1

    empty = runner.invoke(
        app, ["download", "EURUSD", "--from", "2024-03-09", "--to", "2024-03-09", "--base-url", feed.base_url]
    )
    assert empty.exit_code == 0 and "no data in this range" in empty.output

    for bad, problem in [
        (["--timeframe", "H1"], "Dukascopy has M1 candles, not H1"),
        (["--source", "yahoo"], "'yahoo' is not supported"),
        (["--from", "2024-13-01"], "--from: '2024-13-01' is not a date"),
    ]:
        outcome = runner.invoke(app, [*args, *bad])
        assert outcome.exit_code == 2 and problem in outcome.output, outcome.output
    assert np.all(load_bars("EURUSD", "M1").rates["time"] == epoch(2024, 3, 5))


def test_many_days_with_one_worker_fetch_each_file_once_in_order(feed):
    for day in (2, 9):
        feed.files[candles_path(day)] = encode_candles([(0, 108_500 + day, 108_520, 108_490, 108_530, 1.0)])
    report = download_dukascopy("EURUSD", date(2024, 3, 1), date(2024, 3, 10), base_url=feed.base_url, workers=1)
    assert (report.files, report.downloaded, report.without_data) == (10, 2, 8)
    assert set(feed.requests.values()) == {1} and len(feed.requests) == 10
    assert load_bars("EURUSD", "M1").rates["open"].tolist() == [1.08502, 1.08509]
