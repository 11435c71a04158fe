"""``mas sim serve``: the simulated MT5 server (paper trading and the live path's tests, no broker needed)."""

from __future__ import annotations

import logging
import signal
import sys
from datetime import datetime
from pathlib import Path

import typer

from mas.cli.errors import error_text
from mas.cli.lang import say
from mas.i18n.errors import InputError, Text

__all__ = ["sim_app"]

sim_app = typer.Typer(help="The simulated MT5 server: paper trading and tests, no broker needed.",
                      no_args_is_help=True, add_completion=False)


@sim_app.callback()
def _sim() -> None:
    """The simulated MT5 server."""


@sim_app.command("serve")
def serve(
    port: int = typer.Option(18812, help="TCP port (0 = any free port; the chosen one is printed)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on. Loopback by default: without --tls-cert "
                                               "passwords would cross the network in clear."),
    symbol: str = typer.Option("EURUSD", help="Symbol to replay from the data store."),
    timeframe: str = typer.Option("H1", help="Timeframe of the replayed bars."),
    start: str = typer.Option(..., "--from", help="Replay start date, YYYY-MM-DD (ignored when --state resumes)."),
    speed: float = typer.Option(1.0, help="Market seconds per real second (3600 = one H1 bar a second)."),
    capital: float = typer.Option(10_000.0, help="Initial deposit of accounts created by --allow-new-accounts."),
    state: Path | None = typer.Option(None, help="SQLite state file: accounts, orders, deals and positions "
                                                 "survive a restart. Without it everything is in memory."),
    server_name: str = typer.Option("MAS-Sim", help="Server name reported in account_info."),
    accounts: Path | None = typer.Option(None, help="Accounts file (TOML or JSON): login, password_hash, balance, "
                                                    "currency, leverage per account (see docs/live.md)."),
    allow_new_accounts: bool = typer.Option(False, "--allow-new-accounts",
                                            help="Paper trading: any unknown login creates an account with "
                                                 "--capital. Off by default: only listed or saved accounts log in."),
    max_connections: int = typer.Option(64, min=1, help="Most connections open at once."),
    max_connections_per_peer: int = typer.Option(16, min=1, help="Most connections open at once from one address."),
    max_login_failures: int = typer.Option(5, min=1, help="Failed logins per account in 5 minutes before its "
                                                          "logins are refused for a while (per address: 4x)."),
    tls_cert: Path | None = typer.Option(None, help="TLS certificate (PEM): clients connect with sims://host:port."),
    tls_key: Path | None = typer.Option(None, help="Private key (PEM) of --tls-cert."),
) -> None:
    """Replay stored bars on a wall clock and serve the MetaTrader5 functions over RPyC."""
    try:
        from mas.live.simserver import ReplaySpec, SimExchange, SimServer
        from mas.live.simserver.access import ConnectionGate, LoginLimiter, load_accounts_file, server_tls_context
        from mas.live.simserver.exchange import describe
        from mas.live.simserver.server import LOOPBACK
    except ImportError as exc:
        typer.echo(error_text(Text("cli_command_failed", command="mas sim serve",
                                   reason=Text("sim_needs_extra", reason=str(exc)))), err=True)
        raise typer.Exit(2) from None

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mas.sim.server.rpyc").setLevel(logging.WARNING)
    try:
        if (tls_cert is None) != (tls_key is None):
            raise InputError("sim_tls_pair")
        tls = server_tls_context(tls_cert, tls_key) if tls_cert is not None and tls_key is not None else None
        seeds = load_accounts_file(accounts) if accounts is not None else {}
        begin = _parse_start(start)
        exchange = SimExchange(ReplaySpec(symbol=symbol, timeframe=timeframe, start=begin, speed=speed,
                                          capital=capital, server_name=server_name,
                                          allow_new_accounts=allow_new_accounts), state, accounts=seeds,
                               limiter=LoginLimiter(max_failures=max_login_failures))
        if not (seeds or allow_new_accounts or exchange.accounts):
            exchange.close()
            raise InputError("sim_no_account")
        server = SimServer(exchange, host=host, port=port,
                           gate=ConnectionGate(max_connections, max_connections_per_peer, tls))
    except Exception as exc:  # bad option, missing data, unusable state file, port in use
        typer.echo(error_text(Text("cli_command_failed", command="mas sim serve", reason=exc)), err=True)
        raise typer.Exit(2) from None
    if host not in LOOPBACK:
        typer.echo(say("sim_open_warning", host=host, clear="" if tls else say("sim_clear_passwords")), err=True)
    previous = signal.signal(signal.SIGTERM, lambda *_: server.request_stop())
    server.start()
    info = describe(exchange)
    typer.echo(say("sim_listening", host=server.host, port=server.port, tls=" (TLS)" if tls else "",
                   symbol=info["symbol"], timeframe=info["timeframe"], bar=info["bar"], speed=info["speed"],
                   accounts=info["accounts"], state=say("sim_state_file", path=state) if state else ""))
    sys.stdout.flush()

    try:
        while not server.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        typer.echo(say("sim_stopped"))


def _parse_start(text: str) -> datetime:
    """``--from``: a day (YYYY-MM-DD) or a UTC time (YYYY-MM-DD HH:MM), else a ValueError saying so."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError("sim_from_invalid", value=text) from None
