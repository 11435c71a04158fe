"""The RPyC service of the sim server: the MetaTrader5 function names, and nothing else.

Each connection gets its own :class:`TerminalSession` (initialized? which account?). The
service's only exposed methods are the names in :data:`mas.terminal.protocol.MT5_FUNCTIONS`;
arguments must be plain values (remote references are refused, so the server never calls
back into a client), and results go back as plain values too. No code is ever evaluated.

The server lists and quotes only its replayed symbol; asking for another gets None / an order
result with ``TRADE_RETCODE_PRICE_OFF`` and a message. Every successful call resets
``last_error()`` to ``(1, 'Success')``, as the MetaTrader5 module does.
"""

from __future__ import annotations

import logging
from typing import Any

import rpyc

from mas.data.timeframes import TIMEFRAME_NAMES
from mas.i18n.errors import InputError, Text
from mas.live.simserver.access import MAX_SERVER_NAME_CHARS, AuthError
from mas.live.simserver.exchange import Account, SimExchange
from mas.live.simserver.history import NoData, copy_from, copy_from_pos, copy_range
from mas.live.wire import WireError, decode, encode
from mas.terminal import constants as c
from mas.terminal.protocol import REQUEST_FUNCTIONS, SYMBOL_POSITION, renamed_symbol
from mas.terminal.types import OrderCheckResult, OrderSendResult, trade_request

log = logging.getLogger("mas.sim.server")

