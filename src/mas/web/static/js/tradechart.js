// The trade chart of a run: candles, the strategy's indicators and plotted series, entries and exits joined by a line
// (green for a win, red for a loss), SL/TP levels. Level of detail is the server's: each zoom or pan asks for the
// visible range and gets at most POINTS candles (bars merged into OHLC buckets), so 100,000 bars stay responsive.
// Markers: when the view holds more entries and exits than fit (one per 8 px), they are grouped per time bucket of
// trading time (weekends removed) by the reports' shared script (MASMarkers, /static/vendor/trademarkers.js): one
// marker per bucket and kind, sized by its count, its hover summing the bucket up; zoomed in, every trade on its own.

import "../vendor/trademarkers.js"; // sets globalThis.MASMarkers
import { api } from "./api.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";

const POINTS = 1500;
const GL_POINTS = 20000; // a line with more points than this is drawn with WebGL
const COLORS = ["#1f6feb", "#e8710a", "#7b1fa2", "#00897b", "#c2185b", "#5d4037", "#546e7a"];
let runId = null;
let currency = "";
let pending = null; // the debounce timer of a zoom
let asked = 0; // the newest request: an older answer arriving late is dropped

function toMs(value) { return globalThis.MASMarkers.toMs(value); } // a UTC time text (or epoch ms) as epoch ms

// Entries and exits as MASMarkers events: time (ms), kind (0 buy, 1 sell, 2 exit won, 3 exit lost), price, P&L.
function markerEvents(trades) {
  const ev = { t: [], kind: [], price: [], pnl: [] };
  for (const tr of trades) {
    ev.t.push(toMs(tr.open_time)); ev.kind.push(tr.direction === "sell" ? 1 : 0);
    ev.price.push(tr.open_price); ev.pnl.push(Number(tr.profit) || 0);
    if (tr.close_time && !tr.is_open) {
      ev.t.push(toMs(tr.close_time)); ev.kind.push(Number(tr.profit) > 0 ? 2 : 3);
      ev.price.push(tr.close_price); ev.pnl.push(Number(tr.profit) || 0);
    }
  }
  return ev;
}

// The markers of the view [lo, hi] (ms): one by one, or grouped per bucket when more than fit in `width` px.
function markerTraces(trades, lo, hi, gaps, width) {
  const M = globalThis.MASMarkers;
  const grouped = M ? M.group(markerEvents(trades), lo, hi, gaps, width, currency) : null;
  if (grouped) {
    const names = [t("chart.buy"), t("chart.sell"), `${t("chart.exit")} · ${t("chart.win")}`,
      `${t("chart.exit")} · ${t("chart.loss")}`];
    const styles = [["triangle-up", "#137333"], ["triangle-down", "#b3261e"], ["x", "#137333"], ["x", "#b3261e"]];
    return { grouped: true, traces: M.KINDS.map((_, k) => ({
      type: "scatter", mode: "markers", name: names[k], x: grouped.x[k].map((ms) => new Date(ms).toISOString().slice(0, 23).replace("T", " ")),
      y: grouped.y[k], customdata: grouped.count[k], hovertext: grouped.text[k],
      hovertemplate: "%{hovertext}<extra></extra>",
      marker: { symbol: styles[k][0], color: styles[k][1], opacity: 0.85, size: grouped.count[k].map(M.size),
        line: { width: 1, color: "#222" } } })) };
  }
  const entries = { buy: { x: [], y: [], text: [] }, sell: { x: [], y: [], text: [] } };
  const exits = { x: [], y: [], text: [] };
  for (const tr of trades) {
    const side = entries[tr.direction] || entries.buy;
    side.x.push(tr.open_time); side.y.push(tr.open_price); side.text.push(`#${tr.position_id} ${tr.volume}`);
    if (tr.close_time && !tr.is_open) {
      exits.x.push(tr.close_time); exits.y.push(tr.close_price);
      exits.text.push(`#${tr.position_id} ${t(`exit.${tr.exit_reason}`)} ${Number(tr.profit).toFixed(2)}`);
    }
  }
  const marker = (symbol, color) => ({ symbol, color, size: 10, line: { width: 1, color: "#222" } });
  return { grouped: false, traces: [
    { type: "scatter", mode: "markers", name: t("chart.buy"), x: entries.buy.x, y: entries.buy.y, text: entries.buy.text,
      marker: marker("triangle-up", "#137333") },
    { type: "scatter", mode: "markers", name: t("chart.sell"), x: entries.sell.x, y: entries.sell.y,
      text: entries.sell.text, marker: marker("triangle-down", "#b3261e") },
    { type: "scatter", mode: "markers", name: t("chart.exit"), x: exits.x, y: exits.y, text: exits.text,
      marker: marker("x", "#333") },
  ] };
}

