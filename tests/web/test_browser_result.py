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
