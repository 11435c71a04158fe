"""The optimization report: an HTML page that opens offline. plotly.js is loaded from the report
folder's shared ``plotly-<version>.min.js`` (as the KPI page and the trade chart do, see
:func:`mas.reports.output.write_plotly_asset`), or inlined once with ``self_contained=True``.

Sections: the search and its best set, a heatmap of the objective over two parameters (the best
value over the other parameters in each cell; a line for a single parameter), the ranked table,
the walk-forward windows with the stitched out-of-sample equity, skipped sets and the settings.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go

from mas.optimize.results import OptimizationResult, objective_value
from mas.reports._html import FigureWriter, decimate_minmax, esc, fmt_num, fmt_setting, fmt_time, page, table
from mas.reports.output import report_file_name, unique_path, write_plotly_asset, write_text_atomic

__all__ = ["render_optimization_html", "write_optimization_report"]

RANKED_ROWS = 50
SKIPPED_ROWS = 20
MAX_LINE_POINTS = 10_000
_COLUMNS = ("total_return_rate", "sharpe_ratio", "max_drawdown", "win_rate", "profit_factor", "number_of_trades")


def write_optimization_report(result: OptimizationResult, report_dir: Path, strategy_name: str | None = None, *,
                              self_contained: bool = False) -> Path:
    """Write the report of ``result`` (and its walk-forward, if any) under ``report_dir``; its path.

    The page loads plotly.js from the folder's shared ``plotly-<version>.min.js`` (written there if
    missing), or carries it inline with ``self_contained``."""
    name = strategy_name or str(result.settings.get("strategy") or "strategy")
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    src = None if self_contained else write_plotly_asset(report_dir)
    html = render_optimization_html(result, name, plotly_src=src)
    file_name = report_file_name("optimize", str(result.settings.get("symbol") or "ALL"), name)
    return write_text_atomic(unique_path(report_dir / file_name), html)


def render_optimization_html(result: OptimizationResult, strategy_name: str, plotly_src: str | None = None) -> str:
    """The report as one HTML string; plotly.js inline, or from ``plotly_src`` (a relative URL)."""
    figs = FigureWriter(plotly_src)
    sections = [_summary(result), _heatmap_section(result, figs), _ranked_section(result)]
    if result.walk_forward is not None:
        sections.append(_walk_forward_section(result.walk_forward, figs))
    sections += [_skipped_section(result), _section("Settings", _settings_table(result.settings))]
    s = result.settings
    subtitle = (f"{s.get('symbol', '')} {s.get('timeframe', '')} | {s.get('from') or 'start'} - "
                f"{s.get('to') or 'end'} | {result.metric} ({'max' if result.maximize else 'min'}) | generated "
                f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC")
    return page(f"Optimization: {strategy_name}", subtitle, "\n".join(sections))


def _section(title: str, inner: str) -> str:
    return f"<section><h2>{esc(title)}</h2>\n{inner}\n</section>"


def _summary(result: OptimizationResult) -> str:
    counts = result.counts()
    best = result.best
    rows = [("method", result.settings.get("method", "")), ("engine", result.settings.get("engine", "")),
            ("parameter sets", len(result.trials)), ("run", counts["ok"]), ("skipped", counts["skipped"]),
            ("failed", counts["error"]),
            ("constraints", ", ".join(result.settings.get("constraints") or []) or "none")]
    if best is not None:
        rows.append(("best parameters", ", ".join(f"{k}={v}" for k, v in best.params.items())))
        rows.append((f"best {result.metric}", fmt_num(objective_value(best, result.metric), 4)))
    return _section("Search", table(("", "value"), rows))


def _heatmap_section(result: OptimizationResult, figs: FigureWriter) -> str:
    varying = [(n, list(v)) for n, v in zip(result.param_names, _space_values(result), strict=True) if len(v) > 1]
    if not varying:
        return _section("Parameter map", '<p class="note">Only one parameter set: nothing to map.</p>')
    if len(varying) == 1:
        name, values = varying[0]
        best = _best_per_cell(result, [name])
        fig = go.Figure(go.Scatter(x=[str(v) for v in values], y=[best.get((v,)) for v in values],
                                   mode="lines+markers", name=result.metric))
        fig.update_layout(height=380, xaxis_title=esc(name), yaxis_title=esc(result.metric), template="plotly_white",
                          margin={"l": 60, "r": 20, "t": 20, "b": 50})
        return _section(f"{result.metric} by {name}", figs.div(fig))
    (x_name, x_values), (y_name, y_values) = varying[0], varying[1]
    best = _best_per_cell(result, [x_name, y_name])
    z = [[best.get((x, y)) for x in x_values] for y in y_values]
    text = [["" if v is None else f"{v:.3g}" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(v) for v in x_values], y=[str(v) for v in y_values], text=text, texttemplate="%{text}",
        colorscale="RdYlGn" if result.maximize else "RdYlGn_r", colorbar={"title": {"text": esc(result.metric)}},
        hovertemplate=f"{esc(x_name)}=%{{x}} {esc(y_name)}=%{{y}}: %{{z:.4g}}<extra></extra>"))
    fig.update_xaxes(type="category", title_text=esc(x_name))
    fig.update_yaxes(type="category", title_text=esc(y_name))
    fig.update_layout(height=max(320, 120 + 30 * len(y_values)), template="plotly_white",
                      margin={"l": 70, "r": 20, "t": 20, "b": 50})
    others = [n for n, _ in varying[2:]]
    note = (f'<p class="note">Each cell: the {"highest" if result.maximize else "lowest"} {esc(result.metric)} over '
            f'{esc(", ".join(others))}.</p>' if others else "")
    return _section(f"{result.metric} by {x_name} and {y_name}", figs.div(fig) + note)


def _space_values(result: OptimizationResult) -> list[list[Any]]:
    space = result.settings.get("space") or {}
    if space:
        return [list(space[n]) for n in result.param_names]
    return [list(dict.fromkeys(t.params[n] for t in result.trials)) for n in result.param_names]


def _best_per_cell(result: OptimizationResult, names: list[str]) -> dict[tuple, float]:
    best: dict[tuple, float] = {}
    for trial in result.trials:
        value = objective_value(trial, result.metric)
        if value is None:
            continue
        key = tuple(trial.params[n] for n in names)
        if key not in best or (value > best[key] if result.maximize else value < best[key]):
            best[key] = value
    return best


def _ranked_section(result: OptimizationResult) -> str:
    columns = [result.metric, *[c for c in _COLUMNS if c != result.metric]]
    rows = []
    for rank, trial in enumerate(result.ranked()[:RANKED_ROWS], start=1):
        if objective_value(trial, result.metric) is None:
            break
        rows.append([rank, *(trial.params[n] for n in result.param_names),
                     *(fmt_num(trial.metrics.get(c), 0 if c == "number_of_trades" else 3) for c in columns)])
    headers = ["#", *result.param_names, *columns]
    shown = f"the best {len(rows)} of {len(result.trials)}" if rows else "no set with a defined objective"
    return _section(f"Ranked parameter sets ({shown})", table(headers, rows))


def _walk_forward_section(wf: Any, figs: FigureWriter) -> str:
    rows = []
    for w in wf.windows:
        rows.append([w.index, _day(w.in_sample[0]) + " .. " + _day(w.in_sample[1]),
                     _day(w.out_of_sample[0]) + " .. " + _day(w.out_of_sample[1]),
                     ", ".join(f"{k}={v}" for k, v in w.best.params.items()) if w.best else "-",
                     fmt_num(w.in_sample_value, 3), fmt_num(w.out_of_sample_value, 3), fmt_num(w.degradation, 3),
                     fmt_num(w.efficiency, 2)])
    headers = ["window", "in sample", "out of sample", "best parameters", f"{wf.metric} in",
               f"{wf.metric} out", "degradation", "efficiency"]
    mode = "anchored" if wf.anchored else "rolling"
    parts = [f'<p class="note">{esc(mode)} windows: in sample {esc(wf.in_sample)}, out of sample '
             f'{esc(wf.out_of_sample)}. Degradation = out-of-sample minus in-sample {esc(wf.metric)}; efficiency = '
             f'their ratio. Each out-of-sample run starts flat on its own bars.</p>', table(headers, rows)]
    bars = go.Figure([
        go.Bar(name="in sample", x=[w.index for w in wf.windows], y=[w.in_sample_value for w in wf.windows]),
        go.Bar(name="out of sample", x=[w.index for w in wf.windows], y=[w.out_of_sample_value for w in wf.windows]),
    ])
    bars.update_layout(barmode="group", height=320, template="plotly_white", xaxis_title="window",
                       yaxis_title=esc(wf.metric), margin={"l": 60, "r": 20, "t": 20, "b": 50})
    parts.append(figs.div(bars))
    if wf.stitched is not None and len(wf.stitched.equity_times):
        parts.append(figs.div(_stitched_figure(wf)))
        m = wf.stitched_metrics or {}
        parts.append(table(("stitched out of sample", "value"), [
            ("total return %", fmt_num(m.get("total_return_rate"))), ("sharpe", fmt_num(m.get("sharpe_ratio"))),
            ("max drawdown %", fmt_num(m.get("max_drawdown"))), ("closed trades", m.get("number_of_trades")),
            (wf.metric, fmt_num(m.get(wf.metric), 4))]))
    return _section("Walk-forward", "\n".join(parts))


def _stitched_figure(wf: Any) -> go.Figure:
    times = np.asarray(wf.stitched.equity_times, dtype=np.int64)
    equity = np.asarray(wf.stitched.equity, dtype=np.float64)
    keep = decimate_minmax(equity, MAX_LINE_POINTS)
    fig = go.Figure(go.Scatter(x=times[keep] * 1000, y=equity[keep], mode="lines", name="out-of-sample equity"))
    for w in wf.windows[1:]:
        fig.add_vline(x=w.out_of_sample[0] * 1000, line={"color": "#9aa5b1", "width": 1, "dash": "dot"})
    fig.update_xaxes(type="date")
    fig.update_layout(height=380, template="plotly_white", yaxis_title=esc(wf.stitched.currency),
                      margin={"l": 60, "r": 20, "t": 20, "b": 30})
    return fig


def _skipped_section(result: OptimizationResult) -> str:
    skipped = [t for t in result.trials if t.status != "ok"]
    if not skipped:
        return _section("Skipped parameter sets", '<p class="note">None.</p>')
    rows = [[t.status, ", ".join(f"{k}={v}" for k, v in t.params.items()), t.reason or ""]
            for t in skipped[:SKIPPED_ROWS]]
    more = f'<p class="note">... and {len(skipped) - SKIPPED_ROWS} more.</p>' if len(skipped) > SKIPPED_ROWS else ""
    return _section(f"Skipped parameter sets ({len(skipped)})", table(("status", "parameters", "reason"), rows) + more)


def _settings_table(settings: dict[str, Any]) -> str:
    rows = [(k, fmt_setting(v)) for k, v in settings.items() if v not in (None, "", [], {})]
    return table(("setting", "value"), rows)


def _day(epoch: int) -> str:
    return fmt_time(epoch, with_time=False)
