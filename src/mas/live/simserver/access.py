"""Who may use the sim server: login checks, the operator's accounts file, failed-login limits,
connection caps and TLS.

- Logins are whole numbers from 1 to 2**63 - 1 (what the state file can hold); passwords are
  1 to :data:`~mas.live.simserver.passwords.MAX_PASSWORD_CHARS` characters. Both are checked
  before anything is hashed, looked up or stored.
- Accounts come from an accounts file (TOML or JSON, see :func:`load_accounts_file`) or, only when
  the operator says so (``--allow-new-accounts``), are created at their first login.
- :class:`LoginLimiter` refuses logins for a while after too many failures, per account and per peer.
- :class:`ConnectionGate` is the listener's authenticator: it caps connections (in all and per
  peer) and, with a certificate, wraps each connection in TLS before a byte of RPyC is read.
"""

from __future__ import annotations

import json
import logging
import math
import socket
import ssl
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mas.i18n.errors import InputError, Text, text_of
from mas.live.simserver.passwords import MAX_PASSWORD_CHARS, parse_hash

log = logging.getLogger("mas.sim.server")

MAX_LOGIN = 2**63 - 1
MAX_SERVER_NAME_CHARS = 128


class AuthError(Exception):
    """A refused login: ``code`` and ``message`` (the English text, as MetaTrader5 words it) are what
    ``last_error()`` reports; the exception's own text may be a :class:`~mas.i18n.Text`."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)


def login_problem(login: Any) -> str | None:
    """Why ``login`` is not an account number (None when it is one)."""
    if isinstance(login, bool) or not isinstance(login, int):
        return f"Invalid login: the account number must be a whole number, not {type(login).__name__}"
    if not 1 <= login <= MAX_LOGIN:
        return f"Invalid login: account numbers run from 1 to {MAX_LOGIN}"
    return None


def password_problem(password: Any) -> str | None:
    """Why ``password`` cannot be a password (None when it can)."""
    if not isinstance(password, str):
        return "Invalid password: it must be text"
    if not password:
        return "Invalid password: it is empty"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"Invalid password: at most {MAX_PASSWORD_CHARS} characters"
    return None


@dataclass(frozen=True)
class AccountSeed:
    """An account the operator listed: how it starts when it first logs in."""

    login: int
    salt: bytes
    digest: bytes
    balance: float = 10_000.0
    currency: str = "USD"
    leverage: int = 100


def load_accounts_file(path: Path) -> dict[int, AccountSeed]:
    """The accounts of a TOML (``[[account]]`` tables) or JSON (``{"account": [...]}`` or a list)
    file. Each has ``login`` and ``password_hash`` (from ``python -m mas.live.simserver.passwords``),
    and optionally ``balance``, ``currency`` and ``leverage``. Raises ValueError naming the entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("simsrv_accounts_unreadable", path=path, error=exc.strerror or str(exc)) from None
    try:
        if path.suffix.lower() == ".json":
            data: Any = json.loads(text)
        else:
            try:
                import tomllib
            except ImportError:  # Python 3.10
                import tomli as tomllib  # type: ignore[no-redef]
            data = tomllib.loads(text)
    except ValueError as exc:
        raise InputError("simsrv_accounts_invalid", path=path, kind=path.suffix.lstrip(".") or "TOML",
                         error=str(exc)) from None
    entries = data.get("account", data.get("accounts")) if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise InputError("simsrv_accounts_empty", path=path)
    seeds: dict[int, AccountSeed] = {}
    for n, entry in enumerate(entries, 1):
        where = Text("simsrv_where", path=path, n=n)
        if not isinstance(entry, dict):
            raise InputError("simsrv_entry_not_table", where=where)
        unknown = set(entry) - {"login", "password_hash", "balance", "currency", "leverage", "name"}
        if unknown:
            raise InputError("simsrv_entry_unknown_keys", where=where, keys=", ".join(sorted(unknown)))
        login = entry.get("login")
        problem = login_problem(login)
        if problem:
            raise InputError("simsrv_entry_problem", where=where, problem=problem)
        if login in seeds:
            raise InputError("simsrv_entry_twice", where=where, login=login)
        try:
            salt, digest = parse_hash(entry.get("password_hash"))
        except ValueError as exc:
            raise InputError("simsrv_entry_error", where=where, login=login, error=text_of(exc)) from None
        balance = entry.get("balance", 10_000.0)
        if isinstance(balance, bool) or not isinstance(balance, (int, float)) or not math.isfinite(balance) \
                or balance <= 0:
            raise InputError("simsrv_entry_balance", where=where, login=login, value=balance)
        currency = entry.get("currency", "USD")
        if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
            raise InputError("simsrv_entry_currency", where=where, login=login)
        leverage = entry.get("leverage", 100)
        if isinstance(leverage, bool) or not isinstance(leverage, int) or leverage < 1:
            raise InputError("simsrv_entry_leverage", where=where, login=login, value=leverage)
        seeds[login] = AccountSeed(login, salt, digest, float(balance), currency.upper(), leverage)
    if path.stat().st_mode & 0o077:
        log.warning("the accounts file %s is readable by other users: chmod 600 it", path)
    return seeds


