"""The trade chart: candles with trades, volume, equity and cumulative P&L (offline HTML).

plotly.js is loaded from one shared file beside the pages (``plotly-<version>.min.js``), with the shared
scripts ``mas-report-<hash>.js`` (:mod:`mas.reports.assets_js`) and ``mas-trademarkers-<hash>.js``; with
``self_contained=True`` all three are inlined instead.

One figure per symbol of ``result.bars``, four panels on a shared time axis: candles (with
entry/exit markers, a dotted line from each closed trade's entry to its exit, green for a win and
red for a loss, and SL/TP segments from entry to exit when trades carry ``sl``/``tp``), tick
volume, account equity, and the cumulative net P&L of the symbol's closed trades.

Size: the page carries every series once, as packed columns (:mod:`mas.reports.packing`): bar times as
runs of steps, prices as exact integers of points, volume as integers, equity in cents, the trades as
columns (:func:`trade_columns`). The figure's traces start empty; on load the page's script draws the
candles, volume, plotted series and equity from them, and builds the trade markers with their hovers, the
entry-to-exit lines, SL/TP and the cumulative P&L (``MASReport.trades``), as this module used to draw them
itself. A year of H1 with 1,500 trades is about 250 kB besides the shared files.

Strategy series: the series of ``result.plots`` for the symbol (a Python strategy's ``MAS.plot``, a spec
strategy's indicators from :mod:`mas.reports.indicator_lines`) are lines over the candles, or in an
"indicators" panel below the volume (``panel="lower"``), aligned to the bars by time
(:func:`plotted_lines`). The page carries each once (float32), and the script draws it at each candle's
last bar, on load and on every zoom.

Gaps: weekends, holidays and other breaks in the bars (see :func:`time_gaps`) are cut out of the
time axis with plotly rangebreaks, so the candles run on without empty stretches. Every trace is SVG:
trade markers and lines never switch to WebGL (which rangebreaks do not support), whatever the count.

Markers at a year's zoom: when the visible range holds more entries and exits than one per 8 px,
they are grouped per time bucket of trading time (:mod:`mas.reports.trade_markers`): one marker per
bucket and kind, sized by its count, with a hover that sums the bucket up. The shared marker script groups
the opening view on load and re-buckets on every zoom, down to every trade with its own hover.

Level of detail: the candles shown never exceed ``max_candles`` (5,000) and the equity line never
exceeds ``2 * max_candles`` points. The page holds the full bars and equity curve; the overview aggregates
consecutive bars into OHLC buckets (first open, max high, min low, last close) and thins the equity to each
bucket's lowest and highest point, and a small script redoes both for the visible range on every zoom or
pan. So zooming in reaches single bars and every equity point, while the browser never draws more than
that cap: 100,000 bars stay responsive, even with software rendering.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mas.i18n.errors import Text
from mas.reports import metrics as mt
from mas.reports._html import FigureWriter, esc, fmt_num, fmt_time, page, report_symbol
from mas.reports.assets_js import report_asset_name, report_js, script_tag, write_report_asset
from mas.reports.output import (
    plotly_asset_name,
    report_file_name,
    safe_part,
    unique_path,
    write_plotly_asset,
    write_text_atomic,
)
from mas.reports.packing import dumps, pack
from mas.reports.trade_markers import markers_asset_name, markers_js, write_markers_asset
from mas.results import BacktestResult, TradeRecord

MAX_CANDLES = 5_000
MARKER_BIG = 10  # size (px) of a trade's own entry / exit marker
MAX_BREAKS = 400  # the longest gaps between bars removed from the time axis


_LOD_JS = r"""
(function () {
  var gd = document.getElementById('{plot_id}');
  if (!gd || !window.Plotly) { return; }
  var col = MASReport.col;
  function num(v) { return isFinite(v) ? v : null; }
  function ms(p) {  // packed epoch seconds as epoch ms
    var a = col(p);
    for (var i = 0; i < a.length; i++) { a[i] *= 1000; }
    return a;
  }
  var RAW = __DATA__, MAX = __MAX__, LABEL = __LABEL__, busy = false, pending = null, lastKey = '';
  var C = RAW.candles ? {t: ms(RAW.candles.t), o: col(RAW.candles.o), h: col(RAW.candles.h), l: col(RAW.candles.l),
                         c: col(RAW.candles.c), trace: RAW.candles.trace} : null;
  var E = RAW.equity ? {t: RAW.equity.t === 'candles' ? C.t : ms(RAW.equity.t), v: col(RAW.equity.v),
                        trace: RAW.equity.trace} : null;
  var L = C && RAW.lines ? RAW.lines.map(function (x) { return {v: col(x.v), trace: x.trace}; }) : [];
  var V = C && RAW.volume ? {v: col(RAW.volume.v), trace: RAW.volume.trace} : null;
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
  // on load: the page carries every series once (packed), drawn here: the candles (with volume and plotted series),
  // the equity, and the trades (MASReport.trades), then the markers grouped for the view (MASMarkers)
  var first = {x: [], y: [], open: [], high: [], low: [], close: [], name: [], text: []}, ids = [], keep = {};
  function put(trace, attrs) {
    ids.push(trace);
    Object.keys(first).forEach(function (k) { first[k].push(attrs[k]); });
  }
  if (C) {
    var s0 = aggregate(0, C.t.length);
    put(C.trace, {x: s0.t, open: s0.o, high: s0.h, low: s0.l, close: s0.c,
                  name: LABEL + (s0.k > 1 ? ' (1 candle = ' + s0.k + ' bars)' : '')});
    if (V) { put(V.trace, {x: s0.t, y: s0.v}); }
    L.forEach(function (x) { put(x.trace, {x: s0.t, y: lineY(s0, x)}); });
  }
  if (E) { var e0 = envelope(0, E.t.length); put(E.trace, {x: e0.x, y: e0.y}); }
  var built = RAW.trades ? MASReport.trades(RAW.trades) : null;
  if (built) { built.ids.forEach(function (id, j) { put(id, {x: built.x[j], y: built.y[j], text: built.text[j]}); }); }
  // new x data makes plotly re-detect the (shared) x axes' type: kept as dates (the rangebreaks need them)
  Object.keys(gd._fullLayout || {}).forEach(function (k) {
    if (/^xaxis\d*$/.test(k)) { keep[k + '.type'] = 'date'; }
  });
  Plotly.update(gd, first, keep, ids).then(function () {
    if (built && window.MASMarkers) {
      var m = RAW.trades;
      MASMarkers.bindReport(gd, {single: m.single, grouped: m.grouped, gaps: m.gaps, ccy: m.ccy, events: built.events,
                                 open: true});
    }
  });
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
                                   markers_src=None if self_contained else markers_asset_name(),
                                   report_src=None if self_contained else report_asset_name())
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    if src is not None:
        write_plotly_asset(report_dir)
        write_markers_asset(report_dir)
        write_report_asset(report_dir)
    name = report_file_name("chart", report_symbol(result), strategy_name)
    return write_text_atomic(unique_path(report_dir / name), html)


def render_trade_chart_html(result: BacktestResult, strategy_name: str, max_candles: int = MAX_CANDLES,
                            plotly_src: str | None = None, markers_src: str | None = None,
                            report_src: str | None = None) -> str:
    """The trade chart as one HTML string (one figure per symbol); plotly.js inline, or from
    ``plotly_src`` (a relative URL); the marker script (:mod:`mas.reports.trade_markers`) inline, or from
    ``markers_src``; the shared report script (:mod:`mas.reports.assets_js`) inline, or from ``report_src``."""
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
        markers = traces["markers"]
        if markers is not None:
            markers = {**markers, "cols": trade_columns(trades), "n": len(trades), "cum": traces["cumulative"],
                       "span": [float(times[0]) * 1000.0, float(times[-1]) * 1000.0] if len(times) else None}
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
            trades=markers,
        )
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
    sections.insert(0, script_tag(report_src, report_js()) + script_tag(markers_src, markers_js()))
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
        k = max(1, math.ceil(len(bars) / max(1, max_candles)))
        label = esc(f"{sym} {timeframe}".strip())
        fig.add_trace(
            go.Candlestick(  # filled by the level-of-detail script from the bars it carries once
                x=[],
                open=[],
                high=[],
                low=[],
                close=[],
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
    gaps = time_gaps(bars["time"]) if bars is not None and len(bars) else []
    traces["markers"] = _add_trade_traces(fig, trades, gaps, ccy)
    if len(times):
        traces["equity"] = len(fig.data)
        fig.add_trace(  # filled by the level-of-detail script (the page carries the curve once)
            go.Scatter(x=[], y=[], mode="lines", name="Equity", line={"color": "#1f77b4", "width": 1.2}),
            2 + v + lw,
            1,
        )
    traces["cumulative"] = len(fig.data)
    fig.add_trace(  # filled from the trades by the page's script
        go.Scatter(x=[], y=[], mode="lines", name="Cumulative P&L",
                   line={"color": "#6f42c1", "width": 1.2, "shape": "hv"}),
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


def _valid_level(level: Any) -> bool:
    return isinstance(level, (int, float)) and math.isfinite(level) and level > 0


def _add_trade_traces(fig: go.Figure, trades: list[TradeRecord], gaps: list[tuple[int, int]],
                      ccy: str) -> dict[str, Any] | None:
    """Add the trade traces, empty (the page's script fills them from the trade columns, :func:`trade_columns`):
    the one-by-one entry and exit markers of each kind present, one grouped trace per kind after them, the
    entry-to-exit lines (won / lost) and the SL / TP segments; their indices and the marker settings, or None
    without trades. Every trace is SVG (never WebGL), so the gaps stay cut out of the time axis."""
    if not trades:
        return None
    present = [False] * 4
    won = lost = sl = tp = False
    for t in trades:
        long = str(t.direction).lower() in ("buy", "long")
        present[0 if long else 1] = True
        if _ms(t.close_time) is not None and not t.is_open:
            present[2 if t.net_profit > 0 else 3] = True
            won, lost = won or t.net_profit > 0, lost or t.net_profit <= 0
        sl, tp = sl or _valid_level(getattr(t, "sl", None)), tp or _valid_level(getattr(t, "tp", None))
    single, group = [-1] * 4, [-1] * 4
    for k, (name, symbol, color) in enumerate(_MARKER_STYLE):
        if present[k]:
            single[k] = len(fig.data)
            fig.add_trace(go.Scatter(x=[], y=[], text=[], mode="markers", name=name,
                                     hovertemplate="%{text}<extra></extra>",
                                     marker={"symbol": symbol, "size": MARKER_BIG, "color": color,
                                             "line": {"width": 1, "color": "#222"}}), 1, 1)
    for k, (name, symbol, color) in enumerate(_MARKER_STYLE):
        if present[k]:
            group[k] = len(fig.data)
            fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name=name, visible=False, customdata=[], hovertext=[],
                                     hovertemplate="%{hovertext}<extra></extra>",
                                     marker={"symbol": symbol, "color": color, "size": [], "opacity": 0.85,
                                             "line": {"width": 1, "color": "#222"}}), 1, 1)
    paths = [-1, -1]
    for j, (has, name, color) in enumerate(((won, "Trade line (win)", "#1a7f37"),
                                            (lost, "Trade line (loss)", "#cf222e"))):
        if has:
            paths[j] = len(fig.data)
            fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name, hoverinfo="skip",
                                     line={"color": color, "width": 1.2, "dash": "dot"}), 1, 1)
    levels = [-1, -1]
    for j, (has, name, color) in enumerate(((sl, "SL", "#cf222e"), (tp, "TP", "#1a7f37"))):
        if has:
            levels[j] = len(fig.data)
            fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name, hoverinfo="skip",
                                     line={"color": color, "width": 1, "dash": "dash"}), 1, 1)
    return {"single": single, "grouped": group, "paths": paths, "levels": levels,
            "gaps": [[a, b] for a, b in gaps], "ccy": esc(ccy), "currency": "" if ccy is None else str(ccy)}


