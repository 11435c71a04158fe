"""``self.plot(name, value)``: a Python strategy's own series on its trade chart, and a spec strategy's
indicators, aligned to the bars they were computed on."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mas import MAS
from mas.cli.main import app
from mas.data.store import save_bars
from mas.reports.chart import plotted_lines, render_trade_chart_html
from mas.reports.packing import unpack
from mas.reports.saved_result import load_saved_result, result_document, result_from_document

from .helpers import plotly_figures, run_backtest

runner = CliRunner()

USER_STRATEGY = textwrap.dedent('''
    from collections import deque

    from mas import MAS


    class PlotCross(MAS):
        """An SMA 5/20 cross that draws its two averages and their gap, as a user would write it."""

        def __init__(self):
            super().__init__()
            self.closes = deque(maxlen=20)
            self.prev = None

        def receive_bars(self, symbol, data, is_end):
            self.closes.append(data["close"])
            last = list(self.closes)
            fast = sum(last[-5:]) / len(last[-5:])
            slow = sum(last) / 20 if len(last) == 20 else None
            self.plot("sma_5", fast)
            self.plot("sma_20", slow)
            self.plot("gap", None if slow is None else (fast - slow) * 10_000, panel="lower")
            if slow is None or is_end:
                return
            diff = fast - slow
            if self.prev is not None and self.prev <= 0 < diff and not self.get_positions({"symbol": symbol}):
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "backtest_toggle": True})
            elif self.prev is not None and self.prev >= 0 > diff:
                for p in self.get_positions({"symbol": symbol}):
                    self.send_order({"symbol": symbol, "order_type": "sell", "volume": p["volume"],
                                     "position": p["ticket"], "backtest_toggle": True})
            self.prev = diff
''')


def expected_sma(close: np.ndarray, period: int) -> np.ndarray:
    """The SMA after each bar's close, NaN before ``period`` bars, by cumulative sums (not the strategy's way)."""
    out = np.full(len(close), np.nan)
    sums = np.cumsum(np.concatenate(([0.0], close)))
    out[period - 1:] = (sums[period:] - sums[:-period]) / period
    return out


def lod_lines(html: str) -> list[dict]:
    """The plotted series the chart's level-of-detail script carries: ``[{"trace", "v": float32 array}]``."""
    payload = re.search(r"var RAW = (\{.*?\}), MAX = ", html).group(1)
    lines = json.loads(payload).get("lines") or []
    return [{"trace": x["trace"], "v": unpack(x["v"]).astype(np.float32)} for x in lines]


