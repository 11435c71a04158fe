"""The KPI report: an HTML tear sheet that opens offline.

plotly.js is loaded from one shared file beside the pages (``plotly-<version>.min.js``, see
:func:`mas.reports.output.write_plotly_asset`) with the shared ``mas-report-<hash>.js``
(:mod:`mas.reports.assets_js`), or both are inlined once with ``self_contained=True``. The curves, the
MFE / MAE points and the trade, order and deal lists are carried once as packed columns
(:mod:`mas.reports.packing`) that the shared script draws and renders on load, so a year of H1 with
1,500 trades stays near half a megabyte.

Sections: headline metrics, balance and equity curves with the drawdown, monthly returns heatmap
with end-of-year returns, the five worst drawdowns, trade statistics, the MetaTrader 5 strategy
tester's statistics, a histogram of trade results, the tester's diagrams (entries and profit/loss by
hour, weekday and month; MFE, MAE and holding time against profit: :mod:`mas.reports.kpi_diagrams`),
the lists of trades and deals (sortable, CSV) and the settings of the run with the trading costs it
used. All inserted text is HTML-escaped. Metric definitions:
:mod:`mas.reports.metrics`. Drawdowns and losses are shown as falls (negative), as tear sheets show
them, although the data report gives ``max_drawdown`` and ``max_single_loss`` as magnitudes.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mas.i18n.errors import InputError
from mas.reports import diagrams as dg
from mas.reports import kpi_diagrams as kd
from mas.reports import metrics as mt
from mas.reports import mt5_sections as ms
from mas.reports._html import (
    FigureWriter,
    decimate_minmax,
    esc,
    fmt_num,
    fmt_setting,
    fmt_time,
    page,
    report_symbol,
    sign_class,
    table,
)
from mas.reports.assets_js import report_js, script_tag, write_report_asset
from mas.reports.output import report_file_name, safe_part, unique_path, write_plotly_asset, write_text_atomic
from mas.reports.packing import dumps, pack
from mas.reports.tester import strategy_tester_statistics
from mas.results import BacktestResult

MAX_LINE_POINTS = 10_000  # equity/drawdown curves are thinned to a min/max envelope above this
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def write_kpi_report(result: BacktestResult, report_dir: Path, strategy_name: str, *,
                     self_contained: bool = False) -> Path:
    """Write the KPI tear sheet of ``result`` under ``report_dir`` and return its path.

    The page loads plotly.js from the folder's shared ``plotly-<version>.min.js`` (written there if
    missing), or carries it inline with ``self_contained``. Raises ``ValueError`` if ``result`` is
    None or has no equity curve.
    """
    check_result(result)
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    name = report_file_name("kpi", report_symbol(result), strategy_name)
    src = None if self_contained else write_plotly_asset(report_dir)
    script = None if self_contained else write_report_asset(report_dir)
    html = render_kpi_html(result, strategy_name, plotly_src=src, report_src=script)
    return write_text_atomic(unique_path(report_dir / name), html)


def check_result(result: BacktestResult | None) -> None:
    """Raise ``ValueError`` for a missing result or one without an equity curve."""
    if result is None:
        raise InputError("kpi_no_result")
    if len(mt.equity_arrays(result)[0]) == 0:
        raise InputError("kpi_no_equity")


def render_kpi_html(result: BacktestResult, strategy_name: str, plotly_src: str | None = None,
                    report_src: str | None = None) -> str:
    """The KPI tear sheet as one HTML string; plotly.js inline, or from ``plotly_src`` (a relative URL); the shared
    report script (:mod:`mas.reports.assets_js`) inline, or from ``report_src``."""
    check_result(result)
    times, equity = mt.equity_arrays(result)
    m = mt.compute_metrics(result)
    tester = strategy_tester_statistics(result)
    ccy = result.currency or ""
    figs = FigureWriter(plotly_src)
    stem = safe_part(f"{report_symbol(result)}_{strategy_name}", "report")

    sections = [
        _headline(m, ccy),
        _section("Balance, equity and drawdown",
                 _equity_div(figs, times, equity, result.initial_capital, ccy, _balance_array(result),
                             _deposit_load(result))),
        _returns_section(result, figs),
        _section("Worst drawdowns", _drawdown_table(times, equity, result.initial_capital)),
        _section("Trade statistics", _trade_table(m, ccy)),
        _section("Strategy tester statistics", ms.tester_table(tester, ccy)),
        _section("Trade results", _histogram(result, ccy, figs)),
        _section("Tester diagrams", kd.diagrams_section(result, ccy, figs)),
        _section("Trades", ms.trades_list(result, stem)),
        _section("Orders", ms.orders_list(result, stem)),
        _section("Deals", ms.deals_list(result, stem)),
        _section("Settings", _settings_table(result)),
    ]
    symbol = report_symbol(result)
    subtitle = (
        f"{symbol} | {fmt_time(int(times[0]))} - {fmt_time(int(times[-1]))} UTC | "
        f"generated {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M:%S')} UTC"
    )
    body = script_tag(report_src, report_js()) + "\n" + "\n".join(sections) + "\n" + ms.LIST_SCRIPT
    return page(f"KPI report: {strategy_name}", subtitle, body, css=ms.LIST_CSS)


def _section(title: str, inner: str) -> str:
    return f"<section><h2>{esc(title)}</h2>\n{inner}\n</section>"


def _fall(magnitude: float | None) -> float | None:
    """A drawdown or loss magnitude (``>= 0`` in the metrics) shown as the fall it is, like the tear
    sheet's drawdown tables: 15.2 -> -15.2."""
    return None if magnitude is None else 0.0 - magnitude


