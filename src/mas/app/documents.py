"""A backtest's documents: the saved result (the ``--json`` document, written and read back) and the
HTML reports (the KPI tear sheet and the trade chart) of a strategy after its backtest or of a saved result."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mas.client import MAS
from mas.results import BacktestResult

__all__ = ["add_indicator_lines", "load_result", "result_document", "save_result", "saved_result_reports",
           "strategy_reports"]


def result_document(result: Any) -> dict[str, Any]:
    """The ``--json`` document: settings, metrics, trades and one equity point per bar.

    See :mod:`mas.reports.saved_result`, which also reads it back for ``mas report``.
    """
    from mas.reports.saved_result import result_document as build

    return build(result)


def save_result(result: BacktestResult, path: Path) -> Path:
    """Write ``result``'s document to ``path`` as JSON (atomically; folders are created); returns ``path``."""
    from mas.reports.output import write_text_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(result_document(result), indent=1, default=str))
    return path


def load_result(path: Path) -> tuple[BacktestResult, list[str]]:
    """A result saved by :func:`save_result` and the notes on what could not be restored (e.g. the candles the
    store no longer holds); ValueError for a file that is not such a document."""
    from mas.reports.saved_result import load_saved_result

    return load_saved_result(path)


def add_indicator_lines(strategy: MAS, spec: Any) -> BacktestResult | None:
    """Put the indicators of ``spec`` (the spec ``strategy`` trades by; :func:`mas.app.exact_spec`) on the trade
    chart of its last backtest: the strategy's result becomes one whose plotted series include them (a series
    the strategy plotted itself stays). Returns that result (None before a backtest); nothing changes without
    a spec."""
    from mas.client import state_of
    from mas.reports.indicator_lines import with_spec_series

    result = strategy.backtest_result
    if result is None or spec is None:
        return result
    lined = with_spec_series(result, spec)
    if lined is not result:
        state_of(strategy).adopt_result(lined)
    return lined


def strategy_reports(strategy: MAS, report_dir: Path, self_contained: bool = False) -> Iterator[str]:
    """Write the KPI report, then the trade chart, of ``strategy``'s backtest into ``report_dir``, yielding each
    path as it is written (each page with plotly.js inside it when ``self_contained``, else sharing the folder's
    copy); ValueError with the strategy's own reason when one cannot be written."""
    for call in (strategy.generate_kpi_report, strategy.generate_trade_chart):
        outcome = call({"report_dir": str(report_dir), "self_contained": self_contained})
        if not outcome.get("status"):
            raise ValueError(outcome.get("error", "report failed"))
        yield outcome["path"]


def saved_result_reports(result: BacktestResult, report_dir: Path | None, default_name: str,
                         self_contained: bool = False) -> Iterator[Path]:
    """Write the KPI report, then the trade chart, of a saved result, yielding each path as it is written
    (each page with plotly.js inside it when ``self_contained``, else sharing the folder's copy).

    ``report_dir`` None means ``$MAS_REPORT_DIR``, else ./mas_reports; the strategy is named as the result
    names it, else ``default_name``."""
    from mas.reports.chart import write_trade_chart
    from mas.reports.kpi import write_kpi_report
    from mas.reports.output import resolve_report_dir

    directory = resolve_report_dir({"report_dir": str(report_dir) if report_dir is not None else None})
    strategy = str(result.settings.get("strategy") or default_name)
    for writer in (write_kpi_report, write_trade_chart):
        yield writer(result, directory, strategy, self_contained=self_contained)
