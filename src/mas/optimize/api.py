"""The Python API: sweep a strategy's parameters and get a DataFrame (or the full result).

    from mas.optimize import optimize
    frame = optimize("ma", {"fast": "5:50:5", "slow": "20:200:20"}, start="2017-01-01", end="2017-12-31",
                     metric="sharpe_ratio", constraints=["fast < slow"], workers=2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mas.i18n.errors import InputError
from mas.optimize.constraints import Constraint, parse_constraint
from mas.optimize.evaluate import Evaluator
from mas.optimize.executors import make_backend
from mas.optimize.results import OptimizationResult, check_metric
from mas.optimize.search import Progress, SearchSettings, search
from mas.optimize.space import ParamSpace
from mas.optimize.target import resolve_target
from mas.vector.market_data import MarketData

__all__ = ["Job", "backtest_params", "job_settings", "optimize", "prepare_job", "run_optimization"]

ParamsLike = ParamSpace | Mapping[str, Any] | Sequence[str]


def backtest_params(symbol: str | Sequence[str] = "EURUSD", timeframe: str = "H1", start: Any = None,
                    end: Any = None, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The MAS ``subscribe_bars`` parameter dict of the backtests (``extra``: capital, spread, ...)."""
    params: dict[str, Any] = {"symbol": symbol, "timeframe": timeframe, "from": start, "to": end}
    params.update({k: v for k, v in (extra or {}).items() if v is not None})
    return params


def _space(params: ParamsLike) -> ParamSpace:
    if isinstance(params, ParamSpace):
        return params
    if isinstance(params, Mapping):
        return ParamSpace.from_mapping(params)
    if isinstance(params, str):
        return ParamSpace.from_specs([params])
    return ParamSpace.from_specs(list(params))


def _constraints(constraints: Iterable[str | Constraint]) -> tuple[Constraint, ...]:
    return tuple(c if isinstance(c, Constraint) else parse_constraint(c) for c in constraints)


@dataclass
class Job:
    """A prepared optimization: the evaluator (target + candles) and the search settings."""

    evaluator: Evaluator
    search: SearchSettings


def prepare_job(target: Any, params: ParamsLike, *, symbol: str | Sequence[str] = "EURUSD", timeframe: str = "H1",
                start: Any = None, end: Any = None, metric: str = "sharpe_ratio", maximize: bool = True,
                method: str = "grid", trials: int | None = None, seed: int | None = 0,
                constraints: Iterable[str | Constraint] = (), engine: str = "auto",
                backtest: Mapping[str, Any] | None = None) -> Job:
    """Validate everything and load the candles once (errors name the offending option)."""
    space = _space(params)
    settings = SearchSettings(space=space, metric=check_metric(metric), maximize=maximize, method=method,
                              trials=trials, seed=seed, constraints=_constraints(constraints))
    strategy = resolve_target(target)
    strategy.check_names(space.names)
    data = MarketData.load(backtest_params(symbol, timeframe, start, end, backtest))
    evaluator = Evaluator(strategy, data, settings.metric, engine)
    if engine == "fast":
        _check_fast(evaluator)
    return Job(evaluator, settings)


def _check_fast(evaluator: Evaluator) -> None:
    """InputError (a ValueError) when ``engine="fast"`` cannot apply (sets it cannot reproduce still fall back, one
    by one)."""
    from mas.vector import market_limitation

    if evaluator.target.kind not in ("builtin", "spec"):
        raise InputError("engine_fast_python_target", label=evaluator.target.label)
    limitation = market_limitation(evaluator.data)
    if limitation is not None:
        raise InputError("engine_fast_unmodelled", limitation=limitation)


def run_optimization(target: Any, params: ParamsLike, *, workers: int = 1, cluster: str | None = None,
                     progress: Progress | None = None, **options: Any) -> OptimizationResult:
    """Sweep ``target``'s ``params`` (see :func:`prepare_job` for ``options``) and rank the sets.

    ``workers`` > 1 evaluates in that many processes; ``cluster`` (``local:N`` or a scheduler
    address) on Dask. ``progress(done, total)`` is called as sets complete.
    """
    job = prepare_job(target, params, **options)
    with make_backend(job.evaluator, workers, cluster) as backend:
        result = search(job.search, backend, progress)
    result.settings = job_settings(job)
    return result


def job_settings(job: Job) -> dict[str, Any]:
    """The settings a result records: the backtest's, the target, the search and its space."""
    data = job.evaluator.data
    settings = data.settings.as_report_settings(job.evaluator.target.label)
    settings.update(method=job.search.method, seed=job.search.seed, engine=job.evaluator.engine,
                    constraints=[c.text for c in job.search.constraints],
                    space={n: list(v) for n, v in zip(job.search.space.names, job.search.space.values, strict=True)})
    return settings


def optimize(target: Any, params: ParamsLike, **options: Any) -> pd.DataFrame:
    """One row per parameter set: the parameters, the metrics of ``mas backtest --json``, ``status``
    (ok / skipped / error), ``reason`` and ``rank`` (1 = best by ``metric``). See :func:`run_optimization`."""
    return run_optimization(target, params, **options).frame()
