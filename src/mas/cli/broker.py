"""``mas broker add|list|test|remove``: broker profiles in ``$MAS_HOME/brokers.toml`` (never passwords);
``mas broker group add|list|remove|allocate``: account groups in ``$MAS_HOME/groups.toml``;
``mas broker group backtest``: a strategy over a group's simulated accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from mas.cli.group_status import group_status
from mas.cli.lang import say

__all__ = ["broker_app"]

broker_app = typer.Typer(help="Broker profiles in $MAS_HOME/brokers.toml (never passwords).",
                         no_args_is_help=True, add_completion=False)


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
        from mas.cli.errors import error_text

        typer.echo(f"mas broker add: {error_text(exc)}", err=True)
        raise typer.Exit(2) from None
    typer.echo(say("out_profile_saved", name=name, path=where))
    if not keyring:
        typer.echo(say("out_password_hint", var=password_env_var(name)))


@broker_app.command("list")
def list_profiles() -> None:
    """The profiles and where each one's password would come from."""
    from mas.live.profiles import ProfileError, load_profiles, profiles_path, resolve_password

    try:
        profiles = load_profiles()
    except ProfileError as exc:
        from mas.cli.errors import error_text

        typer.echo(f"mas broker list: {error_text(exc)}", err=True)
        raise typer.Exit(2) from None
    if not profiles:
        typer.echo(say("out_no_profiles", path=profiles_path()))
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
        typer.echo(f"mas broker remove: {say('out_no_profile', name=name)}", err=True)
        raise typer.Exit(1)
    typer.echo(say("out_profile_removed", name=name))


@broker_app.command("test")
def test(name: str = typer.Argument(..., help="Profile name.")) -> None:
    """Log in with the profile, show the account, log out."""
    from mas.live.connect import LoginError, connect_terminal, parse_target
    from mas.live.profiles import ProfileError, apply_profile, load_profiles, password_env_var

    try:
        profiles = load_profiles()
        if name not in profiles:
            from mas.choices import suggest
            from mas.i18n.errors import Text

            raise ProfileError(Text("profile_unknown", name=name, hint=suggest(name, sorted(profiles))))
        params = apply_profile({"profile": name})
        if params.get("password") in (None, ""):
            from mas.i18n.errors import Text

            raise ProfileError(Text("profile_no_password", name=name, env=password_env_var(name)))
        target = parse_target(params)
        terminal = connect_terminal(params, int(params["account"]))
    except (ProfileError, LoginError, ValueError) as exc:
        from mas.cli.errors import error_text
        from mas.i18n.errors import Text

        hint: str = ""
        if isinstance(exc, LoginError) and exc.no_terminal:
            kind = parse_target(params).kind if "params" in locals() else "mt5"
            hint = Text("hint_sim_running" if kind in ("sim", "sims") else
                        "hint_bridge_running" if kind == "mt5linux" else "hint_mt5_extra")
        typer.echo(error_text(Text("login_failed_cli", command=f"mas broker test {name}", reason=exc, hint=hint)),
                   err=True)
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


# ---------------------------------------------------------------------- account groups
group_app = typer.Typer(help="Account groups: broker profiles that trade one order together ($MAS_HOME/groups.toml).",
                        no_args_is_help=True, add_completion=False,
                        epilog="Example: mas broker group add desk --members alice,bob --allocation equity")
broker_app.add_typer(group_app, name="group")
group_app.command("status", epilog="Example: mas broker group status desk --json")(group_status)  # GROUPOPS18


def _group_failed(exc: Exception, command: str, code: int = 2) -> typer.Exit:
    """Print ``mas broker group COMMAND: <exc>`` (in the command's language); the Exit to raise."""
    from mas.cli.errors import error_text

    typer.echo(f"mas broker group {command}: {error_text(exc)}", err=True)
    return typer.Exit(code)


@group_app.command("add", epilog="Example: mas broker group add desk --members alice,bob,carol "
                                         "--allocation equity --per-account-max-lots alice=2")