function lineTraces(trades) {
  const joins = { win: { x: [], y: [] }, loss: { x: [], y: [] } };
  const levels = { sl: { x: [], y: [] }, tp: { x: [], y: [] } };
  for (const tr of trades) {
    const end = tr.close_time;
    if (end && !tr.is_open) {
      const join = tr.profit >= 0 ? joins.win : joins.loss;
      join.x.push(tr.open_time, end, null); join.y.push(tr.open_price, tr.close_price, null);
    }
    for (const key of ["sl", "tp"]) {
      if (tr[key]) { levels[key].x.push(tr.open_time, end || tr.open_time, null); levels[key].y.push(tr[key], tr[key], null); }
    }
  }
  const kind = trades.length * 3 > GL_POINTS ? "scattergl" : "scatter";
  return [
    { type: kind, mode: "lines", name: t("chart.win"), x: joins.win.x, y: joins.win.y, hoverinfo: "skip",
      line: { color: "#137333", width: 1, dash: "dot" } },
    { type: kind, mode: "lines", name: t("chart.loss"), x: joins.loss.x, y: joins.loss.y, hoverinfo: "skip",
      line: { color: "#b3261e", width: 1, dash: "dot" } },
    { type: kind, mode: "lines", name: t("trade.sl"), x: levels.sl.x, y: levels.sl.y, line: { color: "#b3261e", width: 1, dash: "dash" } },
    { type: kind, mode: "lines", name: t("trade.tp"), x: levels.tp.x, y: levels.tp.y, line: { color: "#137333", width: 1, dash: "dash" } },
  ];
}

function draw(view, range) {
  const target = $("#trade-chart");
  const lower = view.lines.some((l) => l.panel === "lower");
  const traces = [{ type: "candlestick", name: view.symbol, x: view.time, open: view.open, high: view.high, low: view.low,
    close: view.close, increasing: { line: { color: "#26a69a" } }, decreasing: { line: { color: "#ef5350" } } }];
  view.lines.forEach((line, i) => traces.push({ type: "scatter", mode: "lines", name: line.name, x: view.time, y: line.y,
    yaxis: line.panel === "lower" ? "y2" : "y", line: { color: COLORS[i % COLORS.length], width: 1.2 } }));
  const lines = lineTraces(view.trades);
  // plotly cuts breaks out of the time axis only for SVG traces: with WebGL lines the gaps stay (and count in buckets)
  const gl = lines.some((tr) => tr.type === "scattergl");
  const breaks = gl ? [] : view.breaks.map((b) => ({ bounds: b }));
  const lo = toMs(range ? range[0] : view.first);
  const hi = toMs(range ? range[1] : view.last);
  const width = Math.max(100, (target.clientWidth || 1000) - 80); // the plot area: the figure less its margins
  const markers = markerTraces(view.trades, lo, hi, view.breaks.map((b) => b.map(toMs)).filter(() => !gl), width);
  traces.push(...lines, ...markers.traces);
  const layout = {
    margin: { l: 60, r: 20, t: 10, b: 40 }, showlegend: true, legend: { orientation: "h", y: 1.06 }, uirevision: runId,
    xaxis: { type: "date", rangeslider: { visible: false }, range: range || undefined, autorange: !range,
      rangebreaks: breaks },
    yaxis: { domain: lower ? [0.3, 1] : [0, 1], title: { text: view.symbol } },
    yaxis2: { domain: [0, 0.22], anchor: "x", visible: lower }, hovermode: "closest",
  };
  window.Plotly.react(target, traces, layout, { displaylogo: false, responsive: true });
  target.dataset.candles = String(view.time.length);
  target.dataset.perCandle = String(view.bars_per_candle);
  target.dataset.barsInView = String(view.bars_in_view);
  target.dataset.lines = view.lines.map((l) => l.name).join(",");
  target.dataset.trades = String(view.trades.length);
  target.dataset.markers = markers.grouped ? "grouped" : "single";
  target.dataset.breaks = String(breaks.length);
  $("#chart-note").textContent = t("chart.lod", { bars: view.bars_in_view, total: view.bars_total, per: view.bars_per_candle })
    + (view.notes.length ? ` · ${view.notes.join(" · ")}` : "");
}

async function load(range) {
  const id = runId;
  const mine = ++asked;
  const query = new URLSearchParams({ points: String(POINTS) });
  if (range) { query.set("start", String(range[0]).slice(0, 19)); query.set("end", String(range[1]).slice(0, 19)); }
  try {
    const view = await api("GET", `/api/runs/${id}/chart?${query}`);
    if (mine !== asked || id !== runId) return;
    draw(view, range);
  } catch (err) {
    $("#chart-note").textContent = err.message;
  }
}

function onZoom(event) {
  let range = null;
  if (event["xaxis.range[0]"] !== undefined) range = [event["xaxis.range[0]"], event["xaxis.range[1]"]];
  else if (Array.isArray(event["xaxis.range"])) range = event["xaxis.range"];
  else if (!event["xaxis.autorange"]) return;
  clearTimeout(pending);
  pending = setTimeout(() => load(range), 250);
}

export async function showTradeChart(id, accountCurrency = "") {
  const target = $("#trade-chart");
  if (!window.Plotly) { target.textContent = t("result.no_plotly"); return; }
  runId = id;
  currency = accountCurrency;
  await load(null);
  if (!target.dataset.zoomHooked && target.on) {
    target.on("plotly_relayout", onZoom);
    target.dataset.zoomHooked = "1";
  }
}

export function resizeTradeChart() {
  const target = $("#trade-chart");
  if (window.Plotly && target.classList.contains("js-plotly-plot")) window.Plotly.Plots.resize(target);
}
