"""Who may use the web app, and the rules every request passes.

- **Bind**: loopback (127.0.0.1, ::1, localhost) needs nothing more; any other address needs a password
  (``--password`` or ``MAS_UI_PASSWORD``, 8 characters or more), else the app refuses to start.
- **Entry**: the random access token printed at start (``/?token=...``, compared in constant time) or, when a
  password is set, the password (``POST /api/login``; only its scrypt hash is kept; 5 failures a minute from one
  address and further tries get 429). Either opens a server-side session: a random id in an HttpOnly,
  SameSite=Strict cookie. Cookie names carry the port, so two apps on one host do not log each other out.
- **CSRF**: every state-changing request (not GET/HEAD/OPTIONS) must send the ``X-CSRF-Token`` header equal to
  the ``mas_csrf_<port>`` cookie (double submit) and to the session's own token; an ``Origin`` header, when
  sent, must be this server.
- **Host**: a request whose Host is not this server's name is refused (DNS rebinding), unless the app
  listens on every interface (0.0.0.0 / ::), where the password guards it.
- **Headers**: a strict Content-Security-Policy (scripts only from this server), no framing, no referrer,
  ``no-store`` on pages and the API. No route returns the token, the password or anything read from a broker.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from mas.i18n.errors import Text

__all__ = ["Auth", "BindError", "SecurityConfig", "check_bind", "csrf_cookie", "is_loopback", "session_cookie"]

PASSWORD_ENV = "MAS_UI_PASSWORD"
MIN_PASSWORD = 8
MAX_SESSIONS = 64
MAX_FAILURES = 5
FAILURE_WINDOW = 60.0
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_PATHS = ("/static/", "/login", "/api/login", "/favicon.ico")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
_LOOPBACK_NAMES = ("localhost",)
_WILDCARDS = ("0.0.0.0", "::", "")


class BindError(ValueError):
    """The address / password combination the app refuses to start with."""


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, password: str | None) -> None:
    """Refuse a non-loopback bind without a password, and a password too short to mean anything."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise BindError(Text("web_app_password_short", env=PASSWORD_ENV, count=MIN_PASSWORD))
    if not is_loopback(host) and password is None:
        raise BindError(Text("web_app_bind_needs_password", host=host, env=PASSWORD_ENV))


def session_cookie(port: int) -> str:
    """The session cookie's name for a server on ``port``."""
    return f"mas_session_{port}"


def csrf_cookie(port: int) -> str:
    """The CSRF cookie's name for a server on ``port``."""
    return f"mas_csrf_{port}"


def _hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)


@dataclass
class SecurityConfig:
    """What the guard needs to know about the server: where it listens and how one enters."""

    host: str = "127.0.0.1"
    port: int = 8050
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    password: str | None = None

    def __repr__(self) -> str:  # never print the token or the password
        return f"SecurityConfig(host={self.host!r}, port={self.port}, password={'set' if self.password else None})"


@dataclass
class _Session:
    csrf: str
    created: float


