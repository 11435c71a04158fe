"""``mas optimize``: sweep a strategy's parameters, rank the sets, optionally walk forward.

    mas optimize ma --from 2017-01-01 --to 2017-12-31 --param fast=5:50:5 --param slow=20:200:20 \\
        --constraint "fast < slow" --metric sharpe_ratio --workers 2 --json out.json --report-dir reports
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mas import cli_options

__all__ = ["optimize"]

console = Console(emoji=False)  # "--param fast=5:x:5" must not print an emoji
_SHOWN_METRICS = ("total_return_rate", "sharpe_ratio", "max_drawdown", "win_rate", "number_of_trades")
_SHORT_NAMES = {"total_return_rate": "return %", "sharpe_ratio": "Sharpe", "max_drawdown": "max DD %",
                "win_rate": "win %", "number_of_trades": "trades", "profit_factor": "PF", "sortino_ratio": "Sortino"}


def _fail(exc: Exception) -> None:
    console.print("[red]error:[/red] " + escape(str(exc)), highlight=False)
    raise typer.Exit(code=2)


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

    table = Table(title=f"best {min(top, len(result.trials))} of {len(result.trials)} by {result.metric} "
                        f"({'max' if result.maximize else 'min'})")
    table.add_column("#", justify="right", no_wrap=True)
    for name in result.param_names:
        table.add_column(name, justify="right", overflow="fold")
    shown = [result.metric, *[m for m in _SHOWN_METRICS if m != result.metric]]
    for name in shown:
        table.add_column(_SHORT_NAMES.get(name, name), justify="right", overflow="fold")
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
    full_traceback: bool = typer.Option(False, "--traceback", help="On an error in a strategy file, show Python's "
                                                                   "full traceback (default: your file's frames)."),
) -> None:
    """Sweep a strategy's parameters over stored data and rank the parameter sets."""
    from mas.optimize.api import run_optimization
    from mas.optimize.walkforward import run_walk_forward

    if not param:
        _fail(ValueError("--param: give at least one parameter to sweep, e.g. --param fast=5:50:5"))
    if (wf_in_sample is None) != (wf_out_of_sample is None):
        _fail(ValueError("--wf-in-sample and --wf-out-of-sample go together"))
    options: dict[str, Any] = dict(
        symbol=cli_options.symbol_value(symbol), timeframe=timeframe, start=date_from, end=date_to, metric=metric,
        maximize=not minimize, method=method, trials=trials, seed=seed, constraints=constraint, engine=engine,
        backtest=cli_options.account_params(capital, spread, commission, leverage, currency, margin_mode, slippage))
    try:  # malformed options fail before the progress bar starts
        _precheck(target, param, constraint, metric, method, wf_in_sample, wf_out_of_sample)
        for option, count in (("--workers", workers), ("--top", top)):
            if count < 1:
                raise ValueError(f"{option}: must be 1 or more, got {count}")
        cli_options.account_params(capital, spread, commission, leverage, currency, margin_mode, slippage)
        from mas.cli_errors import check_writable

        check_writable(json_out, "--json")
        check_writable(report_dir, "--report-dir", directory=True)
    except Exception as exc:  # noqa: BLE001 - a strategy file may raise anything while it loads
        from mas.cli import fail_in_user_code

        fail_in_user_code(exc, target, full_traceback)
        if not isinstance(exc, (ValueError, LookupError, TypeError, OSError)):
            raise
        _fail(exc)
    try:
        with _progress_bar() as bar:
            task = bar.add_task("optimizing", total=None)
            result = run_optimization(target, param, workers=workers, cluster=cluster,
                                      progress=lambda done, total: bar.update(task, completed=done, total=total),
                                      **options)
            if wf_in_sample is not None:
                wf_task = bar.add_task("walk-forward", total=None)
                result.walk_forward = run_walk_forward(
                    target, param, in_sample=wf_in_sample, out_of_sample=wf_out_of_sample, anchored=anchored,
                    warmup_bars=wf_warmup_bars, workers=workers, cluster=cluster,
                    progress=lambda done, total: bar.update(wf_task, completed=done, total=total), **options)
    except (ValueError, LookupError, OSError) as exc:
        _fail(exc)
    _summarize(result, top)
    if result.counts()["ok"] == 0:
        console.print("[red]error:[/red] no parameter set could be backtested (see the reasons above)",
                      highlight=False)
    if json_out is not None:
        from mas.reports.output import write_text_atomic

        json_out.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(json_out, json.dumps(result.document(), indent=1, default=str))
        console.print(f"results written to {json_out}", highlight=False)
    if report_dir is not None:
        from mas.optimize.report import write_optimization_report

        console.print(f"report: {write_optimization_report(result, report_dir)}", highlight=False)
    if result.counts()["ok"] == 0:
        raise typer.Exit(code=1)