def group_add(
    name: str = typer.Argument(..., help="Group name."),
    members: str = typer.Option(..., help="Broker profile names, comma separated: a,b,c."),
    allocation: str = typer.Option("equity", help="multiplier, fixed, balance, equity, free_margin, risk or "
                                                  "equal_risk (see docs/live.md, Allocation)."),
    min_lot_rule: str = typer.Option("raise", help="A volume below the minimum lot: 'raise' it or 'skip' the account."),
    risk_percent: float = typer.Option(0.0, help="The risk method: percent of each account's equity lost at the stop."),
    per_account_max_lots: str = typer.Option("", help="Most lots per order: '2' (each) or 'a=2,b=0.5'."),
    multipliers: str = typer.Option("", help="The multiplier method: 'a=2,b=0.5' (default 1)."),
    fixed_lots: str = typer.Option("", help="The fixed method: '0.1' (each) or 'a=0.1,b=0.2' (default: the order's)."),
    replace: bool = typer.Option(False, "--replace", help="Replace a group of that name."),
    deposits: str = typer.Option("", help="Group backtests: each member's simulated deposit, '10000' (each) or "
                                          "'a=10000,b=50000' (default: the backtest's --capital)."),
    leverages: str = typer.Option("", help="Group backtests: each member's leverage, '100' or 'a=100,b=500'."),
    currencies: str = typer.Option("", help="Group backtests: each member's account currency, 'a=EUR,b=USD'."),
) -> None:
    """Add an account group of existing broker profiles."""
    from mas.groups.store import AccountGroup, GroupError, add_group, check_members, parse_per_account
    from mas.live.profiles import ProfileError, load_profiles

    names = tuple(m.strip() for m in members.split(",") if m.strip())
    try:
        group = AccountGroup(name, names, allocation.strip().lower(), min_lot_rule.strip().lower(), risk_percent,
                             max_lots=parse_per_account("--per-account-max-lots", per_account_max_lots, names),
                             multipliers=parse_per_account("--multipliers", multipliers, names),
                             fixed_lots=parse_per_account("--fixed-lots", fixed_lots, names),
                             **_backtest_tables(names, deposits, leverages, currencies))
        check_members(group, load_profiles())
        where = add_group(group, replace=replace)
    except (GroupError, ProfileError) as exc:
        raise _group_failed(exc, "add") from None
    typer.echo(say("out_group_saved", name=name, path=where, description=group.describe()))


@group_app.command("list", epilog="Example: mas broker group list")
def group_list() -> None:
    """The groups, their members and allocation."""
    from mas.groups.store import GroupError, groups_path, load_groups

    try:
        groups = load_groups()
    except GroupError as exc:
        raise _group_failed(exc, "list") from None
    if not groups:
        typer.echo(say("out_no_groups", path=groups_path()))
    for group in groups.values():
        typer.echo(group.describe())


@group_app.command("remove", epilog="Example: mas broker group remove desk")
def group_remove(name: str = typer.Argument(..., help="Group name.")) -> None:
    """Remove a group (its broker profiles stay)."""
    from mas.groups.store import GroupError, remove_group

    try:
        removed = remove_group(name)
    except GroupError as exc:
        raise _group_failed(exc, "remove") from None
    if not removed:
        typer.echo(f"mas broker group remove: {say('out_no_group', name=name)}", err=True)
        raise typer.Exit(1)
    typer.echo(say("out_group_removed", name=name))


@group_app.command("allocate", epilog="Example: mas broker group allocate desk --volume 10 --symbol EURUSD")
def group_allocate(
    name: str = typer.Argument(..., help="Group name."),
    volume: float = typer.Option(..., help="The order's volume in lots."),
    symbol: str = typer.Option("EURUSD", help="The symbol (its volume limits and tick value come from each server)."),
    stop_distance: float = typer.Option(0.0, help="The risk method: the stop's distance in price, e.g. 0.0050."),
) -> None:
    """Dry run: log in to each member, read balance/equity/free margin, print the split. Sends nothing."""
    from mas.app.live import allocate_group
    from mas.groups.store import GroupError

    try:
        run = allocate_group(name, volume, symbol=symbol, stop_distance=stop_distance)
    except GroupError as exc:
        raise _group_failed(exc, "allocate", 1) from None
    from mas.cli.group_status import dry_run_lines
    from mas.i18n import current_lang

    for line in dry_run_lines(run, current_lang()):
        typer.echo(line)


def _backtest_tables(names: tuple[str, ...], deposits: str, leverages: str, currencies: str) -> dict:
    """``group add``'s --deposits / --leverages / --currencies as the group's backtest tables."""
    from mas.groups.store import GroupError, parse_per_account
    from mas.i18n.errors import Text

    tables: dict = {}
    if deposits:
        tables["deposits"] = parse_per_account("--deposits", deposits, names)
    if leverages:
        values = parse_per_account("--leverages", leverages, names)
        if any(v != int(v) for v in values.values()):
            raise GroupError(Text("grp_leverages_whole"))
        tables["leverages"] = {m: int(v) for m, v in values.items()}
    if currencies:
        pairs = [part.partition("=") for part in currencies.split(",") if part.strip()]
        if any(not sep for _, sep, _ in pairs):
            raise GroupError(Text("grp_currencies_pairs", value=currencies))
        tables["currencies"] = {m.strip(): v.strip().upper() for m, _, v in pairs}
    return tables


@group_app.command("backtest", epilog="Example: mas broker group backtest desk ma --from 2017-01-01 --to 2017-12-31 "
                                      "--accounts 10000:100,50000:500 --report-dir reports")
