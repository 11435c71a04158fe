"""``mas sim serve`` (the simulated MT5 server), ``mas broker add|list|test|remove`` and ``mas live``.

``mas.cli`` mounts them: ``app.add_typer(sim_app, name="sim")``, ``app.add_typer(broker_app, name="broker")``
and ``app.command(name="live")(live)``.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

sim_app = typer.Typer(help="The simulated MT5 server: paper trading and tests, no broker needed.",
                      no_args_is_help=True, add_completion=False)
broker_app = typer.Typer(help="Broker profiles in $MAS_HOME/brokers.toml (never passwords).",
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
        typer.echo(f"mas sim serve: {exc}; install the server extra: pip install 'mas-sdk[server]'", err=True)
        raise typer.Exit(2) from None

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mas.sim.server.rpyc").setLevel(logging.WARNING)
    try:
        if (tls_cert is None) != (tls_key is None):
            raise ValueError("--tls-cert and --tls-key go together: give both (or neither, for a plain sim:// server)")
        tls = server_tls_context(tls_cert, tls_key) if tls_cert is not None and tls_key is not None else None
        seeds = load_accounts_file(accounts) if accounts is not None else {}
        begin = _parse_start(start)
        exchange = SimExchange(ReplaySpec(symbol=symbol, timeframe=timeframe, start=begin, speed=speed,
                                          capital=capital, server_name=server_name,
                                          allow_new_accounts=allow_new_accounts), state, accounts=seeds,
                               limiter=LoginLimiter(max_failures=max_login_failures))
        if not (seeds or allow_new_accounts or exchange.accounts):
            exchange.close()
            raise ValueError("no account can log in: give --accounts FILE (logins and password hashes, see "
                             "docs/live.md) or --allow-new-accounts (paper trading: any login creates an account)")
        server = SimServer(exchange, host=host, port=port,
                           gate=ConnectionGate(max_connections, max_connections_per_peer, tls))
    except Exception as exc:  # bad option, missing data, unusable state file, port in use
        typer.echo(f"mas sim serve: {exc}", err=True)
        raise typer.Exit(2) from None
    if host not in LOOPBACK:
        typer.echo(f"warning: listening on {host}: anyone who can reach it can try these accounts"
                   f"{'' if tls else ', and passwords cross the network unencrypted (use --tls-cert/--tls-key)'}",
                   err=True)
    previous = signal.signal(signal.SIGTERM, lambda *_: server.request_stop())
    server.start()
    info = describe(exchange)
    typer.echo(f"mas sim server listening on {server.host}:{server.port}{' (TLS)' if tls else ''} - "
               f"{info['symbol']} {info['timeframe']} "
               f"at bar {info['bar']}, speed {info['speed']:g}x, {info['accounts']} account(s)"
               f"{f', state {state}' if state else ''}")
    sys.stdout.flush()

    try:
        while not server.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        typer.echo("mas sim server stopped")


def _parse_start(text: str) -> datetime:
    """``--from``: a day (YYYY-MM-DD) or a UTC time (YYYY-MM-DD HH:MM), else a ValueError saying so."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--from: {text!r} is not a date; expected YYYY-MM-DD (or 'YYYY-MM-DD HH:MM', UTC), "
                         f"e.g. --from 2017-01-02") from None


