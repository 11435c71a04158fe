"""Parsing and validation of the MAS parameter dicts (dates, numbers, names).

A malformed value raises ``ValueError`` that names the field and says what is expected.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Final

from mas.terminal import constants as c
from mas.terminal.types import TradeRequest


def parse_time(value: Any, field: str, *, end_of_day: bool = False) -> datetime:
    """A naive UTC datetime from a datetime, date, epoch number or 'YYYY-MM-DD[ HH:MM[:SS]]'.

    With ``end_of_day`` a date-only value means the last second of that day (the docs' ``to``).
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        start = datetime.combine(value, time())
        return start + timedelta(days=1, seconds=-1) if end_of_day else start
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return datetime(1970, 1, 1) + timedelta(seconds=float(value))
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d"):
            try:
                day = datetime.strptime(text, fmt)
            except ValueError:
                continue
            return day + timedelta(days=1, seconds=-1) if end_of_day else day
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
    raise ValueError(
        f"{field}: {value!r} is not a date; use a datetime or a string 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'"
    )


def number(params: dict, field: str, default: float | None = None, *, minimum: float | None = None,
           positive: bool = False) -> float:
    """A finite float from ``params[field]`` (numeric strings accepted)."""
    raw = params.get(field, default)
    if raw is None:
        raise ValueError(f"{field}: missing; give a number")
    if isinstance(raw, bool):
        raise ValueError(f"{field}: expected a number, got {raw!r}")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{field}: expected a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{field}: expected a finite number, got {raw!r}")
    if positive and value <= 0:
        raise ValueError(f"{field}: must be greater than 0, got {raw!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{field}: must be at least {minimum}, got {raw!r}")
    return value


def whole(params: dict, field: str, default: int | None = None, *, minimum: int | None = None) -> int:
    """A whole number from ``params[field]``."""
    if default is not None and field not in params:
        return default
    value = number(params, field, default, minimum=minimum)
    if value != int(value):
        raise ValueError(f"{field}: expected a whole number, got {params.get(field)!r}")
    return int(value)


def symbol_name(params: dict, field: str = "symbol") -> str:
    raw = params.get(field)
    if isinstance(raw, str):
        known = _CLEAN_NAMES.get(raw)
        if known is not None:  # a spelling seen before: every order names its symbol
            return known
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValueError(f"{field}: missing; give a symbol name such as 'EURUSD'")
    if not isinstance(raw, str):
        raise ValueError(f"{field}: expected a symbol name string, got {raw!r}")
    name = raw.strip().upper()
    if len(_CLEAN_NAMES) < 4096:
        _CLEAN_NAMES[raw] = name
    return name


_CLEAN_NAMES: Final[dict[str, str]] = {}  # symbol names as given -> as used


def symbol_list(params: dict) -> list[str]:
    """``symbol`` as a list: one name or a list of names (a multi-symbol replay)."""
    raw = params.get("symbol")
    if isinstance(raw, (list, tuple)):
        if not raw:
            raise ValueError("symbol: the list is empty; give at least one symbol")
        names = [symbol_name({"symbol": s}) for s in raw]
        if len(set(names)) != len(names):
            raise ValueError(f"symbol: the list {raw!r} names a symbol twice")
        return names
    return [symbol_name(params)]


def order_type(params: dict) -> int:
    raw = params.get("order_type")
    known = c.ORDER_TYPE_BY_NAME.get(raw) if isinstance(raw, str) else None
    if known is not None:  # the usual spelling, as the docs write it
        return known
    if raw is None:
        raise ValueError(f"order_type: missing; use one of {', '.join(c.ORDER_TYPE_BY_NAME)}")
    key = str(raw).strip().lower()
    if key not in c.ORDER_TYPE_BY_NAME:
        raise ValueError(f"order_type: {raw!r} is not an order type; use one of {', '.join(c.ORDER_TYPE_BY_NAME)}")
    return c.ORDER_TYPE_BY_NAME[key]


def ticket(params: dict, field: str) -> int:
    raw = params.get(field)
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValueError(f"{field}: expected an order or position id (the string send_order returned), "
                         f"got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{field}: expected a positive id, got {raw!r}")
    return value


def optional_price(params: dict, field: str) -> float:
    """0.0 when absent or None (MT5's 'no price'), else a non-negative number."""
    if params.get(field) in (None, ""):
        return 0.0
    return number(params, field, minimum=0.0)


def order_request(params: dict, position_of: Callable[[int, dict], int]) -> dict[str, Any]:
    """The MT5 trade request dict for a MAS ``send_order`` dict (validates the fields); ``position_of(ticket,
    params)`` turns an ``order_id`` into the position it opened. It holds the fields every order sends and
    those this order sets (what ``MetaTrader5.order_send`` is given)."""
    return request_fields(order_trade_request(params, position_of))


def order_trade_request(params: dict, position_of: Callable[[int, dict], int]) -> TradeRequest:
    """The request of ``order_request`` as MT5's ``TradeRequest`` (what the simulated terminal reads), built
    directly: a backtest sends thousands of orders and never needs the dict."""
    symbol = symbol_name(params)
    kind = order_type(params)
    volume = number(params, "volume", positive=True)
    sl, tp = optional_price(params, "sl"), optional_price(params, "tp")
    deviation = whole(params, "deviation", 10, minimum=0)
    magic = whole(params, "magic", 123456, minimum=0)
    comment = str(params.get("comment", "MAS Order"))
    type_time = whole(params, "type_time", c.ORDER_TIME_GTC, minimum=0)
    type_filling = whole(params, "type_filling", c.ORDER_FILLING_FOK, minimum=0)
    expiration: Any = 0
    if params.get("expiration") not in (None, ""):
        expiration = parse_time(params["expiration"], "expiration")
        if type_time == c.ORDER_TIME_GTC:
            type_time = c.ORDER_TIME_SPECIFIED
    position = position_by = 0
    price: Any = 0  # MT5's zero default for a field the order does not set, as trade_request gives it
    stoplimit: Any = 0
    if kind == c.ORDER_TYPE_BUY or kind == c.ORDER_TYPE_SELL:
        action = c.TRADE_ACTION_DEAL
        given = params.get("position") or params.get("order_id")
        if given not in (None, ""):
            position = position_of(ticket(params, "position" if params.get("position") else "order_id"), params)
        if params.get("position_by") not in (None, ""):
            action = c.TRADE_ACTION_CLOSE_BY
            position_by = ticket(params, "position_by")
            kind = c.ORDER_TYPE_CLOSE_BY
    else:
        action = c.TRADE_ACTION_PENDING
        price = number(params, "price", positive=True)
        if kind == c.ORDER_TYPE_BUY_STOP_LIMIT or kind == c.ORDER_TYPE_SELL_STOP_LIMIT:
            stoplimit = number(params, "stoplimit", positive=True)
    # TradeRequest._fields order: action magic order symbol volume price stoplimit sl tp deviation type
    # type_filling type_time expiration comment position position_by
    return tuple.__new__(TradeRequest, (action, magic, 0, symbol, volume, price, stoplimit, sl, tp, deviation, kind,
                                        type_filling, type_time, expiration, comment, position, position_by))


_ALWAYS_SENT: Final = ("symbol", "type", "volume", "sl", "tp", "deviation", "magic", "comment", "type_time",
                       "type_filling")
_SENT_WHEN_SET: Final = ("expiration", "action", "position", "position_by", "price", "stoplimit")


def request_fields(request: TradeRequest) -> dict[str, Any]:
    """The dict form of an order's request: the fields every order sends, then those it sets (a zero
    ``position``, ``price``, ... is one the order does not set)."""
    values = request._asdict()
    fields = {name: values[name] for name in _ALWAYS_SENT}
    for name in _SENT_WHEN_SET:
        if values[name]:
            fields[name] = values[name]
    return fields
