"""Which terminal ``mas.mt5`` talks to, its connection, and ``last_error()``.

The terminal is chosen when ``initialize()`` runs, first match wins:

1. ``initialize(..., terminal="sim://host:port")``;
2. ``initialize(path="sim://host:port")`` or ``"mt5linux://host:port"`` (a path holding ``://``);
3. the defaults set by :meth:`Session.configure` (``mas mt5 run --terminal``);
4. the ``MAS_TERMINAL`` environment variable;
5. ``"mt5"``: the real ``MetaTrader5`` package (Windows), with ``path`` as the terminal executable.

Login, password and server come from the call, else from :meth:`Session.configure`, else from
``MAS_LOGIN`` / ``MAS_PASSWORD`` / ``MAS_SERVER``. A default password is only used for the default
login. Passwords stay in this object's memory (to reconnect) and never reach a log, a message or a repr.
A broken connection is opened again at the next call after it broke, logging in to the account of
the last ``initialize()`` or ``login()``.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from mas.i18n.errors import InputError, Text
from mas.live.connect import LoginError, TerminalTarget, close_quietly, open_bridge, parse_target
from mas.live.wire import WireError
from mas.terminal import constants as c
from mas.terminal.protocol import Terminal

DEFAULT_TIMEOUT_MS = 60_000
"""MetaTrader5's own default for ``initialize``/``login`` timeouts."""

FALSE_ON_FAILURE = frozenset({"initialize", "login", "symbol_select", "market_book_add", "market_book_release"})
"""Functions that answer False on failure; every other one answers None."""

NO_IPC = c.RES_E_INTERNAL_FAIL_CONNECT
SUCCESS: tuple[int, str] = (c.RES_S_OK, "Success")


@dataclass
class Defaults:
    """What ``initialize()`` uses for arguments the call leaves out."""

    terminal: str | None = None
    login: int | None = None
    password: str | None = field(default=None, repr=False)
    server: str | None = None
    timeout: int | None = None


def env_defaults(environ: dict[str, str] | os._Environ = os.environ) -> Defaults:
    """Defaults from ``MAS_TERMINAL``, ``MAS_LOGIN``, ``MAS_PASSWORD``, ``MAS_SERVER``."""
    login = environ.get("MAS_LOGIN", "").strip()
    return Defaults(terminal=environ.get("MAS_TERMINAL") or None, login=int(login) if login.isdigit() else None,
                    password=environ.get("MAS_PASSWORD") or None, server=environ.get("MAS_SERVER") or None)


def load_metatrader5() -> Terminal:
    """The real ``MetaTrader5`` package, even while ``MetaTrader5`` is aliased to ``mas.mt5``."""
    own = sys.modules.get("MetaTrader5")
    aliased = own is not None and getattr(own, "__mas_dropin__", False)
    if aliased:
        del sys.modules["MetaTrader5"]
    try:
        module = importlib.import_module("MetaTrader5")
    finally:
        if aliased:
            sys.modules["MetaTrader5"] = own
    if getattr(module, "__mas_dropin__", False):
        raise ImportError(Text("mt5_resolves_to_itself"))
    return cast(Terminal, module)


def choose_terminal(path: Any, terminal: str | None, default: str | None) -> tuple[str, Any]:
    """(terminal spec, terminal executable path): the ``terminal`` keyword, else a ``path`` holding
    ``://`` (then no executable path is left), else ``default``, else ``"mt5"``."""
    if terminal:
        return terminal, path
    if isinstance(path, str) and "://" in path:
        return path, None
    return default or "mt5", path


def choose_credentials(login: Any, password: Any, server: Any, defaults: Defaults) -> tuple[Any, Any, Any]:
    """(login, password, server) for ``initialize``: the call's own, else the defaults; the default
    password goes only with the default login."""
    if login is None:
        login = defaults.login
    if password is None and login is not None and login == defaults.login:
        password = defaults.password
    return login, password, defaults.server if server is None else server


