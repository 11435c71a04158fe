"""Parsing and validation of the MAS parameter dicts (dates, numbers, names, field names).

A malformed value raises ``ValueError`` that names the field and says what is expected. The rules
(docs/engine.md, "Parameter dicts"):

- Numbers: an ``int``, a ``float``, any other real number (numpy scalars, ``Fraction``,
  ``Decimal``), or a string that is exactly a decimal number once surrounding spaces are removed
  (``"0.1"``, ``" 2 "``, ``"-1.5e-3"``). Booleans, ``nan``/``inf``, and strings with anything else
  (``"0,1"``, ``"1_000"``, ``"0.1 lots"``, non-ASCII digits) are refused. Whole-number fields and
  order / position ids take the same values and must be whole (``10``, ``10.0``, ``"10"``).
- Names: ``order_type`` is matched case-insensitively after trimming; ``symbol`` is trimmed and
  upper-cased.
- Field names: unknown keys are allowed (the MAS contract), but a key that looks like a misspelling
  of a field the call reads is refused (:func:`check_keys`), so that a typo never drops a stop.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any, Final

from mas.i18n.errors import InputError, Text
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
    raise InputError("value_not_date", field=field, value=value)


_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DIGITS: Final = re.compile(r"[+-]?[0-9]+")


def _real(raw: Any) -> float | None:
    """``raw`` as a float when it is an accepted number (see the module docstring), else None."""
    kind = type(raw)
    if kind is float or kind is int:
        try:
            return float(raw)
        except OverflowError:
            return None
    if isinstance(raw, str):
        text = raw.strip(" \t\n\r")  # the spaces a pasted value carries; not control characters float() refuses
        return float(text) if _DECIMAL_TEXT.fullmatch(text) else None
    if isinstance(raw, bool) or not isinstance(raw, (numbers.Real, Decimal)):
        return None  # booleans, numpy booleans, bytes, arrays, complex, None ...
    try:
        return float(raw)
    except (TypeError, ValueError, OverflowError):
        return None


def _whole(raw: Any) -> int | None:
    """``raw`` as an int when it is an accepted whole number (exact for large ints), else None."""
    if type(raw) is int:
        return int(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if (text.isascii() and text.isdigit()) or _DIGITS.fullmatch(text):  # an id as send_order returns it
            return int(text)
    elif isinstance(raw, numbers.Integral) and not isinstance(raw, bool):  # numpy integers
        return int(raw)
    value = _real(raw)
    if value is None or not math.isfinite(value) or value != math.floor(value):
        return None
    return int(value)


def number(params: dict, field: str, default: float | None = None, *, minimum: float | None = None,
           positive: bool = False) -> float:
    """A finite float from ``params[field]``: a real number or an exact decimal string (module docstring)."""
    raw = params.get(field, default)
    if type(raw) is float:  # the usual case, without the general reading below
        value = float(raw)
    else:
        if raw is None:
            raise InputError("number_missing", field=field)
        real = _real(raw)
        if real is None:
            raise InputError("number_expected", field=field, value=raw)
        value = real
    if not math.isfinite(value):
        raise InputError("number_not_finite", field=field, value=raw)
    if positive and value <= 0:
        raise InputError("number_not_positive", field=field, value=raw)
    if minimum is not None and value < minimum:
        raise InputError("number_below_minimum", field=field, minimum=minimum, value=raw)
    return value


def whole(params: dict, field: str, default: int | None = None, *, minimum: int | None = None) -> int:
    """A whole number from ``params[field]`` (``10``, ``10.0``, ``"10"``; not ``10.5`` or ``True``)."""
    if default is not None and field not in params:
        return default
    raw = params.get(field, default)
    value = _whole(raw)
    if value is None:
        number(params, field, default, minimum=minimum)  # says what is wrong when it is not a number at all
        raise InputError("whole_expected", field=field, value=raw)
    if minimum is not None and value < minimum:
        raise InputError("number_below_minimum", field=field, minimum=minimum, value=raw)
    return value


def symbol_name(params: dict, field: str = "symbol") -> str:
    raw = params.get(field)
    if isinstance(raw, str):
        known = _CLEAN_NAMES.get(raw)
        if known is not None:  # a spelling seen before: every order names its symbol
            return known
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InputError("symbol_missing", field=field)
    if not isinstance(raw, str):
        raise InputError("symbol_not_text", field=field, value=raw)
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
            raise InputError("symbol_list_empty")
        names = [symbol_name({"symbol": s}) for s in raw]
        if len(set(names)) != len(names):
            raise InputError("symbol_list_twice", value=raw)
        return names
    return [symbol_name(params)]


def order_type(params: dict) -> int:
    raw = params.get("order_type")
    known = c.ORDER_TYPE_BY_NAME.get(raw) if isinstance(raw, str) else None
    if known is not None:  # the usual spelling, as the docs write it
        return known
    if raw is None:
        raise InputError("order_type_missing", valid=", ".join(c.ORDER_TYPE_BY_NAME))
    key = str(raw).strip().lower()
    if key not in c.ORDER_TYPE_BY_NAME:
        raise InputError("order_type_invalid", value=raw, valid=", ".join(c.ORDER_TYPE_BY_NAME))
    return c.ORDER_TYPE_BY_NAME[key]


def ticket(params: dict, field: str) -> int:
    """An order or position id: a positive whole number, as an int or a string (what send_order returns)."""
    return _ticket(params.get(field), field)


def _ticket(raw: Any, field: str) -> int:
    """:func:`ticket` of the value ``raw`` of ``field``."""
    value = _whole(raw)
    if value is None:
        raise InputError("ticket_expected", field=field, value=raw)
    if value <= 0:
        raise InputError("ticket_not_positive", field=field, value=raw)
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


def order_trade_request(params: dict, position_of: Callable[[int, dict], int], *, fresh: bool = False
                        ) -> TradeRequest:
    """The request of ``order_request`` as MT5's ``TradeRequest`` (what the simulated terminal reads), built
    directly: a backtest sends thousands of orders and never needs the dict. A misspelt field is refused
    (:func:`check_keys`) before any value is read. A request built lately from the same fields (the same keys,
    values and value types, :func:`recent_order_request`) is taken again, only its position looked up anew;
    ``fresh``: the caller has looked among them already (and found none), build it anew."""
    if not fresh:
        known, named = recent_order_request(params)
        if known is not None:
            return with_position(known, position_of(named, params)) if named else known
    check_keys(params, "send_order")
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
        position = _named_position(params, position_of)
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
    request = _NEW_TUPLE(TradeRequest, (action, magic, 0, symbol, volume, price, stoplimit, sl, tp, deviation, kind,
                                        type_filling, type_time, expiration, comment, 0, position_by))
    _remember_request(params, request, action != c.TRADE_ACTION_PENDING)
    return with_position(request, position)


_NEW_TUPLE: Final = tuple.__new__
"""Makes a named tuple from its values in field order, without the generated ``__new__``."""
_REQUEST: Final = TradeRequest
"""The request class, read without a look-up in the module's globals per order."""
_RECENT: Final[list[tuple[tuple[tuple[Any, type, Any], ...], TradeRequest, bool]]] = []
"""The requests built lately, newest first, without their position (0), each with the fields of the dict it was
built from ((key, value type, value) of every key but ``order_id`` and ``position``) and whether it reads a
position (a market order; a pending order reads none)."""
_RECENT_KEPT: Final = 8
_KEPT_TYPES: Final = (str, float, int, bool, type(None))
_POSITION_KEYS: Final = ("order_id", "position")
_ABSENT: Final = object()


