// The optimize page: the strategy's parameters with ranges, method, metric, optional walk-forward -> a background
// sweep with "trials done / total" from the optimizer's progress callback; the ranked table, a heatmap over two
// parameters, and "backtest these parameters" (a normal backtest of the chosen set, on the backtest page).

import { api } from "./api.js";
import { $, clear, el, fixed, showPage } from "./dom.js";
import { t } from "./i18n.js";
import { setSource, state } from "./state.js";

const POLL_MS = 300;
const MAX_POLLS = 12000;
let params = []; // [{name, value}]
let watching = null;
let result = null;
let market = null; // the market of the sweep shown (its backtests replay the same)

function defaultRange(value) {
  if (!Number.isInteger(value)) return String(value);
  const step = Math.max(1, Math.round(value / 4));
  return `${Math.max(1, value - 2 * step)}:${value + 2 * step}:${step}`;
}

function renderParams() {
  const table = $("#opt-params");
  clear(table.querySelector("thead")).append(el("tr", {},
    ["opt.sweep", "opt.param", "opt.current", "opt.range"].map((k) => el("th", { class: "text", text: t(k) }))));
  const body = clear(table.querySelector("tbody"));
  params.forEach((p, i) => body.append(el("tr", { dataset: { param: p.name } },
    el("td", {}, el("input", { type: "checkbox", id: `opt-use-${i}`, checked: i < 2 })),
    el("td", { class: "text", text: p.name }), el("td", { class: "text", text: String(p.value) }),
    el("td", { class: "text" }, el("input", { type: "text", id: `opt-range-${i}`, value: defaultRange(p.value) })))));
}

async function loadParams() {
  showError("");
  $("#opt-strategy").textContent = state.sourceLabel || "—";
  if (!state.source) { params = []; renderParams(); return; }
  try {
    params = await api("POST", "/api/optimize/params", { strategy: state.source });
  } catch (err) { showError(err.message); params = []; }
  renderParams();
}

function showError(message) {
  $("#opt-error").hidden = !message;
  $("#opt-error").textContent = message || "";
}

function rangeValue(text) {
  const trimmed = text.trim();
  if (trimmed.includes(",")) return trimmed.split(",").map((v) => Number(v.trim()));
  return trimmed;
}

function request() {
  const chosen = {};
  params.forEach((p, i) => { if ($(`#opt-use-${i}`).checked) chosen[p.name] = rangeValue($(`#opt-range-${i}`).value); });
  const body = { strategy: state.source, params: chosen, method: $("#opt-method").value, metric: $("#opt-metric").value,
    maximize: $("#opt-maximize").value === "1", symbol: $("#opt-symbol").value.trim().toUpperCase(),
    timeframe: $("#opt-timeframe").value };
  if ($("#opt-from").value) body.from = $("#opt-from").value;
  if ($("#opt-to").value) body.to = $("#opt-to").value;
  if (body.method === "random") body.trials = Number($("#opt-trials").value);
  if ($("#opt-wf").checked) {
    body.walk_forward = { in_sample: $("#opt-wf-in").value.trim(), out_of_sample: $("#opt-wf-out").value.trim(),
      anchored: $("#opt-wf-anchored").checked };
  }
  return body;
}

function showStatus(task) {
  $("#opt-box").hidden = false;
  const status = $("#opt-status");
  status.dataset.state = task.state;
  status.className = `state-${task.state}`;
  const counts = task.total ? ` ${t("opt.progress", { done: task.done, total: task.total })}` : "";
  status.textContent = t(`state.${task.state}`) + counts + (task.error ? `: ${task.error}` : "");
  $("#opt-progress").max = task.total || 1;
  $("#opt-progress").value = task.total ? task.done : 0;
  $("#opt-cancel").hidden = !["queued", "running"].includes(task.state);
}

