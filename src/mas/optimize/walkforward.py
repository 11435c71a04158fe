"""Walk-forward analysis: optimize in sample, trade the winner out of sample, window after window.

Windows (``in_sample`` and ``out_of_sample`` lengths such as ``"180D"``, ``"6M"``, ``"1Y"``,
``"12W"``, ``"72H"`` or ``"2000bars"``), from the first bar on:

- rolling: in-sample ``[t0 + k*oos, t0 + k*oos + is)``, out-of-sample the ``oos`` after it;
- anchored: in-sample ``[t0, t0 + is + k*oos)``, out-of-sample the ``oos`` after it;

until an out-of-sample window would hold no bar (the last one is cut at the end of the data).
The in-sample search runs on the in-sample bars only: every backtest of it replays a slice of
the candles that ends before the out-of-sample window starts, so no out-of-sample bar can reach
it. The best set is then backtested on the out-of-sample window, its indicators warmed up first on
the ``warmup_bars`` bars just before the window (default 500, as ``mas live``; 0: none): the
strategy receives those bars but every order it sends during them is refused, so the window's
trades all open inside it, and its equity curve and metrics start at the window with the initial
capital, as a cold start would, only with indicators already running. The warm-up reads earlier
bars only; nothing after the window is replayed. The out-of-sample equity curves are stitched
by P&L (each continues from where the previous one ended) and their trades pooled; degradation is
out-of-sample minus in-sample value of the objective, efficiency their ratio (objective-dependent:
compare annualised metrics such as ``sharpe_ratio`` or ``cagr`` across windows of different
lengths).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mas.i18n.errors import InputError
from mas.optimize.api import ParamsLike, job_settings, prepare_job
from mas.optimize.executors import make_backend
from mas.optimize.results import OptimizationResult, Trial, objective_value, select_metrics
from mas.optimize.search import Progress, search
from mas.reports.metrics import compute_metrics
from mas.reports.tester import margin_figures
from mas.results import BacktestResult

__all__ = ["WalkForwardResult", "WalkForwardWindow", "parse_length", "run_walk_forward", "walk_forward_windows"]

_LENGTH = re.compile(r"^\s*(\d+)\s*(bars?|[hdwmy])\s*$", re.IGNORECASE)
_OFFSETS = {"h": lambda n: pd.DateOffset(hours=n), "d": lambda n: pd.DateOffset(days=n),
            "w": lambda n: pd.DateOffset(weeks=n), "m": lambda n: pd.DateOffset(months=n),
            "y": lambda n: pd.DateOffset(years=n)}


def parse_length(text: str) -> tuple[int, str]:
    """``"180D"`` -> ``(180, "d")``, ``"2000bars"`` -> ``(2000, "bars")``; ValueError naming the syntax."""
    match = _LENGTH.match(str(text))
    if match is None or int(match.group(1)) < 1:
        raise InputError("wf_length_bad", value=text)
    unit = match.group(2).lower()
    return int(match.group(1)), "bars" if unit.startswith("bar") else unit


def _advance(times: np.ndarray, start: int, length: tuple[int, str], multiple: int = 1) -> int:
    """The epoch ``multiple`` lengths after ``start`` (bar counts step over ``times``)."""
    count, unit = length
    if unit == "bars":
        first = int(np.searchsorted(times, start, side="left"))
        index = first + count * multiple
        return int(times[index]) if index < len(times) else int(times[-1]) + 1
    moved = pd.Timestamp(start, unit="s") + _OFFSETS[unit](count * multiple)
    return int(moved.value // 1_000_000_000)


def walk_forward_windows(times: np.ndarray, in_sample: str, out_of_sample: str,
                         anchored: bool = False) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """``((is_start, is_end), (oos_start, oos_end))`` per window, ``[start, end)`` epoch seconds."""
    times = np.asarray(times, dtype=np.int64)
    is_len, oos_len = parse_length(in_sample), parse_length(out_of_sample)
    first, after_last = int(times[0]), int(times[-1]) + 1
    windows = []
    for k in range(len(times)):
        is_start = first if anchored else _advance(times, first, oos_len, k)
        is_end = _advance(times, first, oos_len, k) if anchored else is_start
        is_end = _advance(times, is_end, is_len)
        if is_end >= after_last:
            break
        oos_end = min(_advance(times, is_end, oos_len), after_last)
        has_is = np.any((times >= is_start) & (times < is_end))
        has_oos = np.any((times >= is_end) & (times < oos_end))
        if has_is and has_oos:
            windows.append(((is_start, is_end), (is_end, oos_end)))
    if not windows:
        raise InputError("wf_too_short", bars=len(times), in_sample=in_sample, out_of_sample=out_of_sample)
    return windows


@dataclass
class WalkForwardWindow:
    """One window: its ranges, the in-sample search, the winner and how it did out of sample."""

    index: int
    in_sample: tuple[int, int]
    out_of_sample: tuple[int, int]
    search: OptimizationResult
    best: Trial | None
    out_of_sample_metrics: dict[str, Any] | None
    out_of_sample_result: BacktestResult | None = field(default=None, repr=False)

    @property
    def in_sample_value(self) -> float | None:
        """The objective of the window's best in-sample trial (None when no trial ran)."""
        return objective_value(self.best, self.search.metric) if self.best is not None else None

    @property
    def out_of_sample_value(self) -> float | None:
        """The objective measured on the out-of-sample run (None when it did not run or is not a number)."""
        if self.out_of_sample_metrics is None:
            return None
        value = self.out_of_sample_metrics.get(self.search.metric)
        return float(value) if isinstance(value, (int, float)) else None

    @property
    def degradation(self) -> float | None:
        """Out-of-sample minus in-sample objective."""
        a, b = self.in_sample_value, self.out_of_sample_value
        return None if a is None or b is None else b - a

    @property
    def efficiency(self) -> float | None:
        """Out-of-sample over in-sample objective (None when the in-sample value is 0 or undefined)."""
        a, b = self.in_sample_value, self.out_of_sample_value
        return None if a in (None, 0.0) or b is None else b / a

    def document(self) -> dict[str, Any]:
        """The window as a JSON-ready dict: its dates, best parameters, both objectives and metrics."""
        def iso(epoch: int) -> str:
            return pd.Timestamp(epoch, unit="s").isoformat(sep=" ")

        return {
            "window": self.index,
            "in_sample": {"from": iso(self.in_sample[0]), "to": iso(self.in_sample[1])},
            "out_of_sample": {"from": iso(self.out_of_sample[0]), "to": iso(self.out_of_sample[1])},
            "best_params": self.best.params if self.best is not None else None,
            "in_sample_metrics": self.best.metrics if self.best is not None else None,
            "out_of_sample_metrics": self.out_of_sample_metrics,
            "out_of_sample_margin": _margin_figures(self.out_of_sample_result),
            "degradation": self.degradation, "efficiency": self.efficiency,
            "in_sample_counts": self.search.counts(),
        }


