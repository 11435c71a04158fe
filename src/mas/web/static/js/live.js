// Brokers and live: broker profiles (no password ever comes back), start and stop a strategy on a profile after
// an explicit confirmation, and the run's account, positions, pending orders, equity and journal, polled every
// second while the page is open; a position is closed only after the user confirms.

import { api } from "./api.js";
import { $, clear, el, fixed } from "./dom.js";
import { t } from "./i18n.js";
import { state } from "./state.js";

const POLL_MS = 1000;
let selected = null; // the live run shown
let timer = null;
let polling = false;

function showError(id, message) {
  $(id).hidden = !message;
  $(id).textContent = message || "";
}

async function loadBrokers() {
  let rows = [];
  try { rows = await api("GET", "/api/brokers"); showError("#broker-error", ""); } catch (err) { showError("#broker-error", err.message); }
  const table = $("#brokers-table");
  clear(table.querySelector("thead")).append(el("tr", {}, ["live.name", "live.terminal", "live.server", "live.login",
    "live.address", "live.max_lots", "live.password_from", ""].map((k) => el("th", { class: "text", text: k ? t(k) : "" }))));
  const body = clear(table.querySelector("tbody"));
  for (const p of rows) {
    body.append(el("tr", { dataset: { profile: p.name } }, el("td", { class: "text", text: p.name }),
      el("td", { class: "text", text: p.terminal }), el("td", { class: "text", text: p.server }),
      el("td", { class: "text", text: p.login ? String(p.login) : "" }),
      el("td", { class: "text", text: p.host ? `${p.host}:${p.port}` : (p.path || "") }),
      el("td", { class: "text", text: p.max_lots ? String(p.max_lots) : "—" }),
      el("td", { class: "text", text: t(`live.from_${p.password_from}`) }),
      el("td", { class: "text" }, el("button", { type: "button", class: "secondary", text: t("strategy.delete"), onclick: async () => {
        if (!window.confirm(t("live.confirm_remove", { name: p.name }))) return;
        try { await api("DELETE", `/api/brokers/${encodeURIComponent(p.name)}`); } catch (err) { showError("#broker-error", err.message); }
        await loadBrokers();
      } }))));
  }
  const select = $("#live-profile");
  const keep = select.value;
  clear(select);
  for (const p of rows) select.append(el("option", { value: p.name, text: `${p.name} (${p.terminal})` }));
  if (rows.some((p) => p.name === keep)) select.value = keep;
}

async function addBroker(event) {
  event.preventDefault();
  const number = (id) => ($(id).value.trim() === "" ? 0 : Number($(id).value));
  const body = { name: $("#b-name").value.trim(), terminal: $("#b-terminal").value, server: $("#b-server").value.trim(),
    login: number("#b-login"), host: $("#b-host").value.trim(), port: number("#b-port"), max_lots: number("#b-max-lots") };
  const password = $("#b-password").value;
  if (password) body.password = password;
  try {
    await api("POST", "/api/brokers", body);
    showError("#broker-error", "");
    $("#b-password").value = "";
  } catch (err) { showError("#broker-error", err.message); }
  await loadBrokers();
}

async function loadRuns() {
  const runs = await api("GET", "/api/live");
  const table = $("#live-runs");
  clear(table.querySelector("thead")).append(el("tr", {}, ["live.started", "backtest.strategy", "live.profile",
    "runs.market", "runs.state", ""].map((k) => el("th", { class: "text", text: k ? t(k) : "" }))));
  const body = clear(table.querySelector("tbody"));
  for (const run of runs) {
    const actions = el("td", { class: "text" }, el("button", { type: "button", class: "secondary", text: t("live.view"),
      onclick: () => select(run.id) }));
    if (run.running) {
      actions.append(" ", el("button", { type: "button", class: "secondary", text: t("live.stop"), dataset: { stop: run.id },
        onclick: async () => { await api("POST", `/api/live/${run.id}/stop`); await loadRuns(); } }));
    }
    body.append(el("tr", { dataset: { run: run.id } }, el("td", { class: "text", text: run.started_at }),
      el("td", { class: "text", text: run.label }), el("td", { class: "text", text: run.profile }),
      el("td", { class: "text", text: `${run.symbol} ${run.timeframe}` }),
      el("td", { class: "text", text: (run.running ? t("live.running") : t("live.stopped")) + (run.error ? `: ${run.error}` : "") }),
      actions));
  }
  return runs;
}

async function start(event) {
  event.preventDefault();
  showError("#live-error", "");
  if (!state.source) { showError("#live-error", t("backtest.no_strategy")); return; }
  const profile = $("#live-profile").value;
  if (!profile) { showError("#live-error", t("live.no_profile")); return; }
  if (!window.confirm(t("live.confirm_start", { strategy: state.sourceLabel, profile }))) return;
  try {
    const run = await api("POST", "/api/live", { strategy: state.source, profile, confirm: true,
      symbol: $("#live-symbol").value.trim().toUpperCase(), timeframe: $("#live-timeframe").value,
      interval_ms: Number($("#live-interval").value), warmup_bars: Number($("#live-warmup").value) });
    await loadRuns();
    select(run.id);
  } catch (err) { showError("#live-error", err.message); }
}