def group_backtest(
    name: str = typer.Argument(..., help="Group name (or, with every account named in --accounts, a new name)."),
    target: str = typer.Argument(..., help="The strategy: a built-in (ma, rsi, macd, kd, bband), a .py file with a "
                                           "MAS subclass, a spec .json file or a quoted text strategy."),
    accounts: str = typer.Option("", help="Each member's DEPOSIT[:LEVERAGE[:CURRENCY]], in member order "
                                          "('10000:100,50000:500') or named ('alice=10000:100,bob=5000:50:EUR'); "
                                          "default: the group's deposits/leverages/currencies, else --capital and "
                                          "--leverage."),
    allocation: str = typer.Option(None, help="Override the group's method: multiplier, fixed, balance, equity, "
                                              "free_margin, risk or equal_risk (docs/groups.md)."),
    min_lot_rule: str = typer.Option(None, help="Override the group's rule for a volume below the minimum lot: "
                                                "raise or skip."),
    risk_percent: float = typer.Option(None, help="Override the group's risk percent (the risk method)."),
    model: str = typer.Option("open_prices", help="Path inside bars: open_prices, ohlc (M1), every_tick, "
                                                  "real_ticks."),
    symbol: str = typer.Option("EURUSD", help="Symbol, or several separated by commas."),
    timeframe: str = typer.Option("H1", help="M1 ... MN1."),
    date_from: str = typer.Option(None, "--from", help="First day, YYYY-MM-DD."),
    date_to: str = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (whole day)."),
    capital: float = typer.Option(10_000.0, help="Deposit of a member without one (--accounts or the group's)."),
    leverage: int = typer.Option(100, help="Leverage of a member without one, e.g. 100 for 1:100."),
    currency: str = typer.Option("USD", help="Account currency of a member without one."),
    spread: int = typer.Option(None, help="Spread in points (overrides data and symbol default)."),
    commission: float = typer.Option(None, help="Commission per lot per side, account currency."),
    margin_mode: str = typer.Option("hedging", help="hedging or netting."),
    slippage: int = typer.Option(0, help="Slippage in points on market and stop fills."),
    param: list[str] = typer.Option([], "--param", help="Strategy parameter name=value (repeatable)."),
    json_out: Path = typer.Option(None, "--json", help="Write the accounts' table, the exposure, each account's and "
                                                       "the aggregate's result here."),
    report_dir: Path = typer.Option(None, "--report-dir", help="Write each account's KPI report, the group's "
                                                              "aggregated KPI report and a summary page here."),
) -> None:
    """Backtest a strategy over the group's accounts: one replay, each order split by the group's allocation
    method; prints each account's result and the group's aggregate."""
    from mas.app.group_backtests import group_for_backtest, run_group_backtest
    from mas.app.strategies import load_strategy
    from mas.cli.errors import check_writable, fail, fail_in_user_code
    from mas.cli.options import account_params, parse_param, symbol_value
    from mas.groups.store import GroupError

    try:
        strategy_params = dict(parse_param(x) for x in param)
        group, members = group_for_backtest(name, accounts or None, capital=capital, leverage=leverage,
                                            allocation=allocation, min_lot_rule=min_lot_rule,
                                            risk_percent=risk_percent)
        params = {"symbol": symbol_value(symbol), "timeframe": timeframe, "from": date_from, "to": date_to,
                  "model": model, **account_params(capital, spread, commission, leverage, currency, margin_mode,
                                                   slippage)}
        check_writable(json_out, "--json")
        check_writable(report_dir, "--report-dir", directory=True)
        strategy = load_strategy(target, strategy_params)
        result = run_group_backtest(strategy, params, members, allocation=group)
    except Exception as exc:  # noqa: BLE001 - the user's code may raise anything; it is reported, not traced back
        fail_in_user_code(exc, target, False)
        if not isinstance(exc, (GroupError, ValueError, LookupError, TypeError, OSError)):
            raise
        fail(exc)
    _print_group_result(result, Path(target).name if Path(target).suffix in (".py", ".json") else target)
    if json_out is not None:
        import json

        from mas.reports.output import write_text_atomic

        json_out.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(json_out, json.dumps(result.document(), indent=1, default=str))
        typer.echo(say("out_result_written", path=json_out))
    if report_dir is not None:
        from mas.groups.backtest_report import write_group_reports

        try:
            for path in write_group_reports(result, report_dir, type(strategy).__name__):
                typer.echo(say("out_report", path=path))
        except (OSError, ValueError) as exc:
            fail(exc)


def _print_group_result(result: Any, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from mas.groups.backtest_report import COLUMNS, cell

    settings = result.aggregate.settings
    table = Table(title=say("grp_title", strategy=title, group=result.group.name, symbol=settings.get("symbol"),
                            timeframe=settings.get("timeframe"), allocation=result.group.allocation,
                            currency=result.aggregate.currency))
    for (key, _), heading in zip(COLUMNS, say("grp_columns").split("|"), strict=True):
        table.add_column(heading, justify="left" if key in ("account", "currency") else "right")
    for row in result.rows():
        total = row["account"] == "total"
        cells = [cell(row.get(key)) for key, _ in COLUMNS]
        table.add_row(*([say("grp_total"), *cells[1:]] if total else cells), style="bold" if total else None)
    console = Console(width=max(160, Console().width))
    console.print(table)
    for symbol, lots in result.exposure_summary().items():
        console.print(say("out_exposure", symbol=symbol, largest=lots["max_net_lots"], final=lots["final_net_lots"]))
