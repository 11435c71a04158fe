// Brokers and live: broker profiles (no password ever comes back) with their risk guards, the active account
// switched in one click (the server logs in with the stored password; the page only gets the account), start and
// stop a strategy on a profile after an explicit confirmation, and the run's account, positions, pending orders,
// equity, journal and lines pushed by the server as server-sent events (no polling); a position is closed only
// after the user confirms. The active account itself (figures, positions, pending orders, recent deals) is shown
// whether or not a strategy trades on it, pushed by the server's account stream while the page is open; its
// positions can be closed after a confirmation as well.

import { api } from "./api.js";
import { loadGroups } from "./groups.js";
import { $, clear, el, fixed } from "./dom.js";
import { t } from "./i18n.js";
import { state } from "./state.js";

let selected = null; // the live run shown
let stream = null; // its EventSource
let profiles = []; // the last list of broker profiles
let lastView = null;
let accountStream = null; // the active account's EventSource while the live page is shown

function showError(id, message) {
  $(id).hidden = !message;
  $(id).textContent = message || "";
}

function guardsText(guards) {
  return !guards || guards === "none" ? t("live.no_guards") : guards;
}

function showAccount(profile, account) {
  const chip = $("#account-chip");
  if (!profile) { chip.hidden = true; return; }
  chip.hidden = false;
  chip.dataset.profile = profile;
  const parts = [profile];
  if (account && account.login) parts.push(`#${account.login}`);
  if (account && account.server) parts.push(account.server);
  if (account && account.balance !== undefined) parts.push(`${fixed(account.balance, 2)} ${account.currency || ""}`.trim());
  chip.textContent = `${t("live.active_account")}: ${parts.join(" · ")}`;
}

function showGuards() {
  const profile = profiles.find((p) => p.name === $("#live-profile").value);
  $("#live-guards").textContent = profile ? `${t("live.guards")}: ${guardsText(profile.guards)}` : "";
}

async function activate(name) {
  showError("#broker-error", "");
  const row = document.querySelector(`#brokers-table tr[data-profile="${CSS.escape(name)}"]`);
  if (row) row.dataset.switching = "1";
  try {
    const answer = await api("POST", `/api/brokers/${encodeURIComponent(name)}/activate`);
    showAccount(answer.profile, answer.account);
    await loadBrokers();
    if (answer.run) select(answer.run);
  } catch (err) {
    showError("#broker-error", err.message);
    if (row) delete row.dataset.switching;
  }
}

async function loadBrokers() {
  let rows = [];
  try { rows = await api("GET", "/api/brokers"); showError("#broker-error", ""); } catch (err) { showError("#broker-error", err.message); }
  profiles = rows;
  const table = $("#brokers-table");
  clear(table.querySelector("thead")).append(el("tr", {}, ["live.name", "live.terminal", "live.server", "live.login",
    "live.address", "live.guards", "live.password_from", "live.active", ""].map((k) => el("th", { class: "text", text: k ? t(k) : "" }))));
  const body = clear(table.querySelector("tbody"));
  for (const p of rows) {
    const active = p.active ? el("strong", { text: t("live.is_active") })
      : el("button", { type: "button", class: "secondary", text: t("live.switch"), dataset: { activate: p.name },
        onclick: () => activate(p.name) });
    body.append(el("tr", { dataset: { profile: p.name, active: p.active ? "1" : "0" } }, el("td", { class: "text", text: p.name }),
      el("td", { class: "text", text: p.terminal }), el("td", { class: "text", text: p.server }),
      el("td", { class: "text", text: p.login ? String(p.login) : "" }),
      el("td", { class: "text", text: p.host ? `${p.host}:${p.port}` : (p.path || "") }),
      el("td", { class: "text", text: guardsText(p.guards) }),
      el("td", { class: "text", text: t(`live.from_${p.password_from}`) }),
      el("td", { class: "text" }, active),
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
  const current = rows.find((p) => p.active);
  if (current) select.value = current.name;
  else if (rows.some((p) => p.name === keep)) select.value = keep;
  if (!current) showAccount(null);
  else if ($("#account-chip").dataset.profile !== current.name) showAccount(current.name, null);
  showGuards();
}

async function addBroker(event) {
  event.preventDefault();
  const number = (id) => ($(id).value.trim() === "" ? 0 : Number($(id).value));
  const body = { name: $("#b-name").value.trim(), terminal: $("#b-terminal").value, server: $("#b-server").value.trim(),
    login: number("#b-login"), host: $("#b-host").value.trim(), port: number("#b-port"), max_lots: number("#b-max-lots"),
    max_positions: number("#b-max-positions"), daily_loss_limit: number("#b-daily-loss") };
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
    "runs.market", "live.guards", "runs.state", ""].map((k) => el("th", { class: "text", text: k ? t(k) : "" }))));
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
      el("td", { class: "text", text: guardsText(run.guards) }),
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
  const row = profiles.find((p) => p.name === profile);
  const question = `${t("live.confirm_start", { strategy: state.sourceLabel, profile })}\n${t("live.guards")}: ${guardsText(row && row.guards)}`;
  if (!window.confirm(question)) return;
  try {
    const run = await api("POST", "/api/live", { strategy: state.source, profile, confirm: true,
      symbol: $("#live-symbol").value.trim().toUpperCase(), timeframe: $("#live-timeframe").value,
      interval_ms: Number($("#live-interval").value), warmup_bars: Number($("#live-warmup").value) });
    await loadRuns();
    select(run.id);
  } catch (err) { showError("#live-error", err.message); }
}

