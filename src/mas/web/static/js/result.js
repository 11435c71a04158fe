// The result page: KPI tiles (the numbers of the run's --json document, unchanged), equity and drawdown chart,
// the trades table (sortable) and its CSV download.

import { api } from "./api.js";
import { $, clear, el, fixed } from "./dom.js";
import { t } from "./i18n.js";
import { resizeTradeChart, showTradeChart } from "./tradechart.js";

export const KPIS = [
  { key: "total_return_rate", format: (v) => `${fixed(v, 2)} %`, sign: true },
  { key: "win_rate", format: (v) => `${fixed(v, 2)} %` },
  { key: "profit_factor", format: (v) => fixed(v, 2) },
  { key: "max_drawdown", format: (v) => `${fixed(v, 2)} %` },
  { key: "sharpe_ratio", format: (v) => fixed(v, 2), sign: true },
  { key: "number_of_trades", format: (v) => fixed(v, 0) },
  { key: "final_equity", format: (v, currency) => `${fixed(v, 2)} ${currency}` },
];

const COLUMNS = [
  { key: "position_id", num: true }, { key: "open_time" }, { key: "direction" }, { key: "volume", num: true },
  { key: "open_price", num: true }, { key: "close_time" }, { key: "close_price", num: true },
  { key: "sl", num: true }, { key: "tp", num: true }, { key: "swap", num: true }, { key: "profit", num: true },
  { key: "exit_reason" },
];

const DEAL_COLUMNS = [
  { key: "time" }, { key: "position_id", num: true }, { key: "type" }, { key: "entry" }, { key: "volume", num: true },
  { key: "price", num: true }, { key: "commission", num: true }, { key: "swap", num: true }, { key: "profit", num: true },
  { key: "reason" },
];

const TESTER = [  // MetaTrader 5's tester figures, from the document's tester_metrics unchanged
  { key: "min_margin_level", format: (v) => `${fixed(v, 2)} %` },
  { key: "max_deposit_load", format: (v) => `${fixed(v, 2)} %` },
  { key: "average_deposit_load", format: (v) => `${fixed(v, 2)} %` },
];

const ORDER_COLUMNS = [
  { key: "time_setup" }, { key: "ticket", num: true }, { key: "symbol" }, { key: "type_name" },
  { key: "volume", num: true, sortKey: "volume_initial" }, { key: "price_open", num: true }, { key: "sl", num: true },
  { key: "tp", num: true }, { key: "time_done" }, { key: "state_name" }, { key: "comment" },
];

const YIELD_MS = 40; // the pause after each chart or table drawn
let orderSort = { key: "time_setup", dir: 1 };
let shown = null; // the run on the page
let sort = { key: "position_id", dir: 1 };
let deals = [];
let dealSort = { key: "time", dir: 1 };

function renderKpis(kpis, currency) {
  const box = clear($("#kpis"));
  for (const kpi of KPIS) {
    const value = kpis[kpi.key];
    const text = value === null || value === undefined ? "—" : kpi.format(value, currency);
    const cls = kpi.sign && value < 0 ? "value neg" : "value";
    box.append(el("div", { class: "kpi", dataset: { key: kpi.key } },
      el("div", { class: "label", text: t(`kpi.${kpi.key}`) }),
      el("div", { class: cls, text, dataset: { value: value === null || value === undefined ? "" : String(value) } })));
  }
}

function renderSettings(run) {
  const s = run.document.settings || {};
  const parts = [`${s.symbol} ${s.timeframe}`, `${s.from || ""} → ${s.to || ""}`, `${t("field.model")}: ${t(`model.${s.model}`)}`,
    `${t("field.capital")}: ${fixed(s.capital, 2)}`, `1:${s.leverage}`,
    `${t("result.engine")}: ${s.engine === "fast" ? t("result.engine_fast") : t("result.engine_event")}`];
  $("#result-settings").textContent = parts.join(" · ");
}

