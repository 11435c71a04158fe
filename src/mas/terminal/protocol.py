"""The terminal seam: what every terminal offers, typed.

:class:`Terminal` is the ``MetaTrader5`` module's function set, with its parameters and return
types (the named tuples and record arrays of :mod:`mas.terminal.types`). The simulated terminal
of a backtest, the ``sim://`` client, the mt5linux bridge and the live terminal over the
``MetaTrader5`` package all satisfy it; so does the ``MetaTrader5`` module itself.

Parameters follow the MetaTrader5 documentation: what it calls "unnamed" parameters are
positional, what it calls "optional named" parameters are keyword-only. A default of None
means "left out" (MetaTrader5 then applies its own default); failures answer None (False for
the functions returning bool) with the reason in ``last_error()``.

:data:`MT5_FUNCTIONS` is the tuple of the function names, in the order declared below, and
:func:`signature_problems` says where a class or an object falls short of the Protocol.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import numpy as np

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

DateLike = datetime | int | float
"""A time argument: a datetime (naive = UTC) or seconds since 1970-01-01 UTC, as MetaTrader5 accepts."""

Request = dict[str, Any]
"""An ``order_send`` / ``order_check`` request: MetaTrader5's trade request fields by name."""


@runtime_checkable
class Terminal(Protocol):
    """The MetaTrader5 module's function set: the one seam between the SDK and any terminal."""

    # ------------------------------------------------------------------ connection
    def initialize(self, path: str | None = None, *, login: int | None = None, password: str | None = None,
                   server: str | None = None, timeout: int | None = None, portable: bool = False) -> bool:
        """Connect to the terminal (at ``path``), logging in when ``login`` is given."""
        ...

    def login(self, login: int, *, password: str | None = None, server: str | None = None,
              timeout: int | None = None) -> bool:
        """Log in to trading account ``login``."""
        ...

    def shutdown(self) -> None:
        """Close the connection to the terminal."""
        ...

    def version(self) -> tuple[int, int, str] | None:
        """(terminal version, build, build date)."""
        ...

    def last_error(self) -> tuple[int, str]:
        """(code, description) of the last call's outcome; ``RES_S_OK`` (1) after a success."""
        ...

    # ------------------------------------------------------------------ account, terminal, symbols
    def account_info(self) -> AccountInfo | None:
        """The logged-in account."""
        ...

    def terminal_info(self) -> TerminalInfo | None:
        """The terminal's state and settings."""
        ...

    def symbols_total(self) -> int:
        """How many symbols the terminal knows."""
        ...

    def symbols_get(self, group: str | None = None) -> tuple[SymbolInfo, ...] | None:
        """Every symbol, or those matching ``group`` (``*`` wildcards, ``!`` exclusions, comma separated)."""
        ...

    def symbol_info(self, symbol: str) -> SymbolInfo | None:
        """The properties of ``symbol``."""
        ...

    def symbol_info_tick(self, symbol: str) -> Tick | None:
        """The last tick of ``symbol``."""
        ...

    def symbol_select(self, symbol: str, enable: bool = True) -> bool:
        """Show ``symbol`` in the Market Watch (``enable`` False: remove it)."""
        ...

    def market_book_add(self, symbol: str) -> bool:
        """Subscribe to the depth of market of ``symbol``."""
        ...

    def market_book_get(self, symbol: str) -> tuple[BookInfo, ...] | None:
        """The depth of market of ``symbol``."""
        ...

    def market_book_release(self, symbol: str) -> bool:
        """Cancel the depth of market subscription of ``symbol``."""
        ...

    # ------------------------------------------------------------------ history of prices
    def copy_rates_from(self, symbol: str, timeframe: int, date_from: DateLike, count: int) -> np.ndarray | None:
        """``count`` bars (``RATES_DTYPE``) ending at ``date_from``."""
        ...

    def copy_rates_from_pos(self, symbol: str, timeframe: int, start_pos: int, count: int) -> np.ndarray | None:
        """``count`` bars (``RATES_DTYPE``) from bar index ``start_pos`` (0 = the current bar) backwards."""
        ...

    def copy_rates_range(self, symbol: str, timeframe: int, date_from: DateLike,
                         date_to: DateLike) -> np.ndarray | None:
        """The bars (``RATES_DTYPE``) opened from ``date_from`` to ``date_to``."""
        ...

    def copy_ticks_from(self, symbol: str, date_from: DateLike, count: int, flags: int) -> np.ndarray | None:
        """``count`` ticks (``TICKS_DTYPE``) from ``date_from``; ``flags`` a ``COPY_TICKS_*`` constant."""
        ...

    def copy_ticks_range(self, symbol: str, date_from: DateLike, date_to: DateLike,
                         flags: int) -> np.ndarray | None:
        """The ticks (``TICKS_DTYPE``) from ``date_from`` to ``date_to``."""
        ...

    # ------------------------------------------------------------------ orders, positions, history
    def orders_total(self) -> int | None:
        """How many pending orders are active."""
        ...

    def orders_get(self, *, symbol: str | None = None, group: str | None = None,
                   ticket: int | None = None) -> tuple[TradeOrder, ...] | None:
        """The active pending orders, all or those of ``symbol``, ``group`` or ``ticket``."""
        ...

    def positions_total(self) -> int | None:
        """How many positions are open."""
        ...

    def positions_get(self, *, symbol: str | None = None, group: str | None = None,
                      ticket: int | None = None) -> tuple[TradePosition, ...] | None:
        """The open positions, all or those of ``symbol``, ``group`` or ``ticket``."""
        ...

    def history_orders_total(self, date_from: DateLike, date_to: DateLike) -> int | None:
        """How many orders ended from ``date_from`` to ``date_to``."""
        ...

    def history_orders_get(self, date_from: DateLike | None = None, date_to: DateLike | None = None, *,
                           group: str | None = None, ticket: int | None = None,
                           position: int | None = None) -> tuple[TradeOrder, ...] | None:
        """Ended orders: from ``date_from`` to ``date_to`` (within ``group``), or by ``ticket`` or ``position``."""
        ...

    def history_deals_total(self, date_from: DateLike, date_to: DateLike) -> int | None:
        """How many deals were done from ``date_from`` to ``date_to``."""
        ...

    def history_deals_get(self, date_from: DateLike | None = None, date_to: DateLike | None = None, *,
                          group: str | None = None, ticket: int | None = None,
                          position: int | None = None) -> tuple[TradeDeal, ...] | None:
        """Deals: from ``date_from`` to ``date_to`` (within ``group``), or of order ``ticket``, or of ``position``."""
        ...

    # ------------------------------------------------------------------ calculations and trading
    def order_calc_margin(self, action: int, symbol: str, volume: float, price: float) -> float | None:
        """The margin (account currency) of ``volume`` lots bought (``action`` ORDER_TYPE_BUY) or sold at ``price``."""
        ...

    def order_calc_profit(self, action: int, symbol: str, volume: float, price_open: float,
                          price_close: float) -> float | None:
        """The profit (account currency) of ``volume`` lots opened at ``price_open`` and closed at ``price_close``."""
        ...

    def order_check(self, request: Request) -> OrderCheckResult | None:
        """Whether the account's funds allow ``request``, and what margin it takes."""
        ...

    def order_send(self, request: Request) -> OrderSendResult | None:
        """Send a trade request to the trade server."""
        ...