class Auth:
    """The token, the password's hash, the open sessions and the failed-login counts of one server."""

    def __init__(self, config: SecurityConfig) -> None:
        check_bind(config.host, config.password)
        self.host, self.port = config.host, config.port
        self._token = config.token
        self._salt = os.urandom(16)
        self._password_hash = _hash_password(config.password, self._salt) if config.password else None
        self._sessions: dict[str, _Session] = {}
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @property
    def password_required(self) -> bool:
        """Whether a password was set for this server (required for any bind beyond loopback)."""
        return self._password_hash is not None

    # ------------------------------------------------------------------ entry

    def token_ok(self, token: str) -> bool:
        """Whether ``token`` is this start's access token (compared in constant time)."""
        return hmac.compare_digest(token.encode("utf-8"), self._token.encode("utf-8"))

    def login_blocked(self, client: str) -> bool:
        """Too many failed logins from ``client`` in the last minute."""
        with self._lock:
            recent = self._failures.get(client)
            now = time.monotonic()
            while recent and now - recent[0] > FAILURE_WINDOW:
                recent.popleft()
            return bool(recent) and len(recent) >= MAX_FAILURES

    def password_ok(self, password: str, client: str) -> bool:
        """Check a login; a failure is counted against ``client``."""
        if self._password_hash is None:
            return False
        ok = hmac.compare_digest(_hash_password(password, self._salt), self._password_hash)
        if not ok:
            with self._lock:
                self._failures.setdefault(client, deque()).append(time.monotonic())
        return ok

    # ------------------------------------------------------------------ sessions

    @staticmethod
    def _key(session_id: str) -> str:
        return hashlib.sha256(session_id.encode("utf-8")).hexdigest()

    def open_session(self) -> tuple[str, str]:
        """A new session: (session id for the HttpOnly cookie, CSRF token for the script-readable cookie)."""
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions, key=lambda k: self._sessions[k].created)
                del self._sessions[oldest]
            self._sessions[self._key(session_id)] = _Session(csrf, time.monotonic())
        return session_id, csrf

    def session_csrf(self, session_id: str | None) -> str | None:
        """The CSRF token of an open session, else None."""
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(self._key(session_id))
        return session.csrf if session else None

    def close_session(self, session_id: str | None) -> None:
        """End a session (logout); unknown ids are ignored."""
        if session_id:
            with self._lock:
                self._sessions.pop(self._key(session_id), None)

    # ------------------------------------------------------------------ request checks

    def host_allowed(self, host_header: str) -> bool:
        """The Host header names this server (DNS-rebinding guard); any name when listening on every interface."""
        if self.host in _WILDCARDS:
            return True
        name = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
        name = name.strip("[]").lower()
        allowed = {"127.0.0.1", "localhost", "::1", self.host.strip("[]").lower()}
        return name in allowed

    def csrf_ok(self, header: str | None, cookie: str | None, session_id: str | None) -> bool:
        """Double submit: the header equals the cookie, and (within a session) the session's token."""
        if not header or not cookie or not hmac.compare_digest(header.encode(), cookie.encode()):
            return False
        expected = self.session_csrf(session_id)
        return expected is None or hmac.compare_digest(header.encode(), expected.encode())


def security_headers(path: str) -> dict[str, str]:
    """The security headers of a response to ``path`` (CSP, no framing, no caching of the API)."""
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
               "Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "same-origin",
               "Cross-Origin-Resource-Policy": "same-origin"}
    if not path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    return headers


def install_guard(app: Any, auth: Auth) -> None:
    """Add the middleware that enforces the host, session and CSRF rules and sets the security headers."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse, RedirectResponse, Response

    session_name, csrf_name = session_cookie(auth.port), csrf_cookie(auth.port)

    def refuse(status: int, detail: str) -> Response:
        return JSONResponse({"detail": detail}, status_code=status)

    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if not auth.host_allowed(request.headers.get("host", "")):
            response: Response = refuse(403, "this server answers only to its own address (Host header refused)")
        else:
            response = await _check(request, call_next, path)
        for key, value in security_headers(path).items():
            response.headers.setdefault(key, value)
        return response

    async def _check(request: Request, call_next: Callable[[Request], Awaitable[Response]], path: str) -> Response:
        session_id = request.cookies.get(session_name)
        has_session = auth.session_csrf(session_id) is not None
        open_path = path.startswith(OPEN_PATHS) or (path == "/" and "token" in request.query_params)
        if not has_session and not open_path:
            if path.startswith("/api/"):
                return refuse(401, "not logged in: open the URL with the token that 'mas ui' printed")
            return RedirectResponse("/login", status_code=303)
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host", ""):
                return refuse(403, "cross-origin request refused")
            if not auth.csrf_ok(request.headers.get(CSRF_HEADER), request.cookies.get(csrf_name), session_id):
                return refuse(403, f"CSRF check failed: send the {CSRF_HEADER} header with the {csrf_name} cookie's "
                                   f"value (reload the page)")
        return await call_next(request)

    app.middleware("http")(guard)
