"""Margin per bar, the tester's minimal margin level and deposit load, and the order list (issue 17).

Hand-computed cases for the figures; the event engine's margin against MT5's margin formula on the
bundled EURUSD H1 2017 sample; the fast path equal to the event engine; the orders in the result, the
``--json`` document, the data report and the KPI page."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mas.cli.main import app
from mas.optimize.replay import replay
from mas.reports._html import fmt_num
from mas.reports.data_report import build_data_report, order_records
from mas.reports.kpi import render_kpi_html
from mas.reports.metrics import to_epoch
from mas.reports.saved_result import result_document, result_from_document
from mas.reports.tester import margin_figures
from mas.reports.tester import strategy_tester_statistics as mt5_statistics
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.builtins import BUILTIN_STRATEGIES
from mas.strategy.compiler import compile_spec
from mas.vector import fast_backtest
from mas.vector.market_data import MarketData

from .helpers import list_rows, make_result, run_backtest, trade

T0 = 1_500_000_000
H = 3600


@pytest.fixture(scope="module")
def ma_run(tmp_path_factory):
    """The MA-cross demo (0.1 lot, 1:100) on the bundled EURUSD H1 2017 sample, event engine."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(tmp_path_factory.mktemp("mas_home")))
        return run_backtest(BUILTIN_STRATEGIES["ma"]())


# ----------------------------------------------------------------------------- hand-computed figures


def test_margin_level_and_deposit_load_on_a_hand_computed_series():
    # bar:          0       1       2       3      4
    equity = [1000.0, 990.0, 1010.0, 800.0, 1000.0]
    margin = [0.0, 100.0, 101.0, 200.0, 0.0]
    # levels 990 %, 1000 %, 400 %; loads 100/990 = 10.1010 %, 101/1010 = 10 %, 200/800 = 25 %
    figures = margin_figures(equity, margin)
    assert figures["min_margin_level"] == pytest.approx(400.0)
    assert figures["max_deposit_load"] == pytest.approx(25.0)
    assert figures["average_deposit_load"] == pytest.approx((100 / 990 * 100 + 10.0 + 25.0) / 3)
    # through the tester's statistics of a result carrying that margin
    result = make_result(T0 + np.arange(5) * H, equity, [trade(1, 0.0, T0, T0 + 4 * H)], initial=1000.0)
    result.margin = np.array(margin)
    stats = mt5_statistics(result)
    assert stats["min_margin_level"] == pytest.approx(400.0)
    assert stats["max_deposit_load"] == pytest.approx(25.0)


def test_no_margin_means_no_figures_and_bad_input_is_named():
    none = {"min_margin_level": None, "max_deposit_load": None, "average_deposit_load": None}
    assert margin_figures([1.0, 2.0], None) == none
    assert margin_figures([1.0, 2.0], [0.0, 0.0]) == none  # never a position open
    result = make_result(T0 + np.arange(2) * H, [100.0, 101.0], initial=100.0)  # no margin recorded (live history)
    assert {k: mt5_statistics(result)[k] for k in none} == none
    with pytest.raises(ValueError, match="margin has 3 points but equity has 2"):
        margin_figures([1.0, 2.0], [0.0, 1.0, 2.0])
    # equity gone while margin is held: the load is unbounded, so JSON gets None; the level is negative
    result = make_result(T0 + np.arange(2) * H, [100.0, -5.0], initial=100.0)
    result.margin = np.array([10.0, 10.0])
    stats = mt5_statistics(result)
    assert stats["max_deposit_load"] is None and stats["min_margin_level"] == pytest.approx(-50.0)


@given(st.lists(st.tuples(st.floats(1.0, 1e7), st.one_of(st.just(0.0), st.floats(0.01, 1e6))), min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_the_lowest_level_is_the_highest_load(points):
    equity = [e for e, _ in points]
    margin = [m for _, m in points]
    figures = margin_figures(equity, margin)
    if not any(m > 0 for m in margin):
        assert figures["min_margin_level"] is None
        return
    assert figures["min_margin_level"] * figures["max_deposit_load"] == pytest.approx(1e4, rel=1e-9)
    assert 0 < figures["average_deposit_load"] <= figures["max_deposit_load"] * (1 + 1e-12)


# ----------------------------------------------------------------------------- the engines


def test_event_engine_records_mt5_margin_bar_by_bar(ma_run):
    """Forex margin, MT5: lots * contract / leverage in EUR, times EURUSD at the fill = 100 * open price here;
    held at every bar's close from the fill bar up to (not including) the exit bar, 0 with nothing open."""
    times = np.asarray(ma_run.equity_times)
    margin = ma_run.margin
    assert margin is not None and len(margin) == len(times) == 6225
    expected = np.zeros(len(times))
    for t in ma_run.trades:
        start = int(np.searchsorted(times, to_epoch(t.open_time)))
        stop = len(times) if t.is_open else int(np.searchsorted(times, to_epoch(t.close_time)))
        expected[start:stop] = 0.1 * 100_000 / 100 * t.open_price
    np.testing.assert_allclose(margin, expected, rtol=1e-12, atol=0)
    assert 3000 < int((margin > 0).sum()) < 6225
    stats = mt5_statistics(ma_run)
    held = margin > 0
    assert stats["min_margin_level"] == pytest.approx(float(np.min(ma_run.equity[held] / margin[held] * 100)))
    # 0.1 lot of EURUSD 2017 (1.03 .. 1.21) holds 103 .. 121 USD on about 10,000: a load near 1 %
    assert 1.0 < stats["average_deposit_load"] < stats["max_deposit_load"] < 1.3
    assert 7_500 < stats["min_margin_level"] < 10_000


@pytest.mark.parametrize("volume", [0.1, 2.0])
def test_fast_path_margin_equals_the_event_engine(volume):
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-05-01", "to": "2017-06-30",
                            "leverage": 50, "spread": 12})
    spec = builtin_spec("ma", volume=volume)
    fast = fast_backtest(spec, data)
    event = replay(compile_spec(spec)(), data)
    assert fast is not None and fast.margin is not None and event.margin is not None
    np.testing.assert_array_equal(fast.margin, event.margin)
    assert (fast.margin > 0).any()
    keys = ("min_margin_level", "max_deposit_load", "average_deposit_load")
    fast_stats, event_stats = mt5_statistics(fast), mt5_statistics(event)
    assert {k: fast_stats[k] for k in keys} == {k: event_stats[k] for k in keys}
    first = event.trades[0]  # at 1:50: volume * 100,000 / 50 EUR, times EURUSD at the fill
    fill_bar = int(np.searchsorted(event.equity_times, to_epoch(first.open_time)))
    assert event.margin[fill_bar] == pytest.approx(volume * 100_000 / 50 * first.open_price, rel=1e-12)