MT5_FUNCTIONS: tuple[str, ...] = tuple(name for name, value in vars(Terminal).items()
                                       if inspect.isfunction(value) and not name.startswith("_"))
"""The MetaTrader5 module's functions, in :class:`Terminal`'s order: the whole surface a terminal offers."""


def signature_problems(implementation: Any) -> list[str]:
    """Where ``implementation`` (a class, or an object such as a module) falls short of :class:`Terminal`:
    a missing function, or parameters that do not accept the calls MetaTrader5's signature allows (same
    positional names and order, keyword names, a default wherever MetaTrader5 has one, equal to it
    unless MetaTrader5's is None, and no extra required parameter). Empty when it conforms."""
    problems = []
    for name in MT5_FUNCTIONS:
        found = getattr(implementation, name, None)
        if not callable(found):
            problems.append(f"{name}: missing")
            continue
        expected = list(inspect.signature(getattr(Terminal, name)).parameters.values())[1:]
        offered = list(inspect.signature(found).parameters.values())
        static = isinstance(inspect.getattr_static(implementation, name, None), (staticmethod, classmethod))
        if isinstance(implementation, type) and not static and offered:
            offered = offered[1:]  # self (a plain function, or a compiled class's method descriptor)
        problems.extend(f"{name}: {problem}" for problem in _parameter_problems(expected, offered))
    return problems