function renderChart(run) {
  const target = $("#equity-chart");
  if (!window.Plotly) { target.textContent = t("result.no_plotly"); return; }
  const times = run.document.equity.map((p) => p[0]);
  const equity = run.document.equity.map((p) => p[1]);
  let peak = -Infinity;
  const drawdown = equity.map((e) => { peak = Math.max(peak, e); return peak > 0 ? -100 * (peak - e) / peak : 0; });
  const traces = [
    { x: times, y: equity, type: "scatter", mode: "lines", name: t("chart.equity"), line: { color: "#1f6feb", width: 1.5 } },
    { x: times, y: drawdown, type: "scatter", mode: "lines", name: t("chart.drawdown"), xaxis: "x", yaxis: "y2",
      fill: "tozeroy", line: { color: "#b3261e", width: 1 } },
  ];
  const layout = {
    margin: { l: 60, r: 20, t: 10, b: 40 }, showlegend: true, legend: { orientation: "h", y: 1.08 },
    grid: { rows: 2, columns: 1, subplots: [["xy"], ["xy2"]], roworder: "top to bottom" },
    yaxis: { title: { text: t("chart.equity") }, domain: [0.35, 1] },
    yaxis2: { title: { text: t("chart.drawdown_pct") }, domain: [0, 0.28] },
    xaxis: { type: "date" }, hovermode: "x unified",
  };
  window.Plotly.react(target, traces, layout, { displaylogo: false, responsive: true });
}

function testerValue(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : fixed(value, 2);
  return String(value);
}

function renderTesterTable(metrics) {
  // every figure of the document's tester_metrics, in its order; the value is the document's, only rounded to show
  const body = clear($("#tester-table tbody"));
  for (const [key, value] of Object.entries(metrics)) {
    body.append(el("tr", { dataset: { key, value: value === null || value === undefined ? "" : String(value) } },
      el("th", { text: t(`tester.${key}`) }), el("td", { class: "num", text: testerValue(value) })));
  }
}

function renderTester(run) {
  const box = clear($("#tester-tiles"));
  const metrics = run.document.tester_metrics || {};
  renderTesterTable(metrics);
  for (const item of TESTER) {
    const value = metrics[item.key];
    box.append(el("div", { class: "kpi", dataset: { key: item.key } },
      el("div", { class: "label", text: t(`tester.${item.key}`) }),
      el("div", { class: "value", text: value === null || value === undefined ? "—" : item.format(value),
        dataset: { value: value === null || value === undefined ? "" : String(value) } })));
  }
  const target = $("#margin-chart");
  const margin = run.document.margin;
  if (!window.Plotly || !margin || !margin.length) { $("#margin-panel").dataset.points = "0"; return; }
  const times = run.document.equity.map((p) => p[0]);
  const load = margin.map((m, i) => { const e = run.document.equity[i][1]; return m > 0 && e > 0 ? 100 * m / e : 0; });
  $("#margin-panel").dataset.points = String(margin.length);
  window.Plotly.react(target, [
    { x: times, y: margin, type: "scatter", mode: "lines", name: t("chart.margin"), line: { color: "#8a5a00", width: 1 } },
    { x: times, y: load, type: "scatter", mode: "lines", name: t("chart.deposit_load"), yaxis: "y2", fill: "tozeroy",
      line: { color: "#1f6feb", width: 1 } },
  ], { margin: { l: 60, r: 60, t: 10, b: 30 }, legend: { orientation: "h", y: 1.1 }, xaxis: { type: "date" },
    yaxis: { title: { text: t("chart.margin") } },
    yaxis2: { title: { text: t("chart.deposit_load") }, overlaying: "y", side: "right", rangemode: "tozero" },
    hovermode: "x unified" }, { displaylogo: false, responsive: true });
}

function orderCell(order, column) {
  if (column.key === "volume") return `${order.volume_initial ?? ""} / ${order.volume_current ?? ""}`;
  const value = order[column.key];
  if (value === null || value === undefined) return "";
  if (column.key === "sl" || column.key === "tp" || column.key === "price_open") return value ? String(value) : "";
  return String(value);
}

