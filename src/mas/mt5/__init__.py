"""``import mas.mt5 as mt5``: the ``MetaTrader5`` module on Linux, macOS and Windows.

The same module-level functions, constants, named tuples and numpy record arrays as the
``MetaTrader5`` package, over any of the SDK's terminals, chosen by ``initialize()``::

    import mas.mt5 as mt5
    mt5.initialize(path="sim://127.0.0.1:18812", login=1001, password="...", server="MAS-Sim")
    rates = mt5.copy_rates_from_pos("EURUSD", mt5.TIMEFRAME_H1, 0, 100)

``sim://host:port`` is a ``mas sim serve`` server, ``mt5linux://host:port`` the mt5linux bridge,
and ``mt5`` (the default) the real ``MetaTrader5`` package next to a Windows terminal; see
:mod:`mas.mt5.session` for how the terminal and the credentials are picked (``terminal=``
keyword, ``MAS_TERMINAL``, ...). ``mas mt5 run SCRIPT.py --terminal URL`` runs an unmodified
``import MetaTrader5 as mt5`` script on this module (:mod:`mas.mt5.run`).

Extensions beyond MetaTrader5: ``initialize(terminal=...)`` and :func:`configure`.
"""

from __future__ import annotations

from typing import Any

from mas.mt5.session import Session
from mas.terminal import constants as _constants
from mas.terminal.protocol import MT5_FUNCTIONS

__author__ = "MAS SDK (MetaTrader5-compatible module)"
__version__ = "5.0.45+mas"
"""The MetaTrader5 package version whose interface this module offers."""
__mas_dropin__ = True

_EXTRA_CONSTANTS: dict[str, int] = {
    "SYMBOL_CALC_MODE_EXCH_OPTIONS": 34, "SYMBOL_CALC_MODE_EXCH_OPTIONS_MARGIN": 36,
    "SYMBOL_CALC_MODE_EXCH_BONDS": 37, "SYMBOL_CALC_MODE_EXCH_STOCKS_MOEX": 38,
    "SYMBOL_CALC_MODE_EXCH_BONDS_MOEX": 39, "SYMBOL_CALC_MODE_SERV_COLLATERAL": 64,
    "SYMBOL_OPTION_MODE_EUROPEAN": 0, "SYMBOL_OPTION_MODE_AMERICAN": 1,
    "SYMBOL_OPTION_RIGHT_CALL": 0, "SYMBOL_OPTION_RIGHT_PUT": 1,
    "SYMBOL_ORDERS_GTC": 0, "SYMBOL_ORDERS_DAILY": 1, "SYMBOL_ORDERS_DAILY_NO_STOPS": 2,
    "SYMBOL_SWAP_MODE_INTEREST_CURRENT": 5, "SYMBOL_SWAP_MODE_INTEREST_OPEN": 6,
    "SYMBOL_SWAP_MODE_REOPEN_CURRENT": 7, "SYMBOL_SWAP_MODE_REOPEN_BID": 8,
    "SYMBOL_ORDER_MARKET": 1, "SYMBOL_ORDER_LIMIT": 2, "SYMBOL_ORDER_STOP": 4, "SYMBOL_ORDER_STOP_LIMIT": 8,
    "SYMBOL_ORDER_SL": 16, "SYMBOL_ORDER_TP": 32, "SYMBOL_ORDER_CLOSEBY": 64,
}
"""MetaTrader5 constants the SDK itself has no use for (numeric values of the MetaTrader5 package)."""

CONSTANTS: dict[str, int] = {
    **{name: value for name, value in vars(_constants).items() if name.isupper() and type(value) is int},
    **_EXTRA_CONSTANTS,
}
"""Every constant this module offers, by name (TIMEFRAME_*, ORDER_TYPE_*, TRADE_RETCODE_*, ...)."""
globals().update(CONSTANTS)

_session = Session()


def configure(terminal: str | None = None, login: int | None = None, password: str | None = None,
              server: str | None = None, timeout: int | None = None) -> None:
    """Defaults for later ``initialize()`` calls that leave these out (``mas mt5 run`` sets them).

    ``terminal`` is ``"sim://host:port"``, ``"mt5linux://host:port"`` or ``"mt5"``; a bad one
    raises ``LoginError`` naming the accepted forms."""
    _session.configure(terminal, login, password, server, timeout)


def initialize(path: Any = None, *, login: Any = None, password: Any = None, server: Any = None,
               timeout: Any = None, portable: bool = False, terminal: str | None = None) -> bool:
    """Connect to the terminal (and log in when a login is known); False with last_error() otherwise.

    ``path`` is the terminal executable for the real MetaTrader5 package, or a terminal URL
    (``sim://host:port``, ``mt5linux://host:port``); ``terminal`` names the terminal explicitly."""
    return _session.initialize(path, login=login, password=password, server=server, timeout=timeout,
                               portable=portable, terminal=terminal)


def login(login: Any, password: Any = None, server: Any = None, timeout: Any = None) -> bool:
    """Log in to another account on the connected terminal."""
    return _session.login(login, password=password, server=server, timeout=timeout)


def shutdown() -> None:
    """Close the connection to the terminal."""
    _session.shutdown()


def last_error() -> tuple[int, str]:
    """(code, description) of the last call's outcome: ``RES_S_OK`` = 1 on success."""
    return _session.last_error()


def _forwarded(name: str) -> Any:
    def function(*args: Any, **kwargs: Any) -> Any:
        return _session.call(name, args, kwargs)

    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    function.__doc__ = f"MetaTrader5.{name}: same arguments and results; None (or False) on failure, see last_error()."
    return function


for _name in MT5_FUNCTIONS:
    if _name not in globals():
        globals()[_name] = _forwarded(_name)

__all__ = [*MT5_FUNCTIONS, *CONSTANTS, "configure"]