def recent_order_request(params: dict, issued: str = "", issued_ticket: int = 0) -> tuple[TradeRequest | None, int]:
    """(request, ticket) when :func:`order_trade_request` takes a recent request again for ``params``: that
    request without its position, and the ticket whose position it is for (``position`` or ``order_id``,
    validated; 0: none, the request is complete); (None, 0) when it builds the request anew.

    The request is the one of :data:`_RECENT` built from the same fields as ``params`` (its ``order_id`` and
    ``position`` aside): the same keys, each value of the same type and equal (a zero of the same sign).
    ``issued``: an order id the caller gave out, ``str(issued_ticket)``; named by that very object, it is
    read without parsing it again."""
    size = len(params)
    for fields, request, reads_position in _RECENT:
        kept = len(fields)
        if kept > size or kept < size - 2:  # fewer keys, or more than the two position keys besides
            continue
        for name, kind, value in fields:
            given = params.get(name, _ABSENT)
            if given is value:  # the same object (the usual: a strategy's constants and names)
                continue
            if type(given) is not kind or given != value:
                break
            if kind is float and given == 0.0 and math.copysign(1.0, given) != math.copysign(1.0, value):
                break
        else:
            # every kept key is in ``params``: any other key must be a position key
            extra = size - kept
            if extra == 0 or ("order_id" in params or "position" in params if extra == 1
                              else "order_id" in params and "position" in params):
                return request, _named_ticket(params, issued, issued_ticket) if reads_position else 0
    return None, 0


