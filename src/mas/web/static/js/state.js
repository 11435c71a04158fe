// What the pages share: the strategy to backtest and the strategy shown on the strategy page.

export const state = {
  source: null,        // {kind: "text", text} | {kind: "spec", spec} | {kind: "builtin", name, params}
  sourceLabel: "",
  reading: null,       // the server's reading of the shown strategy: {spec, explanation, rules, indicators}
  parsedSpec: null,    // the spec as read from the text (to tell whether the form changed it)
  parsedText: "",
};

export function setSource(source, label) {
  state.source = source;
  state.sourceLabel = label;
  document.dispatchEvent(new CustomEvent("mas:source"));
}
