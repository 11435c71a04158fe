"""The KPI page's figures of the MetaTrader 5 tester's diagrams (data: :mod:`mas.reports.diagrams`).

Three figures: entries by hour, weekday and month (buys and sells stacked); profit and loss by hour,
weekday and month; MFE and MAE against profit and profit against holding time (one point per
closed trade; WebGL above ``SVG_MAX_POINTS`` trades), whose points the page carries once as packed columns
(:func:`excursion_columns`) and the shared script draws on load.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mas.reports import diagrams as dg
from mas.reports._html import FigureWriter, esc
from mas.reports.packing import dumps, pack

SVG_MAX_POINTS = 5_000
_TITLES = {"hour": "by hour (UTC)", "weekday": "by weekday", "month": "by month"}
_UNITS: tuple[dg.Unit, ...] = ("hour", "weekday", "month")


def _layout(fig: go.Figure, height: int) -> None:
    fig.update_layout(height=height, margin={"l": 60, "r": 20, "t": 50, "b": 40}, template="plotly_white",
                      legend={"orientation": "h", "x": 0, "y": 1.12}, bargap=0.15)


def entries_figure(result: dg.BacktestResult) -> go.Figure:
    """Entries by hour, weekday and month, buys and sells stacked (:func:`mas.reports.diagrams.entries_by`)."""
    fig = make_subplots(rows=1, cols=3, column_widths=[0.5, 0.22, 0.28],
                        subplot_titles=[f"Entries {_TITLES[u]}" for u in _UNITS])
    for col, unit in enumerate(_UNITS, 1):
        counts = dg.entries_by(result, unit)
        for side, color in (("buy", "#1a7f37"), ("sell", "#cf222e")):
            fig.add_trace(go.Bar(x=dg.BUCKETS[unit], y=counts[side], name=side, marker_color=color,
                                 legendgroup=side, showlegend=col == 1,
                                 hovertemplate=f"%{{x}}: %{{y}} {side} entries<extra></extra>"), 1, col)
        fig.update_xaxes(type="category", row=1, col=col)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="entries", row=1, col=1)
    _layout(fig, 330)
    return fig


def profit_loss_figure(result: dg.BacktestResult, ccy: str) -> go.Figure:
    """Profit and loss of closed trades by hour, weekday and month (:func:`mas.reports.diagrams.profit_loss_by`)."""
    fig = make_subplots(rows=1, cols=3, column_widths=[0.5, 0.22, 0.28],
                        subplot_titles=[f"Profit and loss {_TITLES[u]}" for u in _UNITS])
    for col, unit in enumerate(_UNITS, 1):
        pl = dg.profit_loss_by(result, unit)
        for key, color in (("profit", "#1a7f37"), ("loss", "#cf222e")):
            fig.add_trace(go.Bar(x=dg.BUCKETS[unit], y=[round(v, 2) for v in pl[key]], name=key, marker_color=color,
                                 legendgroup=key, showlegend=col == 1,
                                 hovertemplate=f"%{{x}}: %{{y:,.2f}} {esc(ccy)}<extra>{key}</extra>"), 1, col)
        fig.update_xaxes(type="category", row=1, col=col)
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=esc(ccy), row=1, col=1)
    _layout(fig, 330)
    return fig


def excursions_figure(excursions: list[dg.Excursion], ccy: str) -> go.Figure:
    """MFE and MAE against profit and profit against holding time, as empty traces: the page's script fills them
    from :func:`excursion_columns` (``MASReport.excursions``)."""
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.07,
                        subplot_titles=["MFE against profit", "MAE against profit", "Profit against holding time"])
    scatter = go.Scattergl if len(excursions) > SVG_MAX_POINTS else go.Scatter
    titles = (("MFE", f"MFE ({esc(ccy)})"), ("MAE", f"MAE ({esc(ccy)})"), ("holding", "holding time (hours)"))
    for col, (name, title) in enumerate(titles, 1):
        fig.add_trace(scatter(x=[], y=[], text=[], mode="markers", name=name, showlegend=False,
                              marker={"color": [], "size": 6, "opacity": 0.75},
                              hovertemplate=f"%{{text}}<br>{title}: %{{x:,.2f}}<br>profit: %{{y:,.2f}}<extra></extra>"),
                      1, col)
        fig.update_xaxes(title_text=title, row=1, col=col)
    fig.update_yaxes(title_text=f"net profit ({esc(ccy)})", row=1, col=1)
    _layout(fig, 360)
    return fig


def excursion_columns(excursions: list[dg.Excursion]) -> dict[str, object]:
    """The points of :func:`excursions_figure` as packed columns (money and hours rounded to 2 decimals, as drawn):
    position id, symbol, MFE, MAE, holding hours, net profit and whether the trade won (its colour)."""
    symbols = sorted({e.symbol for e in excursions})
    index = {s: float(i) for i, s in enumerate(symbols)}
    return {
        "pid": pack([float(e.position_id) for e in excursions]),
        "sym": {"f": "text", "dict": [esc(s) for s in symbols], "i": pack([index[e.symbol] for e in excursions])},
        "x": [pack([round(e.mfe, 2) for e in excursions]), pack([round(e.mae, 2) for e in excursions]),
              pack([round(e.holding_seconds / 3600.0, 2) for e in excursions])],
        "profit": pack([round(e.profit, 2) for e in excursions]),
        "won": pack([1.0 if e.profit > 0 else 0.0 for e in excursions]),
    }


def diagrams_section(result: dg.BacktestResult, ccy: str, figs: FigureWriter) -> str:
    """The section's HTML: the three figures and a note on what they read."""
    if not result.trades:
        return '<p class="note">No trades.</p>'
    exc = dg.excursions(result)
    parts = [figs.div(entries_figure(result)), figs.div(profit_loss_figure(result, ccy))]
    if exc:
        script = f"MASReport.excursions(document.getElementById('{{plot_id}}'), {dumps(excursion_columns(exc))});"
        parts.append(figs.div(excursions_figure(exc, ccy), post_script=script))
    else:
        parts.append('<p class="note">MFE and MAE need the bars of the traded symbols, which this result does not '
                     "hold.</p>")
    parts.append(
        '<p class="note">Entries count each position once at its entry time; profit and loss sum closed trades\' '
        "net profit at their exit time (UTC). MFE / MAE: the most the price moved for / against a trade between "
        "its open and close, read from the bars (whole entry and exit bars included), in money; definitions in "
        "docs/metrics.md.</p>"
    )
    return "\n".join(parts)
