"""The MT5 strategy tester's statistics (mas.reports.tester) on hand-computed cases."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.reports import metrics as mt
from mas.reports import tester
from mas.reports.tester import curve_drawdowns, hpr, linear_regression, series_stats, z_score
from mas.reports.tester import strategy_tester_statistics as mt5_statistics

from .helpers import make_result, trade

H = 3600
T0 = 1_500_000_000


def hand_result():
    """Deposit 1000; closed trades in close order with net +100, +20, -50, -150, +200, 0, +30; one position
    (id 9) closed in two parts, one (id 10) still partly open; equity 800, 1000, 5000, 4500, 5200."""
    trades = [
        trade(1, 100.0, T0, T0 + 2 * H, "buy"),
        trade(2, 20.0, T0 + H, T0 + 3 * H, "sell"),
        trade(3, -50.0, T0 + 2 * H, T0 + 4 * H, "sell"),
        trade(9, -100.0, T0 + 3 * H, T0 + 5 * H, "buy"),  # position 9: first part
        trade(9, -50.0, T0 + 3 * H, T0 + 9 * H, "buy"),  # position 9: the rest, closed 6 h later
        trade(4, 200.0, T0 + 10 * H, T0 + 11 * H, "sell"),
        trade(5, 0.0, T0 + 11 * H, T0 + 12 * H, "buy"),
        trade(10, 30.0, T0 + 12 * H, T0 + 13 * H, "buy"),  # position 10: a closed part ...
        trade(10, 5.0, T0 + 12 * H, None, "buy", is_open=True),  # ... and a part still open
    ]
    times = T0 + np.arange(5) * H
    return make_result(times, [800.0, 1000.0, 5000.0, 4500.0, 5200.0], trades, initial=1000.0)


def test_hand_computed_tester_statistics():
    m = mt5_statistics(hand_result())
    # closed trades in close order: +100, +20, -50, -100, -50 (both parts of 9 close at 5 h and 9 h) ...
    # ... so by close time: 1 (2h) +100, 2 (3h) +20, 3 (4h) -50, 9a (5h) -100, 9b (9h) -50, 4 (11h) +200,
    # 5 (12h) 0, 10a (13h) +30. Balance: 1000 1100 1120 1070 970 920 1120 1120 1150.
    assert m["total_trades"] == 8
    assert m["total_net_profit"] == pytest.approx(150.0)
    assert m["gross_profit"] == pytest.approx(350.0) and m["gross_loss"] == pytest.approx(-200.0)
    assert m["profit_factor"] == pytest.approx(1.75)
    assert m["expected_payoff"] == pytest.approx(150.0 / 8)
    # balance: lowest 920 -> absolute 80; deepest fall from the peak 1120 to 920 = 200 = 17.857 %
    assert m["balance_drawdown_absolute"] == pytest.approx(80.0)
    assert m["balance_drawdown_maximal"] == pytest.approx(200.0)
    assert m["balance_drawdown_maximal_percent"] == pytest.approx(100 * 200 / 1120)
    assert m["balance_drawdown_relative_percent"] == pytest.approx(100 * 200 / 1120)
    assert m["balance_drawdown_relative"] == pytest.approx(200.0)
    # equity 1000 | 800 1000 5000 4500 5200: 1000 -> 800 is 200 (20 %), 5000 -> 4500 is 500 (10 %)
    assert m["equity_drawdown_absolute"] == pytest.approx(200.0)
    assert m["equity_drawdown_maximal"] == pytest.approx(500.0)
    assert m["equity_drawdown_maximal_percent"] == pytest.approx(10.0)
    assert m["equity_drawdown_relative_percent"] == pytest.approx(20.0)
    assert m["equity_drawdown_relative"] == pytest.approx(200.0)
    assert m["recovery_factor"] == pytest.approx(150.0 / 500.0)
    balance = [1000, 1100, 1120, 1070, 970, 920, 1120, 1120, 1150]
    ratios = [balance[i + 1] / balance[i] for i in range(8)]
    assert m["ahpr"] == pytest.approx(sum(ratios) / 8)
    assert m["ahpr_percent"] == pytest.approx(100 * (sum(ratios) / 8 - 1))
    assert m["ghpr"] == pytest.approx(1.15 ** (1 / 8))
    assert m["ghpr_percent"] == pytest.approx(100 * (1.15 ** (1 / 8) - 1))
    # wins/losses without the breakeven: W W L L L W W -> N 7, W 4, L 3, X 24, R 3
    z = (7 * (3 - 0.5) - 24) / math.sqrt(24 * (24 - 7) / 6)
    assert m["z_score"] == pytest.approx(z)
    assert m["z_score_probability"] == pytest.approx(100 * math.erf(abs(z) / math.sqrt(2)))
    assert m["min_margin_level"] is None
    # sides: buys 1, 9a, 9b, 5, 10a (+100, -100, -50, 0, +30); sells 2, 3, 4 (+20, -50, +200)
    assert (m["long_trades"], m["short_trades"]) == (5, 3)
    assert m["long_trades_won_percent"] == pytest.approx(40.0)
    assert m["short_trades_won_percent"] == pytest.approx(200 / 3)
    assert (m["profit_trades"], m["loss_trades"]) == (4, 3)
    assert m["profit_trades_percent"] == pytest.approx(50.0) and m["loss_trades_percent"] == pytest.approx(37.5)
    assert m["largest_profit_trade"] == 200.0 and m["largest_loss_trade"] == -100.0
    assert m["average_profit_trade"] == pytest.approx(87.5) and m["average_loss_trade"] == pytest.approx(-200 / 3)
    # win series (2, +120), (1, +200), (1, +30); loss series (3, -200)
    assert (m["max_consecutive_wins"], m["max_consecutive_wins_money"]) == (2, pytest.approx(120.0))
    assert (m["maximal_consecutive_profit"], m["maximal_consecutive_profit_count"]) == (pytest.approx(200.0), 1)
    assert (m["max_consecutive_losses"], m["max_consecutive_losses_money"]) == (3, pytest.approx(-200.0))
    assert (m["maximal_consecutive_loss"], m["maximal_consecutive_loss_count"]) == (pytest.approx(-200.0), 3)
    assert m["average_consecutive_wins"] == pytest.approx(4 / 3) and m["average_consecutive_losses"] == 3.0
    # positions closed completely: 1 (2h), 2 (2h), 3 (2h), 9 (3h -> 9h: 6h), 4 (1h), 5 (1h); 10 is partly open
    assert m["min_holding_seconds"] == H and m["max_holding_seconds"] == 6 * H
    assert m["average_holding_seconds"] == pytest.approx(14 * H / 6)
    assert (m["min_holding_time"], m["max_holding_time"]) == ("01:00:00", "06:00:00")
    assert m["average_holding_time"] == "02:20:00"  # 14 h / 6
    # the least-squares line through the balance points (i, B_i), i = 0..8, by numpy's own fit
    x, b = np.arange(9.0), np.array(balance, dtype=np.float64)
    slope, intercept = np.polyfit(x, b, 1)
    assert m["lr_correlation"] == pytest.approx(np.corrcoef(x, b)[0, 1])
    assert m["lr_standard_error"] == pytest.approx(math.sqrt(((b - intercept - slope * x) ** 2).sum() / 7))
    # no deal records: one entry per position (1 2 3 9 4 5 10) and one exit per closed trade (8)
    assert m["total_deals"] == 7 + 8
    assert m["initial_deposit"] == 1000.0 and m["bars"] == 5


def test_linear_regression_by_hand():
    # (0,1) (1,3) (2,2) (3,4): sxy 4, sxx 5, syy 5 -> r 0.8; residuals -0.3 0.9 -0.9 0.3 -> SE sqrt(1.8 / 2)
    corr, error = linear_regression([1.0, 3.0, 2.0, 4.0])
    assert corr == pytest.approx(0.8)
    assert error == pytest.approx(math.sqrt(0.9))
    assert linear_regression([4.0, 2.0, 3.0, 1.0])[0] == pytest.approx(-0.8)  # a falling balance: negative
    assert linear_regression([5.0, 5.0, 5.0]) == (None, 0.0)  # flat: no correlation, on the line
    assert linear_regression([5.0, 6.0]) == (pytest.approx(1.0), None)  # two points: no standard error
    assert linear_regression([]) == (None, None)


def test_z_score_by_hand_and_undefined_cases():
    # W L W L W L: N 6, W 3, L 3, X 18, R 6 -> (6 * 5.5 - 18) / sqrt(18 * 12 / 5) = 15 / sqrt(43.2)
    assert z_score([1, -1, 1, -1, 1, -1]) == pytest.approx(15 / math.sqrt(43.2))
    # W W W L L L: R 2 -> (6 * 1.5 - 18) / sqrt(43.2) < 0 (wins follow wins)
    assert z_score([1, 2, 3, -1, -2, -3]) == pytest.approx(-9 / math.sqrt(43.2))
    assert z_score([1, 0, 0, 2]) is None  # no loss
    assert z_score([1, -1]) is None  # X = N: no spread to test against
    assert z_score([]) is None


def test_drawdowns_hpr_and_series_edge_cases():
    assert curve_drawdowns([1000.0, 1100.0, 1200.0], 1000.0) == {
        "absolute": 0.0, "maximal": 0.0, "maximal_percent": 0.0, "relative_percent": 0.0, "relative": 0.0}
    assert curve_drawdowns([], 1000.0)["maximal"] == 0.0
    assert hpr(np.array([1000.0])) == (None, None)  # no trades
    assert hpr(np.array([1000.0, -10.0, 500.0])) == (None, None)  # a balance at or below zero
    ahpr, ghpr = hpr(np.array([100.0, 50.0, 100.0]))
    assert ahpr == pytest.approx((0.5 + 2.0) / 2) and ghpr == pytest.approx(1.0)  # arithmetic overstates
    assert series_stats([], True) == {"longest": 0, "longest_money": 0.0, "best_money": 0.0, "best_count": 0,
                                      "average": None}
    # equally long series: the earliest one's money
    assert series_stats([1.0, 2.0, -1.0, 5.0, 6.0], True)["longest_money"] == pytest.approx(3.0)


def test_no_trades_is_json_safe():
    times = T0 + np.arange(3) * H
    m = mt5_statistics(make_result(times, [1000.0, 1000.0, 1000.0], [], initial=1000.0))
    assert m["total_trades"] == 0 and m["expected_payoff"] is None and m["recovery_factor"] is None
    assert m["ahpr"] is None and m["z_score"] is None and m["lr_correlation"] is None
    assert m["min_holding_time"] == "-" and m["largest_loss_trade"] is None
    assert all(v is None or isinstance(v, (int, float, str)) for v in m.values())


def test_backtest_counts_deals_and_agrees_with_compute_metrics():
    from mas.strategy.builtins import BUILTIN_STRATEGIES

    from .helpers import run_backtest

    result = run_backtest(BUILTIN_STRATEGIES["ma"]())
    m, base = mt5_statistics(result), mt.compute_metrics(result)
    # one deposit deal, one entry per position and one exit per closed trade
    positions = {t.position_id for t in result.trades}
    assert m["total_deals"] == len(positions) + base["number_of_trades"] == len(result.deals) - 1
    assert m["total_trades"] == base["number_of_trades"]
    assert m["total_net_profit"] == pytest.approx(base["total_profit_loss"])
    assert m["expected_payoff"] == pytest.approx(base["expectancy"])
    assert m["equity_drawdown_relative_percent"] == pytest.approx(base["max_drawdown"])
    assert m["largest_loss_trade"] == pytest.approx(-base["max_single_loss"])
    assert m["max_consecutive_losses"] == base["max_consecutive_losses"]
    # the balance curve rebuilt from the trades ends where the account's balance ends (no commission here)
    assert 10_000 + m["total_net_profit"] == pytest.approx(float(result.balance[-1]))


curves = st.lists(st.floats(min_value=1.0, max_value=1e6, allow_nan=False), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(curves, st.floats(min_value=1.0, max_value=1e6))
def test_drawdowns_agree_with_the_running_peak_definition(curve, initial):
    c = np.concatenate(([initial], curve))
    dd = curve_drawdowns(c, initial)
    # the relative drawdown is the KPI page's max drawdown (bar by bar from the running peak)
    assert dd["relative_percent"] == pytest.approx(mt.max_drawdown(np.asarray(curve), initial), abs=1e-9)
    brute = max(c[s] - c[t] for t in range(len(c)) for s in range(t + 1))
    assert dd["maximal"] == pytest.approx(brute)
    assert 0 <= dd["maximal_percent"] <= dd["relative_percent"] + 1e-9
    assert dd["relative"] <= dd["maximal"] + 1e-9
    assert dd["absolute"] == pytest.approx(max(0.0, initial - min(c)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([-2.0, -1.0, 0.0, 1.0, 3.0]), max_size=40))
def test_z_score_is_symmetric_and_lr_correlation_bounded(net):
    z = z_score(net)
    assert z == z_score([-x for x in net])  # wins and losses swapped: the same runs
    corr, error = linear_regression(1000 + np.cumsum([0.0, *net]))
    assert corr is None or -1 - 1e-12 <= corr <= 1 + 1e-12
    assert error is None or error >= 0


def test_docs_page_holds_the_module_docstring():
    page = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert tester.__doc__.strip() in page, "docs/metrics.md is stale: add mas.reports.tester's docstring again"
