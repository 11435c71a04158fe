// The runs page: every run kept in the database, and two finished runs compared side by side.

import { api } from "./api.js";
import { $, clear, el, fixed, showPage } from "./dom.js";
import { t } from "./i18n.js";
import { KPIS, openRun } from "./result.js";

const picked = new Set();

function updateCompareButton() {
  $("#compare-button").disabled = picked.size !== 2;
}

export async function loadRuns() {
  const runs = await api("GET", "/api/runs");
  const table = $("#runs-table");
  const head = clear(table.querySelector("thead"));
  head.append(el("tr", {}, ["", "runs.created", "runs.strategy", "runs.market", "runs.range", "runs.state",
    "kpi.total_return_rate", "kpi.number_of_trades", ""].map((key) => el("th", { class: "text", text: key ? t(key) : "" }))));
  const body = clear(table.querySelector("tbody"));
  for (const id of [...picked]) if (!runs.some((r) => r.id === id && r.state === "done")) picked.delete(id);
  for (const run of runs) {
    const req = run.request || {};
    const done = run.state === "done";
    const box = el("input", { type: "checkbox", disabled: !done, checked: picked.has(run.id), dataset: { run: run.id },
      onchange: (e) => { if (e.target.checked) picked.add(run.id); else picked.delete(run.id); updateCompareButton(); } });
    const actions = el("td", { class: "text" });
    if (done) actions.append(el("button", { type: "button", class: "secondary", text: t("runs.open"),
      onclick: async () => { await openRun(run.id); showPage("result"); } }));
    if (!["queued", "running"].includes(run.state)) actions.append(" ", el("button", { type: "button", class: "secondary",
      text: t("strategy.delete"), onclick: async () => { await api("DELETE", `/api/runs/${run.id}`); picked.delete(run.id); await loadRuns(); } }));
    body.append(el("tr", { dataset: { run: run.id } }, el("td", {}, box),
      el("td", { class: "text", text: run.created_at.slice(0, 19) }),
      el("td", { class: "text", text: run.label }),
      el("td", { class: "text", text: `${req.symbol || ""} ${req.timeframe || ""}` }),
      el("td", { class: "text", text: `${req.from || "…"} → ${req.to || "…"}` }),
      el("td", { class: `text state-${run.state}`, text: t(`state.${run.state}`) + (run.error ? `: ${run.error}` : "") }),
      el("td", { text: run.kpis ? `${fixed(run.kpis.total_return_rate, 2)} %` : "" }),
      el("td", { text: run.kpis ? fixed(run.kpis.number_of_trades, 0) : "" }),
      actions));
  }
  updateCompareButton();
}

const SETTINGS = ["symbol", "timeframe", "from", "to", "model", "capital", "leverage", "spread", "commission"];

async function compare() {
  const [a, b] = [...picked];
  const data = await api("GET", `/api/compare?a=${a}&b=${b}`);
  const table = $("#compare-table");
  const head = clear(table.querySelector("thead"));
  head.append(el("tr", {}, el("th", { class: "text", text: "" }),
    data.runs.map((r) => el("th", { class: "text", text: r.label }))));
  const body = clear(table.querySelector("tbody"));
  for (const key of SETTINGS) {
    body.append(el("tr", {}, el("td", { class: "text", text: t(`field.${key}`) }),
      data.runs.map((r) => el("td", { class: "text", text: String(r.request[key] ?? "—") }))));
  }
  for (const kpi of KPIS) {
    body.append(el("tr", { dataset: { key: kpi.key } }, el("td", { class: "text", text: t(`kpi.${kpi.key}`) }),
      data.runs.map((r) => el("td", { text: r.kpis[kpi.key] == null ? "—" : kpi.format(r.kpis[kpi.key], r.settings.currency || ""),
        dataset: { value: String(r.kpis[kpi.key] ?? "") } }))));
  }
  $("#compare-panel").hidden = false;
}

export function initRuns() {
  $("#compare-button").addEventListener("click", compare);
  document.addEventListener("mas:page", (e) => { if (e.detail === "runs") loadRuns(); });
  document.addEventListener("mas:lang", () => { if (!$("#page-runs").hidden) loadRuns(); });
}
