"""In a real Chromium (Playwright over Debian's /usr/bin/chromium): the trade chart and deals table of a result,
the optimize page (a small grid, its heatmap, "backtest these parameters"), and paper trading against a sim server
the test starts on 127.0.0.1 (a position opens and closes in the page). Screenshots go to $MAS_TEST_ARTIFACTS/web.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from live.conftest import wait_until
from mas.live.simserver import ReplaySpec, SimExchange, SimServer

from .conftest import CHROMIUM, TEXT, YEAR
from .server import running_ui
from .test_browser import open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

PASSWORD = "Browser-Paper-Pa55-Teal"


def chart_state(page) -> dict:
    return page.evaluate("(() => ({...document.querySelector('#trade-chart').dataset}))()")


def test_the_result_page_draws_the_trade_chart_with_level_of_detail_and_the_deals(isolated_mas_home, artifacts,
                                                                                   chromium):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        page = open_page(chromium, url, problems, external)
        page.fill("#strategy-text", TEXT)
        page.click("#parse-button")
        page.wait_for_selector("#spec-panel:not([hidden])")
        page.click("#use-button")
        page.fill("#bt-from", YEAR["from"])
        page.fill("#bt-to", YEAR["to"])
        page.click("#run-button")
        page.wait_for_selector("#trade-chart[data-candles]")
        page.wait_for_selector("#deals-table tbody tr")
        runs = page.request.get(url.split("/?")[0] + "/api/runs").json()
        run_id = runs[0]["id"]
        document = page.request.get(url.split("/?")[0] + f"/api/runs/{run_id}").json()["document"]
        trades = document["trades"]

        state = chart_state(page)
        assert state["lines"] == "rsi_14"  # the spec's indicator, drawn as a line
        assert int(state["barsInView"]) == len(document["equity"])  # the whole year...
        assert int(state["candles"]) <= 1500 and int(state["perCandle"]) > 1  # ...merged into at most 1,500 candles
        assert int(state["trades"]) == len(trades)
        breaks = page.evaluate("document.querySelector('#trade-chart').layout.xaxis.rangebreaks.length")
        assert breaks == int(state["breaks"]) >= 50  # weekends cut out of the time axis
        chart = page.locator("#trade-chart")
        assert chart.locator(".candlestick").count() == 1 or chart.locator("g.trace.boxes").count() >= 1
        names = page.evaluate("document.querySelector('#trade-chart').data.map((t) => t.name)")
        assert names[:2] == ["EURUSD", "rsi_14"]
        assert {"Buy entry", "Exit", "Winning trade", "Losing trade", "S/L", "T/P"} <= set(names)
        entries = page.evaluate("document.querySelector('#trade-chart').data"
                                ".find((t) => t.name === 'Buy entry').x.length")
        assert entries == sum(t["direction"] == "buy" for t in trades)
        page.screenshot(path=str(artifacts / "trade-chart-year.png"), full_page=True)

        # zoom to three days: the server sends those bars one by one, and only the trades touching them
        page.evaluate("Plotly.relayout('trade-chart', {'xaxis.range': ['2017-03-06 00:00:00', '2017-03-08 23:00:00']})")
        page.wait_for_selector("#trade-chart[data-per-candle='1']")
        state = chart_state(page)
        assert int(state["barsInView"]) == int(state["candles"]) <= 72
        assert int(state["trades"]) < len(trades)
        page.screenshot(path=str(artifacts / "trade-chart-zoomed.png"), full_page=True)
        page.evaluate("Plotly.relayout('trade-chart', {'xaxis.autorange': true})")
        page.wait_for_selector("#trade-chart:not([data-per-candle='1'])")

        deals = page.request.get(url.split("/?")[0] + f"/api/runs/{run_id}/deals").json()
        assert page.locator("#deals-table tbody tr").count() == len(deals)
        page.click("#deals-table th[data-key='profit']")
        page.click("#deals-table th[data-key='profit']")
        assert page.get_attribute("#deals-table th[data-key='profit']", "aria-sort") == "descending"
        profits = [float(p.replace(",", "")) for p in
                   page.locator("#deals-table tbody tr td:nth-child(9)").all_inner_texts()]
        assert profits == sorted(profits, reverse=True)
        with page.expect_download() as download:
            page.click("#deals-csv-link")
        lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("time,position_id,symbol,type,entry") and len(lines) - 1 == len(deals)
    assert problems == [] and external == []


def test_optimize_a_small_grid_read_the_heatmap_and_backtest_the_best(isolated_mas_home, artifacts, chromium):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        page = open_page(chromium, url, problems, external)
        page.click("li[data-builtin='ma'] button")  # pick the built-in (it opens the backtest page)
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.click("header nav button[data-page='optimize']")
        page.wait_for_selector("#opt-params tr[data-param='slow']")
        page.wait_for_selector("#opt-metric option[value='sharpe_ratio']", state="attached")
        assert page.is_checked("#opt-use-0") and page.is_checked("#opt-use-1") and not page.is_checked("#opt-use-2")
        page.fill("#opt-range-0", "5:15:5")
        page.fill("#opt-range-1", "20, 30, 40")
        page.fill("#opt-from", "2017-01-01")
        page.fill("#opt-to", "2017-06-30")
        page.click("#opt-run")
        page.wait_for_selector("#opt-status[data-state='done']")
        assert "9 / 9" in page.inner_text("#opt-status")
        page.wait_for_selector("#opt-table tbody tr[data-rank='9']")
        assert page.locator("#opt-table tbody tr").count() == 9
        page.wait_for_selector("#heatmap[data-cells='9'] .heatmaplayer", state="attached")
        page.wait_for_selector("#opt-history tbody tr[data-state='done']")  # kept in the app's database
        first = page.locator("#opt-table tbody tr[data-rank='1'] td").all_inner_texts()
        fast, slow = int(first[1]), int(first[2])
        page.screenshot(path=str(artifacts / "optimize.png"), full_page=True)

        page.click("#opt-table tbody tr[data-rank='1'] button")
        page.wait_for_selector(f"#page-result:not([hidden]) #result-label:has-text('fast={fast}')")
        assert f"slow={slow}" in page.inner_text("#result-label")
        runs = page.request.get(url.split("/?")[0] + "/api/runs").json()
        assert runs[0]["request"]["strategy"]["params"] == {"fast": fast, "slow": slow}
        assert runs[0]["request"]["from"] == "2017-01-01" and runs[0]["request"]["to"] == "2017-06-30"
        assert first[4].replace(" %", "") == f"{runs[0]['kpis']['total_return_rate']:.2f}"
        page.screenshot(path=str(artifacts / "optimize-backtest.png"), full_page=True)
    assert problems == [] and external == []


@pytest.fixture
def sim_server() -> Iterator[SimServer]:
    exchange = SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=3600 * 4, capital=10_000.0,
                                      allow_new_accounts=True), None)
    running = SimServer(exchange, port=0).start()
    yield running
    running.stop()


def test_paper_trade_against_a_sim_server_and_watch_a_position_open_and_close(isolated_mas_home, artifacts, chromium,
                                                                               sim_server):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home, env={"MAS_PASSWORD_PAPER": PASSWORD}) as url:
        page = open_page(chromium, url, problems, external)
        page.on("dialog", lambda dialog: dialog.accept())  # the confirmations a user answers with OK
        for name, value in (("period", "2"), ("oversold", "45"), ("overbought", "55")):
            page.fill(f"li[data-builtin='rsi'] input[data-param='{name}']", value)
        page.click("li[data-builtin='rsi'] button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.click("header nav button[data-page='live']")
        page.fill("#b-name", "paper")
        page.fill("#b-login", "7104")
        page.fill("#b-port", str(sim_server.port))
        page.click("#b-add")
        page.wait_for_selector("#brokers-table tr[data-profile='paper']")
        assert "from the environment" in page.inner_text("#brokers-table tr[data-profile='paper']")
        assert PASSWORD not in page.content()
        page.wait_for_selector("#live-profile option[value='paper']", state="attached")
        page.fill("#live-interval", "100")
        page.fill("#live-warmup", "5")
        page.click("#live-start")
        page.wait_for_selector("#live-view:not([hidden])[data-running='1']")
        row = page.wait_for_selector("#live-positions tbody tr[data-ticket]")
        ticket = row.get_attribute("data-ticket")
        page.screenshot(path=str(artifacts / "live-position-open.png"), full_page=True)
        page.wait_for_selector(f"#live-positions tbody tr[data-ticket='{ticket}']", state="detached")
        assert wait_until(lambda: "equity" in page.inner_text("#live-lines"), timeout=30)
        page.screenshot(path=str(artifacts / "live-position-closed.png"), full_page=True)
        page.click("#live-runs button[data-stop]")
        page.wait_for_selector("#live-view[data-running='0']")
    assert problems == [] and external == []
