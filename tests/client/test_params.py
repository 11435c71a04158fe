"""Property tests of the MAS parameter parsers."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mas import params as p
from mas.sim.account import volume_error
from mas.sim.symbols import BUILTIN_SYMBOLS
from mas.terminal import constants as c

moments = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0))


@given(moments)
def test_date_strings_round_trip(moment):
    assert p.parse_time(moment.strftime("%Y-%m-%d %H:%M:%S"), "from") == moment
    assert p.parse_time(moment, "from") == moment
    day = moment.replace(hour=0, minute=0, second=0)
    assert p.parse_time(moment.strftime("%Y-%m-%d"), "from") == day
    assert p.parse_time(moment.strftime("%Y-%m-%d"), "to", end_of_day=True) == day + timedelta(days=1, seconds=-1)
    assert p.parse_time(moment.date(), "to", end_of_day=True) == day + timedelta(days=1, seconds=-1)


@given(st.text(max_size=20).filter(lambda s: not any(ch.isdigit() for ch in s)))
def test_non_dates_are_refused_naming_the_field(text):
    with pytest.raises(ValueError, match="^from: "):
        p.parse_time(text, "from")


@given(st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8) | st.none() | st.booleans())
def test_number_accepts_only_finite_numbers(raw):
    try:
        value = p.number({"volume": raw}, "volume")
    except ValueError as exc:
        assert str(exc).startswith("volume:")
        return
    assert math.isfinite(value) and not isinstance(raw, bool)
    assert value == float(raw)


@given(st.sampled_from(sorted(BUILTIN_SYMBOLS)), st.integers(1, 10_000))
def test_volume_steps(symbol, steps):
    spec = BUILTIN_SYMBOLS[symbol]
    volume = round(steps * spec.volume_step, 8)
    error = volume_error(spec, volume)
    assert (error is None) == (spec.volume_min <= volume <= spec.volume_max)
    assert volume_error(spec, volume + spec.volume_step / 3) is not None


@given(st.sampled_from(["buy", "SELL", " buy_limit ", "sell_stop_limit"]))
def test_order_type_names_are_case_and_space_insensitive(name):
    assert p.order_type({"order_type": name}) in range(8)


ORDER_PARAMS = [
    {"symbol": "eurusd", "order_type": "buy", "volume": 0.1},
    {"symbol": "EURUSD", "order_type": "sell", "volume": "0.2", "order_id": "17", "sl": 1.2, "tp": 1.0, "comment": "x"},
    {"symbol": "EURUSD", "order_type": "buy_limit", "volume": 1, "price": 1.1, "expiration": "2017-01-05"},
    {"symbol": "EURUSD", "order_type": "sell_stop_limit", "volume": 1, "price": 1.1, "stoplimit": 1.2, "type_time": 2},
    {"symbol": "EURUSD", "order_type": "buy", "volume": 1, "position": "5", "position_by": "6"},
    {"symbol": "EURUSD", "order_type": "BUY", "volume": 1, "magic": 7, "deviation": 3, "type_filling": 1},
    {"symbol": "EURUSD", "order_type": "sell", "volume": 1, "order_id": ""},
]


@pytest.mark.parametrize("params", ORDER_PARAMS)
def test_the_trade_request_and_the_request_dict_agree(params):
    """The simulated terminal gets ``order_trade_request`` (no dict); a live terminal gets ``order_request``'s
    dict, which holds exactly the fields the order sets. Both say the same, value for value and type for type."""
    from mas.terminal.types import trade_request

    position_of = lambda ticket, _params: ticket + 1000  # noqa: E731
    direct = p.order_trade_request(params, position_of)
    via_dict = trade_request(p.order_request(params, position_of))
    assert direct == via_dict
    assert [type(v) for v in direct] == [type(v) for v in via_dict]
    sent = p.order_request(params, position_of)
    assert set(sent) >= {"symbol", "type", "volume", "sl", "tp", "deviation", "magic", "comment", "type_time",
                         "type_filling", "action"}
    assert all(sent[k] for k in ("position", "position_by", "price", "stoplimit", "expiration") if k in sent)


# ------------------------------------------------------------------ misspelt field names (check_keys)
SEND = p.KNOWN_FIELDS["send_order"]
ALL_NAMES = {p.normalised_key(f) for fields in p.KNOWN_FIELDS.values() for f in fields} | set(p.ALIASES)


def _refusal(params, call="send_order"):
    try:
        p.check_keys(params, call)
    except ValueError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize(("key", "field"), [
    ("stoploss", "sl"), ("stop_loss", "sl"), ("Stop-Loss", "sl"), ("SL", "sl"), ("takeprofit", "tp"),
    ("take_profit", "tp"), ("TakeProfit", "tp"), ("vol", "volume"), ("lots", "volume"), ("Volume", "volume"),
    ("symbo", "symbol"), ("ordertype", "order_type"), ("orderType", "order_type"), ("type", "order_type"),
    ("position_id", "position"), ("ticket", "position"), ("comments", "comment"), ("magic_number", "magic"),
    ("expiry", "expiration"), ("slippage", "deviation"), ("sl_pips", "sl"), ("stop_los", "sl"),
])
def test_a_misspelt_order_field_is_refused_with_the_field_it_means(key, field):
    message = _refusal({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, key: 1.0})
    assert message is not None and message.startswith(f"{key}: unknown send_order field; did you mean {field!r}?")


def test_the_refusal_happens_in_the_request_builder_before_any_value_is_read():
    with pytest.raises(ValueError, match=r"^stoploss: unknown send_order field; did you mean 'sl'\?"):
        p.order_trade_request({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "stoploss": 1.0},
                              lambda ticket, _params: ticket)
    with pytest.raises(ValueError, match=r"^sl_pips: .*did you mean 'sl'\? \(sl and tp are prices, not distances\)"):
        p.order_request({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "sl_pips": 20},
                        lambda ticket, _params: ticket)


@pytest.mark.parametrize(("call", "key", "field"), [
    ("subscribe_bars", "timefrme", "timeframe"), ("subscribe_bars", "captial", "capital"),
    ("subscribe_bars", "form", "from"), ("subscribe_bars", "start_date", "from"), ("subscribe_bars", "end", "to"),
    ("subscribe_bars", "backtest", "backtest_toggle"), ("subscribe_bars", "initial_capital", "capital"),
    ("subscribe_ticks", "flag", "flags"), ("modify_order", "order", "order_id"), ("modify_order", "stoploss", "sl"),
    ("cancel_order", "orderId", "order_id"), ("cancel_order", "ticket", "order_id"),
    ("modify_position_sltp", "position", "position_id"), ("modify_position_sltp", "takeprofit", "tp"),
])
def test_every_order_and_subscription_call_refuses_misspelt_fields(call, key, field):
    message = _refusal({key: 1}, call)
    assert message is not None and message.startswith(f"{key}: unknown {call} field; did you mean {field!r}?")


@pytest.mark.parametrize("key", ["magic", "comment", "tag", "note", "strategy", "id", "name", "user_data", "reason",
                                 "signal", "risk", "label", "group", "source", "time", "date", "my_sl", 7, ("a",)])
def test_short_unrelated_keys_stay_allowed(key):
    for call in ("subscribe_bars", "subscribe_ticks", "modify_order", "cancel_order", "modify_position_sltp"):
        assert _refusal({key: 1}, call) is None, (call, key)
    if key not in ("magic", "comment"):  # known to send_order
        assert _refusal({key: 1}) is None


def test_the_originals_captital_and_the_documented_keys_are_never_refused():
    for call, fields in p.KNOWN_FIELDS.items():
        assert _refusal(dict.fromkeys(fields, 1), call) is None
    assert "captital" in p.KNOWN_FIELDS["subscribe_bars"] and "captital" in p.KNOWN_FIELDS["subscribe_ticks"]


@given(st.sampled_from(sorted(p.KNOWN_FIELDS)), st.data())
def test_known_keys_are_never_refused(call, data):
    keys = data.draw(st.lists(st.sampled_from(sorted(p.KNOWN_FIELDS[call])), unique=True))
    assert _refusal(dict.fromkeys(keys, 0), call) is None


def _far(key: str) -> bool:
    """Independent of the module's rule: at most 0.7 similar to every known name and alias."""
    from difflib import SequenceMatcher

    n = p.normalised_key(key)
    return all(SequenceMatcher(None, n, name).ratio() <= 0.7 and sorted(n) != sorted(name) for name in ALL_NAMES)


