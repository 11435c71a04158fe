"""The request checks as a unit: every return code a careless request gets, which check refused it,
that the terminal's ``order_send`` answers the same, and that no check touches the book."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.sim.account import AccountSettings
from mas.sim.book import AccountBook
from mas.sim.checks import Rejection, check_free_margin, check_request, check_stops
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c
from mas.terminal.types import trade_request

from .conftest import open_position, sample_book, sample_market

DEAL, PENDING, SLTP, MODIFY, REMOVE, CLOSE_BY = (c.TRADE_ACTION_DEAL, c.TRADE_ACTION_PENDING, c.TRADE_ACTION_SLTP,
                                                  c.TRADE_ACTION_MODIFY, c.TRADE_ACTION_REMOVE,
                                                  c.TRADE_ACTION_CLOSE_BY)
PIP = 0.0001


def bid(book: AccountBook) -> float:
    return book.market.quotes["EURUSD"].bid


def ask(book: AccountBook) -> float:
    return book.market.ask("EURUSD")


def pending(book: AccountBook, order_type: int = c.ORDER_TYPE_BUY_LIMIT) -> int:
    """A pending order 20 pips away on its side of the market; its ticket."""
    below = order_type in (c.ORDER_TYPE_BUY_LIMIT, c.ORDER_TYPE_SELL_STOP)
    price = round((bid(book) - 20 * PIP) if below else (ask(book) + 20 * PIP), 5)
    return book.place_pending(trade_request({"action": PENDING, "symbol": "EURUSD", "volume": 0.1,
                                             "type": order_type, "price": price})).ticket


def waiting_market(book: AccountBook) -> int:
    """A market order accepted but not filled yet (it waits for the next open); its ticket."""
    return book.queue_market(trade_request({"action": DEAL, "symbol": "EURUSD", "volume": 0.1,
                                            "type": c.ORDER_TYPE_BUY})).ticket


def buy(**fields: Any) -> dict:
    return {"action": DEAL, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_BUY, **fields}


Case = tuple[str, str, Callable[[AccountBook], dict], int, str]
"""(name, margin mode, request built on the book (after any set-up it does), retcode, comment key)"""

CARELESS: list[Case] = [
    ("modify an unknown order", "hedging", lambda b: {"action": MODIFY, "order": 999, "price": 1.0},
     c.TRADE_RETCODE_INVALID_ORDER, "not_pending"),
    ("remove a market order", "hedging", lambda b: {"action": REMOVE, "order": waiting_market(b)},
     c.TRADE_RETCODE_INVALID_ORDER, "not_pending"),
    ("modify without a price", "hedging", lambda b: {"action": MODIFY, "order": pending(b)},
     c.TRADE_RETCODE_INVALID_PRICE, "modify_needs_price"),
    ("modify a buy limit above the ask", "hedging",
     lambda b: {"action": MODIFY, "order": pending(b), "price": round(ask(b) + 10 * PIP, 5)},
     c.TRADE_RETCODE_INVALID_PRICE, "wrong_side"),
    ("modify a buy limit with its SL above its price", "hedging",
     lambda b: {"action": MODIFY, "order": pending(b), "price": round(bid(b) - 30 * PIP, 5),
                "sl": round(bid(b) - 10 * PIP, 5)},
     c.TRADE_RETCODE_INVALID_STOPS, "stops_buy"),
    ("stops of a position that is not open", "hedging", lambda b: {"action": SLTP, "position": 999, "sl": 1.0},
     c.TRADE_RETCODE_POSITION_CLOSED, "position_not_open"),
    ("a long's SL above the bid", "hedging",
     lambda b: {"action": SLTP, "position": open_position(b, True), "sl": round(bid(b) + 10 * PIP, 5)},
     c.TRADE_RETCODE_INVALID_STOPS, "stops_buy"),
    ("a short's TP above the ask", "hedging",
     lambda b: {"action": SLTP, "position": open_position(b, False), "tp": round(ask(b) + 10 * PIP, 5)},
     c.TRADE_RETCODE_INVALID_STOPS, "stops_sell"),
    ("a negative SL", "hedging", lambda b: {"action": SLTP, "position": open_position(b, True), "sl": -1.0},
     c.TRADE_RETCODE_INVALID_STOPS, "stops_negative"),
    ("close-by on a netting account", "netting",
     lambda b: {"action": CLOSE_BY, "position": open_position(b, True), "position_by": 999},
     c.TRADE_RETCODE_INVALID, "close_by_hedging"),
    ("close-by with a position that is not open", "hedging",
     lambda b: {"action": CLOSE_BY, "position": open_position(b, True), "position_by": 999},
     c.TRADE_RETCODE_POSITION_CLOSED, "close_by_open"),
    ("close-by of two longs", "hedging",
     lambda b: {"action": CLOSE_BY, "position": open_position(b, True), "position_by": open_position(b, True)},
     c.TRADE_RETCODE_INVALID, "close_by_opposite"),
    ("a built-in symbol that is not replayed", "hedging", lambda b: buy(symbol="GBPUSD"),
     c.TRADE_RETCODE_INVALID, "symbol_not_replayed"),
    ("a symbol nobody knows", "hedging", lambda b: buy(symbol="NOPE"),
     c.TRADE_RETCODE_INVALID, "symbol_not_replayed"),
    ("no volume", "hedging", lambda b: buy(volume=0.0), c.TRADE_RETCODE_INVALID_VOLUME, "volume_not_positive"),
    ("a volume off the step", "hedging", lambda b: buy(volume=0.015), c.TRADE_RETCODE_INVALID_VOLUME,
     "volume_step"),
    ("a volume above the maximum", "hedging", lambda b: buy(volume=1000.0), c.TRADE_RETCODE_INVALID_VOLUME,
     "volume_above_max"),
    ("an unknown filling", "hedging", lambda b: buy(type_filling=7), c.TRADE_RETCODE_INVALID_FILL, "bad_filling"),
    ("book-or-cancel on a market order", "hedging", lambda b: buy(type_filling=c.ORDER_FILLING_BOC),
     c.TRADE_RETCODE_INVALID_FILL, "boc_limit_only"),
    ("a deal with a pending type", "hedging", lambda b: buy(type=c.ORDER_TYPE_BUY_LIMIT),
     c.TRADE_RETCODE_INVALID, "not_market_type"),
    ("closing a position that is not open", "hedging", lambda b: buy(type=c.ORDER_TYPE_SELL, position=999),
     c.TRADE_RETCODE_POSITION_CLOSED, "position_not_open"),
    ("closing a long with a buy", "hedging", lambda b: buy(position=open_position(b, True)),
     c.TRADE_RETCODE_INVALID, "close_needs_opposite"),
    ("closing more than the position", "hedging",
     lambda b: buy(type=c.ORDER_TYPE_SELL, volume=0.5, position=open_position(b, True, 0.2)),
     c.TRADE_RETCODE_INVALID_CLOSE_VOLUME, "close_volume"),
    ("closing twice before the next open", "hedging",
     lambda b: _close_twice(b), c.TRADE_RETCODE_CLOSE_ORDER_EXIST, "close_waiting"),
    ("a buy with its SL above the ask", "hedging", lambda b: buy(sl=round(ask(b) + 10 * PIP, 5)),
     c.TRADE_RETCODE_INVALID_STOPS, "stops_buy"),
    ("a sell with its TP above the bid", "hedging",
     lambda b: buy(type=c.ORDER_TYPE_SELL, tp=round(bid(b) + 10 * PIP, 5)), c.TRADE_RETCODE_INVALID_STOPS,
     "stops_sell"),
    ("a pending order with a market type", "hedging", lambda b: buy(action=PENDING, price=1.0),
     c.TRADE_RETCODE_INVALID, "not_pending_type"),
    ("a pending order without a price", "hedging", lambda b: buy(action=PENDING, type=c.ORDER_TYPE_BUY_LIMIT),
     c.TRADE_RETCODE_INVALID_PRICE, "pending_needs_price"),
    ("a sell stop above the bid", "hedging",
     lambda b: buy(action=PENDING, type=c.ORDER_TYPE_SELL_STOP, price=round(bid(b) + 10 * PIP, 5)),
     c.TRADE_RETCODE_INVALID_PRICE, "wrong_side"),
    ("a buy stop-limit whose limit is above its stop", "hedging",
     lambda b: buy(action=PENDING, type=c.ORDER_TYPE_BUY_STOP_LIMIT, price=round(ask(b) + 10 * PIP, 5),
                   stoplimit=round(ask(b) + 20 * PIP, 5)),
     c.TRADE_RETCODE_INVALID_PRICE, "wrong_side"),
    ("a sell limit whose TP is above its price", "hedging",
     lambda b: buy(action=PENDING, type=c.ORDER_TYPE_SELL_LIMIT, price=round(ask(b) + 10 * PIP, 5),
                   tp=round(ask(b) + 20 * PIP, 5)),
     c.TRADE_RETCODE_INVALID_STOPS, "stops_sell"),
    ("an expiry in the past", "hedging",
     lambda b: buy(action=PENDING, type=c.ORDER_TYPE_BUY_LIMIT, price=round(bid(b) - 10 * PIP, 5),
                   type_time=c.ORDER_TIME_SPECIFIED, expiration=datetime(2017, 1, 1, tzinfo=timezone.utc)),
     c.TRADE_RETCODE_INVALID_EXPIRATION, "expiration_past"),
    ("an unknown expiry type", "hedging",
     lambda b: buy(action=PENDING, type=c.ORDER_TYPE_BUY_LIMIT, price=round(bid(b) - 10 * PIP, 5), type_time=9),
     c.TRADE_RETCODE_INVALID_EXPIRATION, "bad_type_time"),
    ("an unknown action", "hedging", lambda b: buy(action=99), c.TRADE_RETCODE_INVALID, "unknown_action"),
]


def _close_twice(book: AccountBook) -> dict:
    ticket = open_position(book, True)
    book.queue_market(trade_request(buy(type=c.ORDER_TYPE_SELL, position=ticket)))
    return buy(type=c.ORDER_TYPE_SELL, position=ticket)


def book_state(book: AccountBook) -> tuple:
    """What a check must not change: balance, orders, positions (with their stops), deals, history."""
    return (book.balance, book.book_version, len(book.deals), len(book.history_orders), dict(book.orders),
            {t: (p.volume, p.sl, p.tp, p.swap) for t, p in book.positions.items()},
            {t: (o.type, o.price_open, o.sl, o.tp) for t, o in book.orders.items()})


@pytest.mark.parametrize(("name", "mode", "make", "retcode", "key"), CARELESS, ids=[case[0] for case in CARELESS])
def test_a_careless_request_gets_its_return_code(name, mode, make, retcode, key):
    book = sample_book(mode)
    req = trade_request(make(book))
    before = book_state(book)
    with pytest.raises(Rejection) as refused:
        check_request(book, req)
    assert (refused.value.retcode, refused.value.message.key) == (retcode, key)
    assert str(refused.value) == refused.value.message  # the comment MT5's result carries
    assert book_state(book) == before


@pytest.mark.parametrize(("name", "mode", "make", "retcode", "key"), CARELESS, ids=[case[0] for case in CARELESS])
def test_order_send_answers_with_the_checks_return_code_and_books_nothing(name, mode, make, retcode, key):
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    terminal = SimulatedTerminal(AccountSettings(margin_mode=mode), specs, sample_market())
    terminal.begin_replay()
    request = make(terminal.book)
    before = book_state(terminal.book)
    result = terminal.order_send(request)
    assert result.retcode == retcode
    assert result.comment.key == key and result.order == 0
    assert terminal.last_error() == (c.RES_E_FAIL, result.comment)
    assert book_state(terminal.book) == before


def test_a_disabled_symbol_is_refused():
    book = sample_book(overrides={"EURUSD": {"trade_mode": c.SYMBOL_TRADE_MODE_DISABLED}})
    with pytest.raises(Rejection) as refused:
        check_request(book, trade_request(buy()))
    assert refused.value.retcode == c.TRADE_RETCODE_TRADE_DISABLED


def test_free_margin_is_checked_for_orders_that_open_and_not_for_orders_that_reduce():
    book = sample_book("netting", capital=1_000.0)
    spec = book.specs["EURUSD"]
    too_big = trade_request(buy(volume=5.0))  # about 5,000 USD of margin at 1:100
    check_request(book, too_big)  # the request itself is fine...
    with pytest.raises(Rejection) as refused:
        check_free_margin(book, spec, too_big)  # ...the account cannot carry it
    assert refused.value.retcode == c.TRADE_RETCODE_NO_MONEY and refused.value.message.key == "no_free_margin"
    open_position(book, True, 0.9)  # uses most of the free margin
    assert book.equity() - book.margin_used() < book.margin_for(spec, 0.5, ask(book))
    check_free_margin(book, spec, trade_request(buy(type=c.ORDER_TYPE_SELL, volume=0.5)))  # reduces the net long
    with pytest.raises(Rejection):
        check_free_margin(book, spec, trade_request(buy(volume=0.5)))  # adds to it


def test_order_send_refuses_before_the_replay_with_market_closed():
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    terminal = SimulatedTerminal(AccountSettings(), specs, sample_market())
    result = terminal.order_send(buy())
    assert result.retcode == c.TRADE_RETCODE_MARKET_CLOSED and not terminal.orders


prices = st.floats(min_value=0.5, max_value=2.0, allow_nan=False)
stops = st.one_of(st.just(0.0), st.floats(min_value=-0.1, max_value=2.5, allow_nan=False))


@given(is_buy=st.booleans(), price=prices, sl=stops, tp=stops)
def test_stops_pass_exactly_when_they_lie_on_their_sides(is_buy, price, sl, tp):
    below, above = (sl, tp) if is_buy else (tp, sl)  # a buy's SL below and TP above; a sell's the other way
    valid = sl >= 0 and tp >= 0 and (below == 0 or below < price) and (above == 0 or above > price)
    try:
        check_stops(is_buy, price, sl, tp)
    except Rejection as refused:
        assert not valid and refused.retcode == c.TRADE_RETCODE_INVALID_STOPS
    else:
        assert valid


ACCEPTED = {c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_DONE}
REFUSALS = {case[3] for case in CARELESS} | {c.TRADE_RETCODE_TRADE_DISABLED, c.TRADE_RETCODE_NO_MONEY}


@st.composite
def requests(draw) -> Callable[[AccountBook], dict]:
    """A request of any action with fields drawn near and far from sensible values; it is built on the
    book so that it can name the book's own orders and positions."""
    action = draw(st.sampled_from([DEAL, PENDING, SLTP, MODIFY, REMOVE, CLOSE_BY, 0, 42]))
    order_type = draw(st.integers(min_value=-1, max_value=9))
    volume = draw(st.sampled_from([0.0, -0.1, 0.01, 0.1, 0.015, 2.0, 150.0]))
    offsets = st.one_of(st.just(None), st.integers(min_value=-60, max_value=60))
    price_at, sl_at, tp_at, limit_at = (draw(offsets) for _ in range(4))
    filling = draw(st.integers(min_value=0, max_value=4))
    type_time = draw(st.integers(min_value=0, max_value=4))
    expiry = draw(st.sampled_from([0, 1_000_000_000, 2_000_000_000]))
    order_ref = draw(st.sampled_from(["none", "pending", "market", "unknown"]))
    position_ref = draw(st.sampled_from(["none", "long", "short", "unknown"]))
    by_ref = draw(st.sampled_from(["none", "long", "short", "unknown"]))
    symbol = draw(st.sampled_from(["EURUSD", "EURUSD", "EURUSD", "GBPUSD", ""]))

    def make(book: AccountBook) -> dict:
        mid = (bid(book) + ask(book)) / 2

        def level(offset: int | None) -> float:
            return 0.0 if offset is None else round(mid + offset * PIP, 5)

        refs = {"none": lambda: 0, "unknown": lambda: 999, "pending": lambda: pending(book),
                "market": lambda: waiting_market(book), "long": lambda: open_position(book, True),
                "short": lambda: open_position(book, False)}
        return {"action": action, "symbol": symbol, "type": order_type, "volume": volume, "price": level(price_at),
                "sl": level(sl_at), "tp": level(tp_at), "stoplimit": level(limit_at), "type_filling": filling,
                "type_time": type_time, "expiration": expiry, "order": refs[order_ref](),
                "position": refs[position_ref](), "position_by": refs[by_ref]()}

    return make


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(make=requests(), hedging=st.booleans())
def test_whatever_passes_the_checks_the_book_carries_out(make, hedging):
    """The checks never change the book; a request they refuse gets a refusal code from order_send and
    books nothing; one they pass is accepted (placed or done) without an error inside the book."""
    specs = {n: resolve_spec(n, {}) for n in BUILTIN_SYMBOLS}
    terminal = SimulatedTerminal(AccountSettings(margin_mode="hedging" if hedging else "netting"), specs,
                                 sample_market())
    terminal.begin_replay()
    book = terminal.book
    req = trade_request(make(book))
    before = book_state(book)
    try:
        spec = check_request(book, req)
        if req.action == DEAL:
            check_free_margin(book, spec, req)
    except Rejection as refused:
        assert refused.retcode in REFUSALS
        assert book_state(book) == before
        result = terminal.order_send(req)
        assert result.retcode == refused.retcode and book_state(book) == before
        return
    assert book_state(book) == before
    result = terminal.order_send(req)
    assert result.retcode in ACCEPTED