function renderOrders() {
  const table = $("#orders-table");
  const head = clear(table.querySelector("thead"));
  const row = el("tr");
  for (const column of ORDER_COLUMNS) {
    const attrs = { class: column.num ? "sortable" : "sortable text", text: t(`order.${column.key}`), dataset: { key: column.key } };
    if (orderSort.key === column.key) attrs["aria-sort"] = orderSort.dir > 0 ? "ascending" : "descending";
    row.append(el("th", { ...attrs, onclick: () => { orderSort = orderSort.key === column.key
      ? { key: column.key, dir: -orderSort.dir } : { key: column.key, dir: 1 }; renderOrders(); } }));
  }
  head.append(row);
  const orders = shown.document.orders || [];
  $("#orders-note").hidden = !orders.some((o) => o.rebuilt);
  const column = ORDER_COLUMNS.find((c) => c.key === orderSort.key);
  const key = column.sortKey || column.key;
  const rows = orders.map((o, i) => ({ ...o, i })).sort((a, b) => {
    const x = a[key]; const y = b[key];
    const order = column.num ? (Number(x) - Number(y)) : String(x ?? "").localeCompare(String(y ?? ""));
    return orderSort.dir * order || (a.i - b.i);
  });
  const body = clear(table.querySelector("tbody"));
  for (const order of rows) {
    body.append(el("tr", { dataset: { ticket: String(order.ticket) } },
      ORDER_COLUMNS.map((c) => el("td", { class: c.num ? "" : "text", text: orderCell(order, c) }))));
  }
}

function cell(trade, column) {
  const value = trade[column.key];
  if (value === null || value === undefined) return "";
  if (column.key === "sl" || column.key === "tp") return value ? String(value) : "";
  if (column.key === "direction") return t(`direction.${value}`);
  if (column.key === "exit_reason") return t(`exit.${value}`);
  if (column.key === "profit" || column.key === "swap") return fixed(value, 2);
  return String(value);
}

function renderTrades() {
  const table = $("#trades-table");
  const head = clear(table.querySelector("thead"));
  const row = el("tr");
  for (const column of COLUMNS) {
    const attrs = { class: column.num ? "sortable" : "sortable text", text: t(`trade.${column.key}`), dataset: { key: column.key } };
    if (sort.key === column.key) attrs["aria-sort"] = sort.dir > 0 ? "ascending" : "descending";
    row.append(el("th", { ...attrs, onclick: () => sortBy(column.key) }));
  }
  head.append(row);
  const trades = [...(shown.document.trades || [])];
  const column = COLUMNS.find((c) => c.key === sort.key);
  trades.sort((a, b) => {
    const x = a[sort.key]; const y = b[sort.key];
    const order = column.num ? (Number(x) - Number(y)) : String(x ?? "").localeCompare(String(y ?? ""));
    return sort.dir * order || (a.position_id - b.position_id);
  });
  const body = clear(table.querySelector("tbody"));
  for (const trade of trades) {
    body.append(el("tr", {}, COLUMNS.map((c) => el("td", { class: c.num ? "" : "text", text: cell(trade, c) }))));
  }
}

function dealCell(deal, column) {
  const value = deal[column.key];
  if (value === null || value === undefined) return "";
  if (column.key === "type") return t(`direction.${value}`);
  if (column.key === "entry") return t(`deal.entry_${value}`);
  if (column.key === "reason") return value === "open" ? "" : t(`exit.${value}`);
  if (["profit", "swap", "commission"].includes(column.key)) return fixed(value, 2);
  return String(value);
}

