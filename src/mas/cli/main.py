"""The ``mas`` command: its root group, ``--version``, ``--lang``, and every command group registered (one module
each)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from mas.cli.backtest import backtest, demo
from mas.cli.broker import broker_app
from mas.cli.copier import copy_app
from mas.cli.data import app as data_app
from mas.cli.help import HelpGroup
from mas.cli.lang import apply_lang, localized_click_error, say
from mas.cli.live import live
from mas.cli.mt5 import app as mt5_app
from mas.cli.optimize import optimize
from mas.cli.report import report
from mas.cli.sim import sim_app
from mas.cli.strategy import app as strategy_app
from mas.cli.symbols import symbols_app
from mas.web.cli import ui

__all__ = ["EXAMPLES", "app", "main"]

EXAMPLES = {
    "": "mas demo, then mas backtest my_strategy.py --from 2017-01-01 --to 2017-12-31 (mas COMMAND --help for more)",
    "demo": "mas demo --report-dir mas_reports",
    "backtest": "mas backtest ma --from 2017-01-01 --to 2017-06-30 --param fast=10 --param slow=30 --json r.json",
    "report": "mas report r.json --report-dir mas_reports",
    "optimize": "mas optimize ma --param fast=5:20:5 --param slow=20,40 --constraint 'fast < slow'",
    "live": "mas live my_strategy.py --profile demo --symbol EURUSD --timeframe H1",
    "ui": "mas ui",
    "data import": "mas data import EURUSD_M1.csv --symbol EURUSD --timeframe M1",
    "data download": "mas data download EURUSD --from 2024-01-01 --to 2024-01-31",
    "data list": "mas data list",
    "data check": "mas data check EURUSD --timeframe H1",
    "data remove": "mas data remove EURUSD --timeframe M1",
    "strategy parse": "mas strategy parse 'buy when RSI(14) < 30, sell when RSI > 70' -o spec.json",
    "strategy explain": "mas strategy explain spec.json --lang zh-tw",
    "strategy schema": "mas strategy schema -o strategy-spec.schema.json",
    "strategy export": "mas strategy export spec.json -o strategy.py",
    "sim serve": "mas sim serve --from 2017-01-02 --speed 3600 --allow-new-accounts",
    "broker add": "mas broker add demo --terminal sim --server MAS-Sim --login 1001 --port 18812",
    "broker list": "mas broker list",
    "broker test": "mas broker test demo (the password from MAS_PASSWORD_DEMO or the OS keyring)",
    "broker remove": "mas broker remove demo",
    "symbols add": "mas symbols add US30 --base USD --profit USD --digits 1 --contract-size 1 --calc-mode cfd",
    "symbols list": "mas symbols list --group '*JPY*'",
    "symbols show": "mas symbols show EURUSD",
    "symbols remove": "mas symbols remove US30",
    "symbols suffix": "mas symbols suffix .m --profile mybroker",
    "mt5 run": "mas mt5 run my_script.py --terminal sim://127.0.0.1:18812 --login 1001 --server MAS-Sim",
    "copy start": "mas copy start --master master --followers alice:2,bob:0.5:reverse --map EURUSD=EURUSD.m",
    "copy status": "mas copy status master",
}


class _MasGroup(HelpGroup):
    """The ``mas`` group, with an example per command in its ``--help``; click's usage errors in the command's
    language (``--lang``, ``MAS_LANG``)."""

    examples = EXAMPLES

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Use the run's language before anything is handled: ``mas --help --lang zh-tw`` (``--help`` is handled
        before ``--lang``) prints the help in that language too, and a run without ``--lang`` uses ``MAS_LANG``
        even when an earlier run in the same process chose another."""
        try:
            apply_lang(_lang_before_command(args))
        except ValueError:
            apply_lang(None)  # the --lang option itself says what is wrong with it
        return super().parse_args(ctx, args)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """The root context; a usage error in the command's language."""
        try:
            return super().make_context(*args, **kwargs)
        except typer.TyperException as exc:
            raise localized_click_error(exc) from None

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a usage error of a subcommand in the command's language."""
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            raise localized_click_error(exc) from None


def _lang_before_command(args: list[str]) -> str | None:
    """The value of ``--lang LANG`` or ``--lang=LANG`` among the root options (before the command's name)."""
    for i, arg in enumerate(args):
        if arg == "--lang":
            return args[i + 1] if i + 1 < len(args) else None
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):
            return None
    return None


app = typer.Typer(help="MAS-compatible forex margin-trading SDK: backtests, reports and data.",
                  no_args_is_help=True, add_completion=False, cls=_MasGroup)
app.add_typer(data_app, name="data", help="Import, download, list and check historical data.")
app.add_typer(strategy_app, name="strategy", help="Text -> strategy: parse, explain, export; the spec schema.")
app.add_typer(sim_app, name="sim", help="The simulated MT5 server (paper trading, live-path tests).")
app.add_typer(broker_app, name="broker", help="Broker profiles: add, list, test.")
app.add_typer(mt5_app, name="mt5", help="Run MetaTrader5 Python scripts unchanged on any terminal.")
app.add_typer(symbols_app, name="symbols", help="Symbol specs: add, list, show, remove; broker suffixes.")
app.add_typer(copy_app, name="copy", help="Trade copier: mirror a master account's deals on followers.")


def _show_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    from mas.build_info import engine_build

    try:
        number = version("mas-sdk")
    except PackageNotFoundError:
        number = say("out_version_unknown")
    typer.echo(say("out_version", number=number, engine=engine_build(), python=sys.version.split()[0]))
    raise typer.Exit()


def _use_lang(value: str | None) -> str | None:
    try:
        apply_lang(value)
    except ValueError as exc:
        from mas.cli.errors import fail

        fail(exc)
    return value


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                       help="Show the version and exit."),
          lang: str = typer.Option(None, "--lang", envvar="MAS_LANG", callback=_use_lang, is_eager=True,
                                   help="Language of messages and errors: en, zh-tw or zh-cn (default: $MAS_LANG, "
                                        "else en).")) -> None:
    """MAS-compatible forex margin-trading SDK: backtests, reports and data."""


app.command()(demo)
app.command()(backtest)
app.command()(report)
app.command()(optimize)
app.command()(live)
app.command()(ui)  # mas.web.cli imports only typer: the command works, and says what to install, without the ui extra


def main() -> None:
    """Entry point of the ``mas`` console script."""
    app(prog_name="mas")

