"""End to end in a real Chromium (Playwright for Python driving Debian's /usr/bin/chromium, never a download):
``mas ui`` started as a user starts it, a text strategy typed in, the backtest run, the KPI tiles checked
against ``mas backtest --json`` for the same input. Screenshots go to ``$MAS_TEST_ARTIFACTS/web`` (else a tmp dir).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from .conftest import CHROMIUM, TEXT, YEAR
from .server import running_ui

WAIT_MS = 120_000  # a bound on every wait, not a speed requirement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


SEEN_IN_PAGE = """() => {
  // when the run button is clicked and when the result page first shows the final equity tile, in the page's clock
  document.querySelector("#run-button").addEventListener("click", (e) => { window.__clicked = e.timeStamp; },
    { once: true, capture: true });
  const watch = new MutationObserver(() => {
    if (document.querySelector("#page-result:not([hidden]) .kpi[data-key='final_equity']")) {
      window.__tilesShown = performance.now();
      watch.disconnect();
    }
  });
  watch.observe(document.body, { subtree: true, childList: true, attributes: true });
}"""
"""Records, in the page, the click and the moment the tiles are shown: the driver's waits poll the page every 0.5 s
at most, which the wall-clock figure includes."""


def open_page(browser, url: str, problems: list[str], external: list[str]):
    """A fresh context (no cookies) on the app's URL, collecting script errors and requests that leave the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    origin = url.split("/?")[0]
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(origin) else None)
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return page


def shown(value: float, digits: int) -> str:
    """How the page writes a number: en-US grouping, ``digits`` decimals, ties away from zero on the exact
    binary value (what ``Number.prototype.toLocaleString`` does)."""
    exact = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{exact:,.{digits}f}"


def expected_tiles(document: dict) -> dict[str, tuple[float, str]]:
    m = document["metrics"]
    final = document["equity"][-1][1]
    currency = document["settings"]["currency"]
    return {
        "total_return_rate": (m["total_return_rate"], f"{shown(m['total_return_rate'], 2)} %"),
        "win_rate": (m["win_rate"], f"{shown(m['win_rate'], 2)} %"),
        "profit_factor": (m["profit_factor"], shown(m["profit_factor"], 2)),
        "max_drawdown": (m["max_drawdown"], f"{shown(m['max_drawdown'], 2)} %"),
        "sharpe_ratio": (m["sharpe_ratio"], shown(m["sharpe_ratio"], 2)),
        "number_of_trades": (m["number_of_trades"], shown(m["number_of_trades"], 0)),
        "final_equity": (final, f"{shown(final, 2)} {currency}"),
    }


