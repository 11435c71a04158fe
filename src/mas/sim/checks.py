"""The checks a trade request passes before the simulated account takes it, with MT5's return codes.

:func:`check_request` looks at a request against the account's book and the market as they stand:
is the order, position or symbol there, is the volume, filling, type, price side, SL/TP side and
expiry right; :func:`check_free_margin` whether a new market order's margin is free. A failed
check raises :class:`Rejection`, which carries the ``TRADE_RETCODE_*`` and the comment that
``order_send`` and ``order_check`` answer with. Nothing here changes the book.
"""

from __future__ import annotations

from typing import Any, Final

from mas.i18n.comments import Comment
from mas.sim.account import volume_error
from mas.sim.book import AccountBook
from mas.sim.market import epoch_seconds
from mas.sim.symbols import SymbolSpec
from mas.terminal import constants as c
from mas.terminal.types import TradeRequest

PENDING_TYPES: Final = frozenset(range(c.ORDER_TYPE_BUY_LIMIT, c.ORDER_TYPE_SELL_STOP_LIMIT + 1))
"""The six pending order types (buy/sell limit, stop and stop-limit)."""

FILLINGS: Final = (c.ORDER_FILLING_FOK, c.ORDER_FILLING_IOC, c.ORDER_FILLING_RETURN, c.ORDER_FILLING_BOC)
TIME_TYPES: Final = (c.ORDER_TIME_GTC, c.ORDER_TIME_DAY, c.ORDER_TIME_SPECIFIED, c.ORDER_TIME_SPECIFIED_DAY)


class Rejection(Exception):
    """A request the account refuses: ``retcode`` is the ``TRADE_RETCODE_*``, ``message`` the comment."""

    def __init__(self, retcode: int, message: str) -> None:
        super().__init__(message)
        self.retcode = retcode
        self.message = message


def check_request(book: AccountBook, req: TradeRequest) -> SymbolSpec:
    """The spec of the symbol ``req`` trades, when the account can take it as it stands; else
    :class:`Rejection`. A conversion without data raises ``ConversionError``."""
    action = req.action
    act = field_code(action)
    if field_is(act, action, c.TRADE_ACTION_MODIFY) or field_is(act, action, c.TRADE_ACTION_REMOVE):
        order = book.orders.get(int(req.order or 0))
        if order is None or order.is_market:
            raise Rejection(c.TRADE_RETCODE_INVALID_ORDER, Comment("not_pending", order=req.order))
        spec = book.specs[order.symbol]
        if field_is(act, action, c.TRADE_ACTION_MODIFY):
            if not req.price or req.price <= 0:
                raise Rejection(c.TRADE_RETCODE_INVALID_PRICE, Comment("modify_needs_price"))
            check_pending_price(book, spec, order.type, float(req.price), float(req.stoplimit))
            check_stops(order.is_buy, entry_price(order.type, float(req.price), float(req.stoplimit)),
                        float(req.sl), float(req.tp))
        return spec
    if field_is(act, action, c.TRADE_ACTION_SLTP):
        pos = book.positions.get(int(req.position or 0))
        if pos is None:
            raise Rejection(c.TRADE_RETCODE_POSITION_CLOSED, Comment("position_not_open", position=req.position))
        spec = book.specs[pos.symbol]
        check_stops(pos.is_buy, book.close_price(pos.symbol, pos.is_buy), float(req.sl), float(req.tp))
        return spec
    if field_is(act, action, c.TRADE_ACTION_CLOSE_BY):
        if not book.settings.hedging:
            raise Rejection(c.TRADE_RETCODE_INVALID, Comment("close_by_hedging"))
        a, b = book.positions.get(int(req.position or 0)), book.positions.get(int(req.position_by or 0))
        if a is None or b is None:
            raise Rejection(c.TRADE_RETCODE_POSITION_CLOSED, Comment("close_by_open"))
        if a.symbol != b.symbol or a.is_buy == b.is_buy:
            raise Rejection(c.TRADE_RETCODE_INVALID, Comment("close_by_opposite"))
        return book.specs[a.symbol]
    symbol = req.symbol
    found = book.specs.get(symbol)
    if found is None or symbol not in book.market.tapes:
        raise Rejection(c.TRADE_RETCODE_INVALID, Comment("symbol_not_replayed", symbol=symbol))
    spec = found
    if spec.trade_mode == c.SYMBOL_TRADE_MODE_DISABLED:
        raise Rejection(c.TRADE_RETCODE_TRADE_DISABLED, Comment("trade_disabled", symbol=spec.name))
    problem = volume_error(spec, _float(req.volume))
    if problem:
        raise Rejection(c.TRADE_RETCODE_INVALID_VOLUME, problem)
    filling = req.type_filling
    fill = field_code(filling)
    if not ((fill == c.ORDER_FILLING_FOK or fill == c.ORDER_FILLING_IOC or fill == c.ORDER_FILLING_RETURN
             or fill == c.ORDER_FILLING_BOC) if fill != _NOT_INT else filling in FILLINGS):
        raise Rejection(c.TRADE_RETCODE_INVALID_FILL, Comment("bad_filling", filling=filling))
    if field_is(act, action, c.TRADE_ACTION_DEAL):
        _check_market(book, spec, req)
        return spec
    if field_is(act, action, c.TRADE_ACTION_PENDING):
        _check_pending(book, spec, req)
        return spec
    raise Rejection(c.TRADE_RETCODE_INVALID, Comment("unknown_action", action=action))


