"""One rule, two evaluators: the array version of every indicator and of every condition kind (what the fast path
and the public array functions of ``mas.strategy.indicators`` run) equals the streaming version the event path runs,
bar for bar, on the bundled EURUSD H1 2017 sample and on random series.

The tolerance is none: the array functions repeat the streaming arithmetic in the same order (the same running
sums, seeds, divisions; Bollinger's exact re-centring with ``math.fsum``'s algorithm), so the floats are the same.
Also here: the kernel's SL / TP trigger distance against the simulated terminal's (two compilers, numba and mypyc,
cannot share one function), and the kernel's named trade columns against the trade records.
"""

from __future__ import annotations

import math
import typing

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mas.sim import matching
from mas.strategy import indicators as ind
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.conditions import CONDITION_OPERANDS, RULE_NAMES, SignalBook, indicator_updater
from mas.strategy.spec import INDICATOR_OUTPUTS, Condition, Indicator, Operand, SpecError, spec_from_dict
from mas.vector import indicators as arrays
from mas.vector import kernel, signals
from mas.vector.candles import Candles, IndicatorCache, indicator_outputs
from mas.vector.engine import FastMarket
from mas.vector.signals import rule_arrays

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def union_kinds(annotated: object) -> set[str]:
    """The ``kind`` values of a discriminated union of the spec (``Indicator``, ``Condition``)."""
    union = typing.get_args(annotated)[0]
    return {kind for model in typing.get_args(union) for kind in typing.get_args(model.model_fields["kind"].annotation)}


def bars_of(candles: Candles) -> list[dict]:
    """The bars the streaming side is fed: bid OHLC and tick volume, as the fast path reads them."""
    columns = {name: candles.field(name).tolist() for name in ("open", "high", "low", "close")}
    columns["volume"] = candles.volume.tolist()
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def spec_indicator(definition: dict):
    spec = spec_from_dict({"indicators": [{"id": "x", **definition}],
                           "entry_long": {"kind": "compare", "left": "close", "op": ">", "right": 0}})
    return spec.indicators[0]


def streamed(indicator, bars: list[dict]) -> dict[str | None, np.ndarray]:
    """The streaming indicator's ``.value`` after each bar, by output (NaN while it is None)."""
    obj, update = indicator_updater(indicator)
    outputs = INDICATOR_OUTPUTS.get(indicator.kind, (None,))
    columns = {name: np.full(len(bars), np.nan) for name in outputs}
    for i, bar in enumerate(bars):
        update(bar)
        value = obj.value
        if value is not None:
            for name in outputs:
                columns[name][i] = value if name is None else getattr(value, {"line": "macd"}.get(name, name))
    return columns


def assert_same(array_outputs: dict, streaming_outputs: dict) -> None:
    assert array_outputs.keys() == streaming_outputs.keys()
    for name, values in streaming_outputs.items():
        np.testing.assert_array_equal(array_outputs[name], values, err_msg=f"output {name}")


def candles_from(prices: list[float], flat_bars: bool, volumes: list[int]) -> Candles:
    """Candles of a random close series: open = previous close, a range around the close (none if ``flat_bars``)."""
    close = np.array(prices, dtype=np.float64)
    size = len(close)
    spread = 0.0 if flat_bars else 0.001
    return Candles(time=np.arange(size, dtype=np.int64) * 3600, open=np.roll(close, 1), high=close * (1 + spread),
                   low=close * (1 - spread), close=close, volume=np.array(volumes[:size] + [1] * (size - len(volumes)),
                                                                          dtype=np.int64),
                   spread=np.zeros(size, dtype=np.int64), spread_price=np.zeros(size))


# --------------------------------------------------------------------------------------------- indicators

SAMPLE_CASES = [
    {"kind": "sma", "period": 1}, {"kind": "sma", "period": 9}, {"kind": "sma", "period": 200, "source": "open"},
    {"kind": "ema", "period": 1}, {"kind": "ema", "period": 12, "source": "high"},
    {"kind": "ema", "period": 3, "source": "volume"}, {"kind": "wma", "period": 7},
    {"kind": "wma", "period": 50, "source": "low"}, {"kind": "rsi", "period": 2}, {"kind": "rsi", "period": 14},
    {"kind": "macd"}, {"kind": "macd", "fast": 2, "slow": 3, "signal": 1},
    {"kind": "macd", "fast": 5, "slow": 13, "signal": 4, "source": "volume"},
    {"kind": "bbands"}, {"kind": "bbands", "period": 2, "nbdev": 1.5},
    {"kind": "bbands", "period": 50, "nbdev": 3.0, "source": "volume"},
    {"kind": "kd"}, {"kind": "kd", "period": 5, "k_smooth": 1, "d_smooth": 4},
    {"kind": "stoch"}, {"kind": "stoch", "fastk": 5, "slowk": 1, "slowd": 1},
    {"kind": "atr", "period": 2}, {"kind": "atr"}, {"kind": "adx", "period": 2}, {"kind": "adx"},
    {"kind": "cci", "period": 2}, {"kind": "cci", "period": 20}, {"kind": "willr"},
    {"kind": "highest", "period": 6}, {"kind": "lowest", "period": 6, "source": "close"},
    {"kind": "highest", "period": 24, "source": "volume"},
]