function table(id, rows, columns) {
  const node = $(id);
  clear(node.querySelector("thead")).append(el("tr", {}, columns.map((c) => el("th", { class: c.text ? "text" : "", text: c.label }))));
  const body = clear(node.querySelector("tbody"));
  for (const row of rows) body.append(el("tr", { dataset: { ticket: String(row.ticket) } }, columns.map((c) => c.cell(row))));
}

function positionType(value) {
  if (value === 0 || value === "buy") return t("direction.buy");
  if (value === 1 || value === "sell") return t("direction.sell");
  return String(value);
}

async function closePosition(ticket) {
  if (!window.confirm(t("live.confirm_close", { ticket }))) return;
  try {
    await api("POST", `/api/live/${selected}/positions/${ticket}/close`, { confirm: true });
    showError("#live-error", "");
  } catch (err) { showError("#live-error", err.message); }
  await poll();
}

function render(view) {
  $("#live-view").hidden = false;
  $("#live-title").textContent = `${view.label} · ${view.profile} · ${view.symbol} ${view.timeframe} · ${view.running ? t("live.running") : t("live.stopped")}`;
  $("#live-view").dataset.running = view.running ? "1" : "0";
  const box = clear($("#live-account"));
  const account = view.account || {};
  for (const key of ["balance", "equity", "margin", "margin_free", "profit"]) {
    box.append(el("div", { class: "kpi", dataset: { key } }, el("div", { class: "label", text: t(`live.${key}`) }),
      el("div", { class: "value", text: account[key] === undefined ? "—" : `${fixed(account[key], 2)} ${account.currency || ""}` })));
  }
  table("#live-positions", view.positions, [
    { label: "#", cell: (p) => el("td", { text: String(p.ticket) }) },
    { label: t("trade.open_time"), text: true, cell: (p) => el("td", { class: "text", text: String(p.time ?? "") }) },
    { label: t("trade.direction"), text: true, cell: (p) => el("td", { class: "text", text: positionType(p.type) }) },
    { label: t("trade.volume"), cell: (p) => el("td", { text: String(p.volume) }) },
    { label: t("trade.open_price"), cell: (p) => el("td", { text: String(p.price_open) }) },
    { label: t("live.price_current"), cell: (p) => el("td", { text: String(p.price_current ?? "") }) },
    { label: t("trade.sl"), cell: (p) => el("td", { text: p.sl ? String(p.sl) : "" }) },
    { label: t("trade.tp"), cell: (p) => el("td", { text: p.tp ? String(p.tp) : "" }) },
    { label: t("trade.profit"), cell: (p) => el("td", { text: fixed(p.profit, 2) }) },
    { label: "", cell: (p) => el("td", {}, view.running ? el("button", { type: "button", class: "secondary", text: t("live.close"),
      dataset: { close: String(p.ticket) }, onclick: () => closePosition(p.ticket) }) : "") },
  ]);
  table("#live-orders", view.orders, [
    { label: "#", cell: (o) => el("td", { text: String(o.ticket) }) },
    { label: t("trade.direction"), text: true, cell: (o) => el("td", { class: "text", text: String(o.type) }) },
    { label: t("trade.volume"), cell: (o) => el("td", { text: String(o.volume_current ?? "") }) },
    { label: t("trade.open_price"), cell: (o) => el("td", { text: String(o.price_open ?? "") }) },
  ]);
  $("#live-lines").textContent = (view.account_error ? `${view.account_error}\n` : "") + view.lines.join("\n");
  if (window.Plotly && view.equity.length) {
    window.Plotly.react($("#live-equity"), [{ x: view.equity.map((p) => p[0]), y: view.equity.map((p) => p[1]), type: "scatter",
      mode: "lines", name: t("chart.equity") }], { margin: { l: 60, r: 20, t: 10, b: 30 }, uirevision: selected },
    { displaylogo: false, responsive: true });
  }
}

async function poll() {
  if (!selected || polling) return;
  polling = true;
  try {
    render(await api("GET", `/api/live/${selected}`));
  } catch (err) { showError("#live-error", err.message); } finally { polling = false; }
}

function select(id) {
  selected = id;
  clearInterval(timer);
  timer = setInterval(() => { if (!$("#page-live").hidden) poll(); }, POLL_MS);
  poll();
}

export function initLive() {
  $("#live-timeframe").value = "H1";
  $("#broker-form").addEventListener("submit", addBroker);
  $("#live-form").addEventListener("submit", start);
  document.addEventListener("mas:page", async (e) => {
    if (e.detail !== "live") return;
    $("#live-strategy").textContent = state.sourceLabel || "—";
    await loadBrokers();
    await loadRuns();
  });
  document.addEventListener("mas:source", () => { $("#live-strategy").textContent = state.sourceLabel || "—"; });
}