def _card(label: str, value: str, cls: str = "", sub: str = "") -> str:
    extra = f'<div class="sub">{esc(sub)}</div>' if sub else ""
    return (
        f'<div class="card"><div class="label">{esc(label)}</div>'
        f'<div class="value {cls}">{esc(value)}</div>{extra}</div>'
    )


def _headline(m: dict, ccy: str) -> str:
    open_note = ""
    if m["open_trades"]:
        open_note = f"{m['open_trades']} open at the end: {fmt_num(m['open_profit_loss'])} {ccy}"
    cards = [
        _card(
            "Net profit (closed)",
            f"{fmt_num(m['total_profit_loss'])} {ccy}",
            sign_class(m["total_profit_loss"]),
            open_note,
        ),
        _card("Total return", fmt_num(m["total_return_rate"], 2, " %"), sign_class(m["total_return_rate"])),
        _card("Final equity", f"{fmt_num(m['final_equity'])} {ccy}"),
        _card("Win rate", fmt_num(m["win_rate"], 1, " %")),
        _card("Max drawdown", fmt_num(_fall(m["max_drawdown"]), 2, " %"), sign_class(_fall(m["max_drawdown"]))),
        _card("Closed trades", str(m["number_of_trades"])),
        _card("Avg holding time", str(m["average_holding_time"])),
        _card("Sharpe", fmt_num(m["sharpe_ratio"])),
        _card("Sortino", fmt_num(m["sortino_ratio"])),
        _card("CAGR", fmt_num(m["cagr"], 2, " %"), sign_class(m["cagr"])),
        _card("Profit factor", fmt_num(m["profit_factor"])),
        _card("Exposure", fmt_num(m["exposure_percent"], 1, " %")),
    ]
    note = (
        '<p class="note">Sharpe, Sortino and CAGR: daily returns of end-of-day equity (UTC days with '
        "bars, initial capital first), risk-free 0, 252 periods a year, as quantstats. Drawdown: bar by "
        "bar from the running peak, negative %. Trade figures use closed trades' net profit "
        "(profit + commission + swap). '-' means not defined (e.g. no losing trade for the profit "
        "factor).</p>"
    )
    return _section("Headline", f'<div class="cards">{"".join(cards)}</div>{note}')