@given(st.sampled_from(sorted(p.KNOWN_FIELDS)), st.text(min_size=1, max_size=24).filter(_far))
def test_keys_far_from_every_field_are_never_refused(call, key):
    assert _refusal({key: 1.0}, call) is None


def _case_and_separators(draw, word: str) -> str:
    """``word`` with random case and separators ('_', '-', ' ') inserted between letters."""
    out = []
    for i, ch in enumerate(word):
        if i and draw(st.booleans()):
            out.append(draw(st.sampled_from("_- ")))
        out.append(ch.upper() if draw(st.booleans()) else ch)
    return "".join(out)


@st.composite
def near_misses(draw):
    """(key, field): a spelling of sl / tp / volume a trader may type, or one typo away from volume."""
    field = draw(st.sampled_from(["sl", "tp", "volume"]))
    spellings = {"sl": ["sl", "stoploss", "stop", "slprice"], "tp": ["tp", "takeprofit", "target", "tpprice"],
                 "volume": ["volume", "lots", "lot", "qty", "quantity", "vol"]}[field]
    word = draw(st.sampled_from(spellings))
    letters = "abcdefghijklmnopqrstuvwxyz"
    edit = draw(st.sampled_from(["none", "insert", "delete", "replace", "swap"] if field == "volume" else
                                ["none", "insert"]))
    if edit in ("delete", "replace", "swap"):
        word = "volume"  # a typo in the field itself; the short aliases ('lot', 'vol') only get a letter added
    i = draw(st.integers(0, len(word) - 1))
    if edit == "insert":
        word = word[:i] + draw(st.sampled_from(letters)) + word[i:]
    elif edit == "delete":
        word = word[:i] + word[i + 1:]
    elif edit == "replace":
        word = word[:i] + draw(st.sampled_from(letters.replace(word[i], ""))) + word[i + 1:]
    elif edit == "swap" and i + 1 < len(word):
        word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    key = _case_and_separators(draw, word)
    return key, field


