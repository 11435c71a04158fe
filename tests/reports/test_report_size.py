"""Report pages of a year of H1 stay under 1 MB beside their shared assets (issue 17 item 6), with the same content:
every built-in through ``mas backtest``, and a busy strategy (about 1,600 trades) run from a strategy file. In a real
Chromium (Playwright over Debian's Chromium) the compact lists and trade traces, rendered by the shared script from
packed columns, show what ``--json`` saved; the chart never switches trade markers to WebGL, so the weekend stays cut
out of the time axis at any trade count. Screenshots go to ``$MAS_TEST_ARTIFACTS/browser``."""

from __future__ import annotations

import json
import math
import re
import textwrap
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from mas.cli.main import app
from mas.reports._html import fmt_num, fmt_time
from mas.reports.chart import time_gaps, write_trade_chart
from mas.reports.kpi import write_kpi_report
from mas.reports.metrics import format_duration
from mas.reports.mt5_sections import _price
from mas.reports.packing import pack, unpack

from .browser import CHROMIUM
from .helpers import backtest_strategy_file, list_rows, make_result, plotly_figures, synthetic_trades, trade

LIMIT = 1_000_000
BUILTINS = ("ma", "rsi", "macd", "kd", "bband")
runner = CliRunner()
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")

BUSY_STRATEGY = textwrap.dedent('''
    from mas import MAS


    class Busy(MAS):
        """A market order with SL and TP 10 pips away every 3 bars while flat, alternating buy and sell."""

        def __init__(self):
            super().__init__()
            self.seen = self.sent = 0

        def receive_bars(self, symbol, data, is_end):
            self.seen += 1
            if is_end or self.seen % 3 or self.get_positions({"symbol": symbol}):
                return
            sign = 1.0 if self.sent % 2 == 0 else -1.0
            self.sent += 1
            close = float(data["close"])
            self.send_order({"symbol": symbol, "order_type": "buy" if sign > 0 else "sell", "volume": 0.1,
                             "backtest_toggle": True, "sl": round(close - sign * 0.001, 5),
                             "tp": round(close + sign * 0.001, 5)})
''')


def pages(folder: Path) -> dict[str, Path]:
    return {p.name.split("_", 1)[0]: p for p in folder.glob("*.html")}


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> dict[str, Any]:
    """The busy strategy file run as a user runs it: ``mas backtest busy.py --json run.json --report-dir D``."""
    return backtest_strategy_file(tmp_path_factory, "busy_pages", "busy.py", BUSY_STRATEGY)


# ----------------------------------------------------------------------------- sizes


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_pages_of_a_year_of_h1_are_under_1_mb(name, tmp_path, monkeypatch):
    monkeypatch.setenv("MAS_HOME", str(tmp_path / "home"))
    done = runner.invoke(app, ["backtest", name, "--report-dir", str(tmp_path)])
    assert done.exit_code == 0, done.output
    found = pages(tmp_path)
    assert set(found) == {"kpi", "chart"}
    for page in found.values():
        assert page.stat().st_size < LIMIT, (page.name, page.stat().st_size)
    shared = sorted(p.name for p in tmp_path.glob("*.js"))  # plotly.js and the two small scripts, once per folder
    assert [re.sub(r"-[0-9a-f.]+(\.min)?\.js$", "", n) for n in shared] == ["mas-report", "mas-trademarkers", "plotly"]


def test_a_busy_strategy_s_pages_are_under_1_mb(busy):
    trades = busy["document"]["trades"]
    assert len(trades) > 1_500 and all(t["sl"] and t["tp"] for t in trades)  # SL and TP on every trade
    for kind in ("kpi", "chart"):
        assert busy[kind].stat().st_size < LIMIT, (kind, busy[kind].stat().st_size)
    # comfortably: the lists and curves are carried once, compactly (about 300 bytes a trade for the two pages)
    assert busy["kpi"].stat().st_size + busy["chart"].stat().st_size < 700 * len(trades) + 400_000


