"""The data report: the documented key shape, JSON safety and per-year series."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mas.reports.data_report import build_data_report
from mas.reports.metrics import compute_metrics, max_drawdown
from mas.reports.tester import strategy_tester_statistics as mt5_statistics

from .helpers import make_result, trade

DAY = 86_400
T0 = 1_483_315_200  # 2017-01-02

EXPECTED_SHAPE = {
    "general_data": {"total_profit_loss", "number_of_trades"},
    "performance_metrics": {
        "number_of_trades",
        "profit_loss_ratio",
        "win_rate",
        "max_drawdown",
        "total_return_rate",
        "cagr",
        "sharpe_ratio",
        "sortino_ratio",
        "max_consecutive_losses",
        "max_single_loss",
        "profit_factor",
    },
    "win_loss_ratio": {"win_rate", "loss_rate"},
    "cumulative_return_line_chart": {"cumulative_return_percent"},
    "max_drawdown_trend": {"max_drawdown_percent"},
    "annual_year_pnl_usd": {"annual_year_pnl_usd"},
    "annual_pnl_usd": {"annual_pnl_usd"},
}


def test_exact_key_shape(sample_result):
    report = build_data_report(sample_result)
    assert set(report) == {"status", "data"} and report["status"] is True
    data = report["data"]
    assert set(data) == set(EXPECTED_SHAPE) | {"data_source", "tester_metrics"}  # the MT5 figures are added
    for key, inner in EXPECTED_SHAPE.items():
        assert set(data[key]) == inner, key
    assert isinstance(data["data_source"], str)
    assert data["tester_metrics"] == mt5_statistics(sample_result)
    json.dumps(report, allow_nan=False)


def test_values_agree_with_metrics(sample_result):
    data = build_data_report(sample_result)["data"]
    m = compute_metrics(sample_result)
    for key, value in data["performance_metrics"].items():
        assert value == m[key], key
    assert data["general_data"] == {
        "total_profit_loss": m["total_profit_loss"],
        "number_of_trades": m["number_of_trades"],
    }
    assert data["win_loss_ratio"]["win_rate"] + data["win_loss_ratio"]["loss_rate"] == pytest.approx(100.0)
    years = data["cumulative_return_line_chart"]["cumulative_return_percent"]
    assert list(years) == ["2017"]
    assert years["2017"] == pytest.approx(m["total_return_rate"])
    assert data["annual_pnl_usd"]["annual_pnl_usd"]["2017"] == pytest.approx(m["final_equity"])
    # the year's drawdown is a fall (<= 0), the headline figure its magnitude (>= 0), as in the MAS docs' example
    assert data["max_drawdown_trend"]["max_drawdown_percent"]["2017"] == pytest.approx(-m["max_drawdown"])
    assert m["max_drawdown"] > 0 and data["performance_metrics"]["max_drawdown"] == m["max_drawdown"]


def test_data_source_records(sample_result):
    records = json.loads(build_data_report(sample_result)["data"]["data_source"])
    assert len(records) == len(sample_result.trades)
    first = records[0]
    for field in (
        "time",
        "direction",
        "price",
        "order_type",
        "volume",
        "profit",
        "commission",
        "swap",
        "open_time",
        "close_time",
        "open_price",
        "close_price",
        "net_profit",
        "symbol",
        "position_id",
    ):
        assert field in first, field
    assert first["direction"] in ("buy", "sell")
    assert len(first["time"]) == len("2017-01-02 03:00:00")
    total = sum(r["net_profit"] for r in records if not r["is_open"])
    assert total == pytest.approx(compute_metrics(sample_result)["total_profit_loss"])
    times = [r["time"] for r in records]
    assert times == sorted(times)


def test_two_years_and_open_trade():
    times = np.array([T0 + d * DAY for d in range(500)])
    rng = np.random.default_rng(7)
    equity = 10_000 * np.cumprod(1 + rng.normal(0.0005, 0.01, len(times)))
    trades = [trade(1, 12.5, T0, T0 + DAY), trade(2, -3.0, T0 + 400 * DAY, None, is_open=True, direction="sell")]
    report = build_data_report(make_result(times, equity, trades, initial=10_000.0))
    data = report["data"]
    pnl = data["annual_year_pnl_usd"]["annual_year_pnl_usd"]
    year_end = data["annual_pnl_usd"]["annual_pnl_usd"]
    assert list(pnl) == ["2017", "2018"] and all(isinstance(k, str) for k in pnl)
    assert sum(pnl.values()) == pytest.approx(equity[-1] - 10_000)
    assert year_end["2018"] == pytest.approx(equity[-1])
    assert pnl["2018"] == pytest.approx(year_end["2018"] - year_end["2017"])
    dds = data["max_drawdown_trend"]["max_drawdown_percent"]
    assert min(dds.values()) == pytest.approx(-max_drawdown(equity, 10_000.0))
    assert data["general_data"] == {"total_profit_loss": 12.5, "number_of_trades": 1}
    records = json.loads(data["data_source"])
    assert records[-1]["is_open"] is True and records[-1]["close_time"] is None
    json.dumps(report, allow_nan=False)


def test_errors():
    assert build_data_report(None) == {
        "status": False,
        "error": "no backtest result: run a backtest before generating a report",
    }
    empty = make_result(np.array([], dtype=np.int64), np.array([]), [], initial=10_000.0)
    report = build_data_report(empty)
    assert report["status"] is False and "no equity" in report["error"]
    assert set(report) == {"status", "error"}


def test_no_trades_report_is_json_safe():
    times = np.array([T0 + d * DAY for d in range(3)])
    report = build_data_report(make_result(times, np.full(3, 10_000.0), [], initial=10_000.0))
    assert report["status"] is True
    pm = report["data"]["performance_metrics"]
    assert pm["number_of_trades"] == 0 and pm["profit_factor"] is None and pm["sharpe_ratio"] == 0.0
    assert json.loads(report["data"]["data_source"]) == []
    json.dumps(report, allow_nan=False)