def test_every_indicator_kind_of_the_spec_is_checked():
    assert {case["kind"] for case in SAMPLE_CASES} == union_kinds(Indicator)


@pytest.mark.parametrize("definition", SAMPLE_CASES, ids=lambda d: "-".join(str(v) for v in d.values()))
def test_indicator_arrays_equal_the_streaming_values_on_the_sample(sample_candles, definition):
    candles = sample_candles["year"]
    indicator = spec_indicator(definition)
    expected = streamed(indicator, bars_of(candles))
    assert_same(indicator_outputs(indicator, candles), expected)
    assert_same(IndicatorCache(candles).outputs(indicator), expected)
    assert all(np.isfinite(values[-1]) for values in expected.values())


PUBLIC = {  # name: (the array function, its streaming class, what it reads, how many outputs)
    "sma": (lambda x, h, lo, c: ind.sma(x, 20), lambda: ind.SMA(20), "x", 1),
    "wma": (lambda x, h, lo, c: ind.wma(x, 9), lambda: ind.WMA(9), "x", 1),
    "ema": (lambda x, h, lo, c: ind.ema(x, 12), lambda: ind.EMA(12), "x", 1),
    "wilder": (lambda x, h, lo, c: ind.wilder(x, 14), lambda: ind.WilderMA(14), "x", 1),
    "rsi": (lambda x, h, lo, c: ind.rsi(x, 14), lambda: ind.RSI(14), "x", 1),
    "macd": (lambda x, h, lo, c: ind.macd(x, 12, 26, 9), lambda: ind.MACD(12, 26, 9), "x", 3),
    "bollinger_bands": (lambda x, h, lo, c: ind.bollinger_bands(x, 20, 2.0), lambda: ind.BollingerBands(20, 2.0), "x",
                        3),
    "highest": (lambda x, h, lo, c: ind.highest(x, 10), lambda: ind.Highest(10), "x", 1),
    "lowest": (lambda x, h, lo, c: ind.lowest(x, 10), lambda: ind.Lowest(10), "x", 1),
    "kd": (lambda x, h, lo, c: ind.kd(h, lo, c, 9, 3, 3), lambda: ind.KD(9, 3, 3), "hlc", 2),
    "true_range": (lambda x, h, lo, c: ind.true_range(h, lo, c), lambda: ind.TrueRange(), "hlc", 1),
    "atr": (lambda x, h, lo, c: ind.atr(h, lo, c, 14), lambda: ind.ATR(14), "hlc", 1),
}


def values_after_each(indicator, columns: tuple, width: int) -> np.ndarray:
    """``indicator.value`` after each update, one column per field of a tuple value (NaN while None)."""
    rows = []
    for values in zip(*columns, strict=True):
        indicator.update(*(float(v) for v in values))
        value = indicator.value
        rows.append([math.nan] * width if value is None else list(value) if isinstance(value, tuple) else [value])
    return np.array(rows, dtype=float).reshape(len(columns[0]), width)


def check_public(name: str, x: np.ndarray, h: np.ndarray, lo: np.ndarray, c: np.ndarray) -> None:
    function, make, inputs, width = PUBLIC[name]
    out = function(x, h, lo, c)
    got = np.column_stack(out) if isinstance(out, tuple) else out.reshape(-1, 1)
    expected = values_after_each(make(), (x,) if inputs == "x" else (h, lo, c), width)
    np.testing.assert_array_equal(got.reshape(len(x), width), expected)


def test_every_public_array_function_is_checked():
    public = {name for name in ind.__all__ if name.islower() and not name.startswith("check_")}
    assert public == set(PUBLIC)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_array_functions_equal_their_classes_on_the_sample(sample_candles, name):
    candles = sample_candles["year"]
    check_public(name, candles.close, candles.high, candles.low, candles.close)


