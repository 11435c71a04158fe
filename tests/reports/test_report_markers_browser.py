"""The trade chart's markers grouped per time bucket, in a real Chromium (Playwright over Debian's Chromium): a year
of H1 with about a thousand trades opens grouped (far fewer markers than trades, the hovers summing to every
trade), a zoom to a month re-buckets, a zoom to a week shows every trade on its own, and the time axis keeps the
range asked for; a double-click goes back to the grouped year. Screenshots go to ``$MAS_TEST_ARTIFACTS/browser``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mas.reports.trade_markers import markers_asset_name

from .browser import CHROMIUM
from .helpers import BracketStrategy, run_backtest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

GD = "document.querySelector('.js-plotly-plot')"
NAMES = ("Buy entry", "Sell entry", "Exit (win)", "Exit (loss / breakeven)")


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> dict[str, Any]:
    """A bracket strategy on the bundled EURUSD H1 2017 sample, a trade every few bars; its trade chart."""
    out = tmp_path_factory.mktemp("busy_chart")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(tmp_path_factory.mktemp("mas_home")))
        strategy = BracketStrategy(every=5, sl=0.0012, tp=0.0012)
        result = run_backtest(strategy)
        written = strategy.generate_trade_chart({"report_dir": str(out)})
    assert written["status"], written
    return {"result": result, "chart": Path(written["path"]), "dir": out}


def open_chart(chromium, path: Path, problems: list[str]):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(path.resolve().as_uri())
    page.wait_for_function(f"{GD} && {GD}.dataset.markers && {GD}.querySelector('.boxlayer path')")
    return page


def traces(page) -> list[dict[str, Any]]:
    """The four one-by-one and four grouped marker traces: index, name, visibility, x (ms), counts, hover texts."""
    return page.evaluate(f"""(() => {{ const gd = {GD};
        return gd.data.map((t, i) => [t, i]).filter(([t]) => t.mode === 'markers').map(([t, i]) => ({{
          index: i, name: t.name, visible: t.visible,
          x: Array.from(t.x || []).map(v => typeof v === 'number' ? v : MASMarkers.toMs(v)),
          count: Array.from(t.customdata || []), text: Array.from(t.hovertext || [])}})); }})()""")


def drawn_points(page) -> int:
    """Marker points drawn in the price panel (SVG paths of the visible marker traces)."""
    return page.evaluate(f"""(() => {{ const gd = {GD}; let n = 0;
        gd._fullData.forEach(t => {{ if (t.mode === 'markers' && t.visible === true) {{
          const node = gd.querySelector('.trace' + t.uid);
          if (node) n += node.querySelectorAll('.points path').length; }} }});
        return n; }})()""")


def x_range(page) -> list[list[float]]:
    """Every x axis' range, epoch ms."""
    return page.evaluate(f"Object.keys({GD}._fullLayout).filter(k => /^xaxis\\d*$/.test(k))"
                         f".map(k => {GD}._fullLayout[k].range.map(MASMarkers.toMs))")