def _remember_request(params: dict, request: TradeRequest, reads_position: bool) -> None:
    """Keep ``request`` (built from ``params``, without its position) in :data:`_RECENT` when every value it was
    built from is a str, int, float, bool or None."""
    fields: list[tuple[Any, type, Any]] = []
    for name, value in params.items():
        if name in _POSITION_KEYS:
            continue
        kind = type(value)
        if kind not in _KEPT_TYPES:
            return
        fields.append((name, kind, value))
    _RECENT.insert(0, (tuple(fields), request, reads_position))
    if len(_RECENT) > _RECENT_KEPT:
        _RECENT.pop()


def with_position(request: TradeRequest, position: int) -> TradeRequest:
    """``request`` (built without a position) for ``position``: itself when that is 0."""
    if not position:
        return request
    r = request
    # action magic order symbol volume price stoplimit sl tp deviation type type_filling type_time expiration
    # comment position position_by
    return _NEW_TUPLE(_REQUEST, (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
                                 r[13], r[14], position, r[16]))


def _named_position(params: dict, position_of: Callable[[int, dict], int]) -> int:
    """The position a market order's ``position`` or ``order_id`` names (``position_of`` turns an order id into
    the position it opened); 0 when it names none."""
    named = _named_ticket(params, "", 0)
    return position_of(named, params) if named else 0


def _named_ticket(params: dict, issued: str, issued_ticket: int) -> int:
    """The ticket a market order's ``position`` (when set) or else its ``order_id`` names, validated as
    :func:`ticket`; 0 when it names none (absent, None or ""). ``issued`` is ``str(issued_ticket)``, an id the
    caller gave out (or "")."""
    field = "position"
    given = params.get("position")
    if not given:
        field = "order_id"
        given = params.get("order_id")
    if given is None:
        return 0
    kind = type(given)
    if kind is str:
        if not given:
            return 0
        if given is issued:
            return issued_ticket
    elif kind is not int and given in (None, ""):
        return 0
    return _ticket(given, field)


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


def backtest_toggle(params: dict, call: str, default: bool | None = None) -> bool | None:
    """``params["backtest_toggle"]``: the one rule for every call. It must be a real ``bool`` (True:
    the simulated account, False: the live broker); anything else, ``1``, ``'True'`` or
    ``numpy.True_`` included, is a ValueError, since a wrong guess sends or cancels live orders.
    Missing: ``default`` (None: the call picks the active terminal; send_order passes no default
    and requires the key)."""
    if "backtest_toggle" not in params or params["backtest_toggle"] is None:
        if default is None and call == "send_order":
            raise InputError("toggle_missing")
        return default
    value = params["backtest_toggle"]
    if value is True or value is False:
        return value
    raise InputError("toggle_not_bool", call=call, value=value, kind=type(value).__name__)


