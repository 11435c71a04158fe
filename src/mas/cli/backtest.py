"""``mas demo`` and ``mas backtest``: parse the options, run the backtest service, print the summary and write
the files asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from mas.cli import options
from mas.cli.errors import check_writable, fail, fail_in_user_code
from mas.cli.lang import say
from mas.client import MAS
from mas.i18n import current_lang
from mas.i18n.errors import InputError

__all__ = ["backtest", "demo", "print_summary", "strategy_title"]

console = Console()


def print_summary(result: Any, metrics: dict[str, Any], title: str | None = None) -> None:
    """The result's summary for a trader without a browser: an equity sparkline (block characters, or ASCII
    where the terminal's encoding cannot print them), then the headline figures (at most 80 columns)."""
    from mas.build_info import engine_build
    from mas.reports.summary import BLOCKS, can_print, equity_lines, headline_rows
    from mas.reports.tester import strategy_tester_statistics

    lang = current_lang()
    unicode = can_print(BLOCKS + "→…", console.encoding)
    for line in equity_lines(result, min(console.width, 80), unicode, lang):
        console.print(line, highlight=False, soft_wrap=True)
    table = Table(title=say("sum_title", strategy=title or result.settings.get("strategy"),
                            symbol=result.settings.get("symbol"), timeframe=result.settings.get("timeframe")),
                  safe_box=not unicode)
    metric, value = say("sum_columns").split("|")
    table.add_column(metric)
    table.add_column(value, justify="right")
    rows = [(say("sum_bars_replayed"), len(result.equity_times)),
            (say("sum_final_equity"), f"{float(result.equity[-1]):,.2f} {result.currency}"),
            *headline_rows(metrics, strategy_tester_statistics(result), result.currency, lang),
            (say("sum_replay_seconds"), result.settings.get("elapsed_seconds")),
            (say("sum_engine"), say("sum_engine_fast") if result.settings.get("engine") == "fast"
             else say("sum_engine_event", build=engine_build()))]
    for name, value in rows:
        table.add_row(name, f"{value:.4g}" if isinstance(value, float) else str(value))
    console.print(table)


def strategy_title(target: str | None) -> str | None:
    """How tables name a strategy file: its file name (None for built-ins, specs and texts)."""
    return Path(target).name if target and Path(target).suffix.lower() in (".py", ".json") else None


def _backtest(strategy: MAS, params: dict[str, Any], json_out: Path | None, report_dir: Path | None, *,
              spec: Any = None, engine: str = "auto", title: str | None = None, self_contained: bool = False,
              chart_spec: Any = None) -> None:
    """Run the backtest, print its summary, then write the --json document and the --report-dir reports
    (``chart_spec``: the spec whose indicators the trade chart draws, when the strategy has one)."""
    from mas.app.backtests import run_backtest
    from mas.app.documents import add_indicator_lines, save_result, strategy_reports
    from mas.reports.metrics import compute_metrics

    result = run_backtest(strategy, params, spec=spec, engine=engine)
    result = add_indicator_lines(strategy, chart_spec if chart_spec is not None else spec) or result
    if title:  # 'mas report' names the strategy by its file too
        result.settings.setdefault("strategy_file", title)
    print_summary(result, compute_metrics(result), title)
    if json_out is not None:
        save_result(result, json_out)
        console.print(say("out_result_written", path=json_out))
    if report_dir is not None:
        for path in strategy_reports(strategy, report_dir, self_contained):
            console.print(say("out_report", path=path))


def demo(report_dir: Path = typer.Option(Path("mas_reports"), help="Where the HTML reports go.")) -> None:
    """Backtest the docs' MA-cross strategy (SMA 5/20) on the bundled EURUSD H1 2017 sample."""
    from mas.app.strategies import exact_spec, load_strategy

    console.print(say("out_demo_intro"))
    try:
        strategy = load_strategy("ma", {})
        _backtest(strategy, {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31",
                             "captital": 10_000}, None, report_dir, engine="event",
                  chart_spec=exact_spec(strategy, "ma", {}))
    except (ValueError, LookupError, OSError) as exc:
        fail(exc)
    console.print(say("out_reports_in", path=report_dir.resolve()))


