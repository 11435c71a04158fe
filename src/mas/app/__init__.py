"""Application services: what every front end does (the ``mas`` command, the web app, the optimizer's
callers), without a console. Services return values and raise ValueError / LookupError with messages
that name the option at fault; the front end formats and prints.

- :func:`load_strategy`, :func:`load_text_strategy`, :func:`exact_spec` (:mod:`mas.app.strategies`);
- :func:`run_backtest` with an engine choice (:mod:`mas.app.backtests`);
- :func:`result_document` and the saved result's and reports' files (:mod:`mas.app.documents`);
- :func:`run_optimization`, :func:`run_walk_forward` (:mod:`mas.app.optimizations`);
- :func:`start_live` and its :class:`LiveRun`, an account group's dry-run split and consolidated status
  (:func:`allocate_group`, :func:`group_status`) (:mod:`mas.app.live`);
- :func:`run_group_backtest`: one strategy over a group of simulated accounts (:mod:`mas.app.group_backtests`).
"""

from __future__ import annotations

from mas.app.backtests import run_backtest
from mas.app.documents import load_result, result_document, save_result
from mas.app.group_backtests import run_group_backtest
from mas.app.live import LiveRun, LiveRunError, allocate_group, group_status, start_live
from mas.app.optimizations import run_optimization, run_walk_forward
from mas.app.strategies import exact_spec, load_strategy, load_text_strategy

__all__ = [
    "LiveRun",
    "LiveRunError",
    "allocate_group",
    "exact_spec",
    "group_status",
    "load_result",
    "load_strategy",
    "load_text_strategy",
    "result_document",
    "run_backtest",
    "run_group_backtest",
    "run_optimization",
    "run_walk_forward",
    "save_result",
    "start_live",
]
