// The strategy page: text -> the spec read back in plain words, an editable form checked by the server,
// the built-ins and the library of saved strategies.

import { api, ApiError, upload } from "./api.js";
import { $, clear, el, showPage } from "./dom.js";
import { lang, t } from "./i18n.js";
import { setSource, state } from "./state.js";

const UNITS = ["pips", "points", "percent", "atr"];
const EMPTY_TEXT = "";

function unitOptions() {
  for (const select of document.querySelectorAll("select.units")) {
    const keep = select.value;
    clear(select);
    for (const unit of UNITS) select.append(el("option", { value: unit, text: t(`unit.${unit}`) }));
    if (keep) select.value = keep;
  }
}

function showRefusal(box, err, text) {
  clear(box);
  box.hidden = false;
  const info = err.error || {};
  box.append(el("div", { class: "error-title", text: t(info.kind === "ambiguous" ? "error.ambiguous" : "error.refused") }));
  box.append(el("div", { class: "error-message", text: err.message }));
  if (text && info.start >= 0 && info.end > info.start && info.end <= text.length) {
    box.append(el("div", { class: "error-quote" }, `${t("error.in_text")}: `, text.slice(0, info.start),
      el("mark", { text: text.slice(info.start, info.end) }), text.slice(info.end)));
  } else if (info.fragment) {
    box.append(el("div", { class: "error-quote" }, `${t("error.in_text")}: `, el("mark", { text: info.fragment })));
  }
  if (info.readings && info.readings.length) {
    box.append(el("div", { text: t("error.choices") }));
    const located = text && info.start >= 0 && info.end > info.start && info.end <= text.length;
    box.append(el("ol", { class: "readings" }, info.readings.map((reading) => el("li", {}, located
      ? el("button", { type: "button", class: "secondary", text: reading, onclick: () => pickReading(text, info, reading) })
      : reading))));
  }
}

/** The text with the ambiguous words replaced by the picked reading ("stop loss 50" + "50 pips" ->
 * "stop loss 50 pips"; otherwise the words give way to the reading), read again. */
async function pickReading(text, info, reading) {
  const words = text.slice(info.start, info.end);
  const last = words.match(/(\S+)$/);
  const replaced = last && reading.startsWith(last[1]) ? words.slice(0, last.index) + reading : reading;
  const candidate = text.slice(0, info.start) + replaced + text.slice(info.end);
  $("#strategy-text").value = candidate;
  await parseText(candidate);
}

function renderReading(reading) {
  state.reading = reading;
  $("#spec-panel").hidden = false;
  $("#explanation").textContent = reading.explanation;
  const rules = clear($("#f-rules"));
  for (const rule of reading.rules) {
    rules.append(el("li", {}, el("span", { class: "card-title", text: `${t(`rule.${rule.rule}`)}: ` }), rule.words));
  }
  const box = clear($("#f-indicators"));
  if (!reading.indicators.length) box.append(el("p", { class: "note", text: t("strategy.no_indicators") }));
  for (const ind of reading.indicators) {
    const row = el("div", { class: "row" }, el("span", { class: "card-title", text: `${ind.id} (${ind.kind})` }));
    for (const [key, value] of Object.entries(ind.numbers)) {
      row.append(el("label", { class: "field" }, el("span", { text: key }),
        el("input", { type: "number", step: "any", min: "0", value, dataset: { ind: ind.id, key } })));
    }
    box.append(row);
  }
  const spec = reading.spec;
  const risk = spec.risk || {};
  $("#f-symbol").value = spec.symbol || "";
  $("#f-timeframe").value = spec.timeframe || "";
  $("#f-size-kind").value = risk.risk_percent != null ? "risk" : "lots";
  $("#f-size").value = risk.risk_percent != null ? risk.risk_percent : (risk.lots ?? 0.1);
  $("#f-max-positions").value = risk.max_open_positions ?? 1;
  $("#f-exit-bars").value = risk.exit_after_bars ?? "";
  for (const [name, prefix] of [["stop_loss", "sl"], ["take_profit", "tp"]]) {
    const distance = risk[name];
    $(`#f-${prefix}-value`).value = distance ? distance.value : "";
    $(`#f-${prefix}-unit`).value = distance ? distance.unit : "pips";
  }
  $("#check-status").textContent = "";
}