def _balance_array(result: BacktestResult) -> np.ndarray | None:
    """The balance per bar in the order of :func:`mas.reports.metrics.equity_arrays` (None when the
    result has no balance of the same length as its equity)."""
    return dg.bar_values(result, result.balance)


def _deposit_load(result: BacktestResult) -> np.ndarray | None:
    """The deposit load per bar (:func:`mas.reports.diagrams.deposit_load`)."""
    return dg.deposit_load(result)


def _equity_div(figs: FigureWriter, times: np.ndarray, equity: np.ndarray, initial: float, ccy: str,
                balance: np.ndarray | None = None, load: np.ndarray | None = None) -> str:
    """The balance / equity / drawdown (/ deposit load) figure, its curves carried once as packed columns (money in
    cents, drawdown and load in millionths of a %) and drawn by ``MASReport.curves`` on load, thinned to
    ``MAX_LINE_POINTS`` per curve (a longer run is thinned here first, to the union of the curves' envelopes)."""
    fig, traces = _equity_figure(times, equity, initial, ccy, balance, load)
    dd = 100.0 * mt.drawdown_series(equity, initial)
    series = {"balance": (balance, 2), "equity": (equity, 2), "drawdown": (dd, 6), "load": (load, 6)}
    keep = np.arange(len(times))
    if len(times) > MAX_LINE_POINTS:
        keep = np.unique(np.concatenate([decimate_minmax(np.nan_to_num(v, nan=0.0), MAX_LINE_POINTS)
                                         for v, _ in series.values() if v is not None]))
    config = {"t": pack(np.asarray(times, dtype=np.float64)[keep]), "max": MAX_LINE_POINTS,
              "traces": [[traces[name], pack(np.asarray(v, dtype=np.float64)[keep], decimals)]
                         for name, (v, decimals) in series.items() if name in traces and v is not None]}
    return figs.div(fig, post_script=f"MASReport.curves(document.getElementById('{{plot_id}}'), {dumps(config)});")


def _equity_figure(times: np.ndarray, equity: np.ndarray, initial: float, ccy: str,
                   balance: np.ndarray | None = None,
                   load: np.ndarray | None = None) -> tuple[go.Figure, dict[str, int]]:
    """Balance, equity and drawdown panels, and the deposit load (margin / equity, as MT5's tester draws it
    under its graph) when ``load`` is given, as empty traces (the page's script fills them); the figure and the
    trace index of each curve."""
    rows = 2 if load is None else 3
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        row_heights=[0.68, 0.32] if load is None else [0.58, 0.24, 0.18])
    traces: dict[str, int] = {}
    if balance is not None:
        traces["balance"] = len(fig.data)
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=f"Balance ({esc(ccy)})",
                                 line={"color": "#2e7d32", "width": 1.4}), 1, 1)
    traces["equity"] = len(fig.data)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=f"Equity ({esc(ccy)})",
                             line={"color": "#1f77b4", "width": 1.4}), 1, 1)
    fig.add_hline(
        y=float(initial),
        line={"color": "#9aa5b1", "width": 1, "dash": "dot"},
        row=1,
        col=1,
        annotation_text="initial capital",
        annotation_position="bottom left",
        annotation_bgcolor="rgba(255,255,255,0.75)",
    )
    traces["drawdown"] = len(fig.data)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="Drawdown %", fill="tozeroy",
                             line={"color": "#cf222e", "width": 1}), 2, 1)
    if load is not None:
        traces["load"] = len(fig.data)
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="Deposit load %", fill="tozeroy",
                                 line={"color": "#8250df", "width": 1}), 3, 1)
        fig.update_yaxes(title_text="load %", row=3, col=1)
    fig.update_xaxes(type="date")
    fig.update_yaxes(title_text=esc(ccy), row=1, col=1)
    fig.update_yaxes(title_text="drawdown %", row=2, col=1)
    fig.update_layout(
        height=560 if load is None else 660,
        margin={"l": 60, "r": 20, "t": 40, "b": 30},
        hovermode="x unified",
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        template="plotly_white",
    )
    return fig, traces


