"""Trade markers grouped per time bucket (mas.reports.trade_markers), on hand-built cases: trading time with the
gaps removed, bucket edges, counts that add up to the markers, P&L sums, the median / mean placement; the browser's
copy (assets/trademarkers.js, run by node) gives the same buckets; the trade chart opens grouped or one by one."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.reports.chart import render_trade_chart_html
from mas.reports.trade_markers import (
    BUCKET_PX,
    MARKER_PX,
    compress,
    expand,
    group_markers,
    grouped_size,
    markers_js,
)

from .helpers import drawn_figures, make_result, random_rates, trade

H = 3_600_000  # one hour, ms
WEEKEND = [(5 * 24 * H, 7 * 24 * H)]  # day 5 00:00 to day 7 00:00 is cut out


def test_trading_time_removes_the_gaps_before_each_time():
    gaps = [(10.0, 20.0), (30.0, 45.0)]
    assert compress([0, 10, 15, 20, 25, 30, 40, 45, 50], gaps).tolist() == [0, 10, 10, 10, 15, 20, 20, 20, 25]
    assert expand([0, 10, 15, 20, 25], gaps).tolist() == [0, 20, 25, 45, 50]  # a gap's start maps to its end
    assert compress([5.0], []).tolist() == [5.0] and expand([5.0], []).tolist() == [5.0]


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30))
@settings(max_examples=60, deadline=None)
def test_expand_undoes_compress_outside_the_gaps(times):
    gaps = [(1e5, 2e5), (5e5, 5.5e5)]
    t = np.array([x for x in times if not any(a <= x < b for a, b in gaps)] or [0.0])
    np.testing.assert_allclose(expand(compress(t, gaps), gaps), t)


def test_few_markers_are_not_grouped():
    t = np.arange(10) * H
    assert group_markers(t, np.zeros(10), np.ones(10), np.ones(10), 0, 9 * H, width=10 * MARKER_PX) is None
    assert group_markers(t, np.zeros(10), np.ones(10), np.ones(10), 0, 9 * H, width=9 * MARKER_PX) is not None


def test_hand_built_buckets_edges_counts_and_pnl():
    # width 48 px: 4 markers fit, buckets of 24 px -> 2 buckets over the view [0, 10 h]: 0-5 h and 5-10 h
    t = np.array([0, 1, 2, 4, 6, 7, 9, 10]) * H
    kind = np.array([0, 0, 1, 2, 3, 0, 2, 1])
    price = np.array([1.0, 3.0, 2.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    pnl = np.array([10.0, -4.0, 1.5, 20.0, -7.0, 2.0, 3.0, 0.5])
    g = group_markers(t, kind, price, pnl, 0, 10 * H, width=48, marker_px=12, bucket_px=24)
    assert g is not None and [(b.start_ms, b.end_ms) for b in g.buckets] == [(0, 5 * H), (5 * H, 10 * H),
                                                                            (10 * H, 15 * H)]
    assert [b.counts for b in g.buckets] == [[2, 1, 1, 0], [1, 0, 1, 1], [0, 1, 0, 0]]  # 10 h: the third bucket
    assert sum(sum(b.counts) for b in g.buckets) == len(t)
    assert [b.entry_pnl for b in g.buckets] == [10.0 - 4.0 + 1.5, 2.0, 0.5]
    assert [b.exit_pnl for b in g.buckets] == [20.0, 3.0 - 7.0, 0.0]
    assert sum(b.entry_pnl + b.exit_pnl for b in g.buckets) == pytest.approx(pnl.sum())
    # one marker per bucket and kind: buys of bucket 0 at their median time (the earlier of two) and mean price
    assert g.x[0] == [0.0, 7 * H] and g.y[0] == [2.0, 7.0] and g.count[0] == [2, 1] and g.bucket[0] == [0, 1]
    assert g.count[1] == [1, 1] and g.bucket[1] == [0, 2]
    assert [(b.first_ms, b.last_ms) for b in g.buckets] == [(0, 4 * H), (6 * H, 9 * H), (10 * H, 10 * H)]
    hover = g.hover(0, "USD")[0]  # from its first to its last marker
    assert hover == ("1970-01-01 00:00 – 1970-01-01 04:00<br>2 buys, 1 sell, net P&L 7.50 USD<br>"
                     "1 exit (1 won, 0 lost), P&L 20.00 USD")


def test_markers_outside_the_view_are_left_out():
    t = np.arange(100) * H
    g = group_markers(t, np.zeros(100), np.ones(100), np.ones(100), 20 * H, 79 * H, width=240)
    assert g is not None and sum(g.count[0]) == 60 and min(g.x[0]) >= 20 * H and max(g.x[0]) <= 79 * H


def test_a_bucket_over_a_weekend_covers_as_much_trading_time_as_any_other():
    # hourly markers on days 0-4 and 7-11 (the weekend, days 5 and 6, has none and is cut from the axis)
    t = np.array([h * H for h in range(12 * 24) if not 5 * 24 <= h < 7 * 24], dtype=np.float64)
    lo, hi = float(t[0]), float(t[-1])
    g = group_markers(t, np.zeros(len(t)), np.ones(len(t)), np.ones(len(t)), lo, hi, WEEKEND, width=240)
    assert g is not None and sum(g.count[0]) == len(t)
    step = (hi - 48 * H - lo) / 10  # 10 buckets of trading time
    counts = g.count[0]
    assert max(counts[:10]) - min(counts[:10]) <= 1  # even buckets, the one across the weekend included
    across = next(b for b in g.buckets if b.start_ms < 5 * 24 * H < b.end_ms)
    assert across.end_ms - across.start_ms == pytest.approx(step + 48 * H)  # its edges span the weekend
    assert not any(5 * 24 * H <= x < 7 * 24 * H for x in g.x[0])  # no marker placed inside the gap
    without = group_markers(t, np.zeros(len(t)), np.ones(len(t)), np.ones(len(t)), lo, hi, [], width=240)
    assert len(without.buckets) != len(g.buckets) or without.count[0] != counts  # the gap changes the buckets


@given(st.lists(st.tuples(st.integers(0, 2_000), st.integers(0, 3), st.floats(-500, 500, allow_nan=False)),
                min_size=1, max_size=300),
       st.integers(24, 2_000))
@settings(max_examples=80, deadline=None)
def test_counts_and_pnl_always_add_up(rows, width):
    t = np.array([r[0] for r in rows], dtype=np.float64) * H
    kind = np.array([r[1] for r in rows])
    pnl = np.array([r[2] for r in rows])
    g = group_markers(t, kind, np.ones(len(t)), pnl, 0, 2_000 * H, WEEKEND, width=width)
    if g is None:
        assert len(rows) <= width // MARKER_PX
        return
    for k in range(4):
        assert sum(g.count[k]) == int((kind == k).sum())
        assert len(g.x[k]) == len(g.y[k]) == len(g.count[k]) == len(g.bucket[k])
    assert sum(b.entry_pnl for b in g.buckets) == pytest.approx(pnl[kind < 2].sum(), abs=1e-6)
    assert sum(b.exit_pnl for b in g.buckets) == pytest.approx(pnl[kind >= 2].sum(), abs=1e-6)
    starts = [b.start_ms for b in g.buckets]
    assert starts == sorted(starts) and len(g.buckets) <= width // BUCKET_PX + 1


def test_bad_input_is_refused_by_name():
    with pytest.raises(ValueError, match="one value per marker"):
        group_markers([1.0, 2.0], [0], [1.0], [1.0], 0, 1)
    with pytest.raises(ValueError, match="kind must be 0"):
        group_markers([1.0], [4], [1.0], [1.0], 0, 1)


def test_grouped_marker_size_grows_with_the_count():
    assert [grouped_size(n) for n in (1, 4, 25, 100, 10_000)] == [10, 13, 22, 28, 28]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_script_buckets_as_python_does(tmp_path):
    rng = np.random.default_rng(3)
    t = np.sort(rng.integers(0, 12 * 24, 500)) * H + rng.integers(0, 3_600_000, 500)
    t = t[(t < 5 * 24 * H) | (t >= 7 * 24 * H)].astype(np.float64)
    kind = rng.integers(0, 4, len(t))
    price = 1.1 + rng.normal(0, 0.01, len(t))
    pnl = np.round(rng.normal(0, 30, len(t)), 2)
    views = [(0.0, 12 * 24 * H), (2 * 24 * H, 9 * 24 * H), (8 * 24 * H, 8.5 * 24 * H)]
    script = markers_js() + "\n" + (
        "var ev = " + json.dumps({"t": t.tolist(), "kind": kind.tolist(), "price": price.tolist(),
                                  "pnl": pnl.tolist()}) + ";\n"
        f"var views = {json.dumps(views)}, gaps = {json.dumps(WEEKEND)};\n"
        "console.log(JSON.stringify(views.map(function (v) {\n"
        "  var g = MASMarkers.group(ev, v[0], v[1], gaps, 1000, 'USD');\n"
        "  return g && {x: g.x, y: g.y, count: g.count, text: g.text,\n"
        "    edges: g.buckets.map(function (b) { return [b.start, b.end]; })}; })));\n")
    path = tmp_path / "markers.js"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run(["node", str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    for (lo, hi), js in zip(views, json.loads(done.stdout), strict=True):
        py = group_markers(t, kind, price, pnl, lo, hi, WEEKEND, width=1000)
        if py is None:
            assert js is None
            continue
        assert js["count"] == py.count and js["x"] == py.x
        np.testing.assert_allclose(np.concatenate(js["y"]), np.concatenate(py.y), rtol=1e-12)
        assert js["edges"] == [[b.start_ms, b.end_ms] for b in py.buckets]
        assert js["text"] == [py.hover(k, "USD") for k in range(4)]
    assert json.loads(done.stdout)[2] is None  # half a day: few enough to show one by one


def _result(rates, trades):
    return make_result(rates["time"], np.full(len(rates), 10_000.0), trades, initial=10_000.0, bars={"EURUSD": rates})


def test_the_chart_opens_grouped_with_many_trades_and_one_by_one_with_few():
    rates = random_rates(3_000, step=3600)
    many = [trade(n, 1.0 if n % 3 else -2.0, int(rates["time"][n * 5]), int(rates["time"][n * 5 + 2]))
            for n in range(500)]
    (fig,) = drawn_figures(render_trade_chart_html(_result(rates, many), "s"))["figures"]  # grouped on load
    assert fig["markers"] == "grouped"
    markers = [t for t in fig["data"] if t.get("mode") == "markers"]
    single, grouped = markers[:3], markers[3:]  # no sell entries: three kinds, each one by one and grouped
    assert [t["name"] for t in grouped] == [t["name"] for t in single] == ["Buy entry", "Exit (win)",
                                                                          "Exit (loss / breakeven)"]
    assert all(t["visible"] is False for t in single) and all(t["visible"] is True for t in grouped)
    counts = [np.asarray(t["customdata"]) for t in grouped]
    assert sum(int(c.sum()) for c in counts) == 500 + 500  # every entry and exit in one grouped marker
    assert sum(len(c) for c in counts) < 200
    few = render_trade_chart_html(_result(rates, many[:20]), "s")
    (fig,) = drawn_figures(few)["figures"]
    assert fig["markers"] == "single"
    markers = [t for t in fig["data"] if t.get("mode") == "markers"]
    assert all(t["visible"] is True for t in markers[:len(markers) // 2])
    assert all(t["visible"] is False and len(t["x"]) == 0 for t in markers[len(markers) // 2:])
