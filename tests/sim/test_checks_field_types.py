"""The checks read a request's codes (action, type, filling, position ...) as ints when they are ints, the request
``mas.params`` builds; a request from ``order_send``'s dict may carry them as other numbers (a float, a numpy
integer, a bool) or as anything at all. Each must be checked exactly as the same request with plain ints and floats:
the same verdict, return code and comment; and a whole ``order_send`` of such a request (market or pending) fills
or places the same order as the plain one, in the compiled build too (which once refused a numpy or float order
type with a TypeError)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mas.sim.account import AccountSettings
from mas.sim.checks import Rejection, check_free_margin, check_request
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c
from mas.terminal.types import trade_request

from .conftest import open_position, sample_book, sample_market
from .test_checks import ACCEPTED, CARELESS, DEAL, book_state

CODES = ("action", "type", "type_filling", "type_time", "order", "position", "position_by")
AMOUNTS = ("volume", "price", "sl", "tp", "stoplimit")


def as_other_numbers(fields: dict, code: Any, amount: Any) -> dict:
    """``fields`` with every int code as ``code(value)`` and every float amount as ``amount(value)``."""
    out = dict(fields)
    for name in CODES:
        if type(out.get(name)) is int:
            out[name] = code(out[name])
    for name in AMOUNTS:
        if type(out.get(name)) is float:
            out[name] = amount(out[name])
    return out


def verdict(book, fields: dict) -> tuple:
    """(retcode, comment key) of the refusal of ``fields``, or ("accepted",) and what the book then takes."""
    req = trade_request(fields)
    before = book_state(book)
    try:
        spec = check_request(book, req)
        if req.action == DEAL:
            check_free_margin(book, spec, req)
    except Rejection as refused:
        assert book_state(book) == before
        return refused.retcode, refused.message.key
    assert book_state(book) == before
    return ("accepted",)


OTHER_NUMBERS = [
    ("floats", float, float),
    ("numpy numbers", np.int64, np.float64),
    ("numpy int32 and plain ints for whole amounts", np.int32, lambda v: int(v) if v == int(v) else v),
]
SOUND = [  # requests the checks pass (with the refusals of CARELESS, every branch of the checks)
    ("a buy", "hedging", lambda b: {"action": DEAL, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_BUY}),
    ("a sell with stops", "netting",
     lambda b: {"action": DEAL, "symbol": "EURUSD", "volume": 0.2, "type": c.ORDER_TYPE_SELL, "sl": 1.2, "tp": 0.9}),
    ("a close", "hedging", lambda b: {"action": DEAL, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_SELL,
                                      "position": open_position(b, True)}),
]
CASES = [case[:3] for case in CARELESS] + SOUND


@pytest.mark.parametrize(("numbers", "code", "amount"), OTHER_NUMBERS, ids=[n[0] for n in OTHER_NUMBERS])
@pytest.mark.parametrize(("name", "mode", "make"), CASES, ids=[case[0] for case in CASES])
def test_other_numbers_get_the_verdict_of_ints_and_floats(numbers, code, amount, name, mode, make):
    plain_book, other_book = sample_book(mode), sample_book(mode)
    plain = make(plain_book)
    other = as_other_numbers(make(other_book), code, amount)
    assert verdict(other_book, other) == verdict(plain_book, plain)


@pytest.mark.parametrize("action", [True, 1.0, np.int8(1), np.float32(1.0)])
def test_a_deal_action_that_equals_one_is_a_deal(action):
    book = sample_book()
    fields = {"action": action, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_SELL}
    assert verdict(book, fields) == ("accepted",)
    assert verdict(book, {**fields, "type_filling": c.ORDER_FILLING_BOC}) == (c.TRADE_RETCODE_INVALID_FILL,
                                                                            "boc_limit_only")


@pytest.mark.parametrize("value", ["1", None, 1.5, -1, b"\x01", object()])
@pytest.mark.parametrize("field", ["action", "type", "type_filling"])
def test_a_code_that_is_no_number_or_no_known_code_is_refused_as_before(field, value):
    """What such a field is refused with (the same as with plain ints that name no code)."""
    book = sample_book()
    fields = {"action": DEAL, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_BUY, field: value}
    expected = {"action": (c.TRADE_RETCODE_INVALID, "unknown_action"),
                "type": (c.TRADE_RETCODE_INVALID, "not_market_type"),
                "type_filling": (c.TRADE_RETCODE_INVALID_FILL, "bad_filling")}[field]
    assert verdict(book, fields) == expected
    assert verdict(book, {**fields, field: 99}) == expected


@pytest.mark.parametrize("action", [DEAL, 1.0, np.int64(1), True])
def test_order_send_takes_a_market_order_whose_action_equals_a_deal(action):
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    terminal = SimulatedTerminal(AccountSettings(), specs, sample_market())
    terminal.begin_replay()
    result = terminal.order_send({"action": action, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_BUY})
    assert result.retcode in ACCEPTED and result.order in terminal.orders
    assert terminal.orders[result.order].is_market


def _placed(kind: Any, fields: dict) -> tuple:
    """What ``order_send`` of ``fields`` with the order type ``kind`` leaves: its return code and the order placed."""
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    terminal = SimulatedTerminal(AccountSettings(), specs, sample_market())
    terminal.begin_replay()
    result = terminal.order_send({**fields, "type": kind})
    order = terminal.orders.get(result.order)
    return result.retcode, None if order is None else (type(order.type), order.type, order.is_market, order.price_open)


@pytest.mark.parametrize("number", [np.int64, np.int32, float])
@pytest.mark.parametrize("kind", [c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL, c.ORDER_TYPE_BUY_LIMIT, c.ORDER_TYPE_SELL_STOP])
def test_order_send_places_the_order_of_a_type_given_as_another_number(kind, number):
    market = sample_market()
    bid = market.quotes["EURUSD"].bid
    fields = {"action": DEAL, "symbol": "EURUSD", "volume": 0.1}
    if kind in (c.ORDER_TYPE_BUY_LIMIT, c.ORDER_TYPE_SELL_STOP):  # 30 pips below the market: on both orders' side
        fields = {**fields, "action": c.TRADE_ACTION_PENDING, "price": round(bid - 0.003, 5)}
    plain = _placed(kind, fields)
    assert plain[0] in ACCEPTED and plain[1] is not None and plain[1][0] is int
    assert _placed(number(kind), fields) == plain
