"""``mas broker add|list|test|remove``: broker profiles in ``$MAS_HOME/brokers.toml`` (never passwords);
``mas broker group add|list|remove|allocate``: account groups in ``$MAS_HOME/groups.toml``."""

from __future__ import annotations

import typer

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
            from mas.choices import suggest

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


# ---------------------------------------------------------------------- account groups
group_app = typer.Typer(help="Account groups: broker profiles that trade one order together ($MAS_HOME/groups.toml).",
                        no_args_is_help=True, add_completion=False,
                        epilog="Example: mas broker group add desk --members alice,bob --allocation equity")
broker_app.add_typer(group_app, name="group")


def _group_failed(command: str, exc: Exception, code: int = 2) -> typer.Exit:
    typer.echo(f"mas broker group {command}: {exc}", err=True)
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
) -> None:
    """Add an account group of existing broker profiles."""
    from mas.groups.store import AccountGroup, GroupError, add_group, check_members, parse_per_account
    from mas.live.profiles import ProfileError, load_profiles

    names = tuple(m.strip() for m in members.split(",") if m.strip())
    try:
        group = AccountGroup(name, names, allocation.strip().lower(), min_lot_rule.strip().lower(), risk_percent,
                             max_lots=parse_per_account("--per-account-max-lots", per_account_max_lots, names),
                             multipliers=parse_per_account("--multipliers", multipliers, names),
                             fixed_lots=parse_per_account("--fixed-lots", fixed_lots, names))
        check_members(group, load_profiles())
        where = add_group(group, replace=replace)
    except (GroupError, ProfileError) as exc:
        raise _group_failed("add", exc) from None
    typer.echo(f"group {name} saved in {where}: {group.describe()}")


@group_app.command("list", epilog="Example: mas broker group list")
def group_list() -> None:
    """The groups, their members and allocation."""
    from mas.groups.store import GroupError, groups_path, load_groups

    try:
        groups = load_groups()
    except GroupError as exc:
        raise _group_failed("list", exc) from None
    if not groups:
        typer.echo(f"no account groups in {groups_path()}")
    for group in groups.values():
        typer.echo(group.describe())


@group_app.command("remove", epilog="Example: mas broker group remove desk")
def group_remove(name: str = typer.Argument(..., help="Group name.")) -> None:
    """Remove a group (its broker profiles stay)."""
    from mas.groups.store import GroupError, remove_group

    try:
        removed = remove_group(name)
    except GroupError as exc:
        raise _group_failed("remove", exc) from None
    if not removed:
        typer.echo(f"mas broker group remove: no group {name!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"group {name} removed")


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
        raise _group_failed("allocate", exc, 1) from None
    for line in run.lines():
        typer.echo(line)
