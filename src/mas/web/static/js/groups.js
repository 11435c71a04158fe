// Account groups on the brokers page: the groups of groups.toml and each one's consolidated status (per account
// and summed, the exposure per symbol), read by the server on request; nothing is sent to any broker.

import { api } from "./api.js";
import { $, clear, el, fixed } from "./dom.js";
import { t } from "./i18n.js";

const ACCOUNT_COLUMNS = ["balance", "equity", "margin", "margin_free", "profit", "realised_today"];
const EXPOSURE_COLUMNS = ["long_lots", "short_lots", "net_lots", "value"];

function showError(text) {
  const box = $("#group-error");
  box.textContent = text || "";
  box.hidden = !text;
}

function head(table, keys) {
  clear(table.querySelector("thead")).append(el("tr", {}, keys.map((k) => el("th", { text: t(`groups.${k}`) }))));
}

function accountRow(name, login, row, isTotal) {
  return el("tr", { class: isTotal ? "total" : undefined, dataset: { account: name } },
    el("td", { text: name }), el("td", { class: "num", text: login ?? "" }),
    ACCOUNT_COLUMNS.map((k) => el("td", { class: "num", dataset: { key: k, value: String(row[k]) }, text: fixed(row[k], 2) })),
    el("td", { class: "num", text: String(row.positions) }), el("td", { class: "num", text: String(row.pending_orders) }));
}

function renderStatus(report) {
  $("#group-status-title").textContent = t("groups.status_of", { name: report.group });
  const accounts = $("#group-accounts");
  head(accounts, ["account", "login", ...ACCOUNT_COLUMNS, "positions", "pending_orders"]);
  const body = clear(accounts.querySelector("tbody"));
  for (const a of report.accounts) body.append(accountRow(a.profile, a.account, a, false));
  body.append(accountRow(t("groups.total"), "", report.totals, true));
  const exposure = $("#group-exposure");
  head(exposure, ["symbol", ...EXPOSURE_COLUMNS]);
  const rows = clear(exposure.querySelector("tbody"));
  for (const e of report.exposure) {
    rows.append(el("tr", { dataset: { symbol: e.symbol } }, el("td", { text: e.symbol }),
      EXPOSURE_COLUMNS.map((k) => el("td", { class: "num", text: k === "value" ? fixed(e[k], 2) : String(e[k]) }))));
  }
  $("#group-status").hidden = false;
  const problems = Object.entries(report.problems || {}).map(([name, why]) => `${name}: ${why}`);
  showError(problems.join("\n"));
}

async function showStatus(name) {
  showError(t("groups.reading"));
  try {
    renderStatus(await api("GET", `/api/groups/${encodeURIComponent(name)}/status`));
  } catch (err) {
    $("#group-status").hidden = true;
    showError(err.message);
  }
}

export async function loadGroups() {
  let groups = [];
  try { groups = await api("GET", "/api/groups"); showError(""); } catch (err) { showError(err.message); return; }
  const table = $("#groups-table");
  head(table, ["name", "members", "allocation", "status"]);
  const body = clear(table.querySelector("tbody"));
  if (!groups.length) body.append(el("tr", {}, el("td", { colspan: "4", text: t("groups.none") })));
  for (const g of groups) {
    body.append(el("tr", { dataset: { group: g.name } }, el("td", { text: g.name }),
      el("td", { text: g.members.join(", ") }), el("td", { text: g.allocation }),
      el("td", {}, el("button", { type: "button", class: "secondary", text: t("groups.status"),
        onclick: () => showStatus(g.name) }))));
  }
}