function number(id) {
  const raw = $(id).value.trim();
  return raw === "" ? null : Number(raw);
}

/** The shown spec with the form's values put in (the server validates it). */
function specFromForm() {
  const spec = structuredClone(state.reading.spec);
  const symbol = $("#f-symbol").value.trim();
  if (symbol) spec.symbol = symbol; else delete spec.symbol;
  const timeframe = $("#f-timeframe").value;
  if (timeframe) spec.timeframe = timeframe; else delete spec.timeframe;
  const risk = { ...(spec.risk || {}) };
  if ($("#f-size-kind").value === "risk") risk.risk_percent = number("#f-size");
  else { risk.lots = number("#f-size"); delete risk.risk_percent; }
  risk.max_open_positions = number("#f-max-positions") ?? 1;
  const bars = number("#f-exit-bars");
  if (bars === null) delete risk.exit_after_bars; else risk.exit_after_bars = bars;
  for (const [name, prefix] of [["stop_loss", "sl"], ["take_profit", "tp"]]) {
    const value = number(`#f-${prefix}-value`);
    if (value === null) delete risk[name];
    else risk[name] = { ...(risk[name] || {}), unit: $(`#f-${prefix}-unit`).value, value };
  }
  spec.risk = risk;
  for (const input of document.querySelectorAll("#f-indicators input[data-ind]")) {
    const ind = spec.indicators.find((i) => i.id === input.dataset.ind);
    if (ind && input.value.trim() !== "") ind[input.dataset.key] = Number(input.value);
  }
  return spec;
}

function adoptReading(reading) {
  renderReading(reading);
  const unchanged = state.parsedSpec && JSON.stringify(reading.spec) === JSON.stringify(state.parsedSpec);
  if (unchanged && state.parsedText) setSource({ kind: "text", text: state.parsedText }, state.parsedText);
  else setSource({ kind: "spec", spec: reading.spec }, reading.spec.name ? `spec: ${reading.spec.name}` : t("strategy.edited"));
}

async function checkForm() {
  const status = $("#check-status");
  status.className = "note";
  status.textContent = t("status.checking");
  try {
    const reading = await api("POST", "/api/strategy/check", { spec: specFromForm(), lang: lang() });
    adoptReading(reading);
    status.className = "ok";
    status.textContent = t("status.valid");
    return true;
  } catch (err) {
    status.className = "error";
    status.textContent = err.message;
    return false;
  }
}

export async function parseText(text) {
  const box = $("#parse-error");
  box.hidden = true;
  try {
    const reading = await api("POST", "/api/strategy/parse", { text, lang: lang() });
    state.parsedSpec = reading.spec;
    state.parsedText = text;
    adoptReading(reading);
    return true;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    $("#spec-panel").hidden = true;
    showRefusal(box, err, text);
    return false;
  }
}

async function loadBuiltins() {
  const list = clear($("#builtins"));
  for (const item of await api("GET", `/api/strategy/builtins?lang=${lang()}`)) {
    const inputs = Object.entries(item.params).map(([key, value]) => el("label", { class: "field" }, el("span", { text: key }),
      el("input", { type: "number", step: "any", value, dataset: { param: key, builtin: item.name } })));
    const use = () => {
      const params = {};
      for (const input of inputs.map((label) => label.querySelector("input"))) {
        if (input.value.trim() !== "" && Number(input.value) !== item.params[input.dataset.param]) {
          params[input.dataset.param] = Number(input.value);
        }
      }
      const shown = Object.entries({ ...item.params, ...params }).map(([k, v]) => `${k}=${v}`).join(", ");
      setSource({ kind: "builtin", name: item.name, params }, `${item.name} (${shown})`);
      showPage("backtest");
    };
    list.append(el("li", { dataset: { builtin: item.name } }, el("div", { class: "card-title", text: `${item.name} — ${item.title}` }),
      el("div", { class: "explanation", text: item.explanation }),
      el("div", { class: "row" }, inputs,
        el("button", { type: "button", class: "secondary", text: t("strategy.use_builtin"), onclick: use }))));
  }
}

