"""Terminals that pass each MetaTrader5 call on to something else (a connection, a bridge, a module).

:class:`ForwardingTerminal` writes every function of :class:`~mas.terminal.protocol.Terminal` once,
with MetaTrader5's signature, and hands the call to one hook, ``_call(name, *args, **kwargs)``, that
each subclass implements (over RPyC, over the mt5linux bridge, over the ``MetaTrader5`` module with
reconnects). Arguments go on as MetaTrader5 takes them: the unnamed ones positionally, the named
ones by keyword, and the ones left out (None) not at all, so the far side applies its own defaults.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mas.terminal.protocol import DateLike, Request
from mas.terminal.types import (
    AccountInfo,
    BookInfo,
    OrderCheckResult,
    OrderSendResult,
    SymbolInfo,
    TerminalInfo,
    Tick,
    TradeDeal,
    TradeOrder,
    TradePosition,
)


def _given(**kwargs: Any) -> dict[str, Any]:
    """The keyword arguments the caller gave (None means left out)."""
    return {key: value for key, value in kwargs.items() if value is not None}


def _leading(*args: Any) -> tuple[Any, ...]:
    """Optional positional arguments up to the last one given (trailing Nones are left out)."""
    end = len(args)
    while end and args[end - 1] is None:
        end -= 1
    return args[:end]


class ForwardingTerminal:
    """Every MetaTrader5 function, forwarded to :meth:`_call`; satisfies :class:`~mas.terminal.protocol.Terminal`."""

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """MetaTrader5 function ``name`` called with these arguments on whatever this terminal wraps."""
        raise NotImplementedError(f"{type(self).__name__} must implement _call")

    # ------------------------------------------------------------------ connection
    def initialize(self, path: str | None = None, *, login: int | None = None, password: str | None = None,
                   server: str | None = None, timeout: int | None = None, portable: bool = False) -> bool:
        return self._call("initialize", *_leading(path), **_given(login=login, password=password, server=server,
                                                                 timeout=timeout, portable=portable or None))

    def login(self, login: int, *, password: str | None = None, server: str | None = None,
              timeout: int | None = None) -> bool:
        return self._call("login", login, **_given(password=password, server=server, timeout=timeout))

    def shutdown(self) -> None:
        self._call("shutdown")

    def version(self) -> tuple[int, int, str] | None:
        return self._call("version")

    def last_error(self) -> tuple[int, str]:
        return self._call("last_error")

    # ------------------------------------------------------------------ account, terminal, symbols
    def account_info(self) -> AccountInfo | None:
        return self._call("account_info")

    def terminal_info(self) -> TerminalInfo | None:
        return self._call("terminal_info")

    def symbols_total(self) -> int:
        return self._call("symbols_total")

    def symbols_get(self, group: str | None = None) -> tuple[SymbolInfo, ...] | None:
        return self._call("symbols_get", **_given(group=group))

    def symbol_info(self, symbol: str) -> SymbolInfo | None:
        return self._call("symbol_info", symbol)

    def symbol_info_tick(self, symbol: str) -> Tick | None:
        return self._call("symbol_info_tick", symbol)

    def symbol_select(self, symbol: str, enable: bool = True) -> bool:
        return self._call("symbol_select", symbol, enable)

    def market_book_add(self, symbol: str) -> bool:
        return self._call("market_book_add", symbol)

    def market_book_get(self, symbol: str) -> tuple[BookInfo, ...] | None:
        return self._call("market_book_get", symbol)

    def market_book_release(self, symbol: str) -> bool:
        return self._call("market_book_release", symbol)

    # ------------------------------------------------------------------ history of prices
    def copy_rates_from(self, symbol: str, timeframe: int, date_from: DateLike, count: int) -> np.ndarray | None:
        return self._call("copy_rates_from", symbol, timeframe, date_from, count)

    def copy_rates_from_pos(self, symbol: str, timeframe: int, start_pos: int, count: int) -> np.ndarray | None:
        return self._call("copy_rates_from_pos", symbol, timeframe, start_pos, count)

    def copy_rates_range(self, symbol: str, timeframe: int, date_from: DateLike,
                         date_to: DateLike) -> np.ndarray | None:
        return self._call("copy_rates_range", symbol, timeframe, date_from, date_to)

    def copy_ticks_from(self, symbol: str, date_from: DateLike, count: int, flags: int) -> np.ndarray | None:
        return self._call("copy_ticks_from", symbol, date_from, count, flags)

    def copy_ticks_range(self, symbol: str, date_from: DateLike, date_to: DateLike,
                         flags: int) -> np.ndarray | None:
        return self._call("copy_ticks_range", symbol, date_from, date_to, flags)

    # ------------------------------------------------------------------ orders, positions, history
    def orders_total(self) -> int | None:
        return self._call("orders_total")

    def orders_get(self, *, symbol: str | None = None, group: str | None = None,
                   ticket: int | None = None) -> tuple[TradeOrder, ...] | None:
        return self._call("orders_get", **_given(symbol=symbol, group=group, ticket=ticket))

    def positions_total(self) -> int | None:
        return self._call("positions_total")

    def positions_get(self, *, symbol: str | None = None, group: str | None = None,
                      ticket: int | None = None) -> tuple[TradePosition, ...] | None:
        return self._call("positions_get", **_given(symbol=symbol, group=group, ticket=ticket))

    def history_orders_total(self, date_from: DateLike, date_to: DateLike) -> int | None:
        return self._call("history_orders_total", date_from, date_to)

    def history_orders_get(self, date_from: DateLike | None = None, date_to: DateLike | None = None, *,
                           group: str | None = None, ticket: int | None = None,
                           position: int | None = None) -> tuple[TradeOrder, ...] | None:
        return self._call("history_orders_get", *_leading(date_from, date_to),
                          **_given(group=group, ticket=ticket, position=position))

    def history_deals_total(self, date_from: DateLike, date_to: DateLike) -> int | None:
        return self._call("history_deals_total", date_from, date_to)

    def history_deals_get(self, date_from: DateLike | None = None, date_to: DateLike | None = None, *,
                          group: str | None = None, ticket: int | None = None,
                          position: int | None = None) -> tuple[TradeDeal, ...] | None:
        return self._call("history_deals_get", *_leading(date_from, date_to),
                          **_given(group=group, ticket=ticket, position=position))

    # ------------------------------------------------------------------ calculations and trading
    def order_calc_margin(self, action: int, symbol: str, volume: float, price: float) -> float | None:
        return self._call("order_calc_margin", action, symbol, volume, price)

    def order_calc_profit(self, action: int, symbol: str, volume: float, price_open: float,
                          price_close: float) -> float | None:
        return self._call("order_calc_profit", action, symbol, volume, price_open, price_close)

    def order_check(self, request: Request) -> OrderCheckResult | None:
        return self._call("order_check", request)

    def order_send(self, request: Request) -> OrderSendResult | None:
        return self._call("order_send", request)