async function run(event) {
  event.preventDefault();
  showError("");
  if (!state.source) { showError(t("backtest.no_strategy")); return; }
  const body = request();
  $("#opt-run").disabled = true;
  try {
    const task = await api("POST", "/api/optimizations", body);
    market = { symbol: body.symbol, timeframe: body.timeframe, from: body.from, to: body.to };
    watching = task.id;
    showStatus({ state: "queued" });
    for (let i = 0; i < MAX_POLLS && watching === task.id; i += 1) {
      const now = await api("GET", `/api/optimizations/${task.id}`);
      if (watching !== task.id) break;
      showStatus(now);
      if (now.state === "done") { result = now.result; renderResult(); break; }
      if (["failed", "cancelled"].includes(now.state)) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (err) {
    showError(err.message);
  } finally {
    watching = null;
    $("#opt-run").disabled = false;
    loadHistory();
  }
}

async function cancel() {
  const id = watching;
  if (!id) return;
  watching = null;
  try { showStatus(await api("POST", `/api/optimizations/${id}/cancel`)); } catch (err) { showError(err.message); }
}

function backtestButton(source, label) {
  return el("button", { type: "button", class: "secondary", text: t("opt.backtest_these"), onclick: () => {
    setSource(source, label);
    $("#bt-symbol").value = market.symbol;
    $("#bt-timeframe").value = market.timeframe;
    $("#bt-from").value = market.from || "";
    $("#bt-to").value = market.to || "";
    showPage("backtest");
    $("#run-button").click();
  } });
}

function paramsText(values) {
  return Object.entries(values || {}).map(([k, v]) => `${k}=${v}`).join(", ");
}

function renderResult() {
  if (!result) return;
  $("#opt-result").hidden = false;
  const table = $("#opt-table");
  const head = clear(table.querySelector("thead"));
  const body = clear(table.querySelector("tbody"));
  if (result.kind === "walk_forward") {
    $("#heatmap-axes").hidden = true;
    $("#heatmap").hidden = true;
    head.append(el("tr", {}, ["opt.window", "opt.in_sample", "opt.out_of_sample", "opt.best", "opt.is_value",
      "opt.oos_value", ""].map((k) => el("th", { class: "text", text: k ? t(k) : "" }))));
    for (const w of result.windows) {
      const is = (w.in_sample_metrics || {})[result.metric];
      const oos = (w.out_of_sample_metrics || {})[result.metric];
      body.append(el("tr", {}, el("td", { class: "text", text: String(w.window) }),
        el("td", { class: "text", text: `${w.in_sample.from.slice(0, 10)} → ${w.in_sample.to.slice(0, 10)}` }),
        el("td", { class: "text", text: `${w.out_of_sample.from.slice(0, 10)} → ${w.out_of_sample.to.slice(0, 10)}` }),
        el("td", { class: "text", text: paramsText(w.best_params) }), el("td", { text: fixed(is, 3) }),
        el("td", { text: fixed(oos, 3) }),
        el("td", { class: "text" }, w.backtest ? backtestButton(w.backtest, `${state.sourceLabel} [${paramsText(w.best_params)}]`) : "")));
    }
    return;
  }
  head.append(el("tr", {}, el("th", { text: "#" }), result.param_names.map((n) => el("th", { text: n })),
    el("th", { text: result.metric }), el("th", { text: t("kpi.total_return_rate") }), el("th", { text: t("kpi.number_of_trades") }),
    el("th", { text: "" })));
  for (const row of result.ranked) {
    const m = row.metrics || {};
    body.append(el("tr", { dataset: { rank: String(row.rank) } }, el("td", { text: String(row.rank) }),
      result.param_names.map((n) => el("td", { text: String(row.params[n]) })),
      el("td", { text: fixed(m[result.metric], 3) }), el("td", { text: `${fixed(m.total_return_rate, 2)} %` }),
      el("td", { text: fixed(m.number_of_trades, 0) }),
      el("td", { class: "text" }, backtestButton(row.backtest, `${state.sourceLabel} [${paramsText(row.params)}]`))));
  }
  const names = result.param_names;
  $("#heatmap-axes").hidden = names.length < 2;
  $("#heatmap").hidden = names.length < 2;
  for (const [id, pick] of [["#heat-x", 0], ["#heat-y", 1]]) {
    const select = clear($(id));
    for (const n of names) select.append(el("option", { value: n, text: n }));
    if (names.length > pick) select.value = names[pick];
  }
  drawHeatmap();
}

function drawHeatmap() {
  const target = $("#heatmap");
  if (!result || result.kind !== "sweep" || result.param_names.length < 2 || !window.Plotly) return;
  const xName = $("#heat-x").value; const yName = $("#heat-y").value;
  const xs = [...new Set(result.all.map((r) => r.params[xName]))].sort((a, b) => a - b);
  const ys = [...new Set(result.all.map((r) => r.params[yName]))].sort((a, b) => a - b);
  const z = ys.map(() => xs.map(() => null));
  for (const r of result.all) { // several sets on one cell (other parameters): the best of them
    if (r.value === null || r.value === undefined) continue;
    const i = ys.indexOf(r.params[yName]); const j = xs.indexOf(r.params[xName]);
    const old = z[i][j];
    if (old === null || (result.maximize ? r.value > old : r.value < old)) z[i][j] = r.value;
  }
  window.Plotly.react(target, [{ type: "heatmap", x: xs.map(String), y: ys.map(String), z, colorscale: "RdYlGn",
    reversescale: !result.maximize, colorbar: { title: { text: result.metric } } }],
  { margin: { l: 70, r: 20, t: 10, b: 50 }, xaxis: { title: { text: xName }, type: "category" },
    yaxis: { title: { text: yName }, type: "category" } }, { displaylogo: false, responsive: true });
  target.dataset.cells = String(xs.length * ys.length);
}

// The optimizations kept in the app's database: shown again, or forgotten.
async function loadHistory() {
  let rows = [];
  try { rows = await api("GET", "/api/optimizations"); } catch (err) { showError(err.message); return; }
  const table = $("#opt-history");
  clear(table.querySelector("thead")).append(el("tr", {}, ["runs.created", "backtest.strategy", "runs.market",
    "runs.state", "opt.trials_done", ""].map((k) => el("th", { class: "text", text: k ? t(k) : "" }))));
  const body = clear(table.querySelector("tbody"));
  $("#opt-history-empty").hidden = rows.length > 0;
  for (const row of rows) {
    const r = row.request || {};
    const actions = el("td", { class: "text" });
    if (row.state === "done") {
      actions.append(el("button", { type: "button", class: "secondary", text: t("live.view"), dataset: { show: row.id },
        onclick: async () => {
          const task = await api("GET", `/api/optimizations/${row.id}`);
          market = { symbol: r.symbol, timeframe: r.timeframe, from: r.from, to: r.to };
          result = task.result;
          renderResult();
        } }), " ");
    }
    if (!["queued", "running"].includes(row.state)) {
      actions.append(el("button", { type: "button", class: "secondary", text: t("strategy.delete"), onclick: async () => {
        try { await api("DELETE", `/api/optimizations/${row.id}`); } catch (err) { showError(err.message); }
        await loadHistory();
      } }));
    }
    body.append(el("tr", { dataset: { sweep: row.id, state: row.state } },
      el("td", { class: "text", text: row.finished_at || row.created_at || "" }),
      el("td", { class: "text", text: row.label }),
      el("td", { class: "text", text: `${r.symbol || ""} ${r.timeframe || ""} ${r.from || ""} → ${r.to || ""}` }),
      el("td", { class: "text", text: t(`state.${row.state}`) }),
      el("td", { class: "text", text: row.total ? `${row.done} / ${row.total}` : "" }), actions));
  }
}

async function loadMetrics() {
  const select = clear($("#opt-metric"));
  try {
    for (const name of await api("GET", "/api/metrics")) select.append(el("option", { value: name, text: name }));
    select.value = "sharpe_ratio";
  } catch { select.append(el("option", { value: "sharpe_ratio", text: "sharpe_ratio" })); }
}

export function initOptimize() {
  $("#opt-timeframe").value = "H1";
  $("#opt-form").addEventListener("submit", run);
  $("#opt-cancel").addEventListener("click", cancel);
  $("#opt-load").addEventListener("click", loadParams);
  $("#heat-x").addEventListener("change", drawHeatmap);
  $("#heat-y").addEventListener("change", drawHeatmap);
  document.addEventListener("mas:page", (e) => {
    if (e.detail !== "optimize") return;
    if (!$("#opt-metric").options.length) loadMetrics();
    loadHistory();
    if ($("#opt-strategy").textContent !== (state.sourceLabel || "—")) loadParams();
  });
  document.addEventListener("mas:lang", renderResult);
}
