"""Reports of a backtest or of live trade history: metrics, the data report, KPI HTML, trade chart.

Everything here reads only :class:`mas.results.BacktestResult` (trade list and equity curve).
The HTML writers import plotly, so they are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mas.reports.data_report import build_data_report
from mas.reports.metrics import compute_metrics
from mas.reports.output import report_file_name, resolve_report_dir, write_text_atomic

if TYPE_CHECKING:
    from mas.reports.chart import write_trade_chart
    from mas.reports.kpi import write_kpi_report

__all__ = [
    "build_data_report",
    "compute_metrics",
    "report_file_name",
    "resolve_report_dir",
    "write_kpi_report",
    "write_text_atomic",
    "write_trade_chart",
]


def __getattr__(name: str) -> Any:
    if name == "write_kpi_report":
        from mas.reports.kpi import write_kpi_report

        return write_kpi_report
    if name == "write_trade_chart":
        from mas.reports.chart import write_trade_chart

        return write_trade_chart
    raise AttributeError(f"module 'mas.reports' has no attribute {name!r}")