def _returns_section(result: BacktestResult, figs: FigureWriter) -> str:
    monthly = mt.monthly_returns(result)
    years = mt.yearly_summary(result)
    ys = sorted(monthly)
    z = [[monthly[y].get(mo) for mo in range(1, 13)] for y in ys]
    text = [[("" if v is None else f"{v:.2f}") for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=MONTHS,
            y=ys,
            text=text,
            texttemplate="%{text}",
            colorscale="RdYlGn",
            zmid=0,
            hovertemplate="%{y} %{x}: %{z:.2f} %<extra></extra>",
            colorbar={"title": {"text": "%"}},
        )
    )
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_layout(
        height=max(200, 90 + 42 * len(ys)),
        margin={"l": 60, "r": 20, "t": 34, "b": 30},
        template="plotly_white",
    )
    month_rows = [[y, *[fmt_num(monthly[y].get(mo)) for mo in range(1, 13)], fmt_num(years[y]["return"])] for y in ys]
    eoy_rows = [
        [
            y,
            fmt_num(v["end_equity"]),
            fmt_num(v["pnl"]),
            fmt_num(v["return"], 2, " %"),
            fmt_num(v["cumulative_return"], 2, " %"),
            fmt_num(v["max_drawdown"], 2, " %"),
        ]
        for y, v in years.items()
    ]
    inner = (
        "<h3>Monthly returns (%)</h3>"
        + figs.div(fig)
        + table(["Year", *MONTHS, "Year"], month_rows)
        + "<h3>End of year</h3>"
        + table(["Year", "Equity", "P&L", "Return", "Cumulative", "Max drawdown"], eoy_rows)
    )
    return _section("Returns", inner)


def _drawdown_table(times: np.ndarray, equity: np.ndarray, initial: float) -> str:
    periods = mt.drawdown_periods(times, equity, initial, top=5)
    if not periods:
        return '<p class="note">No drawdown: the equity never fell below its running peak.</p>'
    rows = [
        [
            i + 1,
            fmt_time(p["start"]),
            fmt_time(p["valley"]),
            fmt_time(p["end"]) if p["recovered"] else "not recovered",
            fmt_num(p["days"], 1),
            fmt_num(p["max_drawdown"], 2, " %"),
        ]
        for i, p in enumerate(periods)
    ]
    return table(["#", "Start (peak)", "Valley", "End (recovered)", "Length (days)", "Max drawdown"], rows)


def _trade_table(m: dict, ccy: str) -> str:
    c = f" {ccy}" if ccy else ""
    rows = [
        ("Closed trades", m["number_of_trades"]),
        (
            "Winning / losing / breakeven",
            f"{m['winning_trades']} / {m['losing_trades']} / {m['breakeven_trades']}",
        ),
        ("Win rate / loss rate", f"{fmt_num(m['win_rate'], 1)} % / {fmt_num(m['loss_rate'], 1)} %"),
        ("Net profit (closed)", fmt_num(m["total_profit_loss"], 2, c)),
        ("Gross profit / gross loss", f"{fmt_num(m['gross_profit'])} / {fmt_num(m['gross_loss'])}{c}"),
        ("Profit factor", fmt_num(m["profit_factor"])),
        ("Profit/loss ratio (avg win / avg loss)", fmt_num(m["profit_loss_ratio"])),
        ("Average win / average loss", f"{fmt_num(m['average_win'])} / {fmt_num(m['average_loss'])}{c}"),
        ("Expectancy (per trade)", fmt_num(m["expectancy"], 2, c)),
        (
            "Largest win / largest loss",
            f"{fmt_num(m['max_single_win'])} / {fmt_num(_fall(m['max_single_loss']))}{c}",
        ),
        ("Max consecutive wins / losses", f"{m['max_consecutive_wins']} / {m['max_consecutive_losses']}"),
        ("Average holding time", m["average_holding_time"]),
        ("Exposure (bars with a position)", fmt_num(m["exposure_percent"], 1, " %")),
        ("Long trades (win rate, P&L)", _side(m, "long", c)),
        ("Short trades (win rate, P&L)", _side(m, "short", c)),
        ("Commission / swap (closed)", f"{fmt_num(m['total_commission'])} / {fmt_num(m['total_swap'])}{c}"),
        (
            "Open trades at the end (floating P&L)",
            f"{m['open_trades']} ({fmt_num(m['open_profit_loss'])}{c})",
        ),
        (
            "Initial capital / final equity",
            f"{fmt_num(m['initial_capital'])} / {fmt_num(m['final_equity'])}{c}",
        ),
        ("Bars / days with bars", f"{m['bars']} / {m['trading_days']}"),
    ]
    return table(["Statistic", "Value"], rows)