def _precheck(target: str, param: list[str], constraint: list[str], metric: str, method: str,
              wf_in_sample: str | None, wf_out_of_sample: str | None) -> None:
    """The options' errors (names with close matches, values of the wrong kind) before any backtest runs."""
    from mas.cli_errors import check_choice, suggest
    from mas.optimize.constraints import parse_constraint
    from mas.optimize.results import check_metric
    from mas.optimize.search import METHODS
    from mas.optimize.space import ParamSpace
    from mas.optimize.target import resolve_target
    from mas.optimize.walkforward import parse_length

    space = ParamSpace.from_specs(param)
    for text in constraint:
        parse_constraint(text)
    from mas.optimize.results import metric_names

    if metric not in metric_names():
        raise ValueError(f"--metric: {metric!r} is not a metric; {suggest(metric, metric_names())}")
    check_metric(metric)
    check_choice("--method", method, METHODS)
    for option, length in (("--wf-in-sample", wf_in_sample), ("--wf-out-of-sample", wf_out_of_sample)):
        if length is not None:
            try:
                parse_length(length)
            except ValueError as exc:
                raise ValueError(f"{option}: {exc}") from None
    path = Path(target)
    if path.suffix == ".py" and path.is_file():  # a syntax error shows before the sweep, not in every set
        compile(path.read_bytes(), str(path), "exec")
    strategy = resolve_target(target)
    known = strategy.parameter_names() if strategy.kind != "spec" else None
    if known is not None:
        for name in space.names:
            if name not in known:
                raise ValueError(f"--param {name}: {strategy.label} has no parameter {name!r}; {suggest(name, known)}")
    if strategy.kind == "builtin":
        from mas.strategy.builtins import BUILTIN_STRATEGIES

        defaults = BUILTIN_STRATEGIES[strategy.reference].default_params()
        for name, values in zip(space.names, space.values, strict=True):
            default = defaults.get(name)
            if isinstance(default, (int, float)) and not isinstance(default, bool):
                bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, float))]
                if bad:
                    raise ValueError(f"--param {name}: {bad[0]!r} is not a number (the default is {default!r}); "
                                     f"e.g. --param {name}={default} or {name}=START:STOP:STEP")


def _summarize(result: Any, top: int) -> None:
    counts = result.counts()
    if counts["ok"]:
        console.print(_ranked_table(result, top))
    console.print(f"{counts['ok']} run, {counts['skipped']} skipped, {counts['error']} failed", highlight=False)
    skipped = [t for t in result.trials if t.status != "ok"]
    for trial in skipped[:3]:
        console.print(f"  {trial.status}: {_params_text(trial.params)}: {trial.reason}", highlight=False)
    if len(skipped) > 3:
        console.print(f"  ... and {len(skipped) - 3} more (see --json)", highlight=False)
    best = result.best
    if best is None:
        console.print(f"[yellow]no parameter set has a defined {result.metric}[/yellow]")
    else:
        console.print(f"best: {best.params} {result.metric}={_cell(best.metrics.get(result.metric))}",
                      highlight=False)
    wf = result.walk_forward
    if wf is not None:
        table = Table(title=f"walk-forward ({'anchored' if wf.anchored else 'rolling'}, in-sample {wf.in_sample}, "
                            f"out-of-sample {wf.out_of_sample}; {wf.metric} in and out of sample)")
        for column in ("#", "out-of-sample dates", "best params", "IS", "OOS", "degr."):
            table.add_column(column, justify="left" if column == "best params" else "right", overflow="fold")
        frame = wf.frame()
        for w, row in zip(wf.windows, frame.itertuples(), strict=True):
            table.add_row(str(w.index), f"{row.out_of_sample_from:%Y-%m-%d} .. {row.out_of_sample_to:%Y-%m-%d}",
                          _params_text(w.best.params) if w.best else "-", _cell(w.in_sample_value),
                          _cell(w.out_of_sample_value), _cell(w.degradation))
        console.print(table)
        if wf.stitched_metrics is not None:
            console.print(f"stitched out-of-sample {wf.metric}={_cell(wf.stitched_metrics.get(wf.metric))}, "
                          f"total return {_cell(wf.stitched_metrics.get('total_return_rate'))} %", highlight=False)
