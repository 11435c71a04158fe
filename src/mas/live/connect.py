"""Opening a live terminal behind the one seam, and logging in.

``terminal`` in the ``login`` parameters picks it:

- ``"mt5"`` (default): the ``MetaTrader5`` module (Windows, next to an MT5 terminal; ``path``
  is the terminal executable);
- ``"mt5linux://host:port"`` (or ``"mt5linux"`` with ``host`` / ``port``): the mt5linux bridge;
- ``"sim://host:port"`` (or ``"sim"``): a ``mas sim serve`` server; ``"sims://host:port"`` the same over
  TLS (``ca_file``, else ``$MAS_CA_FILE``: the certificate, or its CA, that the server's must verify
  against; the system's CAs when neither is given).

The packages are imported only when used. The result is a :class:`~mas.live.terminal.LiveTerminal`
that reconnects by itself. Passwords are handed to the terminal and never logged or kept
anywhere but in the reconnecting terminal's memory.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from mas.i18n.errors import Text, text_of
from mas.terminal import constants as c
from mas.terminal.protocol import Terminal

if TYPE_CHECKING:
    from mas.live.terminal import LiveTerminal

DEFAULT_BRIDGE_PORT = 18812


class LoginError(Exception):
    """Login failed; ``no_terminal`` when no terminal could be started at all."""

    def __init__(self, message: str, code: int = c.RES_E_FAIL, no_terminal: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.no_terminal = no_terminal


@dataclass(frozen=True)
class TerminalTarget:
    """Which terminal to open: ``kind`` is "mt5", "mt5linux", "sim" or "sims" (the sim server over TLS)."""

    kind: str
    host: str = ""
    port: int = 0
    path: str = ""
    ca_file: str = ""

    def __str__(self) -> str:
        return self.kind if self.kind == "mt5" else f"{self.kind}://{self.host}:{self.port}"


def parse_target(params: dict) -> TerminalTarget:
    """The terminal named by ``params['terminal']`` (plus ``host``, ``port``, ``path``)."""
    spec = str(params.get("terminal") or "mt5").strip()
    kind, _, address = spec.partition("://")
    kind = kind.lower()
    if kind in ("mt5", "metatrader5"):
        return TerminalTarget("mt5", path=str(params.get("path") or ""))
    if kind not in ("mt5linux", "sim", "sims"):
        raise LoginError(Text("terminal_unknown", spec=spec), c.RES_E_INVALID_PARAMS, no_terminal=True)
    host, port = str(params.get("host") or "127.0.0.1"), params.get("port") or DEFAULT_BRIDGE_PORT
    if address:
        host_part, _, port_part = address.rstrip("/").rpartition(":")
        host, port = (host_part or host), (port_part or port)
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise LoginError(Text("terminal_port_number", spec=spec), c.RES_E_INVALID_PARAMS,
                         no_terminal=True) from None
    ca_file = str(params.get("ca_file") or os.environ.get("MAS_CA_FILE") or "")
    return TerminalTarget(kind, host=host.strip("[]"), port=port, ca_file=ca_file)


def load_mt5_module() -> Terminal:
    """The ``MetaTrader5`` module (its functions are the :class:`Terminal` set), or LoginError saying how to
    install it."""
    try:
        return cast(Terminal, importlib.import_module("MetaTrader5"))
    except ImportError:
        raise LoginError(Text("mt5_not_installed"), c.RES_E_NOT_FOUND, no_terminal=True) from None


def open_bridge(target: TerminalTarget, timeout_s: float) -> Terminal:
    """The raw terminal of a ``sim``, ``sims`` or ``mt5linux`` target (not initialized); LoginError when its
    package is missing. A refused connection raises ConnectionError / OSError."""
    if target.kind in ("sim", "sims"):
        from mas.live.sim_client import SimTerminalClient

        try:
            return SimTerminalClient(target.host, target.port, timeout_s, tls=target.kind == "sims",
                                     ca_file=target.ca_file or None)
        except ImportError as exc:
            raise LoginError(str(exc), c.RES_E_NOT_FOUND, no_terminal=True) from None
    from mas.live.mt5linux_terminal import open_mt5linux

    try:
        return open_mt5linux(target.host, target.port)
    except ImportError:
        raise LoginError(Text("mt5linux_not_installed"), c.RES_E_NOT_FOUND, no_terminal=True) from None


def open_terminal(target: TerminalTarget, account: int, password: str, server: str, timeout_ms: int) -> Terminal:
    """A raw terminal, initialized and logged in to ``account``; LoginError otherwise."""
    try:
        terminal = load_mt5_module() if target.kind == "mt5" else open_bridge(target, max(1.0, timeout_ms / 1000))
    except ConnectionError as exc:
        raise LoginError(text_of(exc), c.RES_E_INTERNAL_FAIL_CONNECT, no_terminal=True) from None
    kwargs: dict[str, Any] = {"login": account, "password": password, "server": server, "timeout": timeout_ms}
    args = (target.path,) if target.path else ()
    try:
        if not terminal.initialize(*args, **kwargs):
            code, text = terminal.last_error()
            close_quietly(terminal)
            if code == c.RES_E_AUTH_FAILED:
                raise LoginError(Text("login_auth_refused", code=code, text=_terminal_text(text)), code)
            raise LoginError(Text("initialize_failed", code=code, text=text), code, no_terminal=True)
        if not terminal.login(account, password=password, server=server, timeout=timeout_ms):
            code, text = terminal.last_error()
            close_quietly(terminal)
            raise LoginError(Text("login_auth_refused" if code == c.RES_E_AUTH_FAILED else "login_refused_code",
                                  code=code, text=_terminal_text(text)), code)
    except ConnectionError as exc:
        close_quietly(terminal)
        raise LoginError(Text("connection_broke", target=str(target), kind=type(exc).__name__),
                         c.RES_E_INTERNAL_FAIL_CONNECT, no_terminal=True) from None
    return terminal


def _terminal_text(text: str) -> str:
    """A terminal's ``last_error()`` text, translatable when it is MetaTrader5's (and the sim server's) wording of
    a refused password; any other text as the terminal gave it."""
    return Text("simsrv_auth_failed") if text == "Authorization failed" else text


def close_quietly(terminal: Terminal) -> None:
    """Shut ``terminal`` down, ignoring that it may already be broken."""
    try:
        terminal.shutdown()
    except Exception:  # already broken
        pass


def connect_terminal(params: dict, account: int) -> LiveTerminal:
    """Open the terminal ``params`` names, log in to ``account`` and return a reconnecting
    :class:`~mas.live.terminal.LiveTerminal` (with the profile's ``risk_guards``, if any)."""
    from mas.live.terminal import LiveTerminal

    target = parse_target(params)
    password, server = str(params["password"]), str(params["server"])
    timeout_ms = int(params.get("timeout", 6000))

    def opener() -> Terminal:
        return open_terminal(target, account, password, server, timeout_ms)

    return LiveTerminal(opener, account=account, server=server, kind=target.kind, timeout_s=max(1.0, timeout_ms / 1000),
                        guards=params.get("risk_guards"), profile=params.get("profile") or None)
