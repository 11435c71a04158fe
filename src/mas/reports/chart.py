"""The trade chart: candles with trades, volume, equity and cumulative P&L (offline HTML).

plotly.js is loaded from one shared file beside the pages (``plotly-<version>.min.js``), or inlined
once with ``self_contained=True``.

One figure per symbol of ``result.bars``, four panels on a shared time axis: candles (with
entry/exit markers, a dotted line from each closed trade's entry to its exit, green for a win and
red for a loss, and SL/TP segments from entry to exit when trades carry ``sl``/``tp``), tick
volume, account equity, and the cumulative net P&L of the symbol's closed trades.

Strategy series: the series of ``result.plots`` for the symbol (a Python strategy's ``MAS.plot``, a spec
strategy's indicators from :mod:`mas.reports.indicator_lines`) are lines over the candles, or in an
"indicators" panel below the volume (``panel="lower"``), aligned to the bars by time
(:func:`plotted_lines`). The page carries each once (float32), and the script draws it at each candle's
last bar, on load and on every zoom.

Gaps: weekends, holidays and other breaks in the bars (see :func:`time_gaps`) are cut out of the
time axis with plotly rangebreaks, so the candles run on without empty stretches (not when a trace
is drawn with WebGL, which rangebreaks do not support).

Markers at a year's zoom: when the visible range holds more entries and exits than one per 8 px,
they are grouped per time bucket of trading time (:mod:`mas.reports.trade_markers`): one marker per
bucket and kind, sized by its count, with a hover that sums the bucket up. The page opens grouped
(computed here), and the shared ``mas-trademarkers-<hash>.js`` beside the pages (inlined in a
self-contained page) re-buckets on every zoom, down to every trade with its own hover.

Level of detail: the candles shown never exceed ``max_candles`` (5,000) and the equity line never
exceeds ``2 * max_candles`` points. The page holds the full bars and equity curve (as base64
float64 arrays); the overview aggregates consecutive bars into OHLC buckets (first open, max high,
min low, last close) and thins the equity to each bucket's lowest and highest point, and a small
script redoes both for the visible range on every zoom or pan. So zooming in reaches single bars
and every equity point, while the browser never draws more than that cap: 100,000 bars stay
responsive, even with software rendering. Everything is SVG (no WebGL needed) except trade
markers above ``SVG_MAX_MARKERS`` points and cumulative P&L or SL/TP lines above ``SVG_MAX_POINTS``
points, which switch to WebGL (``Scattergl``).
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mas.i18n.errors import Text
from mas.reports import metrics as mt
from mas.reports._html import FigureWriter, decimate_minmax, esc, fmt_num, fmt_time, page, report_symbol
from mas.reports.output import (
    plotly_asset_name,
    report_file_name,
    safe_part,
    unique_path,
    write_plotly_asset,
    write_text_atomic,
)
from mas.reports.trade_markers import (
    KINDS,
    group_markers,
    grouped_size,
    markers_asset_name,
    markers_js,
    write_markers_asset,
)
from mas.results import BacktestResult, TradeRecord

MAX_CANDLES = 5_000
SVG_MAX_POINTS = 20_000  # a line with more points is drawn with WebGL
SVG_MAX_MARKERS = 2_000  # a marker trace with more points is drawn with WebGL
MARKER_BIG = 10  # size (px) of a trade's own entry / exit marker
MAX_BREAKS = 400  # the longest gaps between bars removed from the time axis


def _scatter(n_points: int, limit: int = SVG_MAX_POINTS, **kwargs: Any) -> go.Scatter | go.Scattergl:
    """An SVG scatter trace, or a WebGL one above ``limit`` points."""
    return (go.Scattergl if n_points > limit else go.Scatter)(**kwargs)


_LOD_JS = r"""
(function () {
  var gd = document.getElementById('{plot_id}');
  if (!gd || !window.Plotly) { return; }
  function f64(b64) {  // little-endian float64 array, base64: far faster to load than a literal
    var s = atob(b64), n = s.length, u = new Uint8Array(n);
    for (var i = 0; i < n; i++) { u[i] = s.charCodeAt(i); }
    return new Float64Array(u.buffer);
  }
  function f32(b64) {
    var s = atob(b64), n = s.length, u = new Uint8Array(n);
    for (var i = 0; i < n; i++) { u[i] = s.charCodeAt(i); }
    return new Float32Array(u.buffer);
  }
  function num(v) { return isFinite(v) ? v : null; }
  var RAW = __DATA__, MAX = __MAX__, LABEL = __LABEL__, busy = false, pending = null, lastKey = '';
  function secondsToMs(b64) {  // little-endian uint32 epoch seconds: half the size of float64 milliseconds
    var s = atob(b64), n = s.length, u = new Uint8Array(n);
    for (var i = 0; i < n; i++) { u[i] = s.charCodeAt(i); }
    var sec = new Uint32Array(u.buffer), out = new Float64Array(sec.length);
    for (var j = 0; j < sec.length; j++) { out[j] = sec[j] * 1000; }
    return out;
  }
  var C = RAW.candles ? {t: RAW.candles.ts ? secondsToMs(RAW.candles.ts) : f64(RAW.candles.t),
                         o: f64(RAW.candles.o), h: f64(RAW.candles.h),
                         l: f64(RAW.candles.l), c: f64(RAW.candles.c), trace: RAW.candles.trace} : null;
  var E = RAW.equity ? {t: RAW.equity.t === 'candles' ? C.t : f64(RAW.equity.t), v: f64(RAW.equity.v),
                        trace: RAW.equity.trace} : null;
  var L = C && RAW.lines ? RAW.lines.map(function (x) { return {v: f32(x.v), trace: x.trace}; }) : [];
  var V = C && RAW.volume ? {v: f32(RAW.volume.v), trace: RAW.volume.trace} : null;
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
  function span(t, a, b) {  // indices [i0, i1) of the points in [a, b], plus one either side
    if (a === undefined) { return [0, t.length]; }
    return [Math.max(0, lowerBound(t, a) - 1), Math.min(t.length, lowerBound(t, b) + 1)];
  }
  function aggregate(i0, i1) {  // at most MAX OHLC candles of consecutive bars
    var k = Math.max(1, Math.ceil((i1 - i0) / MAX));
    var t = [], o = [], h = [], l = [], c = [], v = [], last = [];
    for (var i = i0; i < i1; i += k) {
      var j = Math.min(i + k, i1), hi = -Infinity, lo = Infinity, vol = 0;
      for (var m = i; m < j; m++) {
        if (C.h[m] > hi) { hi = C.h[m]; }
        if (C.l[m] < lo) { lo = C.l[m]; }
        if (V) { vol += V.v[m]; }
      }
      t.push(day(C.t[i])); o.push(num(C.o[i])); h.push(num(hi)); l.push(num(lo)); c.push(num(C.c[j - 1]));
      v.push(vol); last.push(j - 1);
    }
    return {t: t, o: o, h: h, l: l, c: c, v: v, k: k, last: last};
  }
  function lineY(s, line) {  // a plotted series at each candle's last bar, as the candle's close
    return s.last.map(function (m) { return num(line.v[m]); });
  }
  function envelope(i0, i1) {  // at most 2 * MAX points: each bucket's lowest and highest, in time order
    var k = Math.max(1, Math.ceil((i1 - i0) / MAX)), x = [], y = [];
    for (var i = i0; i < i1; i += k) {
      var j = Math.min(i + k, i1), a = i, b = i;
      for (var m = i + 1; m < j; m++) {
        if (E.v[m] < E.v[a]) { a = m; }
        if (E.v[m] > E.v[b]) { b = m; }
      }
      var first = Math.min(a, b), second = Math.max(a, b);
      x.push(day(E.t[first])); y.push(num(E.v[first]));
      if (second !== first) { x.push(day(E.t[second])); y.push(num(E.v[second])); }
    }
    return {x: x, y: y, k: k};
  }
  function day(ms) {  // new x data resets the axis to auto type: epoch ms would make it linear, text stays a date
    return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
  }
  function priceRange(s, zoomed) {  // fit the price axis to the candles on screen (plotly keeps the full range)
    var key = 'yaxis' + (gd.data[C.trace].yaxis || 'y').slice(1), out = {}, lo = Infinity, hi = -Infinity;
    for (var i = 0; i < s.l.length; i++) {
      if (s.l[i] !== null && s.l[i] < lo) { lo = s.l[i]; }
      if (s.h[i] !== null && s.h[i] > hi) { hi = s.h[i]; }
    }
    if (!zoomed || !(hi >= lo)) { out[key + '.autorange'] = true; return out; }
    var pad = (hi - lo) * 0.05 || Math.abs(hi) * 1e-4 || 1e-4;
    out[key + '.range'] = [lo - pad, hi + pad];
    return out;
  }
  function show(r0, r1) {
    var a, b;
    if (r0 !== undefined && r1 !== undefined) {
      a = toMs(r0); b = toMs(r1);
      if (a > b) { var tmp = a; a = b; b = tmp; }
    }
    var cs = C ? span(C.t, a, b) : null, es = E ? span(E.t, a, b) : null;
    if ((cs && cs[1] <= cs[0]) || (es && es[1] <= es[0])) { return; }
    var key = String(cs) + '|' + String(es);
    if (key === lastKey) { return; }
    lastKey = key; busy = true;
    var done = Promise.resolve();
    if (C) {
      var s = aggregate(cs[0], cs[1]), name = LABEL + (s.k > 1 ? ' (1 candle = ' + s.k + ' bars)' : '');
      done = done.then(function () {
        return Plotly.restyle(gd, {x: [s.t], open: [s.o], high: [s.h], low: [s.l], close: [s.c], name: [name]},
                              [C.trace]);
      }).then(function () { return Plotly.relayout(gd, priceRange(s, a !== undefined)); });
      if (V) {
        done = done.then(function () { return Plotly.restyle(gd, {x: [s.t], y: [s.v]}, [V.trace]); });
      }
      if (L.length) {
        done = done.then(function () {
          return Plotly.restyle(gd, {x: L.map(function () { return s.t; }),
                                     y: L.map(function (x) { return lineY(s, x); })},
                                L.map(function (x) { return x.trace; }));
        });
      }
    }
    if (E) {
      var e = envelope(es[0], es[1]);
      done = done.then(function () { return Plotly.restyle(gd, {x: [e.x], y: [e.y]}, [E.trace]); });
    }
    done.then(finish, finish);
  }
  function finish() {  // a zoom that came in meanwhile is shown now
    busy = false;
    if (pending) { var p = pending; pending = null; show(p[0], p[1]); }
  }
  if (V || L.length) {  // the page carries the volume and plotted series once (float32, here): drawn on load
    var v0 = aggregate(0, C.t.length), keep = {}, xs = [], ys = [], ids = [];
    if (V) { xs.push(v0.t); ys.push(v0.v); ids.push(V.trace); }
    L.forEach(function (x) { xs.push(v0.t); ys.push(lineY(v0, x)); ids.push(x.trace); });
    // new x data makes plotly re-detect the (shared) x axes' type from the first trace, the candles, whose
    // overview x is epoch ms: it would turn them linear and drop the rangebreaks, so the type is kept
    Object.keys(gd._fullLayout || {}).forEach(function (k) {
      if (/^xaxis\d*$/.test(k)) { keep[k + '.type'] = 'date'; }
    });
    Plotly.update(gd, {x: xs, y: ys}, keep, ids);
  }
  gd.on('plotly_relayout', function (ev) {
    if (!ev) { return; }
    var r0, r1, reset = false;
    Object.keys(ev).forEach(function (key) {
      var m = key.match(/^xaxis\d*\.(range\[0\]|range\[1\]|range|autorange)$/);
      if (!m) { return; }
      if (m[1] === 'range[0]') { r0 = ev[key]; }
      else if (m[1] === 'range[1]') { r1 = ev[key]; }
      else if (m[1] === 'range') { r0 = ev[key][0]; r1 = ev[key][1]; }
      else if (ev[key]) { reset = true; }
    });
    var view = r0 !== undefined && r1 !== undefined ? [r0, r1] : (reset ? [undefined, undefined] : null);
    if (!view) { return; }  // e.g. our own fit of the price axis
    if (busy) { pending = view; return; }
    show(view[0], view[1]);
  });
})();
"""


def write_trade_chart(
    result: BacktestResult, report_dir: Path, strategy_name: str, max_candles: int = MAX_CANDLES, *,
    self_contained: bool = False,
) -> Path:
    """Write the interactive trade chart of ``result`` under ``report_dir`` and return its path.

    The page loads plotly.js from the folder's shared ``plotly-<version>.min.js`` (written there if
    missing), or carries it inline with ``self_contained``. Raises ``ValueError`` if ``result`` is
    None or has neither bars nor an equity curve.
    """
    src = None if self_contained else plotly_asset_name()
    html = render_trade_chart_html(result, strategy_name, max_candles=max_candles, plotly_src=src,
                                   markers_src=None if self_contained else markers_asset_name())
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    if src is not None:
        write_plotly_asset(report_dir)
        write_markers_asset(report_dir)
    name = report_file_name("chart", report_symbol(result), strategy_name)
    return write_text_atomic(unique_path(report_dir / name), html)


def render_trade_chart_html(result: BacktestResult, strategy_name: str, max_candles: int = MAX_CANDLES,
                            plotly_src: str | None = None, markers_src: str | None = None) -> str:
    """The trade chart as one HTML string (one figure per symbol); plotly.js inline, or from
    ``plotly_src`` (a relative URL); the marker script (:mod:`mas.reports.trade_markers`) inline, or from
    ``markers_src``."""
    if result is None:
        raise ValueError(Text("chart_no_result"))
    times, equity = mt.equity_arrays(result)
    bars = {s: b for s, b in (result.bars or {}).items() if b is not None and len(b)}
    if len(times) == 0 and not bars:
        raise ValueError(Text("chart_nothing_to_draw"))
    figs = FigureWriter(plotly_src)
    symbols: list[str | None] = sorted(bars) if bars else sorted({t.symbol for t in result.trades}) or [None]
    timeframe = str((result.settings or {}).get("timeframe", "") or "")
    sections = []
    for i, sym in enumerate(symbols):
        sym_bars = bars.get(sym) if sym is not None else None
        trades = [t for t in result.trades if sym is None or t.symbol == sym]
        lines = plotted_lines(result, sym, sym_bars)
        fig, traces = _symbol_figure(sym, sym_bars, trades, times, equity, result.currency, timeframe, max_candles,
                                     lines)
        div_id = f"chart-{safe_part(sym or 'account')}-{i}"
        post = _lod_script(
            sym_bars if traces["candles"] is not None else None,
            f"{sym} {timeframe}".strip(),
            max_candles,
            candle_trace=traces["candles"],
            equity_times=times if traces["equity"] is not None else None,
            equity=equity,
            equity_trace=traces["equity"],
            volume_trace=traces["volume"],
            lines=[(trace, lines[name][1]) for name, trace in traces["lines"].items()],
        )
        if traces["markers"] is not None:  # the marker script groups and ungroups the markers on every zoom
            config = json.dumps(traces["markers"], separators=(",", ":")).replace("</", "<\\/")
            post = (post or "") + (f"\nif (window.MASMarkers) {{ MASMarkers.bindReport("
                                   f"document.getElementById('{{plot_id}}'), {config}); }}")
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
    marker_js = (f'<script src="{esc(markers_src)}"></script>' if markers_src is not None
                 else "<script>" + markers_js().replace("</", "<\\/") + "</script>")
    sections.insert(0, marker_js)
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


def plotted_lines(result: BacktestResult, symbol: str | None,
                  bars: np.ndarray | None) -> dict[str, tuple[str, np.ndarray]]:
    """The series the strategy plotted on ``symbol``'s chart (``MAS.plot``), each as ``(panel, values)`` with
    one value per bar of ``bars`` (NaN where it plotted none): ``{name: (panel, values)}``, in plot order.
    Values at times that are not a bar of ``bars`` are left out; nothing without bars."""
    series = (getattr(result, "plots", None) or {}).get(symbol) if symbol is not None else None
    if not series or bars is None or not len(bars):
        return {}
    bar_times = np.asarray(bars["time"], dtype=np.int64)
    out: dict[str, tuple[str, np.ndarray]] = {}
    for name, plotted in series.items():
        values = np.full(len(bar_times), np.nan)
        times = np.asarray(plotted.times, dtype=np.int64)
        idx = np.minimum(np.searchsorted(bar_times, times), len(bar_times) - 1)
        hit = bar_times[idx] == times
        values[idx[hit]] = np.asarray(plotted.values, dtype=np.float64)[hit]
        out[name] = (plotted.panel, values)
    return out


def _volume(bars: np.ndarray) -> np.ndarray:
    """The bars' tick volume (real volume when there is no tick volume), as float64."""
    names = bars.dtype.names or ()
    for field in ("tick_volume", "real_volume"):
        if field in names and np.any(bars[field]):
            return np.asarray(bars[field], dtype=np.float64)
    return np.zeros(len(bars))