@given(near_misses())
def test_generated_near_misses_of_sl_tp_and_volume_are_refused(case):
    key, field = case
    if key in SEND:  # the edit gave back a real field
        return
    message = _refusal({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, key: 1.0} if key != "volume" else {})
    assert message is not None and message.startswith(f"{key}: unknown send_order field; did you mean ")
    if p.normalised_key(key) in ({"sl", "tp", "volume"} | {a for a, f in p.ALIASES.items() if f == (field,)}):
        assert f"did you mean {field!r}?" in message


# ------------------------------------------------------------------ loose values: one rule for every numeric field
NUMERIC_FIELDS = ["volume", "price", "sl", "tp", "stoplimit", "deviation", "magic", "type_time", "type_filling"]


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, places=6), st.sampled_from(["", " ", "\t"]))
def test_exact_decimal_strings_are_read_as_the_number_they_write(value, pad):
    text = f"{pad}{value}{pad}"
    assert p.number({"x": text}, "x") == float(value)
    assert p.number({"x": value}, "x") == float(value)


@pytest.mark.parametrize("raw", ["0,1", "1_000", "0.1 lots", "nan", "inf", "-Infinity", "", " ", "1e", "0x10", "١",
                                 "1.2.3", b"0.1", True, np.bool_(False), np.array([0.1]), [0.1], 1 + 0j, float("nan"),
                                 Decimal("NaN"), 10**400])
def test_ambiguous_or_non_numbers_are_refused_by_every_numeric_field(raw):
    for field in NUMERIC_FIELDS:
        with pytest.raises(ValueError, match=f"^{field}: "):
            p.number({field: raw}, field)
        if not (type(raw) is int and raw == 10**400):  # a whole number: exact as an int
            with pytest.raises(ValueError, match=f"^{field}: "):
                p.whole({field: raw}, field, 0)


@pytest.mark.parametrize(("raw", "value"), [
    (np.float64(0.25), 0.25), (np.float32(0.5), 0.5), (np.int64(3), 3.0), (Decimal("0.1"), 0.1),
    (Fraction(1, 4), 0.25), ("+2", 2.0), (" 1.5e-3 ", 0.0015), (".5", 0.5), ("5.", 5.0),
])
def test_real_numbers_of_any_type_and_exact_strings_are_accepted(raw, value):
    for field in NUMERIC_FIELDS:
        assert p.number({field: raw}, field) == value


@given(st.integers(0, 2**62), st.sampled_from([int, str, np.int64, float]))
def test_whole_numbers_and_ids_are_exact_in_any_accepted_form(value, kind):
    if kind is float and value > 2**53:
        return
    raw = kind(value)
    assert p.whole({"magic": raw}, "magic", 0) == value
    if value > 0:
        assert p.ticket({"order_id": raw}, "order_id") == value


@pytest.mark.parametrize("raw", [10.5, "10.5", "ten", True, None, "17abc", -3, "0"])
def test_non_whole_or_non_positive_ids_are_refused(raw):
    with pytest.raises(ValueError, match="^order_id: "):
        p.ticket({"order_id": raw}, "order_id")


def test_whole_fields_accept_integral_floats_and_refuse_fractions():
    assert p.whole({"deviation": 10.0}, "deviation", 0) == 10
    assert p.whole({"deviation": "10.0"}, "deviation", 0) == 10
    with pytest.raises(ValueError, match="^deviation: expected a whole number"):
        p.whole({"deviation": 10.5}, "deviation", 0)
    with pytest.raises(ValueError, match="^deviation: must be at least 0"):
        p.whole({"deviation": "-1"}, "deviation", 0, minimum=0)


@pytest.mark.parametrize("raw", ["BUY", " buy ", "Buy", "\tsell_limit\n", np.str_("sell")])
def test_order_type_is_trimmed_and_case_insensitive(raw):
    assert p.order_type({"order_type": raw}) == c.ORDER_TYPE_BY_NAME[str(raw).strip().lower()]


@pytest.mark.parametrize("raw", [0, 1, "buy-limit", "purchase", None, b"buy"])
def test_order_type_must_be_one_of_the_names(raw):
    with pytest.raises(ValueError, match="^order_type: "):
        p.order_type({"order_type": raw})
