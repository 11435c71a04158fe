// Small DOM helpers: elements are built with textContent only (no HTML from data), numbers formatted one way.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function $(selector) {
  return document.querySelector(selector);
}

export function fixed(value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return Number(value).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const TIMEFRAMES = ["M1", "M2", "M3", "M4", "M5", "M6", "M10", "M12", "M15", "M20", "M30",
  "H1", "H2", "H3", "H4", "H6", "H8", "H12", "D1", "W1", "MN1"];

export function fillTimeframes() {
  for (const select of document.querySelectorAll("select.timeframes")) {
    clear(select);
    if (select.dataset.blank) select.append(el("option", { value: "", text: "—" }));
    for (const tf of TIMEFRAMES) select.append(el("option", { value: tf, text: tf }));
  }
}

export function showPage(name) {
  for (const page of document.querySelectorAll("section.page")) page.hidden = page.id !== `page-${name}`;
  for (const button of document.querySelectorAll("header nav button")) {
    if (button.dataset.page === name) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  if (name === "result") document.getElementById("nav-result").hidden = false;
  document.dispatchEvent(new CustomEvent("mas:page", { detail: name }));
}