def time_gaps(times: np.ndarray, max_breaks: int = MAX_BREAKS) -> list[tuple[int, int]]:
    """Gaps in the bars (weekends, holidays, missing sessions) to cut out of the time axis, as
    ``(start, end)`` epoch ms: from one bar's end (its open + the usual bar step, the median step) to the
    next bar's open, wherever that is more than 3 steps and more than an hour. At most ``max_breaks`` (the
    longest), in time order."""
    t = np.asarray(times, dtype=np.int64)
    if len(t) < 3:
        return []
    d = np.diff(t)
    step = int(np.median(d))
    idx = np.flatnonzero((d > 3 * step) & (d > 3600))
    if len(idx) > max_breaks:
        idx = np.sort(idx[np.argsort(d[idx], kind="stable")[::-1][:max_breaks]])
    return [(int(t[i] + step) * 1000, int(t[i + 1]) * 1000) for i in idx]


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
    lines: dict[str, tuple[str, np.ndarray]] | None = None,
) -> tuple[go.Figure, dict[str, Any]]:
    """The figure and the indices of its candlestick, volume and equity traces (None when absent), of its
    marker traces (``"markers"``, a list) and of the plotted series' lines (``"lines"``, by name)."""
    has_volume = bars is not None and len(bars) > 0 and bool(np.any(_volume(bars)))
    v = int(has_volume)  # the volume panel (row 2) is left out when the bars carry no volume
    lines = lines or {}
    lw = int(any(panel == "lower" for panel, _ in lines.values()))  # a panel for plotted oscillators
    heights = [0.5, *([0.1] * v), *([0.16] * lw), 0.2, 0.2]
    fig = make_subplots(
        rows=3 + v + lw,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.03,
        row_heights=[h / sum(heights) for h in heights],
        subplot_titles=("", *([""] * (v + lw)), f"Equity ({esc(ccy)})",
                        f"Cumulative P&L of closed trades ({esc(ccy)})"),
    )
    traces: dict[str, Any] = {"candles": None, "equity": None, "volume": None, "markers": [], "lines": {}}
    if bars is not None and len(bars):
        agg, k = aggregate_bars(bars, max_candles)
        label = esc(f"{sym} {timeframe}".strip())
        fig.add_trace(
            go.Candlestick(
                x=agg["time"].astype(np.int64) * 1000.0,  # float64: carried as binary, not digits
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
        traces["candles"] = 0
    if has_volume:
        traces["volume"] = len(fig.data)
        fig.add_trace(
            # filled by the level-of-detail script from the bars it carries (not twice in the page)
            go.Bar(x=[], y=[], name="Tick volume",
                   marker={"color": "#9aa5b1", "line": {"width": 0}}, hovertemplate="%{y:,.0f}<extra>volume</extra>",
                   showlegend=False),
            2,
            1,
        )
    palette = ("#ff9800", "#2962ff", "#9c27b0", "#00897b", "#795548", "#e91e63")
    for n, (name, (panel, _)) in enumerate(lines.items()):
        traces["lines"][name] = len(fig.data)
        fig.add_trace(  # filled by the level-of-detail script, at each candle's last bar
            go.Scatter(x=[], y=[], mode="lines", name=esc(name), connectgaps=False,
                       line={"color": palette[n % len(palette)], "width": 1.3},
                       hovertemplate="%{y:.7~g}<extra>" + esc(name) + "</extra>"),
            1 if panel == "price" else 2 + v,
            1,
        )
    cx, cy = _cumulative_pnl(trades, times)
    trade_traces = _trade_traces(trades, ccy)
    # WebGL traces do not follow rangebreaks: with them the gaps stay on the axis (and in the marker buckets)
    gl = len(cx) > SVG_MAX_POINTS or any(isinstance(t, go.Scattergl) for t in trade_traces)
    gaps = time_gaps(bars["time"]) if bars is not None and len(bars) and not gl else []
    traces["markers"] = _add_marker_traces(fig, trade_traces, trades, bars, times, gaps, ccy)
    for trace in trade_traces:
        if trace.mode != "markers":
            fig.add_trace(trace, 1, 1)
    if len(times):
        shown = decimate_minmax(equity, 2 * max(1, max_candles))
        traces["equity"] = len(fig.data)
        fig.add_trace(
            go.Scatter(
                x=times[shown].astype(np.int64) * 1000.0,
                y=equity[shown],
                mode="lines",
                name="Equity",
                line={"color": "#1f77b4", "width": 1.2},
            ),
            2 + v + lw,
            1,
        )
    fig.add_trace(
        _scatter(
            len(cx),
            x=cx,
            y=cy,
            mode="lines",
            name="Cumulative P&L",
            line={"color": "#6f42c1", "width": 1.2, "shape": "hv"},
        ),
        3 + v + lw,
        1,
    )
    fig.update_xaxes(type="date")
    if gaps:
        fig.update_xaxes(rangebreaks=[{"bounds": [a, b]} for a, b in gaps])
    fig.update_xaxes(rangeslider={"visible": False}, row=1, col=1)
    fig.update_yaxes(title_text="price", row=1, col=1)
    if has_volume:
        fig.update_yaxes(title_text="volume", row=2, col=1)
    if lw:
        fig.update_yaxes(title_text="indicators", row=2 + v, col=1)
    fig.update_layout(
        height=820,
        margin={"l": 60, "r": 20, "t": 64, "b": 30},
        hovermode="closest",
        dragmode="zoom",
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},  # below the mode bar
        template="plotly_white",
        uirevision="keep",
    )
    return fig, traces


_MARKER_STYLE = (  # per kind of trade_markers.KINDS: legend name, marker symbol, colour
    ("Buy entry", "triangle-up", "#1a7f37"),
    ("Sell entry", "triangle-down", "#cf222e"),
    ("Exit (win)", "x", "#1a7f37"),
    ("Exit (loss / breakeven)", "x", "#cf222e"),
)


def _add_marker_traces(fig: go.Figure, trade_traces: list[Any], trades: list[TradeRecord], bars: np.ndarray | None,
                       times: np.ndarray, gaps: list[tuple[int, int]], ccy: str) -> dict[str, Any] | None:
    """Add the one-by-one marker traces of ``trade_traces`` and, after them, one grouped trace per kind (filled
    with the page's opening view, grouped when too many markers are in it); the marker script's settings
    (trace indices per kind, -1 for none), or None without trades."""
    markers = [t for t in trade_traces if t.mode == "markers"]
    if not markers:
        return None
    t, kind, price, pnl = _marker_events(trades)
    if not len(t):
        for trace in markers:
            fig.add_trace(trace, 1, 1)
        return None
    ends = [float(t.min()), float(t.max())]
    if bars is not None and len(bars):
        ends += [float(bars["time"][0]) * 1000.0, float(bars["time"][-1]) * 1000.0]
    elif len(times):
        ends += [float(times[0]) * 1000.0, float(times[-1]) * 1000.0]
    grouped = group_markers(t, kind, price, pnl, min(ends), max(ends), gaps)
    single, group = [-1] * len(KINDS), [-1] * len(KINDS)
    for trace in markers:
        k = [name for name, _, _ in _MARKER_STYLE].index(trace.name)
        single[k] = len(fig.data)
        trace.visible = grouped is None
        fig.add_trace(trace, 1, 1)
    for k, (name, symbol, color) in enumerate(_MARKER_STYLE):
        if single[k] < 0:
            continue
        group[k] = len(fig.data)
        counts = grouped.count[k] if grouped else []
        fig.add_trace(go.Scatter(
            x=grouped.x[k] if grouped else [], y=grouped.y[k] if grouped else [], mode="markers", name=name,
            visible=grouped is not None, customdata=counts, hovertext=grouped.hover(k, esc(ccy)) if grouped else [],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": symbol, "color": color, "size": [grouped_size(c) for c in counts], "opacity": 0.85,
                    "line": {"width": 1, "color": "#222"}}), 1, 1)
    return {"single": single, "grouped": group, "gaps": [[a, b] for a, b in gaps], "ccy": esc(ccy),
            "opened": "grouped" if grouped else "single", "t": _b64_f64(t),
            "kind": base64.b64encode(np.ascontiguousarray(kind, dtype=np.uint8).tobytes()).decode("ascii"),
            "price": _b64_f64(price), "pnl": _b64_f64(pnl)}


