"""The ``mas`` command: demo, backtest, report and data management."""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from mas import cli_options
from mas.client import MAS
from mas.data.cli import app as data_app
from mas.live.cli import broker_app, sim_app
from mas.mt5.cli import app as mt5_app
from mas.strategy.cli import app as strategy_app

EXAMPLES = {
    "": "mas demo, then mas backtest my_strategy.py --from 2017-01-01 --to 2017-12-31 (mas COMMAND --help for more)",
    "demo": "mas demo --report-dir mas_reports",
    "backtest": "mas backtest ma --from 2017-01-01 --to 2017-06-30 --param fast=10 --param slow=30 --json r.json",
    "report": "mas report r.json --report-dir mas_reports",
    "optimize": "mas optimize ma --param fast=5:20:5 --param slow=20,40 --constraint 'fast < slow'",
    "live": "mas live my_strategy.py --profile demo --symbol EURUSD --timeframe H1",
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
    "mt5 run": "mas mt5 run my_script.py --terminal sim://127.0.0.1:18812 --login 1001 --server MAS-Sim",
}


class _MasGroup(cli_options.HelpGroup):
    """The ``mas`` group, with an example per command in its ``--help``."""

    examples = EXAMPLES


app = typer.Typer(help="MAS-compatible forex margin-trading SDK: backtests, reports and data.",
                  no_args_is_help=True, add_completion=False, cls=_MasGroup)
app.add_typer(data_app, name="data", help="Import, download, list and check historical data.")
app.add_typer(strategy_app, name="strategy", help="Text -> strategy: parse, explain, export; the spec schema.")
app.add_typer(sim_app, name="sim", help="The simulated MT5 server (paper trading, live-path tests).")
app.add_typer(broker_app, name="broker", help="Broker profiles: add, list, test.")
app.add_typer(mt5_app, name="mt5", help="Run MetaTrader5 Python scripts unchanged on any terminal.")
console = Console()


def _show_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    from mas.build_info import engine_build

    try:
        number = version("mas-sdk")
    except PackageNotFoundError:
        number = "unknown (not installed)"
    typer.echo(f"mas {number} (engine: {engine_build()}, Python {sys.version.split()[0]})")
    raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """MAS-compatible forex margin-trading SDK: backtests, reports and data."""


def _parse_param(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise typer.BadParameter(f"--param {text!r}: expected name=value, e.g. --param fast=10")
    name, raw = text.split("=", 1)
    value: Any = raw
    for cast in (int, float):
        try:
            value = cast(raw)
            break
        except ValueError:
            continue
    return name.strip(), value


def load_text_strategy(text: str) -> MAS:
    """The strategy a text describes (the deterministic parser; a ParseError quotes what it cannot read)."""
    from mas.strategy.compiler import compile_spec
    from mas.strategy.parse import parse_text

    return compile_spec(parse_text(text).spec, name="TextStrategy")()


def load_strategy(target: str, strategy_params: dict[str, Any]) -> MAS:
    """A built-in strategy by name, the MAS subclass defined in a Python file, a strategy spec (.json)
    or a strategy described in words (English or Chinese; a ParseError quotes what it cannot read)."""
    from mas.cli_errors import check_strategy_params
    from mas.strategy.builtins import BUILTIN_STRATEGIES

    if target in BUILTIN_STRATEGIES:
        check_strategy_params(BUILTIN_STRATEGIES[target], strategy_params, target)
        return BUILTIN_STRATEGIES[target](**strategy_params)
    path = Path(target)
    described = not path.exists() and path.suffix != ".py" and (" " in target.strip() or not target.isascii())
    if path.suffix.lower() == ".json" or described:
        from mas.strategy.cli import spec_from_target
        from mas.strategy.compiler import compile_spec

        if strategy_params:
            raise ValueError("--param: parameters apply to built-ins and .py strategies; edit the spec or the text")
        spec, _ = spec_from_target(target)
        return compile_spec(spec, name="SpecStrategy")()
    if path.suffix != ".py" or not path.is_file():
        from mas.cli_errors import suggest

        missing = f"no such file {target!r}; " if path.suffix == ".py" else ""
        raise ValueError(f"TARGET: {missing}{target!r} is neither a built-in strategy "
                         f"({suggest(target, BUILTIN_STRATEGIES)}), an existing .py file holding a MAS subclass, "
                         f"a spec .json file nor a text strategy")
    spec = importlib.util.spec_from_file_location(f"mas_user_strategy_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    classes = [obj for obj in vars(module).values()
               if inspect.isclass(obj) and issubclass(obj, MAS) and obj is not MAS
               and obj.__module__ == module.__name__]
    if len(classes) != 1:
        names = ", ".join(c.__name__ for c in classes) or "none"
        raise ValueError(f"TARGET: {target} must define exactly one MAS subclass (found {names})")
    cls = classes[0]
    check_strategy_params(cls, strategy_params, f"{path.name} ({cls.__name__})")
    return cls(**strategy_params) if strategy_params else cls()


def result_document(result: Any) -> dict[str, Any]:
    """The ``--json`` document: settings, metrics, trades and one equity point per bar.

    See :mod:`mas.reports.saved_result`, which also reads it back for ``mas report``.
    """
    from mas.reports.saved_result import result_document as build

    return build(result)


def _write_json_atomic(path: Path, document: dict) -> None:
    from mas.reports.output import write_text_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(document, indent=1, default=str))


