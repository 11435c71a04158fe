// Start the page: labels in the chosen language, the navigation, and each page's module.

import { api } from "./api.js";
import { $, fillTimeframes, showPage } from "./dom.js";
import { preferredLang, setLang } from "./i18n.js";
import { initBacktest } from "./backtest.js";
import { initResult } from "./result.js";
import { initRuns } from "./runs.js";
import { initOptimize } from "./optimize.js";
import { initLive } from "./live.js";
import { initData } from "./data.js";
import { initStrategy, loadLibrary } from "./strategy.js";

async function start() {
  fillTimeframes();
  const select = $("#lang");
  select.value = preferredLang();
  await setLang(select.value);
  initStrategy();
  initBacktest();
  initResult();
  initRuns();
  initOptimize();
  initLive();
  initData();
  select.addEventListener("change", async () => {
    await setLang(select.value);
    document.dispatchEvent(new CustomEvent("mas:lang"));
  });
  for (const button of document.querySelectorAll("header nav button")) {
    button.addEventListener("click", () => showPage(button.dataset.page));
  }
  $("#logout").addEventListener("click", async () => {
    await api("POST", "/api/logout");
    location.assign("/login");
  });
  showPage("strategy");
  document.dispatchEvent(new CustomEvent("mas:lang"));
  await loadLibrary();
  document.body.dataset.ready = "1";
}

start();