# ---------------------------------------------------------------------------------------------- field names
_ORDER_FIELDS: Final = ("backtest_toggle", "symbol", "order_type", "volume", "price", "sl", "tp", "stoplimit",
                        "deviation", "magic", "comment", "type_time", "expiration", "type_filling", "position",
                        "position_by", "order_id", "client_order_id")
_BACKTEST_FIELDS: Final = ("symbol", "from", "to", "captital", "capital", "backtest_toggle", "interval_ms",
                           "currency", "leverage", "margin_mode", "spread", "commission", "slippage",
                           "margin_call_level", "stop_out_level", "model", "symbol_overrides")

KNOWN_FIELDS: Final[dict[str, frozenset[str]]] = {
    "send_order": frozenset(_ORDER_FIELDS),
    "order_check": frozenset(_ORDER_FIELDS),
    "modify_order": frozenset(("order_id", "price", "sl", "tp", "stoplimit", "expiration", "comment",
                               "backtest_toggle")),
    "cancel_order": frozenset(("order_id", "comment", "backtest_toggle")),
    "modify_position_sltp": frozenset(("position_id", "sl", "tp", "backtest_toggle")),
    "subscribe_bars": frozenset((*_BACKTEST_FIELDS, "timeframe", "after_time")),
    "subscribe_ticks": frozenset((*_BACKTEST_FIELDS, "flags", "mode")),
}
"""The fields each call reads (the MAS documentation's, plus this project's extensions)."""

ALIASES: Final[dict[str, tuple[str, ...]]] = {
    # normalised spelling a trader might type -> the fields it may mean (the first the call reads)
    **dict.fromkeys(("stoploss", "stop", "slprice", "stoplossprice", "slpips", "slpoints", "stoplosspips",
                     "stoplosspoints"), ("sl",)),
    **dict.fromkeys(("takeprofit", "target", "profittarget", "tpprice", "takeprofitprice", "tppips", "tppoints",
                     "takeprofitpips", "takeprofitpoints"), ("tp",)),
    **dict.fromkeys(("vol", "lot", "lots", "lotsize", "size", "qty", "quantity", "amount"), ("volume",)),
    **dict.fromkeys(("type", "side", "direction", "action", "ordtype", "tradetype"), ("order_type",)),
    **dict.fromkeys(("sym", "instrument", "ticker", "pair"), ("symbol",)),
    **dict.fromkeys(("entry", "entryprice", "openprice", "priceopen", "limitprice"), ("price",)),
    **dict.fromkeys(("stoplimitprice",), ("stoplimit",)),
    **dict.fromkeys(("slippage", "maxslippage", "maxdeviation"), ("deviation",)),
    **dict.fromkeys(("magicnumber", "magicno", "eaid"), ("magic",)),
    **dict.fromkeys(("expiry", "expire", "expires", "expirytime", "expiretime", "expirationtime"), ("expiration",)),
    **dict.fromkeys(("filling", "filltype", "fillingtype", "fillingmode"), ("type_filling",)),
    **dict.fromkeys(("ticket", "positionticket"), ("position", "position_id", "order_id")),
    **dict.fromkeys(("orderticket",), ("order_id",)),
    **dict.fromkeys(("backtest", "backtesting", "isbacktest", "toggle"), ("backtest_toggle",)),
    **dict.fromkeys(("tf", "period"), ("timeframe",)),
    **dict.fromkeys(("start", "startdate", "fromdate", "datefrom", "begin", "since"), ("from",)),
    **dict.fromkeys(("end", "enddate", "todate", "dateto", "until"), ("to",)),
    **dict.fromkeys(("initialcapital", "startingcapital", "balance", "initialbalance", "deposit",
                     "initialdeposit", "cash"), ("capital",)),
    **dict.fromkeys(("accountcurrency", "depositcurrency", "ccy"), ("currency",)),
}
"""Other names of the known fields, normalised (see :func:`normalised_key`)."""

