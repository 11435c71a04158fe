"""The parser reads the spec's new rules (issue 16 item 3) with the numbers the text says: multipliers, periods and
offsets of arithmetic operands, sequence windows, trading hours, and symmetric ("vice versa") short rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.strategy.explain import explain_spec
from mas.strategy.parse import ParseError, parse_text
from mas.strategy.parse.mirror import MirrorError, mirror_condition

PROPERTY = settings(max_examples=60, deadline=None)
MULTIPLIERS = st.decimals("0.1", "9.9", places=1).map(float) | st.integers(2, 12).map(float)
PERIODS = st.integers(2, 300)


def number(value: float) -> str:
    return f"{value:g}"


@PROPERTY
@given(times=MULTIPLIERS, period=PERIODS, form=st.sampled_from([
    "buy when volume > {m} * SMA(volume, {p})", "buy when the volume exceeds {m} times the {p}-bar average volume",
    "buy when volume is above SMA(volume, {p}) * {m}", "成交量大於{p}日均量的{m}倍時買進",
    "成交量大于{m}倍{p}日均量时买入"]))
def test_a_multiple_of_the_average_volume_reads_its_numbers(times, period, form):
    spec = parse_text(form.format(m=number(times), p=period)).spec
    (indicator,) = spec.indicators
    assert (indicator.kind, indicator.period, indicator.source) == ("sma", period, "volume")
    right = spec.entry_long.right
    if times == 1:  # 1 x the average is the average itself: a plain operand
        assert right == indicator.id
    else:
        assert [(t.operand, t.times) for t in right.terms] == [(indicator.id, times)] and right.plus == 0


@PROPERTY
@given(times=MULTIPLIERS, period=PERIODS, atr=st.integers(2, 100), minus=st.booleans(), lang=st.sampled_from(
    ["en", "zh"]))
def test_an_average_plus_or_minus_a_multiple_of_atr_reads_its_numbers(times, period, atr, minus, lang):
    if lang == "en":
        text = f"buy when the close crosses above SMA({period}) {'-' if minus else '+'} {number(times)} x ATR({atr})"
    else:
        text = f"收盤價向上穿越SMA({period}){'減' if minus else '加'}{number(times)}倍ATR({atr})時買進"
    spec = parse_text(text).spec
    right = spec.entry_long.right
    assert [(t.operand, t.times) for t in right.terms] == [(f"sma_{period}", 1.0),
                                                           (f"atr_{atr}", -times if minus else times)]
    assert spec.indicator(f"atr_{atr}").period == atr
    assert parse_text(explain_spec(spec, "en")).spec == spec


@PROPERTY
@given(level=st.integers(5, 45), within=st.integers(1, 50), period=PERIODS, lang=st.sampled_from(["en", "zh"]))
def test_a_sequence_reads_its_window(level, within, period, lang):
    text = (f"buy when RSI < {level} and then the close crosses above SMA({period}) within {within} bars"
            if lang == "en" else f"RSI低於{level}之後{within}根K棒內收盤價向上穿越SMA({period})時買進")
    rule = parse_text(text).spec.entry_long
    assert rule.kind == "sequence" and rule.within == within
    assert (rule.first.right, rule.then.right) == (float(level), f"sma_{period}")


@PROPERTY
@given(start=st.integers(0, 23), end=st.integers(0, 23), zone=st.sampled_from(["", " UTC", " GMT"]))
def test_trading_hours_read_their_times(start, end, zone):
    text = f"buy when RSI < 30, only between {start:02d}:00 and {end:02d}:30{zone}"
    (session,) = parse_text(text).spec.filters.sessions
    assert (session.start, session.end) == (f"{start:02d}:00", f"{end:02d}:30")


@PROPERTY
@given(low=st.integers(1, 49), kind=st.sampled_from(["RSI", "Williams %R", "CCI"]))
def test_vice_versa_reflects_oscillator_levels_about_their_centre(low, kind):
    level = {"RSI": low, "Williams %R": -100 + low, "CCI": -low * 4}[kind]
    spec = parse_text(f"buy when {kind} < {level}, vice versa").spec
    centre = {"RSI": 50, "Williams %R": -50, "CCI": 0}[kind]
    assert spec.entry_short.op == ">" and spec.entry_short.right == 2 * centre - level


def test_vice_versa_mirrors_directions_bands_extremes_and_widths_but_not_volume():
    spec = parse_text("buy when the close crosses above the 20-bar high and volume > 1.5 x SMA(volume, 20) and ADX > "
                      "25, sell when the close is below the lower Bollinger band, and the opposite for shorts").spec
    short = spec.entry_short.conditions
    assert (short[0].kind, short[0].right) == ("crosses_below", "lowest_20[1]")
    assert short[1] == spec.entry_long.conditions[1] and short[2] == spec.entry_long.conditions[2]
    assert (spec.exit_short.op, spec.exit_short.right) == (">", "bbands_20_2.upper")
    band = parse_text("buy when close > SMA(20) + 2 x ATR(14) + 0.001, vice versa").spec.entry_short
    assert [(t.operand, t.times) for t in band.right.terms] == [("sma_20", 1.0), ("atr_14", -2.0)]
    assert band.right.plus == -0.001 and band.op == "<"


@pytest.mark.parametrize(("text", "reason"), [
    ("buy when the close is above 1.2, and vice versa", "has no opposite for shorts"),
    ("buy when RSI < 30, short when RSI > 70, and vice versa", "states both long and short rules"),
    ("buy when RSI < 30 and then RSI crosses above 30 and then MACD crosses above its signal", "needs a window"),
    ("buy when close > 3 x 2", "arithmetic needs a price or an indicator"),
    ("buy when volume > 0 * SMA(volume, 20)", "multiplied by 0"),
    ("buy when RSI(volume, 14) < 30", "only moving averages take a price field"),
])
def test_what_cannot_be_read_is_refused_with_its_reason(text, reason):
    with pytest.raises(ParseError, match=reason):
        parse_text(text)


def test_vice_versa_after_short_rules_makes_the_long_rules():
    spec = parse_text("short when RSI > 70, cover when RSI < 50, vice versa").spec
    assert (spec.entry_long.op, spec.entry_long.right, spec.exit_long.op, spec.exit_long.right) == ("<", 30, ">", 50)


def test_mirror_condition_names_what_has_no_mirror():
    with pytest.raises(MirrorError, match="1.1"):
        mirror_condition({"kind": "compare", "left": "close", "op": ">", "right": 1.1}, {})


@pytest.mark.parametrize("lang", ["en", "zh-tw", "zh-cn"])
@pytest.mark.parametrize("text", [
    "buy when (RSI < 30 and the close is below SMA(20)) and then the close crosses above SMA(20) within 4 bars",
    "buy when RSI < 30 and (the close is below SMA(20) and then the close crosses above SMA(20) within 4 bars)",
    "buy when RSI < 30 and then the close crosses above SMA(20) within 4 bars and ADX > 25",
])
def test_brackets_group_the_steps_of_a_sequence_and_explanations_keep_them(text, lang):
    spec = parse_text(text).spec
    assert parse_text(explain_spec(spec, lang)).spec == spec


def test_brackets_choose_what_the_first_step_is():
    together = parse_text("buy when (RSI < 30 and close < SMA(20)) and then close crosses above SMA(20) within 4 bars")
    apart = parse_text("buy when RSI < 30 and (close < SMA(20) and then close crosses above SMA(20) within 4 bars)")
    assert together.spec.entry_long.kind == "sequence" and together.spec.entry_long.first.kind == "all"
    assert apart.spec.entry_long.kind == "all" and apart.spec.entry_long.conditions[1].kind == "sequence"


def test_and_before_then_without_brackets_is_refused_with_both_readings():
    with pytest.raises(ParseError, match="which conditions are the first step") as info:
        parse_text("buy when RSI < 30 and the close is below SMA(20) and then the close crosses above SMA(20) "
                   "within 4 bars")
    assert len(info.value.readings) == 2
