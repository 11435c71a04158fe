"""Both pages of ``mas backtest --json ... --report-dir`` in a real headless Chromium: the sections added for
issue 17 render with the values the JSON holds (history quality, the tester's diagrams, balance and deposit
load, the strategy's plotted series), and screenshots are kept (``$MAS_TEST_ARTIFACTS/browser``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PIL import Image

from mas.reports._html import fmt_num
from mas.reports.chart import aggregate_bars

from .browser import CHROMIUM
from .helpers import backtest_strategy_file
from .test_report_browser import (  # noqa: F401 - browser is a fixture (artifacts comes from conftest.py)
    CANDLES,
    PLOTS,
    assert_clean,
    browser,
    drag_zoom,
    element_box,
    hex_rgb,
    pixels_like,
    visible_bars,
)
from .test_report_plot import USER_STRATEGY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict[str, Any]:
    """A user's strategy file that plots SMA 5, SMA 20 and their gap, run as a user runs it."""
    return backtest_strategy_file(tmp_path_factory, "json_pages", "plot_cross.py", USER_STRATEGY)


def nan_list(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def test_kpi_page_shows_the_json_figures_and_diagrams(browser, run, artifacts):  # noqa: F811
    document = run["document"]
    page = browser.open(run["kpi"])
    page.wait_for(f"{PLOTS}.length === 6 && [...{PLOTS}].every(p => p.querySelector('svg.main-svg'))")
    assert_clean(page)
    shown = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('table.tester td.k')].filter(k => k.textContent)"
        ".map(k => [k.textContent.replace(/:$/, ''), k.nextElementSibling.innerText]))"
    )
    t = document["tester_metrics"]
    assert shown["History quality"] == fmt_num(t["history_quality"], 2, "%") == "99.78%"
    assert shown["Margin level"] == fmt_num(t["min_margin_level"], 2, "%")

    # balance, equity and deposit load as drawn equal the JSON's curves
    curves = page.evaluate(f"{PLOTS}[0]._fullData.map(t => [t.name, Array.from(t.y)])")
    assert [name for name, _ in curves] == ["Balance (USD)", "Equity (USD)", "Drawdown %", "Deposit load %"]
    np.testing.assert_allclose(curves[0][1], document["balance"], atol=0.005)
    np.testing.assert_allclose(curves[1][1], [e for _, e in document["equity"]], atol=0.005)
    # the page carries the load in millionths of a % (mas.reports.packing), NaN (no equity) where the JSON has null
    np.testing.assert_allclose(nan_list(curves[3][1]), nan_list(document["diagrams"]["deposit_load"]), rtol=0,
                               atol=5e-7)

    # the tester's diagrams, read back from the rendered figures
    diagrams = document["diagrams"]
    entries = page.evaluate(f"{PLOTS}[3]._fullData.map(t => Array.from(t.y))")
    pl = page.evaluate(f"{PLOTS}[4]._fullData.map(t => Array.from(t.y))")
    for i, unit in enumerate(("hour", "weekday", "month")):
        assert entries[2 * i] == diagrams["entries"][unit]["buy"]
        assert entries[2 * i + 1] == diagrams["entries"][unit]["sell"]
        assert pl[2 * i] == diagrams["profit_loss"][unit]["profit"]
        assert pl[2 * i + 1] == diagrams["profit_loss"][unit]["loss"]
    points = page.evaluate(f"{PLOTS}[5]._fullData.map(t => [Array.from(t.x), Array.from(t.y)])")
    excursions = diagrams["excursions"]
    assert points[0] == [[e["mfe"] for e in excursions], [e["profit"] for e in excursions]]
    assert points[1][0] == [e["mae"] for e in excursions]
    assert points[2][0] == [round(e["holding_seconds"] / 3600, 2) for e in excursions]
    assert page.evaluate(f"{PLOTS}[5].querySelectorAll('.scatterlayer .point').length") == 3 * len(excursions)

    section = "[...document.querySelectorAll('section')].find(s => s.querySelector('h2').textContent === '{}')"
    page.evaluate(f"{section.format('Strategy tester statistics')}.scrollIntoView()")
    page.screenshot(artifacts / "json_kpi_tester_statistics.png", full_page=False)
    image = Image.open(page.screenshot(artifacts / "json_kpi.png"))  # the whole page: boxes are page coordinates
    load_box = element_box(page, f"{PLOTS}[0].querySelector('.subplot.x3y3 .scatterlayer')")
    assert pixels_like(image, load_box, hex_rgb("#8250df"), tol=60) > 300  # the deposit load is drawn
    page.evaluate(f"{section.format('Tester diagrams')}.scrollIntoView()")
    page.screenshot(artifacts / "json_kpi_tester_diagrams.png", full_page=False)