@pytest.fixture(scope="module")
def user_strategy(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("strategy") / "plot_cross.py"
    path.write_text(USER_STRATEGY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plotted(user_strategy, tmp_path_factory):
    """The user strategy backtested on the bundled EURUSD H1 2017 sample through the facade."""
    namespace: dict = {}
    exec(compile(user_strategy.read_text(encoding="utf-8"), str(user_strategy), "exec"), namespace)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(tmp_path_factory.mktemp("home")))
        return run_backtest(namespace["PlotCross"]())


def test_plotted_series_are_kept_one_value_per_bar(plotted):
    bars = plotted.bars["EURUSD"]
    series = plotted.plots["EURUSD"]
    assert list(series) == ["sma_5", "sma_20", "gap"]
    assert series["sma_5"].panel == "price" and series["gap"].panel == "lower"
    for s in series.values():
        assert np.array_equal(s.times, bars["time"])  # every bar, in order, at the bar's open time
    close = np.asarray(bars["close"], dtype=np.float64)
    sma5 = expected_sma(close, 5)
    np.testing.assert_allclose(series["sma_5"].values[4:], sma5[4:], rtol=0, atol=1e-12)
    np.testing.assert_allclose(series["sma_5"].values[:4], [close[: i + 1].mean() for i in range(4)], atol=1e-12)
    sma20 = expected_sma(close, 20)
    assert np.isnan(series["sma_20"].values[:19]).all()  # None is a gap
    np.testing.assert_allclose(series["sma_20"].values[19:], sma20[19:], rtol=0, atol=1e-12)
    np.testing.assert_allclose(series["gap"].values[19:], (sma5 - sma20)[19:] * 10_000, atol=1e-7)


def test_the_chart_carries_the_series_aligned_to_the_bars(plotted):
    html = render_trade_chart_html(plotted, "PlotCross", plotly_src="plotly.min.js")
    fig = plotly_figures(html)[0]
    names = [t.get("name") for t in fig["data"]]
    assert {"sma_5", "sma_20", "gap"} <= set(names)
    lines = {names[x["trace"]]: x["v"] for x in lod_lines(html)}
    bars = plotted.bars["EURUSD"]
    for name in ("sma_5", "sma_20", "gap"):
        assert len(lines[name]) == len(bars)
        want = plotted.plots["EURUSD"][name].values
        assert np.array_equal(np.isnan(lines[name]), np.isnan(want))
        np.testing.assert_allclose(lines[name][~np.isnan(want)], want[~np.isnan(want)], rtol=1e-6)
    # price-panel series share the candles' axes; the oscillator gets its own panel below the volume
    gap = fig["data"][names.index("gap")]
    assert fig["data"][names.index("sma_5")].get("yaxis", "y") == "y"
    assert gap["yaxis"] == "y3" and fig["layout"]["yaxis3"]["title"]["text"] == "indicators"


def test_plotted_lines_align_by_time_and_drop_values_off_the_bars(plotted):
    bars = plotted.bars["EURUSD"][100:200]
    lines = plotted_lines(plotted, "EURUSD", bars)
    want = plotted.plots["EURUSD"]["sma_5"].values[100:200]
    np.testing.assert_array_equal(lines["sma_5"][1], want)
    assert plotted_lines(plotted, "GBPUSD", bars) == {} and plotted_lines(plotted, "EURUSD", None) == {}


def test_a_saved_result_keeps_the_series(plotted):
    document = json.loads(json.dumps(result_document(plotted), default=str))
    assert set(document["plots"]["EURUSD"]) == {"sma_5", "sma_20", "gap"}
    first = document["plots"]["EURUSD"]["sma_20"]["values"]
    assert first[0][1] is None and first[19][1] == pytest.approx(plotted.plots["EURUSD"]["sma_20"].values[19])
    back, _ = result_from_document(document, with_bars=False)
    for name, s in plotted.plots["EURUSD"].items():
        got = back.plots["EURUSD"][name]
        assert got.panel == s.panel and np.array_equal(got.times, s.times)
        np.testing.assert_allclose(got.values, s.values, rtol=1e-9, equal_nan=True)
    document["plots"]["EURUSD"]["gap"]["panel"] = "left"
    with pytest.raises(ValueError, match="plots"):
        result_from_document(document, with_bars=False)


def test_plot_refuses_bad_input_by_name_and_is_a_no_op_outside_a_backtest(tmp_path, monkeypatch):
    monkeypatch.setenv("MAS_HOME", str(tmp_path))
    assert MAS().plot("sma", 1.0) is False  # no replay: nothing to draw on, nothing raised

    class Probe(MAS):
        def __init__(self, call):
            super().__init__()
            self.call = call

        def receive_bars(self, symbol, data, is_end):
            self.call(self)

    for call, message in (
        (lambda s: s.plot("", 1.0), "name"),
        (lambda s: s.plot("x" * 61, 1.0), "name"),
        (lambda s: s.plot("sma", "1.1"), "must be a number"),
        (lambda s: s.plot("sma", True), "must be a number"),
        (lambda s: s.plot("sma", 1.0, panel="top"), "panel"),
        (lambda s: s.plot("sma", 1.0, symbol="GBPUSD"), "GBPUSD"),
    ):
        with pytest.raises(ValueError, match=message):
            run_backtest(Probe(call), to="2017-01-10")

    class TwoPanels(MAS):
        def receive_bars(self, symbol, data, is_end):
            self.plot("x", 1.0, panel="lower" if is_end else "price")

    with pytest.raises(ValueError, match="one panel"):
        run_backtest(TwoPanels(), to="2017-01-10")


def test_several_symbols_need_the_symbol_and_each_chart_gets_its_own(tmp_path, monkeypatch, sample_rates):
    monkeypatch.setenv("MAS_HOME", str(tmp_path))
    gbp = sample_rates[sample_rates["time"] < 1_486_000_000].copy()  # January 2017, GBPUSD-like prices
    for field in ("open", "high", "low", "close"):
        gbp[field] = gbp[field] * 1.18
    save_bars("GBPUSD", "H1", gbp, price_side="bid", has_spread=False)

    class Both(MAS):
        def receive_bars(self, symbol, data, is_end):
            self.plot("close_x2", 2 * data["close"], symbol=symbol)
            self.plot("twice", 1.0, symbol=symbol)
            self.plot("twice", 3.0, symbol=symbol)  # the last call of a bar wins

    result = run_backtest(Both(), symbol=["EURUSD", "GBPUSD"], to="2017-01-31")
    for symbol in ("EURUSD", "GBPUSD"):
        bars = result.bars[symbol]
        series = result.plots[symbol]["close_x2"]
        assert np.array_equal(series.times, bars["time"])
        np.testing.assert_allclose(series.values, 2 * bars["close"])
        assert set(result.plots[symbol]["twice"].values.tolist()) == {3.0}

    class NoSymbol(MAS):
        def receive_bars(self, symbol, data, is_end):
            self.plot("sma", 1.0)

    with pytest.raises(ValueError, match="say which symbol"):
        run_backtest(NoSymbol(), symbol=["EURUSD", "GBPUSD"], to="2017-01-10")


def test_mas_backtest_of_a_strategy_file_saves_and_redraws_its_series(user_strategy, tmp_path):
    saved, out, again = tmp_path / "run.json", tmp_path / "out", tmp_path / "again"
    done = runner.invoke(app, ["backtest", str(user_strategy), "--json", str(saved), "--report-dir", str(out)])
    assert done.exit_code == 0, done.output
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert set(document["plots"]["EURUSD"]) == {"sma_5", "sma_20", "gap"}
    chart = next(out.glob("chart_*.html")).read_text(encoding="utf-8")
    # a year of H1 with three plotted series: each page under 1 MB besides the shared plotly.js
    assert all(page.stat().st_size < 1_000_000 for page in out.glob("*.html"))
    done = runner.invoke(app, ["report", str(saved), "--report-dir", str(again)])
    assert done.exit_code == 0, done.output
    redrawn = next(again.glob("chart_*.html")).read_text(encoding="utf-8")
    first = {x["trace"]: x["v"] for x in lod_lines(chart)}
    second = {x["trace"]: x["v"] for x in lod_lines(redrawn)}
    assert first.keys() == second.keys() and len(first) == 3
    for trace, values in first.items():
        np.testing.assert_allclose(second[trace], values, rtol=1e-6, equal_nan=True)


def test_spec_strategies_draw_their_indicators(tmp_path):
    """The built-in MA cross (a spec strategy) draws SMA 5 and SMA 20 over the candles on either engine."""
    for engine in ("fast", "event"):
        out, saved = tmp_path / engine, tmp_path / f"{engine}.json"
        done = runner.invoke(app, ["backtest", "ma", "--engine", engine, "--json", str(saved), "--report-dir",
                                   str(out)])
        assert done.exit_code == 0, done.output
        loaded, _ = load_saved_result(saved)
        bars = loaded.bars["EURUSD"]
        close = np.asarray(bars["close"], dtype=np.float64)
        plots = loaded.plots["EURUSD"]
        assert {"sma_5", "sma_20"} <= set(plots) and plots["sma_5"].panel == "price"
        for name, period in (("sma_5", 5), ("sma_20", 20)):
            want = expected_sma(close, period)
            np.testing.assert_allclose(plots[name].values[period - 1:], want[period - 1:], rtol=1e-9)
        html = next(out.glob("chart_*.html")).read_text(encoding="utf-8")
        assert all(page.stat().st_size < 1_000_000 for page in out.glob("*.html"))  # a year of H1, SMA lines drawn
        names = [t.get("name") for t in plotly_figures(html)[0]["data"]]
        assert {"sma_5", "sma_20"} <= {names[x["trace"]] for x in lod_lines(html)}


def test_a_bad_plot_call_in_a_strategy_file_is_a_clear_cli_error(tmp_path):
    path = tmp_path / "bad_plot.py"
    path.write_text(textwrap.dedent('''
        from mas import MAS


        class BadPlot(MAS):
            def receive_bars(self, symbol, data, is_end):
                self.plot("sma", "high")
    '''), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mas", "backtest", str(path), "--to", "2017-01-10"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "plot: the value of 'sma' must be a number" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr or "bad_plot.py" in done.stderr


def test_values_are_json_safe(plotted):
    document = result_document(plotted)
    text = json.dumps(document["plots"], allow_nan=False)
    assert not any(math.isnan(v) for pair in json.loads(text)["EURUSD"]["sma_20"]["values"] for v in pair[1:]
                   if v is not None)


def test_in_a_tick_replay_the_value_goes_to_the_m1_bar_of_the_tick(tmp_path, monkeypatch):
    from mas.data.tick_store import save_ticks
    from mas.terminal import constants as c
    from mas.terminal.types import TICKS_DTYPE

    monkeypatch.setenv("MAS_HOME", str(tmp_path))
    start = 1_488_794_400  # 2017-03-06 10:00:00 UTC
    bids = [1.1000, 1.1001, 1.1003, 1.1005, 1.1011, 1.1013]
    ticks = np.zeros(len(bids), dtype=TICKS_DTYPE)
    ticks["time_msc"] = start * 1000 + 25_000 * np.arange(len(bids))  # 25 s apart: 3 ticks in each of 2 minutes
    ticks["time"] = ticks["time_msc"] // 1000
    ticks["bid"], ticks["ask"] = bids, np.round(np.asarray(bids) + 0.0001, 5)
    ticks["flags"] = c.TICK_FLAG_BID | c.TICK_FLAG_ASK
    save_ticks("EURUSD", ticks)

    class TickPlot(MAS):
        def receive_ticks(self, symbol, data, is_end):
            self.plot("bid", data["bid"])

    client = TickPlot()
    client.subscribe_ticks({"symbol": "EURUSD", "from": "2017-03-06", "to": "2017-03-06", "backtest_toggle": True})
    series = client.backtest_result.plots["EURUSD"]["bid"]
    assert series.times.tolist() == [start, start + 60, start + 120]  # 0 s, 25 s, 50 s | 75 s, 100 s | 125 s
    assert series.values.tolist() == [bids[2], bids[4], bids[5]]  # the last tick of each minute
    assert set(series.times.tolist()) <= set(client.backtest_result.bars["EURUSD"]["time"].tolist())
