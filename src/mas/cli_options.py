"""Command-line options that ``mas backtest`` and ``mas optimize`` share: what to replay and the
simulated account (one declaration each, so the two commands describe them alike)."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

TARGET_HELP = "A built-in (ma, rsi, macd, kd, bband), a .py file with a MAS subclass, a spec .json file or a quoted " \
              "text strategy."

SYMBOL = typer.Option("EURUSD", help="Symbol, or several separated by commas.")
TIMEFRAME = typer.Option("H1", help="M1 ... MN1.")
DATE_FROM = typer.Option(None, "--from", help="First day, YYYY-MM-DD.")
DATE_TO = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (whole day).")
CAPITAL = typer.Option(10_000.0, help="Initial capital in account currency.")
SPREAD = typer.Option(None, help="Spread in points (overrides data and symbol default).")
COMMISSION = typer.Option(None, help="Commission per lot per side, account currency.")
LEVERAGE = typer.Option(100, help="Account leverage, e.g. 100 for 1:100.")
CURRENCY = typer.Option("USD", help="Account currency.")
MARGIN_MODES = ("hedging", "netting")
MARGIN_MODE = typer.Option("hedging", help="hedging or netting.")
SLIPPAGE = typer.Option(0, help="Slippage in points on market and stop fills.")
ENGINE = typer.Option("auto", help="auto (the vectorized fast path for spec strategies and built-ins where it is "
                                   "exact, else the event engine), event or fast.")


def symbol_value(text: str) -> str | list[str]:
    """``--symbol`` as the ``symbol`` parameter: one name, or a list for several separated by commas
    (empty when none is given, which the backtest refuses with a message that says so)."""
    names = [s.strip() for s in text.split(",") if s.strip()]
    return names if len(names) > 1 else (names[0] if names else "")


def account_params(capital: float, spread: int | None, commission: float | None, leverage: int, currency: str,
                   margin_mode: str, slippage: int) -> dict[str, object]:
    """The simulated account's options as backtest parameters (ValueError naming a bad one)."""
    from mas.cli_errors import check_choice

    margin_mode = check_choice("--margin-mode", margin_mode, MARGIN_MODES)
    for option, value, low in (("--capital", capital, 0.0), ("--leverage", leverage, 0)):
        if not value > low:
            raise ValueError(f"{option}: must be above {low:g}, got {value:g}")
    for option, amount in (("--spread", spread), ("--slippage", slippage), ("--commission", commission)):
        if amount is not None and amount < 0:
            raise ValueError(f"{option}: must be 0 or more, got {amount:g}")
    return {"capital": capital, "spread": spread, "commission": commission, "leverage": leverage,
            "currency": currency, "margin_mode": margin_mode, "slippage": slippage}


# ---------------------------------------------------------------------------------------------- help
_METAVARS = {"--from": "DATE", "--to": "DATE", "--date": "DATE", "--symbol": "SYMBOL", "--timeframe": "TF",
             "--param": "NAME=VALUE", "--constraint": "EXPR", "--json": "FILE", "--output": "FILE",
             "--report-dir": "DIR", "--profile": "NAME", "--metric": "METRIC", "--engine": "auto|event|fast",
             "--margin-mode": "hedging|netting", "--model": "MODEL", "--method": "grid|random|optuna",
             "--terminal": "URL", "--lang": "LANG", "--state": "FILE", "--accounts": "FILE", "--host": "HOST",
             "--tls-cert": "PEM", "--tls-key": "PEM", "--cluster": "ADDRESS", "--currency": "CCY",
             "--wf-in-sample": "LENGTH", "--wf-out-of-sample": "LENGTH", "--source": "dukascopy|mt5",
             "--format": "FORMAT", "--columns": "MAPPING", "--trading-hours": "WINDOWS"}
_TYPE_METAVARS = {"int": "N", "float": "NUMBER", "Path": "PATH", "str": "TEXT", "bool": "", "list[str]": "TEXT"}


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def readable_metavar(param: Any) -> str:
    """The placeholder ``--help`` shows for an option's value: DATE, SYMBOL, N, PATH... (none for a flag)."""
    bare = param.bare_type() if hasattr(param, "bare_type") else "str"
    if getattr(param, "is_flag", False) or bare == "bool":
        return ""
    for name in param.opts:
        if name in _METAVARS:
            return _METAVARS[name]
    if _is_argument(param):
        return (param.name or "VALUE").upper()
    return _TYPE_METAVARS.get(bare, "VALUE")


def make_help_readable(command: Any, examples: dict[str, str], path: str = "") -> None:
    """Set readable metavars on every option of ``command`` and its subcommands (no ``<bool>`` or
    ``<list[str]>`` type labels) and put each command's example (``examples`` by command path) under its help."""
    for param in command.params:
        if param.metavar is None and param.name not in ("help", "version"):
            param.metavar = readable_metavar(param)
            if _is_argument(param):  # typer prints an argument's type label beside its name
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        elif param.name == "version":
            param.metavar = ""
    make_help_option = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = make_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option
    if path in examples and not command.epilog:
        command.epilog = "Example: " + examples[path]
    if hasattr(command, "commands"):  # a group (typer's own click, so no isinstance)
        for name, sub in command.commands.items():
            make_help_readable(sub, examples, f"{path} {name}".strip())


class HelpGroup(TyperGroup):
    """The root ``mas`` group: readable metavars and an example per command in every ``--help``."""

    examples: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_help_readable(self, self.examples)