prices = st.one_of(
    st.lists(st.floats(0.5, 2.0, allow_nan=False), min_size=0, max_size=160),
    st.lists(st.sampled_from([1.0, 1.0001, 1.25]), min_size=0, max_size=160),  # ties, flat stretches, zero ranges
)


@st.composite
def indicator_definitions(draw):
    kind = draw(st.sampled_from(sorted(union_kinds(Indicator))))
    period = draw(st.integers(2, 30))
    source = draw(st.sampled_from(["close", "open", "high", "low", "volume"]))
    if kind in ("sma", "ema", "wma", "rsi"):
        return {"kind": kind, "period": draw(st.integers(1, 30)), "source": source}
    if kind in ("highest", "lowest"):
        return {"kind": kind, "period": draw(st.integers(1, 30)), "source": source}
    if kind == "macd":
        fast = draw(st.integers(1, 12))
        return {"kind": kind, "fast": fast, "slow": fast + draw(st.integers(1, 14)), "signal": draw(st.integers(1, 9)),
                "source": source}
    if kind == "bbands":
        return {"kind": kind, "period": period, "nbdev": draw(st.sampled_from([0.5, 1.0, 2.0, 3.7])), "source": source}
    if kind == "kd":
        return {"kind": kind, "period": draw(st.integers(1, 20)), "k_smooth": draw(st.integers(1, 5)),
                "d_smooth": draw(st.integers(1, 5))}
    if kind == "stoch":
        return {"kind": kind, "fastk": draw(st.integers(1, 20)), "slowk": draw(st.integers(1, 5)),
                "slowd": draw(st.integers(1, 5))}
    return {"kind": kind, "period": period}


@EXAMPLES
@given(prices, st.booleans(), st.lists(st.integers(0, 5000), max_size=160), st.lists(indicator_definitions(),
                                                                                    min_size=1, max_size=4))
def test_indicator_arrays_equal_the_streaming_values_on_random_series(closes, flat_bars, volumes, definitions):
    candles = candles_from(closes, flat_bars, volumes)
    bars = bars_of(candles)
    for definition in definitions:
        indicator = spec_indicator(definition)
        assert_same(indicator_outputs(indicator, candles), streamed(indicator, bars))


@EXAMPLES
@given(prices, st.booleans())
def test_public_array_functions_equal_their_classes_on_random_series(closes, flat_bars):
    candles = candles_from(closes, flat_bars, [])
    for name in PUBLIC:
        check_public(name, candles.close, candles.high, candles.low, candles.close)


@given(st.lists(st.floats(-1e300, 1e300, allow_nan=False), max_size=30) | st.lists(
    st.sampled_from([0.1, -0.1, 1e16, -1e16, 1.0, 3.0, 1e-300, math.inf, -math.inf, math.nan]), max_size=8))
def test_bollinger_recentring_sums_exactly_as_math_fsum(values):
    try:
        expected = math.fsum(values)
    except (OverflowError, ValueError):  # intermediate overflow, inf - inf: the array version gives NaN
        expected = math.nan
    with np.errstate(invalid="ignore", over="ignore"):  # without numba, numpy scalars warn on inf - inf
        got = arrays._fsum(np.array(values, dtype=np.float64))
    assert got == expected or (math.isnan(got) and math.isnan(expected))


# --------------------------------------------------------------------------------------------- conditions


def test_every_condition_kind_of_the_spec_is_in_the_table_with_its_operands():
    assert set(CONDITION_OPERANDS) == union_kinds(Condition)
    union = typing.get_args(typing.get_args(Condition)[0])
    for model in union:
        operand_fields = tuple(name for name, info in model.model_fields.items() if info.annotation == Operand)
        for kind in typing.get_args(model.model_fields["kind"].annotation):
            assert CONDITION_OPERANDS[kind] == operand_fields, kind