_HINTS: Final[dict[str, str]] = {
    **dict.fromkeys(("slpips", "slpoints", "stoplosspips", "stoplosspoints", "tppips", "tppoints",
                     "takeprofitpips", "takeprofitpoints"), "hint_sl_tp_prices"),
}
_NOT_SUGGESTED: Final = frozenset(("captital",))  # known (the original's spelling), but 'capital' is suggested
NEAR_MISS_CUTOFF: Final = 0.8
ALIAS_CUTOFF: Final = 0.85  # stricter: aliases are many, and a short key is often a prefix of one ('date', 'dateto')
_VERDICTS: Final[dict[str, dict[str, Text | None]]] = {call: {} for call in KNOWN_FIELDS}  # key -> refusal or None


def normalised_key(key: str) -> str:
    """``key`` lower-cased with everything but ASCII letters and digits removed ('Stop-Loss' -> 'stoploss')."""
    return "".join(ch for ch in key.lower() if ("a" <= ch <= "z") or ("0" <= ch <= "9"))


def _swapped_once(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with two adjacent characters swapped ('form' / 'from')."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def near_miss(key: Any, known: frozenset[str]) -> str | None:
    """The known field ``key`` looks like a misspelling of, or None when ``key`` is known or far from them all.

    With ``n`` = :func:`normalised_key` of ``key``, a key that is not itself known is a near miss of field
    ``f`` when (in this order): ``n`` is ``f`` normalised (a case or separator variant: 'SL', 'orderType');
    ``n`` is an alias of ``f`` in :data:`ALIASES` ('stoploss', 'lots'); ``n`` is one adjacent swap away from
    ``f`` or an alias ('form'); or ``n`` is at least :data:`NEAR_MISS_CUTOFF` similar (difflib ratio) to ``f``
    normalised ('symbo', 'timefrme') or :data:`ALIAS_CUTOFF` similar to an alias of it ('stop_los'), the most
    similar winning. Aliases count only for fields ``known`` holds. Non-string keys are never near misses.
    """
    if not isinstance(key, str) or key in known:
        return None
    n = normalised_key(key)
    if not n:
        return None
    names: list[tuple[str, str, float]] = [(normalised_key(f), f, NEAR_MISS_CUTOFF) for f in sorted(known)
                                           if f not in _NOT_SUGGESTED]
    for spelling, field, _cutoff in names:
        if n == spelling:
            return field
    for alias, fields in ALIASES.items():
        meant = next((f for f in fields if f in known), None)
        if meant is not None:
            if n == alias:
                return meant
            names.append((alias, meant, ALIAS_CUTOFF))
    best: str | None = None
    best_ratio = 0.0
    for spelling, field, cutoff in names:
        if _swapped_once(n, spelling):
            return field
        ratio = SequenceMatcher(None, n, spelling).ratio()
        if ratio >= cutoff and ratio > best_ratio:
            best, best_ratio = field, ratio
    return best


def check_keys(params: Mapping[Any, Any], call: str) -> None:
    """Refuse (``ValueError``) a key of ``params`` that looks like a misspelling of a field ``call`` reads
    (:func:`near_miss`), e.g. "stoploss: unknown send_order field; did you mean 'sl'?". Other unknown keys are
    allowed. ``call`` is a key of :data:`KNOWN_FIELDS`."""
    known, verdicts = KNOWN_FIELDS[call], _VERDICTS[call]
    for key in params:
        if key not in known:
            _refuse_near_miss(key, call, known, verdicts)


def _refuse_near_miss(key: Any, call: str, known: frozenset[str], verdicts: dict[str, Text | None]) -> None:
    """Raise the refusal of an unknown ``key`` when it is a near miss; ``verdicts`` remembers each key's."""
    if not isinstance(key, str):
        return
    if key in verdicts:  # an order's own extra keys come again and again
        message = verdicts[key]
    else:
        field = near_miss(key, known)
        message = None
        if field is not None:
            hint_key = _HINTS.get(normalised_key(key))
            message = Text("field_misspelt", key=key, call=call, field=field,
                           hint=Text(hint_key) if hint_key else "")
        if len(verdicts) < 1024:
            verdicts[key] = message
    if message is not None:
        raise InputError(message)