@dataclass
class WalkForwardResult:
    """Every window and the stitched out-of-sample run."""

    windows: list[WalkForwardWindow]
    metric: str
    maximize: bool
    anchored: bool
    in_sample: str
    out_of_sample: str
    stitched: BacktestResult | None
    stitched_metrics: dict[str, Any] | None
    settings: dict[str, Any] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """One row per window: ranges, best parameters, objective in and out of sample, degradation, and the
        out-of-sample run's minimal margin level (%)."""
        rows = []
        for w in self.windows:
            row: dict[str, Any] = {
                "window": w.index,
                "in_sample_from": pd.Timestamp(w.in_sample[0], unit="s"),
                "in_sample_to": pd.Timestamp(w.in_sample[1], unit="s"),
                "out_of_sample_from": pd.Timestamp(w.out_of_sample[0], unit="s"),
                "out_of_sample_to": pd.Timestamp(w.out_of_sample[1], unit="s"),
            }
            row.update({f"param_{k}": v for k, v in (w.best.params if w.best else {}).items()})
            row.update(in_sample=w.in_sample_value, out_of_sample=w.out_of_sample_value,
                       degradation=w.degradation, efficiency=w.efficiency,
                       out_of_sample_min_margin_level=(_margin_figures(w.out_of_sample_result)
                                                       or {}).get("min_margin_level"))
            rows.append(row)
        return pd.DataFrame(rows)

    def document(self) -> dict[str, Any]:
        """The walk-forward as a JSON-ready dict: its settings, every window and the stitched out-of-sample
        metrics."""
        return {
            "metric": self.metric, "direction": "maximize" if self.maximize else "minimize",
            "mode": "anchored" if self.anchored else "rolling", "in_sample": self.in_sample,
            "out_of_sample": self.out_of_sample, "windows": [w.document() for w in self.windows],
            "stitched_out_of_sample_metrics": self.stitched_metrics,
            "stitched_out_of_sample_margin": _margin_figures(self.stitched),
            "stitched_out_of_sample_equity": _equity_points(self.stitched),
        }