def _check_market(book: AccountBook, spec: SymbolSpec, req: TradeRequest) -> None:
    """A market order: its type and filling, and the position it closes (or the stops of a new one)."""
    kind = req.type
    code = field_code(kind)
    if not (field_is(code, kind, c.ORDER_TYPE_BUY) or field_is(code, kind, c.ORDER_TYPE_SELL)):
        raise Rejection(c.TRADE_RETCODE_INVALID, Comment("not_market_type", type=kind))
    filling = req.type_filling
    if field_is(field_code(filling), filling, c.ORDER_FILLING_BOC):
        raise Rejection(c.TRADE_RETCODE_INVALID_FILL, Comment("boc_limit_only"))
    is_buy = field_is(code, kind, c.ORDER_TYPE_BUY)
    position = req.position
    if position:
        pos = book.positions.get(_int(position))
        if pos is None or pos.symbol != spec.name:
            raise Rejection(c.TRADE_RETCODE_POSITION_CLOSED, Comment("position_not_open", position=position))
        if pos.is_buy == is_buy:
            raise Rejection(c.TRADE_RETCODE_INVALID, Comment("close_needs_opposite"))
        if book.settings.hedging and _above(req.volume, pos.volume + 1e-9):
            raise Rejection(c.TRADE_RETCODE_INVALID_CLOSE_VOLUME,
                            Comment("close_volume", volume=req.volume, position_volume=pos.volume))
        ticket = pos.ticket
        for o in book.orders.values():
            if o.position_id == ticket and o.is_market:
                raise Rejection(c.TRADE_RETCODE_CLOSE_ORDER_EXIST, Comment("close_waiting", position=ticket))
    else:
        check_stops(is_buy, book.open_price_estimate(spec.name, is_buy), _float(req.sl), _float(req.tp))


def _check_pending(book: AccountBook, spec: SymbolSpec, req: TradeRequest) -> None:
    """A pending order: its type, its price on the right side of the market, its stops and expiry."""
    if req.type not in PENDING_TYPES:
        raise Rejection(c.TRADE_RETCODE_INVALID, Comment("not_pending_type", type=req.type))
    kind = _int(req.type)  # one of PENDING_TYPES: a float or numpy number equal to it is that int
    price = float(req.price or 0.0)
    if price <= 0:
        raise Rejection(c.TRADE_RETCODE_INVALID_PRICE, Comment("pending_needs_price"))
    check_pending_price(book, spec, kind, price, float(req.stoplimit or 0.0))
    check_stops(kind in c.BUY_ORDER_TYPES, entry_price(kind, price, float(req.stoplimit)), float(req.sl), float(req.tp))
    if req.type_time == c.ORDER_TIME_SPECIFIED and epoch_seconds(req.expiration) <= book.market.now:
        raise Rejection(c.TRADE_RETCODE_INVALID_EXPIRATION, Comment("expiration_past"))
    if req.type_time not in TIME_TYPES:
        raise Rejection(c.TRADE_RETCODE_INVALID_EXPIRATION, Comment("bad_type_time", type_time=req.type_time))