def test_type_a_strategy_backtest_it_and_read_the_json_numbers_in_the_tiles(isolated_mas_home, tmp_path, artifacts,
                                                                            chromium):
    out = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "mas", "backtest", "--text", TEXT, "--from", YEAR["from"], "--to", YEAR["to"],
                    "--json", str(out)], check=True, capture_output=True, timeout=300)
    cli = json.loads(out.read_text(encoding="utf-8"))
    tiles = expected_tiles(cli)
    problems: list[str] = []
    external: list[str] = []

    with running_ui(isolated_mas_home) as url:
        page = open_page(chromium, url, problems, external)
        assert "token=" not in page.url  # the token left the address bar
        page.fill("#strategy-text", TEXT)
        page.click("#parse-button")
        page.wait_for_selector("#spec-panel:not([hidden])")
        explanation = page.inner_text("#explanation")
        assert "Buy (go long) when RSI(14) is below 30." in explanation
        assert "Stop loss: 50 pips." in explanation
        assert page.input_value("#f-sl-value") == "50"
        page.screenshot(path=str(artifacts / "strategy.png"), full_page=True)

        page.click("#use-button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        assert page.inner_text("#bt-strategy") == TEXT  # unchanged form: the text itself is backtested
        page.fill("#bt-from", YEAR["from"])
        page.fill("#bt-to", YEAR["to"])
        page.evaluate(SEEN_IN_PAGE)
        started = time.monotonic()
        page.click("#run-button")
        page.wait_for_selector("#page-result:not([hidden]) .kpi[data-key='final_equity']")
        seconds = time.monotonic() - started  # recorded for the 1.5 s goal, not asserted
        in_page = page.evaluate("window.__tilesShown - window.__clicked")  # the same, without the driver's polling
        timings = {"click_to_kpi_tiles_seconds": round(seconds, 3), "in_page_click_to_tiles_seconds": in_page / 1000}
        (artifacts / "timings.json").write_text(json.dumps(timings))

        for key, (value, text) in tiles.items():
            tile = page.locator(f".kpi[data-key='{key}'] .value")
            assert float(tile.get_attribute("data-value")) == value, key
            assert tile.inner_text() == text, key
        page.wait_for_selector("#equity-chart.js-plotly-plot .scatterlayer .trace", state="attached")
        width = page.evaluate("document.querySelector('#equity-chart .main-svg').getBoundingClientRect().width")
        assert width > 1000  # drawn at the page's width, not plotly's default 700 px
        assert page.locator("#equity-chart.js-plotly-plot .scatterlayer .trace").count() == 2
        rows = page.locator("#trades-table tbody tr")
        assert rows.count() == len(cli["trades"])
        page.click("#trades-table th[data-key='profit']")
        profits = [float(p.replace(",", "")) for p in
                   page.locator("#trades-table tbody tr td:nth-child(11)").all_inner_texts()]
        assert profits == sorted(profits)
        page.click("#trades-table th[data-key='profit']")
        assert page.get_attribute("#trades-table th[data-key='profit']", "aria-sort") == "descending"
        page.screenshot(path=str(artifacts / "result.png"), full_page=True)

        page.select_option("#lang", "zh-tw")
        page.wait_for_selector(".kpi[data-key='win_rate'] .label:text-is('勝率')")
        assert page.inner_text(".kpi[data-key='total_return_rate'] .label") == "總報酬率"
        assert page.locator(".kpi[data-key='win_rate'] .value").inner_text() == tiles["win_rate"][1]
        page.screenshot(path=str(artifacts / "result-zh-tw.png"), full_page=True)
        page.select_option("#lang", "zh-cn")
        page.wait_for_selector(".kpi[data-key='win_rate'] .label:text-is('胜率')")
        page.select_option("#lang", "en")
        page.wait_for_selector(".kpi[data-key='win_rate'] .label:text-is('Win rate')")

    assert problems == []  # no script error, no CSP violation
    assert external == []  # everything came from the app itself: it works offline


def test_refusal_builtin_edited_spec_library_compare_and_csv_in_the_page(isolated_mas_home, tmp_path, artifacts,
                                                                          chromium):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        page = open_page(chromium, url, problems, external)

        page.fill("#strategy-text", "buy when the moon is full")
        page.click("#parse-button")
        page.wait_for_selector("#parse-error:not([hidden]) mark")
        assert page.inner_text("#parse-error mark") == "moon"
        assert page.is_hidden("#spec-panel")
        page.screenshot(path=str(artifacts / "refusal.png"), full_page=True)

        page.fill("#strategy-text", "buy when RSI(14) < 30, stop loss 50")
        page.click("#parse-button")
        page.wait_for_selector("#parse-error:not([hidden]) .readings button")
        assert page.locator("#parse-error .readings button").all_inner_texts() == [
            "50 pips", "50 points", "50% of the price"]
        assert page.inner_text("#parse-error mark") == "stop loss 50"
        page.click("#parse-error .readings button:text-is('50 pips')")  # pick one: the text is read again
        page.wait_for_selector("#explanation:has-text('Stop loss: 50 pips.')")
        assert page.input_value("#strategy-text") == "buy when RSI(14) < 30, stop loss 50 pips"
        assert page.is_hidden("#parse-error")

        spec_file, garbage = tmp_path / "rsi.json", tmp_path / "broken.json"
        spec_file.write_text(json.dumps({"name": "from a file", "indicators": [{"id": "rsi_14", "kind": "rsi"}],
                                         "entry_long": {"kind": "compare", "left": "rsi_14", "op": "<", "right": 25},
                                         "risk": {"stop_loss": {"unit": "pips", "value": 25}}}), encoding="utf-8")
        garbage.write_text("{ this is not json", encoding="utf-8")
        page.set_input_files("#spec-file", str(garbage))
        page.wait_for_selector("#parse-error:not([hidden]):has-text('not JSON')")
        page.set_input_files("#spec-file", str(spec_file))
        page.wait_for_selector("#explanation:has-text('Stop loss: 25 pips.')")
        assert "RSI(14) is below 25" in page.inner_text("#explanation")
        assert page.is_hidden("#parse-error")

        page.fill("li[data-builtin='ma'] input[data-param='fast']", "8")
        page.click("li[data-builtin='ma'] button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        assert page.inner_text("#bt-strategy") == "ma (fast=8, slow=20, volume=0.1)"
        page.fill("#bt-from", YEAR["from"])
        page.fill("#bt-to", YEAR["to"])
        page.click("#run-button")
        page.wait_for_selector("#page-result:not([hidden]) .kpi[data-key='final_equity']")

        page.click("header nav button[data-page='strategy']")
        page.fill("#strategy-text", TEXT)
        page.click("#parse-button")
        page.wait_for_selector("#explanation:has-text('Take profit: 100 pips.')")  # this text's reading is shown
        page.fill("#f-sl-value", "30")
        page.click("#check-button")
        page.wait_for_selector("#explanation:has-text('Stop loss: 30 pips.')")
        page.fill("#save-name", "RSI with a 30-pip stop")
        page.click("#save-button")
        page.wait_for_selector("#library li:has-text('RSI with a 30-pip stop')")
        page.click("#use-button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        assert page.inner_text("#bt-strategy") == "edited spec"
        page.click("#run-button")
        page.wait_for_selector("#page-result:not([hidden]) #result-label:has-text('spec (edited)')")
        page.wait_for_selector("#trades-table tbody tr")  # the tiles come first, the tables once the run is read
        with page.expect_download() as download:
            page.click("#csv-link")
        lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("position_id,symbol,direction")
        assert len(lines) - 1 == page.locator("#trades-table tbody tr").count() > 0

        page.click("header nav button[data-page='runs']")
        page.wait_for_selector("#runs-table tbody tr:nth-child(2)")
        runs = page.request.get(url.split("/?")[0] + "/api/runs").json()  # the page's own session
        assert [r["label"] for r in runs] == ["spec (edited)", "ma(fast=8)"]
        for box in page.locator("#runs-table tbody input[type='checkbox']").all():
            box.check()
        page.click("#compare-button")
        page.wait_for_selector("#compare-panel:not([hidden]) tr[data-key='win_rate']")
        for key in ("total_return_rate", "win_rate", "number_of_trades", "final_equity"):
            cells = page.locator(f"#compare-table tr[data-key='{key}'] td[data-value]")
            assert [float(c.get_attribute("data-value")) for c in cells.all()] == [r["kpis"][key] for r in runs]
        page.screenshot(path=str(artifacts / "compare.png"), full_page=True)

    refused = "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    assert [p for p in problems if p != refused] == []  # the refused text's 422 is the only logged failure
    assert problems.count(refused) == 2  # the unreadable text and the ambiguous one
    assert external == []


def test_log_in_with_the_password_in_the_page(isolated_mas_home, artifacts, chromium):
    password = "a long enough password"
    with running_ui(isolated_mas_home, env={"MAS_UI_PASSWORD": password}) as url:
        base = url.split("/?")[0]
        context = chromium.new_context(viewport={"width": 1000, "height": 700}, locale="en-US")
        try:
            page = context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.set_default_timeout(WAIT_MS)
            page.goto(base + "/")  # no token: the login page
            page.wait_for_selector("body[data-ready='1'] #login-form")  # its script is listening
            assert page.url == base + "/login"
            page.fill("#password", "not the password")
            page.click("#login-form button[type='submit']")
            page.wait_for_selector("#login-status:text-is('Wrong password.')")
            page.screenshot(path=str(artifacts / "login.png"))
            page.fill("#password", password)
            page.click("#login-form button[type='submit']")
            page.wait_for_selector("body[data-ready='1'] #strategy-text")
            assert page.url == base + "/"
            assert problems == []
        finally:
            context.close()
