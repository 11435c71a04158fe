"""In a real Chromium: optimize an uploaded strategy file (.py) on the optimize page and backtest the best set, and
cancel a fast-path backtest mid-run (the page shows "cancelled", the runs list keeps no finished run of it)."""

from __future__ import annotations

import pytest

from .conftest import CHROMIUM
from .server import running_ui
from .test_browser import open_page
from .test_fast_cancel import write_long_history
from .test_upload_optimize import CROSS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


def test_optimize_an_uploaded_strategy_file_and_backtest_the_best(isolated_mas_home, tmp_path, artifacts, chromium):
    program = tmp_path / "my_cross.py"
    program.write_text(CROSS, encoding="utf-8")
    marker = tmp_path / "marker.txt"
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home, env={"MAS_TEST_MARKER": str(marker)}) as url:
        page = open_page(chromium, url, problems, external)
        page.set_input_files("#py-file", str(program))
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.click("header nav button[data-page='optimize']")
        page.wait_for_selector("#opt-params tr[data-param='volume']")
        assert page.locator("#opt-params tbody tr").count() == 3  # fast, slow, volume: read from the source
        assert not marker.exists()  # nothing in the file ran to list them
        page.fill("#opt-range-0", "4:8:2")
        page.fill("#opt-range-1", "20, 30")
        page.fill("#opt-from", "2017-01-01")
        page.fill("#opt-to", "2017-03-31")
        page.click("#opt-run")
        page.wait_for_selector("#opt-status[data-state='done']")
        assert "6 / 6" in page.inner_text("#opt-status")
        assert marker.exists()  # the sweep ran it, once started
        assert page.locator("#opt-table tbody tr").count() == 6
        first = page.locator("#opt-table tbody tr[data-rank='1'] td").all_inner_texts()
        fast, slow = int(first[1]), int(first[2])
        page.screenshot(path=str(artifacts / "optimize-file.png"), full_page=True)
        page.click("#opt-table tbody tr[data-rank='1'] button")
        page.wait_for_selector(f"#page-result:not([hidden]) #result-label:has-text('fast={fast}')")
        runs = page.request.get(url.split("/?")[0] + "/api/runs").json()
        assert runs[0]["request"]["strategy"]["kind"] == "file"
        assert runs[0]["request"]["strategy"]["params"] == {"fast": fast, "slow": slow}
        assert first[4].replace(" %", "") == f"{runs[0]['kpis']['total_return_rate']:.2f}"
    assert problems == [] and external == []


def test_cancel_a_fast_backtest_mid_run(isolated_mas_home, artifacts, chromium):
    write_long_history()  # a million M1 bars: the fast path takes seconds over them
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        page = open_page(chromium, url, problems, external)
        page.fill("#strategy-text", "buy when RSI(14) < 30, sell when RSI(14) > 70")
        page.click("#parse-button")
        page.wait_for_selector("#spec-panel:not([hidden])")
        page.click("#use-button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.select_option("#bt-timeframe", "M1")
        page.fill("#bt-from", "2000-01-01")
        page.fill("#bt-to", "2003-12-31")
        page.fill("#bt-capital", "1000000000")
        page.click("#run-button")
        page.wait_for_selector("#job-status[data-state='running']")
        page.click("#cancel-button")
        page.wait_for_selector("#job-status[data-state='cancelled']")
        page.screenshot(path=str(artifacts / "fast-cancelled.png"), full_page=True)
        page.click("header nav button[data-page='runs']")
        page.wait_for_selector("#runs-table tbody tr td.state-cancelled")
        assert page.locator("#runs-table tbody td.state-done").count() == 0
        base = url.split("/?")[0]
        runs = page.request.get(base + "/api/runs").json()
        assert [r["state"] for r in runs] == ["cancelled"] and runs[0]["kpis"] is None
        page.wait_for_timeout(1000)  # had the run gone on, it would have had time to be kept by now
        assert [r["state"] for r in page.request.get(base + "/api/runs").json()] == ["cancelled"]
        assert page.inner_text("#job-status").startswith("Cancelled")
    assert problems == [] and external == []
