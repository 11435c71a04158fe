"""The result page in a real Chromium: the tester's margin level and deposit load tiles show the run's
``tester_metrics`` numbers, the margin / deposit load chart has one point per bar, and the orders table (MetaTrader
5's columns, sortable, CSV) lists the run's orders, marked rebuilt on the fast path; the strategy's standalone
program downloads from the backtest page."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CHROMIUM, YEAR
from .server import running_ui
from .test_browser import open_page, shown

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


def test_margin_tiles_chart_and_orders_table_show_the_documents_figures(isolated_mas_home, artifacts, chromium):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        origin = url.split("/?")[0]
        page = open_page(chromium, url, problems, external)
        page.click("li[data-builtin='ma'] button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.fill("#bt-from", YEAR["from"])
        page.fill("#bt-to", YEAR["to"])
        with page.expect_download() as program:  # the standalone program of the strategy, dates baked in
            page.click("#export-button")
        source = Path(program.value.path()).read_text(encoding="utf-8")
        assert program.value.suggested_filename.endswith(".py") and "BACKTEST = True" in source
        assert YEAR["from"] in source and YEAR["to"] in source
        page.click("#run-button")
        page.wait_for_selector("#page-result:not([hidden]) #tester-tiles .kpi[data-key='max_deposit_load']")
        run_id = page.request.get(origin + "/api/runs").json()[0]["id"]
        doc = page.request.get(origin + f"/api/runs/{run_id}").json()["document"]
        tester = doc["tester_metrics"]
        for key in ("min_margin_level", "max_deposit_load", "average_deposit_load"):
            tile = page.locator(f"#tester-tiles .kpi[data-key='{key}'] .value")
            assert float(tile.get_attribute("data-value")) == tester[key], key
            assert tile.inner_text() == f"{shown(tester[key], 2)} %", key
        table = page.locator("#tester-table tbody tr")  # every figure of the tester's Results tab, the JSON's values
        assert table.count() == len(tester) > 50
        assert [r.get_attribute("data-key") for r in table.all()] == list(tester)
        for key in ("recovery_factor", "ahpr", "z_score", "history_quality", "equity_drawdown_relative_percent",
                    "max_consecutive_losses", "average_holding_time"):
            row = page.locator(f"#tester-table tr[data-key='{key}']")
            assert row.get_attribute("data-value") == str(tester[key]), key
            assert row.locator("th").inner_text() != f"tester.{key}", key  # labelled, not the bare key
        page.wait_for_selector("#margin-chart.js-plotly-plot .scatterlayer .trace", state="attached")
        assert page.get_attribute("#margin-panel", "data-points") == str(len(doc["equity"]))

        rows = page.locator("#orders-table tbody tr")
        assert rows.count() == len(doc["orders"])
        assert page.is_visible("#orders-note")  # the fast path's orders are rebuilt, and the page says so
        page.click("#orders-table th[data-key='ticket']")
        page.click("#orders-table th[data-key='ticket']")
        tickets = [int(x) for x in page.locator("#orders-table tbody tr td:nth-child(2)").all_inner_texts()]
        assert tickets == sorted((o["ticket"] for o in doc["orders"]), reverse=True)
        with page.expect_download() as download:
            page.click("#orders-csv-link")
        lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("time_setup,ticket,symbol,type_name") and len(lines) - 1 == len(doc["orders"])
        page.screenshot(path=str(artifacts / "result-margin-orders.png"), full_page=True)
        page.select_option("#lang", "zh-tw")
        page.wait_for_selector("#tester-tiles .kpi[data-key='max_deposit_load'] .label:text-is('最大資金負載')")
        page.wait_for_selector("#tester-table tr[data-key='recovery_factor'] th:text-is('恢復因子')")
    assert problems == [] and external == []


CHART = "document.querySelector('#trade-chart')"


def _markers(page) -> list[dict]:
    return page.evaluate(f"""{CHART}.data.filter(t => t.mode === 'markers').map(t => ({{name: t.name,
        x: Array.from(t.x).map(v => MASMarkers.toMs(v)), count: t.customdata ? Array.from(t.customdata) : null,
        text: Array.from(t.hovertext || [])}}))""")


def _in(text: str, lo: float, hi: float) -> bool:
    from datetime import datetime, timezone

    ms = datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp() * 1000
    return lo <= ms <= hi


def test_the_trade_chart_groups_a_years_markers_and_draws_the_plotted_series(isolated_mas_home, artifacts, chromium,
                                                                               tmp_path):
    """A year of H1 of an uploaded strategy that trades every few bars and plots two series: the chart opens with
    the markers grouped (far fewer than the trades, the buckets' counts and hovers summing to every trade) and the
    series drawn; a zoom to one week shows each trade on its own and keeps the range asked for."""
    import re

    from .test_chart_api import BUSY_PLOT

    strategy = tmp_path / "busy_plot.py"
    strategy.write_text(BUSY_PLOT, encoding="utf-8")
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        origin = url.split("/?")[0]
        page = open_page(chromium, url, problems, external)
        page.set_input_files("#py-file", str(strategy))
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.fill("#bt-from", YEAR["from"])
        page.fill("#bt-to", YEAR["to"])
        page.click("#run-button")
        page.wait_for_selector("#page-result:not([hidden]) #trade-chart[data-markers]", state="attached")
        run_id = page.request.get(origin + "/api/runs").json()[0]["id"]
        trades = page.request.get(origin + f"/api/runs/{run_id}").json()["document"]["trades"]
        closed = [t for t in trades if not t["is_open"]]
        assert len(trades) > 700
        assert page.get_attribute("#trade-chart", "data-markers") == "grouped"

        markers = _markers(page)
        assert len(markers) == 4 and all(m["count"] is not None for m in markers)
        assert sum(markers[0]["count"]) + sum(markers[1]["count"]) == len(trades)
        assert sum(markers[2]["count"]) + sum(markers[3]["count"]) == len(closed)
        drawn = page.locator("#trade-chart .scatterlayer .trace .points path").count()
        assert drawn == sum(len(m["x"]) for m in markers) < len(trades) / 4  # far fewer markers than trades
        buys = sells = 0
        for text in {t for m in markers for t in m["text"]}:  # one hover per bucket, on each of its markers
            found = re.search(r"(\d+) buys?, (\d+) sells?, net P&L -?[\d,]+\.\d\d USD", text)
            assert found, text
            buys, sells = buys + int(found[1]), sells + int(found[2])
        assert (buys, sells) == (sum(t["direction"] == "buy" for t in trades),
                                 sum(t["direction"] == "sell" for t in trades))

        # the strategy's self.plot series: one over the candles, one in the panel below
        series = page.evaluate(f"{CHART}.data.filter(t => ['sma_8', 'momentum'].includes(t.name))"
                               ".map(t => [t.name, t.yaxis || 'y', t.y.filter(v => v !== null).length])")
        assert [(name, axis) for name, axis, _ in series] == [("sma_8", "y"), ("momentum", "y2")]
        assert all(n > 1000 for _, _, n in series)
        assert page.get_attribute("#trade-chart", "data-lines") == "sma_8,momentum"
        page.locator("#trade-chart").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "result-trade-chart-grouped.png"), full_page=False)

        # one week: every trade on its own; the time axis keeps the range asked for
        week = ["2017-06-05 00:00:00", "2017-06-10 00:00:00"]
        page.evaluate(f"Plotly.relayout({CHART}, {{'xaxis.range': {week}}})")
        page.wait_for_selector("#trade-chart[data-markers='single'][data-per-candle='1']", state="attached")
        lo, hi = page.evaluate(f"{week}.map(v => MASMarkers.toMs(v))")
        assert page.evaluate(f"{CHART}._fullLayout.xaxis.range.map(v => MASMarkers.toMs(v))") == [lo, hi]
        single = _markers(page)
        assert all(m["count"] is None for m in single) and len(single) == 3
        entries = sum(lo <= x <= hi for m in single[:2] for x in m["x"])
        exits = sum(lo <= x <= hi for x in single[2]["x"])
        assert entries == sum(_in(t["open_time"], lo, hi) for t in trades) > 0
        assert exits == sum(t["close_time"] is not None and not t["is_open"] and _in(t["close_time"], lo, hi)
                            for t in trades)
        page.screenshot(path=str(artifacts / "result-trade-chart-week.png"), full_page=False)
    assert problems == [] and external == []