def _llm_strategy(text: str) -> MAS:
    """The strategy the LLM backend reads in ``text`` (validated, explained on the console before it runs); an
    LLMError (a ValueError) names the MAS_LLM_* setting at fault when the backend is not configured or fails."""
    from mas.strategy.compiler import compile_spec
    from mas.strategy.targets import spec_from_target

    spec, explanation = spec_from_target(text, llm=True)
    console.print(say("out_llm_read", explanation=explanation), highlight=False)
    return compile_spec(spec, name="TextStrategy")()


def backtest(
    target: str = typer.Argument(None, help=options.TARGET_HELP),
    text: str = typer.Option(None, "--text", help="A strategy described in words (English or Chinese), instead of "
                                                   "TARGET."),
    llm: bool = typer.Option(False, "--llm", help="With --text: ask the LLM backend (MAS_LLM_BASE_URL, MAS_LLM_MODEL) "
                                                  "for the spec instead of the parser; it is explained first."),
    model: str = typer.Option("open_prices", help="Path inside bars: open_prices, ohlc (M1), every_tick, real_ticks."),
    symbol: str = options.SYMBOL,
    timeframe: str = options.TIMEFRAME,
    date_from: str = options.DATE_FROM,
    date_to: str = options.DATE_TO,
    capital: float = options.CAPITAL,
    spread: int = options.SPREAD,
    commission: float = options.COMMISSION,
    leverage: int = options.LEVERAGE,
    currency: str = options.CURRENCY,
    margin_mode: str = options.MARGIN_MODE,
    slippage: int = options.SLIPPAGE,
    engine: str = options.ENGINE,
    param: list[str] = typer.Option([], "--param", help="Strategy parameter name=value (repeatable)."),
    json_out: Path = typer.Option(None, "--json", help="Write settings, metrics, trades and equity here."),
    report_dir: Path = typer.Option(None, "--report-dir", help="Write the KPI report and trade chart here."),
    self_contained: bool = typer.Option(False, "--self-contained", help="With --report-dir: each page with "
                                        "plotly.js inside it (about 4.8 MB more each) instead of the folder's "
                                        "shared copy."),
    full_traceback: bool = typer.Option(False, "--traceback", help="On an error in a strategy file, show Python's "
                                                                   "full traceback (default: your file's frames)."),
) -> None:
    """Backtest a strategy on stored data and print its metrics."""
    from mas.app.backtests import ENGINES
    from mas.app.strategies import exact_spec, load_strategy, load_text_strategy
    from mas.choices import check_choice

    try:
        if (target is None) == (text is None):
            raise InputError("target_and_text")
        engine = check_choice("--engine", engine, ENGINES)
        strategy_params = dict(options.parse_param(x) for x in param)
        if llm and text is None:
            raise InputError("bt_llm_needs_text")
        if llm:
            strategy = _llm_strategy(text)
        else:
            strategy = load_text_strategy(text) if text is not None else load_strategy(target, strategy_params)
        params = {"symbol": options.symbol_value(symbol), "timeframe": timeframe, "from": date_from,
                  "to": date_to, "model": model,
                  **options.account_params(capital, spread, commission, leverage, currency, margin_mode, slippage)}
        from mas.choices import check_choice
        from mas.sim.settings import BAR_MODELS

        check_choice("--model", model, BAR_MODELS)
        check_writable(json_out, "--json")
        check_writable(report_dir, "--report-dir", directory=True)
        if self_contained and report_dir is None:
            raise InputError("bt_self_contained")
        chart_spec = exact_spec(strategy, target if text is None else None, strategy_params)
        _backtest(strategy, params, json_out, report_dir, spec=None if engine == "event" else chart_spec,
                  engine=engine, title=strategy_title(target) if text is None else None,
                  self_contained=self_contained, chart_spec=chart_spec)
    except Exception as exc:  # noqa: BLE001 - the user's code may raise anything; it is reported, not traced back
        fail_in_user_code(exc, target, full_traceback)
        if not isinstance(exc, (ValueError, LookupError, TypeError, OSError)):
            raise
        fail(exc)
