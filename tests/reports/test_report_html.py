"""KPI report and trade chart: offline HTML (plotly.js from the folder's shared file) with the expected content."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import numpy as np
import pytest
from plotly.offline.offline import get_plotlyjs

from mas.reports._html import decimate_minmax
from mas.reports.assets_js import report_asset_name, report_js
from mas.reports.chart import MAX_CANDLES, _lod_script, aggregate_bars, write_trade_chart
from mas.reports.kpi import write_kpi_report
from mas.reports.output import plotly_asset_name
from mas.reports.trade_markers import markers_asset_name, markers_js
from mas.terminal.types import RATES_DTYPE

from .helpers import drawn_figures, make_result, plotly_figures, random_rates, synthetic_trades, trade

EVIL = '<script>alert("x")</script>'


def assert_offline(html: str, folder: Path | None = None) -> None:
    """Nothing is fetched from anywhere: everything is inline (``folder`` None), or plotly.js (and the trade chart's
    marker script) comes once from the shared file beside the page in ``folder``, named by a relative URL."""
    sources = re.findall(r"<script[^>]*\bsrc\s*=\s*\"([^\"]*)\"", html, re.I)
    if folder is None:
        assert sources == [] and not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    else:
        if markers_asset_name() in sources:  # the trade chart's marker script, shared beside the pages as well
            sources.remove(markers_asset_name())
            assert (folder / markers_asset_name()).read_text(encoding="utf-8") == markers_js()
        sources.remove(report_asset_name())  # the pages' shared script (packed series, lists, trade traces)
        assert (folder / report_asset_name()).read_text(encoding="utf-8") == report_js()
        assert sources == [plotly_asset_name()]
        assert (folder / sources[0]).read_text(encoding="utf-8") == get_plotlyjs()
        assert get_plotlyjs()[:200] not in html  # not inlined as well
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"<iframe\b|<img\b", html, re.I)
    assert not re.search(r"@import", html)
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", html, re.I)
    assert not re.search(r"\bsrc\s*=\s*[\"']?(?:https?:)?//", html, re.I)


def _plotly_bundles(html: str) -> int:
    return html.count("window.PlotlyConfig")


# ----------------------------------------------------------------------------- KPI


def test_kpi_report_content(sample_result, tmp_path):
    sample_result.settings["note"] = EVIL
    try:
        path = write_kpi_report(sample_result, tmp_path, f"SMA {EVIL}")
    finally:
        del sample_result.settings["note"]
    assert path.parent == tmp_path and path.suffix == ".html"
    assert re.fullmatch(r"kpi_EURUSD_SMA_script_alert_x_script_\d{8}-\d{6}\.html", path.name)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert_offline(html, tmp_path)
    assert _plotly_bundles(html) == 1  # plotly.js loaded exactly once
    # balance+equity+drawdown, monthly heatmap, histogram, the tester's three diagram figures
    assert html.count('class="plotly-graph-div"') == 6
    for heading in (
        "Headline",
        "Balance, equity and drawdown",
        "Tester diagrams",
        "Monthly returns (%)",
        "End of year",
        "Worst drawdowns",
        "Trade statistics",
        "Trade results",
        "Settings",
    ):
        assert f">{heading}<" in html, heading
    for label in (
        "Net profit (closed)",
        "Win rate",
        "Max drawdown",
        "Closed trades",
        "Avg holding time",
        "Sharpe",
        "Sortino",
        "CAGR",
        "Profit factor",
    ):
        assert f">{label}<" in html, label
    for key in ("symbol", "timeframe", "from", "to", "model", "spread", "commission", "leverage", "capital"):
        assert f"<td>{key}</td>" in html, key
    # all inserted text is escaped
    assert EVIL not in html
    assert escape(EVIL) in html
    # five drawdown rows (the sample has more than five drawdowns)
    dd_table = html.split(">Worst drawdowns<", 1)[1].split("</table>", 1)[0]
    assert dd_table.count("<tr>") == 1 + 5


def test_kpi_without_trades_and_two_reports_do_not_collide(tmp_path):
    times = 1_483_315_200 + np.arange(48) * 3600
    result = make_result(times, np.full(48, 1000.0), [], initial=1000.0)
    p1 = write_kpi_report(result, tmp_path, "flat")
    p2 = write_kpi_report(result, tmp_path, "flat")
    assert p1 != p2 and p1.exists() and p2.exists()
    html = p1.read_text(encoding="utf-8")
    assert "No closed trades." in html and "No drawdown" in html
    assert_offline(html, tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_kpi_rejects_missing_equity(tmp_path):
    with pytest.raises(ValueError, match="no equity"):
        write_kpi_report(make_result(np.array([], dtype=np.int64), np.array([]), initial=1.0), tmp_path, "s")
    with pytest.raises(ValueError, match="no backtest result"):
        write_kpi_report(None, tmp_path, "s")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- trade chart


def test_trade_chart_content(sample_result, tmp_path):
    path = write_trade_chart(sample_result, tmp_path, "SMA cross")
    assert re.fullmatch(r"chart_EURUSD_SMA_cross_\d{8}-\d{6}\.html", path.name)
    html = path.read_text(encoding="utf-8")
    assert_offline(html, tmp_path)
    assert _plotly_bundles(html) == 1
    (fig,) = plotly_figures(html)
    types = {t["name"]: t["type"] for t in fig["data"]}
    assert types.pop("EURUSD H1 (1 candle = 2 bars)") == "candlestick"  # 6,200 bars > MAX_CANDLES
    # entries, exits, entry-exit lines, equity, cumulative P&L: SVG at this size (no WebGL needed); the CSV
    # sample has no volume, so no volume panel
    assert types == {"Buy entry": "scatter", "Sell entry": "scatter", "Exit (win)": "scatter",
                     "Exit (loss / breakeven)": "scatter", "Trade line (win)": "scatter",
                     "Trade line (loss)": "scatter", "Equity": "scatter",
                     "Cumulative P&L": "scatter"}
    for name in ('"Buy entry"', '"Sell entry"', '"Exit (win)"', '"Equity"', "Cumulative P", "plotly_relayout"):
        assert name in html, name
    (drawn,) = drawn_figures(html)["figures"]  # the hovers are built on load from the trade columns, escaped
    hover = next(t for t in drawn["data"] if t["name"] == "Buy entry")["text"][0]
    assert re.fullmatch(r"#1 BUY 1\.00 lots<br>entry [0-9.]+ @ 2017-[0-9-]+ [0-9:]+<br>P&amp;L -?[0-9,.]+ USD", hover)


def test_trade_chart_sl_tp_and_multi_symbol(tmp_path):
    a, b = random_rates(300, step=3600), random_rates(300, step=3600, seed=2)
    t1 = trade(1, 5.0, int(a["time"][10]), int(a["time"][20]), symbol="EURUSD")
    t1.sl, t1.tp = 1.09, 1.12
    t2 = trade(2, -3.0, int(b["time"][30]), None, is_open=True, symbol="GBPUSD", direction="sell")
    equity = 10_000 + np.cumsum(np.ones(300))
    result = make_result(
        a["time"],
        equity,
        [t1, t2],
        initial=10_000.0,
        bars={"EURUSD": a, "GBPUSD": b},
        settings={"symbol": ["EURUSD", "GBPUSD"], "timeframe": "H1"},
    )
    html = write_trade_chart(result, tmp_path, "multi").read_text(encoding="utf-8")
    assert html.count('class="plotly-graph-div"') == 2
    assert ">EURUSD<" in html and ">GBPUSD<" in html
    assert '"name":"SL"' in html and '"name":"TP"' in html
    assert _plotly_bundles(html) == 1
    assert_offline(html, tmp_path)


def test_trade_chart_without_bars(tmp_path):
    times = 1_483_315_200 + np.arange(10) * 3600
    result = make_result(
        times, np.linspace(100, 110, 10), [trade(1, 1.0, int(times[1]), int(times[3]))], initial=100.0, settings={}
    )
    html = write_trade_chart(result, tmp_path, "s").read_text(encoding="utf-8")
    assert '"type":"candlestick"' not in html and "Buy entry" in html
    assert_offline(html, tmp_path)
    with pytest.raises(ValueError):
        write_trade_chart(make_result(np.array([], dtype=np.int64), np.array([]), initial=1.0), tmp_path, "s")


def test_aggregate_bars_ohlc():
    b = random_rates(10_001)
    agg, k = aggregate_bars(b, 5_000)
    assert k == 3 and len(agg["time"]) == 3_334 <= 5_000
    assert agg["time"][1] == b["time"][3] and agg["open"][1] == b["open"][3]
    assert agg["high"][1] == b["high"][3:6].max() and agg["low"][1] == b["low"][3:6].min()
    assert agg["close"][1] == b["close"][5] and agg["close"][-1] == b["close"][-1]
    same, k1 = aggregate_bars(b[:100], 5_000)
    assert k1 == 1 and np.array_equal(same["close"], b["close"][:100])


def test_trade_chart_100k_candles_is_level_of_detail(tmp_path):
    bars = random_rates(100_000)
    equity = 10_000 + np.cumsum(np.random.default_rng(0).normal(0, 1, len(bars)))
    trades = synthetic_trades(bars, every=331, hold=97)
    result = make_result(bars["time"], equity, trades, initial=10_000.0, bars={"EURUSD": bars})
    path = write_trade_chart(result, tmp_path, "big")  # how long it takes is bench material, not a test's
    html = path.read_text(encoding="utf-8")
    assert f"1 candle = {int(np.ceil(100_000 / MAX_CANDLES))} bars" in html
    # the overview candlestick trace holds at most MAX_CANDLES candles
    traces = {t["name"]: t for t in plotly_figures(html)[0]["data"]}
    assert all(t["type"] == "scatter" for name, t in traces.items() if not name.startswith(("EURUSD", "Tick")))
    drawn = {t["name"]: t for t in drawn_figures(html)["figures"][0]["data"]}
    assert len(drawn[next(n for n in drawn if n.startswith("EURUSD"))]["close"]) <= MAX_CANDLES
    # the equity line is SVG, thinned to each bucket's low and high: at most 2 points a candle
    assert MAX_CANDLES < len(drawn["Equity"]["y"]) <= 2 * MAX_CANDLES
    assert_offline(html, tmp_path)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_level_of_detail_script_reaggregates_on_zoom(tmp_path):
    n = 20_000
    b = np.zeros(n, dtype=RATES_DTYPE)
    b["time"] = 1_483_308_000 + np.arange(n) * 3600
    b["open"], b["close"] = np.arange(n), np.arange(n) + 0.5
    b["high"], b["low"] = np.arange(n) + 1.0, np.arange(n) - 1.0
    equity = 10_000 + 100 * np.sin(np.arange(n) / 50.0)
    script = _lod_script(
        b, "EURUSD H1", 1_000, candle_trace=0, equity_times=b["time"], equity=equity, equity_trace=5
    ).replace("{plot_id}", "p1")
    harness = (
        "var calls = [], layouts = [], handlers = {};\n"
        "var gd = {on: function (ev, fn) { handlers[ev] = fn; }, data: [{type: 'candlestick'}]};\n"
        "global.document = {getElementById: function (id) { return id === 'p1' ? gd : null; }};\n"
        "global.Plotly = {\n"
        "  restyle: function (g, u, i) { calls.push({u: u, i: i}); return Promise.resolve(); },\n"
        "  update: function () { return Promise.resolve(); },\n"  # the load-time fill (test_report_chart.py)
        "  relayout: function (g, l) { layouts.push(l); return Promise.resolve(); }};\n"
        "global.window = global;\n" + report_js() + "\n" + script + "\n(async function () {\n"
        "  var tick = function () { return new Promise(function (r) { setTimeout(r, 0); }); };\n"
        "  handlers.plotly_relayout({'xaxis3.range[0]': '2017-01-02 22:00', "
        "'xaxis3.range[1]': '2017-01-10 12:30:00.5'}); await tick();\n"
        "  handlers.plotly_relayout({'xaxis.autorange': true}); await tick();\n"
        "  handlers.plotly_relayout({'xaxis2.range': [1483308000000, 1483308000000 + 3600000 * 5000]});\n"
        "  await tick();\n"
        "  handlers.plotly_relayout({'yaxis.range': [1, 2]}); await tick();\n"
        "  handlers.plotly_relayout({'xaxis.range': ['2017-02-01', '2017-02-02']});\n"
        "  handlers.plotly_relayout({'xaxis.range': ['2017-03-01', '2017-03-02']});\n"  # while the first is drawn
        "  await tick(); await tick();\n"
        "  console.log(JSON.stringify({layouts: layouts, calls: calls.map(function (c) { var u = c.u; return {i: c.i,"
        " n: u.x[0].length, x: u.x[0].slice(0, 2), y: u.y ? u.y[0] : null, o0: u.open ? u.open[0][0] : null,"
        " h0: u.high ? u.high[0][0] : null, l0: u.low ? u.low[0][0] : null, c0: u.close ? u.close[0][0] : null,"
        " name: u.name ? u.name[0] : null}; })}));\n"
        "})();\n"
    )
    js = tmp_path / "lod.js"
    js.write_text(harness, encoding="utf-8")
    out = subprocess.run(["node", str(js)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    calls, layouts = result["calls"], result["layouts"]
    # each view change restyles the candles (trace 0), then the equity (trace 5); a y-only relayout does nothing
    assert [c["i"] for c in calls] == [[0], [5]] * 5 and len(layouts) == 5
    zoom, zoom_eq, reset, reset_eq, wide, wide_eq, february, _, march, _ = calls
    # a zoom that arrives while the previous one is drawn is not lost: it is drawn next
    assert february["x"][1] == "2017-02-01 00:00:00.000" and march["x"][1] == "2017-03-01 00:00:00.000"
    # 2017-01-02 22:00 UTC is bar 24; the view starts one bar earlier and shows single bars, x as date text
    # (new x data makes plotly re-detect the axis type: epoch ms would turn the date axis linear)
    assert zoom["x"] == ["2017-01-02 21:00:00.000", "2017-01-02 22:00:00.000"] and zoom["name"] == "EURUSD H1"
    assert zoom["n"] < 1_000 and zoom["o0"] == 23 and zoom["c0"] == 23.5
    # ... the equity in full (fewer points than the cap), and the price axis fitted to the candles, 5 % margin
    assert zoom_eq["n"] == zoom["n"] and zoom_eq["x"] == zoom["x"]
    assert zoom_eq["y"] == pytest.approx(equity[23 : 23 + zoom["n"]].tolist())
    lo, hi = 22.0, 23.0 + zoom["n"]
    assert layouts[0] == {"yaxis.range": [pytest.approx(lo - 0.05 * (hi - lo)), pytest.approx(hi + 0.05 * (hi - lo))]}
    # reset: the whole history, 20 bars per candle, OHLC aggregated; equity thinned to low and high per bucket
    assert reset["n"] == 1_000 and reset["name"] == "EURUSD H1 (1 candle = 20 bars)"
    assert (reset["o0"], reset["h0"], reset["l0"], reset["c0"]) == (0, 20, -1, 19.5)
    assert 1_000 < reset_eq["n"] <= 2_000 and layouts[1] == {"yaxis.autorange": True}
    first, second = sorted((int(np.argmin(equity[:20])), int(np.argmax(equity[:20]))))
    assert reset_eq["y"][:2] == pytest.approx([equity[first], equity[second]])
    assert wide["n"] <= 1_000 and wide["name"].endswith("(1 candle = 6 bars)") and wide_eq["n"] <= 2_000


@pytest.mark.parametrize("n", [1, 10, 9_999, 10_000, 10_001, 100_000])
def test_decimate_minmax_keeps_extremes_within_the_cap(n):
    y = np.cumsum(np.random.default_rng(n).normal(0, 1, n))
    idx = decimate_minmax(y, 10_000)
    assert len(idx) <= 10_000 and np.all(np.diff(idx) > 0)
    assert idx[0] == 0 and idx[-1] == n - 1
    assert y.argmin() in idx and y.argmax() in idx
    if n <= 10_000:
        assert len(idx) == n
