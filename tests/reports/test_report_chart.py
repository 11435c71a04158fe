"""The trade chart's trader views: entry-exit lines, volume, gaps cut from the time axis (grouped markers:
test_report_markers.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime, timezone

import numpy as np
import pytest

from mas.reports._html import fmt_time
from mas.reports.assets_js import report_js
from mas.reports.chart import MARKER_BIG, _lod_script, render_trade_chart_html, time_gaps
from mas.reports.packing import unpack

from .helpers import drawn_figures, make_result, ms, plotly_figures, random_rates, trade

H = 3600


def test_time_gaps_by_hand():
    t = np.array([0, 1, 2, 3, 10, 11, 12, 20, 21]) * H  # gaps of 7 h and 8 h; steps of 1 h
    assert time_gaps(t) == [(4 * H * 1000, 10 * H * 1000), (13 * H * 1000, 20 * H * 1000)]
    assert time_gaps(t, max_breaks=1) == [(13 * H * 1000, 20 * H * 1000)]  # the longest one kept
    minutes = np.array([0, 60, 120, 600, 660, 720])  # a 8-minute hole in M1 bars: under an hour, kept
    assert time_gaps(minutes) == []


def test_time_gaps_of_the_sample_are_the_weekends_and_holidays(sample_rates):
    gaps = time_gaps(sample_rates["time"])
    t = sample_rates["time"].astype(np.int64) * 1000
    starts = [datetime.fromtimestamp(a / 1000, tz=timezone.utc) for a, _ in gaps]
    assert 50 <= len(gaps) <= 60  # a year of weekends, plus a holiday or two
    assert sum(d.weekday() == 4 and d.hour >= 20 for d in starts) >= 50  # from Friday evening ...
    for a, b in gaps:
        assert not np.any((t >= a) & (t < b))  # no bar is cut out
        assert b - a > 3 * H * 1000
        assert b in t and a - H * 1000 in t  # from a bar's end to the next bar


def _result(rates, trades):
    return make_result(rates["time"], np.full(len(rates), 10_000.0), trades, initial=10_000.0, bars={"EURUSD": rates})


def test_the_chart_cuts_the_gaps_draws_trade_lines_and_carries_volume(sample_rates):
    rates = sample_rates.copy()
    rates["tick_volume"] = np.arange(len(rates)) % 977 + 1  # the bundled CSV sample carries no volume
    i, j, k = 100, 130, 400
    won = trade(1, 25.0, int(rates["time"][i]), int(rates["time"][j]))
    lost = trade(2, -10.0, int(rates["time"][j]), int(rates["time"][k]), direction="sell")
    still = trade(3, 3.0, int(rates["time"][k]), None, is_open=True)
    html = render_trade_chart_html(_result(rates, [won, lost, still]), "s")
    (fig,) = plotly_figures(html)
    breaks = fig["layout"]["xaxis"]["rangebreaks"]
    assert [tuple(b["bounds"]) for b in breaks] == time_gaps(rates["time"])
    assert all(fig["layout"][f"xaxis{n}"]["rangebreaks"] == breaks for n in (2, 3, 4))  # every panel
    assert all(t["type"] != "scattergl" for t in fig["data"])  # SVG only: WebGL would not follow the rangebreaks
    (drawn,) = drawn_figures(html)["figures"]  # as the page's script fills the traces on load
    traces: dict = {}
    for t in drawn["data"]:  # the one-by-one marker traces come first (their grouped twins, same names, after them)
        traces.setdefault(t["name"], t)
    at = lambda ts: ts * 1000.0  # noqa: E731
    win = traces["Trade line (win)"]
    assert [ms(x) for x in win["x"]] == [at(won.open_time.timestamp()), at(won.close_time.timestamp()), None]
    assert win["y"] == [won.open_price, won.close_price, None]
    assert traces["Trade line (loss)"]["y"] == [lost.open_price, lost.close_price, None]  # no line for an open one
    # volume: drawn from the bars the page carries once (as integers: exact), in its own panel
    vol = traces["Tick volume"]
    assert vol["type"] == "bar" and vol["yaxis"] == "y2" and vol["x"] != []
    assert sum(vol["y"]) == int(rates["tick_volume"].sum()) and len(vol["y"]) == -(-len(rates) // 2)  # 2 bars a candle
    raw = json.loads(re.search(r"var RAW = (\{.*?\}), MAX", html, re.S).group(1))
    assert np.array_equal(unpack(raw["volume"]["v"]), rates["tick_volume"].astype(np.float64))
    # bars without volume: no volume panel
    (plain,) = plotly_figures(render_trade_chart_html(_result(sample_rates, [won]), "s"))
    assert "Tick volume" not in {t["name"] for t in plain["data"]} and "xaxis4" not in plain["layout"]
    # 5 markers (3 entries, 2 exits): full size, each with its hover
    assert {traces[n]["marker"]["size"] for n in ("Buy entry", "Sell entry", "Exit (win)")} == {MARKER_BIG}
    assert traces["Sell entry"]["text"] == [
        f"#2 SELL 0.10 lots<br>entry {lost.open_price:.10g} @ {fmt_time(lost.open_time.timestamp())}<br>"
        "P&amp;L -10.00 USD"]
    assert traces["Exit (win)"]["text"] == [
        f"#1 exit BUY 0.10 lots<br>exit {won.close_price:.10g} @ {fmt_time(won.close_time.timestamp())} (client)<br>"
        "P&amp;L 25.00 USD"]
    assert traces["Buy entry"]["text"][1].endswith("P&amp;L 3.00 USD (open)")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_script_sums_volume_per_candle(tmp_path):
    n = 2_000
    b = random_rates(n, start=1_483_308_000, step=3600)
    b["tick_volume"] = np.arange(n) + 1
    script = _lod_script(b, "EURUSD H1", 100, candle_trace=0, volume_trace=1).replace("{plot_id}", "p1")
    harness = (
        "var calls = [], handlers = {};\n"
        "var gd = {on: function (ev, fn) { handlers[ev] = fn; }, data: [{type: 'candlestick'}],\n"
        "          _fullLayout: {xaxis: {}, xaxis2: {}, yaxis: {}}};\n"
        "global.document = {getElementById: function (id) { return id === 'p1' ? gd : null; }};\n"
        "global.Plotly = {\n"
        "  restyle: function (g, u, i) { calls.push({u: u, i: i}); return Promise.resolve(); },\n"
        "  update: function (g, u, l, i) { calls.push({u: u, l: l, i: i}); return Promise.resolve(); },\n"
        "  relayout: function () { return Promise.resolve(); }};\n"
        "global.window = global;\n" + report_js() + "\n" + script + "\n(async function () {\n"
        "  var tick = function () { return new Promise(function (r) { setTimeout(r, 0); }); };\n"
        "  handlers.plotly_relayout({'xaxis.range': [1483308000000, 1483308000000 + 3600000 * 39]});\n"
        "  await tick(); await tick();\n"
        "  console.log(JSON.stringify(calls));\n"
        "})();\n"
    )
    js = tmp_path / "lod.js"
    js.write_text(harness, encoding="utf-8")
    out = subprocess.run(["node", str(js)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    load, candles, volume = json.loads(out.stdout)
    # on load: the overview's candles and volume, 20 bars per candle: 1+..+20 = 210, then 21+..+40 = 610
    assert load["l"] == {"xaxis.type": "date", "xaxis2.type": "date"}  # the date axes (and rangebreaks) stay
    assert load["i"] == [0, 1] and len(load["u"]["y"][1]) == 100 and load["u"]["y"][1][:2] == [210, 610]
    assert sum(load["u"]["y"][1]) == n * (n + 1) // 2 and len(load["u"]["open"][0]) == 100
    # a zoom to bars 0-39 (the view starts at the first bar): single bars, volume bar by bar
    assert candles["i"] == [0] and volume["i"] == [1] and volume["u"]["y"][0] == list(range(1, 41))
