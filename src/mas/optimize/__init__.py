"""Strategy optimization: parameter sweeps (grid, random, Optuna) in processes or on Dask, walk-forward
analysis, the fast path for spec strategies, and the HTML report.

    from mas.optimize import optimize, run_walk_forward
    frame = optimize("ma", {"fast": "5:50:5", "slow": "20:200:20"}, start="2017-01-01", end="2017-12-31",
                     constraints=["fast < slow"], metric="sharpe_ratio", workers=2)

Names load on first use, so ``mas`` commands that do not optimize do not import the machinery.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "OptimizationResult", "ParamSpace", "Trial", "WalkForwardResult", "fast_backtest", "optimize",
    "parse_constraint", "parse_param_spec", "run_optimization", "run_walk_forward", "write_optimization_report",
]

_HOMES = {
    "OptimizationResult": "results", "Trial": "results", "ParamSpace": "space", "parse_param_spec": "space",
    "parse_constraint": "constraints", "optimize": "api", "run_optimization": "api", "fast_backtest": "mas.vector",
    "WalkForwardResult": "walkforward", "run_walk_forward": "walkforward", "write_optimization_report": "report",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        home = _HOMES[name]
        return getattr(importlib.import_module(home if home.startswith("mas.") else f"mas.optimize.{home}"), name)
    raise AttributeError(f"module 'mas.optimize' has no attribute {name!r}")