def bucket_sums(grouped: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Buys, sells and exits summed over the buckets, read from the hovers (one per bucket)."""
    texts = {t for trace in grouped for t in trace["text"]}
    buys = sells = exits = 0
    for text in texts:
        m = re.search(r"(\d+) buys?, (\d+) sells?, net P&L .*<br>(\d+) exits? \((\d+) won, (\d+) lost\)", text)
        assert m, text
        buys, sells, exits = buys + int(m[1]), sells + int(m[2]), exits + int(m[3])
        assert int(m[3]) == int(m[4]) + int(m[5])
    return buys, sells, exits


def markers_in(result, lo_ms: float, hi_ms: float) -> tuple[int, int]:
    """Entries and exits of the result's trades within [lo, hi] (epoch ms)."""
    entries = sum(lo_ms <= t.open_time.timestamp() * 1000 <= hi_ms for t in result.trades)
    exits = sum(not t.is_open and t.close_time is not None and lo_ms <= t.close_time.timestamp() * 1000 <= hi_ms
                for t in result.trades)
    return entries, exits


def zoom(page, start: str, end: str) -> None:
    """A relayout of the time axes to ``[start, end]`` (the shared x axes all take it, as a mouse zoom does)."""
    page.evaluate(f"""(() => {{ const gd = {GD}, update = {{}};
        Object.keys(gd._fullLayout).filter(k => /^xaxis\\d*$/.test(k)).forEach(k => {{
          update[k + '.range'] = ['{start}', '{end}']; }});
        return Plotly.relayout(gd, update); }})()""")


def test_a_year_opens_grouped_and_a_week_shows_every_trade(chromium, busy, artifacts):
    result, problems = busy["result"], []
    n = len(result.trades)
    closed = sum(not t.is_open for t in result.trades)
    assert n > 700  # a trade every few bars through the year
    assert (busy["dir"] / markers_asset_name()).exists()  # the marker script is shared beside the pages
    page = open_chart(chromium, busy["chart"], problems)
    assert page.evaluate(f"{GD}.dataset.markers") == "grouped"

    markers = traces(page)
    assert [t["name"] for t in markers] == [*NAMES, *NAMES]
    single, grouped = markers[:4], markers[4:]
    assert all(t["visible"] is False for t in single) and all(t["visible"] is True for t in grouped)
    drawn = drawn_points(page)
    assert 0 < drawn == sum(len(t["x"]) for t in grouped) < n / 4  # far fewer markers than trades
    assert sum(grouped[0]["count"]) + sum(grouped[1]["count"]) == n  # every entry in one bucket
    assert sum(grouped[2]["count"]) + sum(grouped[3]["count"]) == closed
    assert bucket_sums(grouped) == (sum(t.direction == "buy" for t in result.trades),
                                    sum(t.direction == "sell" for t in result.trades), closed)
    hover = page.evaluate(f"""(() => {{ const gd = {GD};
        Plotly.Fx.hover(gd, [{{curveNumber: {grouped[0]['index']}, pointNumber: 0}}]);
        return document.querySelector('.hoverlayer').textContent; }})()""")
    assert re.search(r"\d+ buys?, \d+ sells?, net P&L -?[\d,]+\.\d\d USD", hover), hover
    page.screenshot(path=str(artifacts / "trade_chart_markers_grouped.png"), full_page=True)

    # a month: still more trades than fit, re-bucketed over the month only
    zoom(page, "2017-03-01 00:00:00", "2017-04-01 00:00:00")
    lo, hi = np.datetime64("2017-03-01").astype("datetime64[ms]").astype(float), \
        np.datetime64("2017-04-01").astype("datetime64[ms]").astype(float)
    page.wait_for_function(f"{GD}._fullData.filter(t => t.mode === 'markers' && t.customdata && t.visible === true)"
                           f".every(t => Array.from(t.x).every(v => MASMarkers.toMs(v) >= {lo}))")
    month = traces(page)[4:]
    entries, exits = markers_in(result, lo, hi)
    assert sum(month[0]["count"]) + sum(month[1]["count"]) == entries > 60
    assert sum(month[2]["count"]) + sum(month[3]["count"]) == exits
    assert all(r == [lo, hi] for r in x_range(page))

    # a week: every trade on its own, with its own hover; the time axis shows the week asked for
    zoom(page, "2017-06-05 00:00:00", "2017-06-10 00:00:00")
    page.wait_for_function(f"{GD}.dataset.markers === 'single'")
    lo, hi = (np.datetime64(d).astype("datetime64[ms]").astype(float) for d in ("2017-06-05", "2017-06-10"))
    assert all(r == [lo, hi] for r in x_range(page))  # every panel, exactly the asked range (no autorange)
    week = traces(page)
    assert all(t["visible"] is True for t in week[:4]) and all(t["visible"] is False for t in week[4:])
    entries, exits = markers_in(result, lo, hi)
    shown_entries = sum(sum(lo <= x <= hi for x in t["x"]) for t in week[:2])
    shown_exits = sum(sum(lo <= x <= hi for x in t["x"]) for t in week[2:4])
    assert (shown_entries, shown_exits) == (entries, exits) and 0 < entries < 100
    first = next(t for t in result.trades if lo <= t.open_time.timestamp() * 1000 <= hi)
    kind = 0 if first.direction == "buy" else 1
    point = week[kind]["x"].index(first.open_time.timestamp() * 1000)
    hover = page.evaluate(f"""(() => {{ const gd = {GD};
        Plotly.Fx.hover(gd, [{{curveNumber: {week[kind]['index']}, pointNumber: {point}}}]);
        return document.querySelector('.hoverlayer').textContent; }})()""")
    assert f"#{first.position_id} {first.direction.upper()} 0.10 lots" in hover
    page.screenshot(path=str(artifacts / "trade_chart_markers_week.png"), full_page=False)

    # back to the year (autorange): grouped again, every trade counted
    page.evaluate(f"Plotly.relayout({GD}, {{'xaxis.autorange': true}})")
    page.wait_for_function(f"{GD}.dataset.markers === 'grouped'")
    again = traces(page)[4:]
    assert sum(again[0]["count"]) + sum(again[1]["count"]) == n
    assert problems == []


def test_a_self_contained_chart_carries_the_marker_script(chromium, busy, tmp_path):
    from mas.reports.chart import write_trade_chart

    path = write_trade_chart(busy["result"], tmp_path, "busy", self_contained=True)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no file beside it
    problems: list[str] = []
    page = open_chart(chromium, path, problems)
    assert page.evaluate(f"{GD}.dataset.markers") == "grouped"
    zoom(page, "2017-06-05 00:00:00", "2017-06-10 00:00:00")
    page.wait_for_function(f"{GD}.dataset.markers === 'single'")
    assert problems == []
