"""The strategy spec: validation names the offending field; valid specs round-trip; the schema is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.strategy.spec import SpecError, StrategySpec, load_spec, spec_from_dict, spec_json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "strategy-spec.schema.json"
RSI = {"id": "rsi_14", "kind": "rsi"}
BUY = {"kind": "compare", "left": "rsi_14", "op": "<", "right": 30}


def spec(**fields):
    return {"indicators": [RSI], "entry_long": BUY, **fields}


@pytest.mark.parametrize(("data", "named"), [
    ({"entry_long": {"kind": "compare", "left": "rsi", "op": "<", "right": 30}}, "entry_long.left"),
    (spec(exit_long={"kind": "all", "conditions": [{"kind": "crosses_above", "left": "rsi_14.k", "right": 1}]}),
     "exit_long.conditions[0].left"),
    (spec(indicators=[RSI, {"id": "m", "kind": "macd", "fast": 30}]), "indicators[1]"),
    (spec(indicators=[RSI, RSI]), "indicators[1].id"),
    (spec(indicators=[{"id": "close", "kind": "rsi"}]), "indicators[0].id"),
    (spec(risk={"risk_percent": 2}), "risk.risk_percent"),
    (spec(risk={"stop_loss": {"unit": "pips", "value": -3}}), "risk.stop_loss.value"),
    (spec(risk={"take_profit": {"unit": "furlongs", "value": 3}}), "risk.take_profit.unit"),
    (spec(risk={"lots": 0}), "risk.lots"),
    (spec(filters={"sessions": [{"start": "25:00", "end": "10:00"}]}), "filters.sessions[0].start"),
    (spec(filters={"weekdays": ["someday"]}), "filters.weekdays[0]"),
    (spec(timeframe="H5"), "timeframe"),
    (spec(exit_short=BUY), "exit_short"),
    ({"indicators": [RSI]}, "entry_long/entry_short"),
    (spec(surprise=1), "surprise"),
    (spec(entry_long={"kind": "for_bars", "condition": BUY, "bars": 1}), "entry_long.bars"),
])
def test_validation_errors_name_the_offending_field(data, named):
    with pytest.raises(SpecError) as caught:
        spec_from_dict(data)
    assert named in str(caught.value)


def test_sessions_by_name_and_defaults():
    s = spec_from_dict(spec(filters={"sessions": [{"name": "london"}, {"start": "22:00", "end": "02:00"}]}))
    assert [(x.start, x.end) for x in s.filters.sessions] == [("07:00", "16:00"), ("22:00", "02:00")]
    assert s.risk.lots == 0.1 and s.risk.max_open_positions == 1


def test_the_published_schema_is_current():
    assert json.loads(SCHEMA_FILE.read_text()) == spec_json_schema()


def test_specs_load_from_json_files(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(spec_from_dict(spec()).to_json())
    assert load_spec(path) == spec_from_dict(spec())
    path.write_text("{not json")
    with pytest.raises(SpecError, match="not valid JSON"):
        load_spec(path)


OPERANDS = st.sampled_from(["rsi_14", "close", "open", "sma_20", "macd_12_26_9.signal", "macd_12_26_9.hist",
                            "bb.upper", "kd.k", "highest_20[1]", "volume", "atr_14"]) | st.floats(-100, 100)
LEAVES = st.one_of(
    st.builds(lambda a, op, b: {"kind": "compare", "left": a, "op": op, "right": b}, OPERANDS,
              st.sampled_from(["<", "<=", ">", ">="]), OPERANDS),
    st.builds(lambda k, a, b: {"kind": k, "left": a, "right": b}, st.sampled_from(["crosses_above", "crosses_below"]),
              OPERANDS, OPERANDS),
    st.builds(lambda v, n: {"kind": "rising", "value": v, "bars": n}, OPERANDS, st.integers(1, 50)),
    st.builds(lambda v, a, b: {"kind": "between", "value": v, "low": a, "high": b}, OPERANDS, OPERANDS, OPERANDS),
)
CONDITIONS = st.recursive(LEAVES, lambda inner: st.one_of(
    st.builds(lambda cs: {"kind": "all", "conditions": cs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda cs: {"kind": "any", "conditions": cs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda c: {"kind": "not", "condition": c}, inner),
    st.builds(lambda c, n: {"kind": "for_bars", "condition": c, "bars": n}, inner, st.integers(2, 20))), max_leaves=6)
INDICATORS = [RSI, {"id": "sma_20", "kind": "sma", "period": 20}, {"id": "macd_12_26_9", "kind": "macd"},
              {"id": "bb", "kind": "bbands"}, {"id": "kd", "kind": "kd"},
              {"id": "highest_20", "kind": "highest", "period": 20}, {"id": "atr_14", "kind": "atr"}]


@settings(max_examples=150, deadline=None)
@given(entry=CONDITIONS, exit_=st.none() | CONDITIONS, lots=st.floats(0.01, 10))
def test_valid_specs_round_trip_through_json(entry, exit_, lots):
    data = {"indicators": INDICATORS, "entry_long": entry, "risk": {"lots": lots}}
    if exit_ is not None:
        data["exit_long"] = exit_
    parsed = spec_from_dict(data)
    assert isinstance(parsed, StrategySpec)
    assert spec_from_dict(json.loads(parsed.to_json())) == parsed


@settings(max_examples=100, deadline=None)
@given(entry=CONDITIONS, name=st.text("abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=8))
def test_an_undefined_indicator_is_always_named_with_its_path(entry, name):
    data = {"indicators": [RSI], "entry_long": {"kind": "all", "conditions": [
        {"kind": "compare", "left": f"zz{name}", "op": "<", "right": 1}, entry]}}
    with pytest.raises(SpecError) as caught:
        spec_from_dict(data)
    assert "entry_long.conditions[0].left" in str(caught.value) or "entry_long.conditions[1]" in str(caught.value)