def test_self_contained_pages_carry_everything_inline(busy, tmp_path):
    kpi = write_kpi_report(busy["result"], tmp_path, "busy", self_contained=True)
    chart = write_trade_chart(busy["result"], tmp_path, "busy", self_contained=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([kpi.name, chart.name])  # nothing beside them
    for page in (kpi, chart):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc\s*=", html) and "MASReport" in html
        assert "root.MASReport = {" in html  # the shared script inlined
    assert "root.MASMarkers = {" in chart.read_text(encoding="utf-8")


def test_packed_columns_are_exact_and_small(sample_rates):
    close = np.asarray(sample_rates["close"], dtype=np.float64)
    col = pack(close)
    assert col["k"] == 5 and col["t"] == "i2" and np.array_equal(unpack(col), close)  # prices bit for bit
    times = np.asarray(sample_rates["time"], dtype=np.float64)
    col = pack(times)
    assert col["g"] == 3600 and "r" in col and len(json.dumps(col)) < 2_000  # a year of H1 times: runs
    assert np.array_equal(unpack(col), times)
    assert len(json.dumps(pack(close))) < len(close) * 3  # about 2.7 characters a price (was 10.7 as float64)


# ----------------------------------------------------------------------------- WebGL never


def test_more_than_2000_markers_of_a_kind_stay_svg_with_the_gaps_cut(sample_rates, tmp_path):
    trades = synthetic_trades(sample_rates, every=1, hold=1)  # 6,000+ trades, over 3,000 buy entries
    assert sum(t.direction == "buy" for t in trades) > 2_000
    result = make_result(sample_rates["time"], 10_000 + np.cumsum(np.ones(len(sample_rates))), trades,
                         initial=10_000.0, bars={"EURUSD": sample_rates})
    html = write_trade_chart(result, tmp_path, "many").read_text(encoding="utf-8")
    (figure,) = plotly_figures(html)
    assert {t["type"] for t in figure["data"]} == {"candlestick", "scatter"}  # no scattergl
    axes = [v for k, v in figure["layout"].items() if re.fullmatch(r"xaxis\d*", k)]
    gaps = [list(g) for g in time_gaps(sample_rates["time"])]
    assert len(axes) >= 3 and all([b["bounds"] for b in ax["rangebreaks"]] == gaps for ax in axes) and gaps


# ----------------------------------------------------------------------------- in Chromium


def _open(chromium, path: Path, problems: list[str]):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(path.resolve().as_uri())
    return page


def _dt(text: str | None) -> float | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()


def _table(page, table_id: str) -> list[list[str]]:
    return page.evaluate(f"[...document.querySelectorAll('#{table_id} tbody tr')]"
                         ".map(r => [...r.cells].map(c => c.textContent))")


@needs_chromium
@pytest.mark.browser
def test_the_lists_show_what_json_saved(chromium, busy, artifacts):
    problems: list[str] = []
    page = _open(chromium, busy["kpi"], problems)
    page.wait_for_function("document.querySelectorAll('#deals-list tbody tr').length > 0")
    document = busy["document"]
    trades = document["trades"]

    def order(t: dict) -> tuple:
        close = _dt(t["close_time"])
        return (1 if t["is_open"] or close is None else 0, close if close is not None else _dt(t["open_time"]),
                _dt(t["open_time"]))

    expected = []
    for t in sorted(trades, key=order):
        o, c = _dt(t["open_time"]), _dt(t["close_time"])
        net = t["profit"] + t["commission"] + t["swap"]
        expected.append([fmt_time(o), str(t["position_id"]), t["symbol"], t["direction"], fmt_num(t["volume"], 2),
                         _price(t["open_price"]), _price(t["sl"] or 0.0), _price(t["tp"] or 0.0),
                         "open" if t["is_open"] else fmt_time(c), _price(t["close_price"]), fmt_num(t["commission"]),
                         fmt_num(t["swap"]), fmt_num(t["profit"]), fmt_num(net),
                         format_duration(None if t["is_open"] or c is None else c - o), t["exit_reason"]])
    shown = _table(page, "trades-list")
    assert shown == expected  # every cell of every trade, as Python formats the saved trade
    assert shown == list_rows(busy["kpi"].read_text(encoding="utf-8"), "trades-list")

    orders = _table(page, "orders-list")
    saved = document["orders"]
    assert len(orders) == len(saved) > 2 * len(trades) - 2
    assert [[r[0], r[1], r[3], r[9]] for r in orders] == [
        [o["time_setup"][:16], str(o["ticket"]), o["type_name"], o["state_name"]] for o in saved]
    deals = _table(page, "deals-list")
    assert len(deals) == document["tester_metrics"]["total_deals"] + 1  # and the deposit
    assert deals[0][3] == "balance" and deals[-1][11] == fmt_num(document["balance"][-1])
    assert deals[0][4:8] == ["", "", "", ""]  # the deposit has no direction, volume, price or order
    html = busy["kpi"].read_text(encoding="utf-8")  # every cell as the columns hold it (read in Python)
    assert orders == list_rows(html, "orders-list") and deals == list_rows(html, "deals-list")

    # sorting by a column and the CSV still work on the rendered rows
    page.evaluate("document.querySelectorAll('#trades-list thead th')[13].click()")
    nets = [float(r[13].replace(",", "")) for r in _table(page, "trades-list")]
    assert nets == sorted(nets)
    csv = page.evaluate(
        "new Promise(done => { const make = URL.createObjectURL; URL.createObjectURL = b => { b.text().then(done);"
        " return make(b); }; document.querySelector('button.csv[data-table=\"deals-list\"]').click(); })")
    assert csv.count("\n") == 1 + len(deals)
    page.evaluate("[...document.querySelectorAll('section')].find(s => s.querySelector('h2').textContent === 'Orders')"
                  ".scrollIntoView()")
    page.screenshot(path=str(artifacts / "size_busy_kpi_orders.png"), full_page=False)
    assert problems == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_the_chart_traces_show_what_json_saved(chromium, busy, artifacts):
    problems: list[str] = []
    page = _open(chromium, busy["chart"], problems)
    gd = "document.querySelector('.js-plotly-plot')"
    page.wait_for_function(f"{gd} && {gd}.dataset.markers === 'grouped'")
    trades = busy["document"]["trades"]
    drawn = page.evaluate(f"""(() => {{ const gd = {gd}; return gd.data.map(t => ({{name: t.name, visible: t.visible,
        x: Array.from(t.x || []).map(v => v === null ? null : MASMarkers.toMs(v)), y: Array.from(t.y || []),
        text: Array.from(t.text || []), count: Array.from(t.customdata || [])}})); }})()""")
    by_name: dict[str, list[dict]] = {}
    for t in drawn:
        by_name.setdefault(t["name"], []).append(t)
    single = {name: by_name[name][0] for name in ("Buy entry", "Sell entry", "Exit (win)", "Exit (loss / breakeven)")}

    def ms(text: str) -> float:
        return _dt(text) * 1000.0

    buys = [t for t in trades if t["direction"] == "buy"]
    assert single["Buy entry"]["x"] == [ms(t["open_time"]) for t in buys]
    assert single["Buy entry"]["y"] == [t["open_price"] for t in buys]  # the engine's doubles, bit for bit
    net = {t["position_id"]: t["profit"] + t["commission"] + t["swap"] for t in trades}
    first = buys[0]
    assert single["Buy entry"]["text"][0] == (
        f"#{first['position_id']} BUY 0.10 lots<br>entry {first['open_price']:.10g} @ "
        f"{fmt_time(_dt(first['open_time']))}<br>P&amp;L {fmt_num(net[first['position_id']])} USD")
    won = [t for t in trades if not t["is_open"] and net[t["position_id"]] > 0]
    assert single["Exit (win)"]["y"] == [t["close_price"] for t in won]
    assert single["Exit (win)"]["text"][0].endswith(f"({won[0]['exit_reason']})<br>P&amp;L "
                                                    f"{fmt_num(net[won[0]['position_id']])} USD")
    # SL / TP: one segment (3 points) per trade at its level; the cumulative P&L ends at the closed trades' sum
    assert by_name["SL"][0]["y"][0::3] == [t["sl"] for t in trades]
    assert by_name["TP"][0]["y"][0::3] == [t["tp"] for t in trades]
    closed = sum(net[t["position_id"]] for t in trades if not t["is_open"])
    assert by_name["Cumulative P&L"][0]["y"][-1] == pytest.approx(closed, abs=1e-6)
    # the grouped markers count every entry and exit; the equity is the saved curve (cents) at the points drawn
    grouped = [by_name[n][1] for n in single]
    assert sum(sum(t["count"]) for t in grouped) == len(trades) + sum(not t["is_open"] for t in trades)
    equity = {ms(e[0]): e[1] for e in busy["document"]["equity"]}
    eq = by_name["Equity"][0]
    assert eq["y"] == [equity[x] for x in eq["x"]]  # each candle's lowest and highest equity (2 bars a candle)
    assert len(equity) // 2 < len(eq["x"]) <= len(equity)
    assert page.evaluate(f"{gd}._fullData.filter(t => t.type === 'scattergl').length") == 0  # SVG: the gaps stay cut
    page.screenshot(path=str(artifacts / "size_busy_chart.png"), full_page=True)
    assert problems == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_over_2000_markers_keep_the_weekend_cut_in_chromium(chromium, sample_rates, tmp_path, artifacts):
    trades = synthetic_trades(sample_rates, every=1, hold=1)
    result = make_result(sample_rates["time"], 10_000 + np.cumsum(np.ones(len(sample_rates))), trades,
                         initial=10_000.0, bars={"EURUSD": sample_rates})
    problems: list[str] = []
    page = _open(chromium, write_trade_chart(result, tmp_path, "many"), problems)
    gd = "document.querySelector('.js-plotly-plot')"
    page.wait_for_function(f"{gd} && {gd}.dataset.markers === 'grouped'")
    # a weekend: thousands of markers in the traces, each on its own now, and the weekend takes one bar step
    page.evaluate(f"""(() => {{ const gd = {gd}, update = {{}};
        Object.keys(gd._fullLayout).filter(k => /^xaxis\\d*$/.test(k)).forEach(k => {{
          update[k + '.range'] = ['2017-06-09 00:00:00', '2017-06-12 06:00:00']; }});
        return Plotly.relayout(gd, update); }})()""")
    page.wait_for_function(f"{gd}.dataset.markers === 'single'")
    assert page.evaluate(f"{gd}._fullData.filter(t => t.type === 'scattergl').length") == 0
    assert page.evaluate(f"{gd}._fullData.find(t => t.name === 'Buy entry').x.length") > 2_000
    t = sample_rates["time"].astype(np.int64)
    friday = int(np.searchsorted(t, int(datetime(2017, 6, 9, 20, tzinfo=timezone.utc).timestamp())))
    assert t[friday + 1] - t[friday] > 24 * 3600  # the weekend after Friday 9 June
    px = page.evaluate(f"(() => {{ const ax = {gd}._fullLayout.xaxis; return [{t[friday - 1] * 1000}, "
                       f"{t[friday] * 1000}, {t[friday + 1] * 1000}].map(v => ax.d2p(v)); }})()")
    assert px[2] - px[1] == pytest.approx(px[1] - px[0], abs=0.02)  # one bar step, not 48 hours
    assert not math.isclose(px[1], px[0])
    page.screenshot(path=str(artifacts / "size_many_markers_week.png"), full_page=False)
    assert problems == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_run_text_is_shown_as_text_in_the_lists(chromium, tmp_path):
    evil = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    times = np.array([1_500_000_000, 1_500_003_600])
    result = make_result(times, [100.0, 101.0], [trade(1, 1.0, 1_500_000_000, 1_500_003_600, symbol=evil)],
                         initial=100.0)
    path = write_kpi_report(result, tmp_path, "evil")
    problems: list[str] = []
    page = _open(chromium, path, problems)
    page.wait_for_function("document.querySelectorAll('#trades-list tbody tr').length === 1")
    assert page.evaluate("document.querySelector('#trades-list tbody tr').cells[2].textContent") == evil
    assert page.evaluate("window.pwned === undefined && document.querySelectorAll('tbody img, tbody script')"
                         ".length === 0")
    page.close()


@needs_chromium
@pytest.mark.browser
def test_a_self_contained_kpi_page_renders_its_lists_and_curves(chromium, busy, tmp_path):
    path = write_kpi_report(busy["result"], tmp_path, "busy", self_contained=True)
    problems: list[str] = []
    page = _open(chromium, path, problems)
    page.wait_for_function("document.querySelectorAll('#trades-list tbody tr').length > 0")
    assert _table(page, "trades-list") == list_rows(path.read_text(encoding="utf-8"), "trades-list")
    names = page.evaluate("document.querySelector('.js-plotly-plot').data.map(t => [t.name, t.y.length])")
    assert [n for n, _ in names][:3] == ["Balance (USD)", "Equity (USD)", "Drawdown %"]
    assert all(length == len(busy["document"]["equity"]) for _, length in names)  # a year of H1: not thinned
    assert problems == []
    page.close()
