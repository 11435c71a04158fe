"""The result page's trade chart and deals through the ASGI test client: level of detail, indicator lines equal to
the vectorized engine's arrays, trades of the visible range, deals read back from the trades, CSV, bad input."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from .conftest import TEXT, YEAR, make_client


@pytest.fixture()
def year_run(session):
    return session.backtest({"kind": "text", "text": TEXT}, **YEAR)


def test_the_whole_run_is_merged_into_at_most_the_asked_candles(session, year_run):
    view = session.get(f"/api/runs/{year_run['id']}/chart?points=500").json()
    total = view["bars_total"]
    assert total == len(year_run["document"]["equity"])  # every replayed bar is behind the chart
    assert view["bars_in_view"] == total and len(view["time"]) <= 500
    per = view["bars_per_candle"]
    assert per == -(-total // 500) and len(view["time"]) == -(-total // per)
    for field in ("open", "high", "low", "close"):
        assert len(view[field]) == len(view["time"])
    # a candle is its bars merged: first open, highest high, lowest low, last close (the replayed bid bars)
    equity_times = [row[0] for row in year_run["document"]["equity"]]
    assert view["time"][1] == equity_times[per]
    assert view["first"] == equity_times[0] and view["last"] == equity_times[-1]
    assert max(view["high"]) >= min(view["low"])
    assert [line["name"] for line in view["lines"]] == ["rsi_14"]
    assert view["lines"][0]["panel"] == "lower" and len(view["lines"][0]["y"]) == len(view["time"])
    assert len(view["trades"]) == len(year_run["document"]["trades"])
    # weekends and holidays come as breaks to cut out of the time axis: no bar lies inside one
    assert 50 <= len(view["breaks"]) <= 70
    for start, end in view["breaks"]:
        assert start < end
        assert not any(start <= t < end for t in equity_times[::7])


def test_zooming_in_reaches_single_bars_and_only_the_trades_of_the_range(session, year_run):
    trades = year_run["document"]["trades"]
    first = trades[0]
    view = session.get(f"/api/runs/{year_run['id']}/chart", params={
        "start": first["open_time"][:10], "end": first["open_time"][:10] + " 23:59:59"}).json()
    assert view["bars_per_candle"] == 1 and 0 < view["bars_in_view"] <= 24
    assert all(t[:10] == first["open_time"][:10] for t in view["time"])
    assert first in view["trades"]
    assert len(view["trades"]) < len(trades)
    for trade in view["trades"]:  # each touches the day
        assert trade["open_time"][:10] <= first["open_time"][:10] <= (trade["close_time"] or "9999")[:10]


def test_the_indicator_line_is_the_vectorized_engines_array(session, year_run):
    from mas.strategy.parse import parse_text
    from mas.vector.candles import Candles, indicator_outputs

    view = session.get(f"/api/runs/{year_run['id']}/chart", params={
        "start": "2017-03-01", "end": "2017-03-03 23:00:00", "points": 5000}).json()
    assert view["bars_per_candle"] == 1
    spec = parse_text(TEXT).spec
    # the run's closes from its first bar, one bar per candle: the line is RSI(14) over them, bar for bar
    closes = np.array(session.get(f"/api/runs/{year_run['id']}/chart", params={
        "start": "2017-01-01", "end": "2017-03-03 23:00:00", "points": 5000}).json()["close"])
    rates = np.zeros(len(closes), dtype=[("time", "i8"), ("open", "f8"), ("high", "f8"), ("low", "f8"),
                                        ("close", "f8"), ("tick_volume", "i8"), ("spread", "i8")])
    rates["close"] = closes
    expected = indicator_outputs(spec.indicators[0], Candles.from_rates(rates, 0.0))[None]
    got = np.array([np.nan if v is None else v for v in view["lines"][0]["y"]])
    assert np.allclose(got, expected[-len(got):], equal_nan=True)


def test_deals_are_the_trades_entries_and_exits_with_a_csv(session, year_run):
    trades = year_run["document"]["trades"]
    deals = session.get(f"/api/runs/{year_run['id']}/deals").json()
    closed = [t for t in trades if not t["is_open"]]
    assert len(deals) == len({(t["position_id"], t["open_time"]) for t in trades}) + len(closed)
    assert [d["time"] for d in deals] == sorted(d["time"] for d in deals)
    outs = {d["position_id"]: d for d in deals if d["entry"] == "out"}
    for trade in closed:
        out = outs[trade["position_id"]]
        assert (out["price"], out["profit"], out["reason"]) == (trade["close_price"], trade["profit"],
                                                                trade["exit_reason"])
        assert out["type"] == ("sell" if trade["direction"] == "buy" else "buy")
    assert sum(d["profit"] for d in deals) == pytest.approx(sum(t["profit"] for t in trades))
    response = session.get(f"/api/runs/{year_run['id']}/deals.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(deals) and rows[0]["entry"] == "in"


def test_careless_chart_requests_get_a_4xx_naming_the_field(session, year_run):
    base = f"/api/runs/{year_run['id']}/chart"
    for query, field in (("points=3", "points"), ("points=99999", "points"), ("start=yesterday", "start"),
                         ("start=2017-05-01&end=2017-04-01", "start"), ("end=2017-13-45", "end")):
        response = session.get(f"{base}?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"].startswith(field), (query, response.json())
    assert session.get("/api/runs/" + "0" * 32 + "/chart").status_code == 404
    assert session.get("/api/runs/" + "0" * 32 + "/deals").status_code == 404
    assert session.get("/api/runs/not-a-run/deals.csv").status_code == 422


def test_chart_and_deals_need_a_session(isolated_mas_home, session, year_run):
    with make_client(isolated_mas_home) as stranger:  # the same app's files, but no session cookie
        for path in ("chart", "deals", "deals.csv"):
            assert stranger.get(f"/api/runs/{year_run['id']}/{path}").status_code == 401


def test_a_run_of_100_000_bars_is_sent_as_at_most_the_asked_candles(session):
    """100,000 M1 bars stored (a random walk), backtested; the chart of the whole run stays small and a zoom
    into one hour gets its single bars."""
    import json
    import time

    from mas.data.rates_file import RATES_DTYPE
    from mas.data.store import save_bars

    n = 100_000
    rng = np.random.default_rng(7)
    close = 1.10 + np.cumsum(rng.normal(0, 0.0002, n))
    rates = np.zeros(n, dtype=RATES_DTYPE)
    rates["time"] = 1_483_315_200 + 60 * np.arange(n)  # 2017-01-02 00:00 UTC, one bar a minute
    rates["open"] = np.concatenate([[1.10], close[:-1]])
    rates["close"] = close
    rates["high"] = np.maximum(rates["open"], close) + 0.0001
    rates["low"] = np.minimum(rates["open"], close) - 0.0001
    rates["tick_volume"] = 10
    save_bars("EURUSD", "M1", rates, price_side="bid", has_spread=False)
    run = session.backtest({"kind": "builtin", "name": "ma", "params": {}}, timeframe="M1", spread=10,
                           **{"from": "2017-01-02", "to": "2017-03-20"})
    assert len(run["document"]["equity"]) == n
    started = time.monotonic()
    response = session.get(f"/api/runs/{run['id']}/chart?points=1500")
    whole = response.json()
    seconds = time.monotonic() - started  # reported below, not asserted
    assert whole["bars_total"] == n and len(whole["time"]) <= 1500 and whole["bars_per_candle"] == 67
    assert whole["high"][0] == pytest.approx(float(rates["high"][:67].max()))
    assert whole["low"][0] == pytest.approx(float(rates["low"][:67].min()))
    assert [line["name"] for line in whole["lines"]] == ["sma_5", "sma_20"]  # the built-in's spec indicators
    assert all(line["panel"] == "price" for line in whole["lines"])
    size = len(response.content)
    hour = session.get(f"/api/runs/{run['id']}/chart", params={"start": "2017-02-01 10:00:00",
                                                                "end": "2017-02-01 10:59:59"}).json()
    assert hour["bars_per_candle"] == 1 and len(hour["time"]) == 60
    print(json.dumps({"bars": n, "first_chart_seconds": round(seconds, 3), "bytes": size,
                      "trades_in_view": len(whole["trades"])}))
    assert size < 200_000 + 400 * len(whole["trades"])  # 1,500 candles and two lines, plus the trades in view


BUSY_PLOT = '''from collections import deque

from mas import MAS


class BusyPlot(MAS):
    """A trade every few bars with a 12-pip bracket; plots an 8-bar average over the candles and its momentum."""

    def __init__(self):
        super().__init__()
        self.closes = deque(maxlen=8)
        self.seen = 0
        self.sent = 0

    def receive_bars(self, symbol, data, is_end):
        close = data["close"]
        self.closes.append(close)
        mean = sum(self.closes) / len(self.closes)
        self.plot("sma_8", mean)
        self.plot("momentum", (close - mean) * 10_000, panel="lower")
        self.seen += 1
        if is_end or self.seen % 5 or self.get_positions({"symbol": symbol}):
            return
        buy = self.sent % 2 == 0
        self.sent += 1
        sign = 1 if buy else -1
        self.send_order({"symbol": symbol, "order_type": "buy" if buy else "sell", "volume": 0.1,
                         "backtest_toggle": True, "sl": round(close - sign * 0.0012, 5),
                         "tp": round(close + sign * 0.0012, 5)})
'''


def test_the_chart_carries_the_series_an_uploaded_strategy_plots(session):
    from .test_upload_strategy import post_file

    source = post_file(session, "busy_plot.py", BUSY_PLOT.encode()).json()
    run = session.backtest(source, **YEAR)
    plots = run["document"]["plots"]["EURUSD"]
    assert set(plots) == {"sma_8", "momentum"} and len(run["document"]["trades"]) > 700
    by_time = {name: {t: v for t, v in body["values"]} for name, body in plots.items()}
    times = [row[0] for row in run["document"]["equity"]]

    view = session.get(f"/api/runs/{run['id']}/chart?points=500").json()
    assert [(line["name"], line["panel"]) for line in view["lines"]] == [("sma_8", "price"), ("momentum", "lower")]
    per = view["bars_per_candle"]
    ends = [min(i + per, len(times)) - 1 for i in range(0, len(times), per)]  # each candle's last bar
    for line in view["lines"]:
        want = np.array([np.nan if by_time[line["name"]].get(times[e]) is None else by_time[line["name"]][times[e]]
                         for e in ends])
        got = np.array([np.nan if v is None else v for v in line["y"]])
        np.testing.assert_allclose(got, want, rtol=1e-9, equal_nan=True)
    day = session.get(f"/api/runs/{run['id']}/chart", params={"start": "2017-06-06", "end": "2017-06-06 23:59:59"})
    day = day.json()
    assert day["bars_per_candle"] == 1
    assert day["lines"][0]["y"] == pytest.approx([by_time["sma_8"][t] for t in day["time"]], rel=1e-9)


def test_a_built_in_keeps_its_spec_lines_once(session):
    run = session.backtest({"kind": "builtin", "name": "ma", "params": {}}, **YEAR)
    view = session.get(f"/api/runs/{run['id']}/chart?points=500").json()
    assert [line["name"] for line in view["lines"]] == ["sma_5", "sma_20"]