export async function loadLibrary() {
  const list = clear($("#library"));
  const items = await api("GET", "/api/strategies");
  $("#library-empty").hidden = items.length > 0;
  for (const item of items) {
    list.append(el("li", { class: "row" }, el("span", { class: "card-title", text: item.name }),
      el("span", { class: "note", text: t(`kind.${item.source.kind}`) }),
      el("button", { type: "button", class: "secondary", text: t("strategy.load"), onclick: () => openSaved(item) }),
      el("button", { type: "button", class: "secondary", text: t("strategy.delete"), onclick: async () => {
        await api("DELETE", `/api/strategies/${item.id}`);
        await loadLibrary();
      } })));
  }
}

async function openSaved(item) {
  const source = item.source;
  $("#save-name").value = item.name;
  if (source.kind === "text") {
    $("#strategy-text").value = source.text;
    await parseText(source.text);
  } else if (source.kind === "spec") {
    state.parsedSpec = null;
    state.parsedText = EMPTY_TEXT;
    adoptReading(await api("POST", "/api/strategy/check", { spec: source.spec, lang: lang() }));
  } else {
    setSource(source, `${source.name}`);
    showPage("backtest");
  }
}

/** A spec file the user picked: read in the browser, checked by the server like an edited form. */
async function openSpecFile(file) {
  const box = $("#parse-error");
  box.hidden = true;
  let spec;
  try {
    spec = JSON.parse(await file.text());
  } catch (err) {
    box.hidden = false;
    box.textContent = t("error.not_json", { error: err.message });
    return;
  }
  try {
    state.parsedSpec = null;
    state.parsedText = EMPTY_TEXT;
    adoptReading(await api("POST", "/api/strategy/check", { spec, lang: lang() }));
  } catch (err) {
    $("#spec-panel").hidden = true;
    box.hidden = false;
    box.textContent = `${file.name}: ${err.message}`;
  }
}

async function save() {
  const status = $("#save-status");
  const name = $("#save-name").value.trim();
  if (!name) { status.textContent = t("status.name_needed"); return; }
  try {
    await api("POST", "/api/strategies", { name, source: state.source });
    status.textContent = t("status.saved");
    await loadLibrary();
  } catch (err) {
    status.textContent = err.message;
  }
}

/** A strategy file (.py) the user picked: kept by the server (nothing in it runs yet), then backtested. */
async function openPythonFile(file) {
  const status = $("#py-status");
  status.className = "note";
  status.textContent = "";
  try {
    const source = await upload(`/api/strategy/files?name=${encodeURIComponent(file.name)}`, file);
    status.dataset.id = source.id;
    status.textContent = t("strategy.py_uploaded", { name: source.name, classes: source.classes.join(", ") });
    setSource(source, source.name);
    showPage("backtest");
  } catch (err) {
    status.className = "error";
    status.textContent = err.message;
  }
}

export function initStrategy() {
  unitOptions();
  $("#parse-button").addEventListener("click", () => parseText($("#strategy-text").value));
  $("#spec-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) openSpecFile(file);
    event.target.value = "";
  });
  $("#py-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) openPythonFile(file);
    event.target.value = "";
  });
  $("#spec-form").addEventListener("submit", (event) => { event.preventDefault(); checkForm(); });
  $("#save-button").addEventListener("click", save);
  $("#use-button").addEventListener("click", async () => {
    if (await checkForm()) showPage("backtest");
  });
  document.addEventListener("mas:lang", async () => {
    unitOptions();
    await loadBuiltins();
    await loadLibrary();
    if (state.reading) {
      try { renderReading(await api("POST", "/api/strategy/check", { spec: state.reading.spec, lang: lang() })); } catch { /* shown on check */ }
    }
  });
}
