"""The text parser: the corpus, refusals that quote the text, ambiguity, and fuzzing."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mas.strategy.parse import AmbiguityError, ParseError, parse_text
from mas.strategy.parse.layout import _META
from mas.strategy.parse.lexer import LEXICON, detect_language
from mas.strategy.spec import StrategySpec, spec_from_dict

from .corpus import CORPUS, GROUPS

EXAMPLE = "buy when RSI(14) < 30 and MACD crosses above its signal, sell when RSI > 70, stop loss 30 pips"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_corpus_is_large_and_bilingual():
    assert len(CORPUS) >= 180
    languages = {detect_language(text) for text, _ in CORPUS}
    assert languages == {"en", "zh-tw", "zh-cn"}


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=[f"{i}" for i in range(len(CORPUS))])
def test_corpus_text_parses_to_its_spec(text, expected):
    assert parse_text(text).spec == spec_from_dict(expected)


def test_the_example_and_its_chinese_equivalents_are_one_spec():
    english = parse_text(EXAMPLE).spec
    for text in GROUPS[0][1]:
        assert parse_text(text).spec == english


@pytest.mark.parametrize(("text", "lang", "needle"), [
    (EXAMPLE, "en", "Stop loss: 30 pips."),
    ("RSI(14)低於30時買進，RSI高於70時賣出", "zh-tw", "時買進做多"),
    ("RSI(14)低于30时买入，RSI高于70时卖出", "zh-cn", "时买入做多"),
])
def test_the_explanation_is_in_the_texts_language(text, lang, needle):
    parsed = parse_text(text)
    assert parsed.lang == lang and needle in parsed.explanation


@pytest.mark.parametrize(("text", "fragment"), [
    ("buy when RSI(14) < 30 and the moon is full", "moon"),
    ("buy when RSI < 30, sell when RSI > 70, stop loss 30 pips, please hedge it", "hedge"),
    ("RSI低於30時買進，貓叫時賣出", "貓叫"),
    ("buy when RSI < 30 $$$", "$$$"),
])
def test_unknown_words_are_refused_with_the_quoted_fragment(text, fragment):
    with pytest.raises(ParseError) as caught:
        parse_text(text)
    assert caught.value.fragment == fragment and f'"{fragment}"' in str(caught.value)


@pytest.mark.parametrize(("text", "quoted"), [
    ("buy", "buy"),                                   # no condition: never a default strategy
    ("RSI < 30", "RSI < 30"),                          # a condition with no action
    ("buy when SMA crosses above SMA(20)", "SMA"),    # a moving average without a period
    ("buy when MACD crosses above", "crosses above"),  # crosses what?
    ("buy when RSI < 30, exit after 5 hours", "5"),
])
def test_incomplete_text_is_refused_quoting_where(text, quoted):
    with pytest.raises(ParseError) as caught:
        parse_text(text)
    assert quoted in caught.value.fragment


@pytest.mark.parametrize("text", ["", "   ", "hello", "你好", "30", "stop loss 30 pips"])
def test_text_without_a_strategy_never_falls_back_to_a_default(text):
    with pytest.raises(ParseError):
        parse_text(text)


@pytest.mark.parametrize(("text", "readings"), [
    ("buy when RSI < 30 and MACD > 0 or close > SMA(50)", 2),
    ("sell when RSI > 70", 2),
    ("buy when RSI < 30, stop loss 30", 3),
    ("buy when price touches SMA(20)", 2),
])
def test_ambiguity_lists_the_readings(text, readings):
    with pytest.raises(AmbiguityError) as caught:
        parse_text(text)
    assert len(caught.value.readings) == readings
    assert all(reading in str(caught.value) for reading in caught.value.readings)


def test_timeframes_symbols_and_filters():
    spec = parse_text("EURUSD 15-minute chart: buy when RSI < 30 between 08:00 and 17:00 except friday, "
                      "sell when RSI > 70").spec
    assert (spec.symbol, spec.timeframe) == ("EURUSD", "M15")
    assert [(s.start, s.end) for s in spec.filters.sessions] == [("08:00", "17:00")]
    assert spec.filters.weekdays == ["mon", "tue", "wed", "thu", "sat", "sun"]
    assert parse_text("日線 歐元兌美元 RSI低於30時買進").spec.timeframe == "D1"
    assert parse_text("gold hourly: buy when RSI < 30").spec.symbol == "XAUUSD"


# ------------------------------------------------------------------------------------ properties

NUMBERS = st.one_of(st.integers(1, 500).map(float), st.decimals("0.1", "99.9", places=1).map(float))
UNITS = {"pips": ("pips", "點"), "points": ("points", None), "percent": ("%", "%")}


@FUZZ
@given(low=st.integers(1, 49), high=st.integers(51, 99), distance=NUMBERS, unit=st.sampled_from(list(UNITS)),
       chinese=st.booleans())
def test_numbers_pips_and_percentages_round_trip(low, high, distance, unit, chinese):
    english_unit, chinese_unit = UNITS[unit]
    assume(not (chinese and chinese_unit is None))
    assume(unit != "percent" or distance < 100)
    n = f"{distance:g}"
    if chinese:
        text = f"RSI(14)低於{low}時買進，RSI高於{high}時賣出，停損{n}{chinese_unit}"
    else:
        text = f"buy when RSI(14) < {low}, sell when RSI(14) > {high}, stop loss {n} {english_unit}"
    spec = parse_text(text).spec
    assert spec.entry_long.right == low and spec.exit_long.right == high
    assert (spec.risk.stop_loss.unit, spec.risk.stop_loss.value) == (unit, distance)


WORDS = ["buy", "sell", "short", "cover", "when", "and", "or", "rsi", "macd", "sma", "(", ")", "14", "30", "<", ">",
         "crosses", "above", "below", "golden", "cross", "stop", "loss", "pips", "%", ",", "買進", "賣出", "低於",
         "高於", "黃金交叉", "停損", "點", "均線", "20日", "上軌", "下軌", "超賣", "超買", "時", "且", "bars", "for",
         "not"]


@FUZZ
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)))
def test_random_text_gives_a_valid_spec_or_a_clean_error(text):
    try:
        parsed = parse_text(text)
    except ParseError as exc:
        assert str(exc)
        return
    assert isinstance(parsed.spec, StrategySpec)
    assert spec_from_dict(parsed.spec.model_dump()) == parsed.spec


@FUZZ
@given(word=st.text(string.ascii_lowercase, min_size=5, max_size=9), at=st.integers(0, 3))
def test_an_unknown_word_is_always_refused_and_quoted(word, at):
    assume(word not in LEXICON and not any(word.startswith(p) and word[len(p):].isdigit() for p in LEXICON))
    assume(word not in _META)  # words about the code ("implement") are dropped and listed as not used
    parts = ["buy when RSI(14) < 30,", "sell when RSI(14) > 70,", "stop loss 30 pips", ""]
    parts.insert(at, word)
    with pytest.raises(ParseError) as caught:
        parse_text(" ".join(parts))
    assert caught.value.fragment == word
