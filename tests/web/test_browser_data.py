"""The data page in a real Chromium against `mas ui`: the stored sample listed, an MT5 export uploaded and
imported (its gap found by the check), a bad file refused with the line named, a Dukascopy download with
progress from a real HTTP server on 127.0.0.1 serving fixture files (never the internet), and the imported series
removed after the user confirms."""

from __future__ import annotations

import pytest

from data.dukascopy_encoder import datafeed_path, encode_candles

from .conftest import CHROMIUM
from .server import running_ui
from .test_browser import open_page
from .test_data_api import DAYS, MT5_HEADER, MT5_ROWS, feed, slow_feed  # noqa: F401 - the fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


def test_list_import_check_and_download_in_the_page(isolated_mas_home, artifacts, chromium, feed):  # noqa: F811
    base, files = feed
    files[datafeed_path("EURUSD", 2024, 3, 5, "BID_candles_min_1.bi5")] = encode_candles(
        [(0, 108_500, 108_520, 108_490, 108_530, 1.5), (60, 108_520, 108_540, 108_510, 108_550, 2.0)])
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home, env={"MAS_DUKASCOPY_URL": base}) as url:
        page = open_page(chromium, url, problems, external)
        page.click("header nav button[data-page='data']")
        page.wait_for_selector("#data-table tr[data-symbol='EURUSD'][data-timeframe='H1']")
        assert "bundled sample" in page.inner_text("#data-table tr[data-symbol='EURUSD'][data-timeframe='H1']")

        good = ("\n".join([MT5_HEADER, *MT5_ROWS]) + "\n").encode()
        page.set_input_files("#imp-file", files=[{"name": "GBPUSD_H1.csv", "mimeType": "text/csv", "buffer": good}])
        page.fill("#imp-symbol", "gbpusd")
        page.select_option("#imp-timeframe", "H1")
        page.click("#imp-button")
        page.wait_for_selector("#import-result[data-rows='3']")
        page.wait_for_selector("#data-table tr[data-symbol='GBPUSD'][data-timeframe='H1']")
        page.click("#data-table button[data-check='GBPUSD-H1']")
        page.wait_for_selector("#data-check[data-gaps='1']")
        assert "2024-03-04 02:00" in page.inner_text("#data-check")

        bad = ("\n".join([MT5_HEADER, "2024.03.04\t00:00:00\tnope\t1\t1\t1\t1\t0\t1"]) + "\n").encode()
        page.set_input_files("#imp-file", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}])
        page.click("#imp-button")
        page.wait_for_selector("#import-error:not([hidden])")
        assert page.inner_text("#import-error").startswith("file: bad.csv:2:")

        page.fill("#dl-symbol", "EURUSD")
        page.fill("#dl-from", "2024-03-05")
        page.fill("#dl-to", "2024-03-06")
        page.click("#dl-button")
        page.wait_for_selector("#dl-status[data-state='done']")
        assert "2 / 2" in page.inner_text("#dl-status") and page.get_attribute("#dl-progress", "value") == "2"
        page.wait_for_selector("#data-table tr[data-symbol='EURUSD'][data-timeframe='M1']")
        page.screenshot(path=str(artifacts / "data-page.png"), full_page=True)

        # remove the imported series: asked first; "no" keeps it, "yes" removes it (the bundled sample has no button)
        asked: list[str] = []
        answers = [False, True]
        page.on("dialog", lambda d: (asked.append(d.message), d.accept() if answers.pop(0) else d.dismiss()))
        assert page.locator("#data-table button[data-remove='EURUSD-H1']").count() == 0
        page.click("#data-table button[data-remove='GBPUSD-H1']")
        assert asked[0].startswith("Remove GBPUSD H1 (3 rows)")
        assert page.locator("#data-table tr[data-symbol='GBPUSD'][data-timeframe='H1']").count() == 1
        page.click("#data-table button[data-remove='GBPUSD-H1']")
        page.wait_for_selector("#data-table tr[data-symbol='GBPUSD'][data-timeframe='H1']", state="detached")
        assert answers == [] and page.is_hidden("#data-error")
    refused = "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    assert problems == [refused] and external == []  # the bad file's 422 is the only logged failure


def test_a_download_is_cancelled_from_the_page(isolated_mas_home, chromium, slow_feed):  # noqa: F811
    base, files, asked = slow_feed
    for day in range(1, DAYS + 1):
        files[datafeed_path("EURUSD", 2024, 3, day, "BID_candles_min_1.bi5")] = encode_candles(
            [(0, 108_500, 108_520, 108_490, 108_530, 1.5)])
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home, env={"MAS_DUKASCOPY_URL": base}) as url:
        page = open_page(chromium, url, problems, external)
        page.click("header nav button[data-page='data']")
        assert page.is_hidden("#dl-cancel")
        page.fill("#dl-symbol", "EURUSD")
        page.fill("#dl-from", "2024-03-01")
        page.fill("#dl-to", "2024-03-20")
        page.click("#dl-button")
        page.wait_for_selector("#dl-status[data-state='running']")
        page.click("#dl-cancel")
        page.wait_for_selector("#dl-status[data-state='cancelled']")
        assert "Cancelled" in page.inner_text("#dl-status") and page.is_hidden("#dl-cancel")
        assert int(page.get_attribute("#dl-progress", "value")) < DAYS and len(asked) < DAYS
        assert page.is_enabled("#dl-button")
    assert problems == [] and external == []
