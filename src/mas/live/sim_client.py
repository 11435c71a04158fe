"""The ``sim://host:port`` terminal: the MetaTrader5 function set of a ``mas sim serve`` server.

Each call goes over RPyC to the server's service, whose only methods are the MetaTrader5
function names; arguments and results travel as plain values (:mod:`mas.live.wire`), so what
comes back are the same named tuples and numpy arrays the MetaTrader5 module returns.
A broken connection raises :class:`TerminalDisconnected`; :mod:`mas.live.session` reconnects.
"""

from __future__ import annotations

import threading
from typing import Any

from mas.live.wire import MT5_FUNCTIONS, decode, encode
from mas.terminal import constants as c

DEFAULT_PORT = 18812


class TerminalDisconnected(ConnectionError):
    """The terminal's connection is gone (or did not answer in time)."""


def load_rpyc() -> Any:
    try:
        import rpyc
    except ImportError:
        raise ImportError("the rpyc package is not installed: pip install 'mas-sdk[server]'") from None
    return rpyc


class SimTerminalClient:
    """A connection to a simulated MT5 server, with the MetaTrader5 module's functions."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout_s: float = 6.0) -> None:
        rpyc = load_rpyc()
        self.host, self.port = host, int(port)
        self._lock = threading.Lock()
        self._methods: dict[str, Any] = {}
        self._last_error: tuple[int, str] | None = None
        try:
            self._conn = rpyc.connect(host, self.port, config={
                "sync_request_timeout": timeout_s, "allow_public_attrs": False, "allow_pickle": False,
                "include_local_traceback": False, "import_custom_exceptions": False,
            })
        except OSError as exc:
            raise TerminalDisconnected(f"cannot reach the sim server at {host}:{self.port} ({exc})") from None

    def __repr__(self) -> str:
        return f"SimTerminalClient({self.host}:{self.port})"

    @property
    def closed(self) -> bool:
        return bool(self._conn.closed)

    def close(self) -> None:
        try:
            self._conn.close()
        except Exception:  # closing a broken socket may fail; it is closed either way
            pass

    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        wire_args = tuple(encode(a) for a in args)
        wire_kwargs = {k: encode(v) for k, v in kwargs.items()}
        with self._lock:
            if self._conn.closed:
                raise TerminalDisconnected("the connection to the sim server is closed")
            try:
                method = self._methods.get(name)
                if method is None:
                    method = self._methods[name] = getattr(self._conn.root, name)
                result = method(*wire_args, **wire_kwargs)
            except (EOFError, OSError, TimeoutError) as exc:
                self.close()
                self._last_error = (c.RES_E_INTERNAL_FAIL_CONNECT, f"No IPC connection: {type(exc).__name__}")
                raise TerminalDisconnected(f"the sim server at {self.host}:{self.port} is unreachable") from None
        return decode(result)

    def last_error(self) -> tuple[int, str]:
        if self._conn.closed and self._last_error is not None:
            return self._last_error
        try:
            return tuple(self._call("last_error", (), {}))  # type: ignore[return-value]
        except TerminalDisconnected:
            return self._last_error or (c.RES_E_INTERNAL_FAIL_CONNECT, "No IPC connection")

    def shutdown(self) -> None:
        try:
            self._call("shutdown", (), {})
        except TerminalDisconnected:
            pass
        self.close()


def _remote(name: str) -> Any:
    def call(self: SimTerminalClient, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, args, kwargs)

    call.__name__ = name
    call.__doc__ = f"MetaTrader5.{name} on the sim server."
    return call


for _name in MT5_FUNCTIONS:
    if _name not in ("last_error", "shutdown"):
        setattr(SimTerminalClient, _name, _remote(_name))