DEFINITIONS = {
    "fast": {"kind": "sma", "period": 5}, "slow": {"kind": "ema", "period": 20}, "hi": {"kind": "highest", "period": 5},
    "bb": {"kind": "bbands", "period": 10, "nbdev": 2.0}, "rsi": {"kind": "rsi", "period": 14}, "kd": {"kind": "kd"},
    "stoch": {"kind": "stoch", "fastk": 5}, "cci": {"kind": "cci", "period": 10}, "adx": {"kind": "adx", "period": 5},
    "willr": {"kind": "willr", "period": 7}, "macd": {"kind": "macd", "fast": 5, "slow": 13, "signal": 4},
    "vol": {"kind": "wma", "period": 4, "source": "volume"}, "atr": {"kind": "atr", "period": 5},
}
POOLS = (
    ["close", "open", "high", "low", "fast", "slow", "hi", "bb", "bb.upper", "bb.lower", "close[1]", "fast[2]",
     "hi[1]"],
    ["rsi", "kd", "kd.d", "stoch", "stoch.d", "cci", "willr", "adx", "rsi[1]", 50.0, 20, -100.0, 80],
    ["volume", "vol", "macd", "macd.signal", "macd.hist", "atr", "macd[1]", 0.0, 100],
)
SUMS = (  # arithmetic operands, each added to the pool of its first term's scale
    {"terms": [{"operand": "fast"}, {"operand": "atr", "times": 2.0}]},
    {"terms": [{"operand": "bb.lower", "times": 1.0}, {"operand": "atr[1]", "times": -0.5}], "plus": 0.0001},
    {"terms": [{"operand": "rsi", "times": 1.0}], "plus": 5.0},
    {"terms": [{"operand": "vol", "times": 1.5}]},
    {"terms": [{"operand": "volume", "times": 0.5}, {"operand": "vol", "times": 0.5}]},
)
POOLS = (POOLS[0] + [SUMS[0], SUMS[1]], POOLS[1] + [SUMS[2]], POOLS[2] + [SUMS[3], SUMS[4]])
"""Operands by scale (price units, oscillators, raw): a pair from one pool meets, crosses and ties now and then."""


@st.composite
def pair(draw, count: int = 2) -> list:
    pool = draw(st.sampled_from(POOLS))
    if draw(st.integers(0, 4)) == 0:  # now and then operands of different scales
        return [draw(st.sampled_from(draw(st.sampled_from(POOLS)))) for _ in range(count)]
    return [draw(st.sampled_from(pool)) for _ in range(count)]


@st.composite
def condition_of(draw, kind: str, depth: int = 0) -> dict:
    if kind == "compare":
        left, right = draw(pair())
        return {"kind": kind, "left": left, "op": draw(st.sampled_from(["<", "<=", ">", ">="])), "right": right}
    if kind in ("crosses_above", "crosses_below"):
        left, right = draw(pair())
        return {"kind": kind, "left": left, "right": right}
    if kind == "between":
        value, low, high = draw(pair(3))
        return {"kind": kind, "value": value, "low": low, "high": high}
    if kind in ("rising", "falling"):
        return {"kind": kind, "value": draw(pair(1))[0], "bars": draw(st.integers(1, 3))}
    leaves = ["compare", "crosses_above", "crosses_below", "between", "rising", "falling"]
    child_kinds = leaves + (["for_bars", "sequence", "all", "any", "not"] if depth < 1 else [])
    child = st.sampled_from(child_kinds).flatmap(lambda k: condition_of(k, depth + 1))
    if kind == "for_bars":
        return {"kind": kind, "condition": draw(child), "bars": draw(st.integers(2, 4))}
    if kind == "not":
        return {"kind": kind, "condition": draw(child)}
    if kind == "sequence":
        return {"kind": kind, "first": draw(child), "then": draw(child), "within": draw(st.integers(1, 6))}
    return {"kind": kind, "conditions": draw(st.lists(child, min_size=1, max_size=3))}


def used_indicators(condition: dict) -> set[str]:
    names = set()
    for key in ("left", "right", "value", "low", "high"):
        operand = condition.get(key)
        for text in [term["operand"] for term in operand["terms"]] if isinstance(operand, dict) else [operand]:
            if isinstance(text, str):
                names.add(text.split(".")[0].split("[")[0])
    for child in [condition.get(k) for k in ("condition", "first", "then")] + condition.get("conditions", []):
        if child is not None:
            names |= used_indicators(child)
    return names & set(DEFINITIONS)


def rule_truth_both_ways(condition: dict) -> tuple[object, bool]:
    """A spec whose entry_long is ``condition`` and exit_long its negation: the bars where one fires are where the
    condition is true, where the other fires it is false (neither: unknown), so both of its sides are compared."""
    document = {"indicators": [{"id": name, **DEFINITIONS[name]} for name in sorted(used_indicators(condition))],
                "entry_long": condition, "exit_long": {"kind": "not", "condition": condition}}
    try:
        return spec_from_dict(document), True
    except SpecError:
        return None, False