# ----------------------------------------------------------------------------- orders


def test_orders_are_carried_listed_and_shown(ma_run):
    orders = ma_run.orders
    trading = [d for d in ma_run.deals if d["type"] in (0, 1)]
    assert len(orders) == len(trading) == 367
    assert {d["order"] for d in trading} == {o["ticket"] for o in orders}
    assert all(o["state"] == 4 and o["symbol"] == "EURUSD" and o["volume_initial"] == 0.1 for o in orders)
    rows = order_records(ma_run)
    assert [r["ticket"] for r in rows] == sorted(r["ticket"] for r in rows)
    assert rows[0]["type_name"] == "buy" and rows[1]["type_name"] == "sell" and rows[0]["state_name"] == "filled"
    assert rows[0]["time_setup"] == "2017-01-03 04:00:00" and rows[0]["rebuilt"] is False
    assert "orders" not in build_data_report(ma_run)["data"]  # the same payload whichever engine ran
    assert result_document(ma_run)["orders"] == rows
    json.dumps(rows, allow_nan=False)
    html = render_kpi_html(ma_run, "ma")
    section = html.split("<h2>Orders</h2>", 1)[1].split("</section>", 1)[0]
    body = list_rows(html, "orders-list")  # the packed columns the page's script renders
    assert len(body) == 367 and 'id="orders-list"' in section and 'data-file="EURUSD_ma_orders.csv"' in section
    first = body[0]
    assert first[:6] == ["2017-01-03 04:00", "1", "EURUSD", "buy", "0.10 / 0.10", "market"]
    assert first[9] == "filled"
    tester = html.split("<h2>Strategy tester statistics</h2>", 1)[1]
    assert f"{fmt_num(mt5_statistics(ma_run)['max_deposit_load'], 2, '%')}" in tester


def test_fast_results_list_orders_rebuilt_from_the_trades():
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-05-01", "to": "2017-06-30"})
    spec = builtin_spec("ma")
    fast, event = fast_backtest(spec, data), replay(compile_spec(spec)(), data)
    rebuilt, recorded = order_records(fast), order_records(event)
    assert fast.order_records == [] and all(r["rebuilt"] for r in rebuilt)
    same = ("time_setup", "type", "volume_initial", "symbol", "position_id")
    assert [{k: r[k] for k in same} for r in rebuilt] == [{k: r[k] for k in same} for r in recorded]
    assert "rebuilt from the trades" in render_kpi_html(fast, "fast").split("<h2>Orders</h2>", 1)[1]


def test_saved_document_keeps_margin_and_orders(ma_run):
    document = json.loads(json.dumps(result_document(ma_run), default=str))
    assert len(document["margin"]) == len(document["equity"]) and len(document["orders"]) == 367
    back, _ = result_from_document(document, with_bars=False)
    np.testing.assert_array_equal(back.margin, ma_run.margin)
    assert order_records(back) == order_records(ma_run)
    for key in ("min_margin_level", "max_deposit_load", "average_deposit_load"):
        assert mt5_statistics(back)[key] == pytest.approx(document["tester_metrics"][key], rel=1e-6)
    broken = dict(document, margin=document["margin"][:-1])
    with pytest.raises(ValueError, match="'margin' must be a list of one number per equity point"):
        result_from_document(broken, with_bars=False)


def test_backtest_json_has_the_same_margin_figures_from_both_engines(tmp_path):
    runner = CliRunner()
    figures = {}
    for engine in ("event", "fast"):
        out = tmp_path / f"{engine}.json"
        done = runner.invoke(app, ["backtest", "ma", "--from", "2017-01-01", "--to", "2017-03-31", "--engine", engine,
                                   "--json", str(out)])
        assert done.exit_code == 0, done.output
        document = json.loads(out.read_text(encoding="utf-8"))
        figures[engine] = {k: document["tester_metrics"][k]
                           for k in ("min_margin_level", "max_deposit_load", "average_deposit_load")}
        assert document["settings"]["engine"] == engine and len(document["orders"]) > 0
    assert figures["event"] == figures["fast"]
    assert all(isinstance(v, float) for v in figures["event"].values())
