"""What MetaTrader5 values look like on the wire between ``sim://`` clients and the sim server.

RPyC sends only plain immutable values by value (None, bool, int, float, str, bytes, tuples);
anything else would travel as a remote reference, which the server refuses. So both ends
convert: named tuples become ``("@nt", type name, values)``, numpy record arrays
``("@np", kind, raw bytes)``, request dicts ``("@dict", ((key, value), ...))`` and datetimes
epoch seconds (naive datetimes are UTC, as MT5 stores bar and tick times).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import numpy as np

from mas.i18n.errors import Text
from mas.terminal import types as t
from mas.terminal.protocol import MT5_FUNCTIONS as MT5_FUNCTIONS  # re-exported: the names that cross the wire

NAMED_TUPLES: dict[str, Any] = {cls.__name__: cls for cls in (  # the named tuple classes, by name
    t.AccountInfo, t.TerminalInfo, t.SymbolInfo, t.Tick, t.BookInfo, t.TradeOrder, t.TradePosition,
    t.TradeDeal, t.TradeRequest, t.OrderSendResult, t.OrderCheckResult,
)}
ARRAY_KINDS: dict[str, np.dtype] = {"rates": t.RATES_DTYPE, "ticks": t.TICKS_DTYPE}
_PLAIN = (type(None), bool, int, float, str, bytes)


class WireError(ValueError):
    """A value that cannot cross the wire (or arrived in a shape this side does not accept)."""


def epoch_seconds(value: datetime) -> int:
    """A datetime as epoch seconds; naive datetimes are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return int(value.timestamp())


def encode(value: Any) -> Any:
    """A MetaTrader5 value (argument or result) as plain nested tuples."""
    if isinstance(value, np.generic):
        value = value.item()
    if type(value) in _PLAIN:
        return value
    if isinstance(value, datetime):
        return epoch_seconds(value)
    if isinstance(value, str):  # a str subclass, e.g. the simulated terminal's comments: plain text on the wire
        return str(value)
    if isinstance(value, np.ndarray):
        for kind, dtype in ARRAY_KINDS.items():
            if value.dtype == dtype:
                return ("@np", kind, np.ascontiguousarray(value).tobytes())
        raise WireError(Text("wire_dtype", dtype=value.dtype))
    fields = getattr(value, "_fields", None)
    if isinstance(value, tuple) and fields is not None:
        name = type(value).__name__
        if name not in NAMED_TUPLES:
            raise WireError(Text("wire_named_tuple", name=name))
        return ("@nt", name, tuple(encode(v) for v in value))
    if isinstance(value, (tuple, list)):
        return tuple(encode(v) for v in value)
    if isinstance(value, dict):
        return ("@dict", tuple((str(k), encode(v)) for k, v in value.items()))
    raise WireError(Text("wire_type", kind=type(value).__name__))


def decode(value: Any) -> Any:
    """The MetaTrader5 value that :func:`encode` wrote. Rejects anything that is not plain data
    (a remote reference, for one), so a peer can never make this side call back into it."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is not tuple:
        raise WireError(Text("wire_unexpected", kind=kind.__name__))
    if len(value) == 3 and value[0] == "@nt":
        cls = NAMED_TUPLES.get(value[1]) if type(value[1]) is str else None
        if cls is None or type(value[2]) is not tuple or len(value[2]) != len(cls._fields):
            raise WireError(Text("wire_malformed", what="named tuple"))
        return cls(*(decode(v) for v in value[2]))
    if len(value) == 3 and value[0] == "@np":
        dtype = ARRAY_KINDS.get(value[1]) if type(value[1]) is str else None
        if dtype is None or type(value[2]) is not bytes or len(value[2]) % dtype.itemsize:
            raise WireError(Text("wire_malformed", what="array"))
        return np.frombuffer(value[2], dtype=dtype).copy()
    if len(value) == 2 and value[0] == "@dict":
        if type(value[1]) is not tuple:
            raise WireError(Text("wire_malformed", what="dict"))
        out = {}
        for pair in value[1]:
            if type(pair) is not tuple or len(pair) != 2 or type(pair[0]) is not str:
                raise WireError(Text("wire_malformed", what="dict entry"))
            out[pair[0]] = decode(pair[1])
        return out
    return tuple(decode(v) for v in value)
