"""The files of a group backtest's ``--report-dir``: each account's KPI report and the group's aggregated KPI
report (the tear sheet of :mod:`mas.reports.kpi`, unchanged; all in one folder, sharing its plotly file), and a
summary page linking them with the per-account table and the exposure per symbol."""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from pathlib import Path

from mas.groups.backtest import GroupBacktestResult
from mas.reports.kpi import write_kpi_report
from mas.reports.output import safe_part, write_text_atomic

__all__ = ["COLUMNS", "summary_html", "write_group_reports"]

COLUMNS = (("account", "account"), ("currency", "ccy"), ("deposit", "deposit"), ("leverage", "leverage"),
           ("final_equity", "final equity"), ("net_profit", "net profit"), ("return_pct", "return %"),
           ("max_drawdown_pct", "max drawdown %"), ("trades", "trades"), ("stop_outs", "stop-outs"),
           ("min_margin_level_pct", "min margin level %"))
"""The per-account table's columns: (row key, heading)."""


def cell(value: object) -> str:
    """A table cell's text: numbers with thousands separators, None as '-'."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def write_group_reports(result: GroupBacktestResult, report_dir: Path, strategy_name: str, *,
                        self_contained: bool = False) -> Iterator[Path]:
    """Write each account's KPI report (named after the strategy and the account), the group's aggregated KPI
    report (``... group <name>``) and the summary page ``group-<name>.html`` into ``report_dir``, yielding each
    path."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    pages: dict[str, Path] = {}
    for account in result.accounts:
        path = write_kpi_report(result.results[account.name], report_dir, f"{strategy_name} {account.name}",
                                self_contained=self_contained)
        pages[account.name] = path
        yield path
    path = write_kpi_report(result.aggregate, report_dir, f"{strategy_name} group {result.group.name}",
                            self_contained=self_contained)
    pages["total"] = path
    yield path
    summary = report_dir / f"group-{safe_part(result.group.name)}.html"
    links = {name: os.path.relpath(page, report_dir) for name, page in pages.items()}
    yield write_text_atomic(summary, summary_html(result, strategy_name, links))


def summary_html(result: GroupBacktestResult, strategy_name: str, links: dict[str, str] | None = None) -> str:
    """The summary page: the group's settings, the per-account table (each account linked to its KPI report)
    and the exposure per symbol."""
    links = links or {}
    esc = html.escape
    settings = result.aggregate.settings
    head = "".join(f"<th>{esc(title)}</th>" for _, title in COLUMNS)
    body = []
    for row in result.rows():
        cells = []
        for key, _ in COLUMNS:
            text = esc(cell(row.get(key)))
            if key == "account" and row["account"] in links:
                text = f'<a href="{esc(links[row["account"]])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        body.append(f"<tr{' class=total' if row['account'] == 'total' else ''}>{''.join(cells)}</tr>")
    exposure = "".join(f"<tr><td>{esc(symbol)}</td><td>{cell(v['max_net_lots'])}</td><td>{cell(v['final_net_lots'])}"
                       f"</td></tr>" for symbol, v in result.exposure_summary().items())
    title = f"{strategy_name}: group {result.group.name}"
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{esc(title)}</title><style>"
            "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            "padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
            ".total{font-weight:bold}</style></head><body>"
            f"<h1>{esc(title)}</h1>"
            f"<p>{esc(str(settings.get('symbol')))} {esc(str(settings.get('timeframe')))} "
            f"{esc(str(settings.get('from')))} .. {esc(str(settings.get('to')))}; allocation "
            f"{esc(result.group.allocation)} (min-lot rule {esc(result.group.min_lot_rule)}); totals in "
            f"{esc(result.aggregate.currency)}</p>"
            f"<table><tr>{head}</tr>{''.join(body)}</table>"
            f"<h2>Exposure (net lots of the group, long positive)</h2><table><tr><th>symbol</th>"
            f"<th>largest at a bar's close</th><th>at the end</th></tr>{exposure}</table></body></html>")
