// Page labels in English, Traditional and Simplified Chinese: one JSON file per language under /static/i18n/.

export const LANGS = ["en", "zh-tw", "zh-cn"];
let table = {};
let fallback = {};
let current = "en";

async function load(lang) {
  const response = await fetch(`/static/i18n/${lang}.json`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`no labels for ${lang}`);
  return response.json();
}

export function preferredLang() {
  const saved = localStorage.getItem("mas.lang");
  if (LANGS.includes(saved)) return saved;
  const nav = (navigator.language || "en").toLowerCase();
  if (nav.startsWith("zh")) return nav.includes("cn") || nav.includes("hans") || nav.includes("sg") ? "zh-cn" : "zh-tw";
  return "en";
}

export async function setLang(lang) {
  if (!LANGS.includes(lang)) lang = "en";
  if (!Object.keys(fallback).length) fallback = await load("en");
  table = lang === "en" ? fallback : await load(lang);
  current = lang;
  localStorage.setItem("mas.lang", lang);
  document.documentElement.lang = lang === "en" ? "en" : (lang === "zh-tw" ? "zh-Hant" : "zh-Hans");
  applyLabels(document);
}

export function lang() {
  return current;
}

export function t(key, values) {
  let text = table[key] ?? fallback[key] ?? key;
  if (values) for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

export function applyLabels(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}
