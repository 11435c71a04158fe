"""Grid, random and Optuna searches with the event engine on the bundled sample."""

from __future__ import annotations

import json

import pytest

from mas.app import load_strategy, result_document
from mas.optimize.api import optimize, run_optimization
from mas.optimize.results import METRIC_KEYS, OK, SKIPPED

from .conftest import Q1

GRID = {"fast": "5:15:5", "slow": "10:30:10"}


@pytest.fixture(scope="module")
def grid_result():
    return run_optimization("ma", GRID, engine="event", **Q1)


def test_grid_has_one_row_per_combination_in_grid_order(grid_result):
    combos = [(t.params["fast"], t.params["slow"]) for t in grid_result.trials]
    assert combos == [(f, s) for f in (5, 10, 15) for s in (10, 20, 30)]


def test_a_strategy_value_error_becomes_a_skipped_row_with_its_reason(grid_result):
    skipped = {(t.params["fast"], t.params["slow"]): t for t in grid_result.trials if t.status == SKIPPED}
    assert set(skipped) == {(10, 10), (15, 10)}
    assert "fast: must be smaller than slow" in skipped[(10, 10)].reason
    assert all(t.metrics is None for t in skipped.values())


def test_metrics_are_those_of_mas_backtest_json(grid_result):
    trial = next(t for t in grid_result.trials if t.params == {"fast": 5, "slow": 20})
    assert list(trial.metrics) == list(METRIC_KEYS)
    strategy = load_strategy("ma", {"fast": 5, "slow": 20})
    strategy.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"],
                             "backtest_toggle": True})
    assert trial.metrics == result_document(strategy.backtest_result)["metrics"]


def test_ranking_and_best(grid_result):
    ranked = [t for t in grid_result.ranked() if t.status == OK]
    values = [t.metrics["sharpe_ratio"] for t in ranked]
    assert values == sorted(values, reverse=True)
    assert grid_result.best is ranked[0]
    # max_drawdown is a magnitude (>= 0): minimizing it ranks the shallowest drawdown first
    minimized = run_optimization("ma", GRID, engine="event", metric="max_drawdown", maximize=False, **Q1)
    shallowest_first = [t.metrics["max_drawdown"] for t in minimized.ranked() if t.status == OK]
    assert shallowest_first == sorted(shallowest_first) and all(d >= 0 for d in shallowest_first)
    assert len(set(shallowest_first)) > 1  # the grid's drawdowns differ, so the order means something
    best = minimized.best
    curve = load_strategy("ma", best.params)
    curve.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"],
                          "backtest_toggle": True})
    result = curve.backtest_result
    from mas.reports.metrics import drawdown_series

    deepest_fall = -100 * drawdown_series(result.equity, result.initial_capital).min()
    assert best.metrics["max_drawdown"] == pytest.approx(deepest_fall) == min(shallowest_first)


def test_dataframe_has_params_metrics_status_and_rank(grid_result):
    frame = grid_result.frame()
    assert list(frame.columns) == ["fast", "slow", *METRIC_KEYS, "status", "reason", "rank"]
    assert len(frame) == 9
    assert frame.loc[frame["rank"] == 1, ["fast", "slow"]].iloc[0].tolist() == \
        [grid_result.best.params["fast"], grid_result.best.params["slow"]]
    assert frame["rank"].isna().sum() == 2


def test_json_document_shape(grid_result):
    doc = json.loads(json.dumps(grid_result.document(), default=str))
    assert set(doc) >= {"results", "best", "metric", "counts"}
    assert len(doc["results"]) == 9
    assert doc["best"] == doc["results"][grid_result.trials.index(grid_result.best)]
    skipped = [r for r in doc["results"] if r.get("status") == "skipped"]
    assert len(skipped) == 2 and all(r["reason"] for r in skipped)


def test_constraints_skip_without_running():
    result = run_optimization("ma", GRID, constraints=["fast < slow"], engine="event", **Q1)
    reasons = {(t.params["fast"], t.params["slow"]): t.reason for t in result.trials if t.status == SKIPPED}
    assert reasons == {(10, 10): "constraint 'fast < slow' does not hold",
                       (15, 10): "constraint 'fast < slow' does not hold"}


def test_processes_give_the_serial_rows(grid_result):
    parallel = run_optimization("ma", GRID, workers=2, engine="event", **Q1)
    assert [t.document() for t in parallel.trials] == [t.document() for t in grid_result.trials]


def test_random_search_is_seeded_distinct_and_respects_constraints():
    params = {"fast": "2:20:2", "slow": "10:60:5"}
    first = run_optimization("ma", params, method="random", trials=6, seed=7, constraints=["fast < slow"],
                             engine="event", **Q1)
    again = run_optimization("ma", params, method="random", trials=6, seed=7, constraints=["fast < slow"],
                             engine="event", workers=2, **Q1)
    other = run_optimization("ma", params, method="random", trials=6, seed=8, constraints=["fast < slow"],
                             engine="event", **Q1)
    drawn = [tuple(t.params.values()) for t in first.trials]
    assert len(drawn) == len(set(drawn)) == 6
    assert all(f < s for f, s in drawn)
    assert [t.document() for t in first.trials] == [t.document() for t in again.trials]
    assert drawn != [tuple(t.params.values()) for t in other.trials]


def test_optimize_returns_a_dataframe():
    frame = optimize("rsi", {"period": [7, 14], "oversold": 30, "overbought": "60:80:10"}, engine="event", **Q1)
    assert len(frame) == 6
    assert set(frame["status"]) == {"ok"}
    assert frame["rank"].min() == 1


@pytest.mark.parametrize("kwargs, fragment", [
    ({"metric": "sharp"}, "--metric: 'sharp' is not a metric"),
    ({"method": "anneal"}, "--method: 'anneal' is not a search method"),
    ({"method": "grid", "trials": 5}, "--trials: a grid runs every combination"),
    ({"constraints": ["fast < slwo"]}, "'slwo' is not swept"),
    ({"engine": "gpu"}, "engine: 'gpu' is not an engine"),
])
def test_bad_options_fail_before_any_backtest(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        run_optimization("ma", GRID, **{**Q1, **kwargs})


def test_unknown_builtin_parameter_is_named():
    with pytest.raises(ValueError, match="ma has no parameter 'fats'"):
        run_optimization("ma", {"fats": "5:10:5"}, **Q1)


def test_optuna_search_is_seeded_and_exact():
    pytest.importorskip("optuna")
    params = {"fast": "2:20:2", "slow": "10:60:5"}
    first = run_optimization("ma", params, method="optuna", trials=12, seed=3, constraints=["fast < slow"],
                             engine="event", **Q1)
    again = run_optimization("ma", params, method="optuna", trials=12, seed=3, constraints=["fast < slow"],
                             engine="event", workers=2, **Q1)
    assert len(first.trials) == 12
    drawn = [tuple(t.params.values()) for t in first.trials]
    assert len(set(drawn)) == len(drawn)
    assert all(f < s and f in range(2, 21, 2) and s in range(10, 61, 5) for f, s in drawn)
    assert [t.document() for t in first.trials] == [t.document() for t in again.trials]