class LoginLimiter:
    """Refuses logins after ``max_failures`` failed ones within ``window_s`` seconds, per account,
    and after ``peer_failures`` per peer (address); each refusal lasts until the oldest failure in
    the window is ``window_s`` old. A successful login clears its account's failures, not its peer's."""

    def __init__(self, max_failures: int = 5, window_s: float = 300.0, peer_failures: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_failures < 1 or window_s <= 0:
            raise InputError("simsrv_limiter_args")
        self.max_failures = int(max_failures)
        self.peer_failures = int(peer_failures if peer_failures is not None else 4 * max_failures)
        self.window_s = float(window_s)
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, object], deque[float]] = {}

    def _recent(self, key: tuple[str, object], now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def wait_s(self, login: int, peer: str) -> float:
        """Seconds until ``login`` may try again from ``peer`` (0 = it may try now)."""
        now = self.clock()
        with self._lock:
            waits = [0.0]
            for key, limit in ((("login", login), self.max_failures), (("peer", peer), self.peer_failures)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[-limit] + self.window_s - now)
            return max(waits)

    def failed(self, login: int, peer: str) -> None:
        """Count a failed login of account ``login`` from address ``peer``."""
        now = self.clock()
        with self._lock:
            if len(self._failures) > 100_000:  # bounded memory under a flood of distinct logins
                for key in list(self._failures):
                    self._recent(key, now)
            for key in (("login", login), ("peer", peer)):
                self._failures.setdefault(key, deque(maxlen=max(self.max_failures, self.peer_failures))).append(now)

    def succeeded(self, login: int) -> None:
        """Forget the account's failed logins after a successful one."""
        with self._lock:
            self._failures.pop(("login", login), None)


class Peer:
    """The credentials the gate hands to a connection: its address and its place in the caps."""

    def __init__(self, host: str, release: Callable[[], None]) -> None:
        self.host = host
        self._finalizer = weakref.finalize(self, release)

    def release(self) -> None:
        """Give the connection's place back (once, however often it is called)."""
        self._finalizer()

    def __repr__(self) -> str:
        return f"Peer({self.host})"


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """TLS 1.2+ server context for ``cert`` / ``key``; ValueError if they cannot be loaded."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(str(cert), str(key))
    except (OSError, ssl.SSLError) as exc:
        raise InputError("simsrv_tls_load", cert=cert, key=key, error=str(exc)) from None
    return context


class ConnectionGate:
    """The listener's authenticator: caps connections and (with ``tls``) does the TLS handshake."""

    def __init__(self, max_connections: int = 64, max_per_peer: int = 16, tls: ssl.SSLContext | None = None,
                 handshake_timeout_s: float = 10.0) -> None:
        if max_connections < 1 or max_per_peer < 1:
            raise InputError("simsrv_gate_args")
        self.max_connections = int(max_connections)
        self.max_per_peer = int(max_per_peer)
        self.tls = tls
        self.handshake_timeout_s = handshake_timeout_s
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}
        self.refused = 0

    @property
    def open_connections(self) -> int:
        """How many connections are open now, from every address."""
        with self._lock:
            return sum(self._open.values())

    def _release(self, host: str) -> None:
        with self._lock:
            left = self._open.get(host, 0) - 1
            if left > 0:
                self._open[host] = left
            else:
                self._open.pop(host, None)

    def __call__(self, sock: socket.socket) -> tuple[socket.socket, Peer]:
        from rpyc.utils.authenticators import AuthenticationError

        try:
            host = str(sock.getpeername()[0])
        except OSError:
            raise AuthenticationError(Text("simsrv_peer_gone")) from None
        with self._lock:
            total = sum(self._open.values())
            if total >= self.max_connections or self._open.get(host, 0) >= self.max_per_peer:
                self.refused += 1
                log.warning("connection from %s refused: %d open (at most %d, %d per peer)", host, total,
                            self.max_connections, self.max_per_peer)
                raise AuthenticationError(Text("simsrv_too_many_connections"))
            self._open[host] = self._open.get(host, 0) + 1
        peer = Peer(host, lambda: self._release(host))
        if self.tls is None:
            return sock, peer
        try:
            sock.settimeout(self.handshake_timeout_s)
            wrapped = self.tls.wrap_socket(sock, server_side=True)
            wrapped.settimeout(None)
        except (OSError, ssl.SSLError) as exc:
            peer.release()
            log.info("TLS handshake with %s failed (%s): a plain sim:// client? It must use sims://", host,
                     type(exc).__name__)
            raise AuthenticationError(Text("simsrv_tls_handshake")) from None
        return wrapped, peer
