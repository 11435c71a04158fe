"""``mas mt5 run SCRIPT.py --terminal URL [--login N --password P --server S] [-- ARGS...]``.

Mounted by :mod:`mas.cli.main` as ``mas mt5``.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

app = typer.Typer(help="Run MetaTrader5 Python scripts unchanged on Linux and macOS.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_show_locals=False)


@app.callback()
def _mt5() -> None:
    """MetaTrader5 scripts on any terminal."""


@app.command("run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(
    ctx: typer.Context,
    script: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                  help="A Python script that does 'import MetaTrader5 as mt5'."),
    terminal: str = typer.Option(None, help="sim://host:port, mt5linux://host:port or mt5 (default: $MAS_TERMINAL, "
                                            "else mt5)."),
    login: int = typer.Option(None, help="Account number the script's mt5.initialize() logs in to."),
    password: str = typer.Option(None, help="Account password (prefer the MAS_PASSWORD environment variable: a "
                                            "command line is visible to other users)."),
    server: str = typer.Option(None, help="Trade server name, e.g. MAS-Sim."),
    timeout: int = typer.Option(None, min=1, help="Connection timeout in milliseconds (MetaTrader5's default "
                                                  "60000)."),
) -> None:
    """Run SCRIPT with 'import MetaTrader5' resolving to mas.mt5 on --terminal; the script's own
    mt5.initialize() with no arguments connects and logs in. Arguments after SCRIPT that are not
    these options (or everything after '--') go to the script's sys.argv."""
    from mas.cli.errors import error_text
    from mas.cli.lang import say
    from mas.live.connect import LoginError
    from mas.mt5.run import run_script

    terminal = terminal or os.environ.get("MAS_TERMINAL") or "mt5"
    if password is None:
        password = os.environ.get("MAS_PASSWORD") or None
    if login is not None and password is None:
        typer.echo(f"mas mt5 run: {say('out_mt5_needs_password')}", err=True)
        raise typer.Exit(2)
    try:
        status = run_script(script, list(ctx.args), terminal, login, password, server, timeout)
    except LoginError as exc:  # an unusable --terminal
        typer.echo(f"mas mt5 run: --terminal: {error_text(exc)}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(status)