def check_rules(spec, candles: Candles) -> None:
    book = SignalBook(spec)
    fired = np.array([book.step(bar) for bar in bars_of(candles)], dtype=bool).reshape(len(candles), len(RULE_NAMES))
    for compiled in ([True, False] if signals.HAVE_NUMBA else [False]):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(signals, "HAVE_NUMBA", compiled)
            got = rule_arrays(spec, candles, IndicatorCache(candles))
        for k, name in enumerate(RULE_NAMES):
            np.testing.assert_array_equal(got[name], fired[:, k], err_msg=f"{name} (numba: {compiled})")


@pytest.mark.parametrize("kind", sorted(CONDITION_OPERANDS))
@EXAMPLES
@given(data=st.data())
def test_rule_arrays_equal_the_streaming_rules_on_the_sample(sample_candles, kind, data):
    spec, valid = rule_truth_both_ways(data.draw(condition_of(kind)))
    assume(valid)
    check_rules(spec, sample_candles["quarter"])


@pytest.mark.parametrize("kind", sorted(CONDITION_OPERANDS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), closes=prices, flat_bars=st.booleans(), volumes=st.lists(st.integers(0, 50), max_size=160))
def test_rule_arrays_equal_the_streaming_rules_on_random_series(kind, data, closes, flat_bars, volumes):
    spec, valid = rule_truth_both_ways(data.draw(condition_of(kind)))
    assume(valid)
    check_rules(spec, candles_from(closes, flat_bars, volumes))


def test_rules_fire_on_the_sample(sample_candles):
    """The rules above are not all silent: a cross of the fast and slow averages fires both ways in a quarter."""
    spec, _ = rule_truth_both_ways({"kind": "crosses_above", "left": "fast", "right": "slow"})
    got = rule_arrays(spec, sample_candles["quarter"], IndicatorCache(sample_candles["quarter"]))
    assert 5 < got["entry_long"].sum() < got["exit_long"].sum()


# --------------------------------------------------------------------------------------------- SL / TP and trade rows


@given(st.floats(-10.0, 10.0), st.sampled_from([matching.FALLS, matching.RISES]), st.floats(-10.0, 10.0),
       st.floats(-10.0, 10.0))
def test_the_kernels_trigger_distance_is_the_simulated_terminals(level, direction, cur, target):
    """The kernel (numba) cannot call the terminal's mypyc-compiled ``matching.distance``: the copy is held equal."""
    expected = matching.distance(level, direction, cur, target)
    got = kernel._distance(level, direction == matching.FALLS, cur, target)
    assert got == (-1.0 if expected is None else expected)
    for edge in (level, cur):  # already there / reaching it exactly
        expected = matching.distance(level, direction, cur, edge)
        assert kernel._distance(level, direction == matching.FALLS, cur, edge) == (-1.0 if expected is None
                                                                                   else expected)


def test_named_trade_columns_are_the_trade_records(sample_data):
    spec = spec_from_dict({**builtin_spec("ma", fast=5, slow=20).model_dump(mode="json", exclude_none=True),
                           "risk": {"lots": 0.1, "stop_loss": {"unit": "pips", "value": 15},
                                    "take_profit": {"unit": "pips", "value": 30}}})
    market = FastMarket.build(sample_data["quarter"])
    rows = market.trade_rows(spec).copy()
    records = market.backtest(spec, "ma").trades
    assert len(kernel.TRADE_FIELDS) == kernel.COLUMNS == rows.shape[1]
    assert len(records) == len(rows) > 10
    reasons = {kernel.EXIT_CLIENT: "expert", kernel.EXIT_SL: "sl", kernel.EXIT_TP: "tp", kernel.EXIT_END: "end"}
    assert {reasons[int(k)] for k in rows[:, kernel.EXIT_KIND]} >= {"expert", "sl", "tp"}
    for row, record in zip(rows, records, strict=True):
        assert int(row[kernel.TICKET]) == record.position_id
        assert ("buy" if row[kernel.SIDE] > 0 else "sell") == record.direction
        assert row[kernel.ENTRY_PRICE] == record.open_price
        assert row[kernel.OPEN_TIME] == market.candles.time[int(row[kernel.FILL_BAR])]
        assert record.open_time == market.stamps[int(row[kernel.FILL_BAR])]
        assert (row[kernel.STOP_LOSS], row[kernel.TAKE_PROFIT]) == (record.sl, record.tp)
        assert reasons[int(row[kernel.EXIT_KIND])] == record.exit_reason
        assert row[kernel.EXIT_BAR_OPEN] == market.candles.time[int(row[kernel.EXIT_BAR])]
        assert row[kernel.SIGNAL_BAR] + 1 == row[kernel.FILL_BAR]
