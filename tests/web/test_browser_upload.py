"""Uploading a strategy file (.py) in a real Chromium: the page keeps it, says when its Python runs, and the
backtest started with it shows its result."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CHROMIUM, YEAR
from .server import running_ui
from .test_browser import open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ma_cross.py"


def test_upload_a_strategy_file_and_backtest_it(isolated_mas_home, artifacts, chromium):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        page = open_page(chromium, url, problems, external)
        assert "only when you start a backtest" in page.inner_text("#page-strategy")
        page.set_input_files("#py-file", str(EXAMPLE))
        page.wait_for_selector("#page-backtest:not([hidden])")
        assert page.inner_text("#bt-strategy") == "ma_cross.py"
        page.fill("#bt-from", YEAR["from"])
        page.fill("#bt-to", YEAR["to"])
        page.click("#run-button")
        page.wait_for_selector("#page-result:not([hidden]) .kpi[data-key='number_of_trades']")
        assert page.inner_text("#result-label") == "ma_cross.py"
        run = page.request.get(url.split("/?")[0] + "/api/runs").json()[0]
        assert run["request"]["strategy"]["kind"] == "file" and run["state"] == "done"
        trades = page.locator(".kpi[data-key='number_of_trades'] .value").get_attribute("data-value")
        assert float(trades) == run["kpis"]["number_of_trades"] > 0
        page.screenshot(path=str(artifacts / "uploaded-strategy.png"), full_page=True)
    assert problems == [] and external == []
