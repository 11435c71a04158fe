"""Optimizing a strategy: the sweep and the walk-forward of :mod:`mas.optimize` (same signatures), the
options' checks before any backtest runs, and the result's documents (JSON and the HTML report)."""

from __future__ import annotations

import json
from pathlib import Path

from mas.optimize.api import run_optimization
from mas.optimize.results import OptimizationResult
from mas.optimize.walkforward import run_walk_forward

__all__ = ["check_optimization", "optimization_report", "run_optimization", "run_walk_forward",
           "save_optimization"]


def check_optimization(target: str, param: list[str], constraint: list[str], metric: str, method: str,
                       wf_in_sample: str | None, wf_out_of_sample: str | None) -> None:
    """The options' errors (names with close matches, values of the wrong kind) before any backtest runs:
    a ValueError naming the option (a strategy file's own error, e.g. a SyntaxError, propagates)."""
    from mas.choices import check_choice, suggest
    from mas.i18n.errors import InputError
    from mas.optimize.constraints import parse_constraint
    from mas.optimize.results import check_metric, metric_names
    from mas.optimize.search import METHODS
    from mas.optimize.space import ParamSpace
    from mas.optimize.target import resolve_target
    from mas.optimize.walkforward import parse_length

    space = ParamSpace.from_specs(param)
    for text in constraint:
        parse_constraint(text)
    if metric not in metric_names():
        raise InputError("metric_unknown", value=metric, hint=suggest(metric, metric_names()))
    check_metric(metric)
    check_choice("--method", method, METHODS)
    for option, length in (("--wf-in-sample", wf_in_sample), ("--wf-out-of-sample", wf_out_of_sample)):
        if length is not None:
            try:
                parse_length(length)
            except ValueError:
                raise InputError("wf_length_invalid", option=option, value=length) from None
    path = Path(target)
    if path.suffix == ".py" and path.is_file():  # a syntax error shows before the sweep, not in every set
        compile(path.read_bytes(), str(path), "exec")
    strategy = resolve_target(target)
    known = strategy.parameter_names() if strategy.kind != "spec" else None
    if known is not None:
        for name in space.names:
            if name not in known:
                raise InputError("param_unknown", name=name, label=strategy.label, hint=suggest(name, known))
    if strategy.kind == "builtin":
        from mas.strategy.builtins import BUILTIN_STRATEGIES

        defaults = BUILTIN_STRATEGIES[strategy.reference].default_params()
        for name, values in zip(space.names, space.values, strict=True):
            default = defaults.get(name)
            if isinstance(default, (int, float)) and not isinstance(default, bool):
                bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, float))]
                if bad:
                    raise InputError("param_not_number", name=name, value=bad[0], default=default)


def save_optimization(result: OptimizationResult, path: Path) -> Path:
    """Write every parameter set's metrics and the best as JSON to ``path`` (atomically); returns ``path``."""
    from mas.reports.output import write_text_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(result.document(), indent=1, default=str))
    return path


def optimization_report(result: OptimizationResult, report_dir: Path, self_contained: bool = False) -> Path:
    """Write the HTML optimization report into ``report_dir`` (plotly.js inside the page with
    ``self_contained``, else the folder's shared copy); returns its path."""
    from mas.optimize.report import write_optimization_report

    return write_optimization_report(result, report_dir, self_contained=self_contained)