def _print_summary(result: Any, metrics: dict[str, Any], title: str | None = None) -> None:
    from mas.build_info import engine_build

    table = Table(title=f"{title or result.settings.get('strategy')} on {result.settings.get('symbol')} "
                        f"{result.settings.get('timeframe')}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    rows = [("bars replayed", len(result.equity_times)), ("closed trades", metrics.get("number_of_trades")),
            ("final equity", f"{float(result.equity[-1]):,.2f} {result.currency}"),
            ("total return %", metrics.get("total_return_rate")), ("win rate %", metrics.get("win_rate")),
            ("profit factor", metrics.get("profit_factor")), ("max drawdown %", metrics.get("max_drawdown")),
            ("Sharpe", metrics.get("sharpe_ratio")), ("Sortino", metrics.get("sortino_ratio")),
            ("replay seconds", result.settings.get("elapsed_seconds")),
            ("engine", "vectorized fast path" if result.settings.get("engine") == "fast"
             else f"event ({engine_build()})")]
    for name, value in rows:
        table.add_row(name, f"{value:.4g}" if isinstance(value, float) else str(value))
    console.print(table)


def exact_spec(strategy: MAS, target: str | None, strategy_params: dict[str, Any]) -> Any:
    """The strategy spec that trades exactly like ``strategy``: a built-in's own spec, or the spec a spec file or
    a text compiled to; None for a strategy file (.py), whose Python only the event engine can run."""
    from mas.strategy.builtins import BUILTIN_STRATEGIES

    if target in BUILTIN_STRATEGIES:
        from mas.strategy.builtin_specs import builtin_spec

        return builtin_spec(target, **strategy_params)
    if target is not None and Path(target).suffix.lower() == ".py":
        return None
    return getattr(type(strategy), "spec", None)


def _fast_result(spec: Any, params: dict[str, Any], label: str, required: bool) -> Any:
    """The vectorized fast path's backtest, or None where it would not be exact (an error when ``required``)."""
    from mas.optimize.market_data import MarketData
    from mas.vector.engine import FastMarket, market_limitation, spec_limitation

    data = MarketData.load({**params, "backtest_toggle": True})
    why = market_limitation(data)
    market = FastMarket.build(data) if why is None else None
    if market is not None:
        why = spec_limitation(spec, market.symbol)
    result = market.backtest(spec, label) if market is not None and why is None else None
    if result is None and required:
        why = why or "its fills come near a margin rejection or a stop-out"
        raise ValueError(f"--engine fast: the fast path cannot replay this exactly ({why}); use --engine auto or event")
    return result