def _margin_figures(result: BacktestResult | None) -> dict[str, float | None] | None:
    """The run's minimal margin level and deposit load (:func:`mas.reports.tester.margin_figures`); None
    without a run, all three None when it recorded no margin."""
    return None if result is None else margin_figures(result.equity, result.margin)


def _equity_points(result: BacktestResult | None) -> list[list[Any]]:
    if result is None:
        return []
    times = pd.to_datetime(np.asarray(result.equity_times), unit="s")
    return [[t.isoformat(sep=" "), round(float(e), 2)] for t, e in zip(times, result.equity, strict=True)]


def stitch(results: Sequence[BacktestResult], capital: float, currency: str,
           settings: dict[str, Any]) -> BacktestResult | None:
    """Out-of-sample runs chained by P&L: each curve continues from where the previous one ended; the margin in
    use is each run's own (None when one of them did not record it)."""
    if not results:
        return None
    times, equity, balance, margin, trades = [], [], [], [], []
    carried = 0.0
    for result in results:
        times.append(np.asarray(result.equity_times))
        equity.append(np.asarray(result.equity, dtype=np.float64) + carried)
        balance.append(np.asarray(result.balance, dtype=np.float64) + carried)
        margin.append(None if result.margin is None else np.asarray(result.margin, dtype=np.float64))
        trades.extend(result.trades)
        carried = float(equity[-1][-1]) - capital if len(equity[-1]) else carried
    return BacktestResult(settings=settings, trades=trades, equity_times=np.concatenate(times),
                          equity=np.concatenate(equity), balance=np.concatenate(balance), initial_capital=capital,
                          currency=currency,
                          margin=None if any(m is None for m in margin) else np.concatenate(margin))


def run_walk_forward(target: Any, params: ParamsLike, *, in_sample: str, out_of_sample: str, anchored: bool = False,
                     warmup_bars: int = 500, workers: int = 1, cluster: str | None = None,
                     progress: Progress | None = None, **options: Any) -> WalkForwardResult:
    """Walk-forward analysis of ``target`` (``options`` as :func:`~mas.optimize.api.prepare_job`);
    ``warmup_bars``: bars before each out-of-sample window that warm its strategy up (orders refused)."""
    if warmup_bars < 0:
        raise InputError("wf_warmup_negative", value=warmup_bars)
    job = prepare_job(target, params, **options)
    evaluator, settings = job.evaluator, job.search
    windows = walk_forward_windows(evaluator.data.times(), in_sample, out_of_sample, anchored)
    done_before = 0
    total = settings.budget * len(windows)

    def window_progress(done: int, _total: int) -> None:
        if progress is not None:
            progress(done_before + done, total)

    out: list[WalkForwardWindow] = []
    with make_backend(evaluator, workers, cluster) as backend:
        for index, (is_window, oos_window) in enumerate(windows, start=1):
            found = search(settings, backend, window_progress, window=is_window)
            done_before += settings.budget
            best = found.best
            oos_result = evaluator.run(best.params, oos_window, warmup_bars) if best is not None else None
            oos_metrics = select_metrics(compute_metrics(oos_result), settings.metric) if oos_result else None
            out.append(WalkForwardWindow(index, is_window, oos_window, found, best, oos_metrics, oos_result))
    data = evaluator.data
    run_settings = job_settings(job) | {"walk_forward": {"in_sample": in_sample, "out_of_sample": out_of_sample,
                                                      "anchored": anchored, "warmup_bars": warmup_bars}}
    stitched = stitch([w.out_of_sample_result for w in out if w.out_of_sample_result is not None],
                      data.settings.capital, data.settings.currency, run_settings)
    metrics = select_metrics(compute_metrics(stitched), settings.metric) if stitched is not None else None
    return WalkForwardResult(out, settings.metric, settings.maximize, anchored, in_sample, out_of_sample, stitched,
                             metrics, run_settings)
