"""The ``sim://host:port`` terminal: the MetaTrader5 function set of a ``mas sim serve`` server.

Each call goes over RPyC to the server's service, whose only methods are the MetaTrader5
function names; arguments and results travel as plain values (:mod:`mas.live.wire`), so what
comes back are the same named tuples and numpy arrays the MetaTrader5 module returns.
A broken connection raises :class:`TerminalDisconnected`; :mod:`mas.live.terminal` reconnects.

With ``tls=True`` (``sims://host:port``) the connection is TLS 1.2+ and the server's certificate
is verified against the system's CAs or ``ca_file`` (and its name against ``host``), before any
request - a password included - is sent. ``verify=False`` skips the check (encrypted, but open to
an impostor: for tests only). A plain client against a TLS server fails at once with a message
saying so, before it sends anything.
"""

from __future__ import annotations

import socket
import ssl
import threading
from typing import Any

from mas.i18n.errors import InputError, Text, os_reason
from mas.live.wire import decode, encode
from mas.terminal import constants as c
from mas.terminal.forwarding import ForwardingTerminal

DEFAULT_PORT = 18812


class TerminalDisconnected(ConnectionError):
    """The terminal's connection is gone (or did not answer in time)."""


def parse_sim_url(url: str, default_port: int = DEFAULT_PORT) -> tuple[str, int, bool]:
    """(host, port, tls) of ``sim://host:port`` or ``sims://host:port`` (TLS); ValueError otherwise."""
    scheme, sep, address = str(url).strip().partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in ("sim", "sims"):
        raise InputError("sim_address_invalid", url=url)
    host, colon, port_text = address.rstrip("/").rpartition(":")
    if not colon:
        host, port_text = address.rstrip("/"), str(default_port)
    try:
        port = int(port_text)
    except ValueError:
        raise InputError("sim_port_number", url=url) from None
    if not 0 < port < 65536:
        raise InputError("sim_port_range", url=url)
    return host.strip("[]") or "127.0.0.1", port, scheme == "sims"


def client_tls_context(ca_file: str | None = None, verify: bool = True) -> ssl.SSLContext:
    """TLS 1.2+ client context: verify the server against ``ca_file`` (else the system CAs)."""
    context = ssl.create_default_context(cafile=ca_file) if verify else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def load_rpyc() -> Any:
    """The rpyc module; ImportError saying which extra installs it when it is missing."""
    try:
        import rpyc
    except ImportError:
        raise ImportError(Text("live_no_rpyc")) from None
    return rpyc


class SimTerminalClient(ForwardingTerminal):
    """A connection to a simulated MT5 server, with the MetaTrader5 module's functions."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout_s: float = 6.0, *,
                 tls: bool = False, ca_file: str | None = None, verify: bool = True) -> None:
        rpyc = load_rpyc()
        from rpyc.core.stream import SocketStream
        from rpyc.utils.factory import connect_stream

        self.host, self.port, self.tls = host, int(port), bool(tls)
        self._lock = threading.Lock()
        self._methods: dict[str, Any] = {}
        self._last_error: tuple[int, str] | None = None
        where = f"{'sims' if tls else 'sim'}://{host}:{self.port}"
        try:
            context = client_tls_context(ca_file, verify) if tls else None
        except (OSError, ssl.SSLError) as exc:
            raise TerminalDisconnected(Text("sim_ca_file", path=ca_file, target=where, reason=str(exc))) from None
        try:
            sock = socket.create_connection((host, self.port), timeout=timeout_s)
        except OSError as exc:
            raise TerminalDisconnected(Text("sim_unreachable", target=where, reason=os_reason(exc))) from None
        if context is not None:
            try:
                sock = context.wrap_socket(sock, server_hostname=host)
            except ssl.SSLCertVerificationError as exc:
                sock.close()
                raise TerminalDisconnected(Text("sim_cert_failed", target=where, reason=exc.verify_message)) from None
            except (OSError, ssl.SSLError) as exc:
                sock.close()
                raise TerminalDisconnected(Text("sim_tls_failed", target=where, kind=type(exc).__name__)) from None
        sock.settimeout(None)
        config = {"sync_request_timeout": timeout_s, "allow_public_attrs": False, "allow_pickle": False,
                  "include_local_traceback": False, "import_custom_exceptions": False}
        self._conn = connect_stream(SocketStream(sock), rpyc.VoidService, config)
        try:  # one round trip now: a server that drops the connection (caps, TLS) is reported here
            self._conn.root  # noqa: B018
        except (EOFError, OSError, TimeoutError):
            self.close()
            hint = "" if tls else Text("live_sim_expects_tls")
            raise TerminalDisconnected(Text("live_sim_closed_at_once", target=where, hint=hint)) from None

    def __repr__(self) -> str:
        return f"SimTerminalClient({'sims' if self.tls else 'sim'}://{self.host}:{self.port})"

    @property
    def closed(self) -> bool:
        """Whether the connection to the server is closed."""
        return bool(self._conn.closed)

    def close(self) -> None:
        """Close the connection to the server (a broken socket counts as closed)."""
        try:
            self._conn.close()
        except Exception:  # closing a broken socket may fail; it is closed either way
            pass

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """MetaTrader5.``name`` on the sim server: arguments and result as plain values on the wire."""
        wire_args = tuple(encode(a) for a in args)
        wire_kwargs = {k: encode(v) for k, v in kwargs.items()}
        with self._lock:
            if self._conn.closed:
                raise TerminalDisconnected(Text("sim_connection_closed"))
            try:
                method = self._methods.get(name)
                if method is None:
                    method = self._methods[name] = getattr(self._conn.root, name)
                result = method(*wire_args, **wire_kwargs)
            except (EOFError, OSError, TimeoutError) as exc:
                self.close()
                self._last_error = (c.RES_E_INTERNAL_FAIL_CONNECT, f"No IPC connection: {type(exc).__name__}")
                raise TerminalDisconnected(Text("sim_server_unreachable", host=self.host, port=self.port)) from None
        return decode(result)

    def last_error(self) -> tuple[int, str]:
        if self._conn.closed and self._last_error is not None:
            return self._last_error
        try:
            return tuple(self._call("last_error"))  # type: ignore[return-value]
        except TerminalDisconnected:
            return self._last_error or (c.RES_E_INTERNAL_FAIL_CONNECT, "No IPC connection")

    def shutdown(self) -> None:
        try:
            self._call("shutdown")
        except TerminalDisconnected:
            pass
        self.close()

