"""Broker symbol names at the live terminal's edge: the strategy says ``EURUSD``, the broker lists ``EURUSD.m``.

A broker profile's suffix (``[suffixes]`` in ``$MAS_HOME/symbols.toml``: the profile's own entry, else ``*``)
is added to every symbol a call sends to the broker (the ``symbol`` argument, the ``symbol=`` filter, a
request's ``symbol``) and taken off every symbol the broker sends back (positions, orders, deals, symbol
records, a request echoed in a result). Everything above the terminal (feeds, the deal poller, the order
journal, the strategy's callbacks, reports) speaks the strategy's names, so one strategy file runs unchanged
at a broker with suffixes and at one without.

The symbols file is read through :func:`mas.data.symbol_file.load_symbol_file` (re-read only when it changed).
When it cannot be read, which broker symbol is meant is unknown: :class:`SymbolFileUnreadable` is raised and
the terminal answers the call with an error instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mas.data.symbol_file import SymbolFile, broker_symbol, load_symbol_file, suffix_of
from mas.i18n.errors import Text, text_of
from mas.terminal import types as t
from mas.terminal.protocol import REQUEST_FUNCTIONS, SYMBOL_POSITION, renamed_symbol

__all__ = ["SYMBOL_FUNCTIONS", "SymbolFileUnreadable", "SymbolNames"]

SYMBOL_FUNCTIONS = frozenset(SYMBOL_POSITION) | REQUEST_FUNCTIONS | frozenset({
    "symbols_get", "orders_get", "positions_get", "history_orders_get", "history_deals_get"})
"""Functions that send or answer a symbol: the only ones that need the suffix."""
_RECORD_TYPES: dict[str, Any] = {cls.__name__: cls for cls in (
    t.TradePosition, t.TradeOrder, t.TradeDeal, t.SymbolInfo, t.TradeRequest, t.OrderSendResult, t.OrderCheckResult)}


class SymbolFileUnreadable(ValueError):
    """The symbols file (and so the broker's suffix) cannot be read; the call must not be guessed."""


class SymbolNames:
    """The suffix of one broker profile, applied to what goes to the broker and taken off what comes back."""

    def __init__(self, profile: str | None, loader: Callable[[], SymbolFile] = load_symbol_file) -> None:
        self.profile = profile
        self._loader = loader

    def suffix(self) -> str:
        """The profile's suffix now ('' for none); :class:`SymbolFileUnreadable` when the file cannot be read."""
        try:
            document = self._loader()
        except (OSError, ValueError) as exc:
            raise SymbolFileUnreadable(Text("live_symbol_file_unreadable", error=text_of(exc))) from None
        return suffix_of(self.profile, document)

    # ------------------------------------------------------------------ one name
    def to_broker(self, name: str, suffix: str) -> str:
        """``name`` as this profile's broker lists it: ``EURUSD`` -> ``EURUSD.m``; a name carrying a suffix of the
        file already is given this profile's (one suffix, never two)."""
        if not suffix or not name:
            return name
        return broker_symbol(name, self.profile, self._loader())

    @staticmethod
    def from_broker(name: str, suffix: str) -> str:
        """``name`` as the strategy says it: without ``suffix`` (names without it are kept)."""
        if suffix and len(name) > len(suffix) and name.upper().endswith(suffix.upper()):
            return name[: -len(suffix)]
        return name

    # ------------------------------------------------------------------ one call
    def outgoing(self, function: str, args: tuple, kwargs: dict, suffix: str) -> tuple[tuple, dict]:
        """The arguments of MetaTrader5 function ``function`` with every symbol in the broker's name."""
        if not suffix:
            return args, kwargs
        return renamed_symbol(function, args, kwargs, lambda name: self.to_broker(name, suffix))

    def incoming(self, result: Any, suffix: str) -> Any:
        """``result`` with every symbol the broker named in the strategy's name (records, tuples of records)."""
        if not suffix or result is None or isinstance(result, (str, bytes, int, float, bool, dict)):
            return result
        if isinstance(result, tuple) and not hasattr(result, "_fields"):
            return tuple(self.incoming(item, suffix) for item in result)
        return self._record(result, suffix)

    def _record(self, record: Any, suffix: str) -> Any:
        fields = getattr(record, "_fields", None)
        if fields is None:
            return record  # arrays of rates or ticks carry no symbol
        changes: dict[str, Any] = {}
        # a symbol record's ``name`` is a symbol; an account's or a terminal's ``name`` is not
        named = ("symbol", "name") if type(record).__name__ == "SymbolInfo" else ("symbol",)
        for field in named:
            value = getattr(record, field, None)
            if field in fields and isinstance(value, str):
                plain = self.from_broker(value, suffix)
                if plain != value:
                    changes[field] = plain
        request = getattr(record, "request", None)
        if "request" in fields and request is not None:
            plain_request = self._record(request, suffix)
            if plain_request is not request:
                changes["request"] = plain_request
        if not changes:
            return record
        replace = getattr(record, "_replace", None)
        if replace is not None:
            return replace(**changes)
        ours = _RECORD_TYPES.get(type(record).__name__)  # a bridge's own record type: rebuilt as ours
        return ours(**{**record._asdict(), **changes}) if ours is not None else record
