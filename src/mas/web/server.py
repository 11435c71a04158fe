"""Serve the web app with uvicorn on a socket bound here, so that ``--port 0`` prints the port it got.

The socket is listening before the URL is printed: a browser (or a test) that opens the URL at once waits in
the backlog until uvicorn accepts, instead of being refused.
"""

from __future__ import annotations

import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from typing import TextIO

from mas.i18n.errors import Text
from mas.web.security import SecurityConfig, check_bind

__all__ = ["bind", "serve", "url_of"]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port); OSError with the address when it is taken or not ours."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise OSError(Text("web_app_cannot_listen", host=host, port=port, reason=exc.strerror or exc)) from None
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int, token: str) -> str:
    """The URL to print and open: the address with the access token (loopback for 0.0.0.0)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/?token={token}"


def serve(host: str, port: int, password: str | None, *, open_browser: bool = True, out: TextIO | None = None,
          log_level: str = "warning", on_ready: Callable[[str], None] | None = None) -> None:
    """Bind, print the URL with its access token, open the browser (unless told not to) and serve until stopped."""
    import uvicorn

    from mas.web.app import WebConfig, create_app
    from mas.web.services import warm_up

    check_bind(host, password)
    sock = bind(host, port)
    actual_port = sock.getsockname()[1]
    security = SecurityConfig(host=host, port=actual_port, password=password)
    try:
        app = create_app(WebConfig(security=security))
    except BaseException:
        sock.close()
        raise
    threading.Thread(target=warm_up, name="mas-web-warm-up", daemon=True).start()
    url = url_of(host, actual_port, security.token)
    out = out or sys.stdout
    print(f"mas ui is running: open {url}", file=out, flush=True)
    if password is not None:
        print("other machines log in with the password; the token URL works too", file=out, flush=True)
    print("stop it with Ctrl+C", file=out, flush=True)
    if on_ready is not None:
        on_ready(url)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    # an open live page's event stream must not hold the shutdown: streams still open after 5 s are cancelled
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on",
                                           timeout_graceful_shutdown=5))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
