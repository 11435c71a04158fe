"""The RPyC service of the sim server: the MetaTrader5 function names, and nothing else.

Each connection gets its own :class:`TerminalSession` (initialized? which account?). The
service's only exposed methods are the names in :data:`mas.live.wire.MT5_FUNCTIONS`;
arguments must be plain values (remote references are refused, so the server never calls
back into a client), and results go back as plain values too. No code is ever evaluated.
"""

from __future__ import annotations

import logging
from typing import Any

import rpyc

from mas.live.simserver.exchange import Account, AuthError, SimExchange
from mas.live.wire import MT5_FUNCTIONS, WireError, decode, encode
from mas.terminal import constants as c

log = logging.getLogger("mas.sim.server")

_ACCOUNT_CALLS = frozenset({
    "account_info", "orders_total", "orders_get", "positions_total", "positions_get", "history_orders_total",
    "history_orders_get", "history_deals_total", "history_deals_get", "order_check", "order_send",
})

SERVER_CONFIG = {
    "allow_public_attrs": False, "allow_all_attrs": False, "allow_safe_attrs": False, "allow_setattr": False,
    "allow_delattr": False, "allow_pickle": False, "include_local_traceback": False,
    "include_local_version": False, "import_custom_exceptions": False, "instantiate_custom_exceptions": False,
}


class TerminalSession:
    """One client's view of the server: MetaTrader5 semantics for initialize/login/last_error."""

    def __init__(self, exchange: SimExchange) -> None:
        self.exchange = exchange
        self.initialized = False
        self.account: Account | None = None
        self.error: tuple[int, str] = (c.RES_S_OK, "Success")

    # ------------------------------------------------------------------ session
    def initialize(self, path: Any = None, login: Any = None, password: Any = None, server: Any = None,
                   timeout: Any = None, portable: Any = False) -> bool:
        self.initialized = True
        self.error = (c.RES_S_OK, "Success")
        if login is not None:
            return self.login(login, password, server, timeout)
        return True

    def login(self, login: Any, password: Any = None, server: Any = None, timeout: Any = None) -> bool:
        if isinstance(login, bool) or not isinstance(login, int) or not isinstance(password, str):
            self.error = (c.RES_E_INVALID_PARAMS, "Invalid login or password")
            return False
        try:
            self.account = self.exchange.authenticate(login, password)
        except AuthError as exc:
            self.account = None
            self.error = (c.RES_E_AUTH_FAILED, str(exc))
            log.info("login refused for account %s", login)
            return False
        self.initialized = True
        self.error = (c.RES_S_OK, "Success")
        return True

    def shutdown(self) -> None:
        self.initialized = False
        self.account = None

    def last_error(self) -> tuple[int, str]:
        return self.error

    # ------------------------------------------------------------------ everything else
    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        if name in ("initialize", "login", "shutdown", "last_error"):
            return getattr(self, name)(*args, **kwargs)
        if not self.initialized:
            self.error = (c.RES_E_INTERNAL_FAIL_INIT, "Terminal: call initialize() first")
            return None
        if name in _ACCOUNT_CALLS and self.account is None:
            self.error = (c.RES_E_AUTH_FAILED, "Terminal: not logged in to an account")
            return None
        exchange = self.exchange
        term = self.account.terminal if self.account is not None else exchange.market_terminal
        with exchange.lock:
            if name == "order_send":
                result = exchange.order_send(self.account, _request(args, kwargs))
            elif name == "order_check":
                result = term.order_check(_request(args, kwargs))
            elif name in ("copy_ticks_from", "copy_ticks_range"):
                return getattr(self, name)(*args, **kwargs)
            elif name == "terminal_info":
                result = term.terminal_info()._replace(name="MAS simulated MT5 server", connected=True)
            else:
                result = getattr(term, name)(*args, **kwargs)
            failed = result is None or result is False
            self.error = term.last_error() if failed else (c.RES_S_OK, "Success")
        return result

    def copy_ticks_from(self, symbol: str, date_from: Any, count: Any, flags: Any = c.COPY_TICKS_ALL) -> Any:
        return self._ticks(symbol, self.exchange.ticks(str(symbol), int(date_from), None, int(count)))

    def copy_ticks_range(self, symbol: str, date_from: Any, date_to: Any, flags: Any = c.COPY_TICKS_ALL) -> Any:
        return self._ticks(symbol, self.exchange.ticks(str(symbol), int(date_from), int(date_to), None))

    def _ticks(self, symbol: str, ticks: Any) -> Any:
        self.error = (c.RES_E_NOT_FOUND, f"no ticks for {symbol} on this server") if ticks is None else \
            (c.RES_S_OK, "Success")
        return ticks


def _request(args: tuple, kwargs: dict) -> dict:
    request = args[0] if args else kwargs.get("request")
    if not isinstance(request, dict):
        raise WireError("order_send/order_check need a request dict")
    return request


class SimTerminalService(rpyc.Service):
    """One connection to the sim server; exposes exactly the MetaTrader5 functions."""

    def __init__(self, exchange: SimExchange) -> None:
        super().__init__()
        self._session = TerminalSession(exchange)

    def _dispatch(self, name: str, args: tuple, kwargs: dict) -> Any:
        session = self._session
        try:
            plain_args = tuple(decode(a) for a in args)
            plain_kwargs = {str(k): decode(v) for k, v in kwargs.items()}
            return encode(session.call(name, plain_args, plain_kwargs))
        except (WireError, TypeError, ValueError, KeyError) as exc:
            session.error = (c.RES_E_INVALID_PARAMS, f"{name}: invalid parameters ({type(exc).__name__})")
            return encode(False if name in ("initialize", "login") else None)
        except Exception:  # never leak internals to the client; the server log has the details
            log.exception("%s failed on the sim server", name)
            session.error = (c.RES_E_INTERNAL_FAIL, f"{name}: internal error on the sim server")
            return None


def _exposed(name: str) -> Any:
    def method(self: SimTerminalService, *args: Any, **kwargs: Any) -> Any:
        return self._dispatch(name, args, kwargs)

    method.__name__ = f"exposed_{name}"
    method.__doc__ = f"MetaTrader5.{name}"
    return method


for _name in MT5_FUNCTIONS:
    setattr(SimTerminalService, f"exposed_{_name}", _exposed(_name))

# rpyc's Service base class exposes two service-discovery helpers; the terminal has no use for them.
SimTerminalService.exposed_get_service_name = None  # type: ignore[attr-defined]
SimTerminalService.exposed_get_service_aliases = None  # type: ignore[attr-defined]