@broker_app.command("add")
def add(
    name: str = typer.Argument(..., help="Profile name."),
    terminal: str = typer.Option("mt5", help="mt5, mt5linux or sim."),
    server: str = typer.Option(..., help="Broker server name, e.g. 'ICMarkets-Demo'."),
    login: int = typer.Option(..., help="Account number."),
    path: str = typer.Option("", help="MT5 terminal executable (terminal mt5)."),
    host: str = typer.Option("", help="Bridge host (mt5linux, sim)."),
    port: int = typer.Option(0, help="Bridge port (mt5linux, sim)."),
    keyring: bool = typer.Option(False, "--keyring", help="Ask for the password and keep it in the OS keyring."),
    max_lots: float = typer.Option(0.0, help="Risk guard: most lots per opening order (0 = no limit)."),
    max_positions: int = typer.Option(0, help="Risk guard: most open positions + pending orders (0 = no limit)."),
    daily_loss_limit: float = typer.Option(0.0, help="Risk guard: stop opening once the loss since the UTC day's "
                                                     "starting equity reaches this, in account currency (0 = none)."),
    trading_hours: str = typer.Option("", help="Risk guard: UTC windows for opening orders, e.g. "
                                               "'Mon-Fri 07:00-20:00' or 'Sun 22:00-24:00; Mon-Fri 00:00-21:00'."),
) -> None:
    """Add or replace a broker profile (no password is ever written to the file).

    The risk guards refuse live orders that open or add exposure; closing orders always pass."""
    from mas.live.profiles import BrokerProfile, ProfileError, password_env_var, save_profile, store_keyring_password

    try:
        profile = BrokerProfile(name=name, terminal=terminal, server=server, login=login, path=path, host=host,
                                port=port, max_lots=max_lots, max_positions=max_positions,
                                daily_loss_limit=daily_loss_limit, trading_hours=trading_hours)
        where = save_profile(profile)
        if keyring:
            store_keyring_password(name, typer.prompt("Password", hide_input=True))
    except ProfileError as exc:
        typer.echo(f"mas broker add: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"profile {name} saved in {where}")
    if not keyring:
        typer.echo(f"password: set {password_env_var(name)}, pass it to login(), or re-run with --keyring")


@broker_app.command("list")
def list_profiles() -> None:
    """The profiles and where each one's password would come from."""
    from mas.live.profiles import ProfileError, load_profiles, profiles_path, resolve_password

    try:
        profiles = load_profiles()
    except ProfileError as exc:
        typer.echo(f"mas broker list: {exc}", err=True)
        raise typer.Exit(2) from None
    if not profiles:
        typer.echo(f"no broker profiles in {profiles_path()}")
        return
    for name, prof in sorted(profiles.items()):
        where = prof.path or (f"{prof.host or '127.0.0.1'}:{prof.port or 18812}" if prof.terminal != "mt5" else "")
        _, source = resolve_password(name)
        guards = prof.guards()
        typer.echo(f"{name}: {prof.terminal} {where} server={prof.server} login={prof.login} password={source}"
                   + (f" guards: {guards.describe()}" if guards is not None else ""))


@broker_app.command("remove")
def remove(name: str = typer.Argument(..., help="Profile name.")) -> None:
    """Remove a profile from the file."""
    from mas.live.profiles import remove_profile

    if not remove_profile(name):
        typer.echo(f"mas broker remove: no profile {name!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"profile {name} removed")


@broker_app.command("test")
def test(name: str = typer.Argument(..., help="Profile name.")) -> None:
    """Log in with the profile, show the account, log out."""
    from mas.live.connect import LoginError, connect_terminal, parse_target
    from mas.live.profiles import ProfileError, apply_profile, load_profiles, password_env_var

    try:
        profiles = load_profiles()
        if name not in profiles:
            from mas.cli_errors import suggest

            raise ProfileError(f"no profile {name!r}; {suggest(name, sorted(profiles))} "
                               f"(add one with 'mas broker add {name} --server ... --login ...')")
        params = apply_profile({"profile": name})
        if params.get("password") in (None, ""):
            raise ProfileError(f"no password for profile {name}: set {password_env_var(name)} or re-add the "
                               f"profile with --keyring")
        target = parse_target(params)
        terminal = connect_terminal(params, int(params["account"]))
    except (ProfileError, LoginError, ValueError) as exc:
        hint = ""
        if isinstance(exc, LoginError) and exc.no_terminal:
            kind = parse_target(params).kind if "params" in locals() else "mt5"
            hint = (" - is 'mas sim serve' running there?" if kind in ("sim", "sims") else
                    " - is the mt5linux bridge running there?" if kind == "mt5linux" else
                    "; the MetaTrader5 terminal needs the MT5 extra: pip install 'mas-sdk[mt5]' on Windows, "
                    "'mas-sdk[mt5linux]' elsewhere")
        typer.echo(f"mas broker test {name}: login failed: {exc}{hint}", err=True)
        raise typer.Exit(1) from None
    try:
        info = terminal.account_info()
        version = terminal.version()
        typer.echo(f"{name}: {target.kind} connected={terminal.connected} login={getattr(info, 'login', None)} "
                   f"server={getattr(info, 'server', None)} balance={getattr(info, 'balance', None)} "
                   f"{getattr(info, 'currency', '')} equity={getattr(info, 'equity', None)} "
                   f"leverage=1:{getattr(info, 'leverage', None)} terminal build={version[1] if version else None}")
    finally:
        terminal.shutdown()


def live(
    strategy: str = typer.Argument(..., help="A built-in (ma, rsi, macd, kd, bband), a .py file with a MAS subclass, "
                                             "a spec .json file or a quoted text strategy."),
    profile: str = typer.Option(..., help="Broker profile to trade on (mas broker add); its risk guards apply."),
    symbol: str = typer.Option("EURUSD", help="Symbol whose live bars feed the strategy."),
    timeframe: str = typer.Option("H1", help="Bar timeframe, M1 ... MN1."),
    interval_ms: int = typer.Option(1000, min=10, help="How often the live feed polls the terminal."),
    status_every: float = typer.Option(10.0, min=0.05, help="Seconds between status lines."),
    warmup_bars: int = typer.Option(500, min=0, help="Recent bars replayed first so indicators are ready (orders "
                                                     "sent during the warm-up are refused, never sent)."),
    param: list[str] = typer.Option([], "--param", help="Strategy parameter name=value (repeatable)."),
    full_traceback: bool = typer.Option(False, "--traceback", help="On an error loading a strategy file, show "
                                                                   "Python's full traceback (default: your file's "
                                                                   "frames)."),
) -> None:
    """Trade a strategy live on a broker profile's account until Ctrl-C (or SIGTERM).

    The strategy runs with backtest_toggle = False: your own strategies must send their orders with
    "backtest_toggle": self.backtest_toggle. Open positions stay open when it stops."""
    from mas.cli import _parse_param, fail_in_user_code, load_strategy
    from mas.live.runner import LiveRunError, run_live, stop_on_signals

    try:
        from mas.data.timeframes import timeframe_name

        timeframe_name(timeframe.upper())
        instance = load_strategy(strategy, dict(_parse_param(x) for x in param))
    except Exception as exc:  # noqa: BLE001 - the user's file may raise anything; it is reported, not traced back
        fail_in_user_code(exc, strategy, full_traceback)
        if not isinstance(exc, (ValueError, LookupError, TypeError, OSError, typer.BadParameter)):
            raise
        typer.echo(f"mas live: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        _check_profile(profile)
    except ValueError as exc:  # like a failed login: exit 1, before anything connects
        typer.echo(f"mas live: {exc}", err=True)
        raise typer.Exit(1) from None
    if _sends_backtest_orders(strategy):
        typer.echo(f"note: {type(instance).__name__} sends orders with 'backtest_toggle': True, which never reach "
                   f"the broker; mas live sets self.backtest_toggle to False, so send "
                   f"'backtest_toggle': self.backtest_toggle to trade the same file in both modes", err=True)
    stop = threading.Event()
    with stop_on_signals(stop), _user_frames_in_logs(strategy, full_traceback), _login_failures_said_once():
        try:
            run_live(instance, profile, symbol.upper(), timeframe.upper(), interval_ms, status_every, stop, typer.echo,
                     warmup_bars)
        except LiveRunError as exc:
            typer.echo(f"mas live: {exc}", err=True)
            raise typer.Exit(1) from None
        except ValueError as exc:  # a bad symbol or timeframe
            typer.echo(f"mas live: {exc}", err=True)
            raise typer.Exit(2) from None


@contextmanager
def _user_frames_in_logs(target: str, full: bool) -> Iterator[None]:
    """While live: a strategy file's callback errors are logged with that file's frames only (all with ``full``)."""
    path = Path(target)
    if full or path.suffix != ".py" or not path.is_file():
        yield
        return
    from mas.cli_errors import user_code_report

    class UserFrames(logging.Formatter):
        def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
            return user_code_report(ei[1], [path]) or super().formatException(ei)

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(UserFrames("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("mas.live")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _login_failure_starts() -> list[str]:
    """How the client's login failures begin, in every language."""
    from mas.i18n.messages import MESSAGES

    starts = [text.split("{", 1)[0] for key, texts in MESSAGES.items()
              if key.startswith("login_") and key != "login_ok" for text in texts.values()]
    return [start for start in starts if start]


@contextmanager
def _login_failures_said_once() -> Iterator[None]:
    """The client logs a failed login as a warning; mas live prints it in its own error, so not twice."""
    starts = _login_failure_starts()

    def said_by_the_cli(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(tuple(starts))

    logger = logging.getLogger("mas")
    logger.addFilter(said_by_the_cli)
    try:
        yield
    finally:
        logger.removeFilter(said_by_the_cli)


def _check_profile(profile: str) -> None:
    """ValueError, with the close name, unless the profile exists."""
    from mas.cli_errors import suggest
    from mas.live.profiles import ProfileError, load_profiles, profiles_path

    try:
        profiles = load_profiles()
    except ProfileError as exc:
        raise ValueError(f"--profile: {exc}") from None
    if profile not in profiles:
        raise ValueError(f"--profile: no broker profile {profile!r} in {profiles_path()} "
                         f"({suggest(profile, sorted(profiles))}); add one with 'mas broker add {profile} ...'")


def _sends_backtest_orders(target: str) -> bool:
    """Whether a strategy file hard-codes ``"backtest_toggle": True`` (orders that stay in the backtest)."""
    import re

    path = Path(target)
    if path.suffix != ".py" or not path.is_file():
        return False  # built-ins, specs and text strategies send self.backtest_toggle
    source = path.read_text(encoding="utf-8", errors="replace")
    return re.search(r"""["']backtest_toggle["']\s*:\s*True\b""", source) is not None