def _backtest(strategy: MAS, params: dict[str, Any], json_out: Path | None, report_dir: Path | None, *,
              spec: Any = None, require_fast: bool = False, title: str | None = None) -> None:
    from mas.reports.metrics import compute_metrics

    result = _fast_result(spec, params, type(strategy).__name__, require_fast) if spec is not None else None
    if result is None:
        strategy.backtest_toggle = True  # a strategy written for both modes sends its orders to the backtest
        strategy.subscribe_bars({**params, "backtest_toggle": True})
        result = strategy.backtest_result
    else:  # the reports below read the strategy's result, as after subscribe_bars
        strategy._result = result
    if result is None or len(result.equity_times) == 0:
        raise ValueError("the backtest replayed no bars")
    if title:  # 'mas report' names the strategy by its file too
        result.settings.setdefault("strategy_file", title)
    _print_summary(result, compute_metrics(result), title)
    if json_out is not None:
        _write_json_atomic(json_out, result_document(result))
        console.print(f"result written to {json_out}")
    if report_dir is not None:
        for call in (strategy.generate_kpi_report, strategy.generate_trade_chart):
            outcome = call({"report_dir": str(report_dir)})
            if not outcome.get("status"):
                raise ValueError(outcome.get("error", "report failed"))
            console.print(f"report: {outcome['path']}")


def _fail(exc: Exception) -> None:
    console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


@app.command()
def demo(report_dir: Path = typer.Option(Path("mas_reports"), help="Where the HTML reports go.")) -> None:
    """Backtest the docs' MA-cross strategy (SMA 5/20) on the bundled EURUSD H1 2017 sample."""
    from mas.strategy.builtins import BUILTIN_STRATEGIES

    console.print("MAS demo: SMA(5) x SMA(20) on the bundled real EURUSD H1 2017 candles "
                  "(ask-side data: bid = ask - spread), 10,000 USD, leverage 1:100, 0.1 lot")
    try:
        _backtest(BUILTIN_STRATEGIES["ma"](), {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01",
                                               "to": "2017-12-31", "captital": 10_000}, None, report_dir)
    except (ValueError, LookupError, OSError) as exc:
        _fail(exc)
    console.print(f"reports are in {report_dir.resolve()}")