def _side(m: dict, side: str, c: str) -> str:
    win_rate = fmt_num(m[f"{side}_win_rate"], 1)
    return f"{m[f'{side}_trades']} ({win_rate} %, {fmt_num(m[f'{side}_profit_loss'])}{c})"


def _histogram(result: BacktestResult, ccy: str, figs: FigureWriter) -> str:
    pnl = np.array([t.net_profit for t in result.closed_trades], dtype=np.float64)
    pnl = pnl[np.isfinite(pnl)]
    if len(pnl) == 0:
        return '<p class="note">No closed trades.</p>'
    bins = _histogram_bins(pnl)
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=pnl[pnl > 0], name="wins", marker_color="#1a7f37", xbins=bins, autobinx=False))
    fig.add_trace(
        go.Histogram(x=pnl[pnl <= 0], name="losses / breakeven", marker_color="#cf222e", xbins=bins, autobinx=False)
    )
    fig.update_layout(
        barmode="overlay",
        bargap=0.05,
        height=340,
        margin={"l": 60, "r": 20, "t": 34, "b": 40},
        legend={"orientation": "h", "x": 0, "y": 1.1},
        xaxis_title=f"net profit per trade ({esc(ccy)})",
        yaxis_title="trades",
        template="plotly_white",
    )
    fig.update_traces(opacity=0.8)
    return figs.div(fig)


def _histogram_bins(pnl: np.ndarray) -> dict[str, float]:
    """One bin grid for wins and losses (10 to 60 bins), with 0 on a bin edge."""
    lo, hi = float(pnl.min()), float(pnl.max())
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    nbins = int(min(60, max(10, np.sqrt(len(pnl)) * 2)))
    raw = (hi - lo) / nbins if hi > lo else 1.0
    step = 10.0 ** np.floor(np.log10(raw))
    size = float(next(m * step for m in (1, 2, 2.5, 5, 10) if m * step >= raw))
    start = float(np.floor(lo / size) * size)
    end = float(np.ceil(hi / size) * size)
    if end <= hi:
        end += size
    return {"start": start, "end": end, "size": size}


def _setting_text(value: object) -> str:
    if value is None:
        return "default"
    if isinstance(value, (dict, list, tuple, set)) and not value:
        return "none"
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:,.10g}"
    return fmt_setting(value)


def _settings_table(result: BacktestResult) -> str:
    """The run's settings; spread and commission show the values used (set or default), per symbol, and an
    open range its first and last bar."""
    settings = dict(result.settings or {})
    used = ms.costs_used(result)
    times = mt.equity_arrays(result)[0]
    for key, i, what in (("from", 0, "first"), ("to", -1, "last")):  # an open range: the bars replayed
        if key in settings and settings[key] is None and len(times):
            used[key] = f"{fmt_time(int(times[i]))} UTC ({what} bar replayed)"
    rows = [[k, used[k] if k in used else _setting_text(v)] for k, v in settings.items()]
    for key in ("spread", "commission", "swap"):
        if key in used and key not in settings:
            rows.append([key, used[key]])
    if "currency" not in settings:
        rows.append(["currency", result.currency])
    if "initial_capital" not in settings and "capital" not in settings:
        rows.append(["initial_capital", fmt_num(result.initial_capital)])
    return table(["Setting", "Value"], rows)