_OK = (c.RES_S_OK, "Success")
_RATES = frozenset({"copy_rates_from", "copy_rates_from_pos", "copy_rates_range"})
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

    def __init__(self, exchange: SimExchange, peer: str = "local") -> None:
        self.exchange = exchange
        self.peer = peer
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
        if server is not None and not (isinstance(server, str) and len(server) <= MAX_SERVER_NAME_CHARS):
            self.account = None
            self.error = (c.RES_E_INVALID_PARAMS, f"Invalid server: a name of at most {MAX_SERVER_NAME_CHARS} "
                                                  f"characters")
            return False
        try:
            self.account = self.exchange.authenticate(login, password, self.peer)
        except AuthError as exc:
            self.account = None
            self.error = (exc.code, exc.message)
            shown = login if isinstance(login, int) and not isinstance(login, bool) and login.bit_length() <= 64 \
                else f"<{type(login).__name__}>"
            log.info("login refused for account %s from %s: %s", shown, self.peer, exc.message)
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
        """Answer MetaTrader5 function ``name`` for this connection's account (None with last_error() set when not
        initialized or logged in)."""
        if name in ("initialize", "login", "shutdown", "last_error"):
            return getattr(self, name)(*args, **kwargs)
        if not self.initialized:
            self.error = (c.RES_E_INTERNAL_FAIL_INIT, "Terminal: call initialize() first")
            return None
        if name in _ACCOUNT_CALLS and self.account is None:
            self.error = (c.RES_E_AUTH_FAILED, "Terminal: not logged in to an account")
            return None
        exchange = self.exchange
        args, kwargs = _spelled_as_quoted(name, args, kwargs, exchange.quoted)
        if name in ("copy_ticks_from", "copy_ticks_range") or name in _RATES:
            return getattr(self, name)(*args, **kwargs)
        if name in ("symbols_total", "symbols_get"):
            return self._symbols(name, *args, **kwargs)
        symbol = _symbol_argument(name, args, kwargs)
        if symbol is not None and symbol not in exchange.quoted:
            return self._unquoted(name, symbol, args, kwargs)
        term = self.account.terminal if self.account is not None else exchange.market_terminal
        with exchange.lock:
            before = term.last_error()
            if name == "order_send":
                result = exchange.order_send(self.account, _request(args, kwargs))
            elif name == "order_check":
                result = term.order_check(_request(args, kwargs))
            elif name == "terminal_info":
                result = term.terminal_info()._replace(name="MAS simulated MT5 server", connected=True)
            else:
                result = getattr(term, name)(*args, **kwargs)
            failed = result is None or result is False
            after = term.last_error()
        if not failed:
            self.error = _OK
        elif after != before or after[0] != c.RES_S_OK:
            self.error = after
        else:
            self.error = (c.RES_E_FAIL, f"{name} failed")
        return result

    # ------------------------------------------------------------------ symbols: only what the server quotes
    def _symbols(self, name: str, group: Any = None) -> Any:
        # the logged-in account's terminal: each symbol's tick value is in that account's currency
        term = self.account.terminal if self.account is not None else self.exchange.market_terminal
        with self.exchange.lock:
            listed = [s for s in term.symbols_get(group) if s.name in self.exchange.quoted] if group is not None \
                else [term.symbol_info(s) for s in self.exchange.quoted]
        self.error = _OK
        return len(listed) if name == "symbols_total" else tuple(listed)

    def _unquoted(self, name: str, symbol: str, args: tuple, kwargs: dict) -> Any:
        """The answer for a symbol this server neither lists nor quotes."""
        quoted = ", ".join(self.exchange.quoted)
        if name in ("order_send", "order_check"):
            request = trade_request(_request(args, kwargs))
            comment = f"No prices: {symbol} is not quoted on this server (it quotes {quoted})"
            self.error = _OK  # as MetaTrader5: a refused request is an answer, not a failed call
            if name == "order_send":
                return OrderSendResult(c.TRADE_RETCODE_PRICE_OFF, 0, 0, request.volume, 0.0, 0.0, 0.0, comment, 0, 0,
                                       request)
            with self.exchange.lock:
                info = self.account.terminal.account_info()  # type: ignore[union-attr]  (account calls need a login)
            return OrderCheckResult(c.TRADE_RETCODE_PRICE_OFF, info.balance, info.equity, 0.0, 0.0, info.margin_free,
                                    info.margin_level, comment, request)
        self.error = (c.RES_E_NOT_FOUND, f"Symbol {symbol} not found: this server quotes {quoted}")
        return False if name in ("symbol_select", "market_book_add", "market_book_release") else \
            (() if name == "market_book_get" else None)

    # ------------------------------------------------------------------ history
    def _bars(self, symbol: Any, timeframe: Any) -> Any:
        if not isinstance(symbol, str) or symbol not in self.exchange.quoted:
            raise NoData(c.RES_E_NOT_FOUND, f"Symbol {symbol} not found: this server quotes "
                                            f"{', '.join(self.exchange.quoted)}")
        if isinstance(timeframe, bool) or not isinstance(timeframe, int) or timeframe not in TIMEFRAME_NAMES:
            raise NoData(c.RES_E_INVALID_PARAMS, f"Invalid timeframe {timeframe!r}: use a TIMEFRAME_* constant")
        return self.exchange.bars(TIMEFRAME_NAMES[timeframe])

    def _rates(self, build: Any) -> Any:
        try:
            result = build()
        except NoData as exc:
            self.error = (exc.code, exc.message)
            return None
        self.error = _OK
        return result

    def copy_rates_from_pos(self, symbol: Any, timeframe: Any, start_pos: Any, count: Any) -> Any:
        start_pos, count = _count(start_pos, "start_pos"), _count(count, "count")
        return self._rates(lambda: copy_from_pos(self._bars(symbol, timeframe), start_pos, count))

    def copy_rates_from(self, symbol: Any, timeframe: Any, date_from: Any, count: Any) -> Any:
        date_from, count = _count(date_from, "date_from"), _count(count, "count")
        return self._rates(lambda: copy_from(self._bars(symbol, timeframe), date_from, count))

    def copy_rates_range(self, symbol: Any, timeframe: Any, date_from: Any, date_to: Any) -> Any:
        date_from, date_to = _count(date_from, "date_from"), _count(date_to, "date_to")
        return self._rates(lambda: copy_range(self._bars(symbol, timeframe), date_from, date_to))

    def copy_ticks_from(self, symbol: str, date_from: Any, count: Any, flags: Any = c.COPY_TICKS_ALL) -> Any:
        return self._ticks(symbol, self.exchange.ticks(str(symbol), int(date_from), None, int(count)))

    def copy_ticks_range(self, symbol: str, date_from: Any, date_to: Any, flags: Any = c.COPY_TICKS_ALL) -> Any:
        return self._ticks(symbol, self.exchange.ticks(str(symbol), int(date_from), int(date_to), None))

    def _ticks(self, symbol: str, ticks: Any) -> Any:
        self.error = (c.RES_E_NOT_FOUND, f"no ticks for {symbol} on this server") if ticks is None else \
            (c.RES_S_OK, "Success")
        return ticks


