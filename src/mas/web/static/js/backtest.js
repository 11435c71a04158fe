// The backtest page: what to replay and the account -> a background job, watched until it ends or is cancelled
// (each state request waits on the server until the job ends or WAIT_S passes: the end is known at once).

import { api, csrfToken } from "./api.js";
import { $, clear, el, showPage } from "./dom.js";
import { t } from "./i18n.js";
import { state } from "./state.js";
import { openRun, showTiles } from "./result.js";

const WAIT_S = 0.5; // the longest one state request waits: the progress shown is at most this old
const MAX_POLLS = 7200; // an hour of watching at most; the job keeps running on the server either way
let watching = null; // the job id the page waits for
let submitted = 0; // when the page sent it (for the elapsed time shown while it runs)

function optionalNumber(id) {
  const raw = $(id).value.trim();
  return raw === "" ? null : Number(raw);
}

export function backtestRequest() {
  const body = {
    strategy: state.source,
    symbol: $("#bt-symbol").value.trim().toUpperCase(),
    timeframe: $("#bt-timeframe").value,
    model: $("#bt-model").value,
    capital: Number($("#bt-capital").value),
    leverage: Number($("#bt-leverage").value),
    spread: optionalNumber("#bt-spread"),
    commission: optionalNumber("#bt-commission"),
  };
  if ($("#bt-from").value) body.from = $("#bt-from").value;
  if ($("#bt-to").value) body.to = $("#bt-to").value;
  return body;
}

function showStatus(job) {
  const status = $("#job-status");
  $("#job-box").hidden = false;
  status.dataset.state = job.state;
  status.className = `state-${job.state}`;
  const waited = ["queued", "running"].includes(job.state) && submitted
    ? ` (${Math.round((Date.now() - submitted) / 1000)} s)` : "";
  const progress = job.progress;
  let done = "";
  const bar = $("#job-progress");
  if (progress && progress.total) {
    done = ` · ${t("backtest.bars_done", { done: progress.done.toLocaleString("en-US"), total: progress.total.toLocaleString("en-US") })}`;
    bar.max = progress.total;
    bar.value = progress.done;
    bar.hidden = false;
    status.dataset.done = String(progress.done);
    status.dataset.total = String(progress.total);
  } else if (progress && progress.phase === "loading") {
    done = ` · ${t("backtest.loading")}`;
  }
  if (!["queued", "running"].includes(job.state)) bar.hidden = true;
  status.textContent = t(`state.${job.state}`) + waited + done + (job.error ? `: ${job.error}` : "");
  $("#cancel-button").hidden = !["queued", "running"].includes(job.state);
}

function showError(message) {
  const box = $("#backtest-error");
  box.hidden = !message;
  box.textContent = message || "";
}

async function run(event) {
  event.preventDefault();
  showError("");
  if (!state.source) { showError(t("backtest.no_strategy")); return; }
  const button = $("#run-button");
  button.disabled = true;
  try {
    const job = await api("POST", "/api/backtests", backtestRequest());
    watching = job.job;
    submitted = Date.now();
    $("#job-progress").value = 0;
    delete $("#job-status").dataset.done;
    showStatus({ state: "queued" });
    await waitFor(job.job);
  } catch (err) {
    showError(err.message);
  } finally {
    button.disabled = false;
  }
}

async function waitFor(id) {
  for (let i = 0; i < MAX_POLLS && watching === id; i += 1) {
    const started = Date.now();
    const job = await api("GET", `/api/jobs/${id}?wait=${WAIT_S}`);
    if (watching !== id) return;
    showStatus(job);
    if (job.state === "done") {
      watching = null;
      if (job.result) { showTiles(id, job.label, job.result); showPage("result"); } // the tiles now, the rest once read
      await openRun(id);
      if (!job.result) showPage("result");
      return;
    }
    if (["failed", "cancelled"].includes(job.state)) { watching = null; return; }
    const early = WAIT_S * 1000 - (Date.now() - started); // a server that did not wait: the page waits instead
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
  }
}

async function cancel() {
  const id = watching;
  if (!id) return;
  watching = null; // the page stops waiting at once
  try {
    showStatus(await api("POST", `/api/jobs/${id}/cancel`));
  } catch (err) {
    showError(err.message);
  }
}

