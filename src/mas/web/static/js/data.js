// The data page: what is stored (ranges, gaps) with a quality check per series and, for the user's own store, a
// removal after the user confirms; a file uploaded and imported (MT5 export, HistData, Dukascopy .bi5, CSV); and a
// download with its progress, which the user can cancel (it stops before its next file).

import { api, upload } from "./api.js";
import { $, clear, el, fixed } from "./dom.js";
import { t } from "./i18n.js";

const POLL_MS = 300;
const MAX_POLLS = 12000;
let downloading = null; // the id of the download under way

function showError(id, message) {
  $(id).hidden = !message;
  $(id).textContent = message || "";
}

async function check(row) {
  showError("#data-error", "");
  const params = new URLSearchParams({ symbol: row.symbol });
  if (row.timeframe === "TICKS") params.set("ticks", "true"); else params.set("timeframe", row.timeframe);
  try {
    const reports = await api("GET", `/api/data/check?${params}`);
    const box = clear($("#data-check"));
    box.hidden = false;
    for (const report of reports) {
      box.append(el("h3", { text: `${report.symbol} ${report.timeframe} · ${fixed(report.rows, 0)} · ${report.first || ""} → ${report.last || ""}` }));
      box.dataset.gaps = String(report.gap_count);
      box.dataset.problems = String(report.problems.length);
      const items = el("ul", { class: "plain" });
      if (!report.problems.length) items.append(el("li", { class: "ok", text: t("data.no_problems") }));
      for (const p of report.problems) items.append(el("li", { text: `${p.description}: ${p.count} (${p.first_times.join(", ")})` }));
      items.append(el("li", { text: t("data.gap_count", { count: report.gap_count }) }));
      for (const g of report.gaps) items.append(el("li", { class: "note", text: `${g.start} → ${g.end} (${g.missing_bars})` }));
      box.append(items);
    }
  } catch (err) { showError("#data-error", err.message); }
}

async function remove(row) {
  showError("#data-error", "");
  const ticks = row.timeframe === "TICKS";
  const what = ticks ? t("data.ticks_of", { symbol: row.symbol }) : `${row.symbol} ${row.timeframe}`;
  if (!window.confirm(t("data.confirm_remove", { what, rows: fixed(row.rows, 0) }))) return;
  const params = new URLSearchParams(ticks ? { ticks: "true" } : { timeframe: row.timeframe });
  try {
    await api("DELETE", `/api/data/stored/${encodeURIComponent(row.symbol)}?${params}`);
    $("#data-check").hidden = true;
  } catch (err) { showError("#data-error", err.message); }
  await loadData();
}

export async function loadData() {
  let rows = [];
  try { rows = await api("GET", "/api/data"); showError("#data-error", ""); } catch (err) { showError("#data-error", err.message); }
  const table = $("#data-table");
  clear(table.querySelector("thead")).append(el("tr", {}, ["field.symbol", "field.timeframe", "data.rows", "data.first",
    "data.last", "data.side", "data.gaps", "data.source", ""].map((k) => el("th", { class: "text", text: k ? t(k) : "" }))));
  const body = clear(table.querySelector("tbody"));
  for (const row of rows) {
    body.append(el("tr", { dataset: { symbol: row.symbol, timeframe: row.timeframe } },
      el("td", { class: "text", text: row.symbol }), el("td", { class: "text", text: row.timeframe }),
      el("td", { class: "text", text: fixed(row.rows, 0) }), el("td", { class: "text", text: row.first || "" }),
      el("td", { class: "text", text: row.last || "" }), el("td", { class: "text", text: row.price_side }),
      el("td", { class: "text", text: String(row.gaps) }),
      el("td", { class: "text", text: t(`data.source_${row.source}`) }),
      el("td", { class: "text" }, el("button", { type: "button", class: "secondary", text: t("data.check"),
        dataset: { check: `${row.symbol}-${row.timeframe}` }, onclick: () => check(row) }),
      row.source === "user" ? " " : "",
      row.source === "user" ? el("button", { type: "button", class: "secondary", text: t("data.remove"),
        dataset: { remove: `${row.symbol}-${row.timeframe}` }, onclick: () => remove(row) }) : "")));
  }
}