def _parameter_problems(expected: list[inspect.Parameter], offered: list[inspect.Parameter]) -> list[str]:
    kinds = inspect.Parameter
    var_args = any(p.kind is kinds.VAR_POSITIONAL for p in offered)
    var_kwargs = any(p.kind is kinds.VAR_KEYWORD for p in offered)
    positional = [p for p in offered if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
    by_name = {p.name: p for p in offered if p.kind in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)}
    problems = []
    for index, want in enumerate(p for p in expected if p.kind is kinds.POSITIONAL_OR_KEYWORD):
        if index < len(positional) and positional[index].name != want.name:
            problems.append(f"positional parameter {index + 1} is {positional[index].name!r}, not {want.name!r}")
        elif index >= len(positional) and not var_args:
            problems.append(f"takes no positional parameter {want.name!r}")
    for want in expected:
        have = by_name.get(want.name)
        if have is None:
            if not var_kwargs:
                problems.append(f"has no parameter {want.name!r}")
        elif want.default is not kinds.empty and have.default is kinds.empty:
            problems.append(f"{want.name!r} is required; MetaTrader5 has it optional")
        elif want.default not in (kinds.empty, None) and have.default != want.default:
            problems.append(f"{want.name!r} defaults to {have.default!r}, not {want.default!r}")
    names = {p.name for p in expected}
    problems.extend(f"requires {p.name!r}, which MetaTrader5 does not have" for p in offered
                    if p.default is kinds.empty and p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)
                    and p.name not in names)
    return problems

SYMBOL_POSITION: dict[str, int] = {
    **dict.fromkeys(("symbol_info", "symbol_info_tick", "symbol_select", "market_book_add", "market_book_get",
                     "market_book_release", "copy_rates_from", "copy_rates_from_pos", "copy_rates_range",
                     "copy_ticks_from", "copy_ticks_range"), 0),
    **dict.fromkeys(("order_calc_margin", "order_calc_profit"), 1),
}
"""The MetaTrader5 functions that name one symbol, and which positional argument it is (given by keyword, it is
``symbol``)."""
REQUEST_FUNCTIONS = frozenset({"order_check", "order_send"})
"""The MetaTrader5 functions whose first argument is a trade request (the symbol is its ``symbol`` field)."""


def renamed_symbol(function: str, args: tuple, kwargs: dict, rename: Callable[[str], str]) -> tuple[tuple, dict]:
    """The arguments of MetaTrader5 function ``function`` with the symbol they name (where
    :data:`SYMBOL_POSITION` puts it, the ``symbol=`` keyword, or a request's ``symbol``) passed through ``rename``;
    values that are not text are left as they are, and the caller's request dict is not changed."""
    position = SYMBOL_POSITION.get(function)
    if position is not None and len(args) > position and isinstance(args[position], str):
        args = (*args[:position], rename(args[position]), *args[position + 1:])
    elif function in REQUEST_FUNCTIONS and args and isinstance(args[0], dict) \
            and isinstance(args[0].get("symbol"), str):
        args = ({**args[0], "symbol": rename(args[0]["symbol"])}, *args[1:])
    if isinstance(kwargs.get("symbol"), str):
        kwargs = {**kwargs, "symbol": rename(kwargs["symbol"])}
    return args, kwargs