def _shown_digits(texts: list[str]) -> list[float]:
    """``fmt_num`` texts as the integers of their digits (``"1,234.50"`` -> 123450; ``"-"`` -> NaN)."""
    return [math.nan if t == "-" else float(t.replace(",", "").replace(".", "")) for t in texts]


def trade_columns(trades: list[TradeRecord]) -> dict[str, Any]:
    """The trades of one figure as packed columns (:mod:`mas.reports.packing`), from which ``MASReport.trades``
    builds the markers, their hovers, the entry-to-exit lines, SL / TP and the cumulative P&L: position id, side,
    open flag, open / close time (epoch s, NaN for none), prices (exact), SL / TP (NaN for none), net P&L (exact,
    and the cents shown), volume (the hundredths shown) and the exit reason."""
    def secs(value: Any) -> float:
        e = mt.to_epoch(value)
        return math.nan if e is None else float(e)

    reasons = [str(t.exit_reason) for t in trades]
    words = sorted(set(reasons))
    index = {w: float(i) for i, w in enumerate(words)}
    return {
        "pid": pack([float(t.position_id) for t in trades]),
        "long": pack([1.0 if str(t.direction).lower() in ("buy", "long") else 0.0 for t in trades]),
        "is_open": pack([1.0 if t.is_open else 0.0 for t in trades]),
        "open": pack([secs(t.open_time) for t in trades]),
        "close": pack([secs(t.close_time) for t in trades]),
        "op": pack([float(t.open_price) for t in trades]),
        "cp": pack([float(t.close_price) for t in trades]),
        "sl": pack([float(t.sl) if _valid_level(getattr(t, "sl", None)) else math.nan for t in trades]),
        "tp": pack([float(t.tp) if _valid_level(getattr(t, "tp", None)) else math.nan for t in trades]),
        "net": pack([float(t.net_profit) for t in trades]),
        "netq": pack(_shown_digits([fmt_num(t.net_profit) for t in trades])),
        "volq": pack(_shown_digits([fmt_num(t.volume, 2) for t in trades])),
        "reason": {"f": "text", "dict": words, "i": pack([index[r] for r in reasons])},
    }


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
    trades: dict[str, Any] | None = None,
) -> str:
    """The script of one figure (``{plot_id}`` is filled in by plotly; it needs ``MASReport`` and, with trades,
    ``MASMarkers``): it draws the figure's data on load and redoes the level of detail on every zoom.

    The page carries each series once, packed (:mod:`mas.reports.packing`): ``bars`` (with ``candle_trace``; times
    in seconds, prices exact), their tick volume (with ``volume_trace``, summed per candle), the plotted series
    ``lines`` (trace index, one value per bar; float32, drawn at each candle's last bar), the equity curve (with
    ``equity_trace``; cents, its times the bars' when they are the same) and ``trades`` (the settings of
    ``MASReport.trades``: trace indices and :func:`trade_columns`).
    """
    data: dict[str, Any] = {"candles": None, "equity": None}
    if bars is not None and len(bars) and candle_trace is not None:
        data["candles"] = {
            "t": pack(np.asarray(bars["time"], dtype=np.float64)),
            **{f[0]: pack(np.asarray(bars[f], dtype=np.float64)) for f in ("open", "high", "low", "close")},
            "trace": int(candle_trace),
        }
        if volume_trace is not None:
            data["volume"] = {"v": pack(_volume(bars)), "trace": int(volume_trace)}
        if lines:
            data["lines"] = [{"v": pack(v, float32=True), "trace": int(trace)} for trace, v in lines]
    if equity_times is not None and equity is not None and len(equity_times) and equity_trace is not None:
        same = data["candles"] is not None and np.array_equal(np.asarray(equity_times, dtype=np.int64),
                                                              np.asarray(bars["time"], dtype=np.int64))
        data["equity"] = {  # the same times as the candles' are not carried twice
            "t": "candles" if same else pack(np.asarray(equity_times, dtype=np.float64)),
            "v": pack(equity, 2),
            "trace": int(equity_trace),
        }
    if trades is not None:
        data["trades"] = trades
    return (
        _LOD_JS.replace("__DATA__", dumps(data))
        .replace("__MAX__", str(int(max(1, max_candles))))
        .replace("__LABEL__", json.dumps(esc(label)).replace("</", "<\\/"))
    )