class TerminalUnavailable(Exception):
    """No terminal could be opened; ``code`` is the last_error() code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _open_raw(target: TerminalTarget, timeout_ms: int) -> Terminal:
    """The terminal object for ``target`` (not yet initialized); TerminalUnavailable otherwise."""
    if target.kind == "mt5":
        try:
            return load_metatrader5()
        except ImportError:
            raise TerminalUnavailable(c.RES_E_NOT_FOUND, "the MetaTrader5 package is not installed (it runs on "
                                      "Windows next to an MT5 terminal); on Linux or macOS name a sim://host:port "
                                      "or mt5linux://host:port terminal: initialize(terminal=...), MAS_TERMINAL "
                                      "or mas mt5 run --terminal") from None
    if not 0 < target.port < 65536:
        raise TerminalUnavailable(c.RES_E_INVALID_PARAMS, f"terminal {target}: the port must be 1-65535")
    try:
        return open_bridge(target, max(1.0, timeout_ms / 1000))
    except LoginError as exc:  # its package is missing
        raise TerminalUnavailable(exc.code, f"terminal {target}: {exc}") from None
    except (ConnectionError, OSError) as exc:
        raise TerminalUnavailable(NO_IPC, f"No IPC connection: {exc}") from None


class Session:
    """One connection to a terminal, with MetaTrader5's module-level semantics."""

    def __init__(self, environ: Callable[[], Defaults] = env_defaults) -> None:
        self._lock = threading.RLock()
        self._configured = Defaults()
        self._environ = environ
        self._terminal: Terminal | None = None
        self._target: TerminalTarget | None = None
        self._reopen: Callable[[], Terminal] | None = None
        self._credentials: dict[str, Any] = {}  # what the reopen logs in with (login() changes it)
        self._error: tuple[int, str] | None = SUCCESS  # None: ask the terminal

    def __repr__(self) -> str:
        return f"Session(terminal={self._target or 'none'}, connected={self._terminal is not None})"

    @property
    def target(self) -> TerminalTarget | None:
        """The terminal of the last successful ``initialize()``."""
        return self._target

    def configure(self, terminal: str | None = None, login: int | None = None, password: str | None = None,
                  server: str | None = None, timeout: int | None = None) -> None:
        """Defaults for ``initialize()`` calls that leave these out (what ``mas mt5 run`` sets)."""
        if terminal is not None:
            parse_target({"terminal": terminal})  # LoginError now rather than at initialize()
        if login is not None and (isinstance(login, bool) or not isinstance(login, int)):
            raise InputError("mt5_login_not_number", kind=type(login).__name__)
        with self._lock:
            self._configured = Defaults(terminal, login, password, server, timeout)

    def _defaults(self) -> Defaults:
        env, own = self._environ(), self._configured
        return Defaults(*(getattr(own, f) if getattr(own, f) is not None else getattr(env, f)
                          for f in ("terminal", "login", "password", "server", "timeout")))

    def _fail(self, code: int, message: str, name: str) -> Any:
        self._error = (code, message)
        return False if name in FALSE_ON_FAILURE else None

    # ------------------------------------------------------------------ session
    def initialize(self, path: Any = None, *, login: Any = None, password: Any = None, server: Any = None,
                   timeout: Any = None, portable: bool = False, terminal: str | None = None) -> bool:
        defaults = self._defaults()
        spec, path = choose_terminal(path, terminal, defaults.terminal)
        login, password, server = choose_credentials(login, password, server, defaults)
        timeout_ms = int(timeout if timeout is not None else defaults.timeout or DEFAULT_TIMEOUT_MS)
        with self._lock:
            self._shutdown()
            self._target = self._reopen = None
            try:
                target = parse_target({"terminal": spec})
            except LoginError as exc:
                return self._fail(c.RES_E_INVALID_PARAMS, str(exc), "initialize")
            kwargs: dict[str, Any] = {"login": login, "password": password, "server": server}
            kwargs = {k: v for k, v in kwargs.items() if v is not None}
            if timeout is not None or target.kind != "mt5":
                kwargs["timeout"] = timeout_ms
            if portable:
                kwargs["portable"] = True
            args = (path,) if path is not None and target.kind == "mt5" else ()
            credentials = kwargs

            def opener() -> Terminal:
                term = _open_raw(target, timeout_ms)
                try:
                    ok = term.initialize(*args, **credentials)
                except ConnectionError as exc:
                    close_quietly(term)
                    raise TerminalUnavailable(NO_IPC, f"No IPC connection: {target} broke during initialize "
                                                      f"({type(exc).__name__})") from None
                if not ok:
                    code, text = term.last_error()
                    close_quietly(term)
                    raise TerminalUnavailable(code, str(text))
                return term

            try:
                self._terminal = opener()
            except TerminalUnavailable as exc:
                return self._fail(exc.code, str(exc), "initialize")
            self._target, self._reopen, self._error = target, opener, SUCCESS
            self._credentials = credentials
            return True

    def login(self, login: Any, password: Any = None, server: Any = None, timeout: Any = None) -> bool:
        defaults = self._defaults()
        if password is None and login == defaults.login:
            password = defaults.password
        kwargs = {k: v for k, v in {"password": password, "server": server, "timeout": timeout}.items()
                  if v is not None}
        with self._lock:
            if not self.call("login", (login,), kwargs):
                return False
            self._credentials.pop("password", None)  # a reconnect logs in to this account from now on
            self._credentials.update({k: v for k, v in kwargs.items() if k != "timeout"}, login=login)
            return True

    def shutdown(self) -> None:
        with self._lock:
            self._shutdown()
            self._reopen = None

    def _shutdown(self) -> None:
        if self._terminal is not None:
            close_quietly(self._terminal)
        self._terminal = None

    def last_error(self) -> tuple[int, str]:
        with self._lock:
            if self._error is not None or self._terminal is None:
                return self._error or SUCCESS
            try:
                code, text = self._terminal.last_error()
            except ConnectionError:
                return (NO_IPC, "No IPC connection")
            return (int(code), str(text))

    # ------------------------------------------------------------------ everything else
    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        """``name(*args, **kwargs)`` on the terminal, with MetaTrader5's failure values."""
        with self._lock:
            if self._terminal is None:
                if self._reopen is None:
                    return self._fail(NO_IPC, "No IPC connection: call initialize() first", name)
                try:
                    self._terminal = self._reopen()
                except TerminalUnavailable as exc:
                    return self._fail(exc.code, str(exc), name)
            try:
                result = getattr(self._terminal, name)(*args, **kwargs)
            except ConnectionError as exc:
                self._shutdown()
                return self._fail(NO_IPC, f"No IPC connection: the connection to {self._target} broke "
                                          f"({type(exc).__name__}); the next call reconnects", name)
            except WireError as exc:
                return self._fail(c.RES_E_INVALID_PARAMS, f"{name}: {exc}", name)
            self._error = None
            return result
