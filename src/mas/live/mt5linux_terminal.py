"""The ``mt5linux://host:port`` terminal: the mt5linux bridge, with results made local.

mt5linux exposes the MetaTrader5 module of a Windows Python (under Wine or on another
machine) over RPyC. Its results may be remote references; this adapter copies them into the
local named tuples and numpy arrays of :mod:`mas.terminal.types`, so the rest of the SDK sees
exactly what the MetaTrader5 module returns. Connection failures raise ``ConnectionError``.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from mas.i18n.errors import Text
from mas.live.wire import NAMED_TUPLES
from mas.terminal.forwarding import ForwardingTerminal

_ARRAY_FIELDS = {("time", "open", "high", "low", "close", "tick_volume", "spread", "real_volume"): "RATES_DTYPE",
                 ("time", "bid", "ask", "last", "volume", "time_msc", "flags", "volume_real"): "TICKS_DTYPE"}


def open_mt5linux(host: str, port: int) -> Mt5LinuxTerminal:
    """Connect to the mt5linux bridge at ``host:port``; ConnectionError when nothing answers there."""
    module = importlib.import_module("mt5linux")
    try:
        bridge = module.MetaTrader5(host=host, port=port)
    except (OSError, EOFError) as exc:
        raise ConnectionError(Text("live_bridge_unreachable_at", host=host, port=port,
                                   kind=type(exc).__name__)) from None
    return Mt5LinuxTerminal(bridge)


def localize(value: Any) -> Any:
    """A result of the bridge as local values: named tuples by their field names, arrays by dtype."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    fields = getattr(value, "_fields", None)
    if fields is not None:
        cls = NAMED_TUPLES.get(type(value).__name__) or _named_by_fields(tuple(fields))
        if cls is not None:
            return cls(*(localize(getattr(value, f)) for f in cls._fields))
    names = getattr(getattr(value, "dtype", None), "names", None)
    if names:
        from mas.terminal import types

        dtype_name = _ARRAY_FIELDS.get(tuple(names))
        dtype = getattr(types, dtype_name) if dtype_name else None
        rows = [tuple(row) for row in value]
        return np.array(rows, dtype=dtype) if dtype is not None else np.asarray(rows)
    if isinstance(value, (tuple, list)) or hasattr(value, "__iter__"):
        return tuple(localize(v) for v in value)
    return value


def _named_by_fields(fields: tuple[str, ...]) -> Any:
    for cls in NAMED_TUPLES.values():
        if tuple(cls._fields) == fields:
            return cls
    return None


class Mt5LinuxTerminal(ForwardingTerminal):
    """The MetaTrader5 function set of an mt5linux bridge."""

    def __init__(self, bridge: Any) -> None:
        self._bridge = bridge

    def __repr__(self) -> str:
        return "Mt5LinuxTerminal()"

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """MetaTrader5.``name`` through the bridge, its result copied into local values."""
        try:
            return localize(getattr(self._bridge, name)(*args, **kwargs))
        except (EOFError, OSError) as exc:
            raise ConnectionError(Text("live_bridge_unreachable", kind=type(exc).__name__)) from None

    def close(self) -> None:
        """Shut the bridge's terminal connection down (a broken one is already closed)."""
        try:
            self._bridge.shutdown()
        except Exception:  # already broken
            pass