def _count(value: Any, what: str) -> int:
    """A non-negative whole number argument (a count, a position, epoch seconds)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("simsrv_count", what=what)
    return value


def _symbol_argument(name: str, args: tuple, kwargs: dict) -> str | None:
    """The symbol a call is about (None when it names none)."""
    position = SYMBOL_POSITION.get(name)
    if position is not None:
        value = args[position] if len(args) > position else kwargs.get("symbol")
    elif name in REQUEST_FUNCTIONS:
        request = _request(args, kwargs)
        if int(request.get("action", 0) or 0) not in (c.TRADE_ACTION_DEAL, c.TRADE_ACTION_PENDING):
            return None
        value = request.get("symbol")
    else:
        return None
    return value if isinstance(value, str) else None


def _spelled_as_quoted(name: str, args: tuple, kwargs: dict, quoted: tuple[str, ...]) -> tuple[tuple, dict]:
    """The call with its symbol spelled as this server quotes it: ``EURUSD.m`` for a server quoting ``EURUSD.M``
    (the simulator keeps names upper-case; a broker's suffix is often lower-case). Other names are left as given."""
    spelled = {q.upper(): q for q in quoted}
    return renamed_symbol(name, args, kwargs, lambda value: spelled.get(value.upper(), value))


def _request(args: tuple, kwargs: dict) -> dict:
    request = args[0] if args else kwargs.get("request")
    if not isinstance(request, dict):
        raise WireError(Text("wire_request_dict"))
    return request


def _exposed(name: str) -> Any:
    """The service method for MetaTrader5.``name``: it runs the call in the connection's session."""
    def method(self: SimTerminalService, *args: Any, **kwargs: Any) -> Any:
        return self._dispatch(name, args, kwargs)

    method.__name__ = f"exposed_{name}"
    method.__doc__ = f"MetaTrader5.{name}"
    return method


class SimTerminalService(rpyc.Service):
    """One connection to the sim server; exposes exactly the MetaTrader5 functions."""

    def __init__(self, exchange: SimExchange) -> None:
        super().__init__()
        self._exchange = exchange
        self._session = TerminalSession(exchange)
        self._peer: Any = None

    def on_connect(self, conn: Any) -> None:
        """A client connected: start its terminal session (rpyc calls this)."""
        # rpyc's documented way to read what the server's authenticator (access.ConnectionGate) returned
        self._peer = conn._config.get("credentials")
        self._session = TerminalSession(self._exchange, getattr(self._peer, "host", "unknown"))

    def on_disconnect(self, conn: Any) -> None:
        """A client left: give its connection slot back (rpyc calls this)."""
        release = getattr(self._peer, "release", None)
        if release is not None:
            release()

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

    # exactly the MetaTrader5 functions (mas.terminal.protocol.MT5_FUNCTIONS; a test checks the two agree)
    exposed_initialize = _exposed("initialize")
    exposed_login = _exposed("login")
    exposed_shutdown = _exposed("shutdown")
    exposed_version = _exposed("version")
    exposed_last_error = _exposed("last_error")
    exposed_account_info = _exposed("account_info")
    exposed_terminal_info = _exposed("terminal_info")
    exposed_symbols_total = _exposed("symbols_total")
    exposed_symbols_get = _exposed("symbols_get")
    exposed_symbol_info = _exposed("symbol_info")
    exposed_symbol_info_tick = _exposed("symbol_info_tick")
    exposed_symbol_select = _exposed("symbol_select")
    exposed_market_book_add = _exposed("market_book_add")
    exposed_market_book_get = _exposed("market_book_get")
    exposed_market_book_release = _exposed("market_book_release")
    exposed_copy_rates_from = _exposed("copy_rates_from")
    exposed_copy_rates_from_pos = _exposed("copy_rates_from_pos")
    exposed_copy_rates_range = _exposed("copy_rates_range")
    exposed_copy_ticks_from = _exposed("copy_ticks_from")
    exposed_copy_ticks_range = _exposed("copy_ticks_range")
    exposed_orders_total = _exposed("orders_total")
    exposed_orders_get = _exposed("orders_get")
    exposed_positions_total = _exposed("positions_total")
    exposed_positions_get = _exposed("positions_get")
    exposed_history_orders_total = _exposed("history_orders_total")
    exposed_history_orders_get = _exposed("history_orders_get")
    exposed_history_deals_total = _exposed("history_deals_total")
    exposed_history_deals_get = _exposed("history_deals_get")
    exposed_order_calc_margin = _exposed("order_calc_margin")
    exposed_order_calc_profit = _exposed("order_calc_profit")
    exposed_order_check = _exposed("order_check")
    exposed_order_send = _exposed("order_send")
    # rpyc's Service base class exposes two service-discovery helpers; the terminal has no use for them.
    exposed_get_service_name = None  # type: ignore[assignment]
    exposed_get_service_aliases = None  # type: ignore[assignment]

