"""Metric definitions: checked against quantstats on the real sample, the trade list and edge cases."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest
import quantstats as qs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.reports import metrics as mt
from mas.reports.metrics import compute_metrics

from .helpers import make_result, trade, utc

DAY = 86_400
H = 3_600
T0 = 1_483_315_200  # 2017-01-02 00:00 UTC (a Monday)

PERFORMANCE_KEYS = {
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
}


def _curves(rates: np.ndarray) -> dict[str, np.ndarray]:
    close = rates["close"]
    rel = close / close[0]
    return {
        "buy_and_hold": 10_000.0 * rel,
        "short_5x": 10_000.0 * (1.0 - 5.0 * (rel - 1.0)),
        "long_3x_with_costs": 10_000.0 * (1.0 + 3.0 * (rel - 1.0)) - np.arange(len(rel)) * 0.05,
    }


def _eod_prices(times: np.ndarray, equity: np.ndarray, initial: float) -> pd.Series:
    """End-of-day equity built independently with pandas, the initial capital the day before."""
    idx = pd.to_datetime(times, unit="s")
    s = pd.Series(equity, index=idx)
    eod = s.groupby(s.index.floor("D")).last()
    start = pd.Series([initial], index=[eod.index[0] - pd.Timedelta(days=1)])
    return pd.concat([start, eod])


@pytest.mark.parametrize("curve", ["buy_and_hold", "short_5x", "long_3x_with_costs"])
def test_ratios_match_quantstats_on_real_sample(sample_rates, curve):
    equity = _curves(sample_rates)[curve]
    times = sample_rates["time"]
    result = make_result(times, equity, initial=10_000.0)
    m = compute_metrics(result)

    prices = _eod_prices(times, equity, 10_000.0)
    returns = prices.pct_change().dropna()
    assert m["trading_days"] == len(returns)
    assert m["sharpe_ratio"] == pytest.approx(qs.stats.sharpe(returns), rel=1e-10)
    assert m["sortino_ratio"] == pytest.approx(qs.stats.sortino(returns), rel=1e-10)
    assert m["cagr"] == pytest.approx(100 * qs.stats.cagr(returns), rel=1e-10)
    # quantstats converting the end-of-day equity itself gives the same Sharpe and Sortino
    assert m["sharpe_ratio"] == pytest.approx(qs.stats.sharpe(prices), rel=1e-10)
    assert m["sortino_ratio"] == pytest.approx(qs.stats.sortino(prices), rel=1e-10)

    # drawdown: bar by bar, the initial capital as the first peak; reported as a magnitude (quantstats': negated)
    bar_prices = pd.Series(
        np.concatenate(([10_000.0], equity)),
        index=pd.to_datetime(np.concatenate(([times[0] - H], times)), unit="s"),
    )
    assert m["max_drawdown"] == pytest.approx(-100 * qs.stats.max_drawdown(bar_prices), rel=1e-12)
    assert m["max_drawdown"] > 0
    dd_series = qs.stats.to_drawdown_series(bar_prices).iloc[1:].to_numpy()
    np.testing.assert_allclose(mt.drawdown_series(equity, 10_000.0), dd_series, atol=1e-12)
    assert m["total_return_rate"] == pytest.approx(100 * (equity[-1] / 10_000.0 - 1))


def test_daily_returns_module_helpers_match_quantstats(sample_rates):
    equity = _curves(sample_rates)["short_5x"]
    result = make_result(sample_rates["time"], equity, initial=10_000.0)
    days, rets = mt.daily_returns(result)
    s = pd.Series(rets, index=pd.DatetimeIndex(days.astype("datetime64[ns]")))
    assert mt.sharpe_ratio(rets) == pytest.approx(qs.stats.sharpe(s), rel=1e-10)
    assert mt.sortino_ratio(rets) == pytest.approx(qs.stats.sortino(s), rel=1e-10)
    assert mt.cagr(rets) == pytest.approx(100 * qs.stats.cagr(s), rel=1e-10)
    # compounding the daily returns gives the total return (initial capital is the first base)
    assert np.prod(1 + rets) - 1 == pytest.approx(equity[-1] / 10_000.0 - 1, rel=1e-9)


def test_sortino_downside_divides_by_all_returns():
    r = np.array([0.01, -0.02, 0.03, -0.01, 0.02])
    expected = r.mean() / math.sqrt(((r[r < 0]) ** 2).sum() / len(r)) * math.sqrt(252)
    assert mt.sortino_ratio(r) == pytest.approx(expected)
    assert mt.sortino_ratio(r) == pytest.approx(qs.stats.sortino(pd.Series(r, index=pd.date_range("2020", periods=5))))


def test_cagr_year_fraction_is_count_over_252():
    r = np.full(126, 0.001)  # half a "year" of 252 periods
    assert mt.cagr(r) == pytest.approx(100 * ((1.001**126) ** 2 - 1))


def test_monthly_and_yearly_tables_match_quantstats(sample_rates):
    equity = _curves(sample_rates)["long_3x_with_costs"]
    result = make_result(sample_rates["time"], equity, initial=10_000.0)
    ours = mt.monthly_returns(result)
    returns = _eod_prices(sample_rates["time"], equity, 10_000.0).pct_change().dropna()
    theirs = qs.stats.monthly_returns(returns, eoy=True)
    theirs.index = theirs.index.astype(str)
    names = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    for year, months in ours.items():
        for mo, value in months.items():
            assert value == pytest.approx(100 * theirs.loc[year, names[mo - 1]], rel=1e-9, abs=1e-9)
        years = mt.yearly_summary(result)
        assert years[year]["return"] == pytest.approx(100 * theirs.loc[year, "EOY"], rel=1e-9)


def test_drawdown_periods_real_sample(sample_rates):
    equity = _curves(sample_rates)["buy_and_hold"]
    times = sample_rates["time"]
    periods = mt.drawdown_periods(times, equity, 10_000.0, top=5)
    assert 1 <= len(periods) <= 5
    assert periods[0]["max_drawdown"] == pytest.approx(-mt.max_drawdown(equity, 10_000.0))  # a period: a fall
    depths = [p["max_drawdown"] for p in periods]
    assert depths == sorted(depths)
    for p in periods:
        assert p["start"] <= p["valley"]
        if p["recovered"]:
            assert p["valley"] < p["end"]
            assert p["days"] == pytest.approx((p["end"] - p["start"]) / DAY)
        else:
            assert p["end"] is None


def test_drawdown_periods_small_example():
    times = T0 + np.arange(8) * DAY
    equity = np.array([100, 90, 95, 100, 110, 99, 105, 104], dtype=float)
    periods = mt.drawdown_periods(times, equity, 100.0, top=None)
    assert len(periods) == 2
    first, second = sorted(periods, key=lambda p: p["start"])
    assert first == {
        "start": int(times[0]),
        "valley": int(times[1]),
        "end": int(times[3]),
        "days": 3.0,
        "max_drawdown": pytest.approx(-10.0),
        "recovered": True,
    }
    assert second["start"] == times[4] and second["valley"] == times[5] and second["end"] is None
    assert second["max_drawdown"] == pytest.approx(100 * (99 / 110 - 1))
    assert periods[0]["max_drawdown"] == pytest.approx(-10.0)


def test_trade_metrics_against_trade_list(sample_result):
    m = compute_metrics(sample_result)
    closed = [t for t in sample_result.trades if not t.is_open]
    pnl = np.array([t.net_profit for t in closed])
    wins, losses = pnl[pnl > 0], pnl[pnl < 0]
    assert m["number_of_trades"] == len(closed) > 50
    assert m["win_rate"] == pytest.approx(100 * len(wins) / len(pnl))
    assert m["loss_rate"] == pytest.approx(100 * len(losses) / len(pnl))
    assert m["profit_factor"] == pytest.approx(wins.sum() / -losses.sum())
    assert m["profit_loss_ratio"] == pytest.approx(wins.mean() / -losses.mean())
    assert m["total_profit_loss"] == pytest.approx(pnl.sum())
    assert m["expectancy"] == pytest.approx(pnl.mean())
    assert m["max_single_loss"] == pytest.approx(-losses.min()) and m["max_single_loss"] > 0
    assert m["gross_loss"] == pytest.approx(losses.sum())
    assert m["total_commission"] == pytest.approx(-7.0 * len(closed))
    longs = [t for t in closed if t.direction == "buy"]
    assert m["long_trades"] == len(longs)
    assert m["short_trades"] == len(closed) - len(longs)
    assert m["long_profit_loss"] + m["short_profit_loss"] == pytest.approx(pnl.sum())
    assert m["average_holding_seconds"] == pytest.approx(
        np.mean([(t.close_time - t.open_time).total_seconds() for t in closed])
    )
    # the longest run of losses, counted by hand
    best = run = 0
    for x in pnl:
        run = run + 1 if x < 0 else 0
        best = max(best, run)
    assert m["max_consecutive_losses"] == best
    assert 0 < m["exposure_percent"] < 100
    assert PERFORMANCE_KEYS <= set(m)
    json.dumps(m, allow_nan=False)


# ----------------------------------------------------------------------------- edge cases


def _days_equity(values: list[float], bars_per_day: int = 4) -> tuple[np.ndarray, np.ndarray]:
    times = np.array([T0 + d * DAY + b * H for d in range(len(values)) for b in range(bars_per_day)])
    equity = np.repeat(np.asarray(values, dtype=float), bars_per_day)
    return times, equity


def test_no_trades():
    times, equity = _days_equity([10_000, 10_100, 10_050, 10_200])
    m = compute_metrics(make_result(times, equity, [], initial=10_000.0))
    assert m["number_of_trades"] == 0
    assert m["win_rate"] == 0.0 and m["loss_rate"] == 0.0
    assert m["profit_factor"] is None and m["profit_loss_ratio"] is None
    assert m["expectancy"] is None
    assert m["max_single_loss"] == 0.0 and m["max_consecutive_losses"] == 0
    assert m["total_profit_loss"] == 0.0
    assert m["exposure_percent"] == 0.0
    assert m["average_holding_seconds"] is None and m["average_holding_time"] == "-"
    assert m["total_return_rate"] == pytest.approx(2.0)
    assert m["sharpe_ratio"] is not None
    json.dumps(m, allow_nan=False)


def test_all_wins():
    times, equity = _days_equity([10_000, 10_010, 10_030, 10_060])
    trades = [trade(i, 10.0 * (i + 1), T0 + i * DAY, T0 + i * DAY + H) for i in range(3)]
    m = compute_metrics(make_result(times, equity, trades, initial=10_000.0))
    assert m["win_rate"] == 100.0 and m["loss_rate"] == 0.0
    assert m["profit_factor"] is None  # no loss: unbounded, reported as None
    assert m["profit_loss_ratio"] is None
    assert m["max_single_loss"] == 0.0
    assert m["max_consecutive_losses"] == 0 and m["max_consecutive_wins"] == 3
    assert m["sortino_ratio"] is None  # no losing day, positive mean
    assert m["sharpe_ratio"] > 0


def test_all_losses():
    times, equity = _days_equity([9_990, 9_970, 9_940])
    trades = [trade(i, -10.0 * (i + 1), T0 + i * DAY, T0 + i * DAY + H, direction="sell") for i in range(3)]
    m = compute_metrics(make_result(times, equity, trades, initial=10_000.0))
    assert m["win_rate"] == 0.0 and m["loss_rate"] == 100.0
    assert m["profit_factor"] == 0.0
    assert m["profit_loss_ratio"] == 0.0
    assert m["max_single_loss"] == 30.0  # a magnitude, as the MAS documentation's example (312.40)
    assert m["max_consecutive_losses"] == 3
    assert m["short_trades"] == 3 and m["short_win_rate"] == 0.0 and m["short_profit_loss"] == -60.0
    assert m["max_drawdown"] == pytest.approx(100 * (1 - 9_940 / 10_000))
    assert m["cagr"] < 0


def test_one_trade():
    times, equity = _days_equity([10_000, 10_025])
    m = compute_metrics(make_result(times, equity, [trade(1, 25.0, T0 + H, T0 + DAY + 2 * H)], initial=10_000.0))
    assert m["number_of_trades"] == 1
    assert m["win_rate"] == 100.0
    assert m["expectancy"] == 25.0
    assert m["average_holding_seconds"] == DAY + H
    assert m["average_holding_time"] == "1d 01:00:00"
    # bars at T0+0h..3h and T0+1d+0h..3h: held from bar 1 (T0+1h) to bar 5; the close at T0+1d+2h
    # is bar 6's open time, which belongs to the bar before
    assert m["exposure_percent"] == pytest.approx(100 * 5 / 8)


def test_open_position_at_end():
    times, equity = _days_equity([10_000, 10_010, 10_040])
    trades = [
        trade(1, 10.0, T0, T0 + 2 * H),
        trade(2, 30.0, T0 + DAY + H, None, is_open=True),
    ]
    m = compute_metrics(make_result(times, equity, trades, initial=10_000.0))
    assert m["number_of_trades"] == 1  # closed trades only
    assert m["open_trades"] == 1 and m["open_profit_loss"] == 30.0
    assert m["total_profit_loss"] == 10.0
    assert m["final_equity"] == 10_040.0  # the open trade is in the equity
    assert m["total_return_rate"] == pytest.approx(0.4)
    # trade 1: bars 0, 1 (closes at bar 2's open); trade 2: bar 5 to the end (bars 5..11)
    assert m["exposure_percent"] == pytest.approx(100 * 9 / 12)


def test_flat_equity():
    times, equity = _days_equity([10_000] * 10)
    m = compute_metrics(make_result(times, equity, [], initial=10_000.0))
    assert m["sharpe_ratio"] == 0.0
    assert m["sortino_ratio"] == 0.0
    assert m["cagr"] == 0.0
    assert m["max_drawdown"] == 0.0
    assert m["total_return_rate"] == 0.0
    assert mt.drawdown_periods(times, equity, 10_000.0) == []


@pytest.mark.parametrize("n_days", [1])
def test_less_than_two_days(n_days):
    times, equity = _days_equity([10_050] * n_days, bars_per_day=24)
    m = compute_metrics(make_result(times, equity, [trade(1, 50.0, T0, T0 + 5 * H)], initial=10_000.0))
    assert m["trading_days"] == 1
    assert m["sharpe_ratio"] is None and m["sortino_ratio"] is None and m["cagr"] is None
    assert m["total_return_rate"] == pytest.approx(0.5)
    assert m["max_drawdown"] == 0.0
    json.dumps(m, allow_nan=False)


def test_empty_equity_curve():
    m = compute_metrics(make_result(np.array([], dtype=np.int64), np.array([]), [trade(1, 5.0)], initial=1_000.0))
    assert m["final_equity"] == 1_000.0 and m["bars"] == 0
    assert m["max_drawdown"] == 0.0 and m["sharpe_ratio"] is None and m["exposure_percent"] == 0.0
    assert m["number_of_trades"] == 1
    json.dumps(m, allow_nan=False)


def test_breakeven_trades_are_neither_win_nor_loss():
    times, equity = _days_equity([10_000, 10_000, 9_990])
    trades = [trade(1, -5.0, T0, T0 + H), trade(2, 0.0, T0 + 2 * H, T0 + 3 * H), trade(3, -5.0, T0 + DAY, T0 + DAY + H)]
    m = compute_metrics(make_result(times, equity, trades, initial=10_000.0))
    assert m["breakeven_trades"] == 1
    assert m["win_rate"] == 0.0 and m["loss_rate"] == pytest.approx(200 / 3)
    assert m["max_consecutive_losses"] == 1  # the breakeven trade ends the run


def test_consecutive_losses_follow_close_time_not_list_order():
    trades = [
        trade(1, -1.0, T0, T0 + 5 * H),
        trade(2, 3.0, T0, T0 + 2 * H),
        trade(3, -1.0, T0, T0 + 6 * H),
        trade(4, -1.0, T0, T0 + 1 * H),
    ]
    stats = mt.trade_statistics(trades)
    assert stats["max_consecutive_losses"] == 2  # order by close: 4(-), 2(+), 1(-), 3(-)


def test_naive_datetimes_are_utc():
    aware = datetime(2017, 3, 1, 12, tzinfo=timezone.utc)
    assert mt.to_epoch(aware.replace(tzinfo=None)) == mt.to_epoch(aware) == aware.timestamp()
    assert mt.to_epoch(np.datetime64("2017-03-01T12:00:00")) == aware.timestamp()
    assert mt.to_epoch(None) is None


def test_exposure_edges():
    times = T0 + np.arange(10) * H
    # opens at bar 2's open, closes at bar 5's open: bars 2, 3, 4
    assert mt.exposure_percent(times, [trade(1, 1.0, T0 + 2 * H, T0 + 5 * H)]) == pytest.approx(30.0)
    # opens and closes inside one bar: that bar
    assert mt.exposure_percent(times, [trade(1, 1.0, T0 + 2 * H + 60, T0 + 2 * H + 120)]) == pytest.approx(10.0)
    # overlapping trades are not double counted
    two = [trade(1, 1.0, T0, T0 + 4 * H), trade(2, 1.0, T0 + 2 * H, T0 + 6 * H)]
    assert mt.exposure_percent(times, two) == pytest.approx(60.0)
    # a trade entirely before the first bar does not count
    assert mt.exposure_percent(times, [trade(1, 1.0, T0 - 5 * H, T0 - 4 * H)]) == 0.0


def test_yearly_summary_two_years():
    times = np.array([T0 + d * DAY for d in range(0, 700, 7)])
    rng = np.random.default_rng(3)
    equity = 10_000 * np.cumprod(1 + rng.normal(0.001, 0.02, len(times)))
    result = make_result(times, equity, initial=10_000.0)
    years = mt.yearly_summary(result)
    assert list(years) == ["2017", "2018"]
    assert sum(v["pnl"] for v in years.values()) == pytest.approx(equity[-1] - 10_000)
    assert min(v["max_drawdown"] for v in years.values()) == pytest.approx(-mt.max_drawdown(equity, 10_000.0))
    assert years["2018"]["end_equity"] == equity[-1]
    assert years["2018"]["cumulative_return"] == pytest.approx(compute_metrics(result)["total_return_rate"])


def test_format_duration():
    assert mt.format_duration(59) == "00:00:59"
    assert mt.format_duration(3 * DAY + 3_723) == "3d 01:02:03"
    assert mt.format_duration(None) == "-"


# ----------------------------------------------------------------------------- properties

_money = st.floats(min_value=-5_000, max_value=5_000, allow_nan=False, allow_infinity=False)


@st.composite
def _trades(draw):
    n = draw(st.integers(min_value=0, max_value=40))
    out = []
    for i in range(n):
        start = draw(st.integers(min_value=0, max_value=60 * DAY))
        length = draw(st.integers(min_value=0, max_value=10 * DAY))
        out.append(
            trade(
                i,
                draw(_money),
                T0 + start,
                T0 + start + length,
                direction=draw(st.sampled_from(["buy", "sell"])),
                is_open=draw(st.booleans()),
                commission=draw(st.floats(min_value=-20, max_value=0)),
                swap=draw(st.floats(min_value=-5, max_value=5)),
            )
        )
    return out


@st.composite
def _equity(draw, min_size=0):
    n = draw(st.integers(min_value=min_size, max_value=200))
    values = draw(st.lists(st.floats(min_value=0.0, max_value=1e7, allow_nan=False), min_size=n, max_size=n))
    step = draw(st.sampled_from([60, H, 4 * H, DAY]))
    return T0 + np.arange(n, dtype=np.int64) * step, np.asarray(values, dtype=float)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trades=_trades(), curve=_equity(), initial=st.floats(min_value=1.0, max_value=1e7))
def test_metrics_always_json_safe(trades, curve, initial):
    times, equity = curve
    m = compute_metrics(make_result(times, equity, trades, initial=initial))
    text = json.dumps(m, allow_nan=False)  # no NaN / inf anywhere
    assert json.loads(text) == m
    assert PERFORMANCE_KEYS | {"total_profit_loss"} <= set(m)
    assert 0.0 <= m["max_drawdown"] <= 100.0
    assert math.copysign(1.0, m["max_drawdown"]) == 1.0  # never -0.0
    assert 0.0 <= m["win_rate"] <= 100.0 and m["win_rate"] + m["loss_rate"] <= 100.0 + 1e-9
    assert m["number_of_trades"] == sum(1 for t in trades if not t.is_open)
    assert m["max_single_loss"] >= 0.0 and math.copysign(1.0, m["max_single_loss"]) == 1.0
    losses = [t.net_profit for t in trades if not t.is_open and t.net_profit < 0]
    assert m["max_single_loss"] == (-min(losses) if losses else 0.0)
    assert 0.0 <= m["exposure_percent"] <= 100.0
    if m["profit_factor"] is not None:
        assert m["profit_factor"] >= 0.0
    if len(equity):
        assert m["total_return_rate"] == pytest.approx(100 * (equity[-1] / initial - 1), rel=1e-9, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(curve=_equity(min_size=1), initial=st.floats(min_value=1.0, max_value=1e7))
def test_drawdown_bounds_and_worst_period(curve, initial):
    times, equity = curve
    dd = mt.max_drawdown(equity, initial)
    assert 0.0 <= dd <= 100.0
    periods = mt.drawdown_periods(times, equity, initial, top=None)
    if dd > 0:
        assert periods[0]["max_drawdown"] == pytest.approx(-dd)
    else:
        assert periods == []


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=100, deadline=None)
@given(
    rets=st.lists(
        st.floats(min_value=-0.5, max_value=0.5, allow_nan=False).filter(lambda x: abs(x) > 1e-6),
        min_size=2,
        max_size=60,
    )
)
def test_ratios_match_quantstats_on_random_returns(rets):
    r = np.asarray(rets)
    s = pd.Series(r, index=pd.date_range("2020-01-01", periods=len(r), freq="D"))
    ours, theirs = mt.sharpe_ratio(r), qs.stats.sharpe(s)
    if ours is not None and np.isfinite(theirs):
        assert ours == pytest.approx(theirs, rel=1e-8, abs=1e-10)
    ours, theirs = mt.sortino_ratio(r), qs.stats.sortino(s)
    if np.isfinite(theirs):
        assert ours == pytest.approx(theirs, rel=1e-8, abs=1e-10)
    else:
        assert ours is None
    ours, theirs = mt.cagr(r), qs.stats.cagr(s)
    if ours is not None:
        assert ours == pytest.approx(100 * theirs, rel=1e-8, abs=1e-10)


def test_utc_helper_roundtrip():
    assert mt.to_epoch(utc(T0)) == T0


# ----------------------------------------------------------------------------- edge cases vs quantstats

# name: (end-of-day equity per day, trades); trades close on the day their P&L enters the equity
EDGE_CASES = {
    "no_trades": ([10_000.0] * 5, []),
    "all_wins": (
        [10_010.0, 10_030.0, 10_030.0, 10_070.0],
        [
            trade(1, 10.0, T0, T0 + H),
            trade(2, 20.0, T0 + DAY, T0 + DAY + H),
            trade(3, 40.0, T0 + 3 * DAY, T0 + 3 * DAY + 2 * H),
        ],
    ),
    "all_losses": (
        [9_990.0, 9_960.0, 9_955.0],
        [trade(i + 1, v, T0 + i * DAY, T0 + i * DAY + H, direction="sell") for i, v in enumerate([-10.0, -30.0, -5.0])],
    ),
    "one_trade": ([10_000.0, 10_025.0], [trade(1, 25.0, T0 + H, T0 + DAY + 2 * H)]),
    "open_position_at_end": (
        [10_000.0, 10_010.0, 10_040.0, 10_020.0],
        [trade(1, 10.0, T0 + DAY, T0 + DAY + 2 * H), trade(2, 10.0, T0 + 2 * DAY + H, None, is_open=True)],
    ),
}


def _like_quantstats(ours: float | None, theirs: float, flat: bool, scale: float = 1.0) -> None:
    """Finite quantstats values are matched; where quantstats divides by zero (NaN or inf) we say
    0.0 for flat returns and None (unbounded) otherwise."""
    if np.isfinite(theirs):
        assert ours == pytest.approx(scale * theirs, rel=1e-10, abs=1e-12)
    else:
        assert ours == (0.0 if flat else None)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_cases_against_quantstats_and_the_trade_list(case):
    values, trades = EDGE_CASES[case]
    times, equity = _days_equity(values)
    m = compute_metrics(make_result(times, equity, trades, initial=10_000.0))

    returns = _eod_prices(times, equity, 10_000.0).pct_change().dropna()
    assert len(returns) == len(values)
    flat = bool((returns == 0).all())
    _like_quantstats(m["sharpe_ratio"], qs.stats.sharpe(returns), flat)
    _like_quantstats(m["sortino_ratio"], qs.stats.sortino(returns), flat)
    _like_quantstats(m["cagr"], qs.stats.cagr(returns), flat, scale=100)
    bar_prices = pd.Series(
        np.concatenate(([10_000.0], equity)), index=pd.to_datetime(np.concatenate(([times[0] - H], times)), unit="s")
    )
    assert m["max_drawdown"] == pytest.approx(-100 * qs.stats.max_drawdown(bar_prices), abs=1e-12)

    closed = [t.net_profit for t in trades if not t.is_open]
    wins, losses = [p for p in closed if p > 0], [p for p in closed if p < 0]
    assert m["number_of_trades"] == len(closed)
    assert m["win_rate"] == (100.0 * len(wins) / len(closed) if closed else 0.0)
    assert m["profit_factor"] == (sum(wins) / -sum(losses) if losses else None)
    assert m["total_profit_loss"] == pytest.approx(sum(closed))
    assert m["open_trades"] == sum(t.is_open for t in trades)
    assert m["total_return_rate"] == pytest.approx(100 * (values[-1] / 10_000.0 - 1))
    json.dumps(m, allow_nan=False)


def test_the_docs_page_carries_the_module_definitions():
    from pathlib import Path

    import mas.reports.metrics as module

    page = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert module.__doc__.strip() in page, "docs/metrics.md is stale: regenerate it from mas.reports.metrics"