function table(id, rows, columns, key = "ticket") {
  const node = $(id);
  clear(node.querySelector("thead")).append(el("tr", {}, columns.map((c) => el("th", { class: c.text ? "text" : "", text: c.label }))));
  const body = clear(node.querySelector("tbody"));
  for (const row of rows) body.append(el("tr", { dataset: { [key]: String(row[key === "entry" ? "id" : key]) } }, columns.map((c) => c.cell(row))));
}

function positionType(value) {
  if (value === 0 || value === "buy") return t("direction.buy");
  if (value === 1 || value === "sell") return t("direction.sell");
  return String(value);
}

async function closePosition(position) {
  const question = t("live.confirm_close", { ticket: position.ticket }) +
    `\n${positionType(position.type)} ${position.volume} ${position.symbol} · ${t("trade.profit")} ${fixed(position.profit, 2)}`;
  if (!window.confirm(question)) return;
  try {
    await api("POST", `/api/live/${selected}/positions/${position.ticket}/close`, { confirm: true });
    showError("#live-error", "");
  } catch (err) { showError("#live-error", err.message); }
}

const text = (value) => (value === null || value === undefined ? "" : String(value));

function render(view) {
  const wasRunning = lastView && lastView.id === view.id ? lastView.running : null;
  lastView = view;
  $("#live-view").hidden = false;
  $("#live-title").textContent = `${view.label} · ${view.profile} · ${view.symbol} ${view.timeframe} · ${view.running ? t("live.running") : t("live.stopped")}`;
  $("#live-view").dataset.running = view.running ? "1" : "0";
  $("#live-view").dataset.version = String(view.version ?? "");
  $("#live-view-guards").textContent = `${t("live.guards")}: ${guardsText(view.guards)}`;
  const box = clear($("#live-account"));
  const account = view.account || {};
  for (const key of ["balance", "equity", "margin", "margin_free", "profit"]) {
    box.append(el("div", { class: "kpi", dataset: { key } }, el("div", { class: "label", text: t(`live.${key}`) }),
      el("div", { class: "value", text: account[key] === undefined ? "—" : `${fixed(account[key], 2)} ${account.currency || ""}` })));
  }
  table("#live-positions", view.positions, [
    { label: "#", cell: (p) => el("td", { text: String(p.ticket) }) },
    { label: t("trade.open_time"), text: true, cell: (p) => el("td", { class: "text", text: text(p.time) }) },
    { label: t("trade.direction"), text: true, cell: (p) => el("td", { class: "text", text: positionType(p.type) }) },
    { label: t("trade.volume"), cell: (p) => el("td", { text: String(p.volume) }) },
    { label: t("trade.open_price"), cell: (p) => el("td", { text: String(p.price_open) }) },
    { label: t("live.price_current"), cell: (p) => el("td", { text: text(p.price_current) }) },
    { label: t("trade.sl"), cell: (p) => el("td", { text: p.sl ? String(p.sl) : "" }) },
    { label: t("trade.tp"), cell: (p) => el("td", { text: p.tp ? String(p.tp) : "" }) },
    { label: t("trade.profit"), cell: (p) => el("td", { text: fixed(p.profit, 2) }) },
    { label: "", cell: (p) => el("td", {}, view.running ? el("button", { type: "button", class: "secondary", text: t("live.close"),
      dataset: { close: String(p.ticket) }, onclick: () => closePosition(p) }) : "") },
  ]);
  table("#live-orders", view.orders, [
    { label: "#", cell: (o) => el("td", { text: String(o.ticket) }) },
    { label: t("trade.direction"), text: true, cell: (o) => el("td", { class: "text", text: text(o.type) }) },
    { label: t("trade.volume"), cell: (o) => el("td", { text: text(o.volume_current) }) },
    { label: t("trade.open_price"), cell: (o) => el("td", { text: text(o.price_open) }) },
  ]);
  table("#live-journal", view.journal || [], [
    { label: "#", cell: (j) => el("td", { text: String(j.id) }) },
    { label: t("live.journal_state"), text: true, cell: (j) => el("td", { class: "text", text: text(j.state) }) },
    { label: t("field.symbol"), text: true, cell: (j) => el("td", { class: "text", text: text(j.symbol) }) },
    { label: t("trade.direction"), text: true, cell: (j) => el("td", { class: "text", text: j.type === null || j.type === undefined ? "" : positionType(j.type) }) },
    { label: t("trade.volume"), cell: (j) => el("td", { text: text(j.volume) }) },
    { label: t("live.price"), cell: (j) => el("td", { text: text(j.price) }) },
    { label: t("live.retcode"), cell: (j) => el("td", { text: text(j.retcode) }) },
    { label: t("live.order"), cell: (j) => el("td", { text: text(j.order) }) },
    { label: t("live.comment"), text: true, cell: (j) => el("td", { class: "text", text: text(j.comment) }) },
    { label: t("live.answer"), text: true, cell: (j) => el("td", { class: "text", text: text(j.answer) }) },
  ], "entry");
  $("#live-lines").textContent = (view.account_error ? `${view.account_error}\n` : "") + view.lines.join("\n");
  if (window.Plotly && view.equity && view.equity.length) {
    window.Plotly.react($("#live-equity"), [{ x: view.equity.map((p) => p[0]), y: view.equity.map((p) => p[1]), type: "scatter",
      mode: "lines", name: t("chart.equity") }], { margin: { l: 60, r: 20, t: 10, b: 30 }, uirevision: selected },
    { displaylogo: false, responsive: true });
  }
  if (wasRunning !== null && wasRunning !== view.running) loadRuns();
}