function exportBody() {
  const request = backtestRequest();
  const body = { strategy: state.source, symbol: request.symbol || null, timeframe: request.timeframe,
    capital: request.capital, live: $("#export-live").checked };
  if (request.from) body.from = request.from;
  if (request.to) body.to = request.to;
  return body;
}

// The standalone program of the strategy (mas strategy export), with this page's market and dates baked in;
// an uploaded .py file comes back as a zip of the file and the runner that runs it as `mas backtest` does.
async function exportProgram() {
  showError("");
  if (!state.source) { showError(t("backtest.no_strategy")); return; }
  const body = exportBody();
  const response = await fetch("/api/strategy/export", { method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "text/x-python, application/zip, application/json",
      "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(body) });
  if (!response.ok) {
    const data = (response.headers.get("content-type") || "").includes("json") ? await response.json() : null;
    showError(data && data.detail ? String(data.detail) : `${response.status} ${response.statusText}`);
    return;
  }
  const match = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: match ? match[1] : "strategy.py" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// The one-file executable (PyInstaller, the optional extra mas-sdk[exe]): built on the server in the background.
let building = null;

async function checkExecutables() {
  try {
    const info = await api("GET", "/api/export/exe");
    $("#exe-button").hidden = !info.available;
    $("#exe-box").hidden = !info.available;
    $("#exe-missing").hidden = info.available;
    $("#exe-install").textContent = info.install;
  } catch { $("#exe-missing").hidden = false; }
}

function showBuild(build) {
  const status = $("#exe-status");
  status.dataset.state = build.state;
  status.className = `state-${build.state}`;
  const steps = build.state === "running" && build.lines ? ` · ${t("backtest.exe_steps", { lines: build.lines })}: ${build.phase}` : "";
  status.textContent = t(`state.${build.state}`) + steps + (build.error ? `: ${build.error}` : "");
  $("#exe-cancel").hidden = !["queued", "running"].includes(build.state);
  const link = $("#exe-download");
  link.hidden = build.state !== "done";
  if (build.state === "done") {
    link.href = `/api/export/exe/${build.id}/file`;
    link.download = build.file;
  }
}

async function buildExecutable() {
  showError("");
  if (!state.source) { showError(t("backtest.no_strategy")); return; }
  $("#exe-button").disabled = true;
  try {
    const build = await api("POST", "/api/export/exe", exportBody());
    building = build.id;
    showBuild({ ...build, lines: 0 });
    for (let i = 0; i < MAX_POLLS && building === build.id; i += 1) {
      const now = await api("GET", `/api/export/exe/${build.id}`);
      if (building !== build.id) break;
      showBuild(now);
      if (["done", "failed", "cancelled"].includes(now.state)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (err) {
    showError(err.message);
  } finally {
    building = null;
    $("#exe-button").disabled = false;
  }
}

async function cancelBuild() {
  const id = building;
  if (!id) return;
  building = null;
  try { showBuild(await api("POST", `/api/export/exe/${id}/cancel`)); } catch (err) { showError(err.message); }
}

async function loadDatasets() {
  const list = clear($("#symbols"));
  try {
    const seen = new Set();
    for (const d of await api("GET", "/api/datasets")) {
      if (!seen.has(d.symbol)) list.append(el("option", { value: d.symbol }));
      seen.add(d.symbol);
    }
  } catch { /* the field still takes any symbol */ }
}

function showSource() {
  $("#bt-strategy").textContent = state.sourceLabel || "—";
  const spec = state.source && state.source.kind !== "builtin" && state.reading ? state.reading.spec : null;
  if (spec && spec.symbol) $("#bt-symbol").value = spec.symbol;
  if (spec && spec.timeframe) $("#bt-timeframe").value = spec.timeframe;
}

export function initBacktest() {
  $("#bt-timeframe").value = "H1";
  $("#backtest-form").addEventListener("submit", run);
  $("#cancel-button").addEventListener("click", cancel);
  $("#export-button").addEventListener("click", exportProgram);
  $("#exe-button").addEventListener("click", buildExecutable);
  $("#exe-cancel").addEventListener("click", cancelBuild);
  checkExecutables();
  document.addEventListener("mas:source", showSource);
  loadDatasets();
}