def check_pending_price(book: AccountBook, spec: SymbolSpec, order_type: int, price: float, stoplimit: float) -> None:
    """A pending order's price must be on its side of the market: limits below the ask (buy) or above
    the bid (sell), stops above the ask (buy) or below the bid (sell); a stop-limit's limit price
    on the stop's near side."""
    bid, ask = book.market.quotes[spec.name].bid, book.market.ask(spec.name)
    ok = {
        c.ORDER_TYPE_BUY_LIMIT: price < ask,
        c.ORDER_TYPE_SELL_LIMIT: price > bid,
        c.ORDER_TYPE_BUY_STOP: price > ask,
        c.ORDER_TYPE_SELL_STOP: price < bid,
        c.ORDER_TYPE_BUY_STOP_LIMIT: price > ask and 0 < stoplimit < price,
        c.ORDER_TYPE_SELL_STOP_LIMIT: price < bid and stoplimit > price,
    }[order_type]
    if not ok:
        raise Rejection(c.TRADE_RETCODE_INVALID_PRICE, Comment(
            "wrong_side", order_type=c.ORDER_TYPE_NAME[order_type], price=price, bid=bid, ask=ask))


def check_stops(is_buy: bool, price: float, sl: float, tp: float) -> None:
    """SL and TP (0 = none) must not be negative, and must lie below and above ``price`` for a buy
    (above and below for a sell)."""
    if sl < 0 or tp < 0:
        raise Rejection(c.TRADE_RETCODE_INVALID_STOPS, Comment("stops_negative"))
    bad_sl = sl > 0 and (sl >= price if is_buy else sl <= price)
    bad_tp = tp > 0 and (tp <= price if is_buy else tp >= price)
    if bad_sl or bad_tp:
        raise Rejection(c.TRADE_RETCODE_INVALID_STOPS,
                        Comment("stops_buy" if is_buy else "stops_sell", price=price, sl=sl, tp=tp))


def check_free_margin(book: AccountBook, spec: SymbolSpec, req: TradeRequest) -> None:
    """A market order that opens (or adds to) a position needs its margin free at the current price;
    closing a position, or only reducing the net one, needs none."""
    if req.position:
        return
    kind = req.type
    is_buy = field_is(field_code(kind), kind, c.ORDER_TYPE_BUY)
    volume = _float(req.volume)
    needed = book.margin_for(spec, volume, book.open_price_estimate(spec.name, is_buy))
    if not book.reduces_net(spec.name, is_buy, volume) and book.equity() - book.margin_used() - needed < 0:
        raise Rejection(c.TRADE_RETCODE_NO_MONEY,
                        Comment("no_free_margin", needed=needed, currency=book.settings.currency,
                                free=book.equity() - book.margin_used()))


_NOT_INT: Final = -1
"""What :func:`field_code` gives for a request field that is not an int: no action, type or filling code is negative."""


def field_code(value: Any) -> int:
    """A request field as an int for the compares below: itself when it is an int (always so in a request
    ``mas.params`` builds), else :data:`_NOT_INT`."""
    return value if type(value) is int else _NOT_INT


def field_is(code: int, value: Any, wanted: int) -> bool:
    """``value == wanted`` for a request field ``value`` whose :func:`field_code` is ``code``: an int compare for an
    int, the field's own ``==`` for anything else (a float, a numpy integer ...)."""
    if code != _NOT_INT:
        return code == wanted
    return bool(value == wanted)


def _float(value: Any) -> float:
    """``float(value)``, without the call for a float."""
    if type(value) is float:
        return value
    return float(value)


def _int(value: Any) -> int:
    """``int(value)``, without the call for an int."""
    if type(value) is int:
        return value
    return int(value)


def _above(value: Any, limit: float) -> bool:
    """``value > limit``, a float compare for a float."""
    if type(value) is float:
        return value > limit
    return bool(value > limit)


def entry_price(order_type: int, price: float, stoplimit: float) -> float:
    """Where a pending order would enter: the limit price of a stop-limit, else its price."""
    if order_type in (c.ORDER_TYPE_BUY_STOP_LIMIT, c.ORDER_TYPE_SELL_STOP_LIMIT):
        return stoplimit
    return price


__all__ = ["Rejection", "check_request", "check_free_margin", "check_pending_price", "check_stops", "entry_price",
           "field_code", "field_is", "PENDING_TYPES"]