def test_chart_draws_the_plotted_series_at_the_bars_of_the_json(browser, run, artifacts):  # noqa: F811
    document, result = run["document"], run["result"]
    bars = result.bars["EURUSD"]
    times = np.asarray(bars["time"], dtype=np.int64)
    overview, k = aggregate_bars(bars)
    last = np.minimum(np.arange(0, len(bars), k) + k, len(bars)) - 1  # each candle's last bar
    plotted = {name: nan_list([v for _, v in body["values"]]) for name, body in document["plots"]["EURUSD"].items()}
    assert all(len(v) == len(bars) for v in plotted.values())

    page = browser.open(run["chart"])
    page.wait_for(f"{CANDLES} > 0 && {PLOTS}[0].data.find(t => t.name === 'sma_5').y.length > 0")
    assert_clean(page)
    assert page.evaluate(CANDLES) == len(overview["time"])
    drawn = page.evaluate(f"{PLOTS}[0].data.filter(t => ['sma_5', 'sma_20', 'gap'].includes(t.name))"
                          ".map(t => [t.name, t.y, t.yaxis || 'y'])")
    assert [(name, axis) for name, _, axis in drawn] == [("sma_5", "y"), ("sma_20", "y"), ("gap", "y3")]
    for name, y, _ in drawn:  # the overview shows each series at each candle's last bar (float32 in the page)
        np.testing.assert_allclose(nan_list(y), plotted[name][last], rtol=1e-6)
    paths = page.evaluate(  # each series' SVG line, found by its trace's uid
        f"(() => {{ const gd = {PLOTS}[0]; return gd._fullData.filter(t => ['sma_5', 'sma_20', 'gap'].includes(t.name))"
        ".map(t => gd.querySelector('.trace' + t.uid + ' path.js-line').getAttribute('d').split('L').length); })()")
    assert all(n > 500 for n in paths), paths  # drawn through the year (plotly drops near-collinear points)
    image = Image.open(page.screenshot(artifacts / "json_chart_plotted_series.png"))
    price = element_box(page, f"{PLOTS}[0].querySelector('.subplot.xy .scatterlayer')")
    assert pixels_like(image, price, hex_rgb("#ff9800"), tol=50) > 300  # SMA 5 over the candles
    assert pixels_like(image, price, hex_rgb("#2962ff"), tol=50) > 300  # SMA 20

    # zoomed in: one candle a bar, and the series at each of those bars
    drag_zoom(page, 0.40, 0.42)
    page.wait_for(f"{PLOTS}[0].data[0].name === 'EURUSD H1'")
    x = page.evaluate(f"{PLOTS}[0].data[0].x")
    first = int(np.searchsorted(times, np.datetime64(x[0].replace(" ", "T")).astype("datetime64[s]").astype(np.int64)))
    inside = visible_bars(page, times)
    assert 50 < inside <= len(x) <= inside + 2
    zoomed = page.evaluate(f"{PLOTS}[0].data.find(t => t.name === 'sma_20').y")
    np.testing.assert_allclose(nan_list(zoomed), plotted["sma_20"][first:first + len(x)], rtol=1e-6)
    page.screenshot(artifacts / "json_chart_plotted_series_zoomed.png", full_page=False)
    assert_clean(page)
