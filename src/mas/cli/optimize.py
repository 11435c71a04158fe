"""``mas optimize``: sweep a strategy's parameters, rank the sets, optionally walk forward (the work is
:mod:`mas.app.optimizations`; this module parses the options and prints).

    mas optimize ma --from 2017-01-01 --to 2017-12-31 --param fast=5:50:5 --param slow=20:200:20 \\
        --constraint "fast < slow" --metric sharpe_ratio --workers 2 --json out.json --report-dir reports
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from mas.cli import options as cli_options
from mas.cli.errors import check_writable, error_head, fail, fail_in_user_code
from mas.cli.lang import say
from mas.i18n import current_lang, localize
from mas.i18n.errors import InputError

__all__ = ["optimize"]

console = Console(emoji=False)  # "--param fast=5:x:5" must not print an emoji
_SHOWN_METRICS = ("total_return_rate", "sharpe_ratio", "max_drawdown", "win_rate", "number_of_trades")
# the column headings of the ranked table: catalog keys (another metric's column: its name)
_SHORT_NAMES = {"total_return_rate": "opt_col_return", "sharpe_ratio": "opt_col_sharpe",
                "max_drawdown": "opt_col_max_dd", "win_rate": "opt_col_win", "number_of_trades": "opt_col_trades",
                "profit_factor": "opt_col_pf", "sortino_ratio": "opt_col_sortino"}


def _progress_bar() -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console, transient=False)


def _ranked_table(result: Any, top: int) -> Table:
    from mas.optimize.results import objective_value

    table = Table(title=say("opt_title_max" if result.maximize else "opt_title_min", shown=min(top, len(result.trials)),
                            total=len(result.trials), metric=result.metric))
    table.add_column("#", justify="right", no_wrap=True)
    for name in result.param_names:
        table.add_column(name, justify="right", overflow="fold")
    shown = [result.metric, *[m for m in _SHOWN_METRICS if m != result.metric]]
    for name in shown:
        table.add_column(say(_SHORT_NAMES[name]) if name in _SHORT_NAMES else name, justify="right", overflow="fold")
    for rank, trial in enumerate(result.ranked()[:top], start=1):
        if objective_value(trial, result.metric) is None:
            break
        cells = [str(rank), *(str(trial.params[n]) for n in result.param_names)]
        cells += [_cell(trial.metrics.get(m)) for m in shown]
        table.add_row(*cells)
    return table


def _params_text(params: dict[str, Any]) -> str:
    """``fast=5 slow=20``: a parameter set as the --param options write it."""
    return " ".join(f"{name}={value}" for name, value in params.items())


def _cell(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else "-" if value is None else str(value)


def optimize(
    target: str = typer.Argument(..., help=cli_options.TARGET_HELP),
    symbol: str = cli_options.SYMBOL,
    timeframe: str = cli_options.TIMEFRAME,
    date_from: str = cli_options.DATE_FROM,
    date_to: str = cli_options.DATE_TO,
    param: list[str] = typer.Option([], "--param", help="name=start:stop:step (stop included), name=v1,v2 or "
                                                        "name=value (repeatable)."),
    constraint: list[str] = typer.Option([], "--constraint", help='A condition between parameters, e.g. '
                                                                  '"fast < slow" (repeatable).'),
    metric: str = typer.Option("sharpe_ratio", help="Metric to optimize (a key of 'mas backtest --json' metrics)."),
    minimize: bool = typer.Option(False, "--minimize", help="Lower is better (default: higher)."),
    method: str = typer.Option("grid", help="grid, random or optuna."),
    trials: int = typer.Option(None, help="Parameter sets to try (random, optuna; default 100)."),
    seed: int = typer.Option(0, help="Seed of random and optuna searches."),
    workers: int = typer.Option(1, help="Processes evaluating in parallel."),
    cluster: str = typer.Option(None, help="Run on Dask: local:N (a local cluster of N workers) or tcp://HOST:PORT."),
    engine: str = cli_options.ENGINE,
    wf_in_sample: str = typer.Option(None, "--wf-in-sample", help="Walk forward: in-sample length, e.g. 6M, 180D, "
                                                                  "2000bars."),
    wf_out_of_sample: str = typer.Option(None, "--wf-out-of-sample", help="Walk forward: out-of-sample length."),
    anchored: bool = typer.Option(False, "--anchored", help="Walk forward with in-sample windows from the start."),
    wf_warmup_bars: int = typer.Option(500, "--wf-warmup-bars", min=0, help="Walk forward: bars before each "
                                       "out-of-sample window replayed first to warm indicators up (orders refused)."),
    capital: float = cli_options.CAPITAL,
    spread: int = cli_options.SPREAD,
    commission: float = cli_options.COMMISSION,
    leverage: int = cli_options.LEVERAGE,
    currency: str = cli_options.CURRENCY,
    margin_mode: str = cli_options.MARGIN_MODE,
    slippage: int = cli_options.SLIPPAGE,
    top: int = typer.Option(10, help="Rows of the ranked table printed."),
    json_out: Path = typer.Option(None, "--json", help="Write every parameter set's metrics and the best here."),
    report_dir: Path = typer.Option(None, "--report-dir", help="Write the HTML optimization report here."),
    self_contained: bool = typer.Option(False, "--self-contained", help="With --report-dir: one HTML file with "
                                        "plotly.js inside it (about 4.8 MB more) instead of the folder's shared copy."),
    full_traceback: bool = typer.Option(False, "--traceback", help="On an error in a strategy file, show Python's "
                                                                   "full traceback (default: your file's frames)."),
) -> None:
    """Sweep a strategy's parameters over stored data and rank the parameter sets."""
    from mas.app.optimizations import (
        check_optimization,
        optimization_report,
        run_optimization,
        run_walk_forward,
        save_optimization,
    )

    if not param:
        fail(InputError("param_sweep_missing"))
    if (wf_in_sample is None) != (wf_out_of_sample is None):
        fail(InputError("wf_options_together"))
    options: dict[str, Any] = dict(
        symbol=cli_options.symbol_value(symbol), timeframe=timeframe, start=date_from, end=date_to, metric=metric,
        maximize=not minimize, method=method, trials=trials, seed=seed, constraints=constraint, engine=engine,
        backtest=cli_options.account_params(capital, spread, commission, leverage, currency, margin_mode, slippage))
    try:  # malformed options fail before the progress bar starts
        check_optimization(target, param, constraint, metric, method, wf_in_sample, wf_out_of_sample)
        for option, count in (("--workers", workers), ("--top", top)):
            if count < 1:
                raise InputError("opt_must_be_one_or_more", option=option, value=count)
        cli_options.account_params(capital, spread, commission, leverage, currency, margin_mode, slippage)
        check_writable(json_out, "--json")
        check_writable(report_dir, "--report-dir", directory=True)
        if self_contained and report_dir is None:
            raise InputError("opt_self_contained")
    except Exception as exc:  # noqa: BLE001 - a strategy file may raise anything while it loads
        fail_in_user_code(exc, target, full_traceback)
        if not isinstance(exc, (ValueError, LookupError, TypeError, OSError)):
            raise
        fail(exc)
    try:
        with _progress_bar() as bar:
            task = bar.add_task(say("opt_progress"), total=None)
            result = run_optimization(target, param, workers=workers, cluster=cluster,
                                      progress=lambda done, total: bar.update(task, completed=done, total=total),
                                      **options)
            if wf_in_sample is not None:
                wf_task = bar.add_task(say("opt_wf_progress"), total=None)
                result.walk_forward = run_walk_forward(
                    target, param, in_sample=wf_in_sample, out_of_sample=wf_out_of_sample, anchored=anchored,
                    warmup_bars=wf_warmup_bars, workers=workers, cluster=cluster,
                    progress=lambda done, total: bar.update(wf_task, completed=done, total=total), **options)
    except (ValueError, LookupError, OSError) as exc:
        fail(exc)
    _summarize(result, top)
    if result.counts()["ok"] == 0:
        console.print(error_head() + say("out_opt_none_ran"),
                      highlight=False)
    if json_out is not None:
        save_optimization(result, json_out)
        console.print(say("out_results_written", path=json_out), highlight=False)
    if report_dir is not None:
        console.print(say("out_report", path=optimization_report(result, report_dir, self_contained)), highlight=False)
    if result.counts()["ok"] == 0:
        raise typer.Exit(code=1)


