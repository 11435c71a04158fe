"""Connecting a live MetaTrader 5 terminal (the ``MetaTrader5`` module, imported lazily).

The MetaTrader5 module already is a terminal with the seam's function set, so it is used
as is. Passwords are passed to the terminal and never logged or kept.
"""

from __future__ import annotations

import importlib
from typing import Any

from mas.terminal import constants as c


class LoginError(Exception):
    """Login failed; ``no_terminal`` when no terminal could be started at all."""

    def __init__(self, message: str, code: int = c.RES_E_FAIL, no_terminal: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.no_terminal = no_terminal


def load_mt5_module() -> Any:
    """The ``MetaTrader5`` module, or LoginError saying how to install it."""
    try:
        return importlib.import_module("MetaTrader5")
    except ImportError:
        raise LoginError("the MetaTrader5 package is not installed (it runs on Windows next to an MT5 terminal)",
                         c.RES_E_NOT_FOUND, no_terminal=True) from None


def connect_terminal(params: dict, account: int) -> Any:
    """Initialize the terminal and log in to ``account``; returns the terminal."""
    terminal = load_mt5_module()
    timeout = int(params.get("timeout", 6000))
    kwargs: dict[str, Any] = {"login": account, "password": str(params["password"]),
                              "server": str(params["server"]), "timeout": timeout}
    if params.get("path"):
        kwargs["path"] = str(params["path"])
    if not terminal.initialize(**kwargs):
        code, text = terminal.last_error()
        raise LoginError(f"initialize failed ({code}: {text})", code, no_terminal=True)
    if not terminal.login(account, password=str(params["password"]), server=str(params["server"]), timeout=timeout):
        code, text = terminal.last_error()
        terminal.shutdown()
        raise LoginError(f"{code}: {text}", code)
    return terminal