async function importFile(event) {
  event.preventDefault();
  showError("#import-error", "");
  $("#import-result").textContent = "";
  const file = $("#imp-file").files[0];
  if (!file) { showError("#import-error", t("data.no_file")); return; }
  const params = new URLSearchParams({ symbol: $("#imp-symbol").value.trim().toUpperCase(), name: file.name });
  if ($("#imp-timeframe").value) params.set("timeframe", $("#imp-timeframe").value);
  if ($("#imp-format").value) params.set("format", $("#imp-format").value);
  if ($("#imp-tz").value.trim() !== "") params.set("tz_offset", $("#imp-tz").value.trim());
  $("#imp-button").disabled = true;
  try {
    const report = await upload(`/api/data/import?${params}`, file);
    $("#import-result").dataset.rows = String(report.rows_stored);
    $("#import-result").textContent = t("data.imported", { rows: fixed(report.rows_stored, 0), symbol: report.symbol,
      timeframe: report.timeframe, first: report.first || "", last: report.last || "", added: report.bars_added });
    await loadData();
  } catch (err) { showError("#import-error", err.message); } finally { $("#imp-button").disabled = false; }
}

async function download(event) {
  event.preventDefault();
  showError("#download-error", "");
  const body = { symbol: $("#dl-symbol").value.trim().toUpperCase(), from: $("#dl-from").value, to: $("#dl-to").value,
    ticks: $("#dl-ticks").checked };
  if ($("#dl-source").value) { body.profile = $("#dl-source").value; body.timeframe = $("#dl-timeframe").value; }
  $("#dl-button").disabled = true;
  const status = $("#dl-status");
  try {
    const { id } = await api("POST", "/api/data/downloads", body);
    downloading = id;
    $("#dl-box").hidden = false;
    $("#dl-cancel").hidden = false;
    for (let i = 0; i < MAX_POLLS; i += 1) {
      const view = await api("GET", `/api/data/downloads/${id}`);
      status.dataset.state = view.state;
      $("#dl-progress").max = Math.max(view.total, 1);
      $("#dl-progress").value = view.done;
      status.textContent = `${t(`state.${view.state}`)} · ${t("data.files_done", { done: view.done, total: view.total })}` +
        (view.report ? ` · ${t("data.rows_stored", { rows: fixed(view.report.rows_stored, 0) })}` : "") +
        (view.error ? `: ${view.error}` : "");
      if (view.state !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await loadData();
  } catch (err) { showError("#download-error", err.message); } finally {
    downloading = null;
    $("#dl-cancel").hidden = true;
    $("#dl-button").disabled = false;
  }
}

async function cancelDownload() {
  if (!downloading) return;
  $("#dl-cancel").disabled = true;
  try { await api("POST", `/api/data/downloads/${downloading}/cancel`); } catch (err) { showError("#download-error", err.message); }
  $("#dl-cancel").disabled = false;
}

async function loadSources() {
  const select = $("#dl-source");
  const keep = select.value;
  clear(select).append(el("option", { value: "", text: "Dukascopy" }));
  try {
    for (const p of await api("GET", "/api/brokers")) {
      select.append(el("option", { value: p.name, text: `${t("live.profile")}: ${p.name} (${p.terminal})` }));
    }
  } catch { /* Dukascopy stays */ }
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

export function initData() {
  $("#import-form").addEventListener("submit", importFile);
  $("#download-form").addEventListener("submit", download);
  $("#dl-box").append(el("button", { type: "button", class: "secondary", id: "dl-cancel", hidden: true,
    text: t("backtest.cancel"), dataset: { i18n: "backtest.cancel" }, onclick: cancelDownload }));
  $("#dl-timeframe").value = "M1";
  document.addEventListener("mas:page", (e) => { if (e.detail === "data") { loadData(); loadSources(); } });
}