function select(id) {
  if (stream) stream.close();
  selected = id;
  lastView = null;
  $("#live-view").dataset.stream = "connecting";
  stream = new EventSource(`/api/live/${id}/events`);
  const mine = stream;
  stream.addEventListener("open", () => { if (mine === stream) $("#live-view").dataset.stream = "open"; });
  stream.addEventListener("view", (event) => { if (mine === stream) render(JSON.parse(event.data)); });
  stream.addEventListener("end", () => {
    mine.close();
    if (mine === stream) { $("#live-view").dataset.stream = "ended"; loadRuns(); }
  });
  stream.addEventListener("error", () => {
    if (mine === stream && mine.readyState === EventSource.CLOSED) $("#live-view").dataset.stream = "closed";
  });
}

async function closeAccountPosition(position) {
  const question = t("live.confirm_close", { ticket: position.ticket }) +
    `\n${positionType(position.type)} ${position.volume} ${position.symbol} · ${t("trade.profit")} ${fixed(position.profit, 2)}`;
  if (!window.confirm(question)) return;
  try {
    await api("POST", `/api/account/positions/${position.ticket}/close`, { confirm: true });
    showError("#account-error", "");
  } catch (err) { showError("#account-error", err.message); }
}

function renderAccount(view) {
  const panel = $("#account-view");
  panel.hidden = !view.profile;
  if (!view.profile) return;
  panel.dataset.profile = view.profile;
  panel.dataset.version = String(view.version ?? "");
  panel.dataset.connected = view.connected ? "1" : "0";
  const account = view.account || {};
  $("#account-title").textContent = [view.profile, account.login ? `#${account.login}` : "", account.server || "",
    view.connected ? "" : t("live.not_connected")].filter(Boolean).join(" · ");
  showError("#account-error", view.error || "");
  const box = clear($("#account-figures"));
  for (const key of ["balance", "equity", "margin", "margin_free", "profit"]) {
    box.append(el("div", { class: "kpi", dataset: { key } }, el("div", { class: "label", text: t(`live.${key}`) }),
      el("div", { class: "value", text: account[key] === undefined ? "—" : `${fixed(account[key], 2)} ${account.currency || ""}` })));
  }
  table("#account-positions", view.positions || [], [
    { label: "#", cell: (p) => el("td", { text: String(p.ticket) }) },
    { label: t("trade.open_time"), text: true, cell: (p) => el("td", { class: "text", text: text(p.time) }) },
    { label: t("field.symbol"), text: true, cell: (p) => el("td", { class: "text", text: text(p.symbol) }) },
    { label: t("trade.direction"), text: true, cell: (p) => el("td", { class: "text", text: positionType(p.type) }) },
    { label: t("trade.volume"), cell: (p) => el("td", { text: String(p.volume) }) },
    { label: t("trade.open_price"), cell: (p) => el("td", { text: String(p.price_open) }) },
    { label: t("live.price_current"), cell: (p) => el("td", { text: text(p.price_current) }) },
    { label: t("trade.sl"), cell: (p) => el("td", { text: p.sl ? String(p.sl) : "" }) },
    { label: t("trade.tp"), cell: (p) => el("td", { text: p.tp ? String(p.tp) : "" }) },
    { label: t("trade.profit"), cell: (p) => el("td", { text: fixed(p.profit, 2) }) },
    { label: "", cell: (p) => el("td", {}, el("button", { type: "button", class: "secondary", text: t("live.close"),
      dataset: { close: String(p.ticket) }, onclick: () => closeAccountPosition(p) })) },
  ]);
  table("#account-orders", view.orders || [], [
    { label: "#", cell: (o) => el("td", { text: String(o.ticket) }) },
    { label: t("field.symbol"), text: true, cell: (o) => el("td", { class: "text", text: text(o.symbol) }) },
    { label: t("trade.direction"), text: true, cell: (o) => el("td", { class: "text", text: text(o.type) }) },
    { label: t("trade.volume"), cell: (o) => el("td", { text: text(o.volume_current) }) },
    { label: t("trade.open_price"), cell: (o) => el("td", { text: text(o.price_open) }) },
  ]);
  table("#account-deals", view.deals || [], [
    { label: "#", cell: (d) => el("td", { text: String(d.ticket) }) },
    { label: t("live.deal_time"), text: true, cell: (d) => el("td", { class: "text", text: text(d.time) }) },
    { label: t("live.deal_position"), cell: (d) => el("td", { text: text(d.position_id) }) },
    { label: t("field.symbol"), text: true, cell: (d) => el("td", { class: "text", text: text(d.symbol) }) },
    { label: t("trade.direction"), text: true, cell: (d) => el("td", { class: "text", text: positionType(d.type) }) },
    { label: t("live.entry"), text: true, cell: (d) => el("td", { class: "text", text: d.entry === 0 ? t("live.entry_in") : (d.entry === 1 ? t("live.entry_out") : text(d.entry)) }) },
    { label: t("trade.volume"), cell: (d) => el("td", { text: text(d.volume) }) },
    { label: t("live.price"), cell: (d) => el("td", { text: text(d.price) }) },
    { label: t("trade.profit"), cell: (d) => el("td", { text: fixed(d.profit, 2) }) },
  ]);
}

