"""``mas ui``: start the web app in this process and print its URL with the access token.

This module imports only typer at import time, so the main CLI can register :func:`ui` without the ``ui`` extra
installed; the command itself says how to install it.
"""

from __future__ import annotations

import os

import typer

__all__ = ["ui"]

_PASSWORD_HELP = ("Password for logging in from other machines (required with any --host but 127.0.0.1). Prefer "
                  "the MAS_UI_PASSWORD environment variable: a command-line argument is visible to other users.")


def ui(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8050, "--port", help="Port to listen on (0: any free port)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
    password: str = typer.Option(None, "--password", help=_PASSWORD_HELP, show_default=False),
) -> None:
    """Start the web app: describe a strategy, backtest it, read and compare the results."""
    from mas.web.security import PASSWORD_ENV, BindError, check_bind

    password = password if password is not None else (os.environ.get(PASSWORD_ENV) or None)
    try:
        if not 0 <= port <= 65535:
            from mas.i18n.errors import Text

            raise BindError(Text("web_app_port_invalid", port=port))
        check_bind(host, password)
    except BindError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        typer.echo(f"error: the web app needs the 'ui' extra ({exc.name} is not installed): "
                   f"pip install 'mas-sdk[ui]'", err=True)
        raise typer.Exit(code=2) from None
    from mas.web.server import serve
    from mas.web.store import StoreError

    try:
        serve(host, port, password, open_browser=not no_browser)
    except (OSError, StoreError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except KeyboardInterrupt:
        pass