@app.command()
def backtest(
    target: str = typer.Argument(None, help=cli_options.TARGET_HELP),
    text: str = typer.Option(None, "--text", help="A strategy described in words (English or Chinese), instead of "
                                                   "TARGET."),
    model: str = typer.Option("open_prices", help="Path inside bars: open_prices, ohlc (M1), every_tick, real_ticks."),
    symbol: str = cli_options.SYMBOL,
    timeframe: str = cli_options.TIMEFRAME,
    date_from: str = cli_options.DATE_FROM,
    date_to: str = cli_options.DATE_TO,
    capital: float = cli_options.CAPITAL,
    spread: int = cli_options.SPREAD,
    commission: float = cli_options.COMMISSION,
    leverage: int = cli_options.LEVERAGE,
    currency: str = cli_options.CURRENCY,
    margin_mode: str = cli_options.MARGIN_MODE,
    slippage: int = cli_options.SLIPPAGE,
    engine: str = cli_options.ENGINE,
    param: list[str] = typer.Option([], "--param", help="Strategy parameter name=value (repeatable)."),
    json_out: Path = typer.Option(None, "--json", help="Write settings, metrics, trades and equity here."),
    report_dir: Path = typer.Option(None, "--report-dir", help="Write the KPI report and trade chart here."),
    full_traceback: bool = typer.Option(False, "--traceback", help="On an error in a strategy file, show Python's "
                                                                   "full traceback (default: your file's frames)."),
) -> None:
    """Backtest a strategy on stored data and print its metrics."""
    try:
        if (target is None) == (text is None):
            raise ValueError("TARGET/--text: give a strategy as TARGET or describe one with --text, not both")
        if engine not in ("auto", "event", "fast"):
            raise ValueError(f"--engine: {engine!r} is not an engine; use auto, event or fast")
        strategy_params = dict(_parse_param(x) for x in param)
        strategy = load_text_strategy(text) if text is not None else load_strategy(target, strategy_params)
        params = {"symbol": cli_options.symbol_value(symbol), "timeframe": timeframe, "from": date_from,
                  "to": date_to, "model": model,
                  **cli_options.account_params(capital, spread, commission, leverage, currency, margin_mode, slippage)}
        from mas.backtest.session import BAR_MODELS
        from mas.cli_errors import check_choice, check_writable

        model = check_choice("--model", model, BAR_MODELS)
        check_writable(json_out, "--json")
        check_writable(report_dir, "--report-dir", directory=True)
        spec = None if engine == "event" else exact_spec(strategy, target if text is None else None, strategy_params)
        if engine == "fast" and spec is None:
            raise ValueError("--engine fast: the fast path runs spec strategies, text strategies and the built-ins; "
                             "a strategy file (.py) runs on the event engine (--engine event or auto)")
        _backtest(strategy, params, json_out, report_dir, spec=spec, require_fast=engine == "fast",
                  title=strategy_title(target) if text is None else None)
    except Exception as exc:  # noqa: BLE001 - the user's code may raise anything; it is reported, not traced back
        fail_in_user_code(exc, target, full_traceback)
        if not isinstance(exc, (ValueError, LookupError, TypeError, OSError)):
            raise
        _fail(exc)


def strategy_title(target: str | None) -> str | None:
    """How tables name a strategy file: its file name (None for built-ins, specs and texts)."""
    return Path(target).name if target and Path(target).suffix.lower() in (".py", ".json") else None


def fail_in_user_code(exc: BaseException, target: str | None, full: bool) -> None:
    """When ``exc`` came from the strategy file ``target``: print its frames (all with ``full``) and exit 1."""
    from mas.cli_errors import user_code_report

    if not target or Path(target).suffix != ".py" or not Path(target).is_file():
        return
    report = user_code_report(exc, [Path(target)], full=full)
    if report is None:
        return
    Console(stderr=True, highlight=False, soft_wrap=True).print(report, markup=False)
    raise typer.Exit(code=1)


@app.command()
def report(
    result_json: Path = typer.Argument(..., help="A result saved by 'mas backtest --json'."),
    report_dir: Path = typer.Option(None, "--report-dir",
                                    help="Where the HTML reports go (default: $MAS_REPORT_DIR, else ./mas_reports)."),
) -> None:
    """Render the KPI report and the trade chart again from a saved result."""
    from mas.reports.chart import write_trade_chart
    from mas.reports.kpi import write_kpi_report
    from mas.reports.metrics import compute_metrics
    from mas.reports.output import resolve_report_dir
    from mas.reports.saved_result import load_saved_result

    try:
        result, notes = load_saved_result(result_json)
        for note in notes:
            console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
        _print_summary(result, compute_metrics(result), result.settings.get("strategy_file"))
        directory = resolve_report_dir({"report_dir": str(report_dir) if report_dir is not None else None})
        strategy = str(result.settings.get("strategy") or result_json.stem)
        for writer in (write_kpi_report, write_trade_chart):
            console.print(f"report: {writer(result, directory, strategy)}", highlight=False)
    except (ValueError, OSError) as exc:
        _fail(exc)


app.command(name="optimize")(importlib.import_module("mas.optimize.cli").optimize)
app.command(name="live")(importlib.import_module("mas.live.cli").live)


def main() -> None:
    """Entry point of the ``mas`` console script."""
    app(prog_name="mas")


if __name__ == "__main__":
    sys.exit(main())