def _summarize(result: Any, top: int) -> None:
    counts = result.counts()
    if counts["ok"]:
        console.print(_ranked_table(result, top))
    console.print(say("out_opt_counts", ok=counts["ok"], skipped=counts["skipped"], error=counts["error"]),
                  highlight=False)
    skipped = [t for t in result.trials if t.status != "ok"]
    for trial in skipped[:3]:
        status = say(f"opt_status_{trial.status}") if trial.status in ("skipped", "error") else trial.status
        console.print(f"  {status}: {_params_text(trial.params)}: {localize(trial.reason, current_lang())}",
                      highlight=False)
    if len(skipped) > 3:
        console.print(say("out_opt_more", count=len(skipped) - 3), highlight=False)
    best = result.best
    if best is None:
        console.print(f"[yellow]{say('out_opt_no_metric', metric=result.metric)}[/yellow]")
    else:
        console.print(say("out_opt_best", params=best.params, metric=result.metric,
                          value=_cell(best.metrics.get(result.metric))),
                      highlight=False)
    wf = result.walk_forward
    if wf is not None:
        table = Table(title=say("opt_wf_title_anchored" if wf.anchored else "opt_wf_title_rolling",
                                in_sample=wf.in_sample, out_of_sample=wf.out_of_sample, metric=wf.metric))
        for i, column in enumerate(say("opt_wf_columns").split("|")):
            table.add_column(column, justify="left" if i == 2 else "right", overflow="fold")  # 2: the best params
        frame = wf.frame()
        for w, row in zip(wf.windows, frame.itertuples(), strict=True):
            table.add_row(str(w.index), f"{row.out_of_sample_from:%Y-%m-%d} .. {row.out_of_sample_to:%Y-%m-%d}",
                          _params_text(w.best.params) if w.best else "-", _cell(w.in_sample_value),
                          _cell(w.out_of_sample_value), _cell(w.degradation))
        console.print(table)
        if wf.stitched_metrics is not None:
            console.print(say("out_opt_stitched", metric=wf.metric, value=_cell(wf.stitched_metrics.get(wf.metric)),
                              total=_cell(wf.stitched_metrics.get("total_return_rate"))), highlight=False)