def _marker_events(trades: list[TradeRecord]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every entry and exit marker of ``trades`` as arrays: time (epoch ms), kind (trade_markers.KINDS), price and
    the trade's net P&L; the same markers as the one-by-one traces of :func:`_trade_traces`."""
    rows: list[tuple[float, int, float, float]] = []
    for tr in trades:
        o_ms = _ms(tr.open_time)
        if o_ms is not None:
            long = str(tr.direction).lower() in ("buy", "long")
            rows.append((o_ms, 0 if long else 1, float(tr.open_price), float(tr.net_profit)))
        c_ms = _ms(tr.close_time)
        if c_ms is not None and not tr.is_open:
            rows.append((c_ms, 2 if tr.net_profit > 0 else 3, float(tr.close_price), float(tr.net_profit)))
    if not rows:
        return np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    t, kind, price, pnl = (np.array(col) for col in zip(*rows, strict=True))
    return t.astype(np.float64), kind.astype(np.int64), price.astype(np.float64), pnl.astype(np.float64)


def _trade_traces(trades: list[TradeRecord], ccy: str) -> list[go.Scatter | go.Scattergl]:
    """Entry and exit markers (one per trade), entry-to-exit lines of the closed trades (won / lost), SL/TP."""
    groups: dict[str, dict[str, list]] = {
        key: {"x": [], "y": [], "text": []} for key in ("buy_in", "sell_in", "exit_win", "exit_loss")
    }
    paths: dict[str, dict[str, list]] = {"win": {"x": [], "y": []}, "loss": {"x": [], "y": []}}
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
            path = paths["win" if t.net_profit > 0 else "loss"]
            path["x"] += [o_ms, c_ms, None]
            path["y"] += [t.open_price, t.close_price, None]
        for kind in ("sl", "tp"):
            level = getattr(t, kind, None)
            if level is None or not isinstance(level, (int, float)) or not math.isfinite(level) or level <= 0:
                continue
            x1 = c_ms if c_ms is not None else end_ms or o_ms
            levels[kind]["x"] += [o_ms, x1, None]
            levels[kind]["y"] += [level, level, None]
    style = dict(zip(("buy_in", "sell_in", "exit_win", "exit_loss"), _MARKER_STYLE, strict=True))
    out = []
    for key, (name, symbol, color) in style.items():
        g = groups[key]
        if not g["x"]:
            continue
        out.append(
            _scatter(
                len(g["x"]),
                SVG_MAX_MARKERS,
                x=g["x"],
                y=g["y"],
                text=g["text"],
                mode="markers",
                name=name,
                marker={"symbol": symbol, "size": MARKER_BIG, "color": color, "line": {"width": 1, "color": "#222"}},
                hovertemplate="%{text}<extra></extra>",
            )
        )
    for kind, name, color in (("win", "Trade line (win)", "#1a7f37"), ("loss", "Trade line (loss)", "#cf222e")):
        if paths[kind]["x"]:
            out.append(_scatter(len(paths[kind]["x"]), x=paths[kind]["x"], y=paths[kind]["y"], mode="lines", name=name,
                                line={"color": color, "width": 1.2, "dash": "dot"}, hoverinfo="skip"))
    for kind, color in (("sl", "#cf222e"), ("tp", "#1a7f37")):
        if levels[kind]["x"]:
            out.append(
                _scatter(
                    len(levels[kind]["x"]),
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


def _times(seconds: np.ndarray) -> dict[str, str]:
    """Bar times for the script: ``{"ts": uint32 epoch seconds}`` (base64), or ``{"t": float64 epoch ms}`` for
    times outside uint32's range."""
    if len(seconds) and 0 <= int(seconds.min()) and int(seconds.max()) < 2**32:
        return {"ts": base64.b64encode(np.ascontiguousarray(seconds, dtype="<u4").tobytes()).decode("ascii")}
    return {"t": _b64_f64(seconds * 1000.0)}


def _b64_f64(a: np.ndarray) -> str:
    """``a`` as little-endian float64 bytes in base64 (NaN stays NaN; the script maps it to a gap)."""
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def _lod_script(
    bars: np.ndarray | None,
    label: str,
    max_candles: int,
    candle_trace: int | None = 0,
    equity_times: np.ndarray | None = None,
    equity: np.ndarray | None = None,
    equity_trace: int | None = None,
    volume_trace: int | None = None,
    lines: list[tuple[int, np.ndarray]] | None = None,
) -> str | None:
    """The level-of-detail script for one figure (``{plot_id}`` is filled in by plotly).

    ``bars`` (with ``candle_trace``) and/or the equity curve (with ``equity_trace``) are embedded
    in full; with ``volume_trace`` the bars' tick volume (float32) is summed per candle too, and
    drawn on load (the figure's volume trace starts empty); ``lines`` (trace index, one value per bar) are the plotted
    series (float32), drawn on load and on every zoom at each candle's last bar. None when there is nothing
    to redo.
    """
    data: dict[str, Any] = {"candles": None, "equity": None}
    if bars is not None and len(bars) and candle_trace is not None:
        data["candles"] = {
            **_times(np.asarray(bars["time"], dtype=np.int64)),
            "o": _b64_f64(bars["open"]),
            "h": _b64_f64(bars["high"]),
            "l": _b64_f64(bars["low"]),
            "c": _b64_f64(bars["close"]),
            "trace": int(candle_trace),
        }
        if volume_trace is not None:
            v32 = np.ascontiguousarray(_volume(bars), dtype="<f4").tobytes()
            data["volume"] = {"v": base64.b64encode(v32).decode("ascii"), "trace": int(volume_trace)}
        if lines:
            data["lines"] = [{"v": base64.b64encode(np.ascontiguousarray(v, dtype="<f4").tobytes()).decode("ascii"),
                              "trace": int(trace)} for trace, v in lines]
    if equity_times is not None and equity is not None and len(equity_times) and equity_trace is not None:
        # equity_arrays sorted the times; more points than the cap need thinning on zoom
        if data["candles"] is not None or len(equity_times) > 2 * max(1, max_candles):
            same = data["candles"] is not None and np.array_equal(np.asarray(equity_times, dtype=np.int64),
                                                                  np.asarray(bars["time"], dtype=np.int64))
            data["equity"] = {  # the same times as the candles' are not carried twice
                "t": "candles" if same else _b64_f64(np.asarray(equity_times, dtype=np.int64) * 1000.0),
                "v": _b64_f64(equity),
                "trace": int(equity_trace),
            }
    if data["candles"] is None and data["equity"] is None:
        return None
    payload = json.dumps(data, separators=(",", ":"))  # base64, numbers and keys only: nothing to escape
    return (
        _LOD_JS.replace("__DATA__", payload)
        .replace("__MAX__", str(int(max(1, max_candles))))
        .replace("__LABEL__", json.dumps(esc(label)).replace("</", "<\\/"))
    )
