"""What an optimization returns: one row per parameter set, ranked by the objective metric.

A row is ``ok`` (``metrics`` are :func:`~mas.reports.metrics.compute_metrics`' for the run, the
keys of ``mas backtest --json``), ``skipped`` (a constraint excluded the set, or the strategy
refused it with a ValueError: ``reason`` says which) or ``error`` (the backtest failed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from mas.i18n.errors import InputError
from mas.reports.metrics import compute_metrics
from mas.reports.saved_result import METRIC_KEYS
from mas.results import BacktestResult

__all__ = ["ERROR", "METRIC_KEYS", "OK", "SKIPPED", "OptimizationResult", "Trial", "check_metric", "metric_names",
           "objective_value", "select_metrics"]

OK, SKIPPED, ERROR = "ok", "skipped", "error"


@lru_cache(maxsize=1)
def metric_names() -> tuple[str, ...]:
    """The numeric keys of :func:`compute_metrics` (what ``--metric`` accepts)."""
    probe = BacktestResult(settings={}, trades=[], equity_times=np.array([0, 86_400]),
                           equity=np.array([1.0, 1.0]), balance=np.array([1.0, 1.0]), initial_capital=1.0)
    return tuple(k for k, v in compute_metrics(probe).items() if not isinstance(v, str))


def check_metric(metric: str) -> str:
    """``metric`` if ``--metric`` may optimize on it, else ValueError listing the choices."""
    names = metric_names()
    if metric not in names:
        raise InputError("opt_metric_choose", value=metric, valid=", ".join(names))
    return metric


def select_metrics(all_metrics: dict[str, Any], objective: str) -> dict[str, Any]:
    """The ``mas backtest --json`` metric keys (plus the objective when it is another one)."""
    keys = METRIC_KEYS if objective in METRIC_KEYS else (*METRIC_KEYS, objective)
    return {k: all_metrics[k] for k in keys}


@dataclass
class Trial:
    """One parameter set and what became of it."""

    params: dict[str, Any]
    status: str = OK
    metrics: dict[str, Any] | None = None
    reason: str | None = None

    def document(self) -> dict[str, Any]:
        """This trial as a row of the ``--json`` document: params, metrics, and status and reason when not ok."""
        out: dict[str, Any] = {"params": self.params, "metrics": self.metrics}
        if self.status != OK:
            out["status"] = self.status
            out["reason"] = self.reason
        return out


def objective_value(trial: Trial, metric: str) -> float | None:
    """The trial's objective as a finite float, or None (not run, or the metric is undefined)."""
    if trial.status != OK or trial.metrics is None:
        return None
    value = trial.metrics.get(metric)
    if value is None or isinstance(value, str):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass
class OptimizationResult:
    """All trials, in the order they were drawn, and how to rank them."""

    trials: list[Trial]
    metric: str
    maximize: bool = True
    param_names: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    walk_forward: Any = None

    def ranked(self) -> list[Trial]:
        """OK trials with a defined objective, best first (ties keep the drawing order); then the rest."""
        scored = [(objective_value(t, self.metric), i, t) for i, t in enumerate(self.trials)]
        with_value = [s for s in scored if s[0] is not None]
        with_value.sort(key=lambda s: (-s[0] if self.maximize else s[0], s[1]))
        rest = [s for s in scored if s[0] is None]
        return [t for _, _, t in with_value + rest]

    @property
    def best(self) -> Trial | None:
        """The best trial with a defined objective, or None."""
        ranked = self.ranked()
        return ranked[0] if ranked and objective_value(ranked[0], self.metric) is not None else None

    def counts(self) -> dict[str, int]:
        """How many trials ran (ok), were skipped and failed (error)."""
        out = {OK: 0, SKIPPED: 0, ERROR: 0}
        for trial in self.trials:
            out[trial.status] = out.get(trial.status, 0) + 1
        return out

    def frame(self) -> pd.DataFrame:
        """One row per parameter set (drawing order): parameters, metrics, ``status``, ``reason``, ``rank``."""
        ranks = {id(t): r for r, t in enumerate(self.ranked(), start=1) if objective_value(t, self.metric) is not None}
        metric_keys = list(select_metrics(dict.fromkeys(metric_names()), self.metric))
        rows = []
        for trial in self.trials:
            row = dict(trial.params)
            row.update(trial.metrics or dict.fromkeys(metric_keys))
            row.update(status=trial.status, reason=trial.reason, rank=ranks.get(id(trial)))
            rows.append(row)
        columns = [*self.param_names, *metric_keys, "status", "reason", "rank"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["rank"] = frame["rank"].astype("Int64")
        return frame

    def document(self) -> dict[str, Any]:
        """The ``--json`` document: ``results`` (drawing order), ``best``, the objective and settings."""
        best = self.best
        doc: dict[str, Any] = {
            "metric": self.metric, "direction": "maximize" if self.maximize else "minimize",
            "settings": self.settings, "counts": self.counts(),
            "results": [t.document() for t in self.trials],
            "best": best.document() if best is not None else None,
        }
        if self.walk_forward is not None:
            doc["walk_forward"] = self.walk_forward.document()
        return doc
