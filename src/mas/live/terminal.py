"""A live terminal that survives connection loss: the one seam's function set, plus reconnects.

:class:`LiveTerminal` wraps a logged-in terminal (the MetaTrader5 module, an mt5linux bridge
or a ``sim://`` client) and the way to open it again. When the connection breaks, calls
return None with ``last_error()`` saying so, ``terminal_info()`` returns None (so
``check_connection()`` tells the truth), and the next calls reconnect and log in again with
exponential backoff. Every ``order_send`` goes through the journal (:mod:`mas.live.orders`).
Symbols cross this edge in the broker's names going out and the strategy's coming back
(:mod:`mas.live.symbol_names`: the broker profile's suffix, e.g. ``EURUSD`` <-> ``EURUSD.m``).
The password lives only inside the opener; it is never logged or stored.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from mas.live.symbol_names import SYMBOL_FUNCTIONS, SymbolFileUnreadable, SymbolNames
from mas.terminal import constants as c
from mas.terminal.forwarding import ForwardingTerminal
from mas.terminal.protocol import Terminal
from mas.terminal.types import OrderSendResult

log = logging.getLogger("mas.live")

TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (ConnectionError, EOFError, TimeoutError, OSError)
"""Exceptions that mean the connection to the terminal broke (the outcome of the call is unknown)."""

_LOST_CODES = frozenset({c.RES_E_INTERNAL_FAIL_CONNECT, c.RES_E_INTERNAL_FAIL_INIT, c.RES_E_INTERNAL_FAIL_SEND,
                         c.RES_E_INTERNAL_FAIL_RECEIVE, c.RES_E_INTERNAL_FAIL_TIMEOUT})
"""MetaTrader5 module error codes that mean its IPC link to the terminal is gone."""


class LiveTerminal(ForwardingTerminal):
    """The live terminal of one login: MetaTrader5 functions with reconnect and backoff."""

    def __init__(self, opener: Callable[[], Terminal], *, account: int, server: str, kind: str,
                 backoff_s: tuple[float, float] = (0.2, 3.0), timeout_s: float = 6.0, guards: Any = None,
                 profile: str | None = None) -> None:
        self._opener = opener
        self.profile = profile  # the broker profile logged in with (None: login parameters given directly)
        self.symbol_names = SymbolNames(profile)  # the profile's symbol suffix, added and taken off at this edge
        self.guards = guards  # the profile's RiskGuards (mas.live.guards), checked by every send_order
        self.timeout_s = timeout_s  # how long an unknown outcome waits for the connection to come back
        self.account = int(account)
        self.server = str(server)
        self.kind = kind
        self._lock = threading.RLock()
        self._backoff_first, self._backoff_max = backoff_s
        self._delay = self._backoff_first
        self._next_try = 0.0
        self._closed = False
        self._errors = threading.local()  # each thread's last error: a poller never hides a strategy's failure
        self._call_lock = threading.RLock()  # a failed call and the reading of its error, with no other call between
        self.reconnects = 0
        self._raw: Terminal | None = opener()
        self._journal: Any = None
        self._journal_lock = threading.Lock()  # the deal poller's thread and the strategy's may open it together

    @property
    def _error(self) -> tuple[int, str] | None:
        """The calling thread's last error (None: ask the terminal)."""
        return getattr(self._errors, "value", None)

    @_error.setter
    def _error(self, value: tuple[int, str] | None) -> None:
        self._errors.value = value

    def __repr__(self) -> str:
        state = "connected" if self.connected else "disconnected"
        return f"LiveTerminal({self.kind}, account {self.account} on {self.server}, {state})"

    # ------------------------------------------------------------------ connection
    @property
    def connected(self) -> bool:
        """True while the connection to the terminal is up (False while reconnecting or shut down)."""
        return self._raw is not None

    @property
    def journal(self) -> Any:
        """This login's order journal, opened on first use: one connection per terminal, even when two
        threads ask first at the same time (two connections setting up the file at once can lock it)."""
        if self._journal is None:
            with self._journal_lock:
                if self._journal is None:
                    from mas.live.journal import Journal

                    self._journal = Journal()
        return self._journal

    def _current(self) -> Terminal | None:
        """The raw terminal, reconnecting first when it is lost and the backoff allows."""
        with self._lock:
            if self._raw is not None or self._closed:
                return self._raw
            if time.monotonic() < self._next_try:
                return None
            return self._reopen()

    def _reopen(self) -> Terminal | None:
        try:
            self._raw = self._opener()
        except Exception as exc:  # a failed reconnect is retried later; the reason is kept
            self._delay = min(self._delay * 2, self._backoff_max)
            self._next_try = time.monotonic() + self._delay
            self._error = (c.RES_E_INTERNAL_FAIL_CONNECT, f"reconnecting to the terminal failed: {exc}")
            log.warning("account %s on %s: reconnect failed (%s); next try in %.1f s", self.account, self.server,
                        type(exc).__name__, self._delay)
            return None
        self._delay = self._backoff_first
        self._error = None
        self.reconnects += 1
        log.info("account %s on %s: reconnected", self.account, self.server)
        return self._raw

    def _lost(self, raw: Terminal | None, reason: str) -> None:
        with self._lock:
            if self._raw is not raw or raw is None:
                return
            self._raw = None
            self._delay = self._backoff_first
            self._next_try = time.monotonic() + self._delay
            self._error = (c.RES_E_INTERNAL_FAIL_CONNECT, f"No IPC connection: {reason}")
            log.warning("account %s on %s: connection to the terminal lost (%s); reconnecting", self.account,
                        self.server, reason)
        try:
            close = getattr(raw, "close", None)
            if close is not None:
                close()
        except Exception:  # the connection is already broken
            pass

    def wait_connected(self, timeout_s: float) -> bool:
        """Try to reconnect until connected or ``timeout_s`` has passed."""
        deadline = time.monotonic() + timeout_s
        while True:
            if self._current() is not None:
                return True
            if self._closed or time.monotonic() >= deadline:
                return False
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """``name`` on the raw terminal; None (and ``last_error``) when the connection is gone."""
        suffix = ""
        if name in SYMBOL_FUNCTIONS:
            try:
                suffix = self.symbol_names.suffix()
            except SymbolFileUnreadable as exc:  # which broker symbol is meant is unknown: nothing is sent
                self._error = (c.RES_E_FAIL, f"{exc}; {name} was not sent to the broker")
                return None
            args, kwargs = self.symbol_names.outgoing(name, args, kwargs, suffix)
        raw = self._current()
        if raw is None:
            return None
        self._error = None
        try:
            with self._call_lock:  # the terminal keeps one last error for everyone: read it before another call
                result = getattr(raw, name)(*args, **kwargs)
                if result is None or result is False:
                    self._error = tuple(raw.last_error())  # type: ignore[assignment]
        except TRANSPORT_ERRORS as exc:
            self._lost(raw, type(exc).__name__)
            return None
        if result is None and self.kind == "mt5" and self._error is not None and self._error[0] in _LOST_CODES:
            self._lost(raw, f"terminal error {self._error[0]}")
        return self.symbol_names.incoming(result, suffix) if suffix else result

    def set_error(self, code: int, text: str) -> None:
        """What ``last_error()`` reports until the next call (used for journal outcomes)."""
        self._error = (code, text)

    # ------------------------------------------------------------------ MetaTrader5 session functions
    def initialize(self, path: str | None = None, *, login: int | None = None, password: str | None = None,
                   server: str | None = None, timeout: int | None = None, portable: bool = False) -> bool:
        """Reconnect now; the arguments are ignored (the terminal, login and password are the ones this
        terminal was opened with)."""
        with self._lock:
            self._closed = False
            raw, self._raw = self._raw, None
            _shut_down_quietly(raw)
            self._next_try = 0.0
            return self._reopen() is not None

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            raw, self._raw = self._raw, None
        _shut_down_quietly(raw)

    def last_error(self) -> tuple[int, str]:
        if self._error is not None:
            return self._error
        if self._raw is None:
            why = "the terminal is shut down" if self._closed else "reconnecting"
            return (c.RES_E_INTERNAL_FAIL_CONNECT, f"No IPC connection: {why}")
        try:
            return tuple(self._raw.last_error())  # type: ignore[return-value]
        except TRANSPORT_ERRORS as exc:
            self._lost(self._raw, type(exc).__name__)
            return self._error or (c.RES_E_INTERNAL_FAIL_CONNECT, "No IPC connection")

    def order_send(self, request: dict[str, Any]) -> OrderSendResult | None:
        """Journaled ``order_send`` (see :func:`mas.live.orders.submit`)."""
        from mas.live.orders import submit

        return submit(self, request)

    def send_raw(self, request: dict[str, Any]) -> OrderSendResult | None:
        """``order_send`` straight to the terminal, unjournaled: only :mod:`mas.live.orders` calls this."""
        return self._call("order_send", request)


def _shut_down_quietly(raw: Terminal | None) -> None:
    """Close a raw terminal connection that may already be gone."""
    if raw is not None:
        try:
            raw.shutdown()
        except TRANSPORT_ERRORS:
            pass