function renderDeals() {
  const table = $("#deals-table");
  const head = clear(table.querySelector("thead"));
  const row = el("tr");
  for (const column of DEAL_COLUMNS) {
    const attrs = { class: column.num ? "sortable" : "sortable text", text: t(`deal.${column.key}`), dataset: { key: column.key } };
    if (dealSort.key === column.key) attrs["aria-sort"] = dealSort.dir > 0 ? "ascending" : "descending";
    row.append(el("th", { ...attrs, onclick: () => { dealSort = dealSort.key === column.key
      ? { key: column.key, dir: -dealSort.dir } : { key: column.key, dir: 1 }; renderDeals(); } }));
  }
  head.append(row);
  const column = DEAL_COLUMNS.find((c) => c.key === dealSort.key);
  const rows = deals.map((d, i) => ({ ...d, i })).sort((a, b) => {
    const x = a[dealSort.key]; const y = b[dealSort.key];
    const order = column.num ? (Number(x) - Number(y)) : String(x ?? "").localeCompare(String(y ?? ""));
    return dealSort.dir * order || (a.i - b.i);
  });
  const body = clear(table.querySelector("tbody"));
  for (const deal of rows) {
    body.append(el("tr", {}, DEAL_COLUMNS.map((c) => el("td", { class: c.num ? "" : "text", text: dealCell(deal, c) }))));
  }
}

function sortBy(key) {
  sort = sort.key === key ? { key, dir: -sort.dir } : { key, dir: 1 };
  renderTrades();
}

function links(id) {
  $("#orders-csv-link").href = `/api/runs/${id}/orders.csv`;
  $("#csv-link").href = `/api/runs/${id}/trades.csv`;
  $("#deals-csv-link").href = `/api/runs/${id}/deals.csv`;
}

function render(opened = false) {  // opened: a run just read, whose trade chart is loaded too
  if (!shown || !shown.document) return;
  $("#result-label").textContent = shown.label;
  renderSettings(shown);
  renderKpis(shown.kpis, (shown.document.settings || {}).currency || "");
  const run = shown;
  // the tiles paint first; the tables and charts follow, each in its own task with a short pause after it, so that
  // the page answers clicks, scrolling (and its test driver) between them instead of after all of them
  const later = [() => { renderTrades(); renderDeals(); renderOrders(); }, () => renderChart(run),
    () => renderTester(run)];
  if (opened) later.push(() => loadTradeChart(run));
  const next = () => {
    if (shown !== run || !later.length) return;
    later.shift()();
    setTimeout(next, YIELD_MS);
  };
  setTimeout(next, 0);
  links(shown.id);
}

function loadTradeChart(run) {  // it fetches its own candles: the page shows its figures without waiting for it
  showTradeChart(run.id, (run.document.settings || {}).currency || "").catch((err) => {
    $("#trade-chart").textContent = err.message;
  });
}

// A run that just ended, before its document is read: its name and KPI tiles (what its job answered once done); the
// rest of the page, the previous run's, is emptied until openRun(id) draws this one's.
export function showTiles(id, label, result) {
  shown = null;
  $("#result-label").textContent = label;
  $("#result-settings").textContent = "";
  for (const selector of ["#trades-table tbody", "#deals-table tbody", "#orders-table tbody", "#tester-table tbody",
    "#tester-tiles"]) clear($(selector));
  for (const selector of ["#equity-chart", "#margin-chart"]) {
    const target = $(selector);
    if (window.Plotly && target.classList.contains("js-plotly-plot")) window.Plotly.purge(target);
  }
  links(id);
  renderKpis(result.kpis, result.currency || "");
}

export async function openRun(id) {
  const [run, runDeals] = await Promise.all([api("GET", `/api/runs/${id}`), api("GET", `/api/runs/${id}/deals`)]);
  shown = run;
  deals = runDeals;
  sort = { key: "position_id", dir: 1 };
  dealSort = { key: "time", dir: 1 };
  orderSort = { key: "time_setup", dir: 1 };
  render(true);
}

export function initResult() {
  document.addEventListener("mas:lang", () => render());
  document.addEventListener("mas:page", (event) => {  // a chart drawn while its page was hidden takes the page's width
    const target = $("#equity-chart");
    if (event.detail === "result" && window.Plotly && target.classList.contains("js-plotly-plot")) {
      window.Plotly.Plots.resize(target);
    }
    if (event.detail === "result") resizeTradeChart();
    const margin = $("#margin-chart");
    if (event.detail === "result" && window.Plotly && margin.classList.contains("js-plotly-plot")) {
      window.Plotly.Plots.resize(margin);
    }
  });
}
