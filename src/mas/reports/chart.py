"""The trade chart: candles with entry/exit markers, equity and cumulative P&L (offline HTML).

One figure per symbol of ``result.bars``, three panels on a shared time axis: candles (with
entry/exit markers and SL/TP segments when trades carry ``sl``/``tp``), account equity, and the
cumulative net P&L of the symbol's closed trades.

Level of detail: the candles shown never exceed ``max_candles`` (5,000). The page holds the full
bars; the overview aggregates consecutive bars into OHLC buckets (first open, max high, min low,
last close), and a small script re-aggregates the visible range on every zoom or pan, so zooming
in reaches single bars while the browser never draws more than ``max_candles`` boxes. Markers and
lines use WebGL (``Scattergl``), so 100,000 bars stay responsive.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mas.reports import metrics as mt
from mas.reports._html import FigureWriter, esc, fmt_num, fmt_time, page, report_symbol
from mas.reports.output import report_file_name, safe_part, unique_path, write_text_atomic
from mas.results import BacktestResult, TradeRecord

MAX_CANDLES = 5_000

_LOD_JS = r"""
(function () {
  var gd = document.getElementById('{plot_id}');
  if (!gd || !window.Plotly) { return; }
  var D = __DATA__;
  var MAX = __MAX__, LABEL = __LABEL__, busy = false, lastKey = '';
  function lowerBound(a, x) {
    var lo = 0, hi = a.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (a[mid] < x) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }
  function toMs(v) {
    if (typeof v === 'number') { return v; }
    var p = String(v).split(/[^0-9]+/).map(Number);
    return Date.UTC(p[0], (p[1] || 1) - 1, p[2] || 1, p[3] || 0, p[4] || 0, p[5] || 0,
                    p.length > 6 ? Number(('' + p[6] + '000').slice(0, 3)) : 0);
  }
  function aggregate(i0, i1) {
    var k = Math.max(1, Math.ceil((i1 - i0) / MAX));
    var t = [], o = [], h = [], l = [], c = [];
    for (var i = i0; i < i1; i += k) {
      var j = Math.min(i + k, i1), hi = -Infinity, lo = Infinity;
      for (var m = i; m < j; m++) {
        if (D.h[m] > hi) { hi = D.h[m]; }
        if (D.l[m] < lo) { lo = D.l[m]; }
      }
      t.push(D.t[i]); o.push(D.o[i]); h.push(hi); l.push(lo); c.push(D.c[j - 1]);
    }
    return {t: t, o: o, h: h, l: l, c: c, k: k};
  }
  function show(r0, r1) {
    var n = D.t.length, i0 = 0, i1 = n;
    if (r0 !== undefined && r1 !== undefined) {
      var a = toMs(r0), b = toMs(r1);
      if (a > b) { var tmp = a; a = b; b = tmp; }
      i0 = Math.max(0, lowerBound(D.t, a) - 1);
      i1 = Math.min(n, lowerBound(D.t, b) + 1);
    }
    if (i1 <= i0) { return; }
    var s = aggregate(i0, i1), key = i0 + ':' + i1 + ':' + s.k;
    if (key === lastKey) { return; }
    lastKey = key; busy = true;
    var name = LABEL + (s.k > 1 ? ' (1 candle = ' + s.k + ' bars)' : '');
    Plotly.restyle(gd, {x: [s.t], open: [s.o], high: [s.h], low: [s.l], close: [s.c], name: [name]}, [0])
      .then(function () { busy = false; }, function () { busy = false; });
  }
  gd.on('plotly_relayout', function (ev) {
    if (busy || !ev) { return; }
    var r0, r1, reset = false;
    Object.keys(ev).forEach(function (key) {
      var m = key.match(/^xaxis\d*\.(range\[0\]|range\[1\]|range|autorange)$/);
      if (!m) { return; }
      if (m[1] === 'range[0]') { r0 = ev[key]; }
      else if (m[1] === 'range[1]') { r1 = ev[key]; }
      else if (m[1] === 'range') { r0 = ev[key][0]; r1 = ev[key][1]; }
      else if (ev[key]) { reset = true; }
    });
    if (r0 !== undefined && r1 !== undefined) { show(r0, r1); } else if (reset) { show(); }
  });
})();
"""


def write_trade_chart(
    result: BacktestResult, report_dir: Path, strategy_name: str, max_candles: int = MAX_CANDLES
) -> Path:
    """Write the interactive trade chart of ``result`` under ``report_dir`` and return its path.

    Raises ``ValueError`` if ``result`` is None or has neither bars nor an equity curve.
    """
    html = render_trade_chart_html(result, strategy_name, max_candles=max_candles)
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    name = report_file_name("chart", report_symbol(result), strategy_name)
    return write_text_atomic(unique_path(report_dir / name), html)


def render_trade_chart_html(result: BacktestResult, strategy_name: str, max_candles: int = MAX_CANDLES) -> str:
    """The trade chart as one HTML string (one figure per symbol)."""
    if result is None:
        raise ValueError("no backtest result: run a backtest before generating a trade chart")
    times, equity = mt.equity_arrays(result)
    bars = {s: b for s, b in (result.bars or {}).items() if b is not None and len(b)}
    if len(times) == 0 and not bars:
        raise ValueError("the backtest result has neither bars nor an equity curve to chart")
    figs = FigureWriter()
    symbols: list[str | None] = sorted(bars) if bars else sorted({t.symbol for t in result.trades}) or [None]
    timeframe = str((result.settings or {}).get("timeframe", "") or "")
    sections = []
    for i, sym in enumerate(symbols):
        sym_bars = bars.get(sym) if sym is not None else None
        trades = [t for t in result.trades if sym is None or t.symbol == sym]
        fig, lod = _symbol_figure(sym, sym_bars, trades, times, equity, result.currency, timeframe, max_candles)
        div_id = f"chart-{safe_part(sym or 'account')}-{i}"
        post = _lod_script(sym_bars, f"{sym} {timeframe}".strip(), max_candles) if lod else None
        title = f"{sym}" if sym else "Account"
        n_bars = 0 if sym_bars is None else len(sym_bars)
        note = (
            f"{n_bars:,} bars, {len(trades):,} trades. Drag to zoom (candles re-aggregate to at most "
            f"{max_candles:,} on screen), double-click to reset. Times are UTC."
        )
        sections.append(
            f'<section><h2>{esc(title)}</h2><p class="note">{esc(note)}</p>'
            f"{figs.div(fig, div_id=div_id, post_script=post)}</section>"
        )
    subtitle = report_symbol(result)
    if len(times):
        subtitle += f" | {fmt_time(int(times[0]))} - {fmt_time(int(times[-1]))} UTC"
    return page(f"Trade chart: {strategy_name}", subtitle, "\n".join(sections))


def aggregate_bars(bars: np.ndarray, max_candles: int = MAX_CANDLES) -> tuple[dict[str, np.ndarray], int]:
    """Aggregate consecutive bars into at most ``max_candles`` OHLC buckets.

    Returns ``({"time", "open", "high", "low", "close"}, bars_per_candle)``; ``time`` is the first
    bar's time of each bucket.
    """
    n = len(bars)
    k = max(1, math.ceil(n / max(1, max_candles)))
    starts = np.arange(0, n, k)
    ends = np.minimum(starts + k, n) - 1
    if k == 1:
        out = {f: np.asarray(bars[f]) for f in ("time", "open", "high", "low", "close")}
    else:
        out = {
            "time": np.asarray(bars["time"])[starts],
            "open": np.asarray(bars["open"])[starts],
            "high": np.maximum.reduceat(np.asarray(bars["high"], dtype=np.float64), starts),
            "low": np.minimum.reduceat(np.asarray(bars["low"], dtype=np.float64), starts),
            "close": np.asarray(bars["close"])[ends],
        }
    return out, k


def _ms(ts: Any) -> float | None:
    e = mt.to_epoch(ts)
    return None if e is None else e * 1000.0


def _symbol_figure(
    sym: str | None,
    bars: np.ndarray | None,
    trades: list[TradeRecord],
    times: np.ndarray,
    equity: np.ndarray,
    ccy: str,
    timeframe: str,
    max_candles: int,
) -> tuple[go.Figure, bool]:
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.03,
        row_heights=[0.6, 0.2, 0.2],
        subplot_titles=("", f"Equity ({esc(ccy)})", f"Cumulative P&L of closed trades ({esc(ccy)})"),
    )
    lod = False
    if bars is not None and len(bars):
        agg, k = aggregate_bars(bars, max_candles)
        label = esc(f"{sym} {timeframe}".strip())
        fig.add_trace(
            go.Candlestick(
                x=agg["time"].astype(np.int64) * 1000,
                open=agg["open"],
                high=agg["high"],
                low=agg["low"],
                close=agg["close"],
                name=label + (f" (1 candle = {k} bars)" if k > 1 else ""),
                increasing={"line": {"color": "#26a69a", "width": 1}},
                decreasing={"line": {"color": "#ef5350", "width": 1}},
            ),
            1,
            1,
        )
        lod = True
    for trace in _trade_traces(trades, ccy):
        fig.add_trace(trace, 1, 1)
    if len(times):
        fig.add_trace(
            go.Scattergl(
                x=times.astype(np.int64) * 1000,
                y=equity,
                mode="lines",
                name="Equity",
                line={"color": "#1f77b4", "width": 1.2},
            ),
            2,
            1,
        )
    cx, cy = _cumulative_pnl(trades, times)
    fig.add_trace(
        go.Scattergl(
            x=cx,
            y=cy,
            mode="lines",
            name="Cumulative P&L",
            line={"color": "#6f42c1", "width": 1.2, "shape": "hv"},
        ),
        3,
        1,
    )
    fig.update_xaxes(type="date")
    fig.update_xaxes(rangeslider={"visible": False}, row=1, col=1)
    fig.update_yaxes(title_text="price", row=1, col=1)
    fig.update_layout(
        height=820,
        margin={"l": 60, "r": 20, "t": 30, "b": 30},
        hovermode="closest",
        dragmode="zoom",
        legend={"orientation": "h", "y": 1.03},
        template="plotly_white",
        uirevision="keep",
    )
    return fig, lod


def _trade_traces(trades: list[TradeRecord], ccy: str) -> list[go.Scattergl]:
    groups: dict[str, dict[str, list]] = {
        key: {"x": [], "y": [], "text": []} for key in ("buy_in", "sell_in", "exit_win", "exit_loss")
    }
    levels: dict[str, dict[str, list]] = {"sl": {"x": [], "y": []}, "tp": {"x": [], "y": []}}
    end_ms = max((_ms(t.close_time) or 0.0 for t in trades), default=0.0)
    for t in trades:
        long = str(t.direction).lower() in ("buy", "long")
        side = "BUY" if long else "SELL"
        pnl = f"{fmt_num(t.net_profit)} {ccy}" + (" (open)" if t.is_open else "")
        base = (
            f"#{t.position_id} {side} {fmt_num(t.volume, 2)} lots\nentry {t.open_price:.10g}"
            f" @ {fmt_time(mt.to_epoch(t.open_time))}"
        )
        o_ms = _ms(t.open_time)
        g = groups["buy_in" if long else "sell_in"]
        g["x"].append(o_ms)
        g["y"].append(t.open_price)
        g["text"].append(esc(f"{base}\nP&L {pnl}").replace("\n", "<br>"))
        c_ms = _ms(t.close_time)
        if c_ms is not None and not t.is_open:
            g = groups["exit_win" if t.net_profit > 0 else "exit_loss"]
            g["x"].append(c_ms)
            g["y"].append(t.close_price)
            txt = (
                f"#{t.position_id} exit {side} {fmt_num(t.volume, 2)} lots\nexit {t.close_price:.10g}"
                f" @ {fmt_time(mt.to_epoch(t.close_time))} ({t.exit_reason})\nP&L {pnl}"
            )
            g["text"].append(esc(txt).replace("\n", "<br>"))
        for kind in ("sl", "tp"):
            level = getattr(t, kind, None)
            if level is None or not isinstance(level, (int, float)) or not math.isfinite(level) or level <= 0:
                continue
            x1 = c_ms if c_ms is not None else end_ms or o_ms
            levels[kind]["x"] += [o_ms, x1, None]
            levels[kind]["y"] += [level, level, None]
    style = {
        "buy_in": ("Buy entry", "triangle-up", "#1a7f37"),
        "sell_in": ("Sell entry", "triangle-down", "#cf222e"),
        "exit_win": ("Exit (win)", "x", "#1a7f37"),
        "exit_loss": ("Exit (loss / breakeven)", "x", "#cf222e"),
    }
    out = []
    for key, (name, symbol, color) in style.items():
        g = groups[key]
        if not g["x"]:
            continue
        out.append(
            go.Scattergl(
                x=g["x"],
                y=g["y"],
                text=g["text"],
                mode="markers",
                name=name,
                marker={"symbol": symbol, "size": 10, "color": color, "line": {"width": 1, "color": "#222"}},
                hovertemplate="%{text}<extra></extra>",
            )
        )
    for kind, color in (("sl", "#cf222e"), ("tp", "#1a7f37")):
        if levels[kind]["x"]:
            out.append(
                go.Scattergl(
                    x=levels[kind]["x"],
                    y=levels[kind]["y"],
                    mode="lines",
                    name=kind.upper(),
                    line={"color": color, "width": 1, "dash": "dash"},
                    hoverinfo="skip",
                )
            )
    return out


def _cumulative_pnl(trades: list[TradeRecord], times: np.ndarray) -> tuple[list[float], list[float]]:
    """Step series of the running sum of closed trades' net profit, from the first to the last bar."""
    closed = sorted(
        ((_ms(t.close_time), t.net_profit) for t in trades if not t.is_open and t.close_time is not None),
        key=lambda p: p[0],
    )
    xs: list[float] = []
    ys: list[float] = []
    if len(times):
        xs.append(float(times[0]) * 1000)
        ys.append(0.0)
    total = 0.0
    for x, p in closed:
        total += float(p)
        xs.append(x)
        ys.append(total)
    if len(times) and (not xs or xs[-1] < float(times[-1]) * 1000):
        xs.append(float(times[-1]) * 1000)
        ys.append(total)
    return xs, ys


def _clean(a: np.ndarray) -> list:
    arr = np.asarray(a, dtype=np.float64)
    return [None if not math.isfinite(v) else v for v in arr.tolist()]


def _lod_script(bars: np.ndarray | None, label: str, max_candles: int) -> str | None:
    if bars is None or not len(bars):
        return None
    data = {
        "t": (np.asarray(bars["time"], dtype=np.int64) * 1000).tolist(),
        "o": _clean(bars["open"]),
        "h": _clean(bars["high"]),
        "l": _clean(bars["low"]),
        "c": _clean(bars["close"]),
    }
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return (
        _LOD_JS.replace("__DATA__", payload)
        .replace("__MAX__", str(int(max(1, max_candles))))
        .replace("__LABEL__", json.dumps(esc(label)).replace("</", "<\\/"))
    )
