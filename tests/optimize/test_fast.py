"""The fast path equals the event engine: trades, balance and equity (the indicators and the rules bit for bit:
tests/vector/test_one_rule.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mas.optimize.api import run_optimization
from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.sim.market import prepare_rates
from mas.sim.symbols import resolve_spec
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import SpecError, spec_from_dict
from mas.vector import fast_backtest
from mas.vector.candles import Candles, IndicatorCache
from mas.vector.ledger import py_round
from mas.vector.market_data import MarketData

from .conftest import Q1

MONTH = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-01", "to": "2017-03-31"}
_DATA: dict[tuple, MarketData] = {}


def market(**extra) -> MarketData:
    key = tuple(sorted(extra.items()))
    if key not in _DATA:
        _DATA[key] = MarketData.load({**MONTH, **extra})
    return _DATA[key]


def assert_same_backtest(fast, event):
    assert fast is not None
    assert [t.as_dict() for t in fast.trades] == [t.as_dict() for t in event.trades]
    np.testing.assert_array_equal(fast.balance, event.balance)
    np.testing.assert_array_equal(fast.equity, event.equity)
    np.testing.assert_array_equal(fast.margin, event.margin)
    np.testing.assert_array_equal(fast.equity_times, event.equity_times)
    assert compute_metrics(fast) == compute_metrics(event)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 7))
def test_py_round_is_pythons_round(value, digits):
    halves = np.array([value, round(value, digits + 1) + 0.5 * 10.0 ** -digits, float(int(value)) + 0.125])
    assert py_round(halves, digits).tolist() == [round(float(v), digits) for v in halves]


@pytest.mark.parametrize("name", ["ma", "rsi", "macd", "kd", "bband"])
def test_builtin_specs_equal_the_hand_written_builtins(name):
    from mas.app import load_strategy

    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"],
                            "commission": 3.5, "spread": 8, "slippage": 1})
    assert_same_backtest(fast_backtest(builtin_spec(name), data), replay(load_strategy(name, {}), data))


# ------------------------------------------------------------------ random specs

SOURCES = ("close", "open", "high", "low")


@st.composite
def indicators(draw):
    kind = draw(st.sampled_from(["sma", "ema", "wma", "rsi", "macd", "bbands", "kd", "stoch", "atr", "adx", "cci",
                                 "willr", "highest", "lowest"]))
    period = draw(st.integers(2, 25))
    if kind in ("sma", "ema", "wma", "rsi", "highest", "lowest"):
        return {"kind": kind, "period": period, "source": draw(st.sampled_from(SOURCES))}
    if kind == "macd":
        fast = draw(st.integers(2, 12))
        return {"kind": kind, "fast": fast, "slow": fast + draw(st.integers(1, 14)), "signal": draw(st.integers(2, 9))}
    if kind == "bbands":
        return {"kind": kind, "period": period, "nbdev": draw(st.sampled_from([0.5, 1.0, 2.0, 2.5]))}
    if kind == "kd":
        return {"kind": kind, "period": period, "k_smooth": draw(st.integers(1, 5)),
                "d_smooth": draw(st.integers(1, 5))}
    if kind == "stoch":
        return {"kind": kind, "fastk": period, "slowk": draw(st.integers(1, 4)), "slowd": draw(st.integers(1, 4))}
    return {"kind": kind, "period": period}


OUTPUTS = {"macd": ["line", "signal", "hist"], "bbands": ["upper", "middle", "lower"], "kd": ["k", "d"],
           "stoch": ["k", "d"]}
LEVELS = {"rsi": (20, 80), "kd": (10, 90), "stoch": (10, 90), "adx": (10, 50), "cci": (-150, 150),
          "willr": (-90, -10)}


def operands(draw, defined):
    ident, definition = draw(st.sampled_from(defined))
    output = draw(st.sampled_from([None, *OUTPUTS.get(definition["kind"], [])]))
    back = draw(st.sampled_from([0, 0, 0, 1, 2]))
    operand = ident + (f".{output}" if output else "") + (f"[{back}]" if back else "")
    return operand, definition["kind"]


@st.composite
def conditions(draw, defined, depth=0):
    kind = draw(st.sampled_from(["cross", "cross", "compare", "between", "trend"] + (["all", "any", "not", "for"]
                                                                                    if depth < 2 else [])))
    left, left_kind = operands(draw, defined)
    if kind in ("compare", "between") and left_kind in LEVELS:
        low, high = LEVELS[left_kind]
        if kind == "between":
            return {"kind": "between", "value": left, "low": low, "high": high}
        return {"kind": "compare", "left": left, "op": draw(st.sampled_from(["<", "<=", ">", ">="])),
                "right": draw(st.sampled_from([low, high]))}
    if kind == "trend":
        return {"kind": draw(st.sampled_from(["rising", "falling"])), "value": left, "bars": draw(st.integers(1, 3))}
    if kind in ("all", "any"):
        count = draw(st.integers(1, 3))
        return {"kind": kind, "conditions": [draw(conditions(defined, depth + 1)) for _ in range(count)]}
    if kind == "not":
        return {"kind": "not", "condition": draw(conditions(defined, depth + 1))}
    if kind == "for":
        return {"kind": "for_bars", "condition": draw(conditions(defined, depth + 1)), "bars": draw(st.integers(2, 3))}
    same_scale = [(i, d) for i, d in defined if (d["kind"] in LEVELS) == (left_kind in LEVELS)]
    right = draw(st.sampled_from([*(operands(draw, same_scale)[0] for _ in range(2)), "close", "open"]))
    if left_kind in LEVELS:
        right = draw(st.sampled_from([operands(draw, same_scale)[0], float(sum(LEVELS[left_kind]) / 2)]))
    op = {"cross": draw(st.sampled_from(["crosses_above", "crosses_below"])), "compare": "compare"}[
        "cross" if kind == "cross" else "compare"]
    if op == "compare":
        return {"kind": "compare", "left": left, "op": draw(st.sampled_from(["<", ">", "<=", ">="])), "right": right}
    return {"kind": op, "left": left, "right": right}


def distances(draw):
    unit = draw(st.sampled_from(["pips", "points", "percent", "atr"]))
    value = {"pips": draw(st.sampled_from([5, 15, 40])), "points": draw(st.sampled_from([30, 120, 400])),
             "percent": draw(st.sampled_from([0.1, 0.3, 0.8])), "atr": draw(st.sampled_from([0.5, 1.5, 3]))}[unit]
    return {"unit": unit, "value": value, "atr_period": draw(st.integers(2, 20))}


@st.composite
def specs(draw):
    defined = [(f"ind{k}", draw(indicators())) for k in range(draw(st.integers(1, 3)))]
    document = {"indicators": [{"id": i, **d} for i, d in defined]}
    sides = draw(st.sampled_from([("long",), ("short",), ("long", "short")]))
    for side in sides:
        document[f"entry_{side}"] = draw(conditions(defined))
        if draw(st.booleans()):
            document[f"exit_{side}"] = draw(conditions(defined))
    risk = {"lots": draw(st.sampled_from([0.01, 0.1, 0.5, 1.0]))}
    for field in ("stop_loss", "take_profit"):
        if draw(st.booleans()):
            risk[field] = distances(draw)
    if draw(st.booleans()):
        risk["exit_after_bars"] = draw(st.integers(1, 30))
    document["risk"] = risk
    if draw(st.integers(0, 3)) == 0:
        document["filters"] = {"sessions": [{"name": draw(st.sampled_from(["london", "tokyo", "sydney"]))}],
                               "weekdays": draw(st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri"]),
                                                         min_size=1, max_size=3, unique=True))}
    try:
        return spec_from_dict(document)
    except SpecError:
        assume(False)


@given(specs(), st.sampled_from([None, 0, 12, 25]), st.sampled_from([None, 3.5, 7.0]), st.integers(0, 2))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_trade_exactly_like_the_event_engine(spec, spread, commission, slippage):
    data = market(spread=spread, commission=commission, slippage=slippage)
    fast = fast_backtest(spec, data)
    assume(fast is not None)  # the kernel left it to the event engine (near a margin limit)
    assert_same_backtest(fast, replay(compile_spec(spec)(), data))
    event("trades: " + ("none" if not fast.trades else "some" if len(fast.trades) < 20 else "many"))
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))


# ------------------------------------------------------------------ what the fast path leaves to the event engine


def test_sets_near_the_margin_limit_fall_back_to_the_event_engine():
    near = builtin_spec("ma", volume=9.3)  # ~9,800 USD of margin on 10,000: accepted, but close to a rejection
    assert fast_backtest(near, market()) is None
    assert fast_backtest(builtin_spec("ma", volume=9.0), market()) is not None
    params = {"fast": [5], "slow": [20], "volume": [0.1, 9.3, 9.8]}
    fast = run_optimization("ma", params, engine="fast", **Q1)
    event = run_optimization("ma", params, engine="event", **Q1)
    assert [t.document() for t in fast.trials] == [t.document() for t in event.trials]
    assert [t.metrics["number_of_trades"] > 0 for t in fast.trials] == [True, True, False]  # 9.8 lots: refused


def test_trailing_stops_and_python_targets_use_the_event_engine():
    trailing = spec_from_dict({**builtin_spec("ma").model_dump(mode="json", exclude_none=True),
                               "risk": {"lots": 0.1, "trailing_stop": {"unit": "pips", "value": 20}}})
    assert fast_backtest(trailing, market()) is None
    result = run_optimization(trailing, {"risk.trailing_stop.value": [10, 30]}, engine="auto", **Q1)
    assert [t.status for t in result.trials] == ["ok", "ok"]
    from mas.strategy.builtins import MACrossStrategy

    with pytest.raises(ValueError, match="--engine fast: MACrossStrategy is a Python strategy"):
        run_optimization(MACrossStrategy, {"fast": [5]}, engine="fast", **Q1)


def test_spec_targets_take_dotted_parameters():
    spec = builtin_spec("ma")
    fast = run_optimization(spec, {"sma_5.period": [3, 5, 8], "risk.lots": [0.1, 0.2]}, engine="fast", **Q1)
    event = run_optimization(spec, {"sma_5.period": [3, 5, 8], "risk.lots": [0.1, 0.2]}, engine="event", **Q1)
    assert [t.document() for t in fast.trials] == [t.document() for t in event.trials]
    assert {t.status for t in fast.trials} == {"ok"}
    with pytest.raises(ValueError, match="has no field 'perid'"):
        run_optimization(spec, {"sma_5.perid": [3]}, **Q1)


@pytest.mark.parametrize("name", ["ma", "macd", "kd"])
def test_crosses_are_the_same_with_and_without_numba(name, monkeypatch):
    from mas.vector import signals

    data = market()
    symbol = resolve_spec("EURUSD")
    candles = Candles.from_rates(prepare_rates(data.series["EURUSD"], symbol, None)[0], symbol.point)
    spec = spec_from_dict({**builtin_spec(name).model_dump(mode="json", exclude_none=True),
                           "entry_short": {"kind": "crosses_below", "left": "close", "right": 1.07}})
    compiled = signals.rule_arrays(spec, candles, IndicatorCache(candles))
    monkeypatch.setattr(signals, "HAVE_NUMBA", False)
    plain = signals.rule_arrays(spec, candles, IndicatorCache(candles))
    assert compiled.keys() == plain.keys()
    for rule, fired in compiled.items():
        np.testing.assert_array_equal(fired, plain[rule])
    assert compiled["entry_long"].any() and compiled["entry_short"].any()
