"""Property tests of the MAS parameter parsers."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mas import params as p
from mas.sim.account import volume_error
from mas.sim.symbols import BUILTIN_SYMBOLS

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