function watchAccount(on) {
  if (accountStream) { accountStream.close(); accountStream = null; }
  if (!on) return;
  const mine = accountStream = new EventSource("/api/account/events");
  mine.addEventListener("open", () => { if (mine === accountStream) $("#account-view").dataset.stream = "open"; });
  mine.addEventListener("view", (event) => { if (mine === accountStream) renderAccount(JSON.parse(event.data)); });
}

function accountPanel() {
  const heading = (key) => el("h3", { text: t(key), dataset: { i18n: key } });
  const tableOf = (id) => el("div", { class: "table-wrap" }, el("table", { id }, el("thead"), el("tbody")));
  return el("div", { class: "panel", id: "account-view", hidden: true },
    el("h2", {}, el("span", { text: t("live.account_title"), dataset: { i18n: "live.account_title" } }), ": ",
      el("span", { id: "account-title" })),
    el("p", { class: "note", text: t("live.account_note"), dataset: { i18n: "live.account_note" } }),
    el("div", { class: "kpis", id: "account-figures" }),
    heading("live.positions"), tableOf("account-positions"),
    heading("live.orders"), tableOf("account-orders"),
    heading("live.deals"), tableOf("account-deals"),
    el("div", { id: "account-error", class: "error", hidden: true }));
}

async function loadAccount() {
  try {
    const active = await api("GET", "/api/account");
    if (active.profile && active.run && !selected) select(active.run);
  } catch (err) { showError("#live-error", err.message); }
}

export function initLive() {
  $("#live-timeframe").value = "H1";
  $("#brokers-table").closest(".panel").after(accountPanel());
  $("#broker-form").addEventListener("submit", addBroker);
  $("#live-form").addEventListener("submit", start);
  $("#live-profile").addEventListener("change", showGuards);
  document.addEventListener("mas:page", async (e) => {
    watchAccount(e.detail === "live");
    if (e.detail !== "live") return;
    $("#live-strategy").textContent = state.sourceLabel || "—";
    await loadBrokers();
    await loadRuns();
    await loadAccount();
    await loadGroups();
  });
  document.addEventListener("mas:source", () => { $("#live-strategy").textContent = state.sourceLabel || "—"; });
  loadBrokers();
}
