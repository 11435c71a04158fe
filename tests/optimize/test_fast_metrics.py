"""The optimizer's metrics, computed from the fast path's arrays, equal ``compute_metrics`` of the full backtest.

Every parameter set of an optimization on the fast path gets its metrics from the kernel's rows and
one pass over the bars (:mod:`mas.vector.metrics`), never from trade records or an equity
curve. These tests hold that shortcut to the definition: for many parameter sets on the bundled real
EURUSD H1 sample (no trade, one open trade, one closed trade, hundreds of trades; longs, shorts,
reversals; SL / TP / time exits; swaps and commissions on and off; spreads, slippage) every key of
``compute_metrics(fast_backtest(...))`` has the same value (to 1e-9 relative; in fact they are equal), in
the compiled and the numpy implementation, and so does a whole ``run_optimization`` against the event
engine's replays.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mas.optimize.api import run_optimization
from mas.optimize.replay import replay
from mas.optimize.results import select_metrics
from mas.reports.metrics import compute_metrics
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import spec_from_dict
from mas.vector import FastMarket, fast_backtest, metrics
from mas.vector.market_data import MarketData

from .conftest import Q1
from .test_fast import MONTH, specs

RANGE = {"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"]}
NO_SWAPS = {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}}
MARKETS = {
    "swaps and commission": {"commission": 3.5},
    "no swaps, no commission": {"symbol_overrides": NO_SWAPS},
    "spread and slippage": {"spread": 12, "slippage": 2, "commission": 7.0},
    "capital 5000": {"capital": 5000, "commission": 3.5},
}
_MARKETS: dict[str, FastMarket] = {}


def fast_market(name: str) -> FastMarket:
    if name not in _MARKETS:
        _MARKETS[name] = FastMarket.build(MarketData.load({**RANGE, **MARKETS[name]}))
    return _MARKETS[name]


@pytest.fixture(params=[True, False], ids=["compiled", "numpy"])
def implementation(request, monkeypatch):
    """Both implementations of the equity pass and the trade statistics (numba's, and numpy's)."""
    if request.param and not metrics.HAVE_NUMBA:
        pytest.skip("numba is not installed")
    monkeypatch.setattr(metrics, "USE_NUMBA", request.param)
    return request.param


def assert_same_metrics(got: dict, expected: dict) -> None:
    """Same keys in the same order; numbers equal to 1e-9 relative, the rest equal."""
    assert list(got) == list(expected)
    for key, value in expected.items():
        if isinstance(value, float) and isinstance(got[key], float):
            assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-12), (key, got[key], value)
        else:
            assert got[key] == value, (key, got[key], value)
        assert type(got[key]) is type(value), key


def check(spec, market_name: str) -> dict:
    """The array metrics of ``spec`` against compute_metrics of its full fast backtest; returns the latter."""
    market = fast_market(market_name)
    result = market.backtest(spec, "test")
    assert result is not None, "the kernel left this set to the event engine"
    expected = compute_metrics(result)
    assert_same_metrics(market.metrics(spec), expected)
    return expected


def _spec(**document):
    return spec_from_dict({"indicators": [{"id": "fast", "kind": "sma", "period": 5},
                                          {"id": "slow", "kind": "sma", "period": 20}], **document})


CROSS_UP = {"kind": "crosses_above", "left": "fast", "right": "slow"}
CROSS_DOWN = {"kind": "crosses_below", "left": "fast", "right": "slow"}
Q1_HIGHEST_CLOSE = 1.0890  # only the highest bid close of Q1 2017 in the sample (1.08934) is at or above it


SETS = {
    "ma 5/20": builtin_spec("ma", fast=5, slow=20),
    "ma 10/50": builtin_spec("ma", fast=10, slow=50),
    "ma 3/7 (many trades)": builtin_spec("ma", fast=3, slow=7),
    "ma 20/200": builtin_spec("ma", fast=20, slow=200),
    "no trade": _spec(entry_long={"kind": "compare", "left": "close", "op": ">", "right": 100}),
    "one open trade": _spec(entry_long={"kind": "compare", "left": "close", "op": ">", "right": 0}),
    "one closed trade": _spec(entry_long={"kind": "compare", "left": "close", "op": ">=", "right": Q1_HIGHEST_CLOSE},
                              risk={"lots": 0.1, "exit_after_bars": 3}),
    "long and short (reversals)": _spec(entry_long=CROSS_UP, exit_long=CROSS_DOWN, entry_short=CROSS_DOWN,
                                        exit_short=CROSS_UP),
    "short only, exits": _spec(entry_short=CROSS_DOWN, exit_short=CROSS_UP, risk={"lots": 0.5}),
    "stop loss and take profit": _spec(entry_long=CROSS_UP, entry_short=CROSS_DOWN,
                                       risk={"lots": 0.2, "stop_loss": {"unit": "pips", "value": 15},
                                             "take_profit": {"unit": "pips", "value": 30}}),
    "ATR stops, time exit": _spec(entry_long=CROSS_UP, exit_long=CROSS_DOWN,
                                  risk={"lots": 1.0, "stop_loss": {"unit": "atr", "value": 1.5, "atr_period": 14},
                                        "exit_after_bars": 12}),
    "take profit only": _spec(entry_short=CROSS_DOWN, risk={"lots": 0.1, "take_profit": {"unit": "points",
                                                                                             "value": 120}}),
    "sessions and weekdays": _spec(entry_long=CROSS_UP, exit_long=CROSS_DOWN,
                                   filters={"sessions": [{"name": "london"}], "weekdays": ["mon", "wed", "fri"]}),
    "rsi": builtin_spec("rsi"),
    "macd": builtin_spec("macd"),
    "bollinger": builtin_spec("bband"),
}


@pytest.mark.parametrize("market_name", list(MARKETS))
@pytest.mark.parametrize("name", list(SETS))
def test_array_metrics_equal_compute_metrics(name, market_name, implementation):
    expected = check(SETS[name], market_name)
    # magnitudes, as the MAS documentation shows them; the arrays give them bit for bit, never -0.0
    arrays = fast_market(market_name).metrics(SETS[name])
    for key in ("max_drawdown", "max_single_loss"):
        assert expected[key] >= 0.0 and repr(arrays[key]) == repr(expected[key]) != "-0.0", key
    if name == "no trade":
        assert expected["max_drawdown"] == 0.0 and expected["max_single_loss"] == 0.0
        assert expected["number_of_trades"] == 0 and expected["open_trades"] == 0
    elif name == "one open trade":
        assert expected["number_of_trades"] == 0 and expected["open_trades"] == 1
    elif name == "one closed trade":
        assert expected["number_of_trades"] == 1 and expected["open_trades"] == 0
    else:
        assert expected["number_of_trades"] > 1


def test_the_sets_cover_what_they_claim(implementation):
    """Swaps and commissions are charged, and SL, TP, client and end exits all occur among the sets."""
    swapped = compute_metrics(fast_market("swaps and commission").backtest(SETS["ma 5/20"], "test"))
    assert swapped["total_swap"] != 0.0 and swapped["total_commission"] < 0.0
    free = compute_metrics(fast_market("no swaps, no commission").backtest(SETS["ma 5/20"], "test"))
    assert free["total_swap"] == 0.0 and free["total_commission"] == 0.0
    reasons = {t.exit_reason for spec in SETS.values()
               for t in fast_market("swaps and commission").backtest(spec, "test").trades}
    assert {"sl", "tp", "expert", "end"} <= reasons


@given(specs(), st.sampled_from(list(MARKETS)))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_have_the_same_metrics(spec, market_name):
    market = fast_market(market_name)
    result = market.backtest(spec, "test")
    assume(result is not None)
    expected = compute_metrics(result)
    for compiled in ([True, False] if metrics.HAVE_NUMBA else [False]):
        previous, metrics.USE_NUMBA = metrics.USE_NUMBA, compiled
        try:
            assert_same_metrics(market.metrics(spec), expected)
        finally:
            metrics.USE_NUMBA = previous


@pytest.mark.parametrize("extra", [{"commission": 3.5}, {"spread": 15, "commission": 7.0, "slippage": 1},
                                   {"symbol_overrides": NO_SWAPS}])
def test_an_optimization_reports_the_event_engines_metrics(extra):
    """A whole run_optimization on the fast path: each set's metrics are those of the event engine's replay."""
    grid = {"fast": [3, 5, 10], "slow": [20, 40], "volume": [0.1, 0.5]}
    result = run_optimization("ma", grid, engine="fast", backtest=extra, metric="sharpe_ratio", **Q1)
    data = MarketData.load({**RANGE, **extra})
    from mas.app import load_strategy

    for trial in result.trials:
        assert trial.status == "ok"
        event = replay(load_strategy("ma", trial.params), data)
        assert_same_metrics(trial.metrics, select_metrics(compute_metrics(event), "sharpe_ratio"))


def test_spec_strategies_agree_with_the_event_engine_through_the_arrays():
    spec = SETS["long and short (reversals)"]
    market = fast_market("swaps and commission")
    event = replay(compile_spec(spec)(), market.data)
    assert_same_metrics(market.metrics(spec), compute_metrics(event))


def test_without_numba_the_numpy_path_gives_the_same_metrics(tmp_path):
    """numba is an optional extra: with it absent (its import blocked) the fast path runs in plain Python and
    numpy, and the metrics are still compute_metrics'."""
    script = textwrap.dedent(f"""
        import sys
        sys.modules["numba"] = None  # as if the extra were not installed
        from mas.vector import FastMarket, fast_backtest, jit, metrics
        from mas.vector.market_data import MarketData
        from mas.reports.metrics import compute_metrics
        from mas.strategy.builtin_specs import builtin_spec
        assert not jit.HAVE_NUMBA and not metrics.USE_NUMBA
        market = FastMarket.build(MarketData.load({{**{RANGE!r}, "to": "2017-01-31", "commission": 3.5}}))
        for spec in (builtin_spec("ma", fast=5, slow=20), builtin_spec("rsi")):
            assert market.metrics(spec) == compute_metrics(market.backtest(spec, "x")), spec.name
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "MAS_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_sets_the_kernel_leaves_to_the_event_engine_have_no_array_metrics():
    near = builtin_spec("ma", volume=9.3)  # near a margin rejection on 10,000: flagged by the kernel
    market = FastMarket.build(MarketData.load(MONTH))
    assert market.metrics(near) is None and market.backtest(near, "x") is None
    accepted = builtin_spec("ma", volume=9.0)
    assert_same_metrics(market.metrics(accepted), compute_metrics(fast_backtest(accepted, market.data)))


def test_calendar_of_unsorted_times_is_refused():
    with pytest.raises(ValueError, match="sorted"):
        metrics.Calendar.of(np.array([10, 5, 20]))
