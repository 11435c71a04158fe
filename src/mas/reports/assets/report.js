// The report pages' shared script (a file beside the pages like plotly.js, or inlined in a self-contained page).
// The pages carry every series once, as packed columns (mas/reports/packing.py); this file decodes them, renders the
// trade / order / deal lists from their columns, and builds the trade chart's trade traces and the KPI curves on
// load, with the same texts the Python side formats (mas/reports/_html.py fmt_num / fmt_time). Sets MASReport.
(function (root) {
  "use strict";

  function bytes(b64) {
    var s = atob(b64 || ""), u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { u[i] = s.charCodeAt(i); }
    return u.buffer;
  }
  var INTS = {i1: Int8Array, i2: Int16Array, i4: Int32Array}, FLOATS = {f8: Float64Array, f4: Float32Array};

  // A packed column (packing.py) as a Float64Array; NaN where it holds none.
  function col(p) {
    var n = p.n, out = new Float64Array(n), i, j;
    if (FLOATS[p.t]) {
      out.set(new FLOATS[p.t](bytes(p.b)));
    } else if (n) {
      var q = p.s, scale = Math.pow(10, p.k), g = p.g || 1, at = 1;
      out[0] = q;
      if (p.r) {
        for (i = 0; i < p.r.length; i++) {
          for (j = 0; j < p.r[i][1]; j++) { q += p.r[i][0] * g; out[at++] = q; }
        }
      } else {
        var d = new INTS[p.t](bytes(p.b));
        for (i = 0; i < d.length; i++) { q += d[i] * g; out[at++] = q; }
      }
      if (p.k) { for (i = 0; i < n; i++) { out[i] = out[i] / scale; } }
    }
    (p.z || []).forEach(function (run) { out.fill(NaN, run[0], run[0] + run[1]); });
    if (p.m) {
      var bits = new Uint8Array(bytes(p.m));
      for (i = 0; i < n; i++) { if (bits[i >> 3] & (1 << (i & 7))) { out[i] = NaN; } }
    }
    return out;
  }

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/[<]/g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;");
  }

  function time(sec) { // fmt_time: epoch seconds as 'YYYY-MM-DD HH:MM' UTC
    return new Date(sec * 1000).toISOString().slice(0, 16).replace("T", " ");
  }

  function fixed(q, d) { // the integer q (the digits shown) with d decimals and thousands commas, never '-0.00'
    var neg = q < 0, s = String(Math.abs(q));
    while (s.length <= d) { s = "0" + s; }
    var whole = d ? s.slice(0, s.length - d) : s, frac = d ? "." + s.slice(s.length - d) : "";
    return (neg ? "-" : "") + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + frac;
  }

  function roundEven(x) { // Python's round() to an integer
    var r = Math.round(x);
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  }

  function duration(sec) { // metrics.format_duration
    if (!isFinite(sec)) { return "-"; }
    var total = roundEven(sec), sign = total < 0 ? "-" : "";
    total = Math.abs(total);
    var days = Math.floor(total / 86400), rem = total % 86400;
    var two = function (v) { return (v < 10 ? "0" : "") + v; };
    var clock = two(Math.floor(rem / 3600)) + ":" + two(Math.floor(rem % 3600 / 60)) + ":" + two(rem % 60);
    return days ? sign + days + "d " + clock : sign + clock;
  }

  function g10(x) { // Python's '{:.10g}'
    if (!isFinite(x)) { return String(x).replace("Infinity", "inf").toLowerCase(); }
    var a = Math.abs(x);
    if (a !== 0 && (a < 1e-4 || a >= 1e10)) {
      var e = Number(x.toPrecision(10)).toExponential().split("e");
      var exp = Number(e[1]);
      return e[0] + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return String(Number(x.toPrecision(10)));
  }

  // A list's column as texts and sort values: spec.f is 'time' (epoch s; NaN: spec.none), 'fix' (q: the digits
  // shown, d: decimals or a column of them; NaN: '-'), 'dur' (seconds), 'int', or 'text' (dict + i indices);
  // spec.v (or the column itself for time and dur) is the cell's data-v sort value.
  function cells(spec) {
    var text = [], sort = null, i, v, none = spec.none === undefined ? "-" : spec.none;
    if (spec.f === "text") {
      var idx = col(spec.i);
      for (i = 0; i < idx.length; i++) { text.push(spec.dict[idx[i]]); }
    } else if (spec.f === "fix") {
      var q = col(spec.q), dd = typeof spec.d === "number" ? null : col(spec.d), sfx = spec.sfx || "";
      for (i = 0; i < q.length; i++) {
        text.push(isFinite(q[i]) ? fixed(q[i], dd ? dd[i] : spec.d) + sfx : none);
      }
    } else {
      v = col(spec.c);
      for (i = 0; i < v.length; i++) {
        if (!isFinite(v[i])) { text.push(spec.f === "dur" ? "-" : none); }
        else { text.push(spec.f === "time" ? time(v[i]) : spec.f === "dur" ? duration(v[i]) : String(v[i])); }
      }
      if (spec.f === "time" || spec.f === "dur") { sort = v; }
    }
    if (spec.v) { sort = col(spec.v); }
    return {text: text, sort: sort};
  }

  // Fill the body of the list table `id` from its columns (every cell escaped, data-v where it sorts by value).
  function table(id, data) {
    var t = document.getElementById(id);
    if (!t) { return; }
    var columns = data.cols.map(cells), html = [], n = data.rows;
    for (var r = 0; r < n; r++) {
      var row = "<tr>";
      for (var c = 0; c < columns.length; c++) {
        var s = columns[c].sort;
        row += (s && isFinite(s[r]) ? '<td data-v="' + s[r] + '">' : "<td>") + esc(columns[c].text[r]) + "</td>";
      }
      html.push(row + "</tr>");
    }
    t.tBodies[0].innerHTML = html.join("");
  }

  // ----------------------------------------------------------------------------------------- the trade chart

  // The trade chart's trades (columns of chart.py _trade_columns) as the figure's trace data, the same as the
  // Python side drew them: one-by-one markers with their hover, entry-to-exit lines, SL / TP segments, the
  // cumulative P&L step line, and the marker events the grouping reads.
  function trades(cfg) {
    var T = {}, k;
    for (k in cfg.cols) { T[k] = cfg.cols[k].dict ? cells(cfg.cols[k]).text : col(cfg.cols[k]); }
    var n = cfg.n, ccy = cfg.currency, groups = [[], [], [], []], paths = [[], []], levels = [[], []];
    var ev = {t: [], kind: [], price: [], pnl: []}, endMs = 0, i;
    for (i = 0; i < n; i++) { if (isFinite(T.close[i])) { endMs = Math.max(endMs, T.close[i] * 1000); } }
    function add(g, x, y, text) { g.push([x, y, text]); }
    for (i = 0; i < n; i++) {
      var long = T.long[i] === 1, side = long ? "BUY" : "SELL", open = T.is_open[i] === 1;
      var pnl = fixed(T.netq[i], 2) + " " + ccy + (open ? " (open)" : "");
      var oMs = isFinite(T.open[i]) ? T.open[i] * 1000 : null, cMs = isFinite(T.close[i]) ? T.close[i] * 1000 : null;
      var base = "#" + T.pid[i] + " " + side + " " + fixed(T.volq[i], 2) + " lots\nentry " + g10(T.op[i]) + " @ " +
        (oMs === null ? "-" : time(T.open[i]));
      add(groups[long ? 0 : 1], oMs, T.op[i], esc(base + "\nP&L " + pnl).replace(/\n/g, "<br>"));
      if (oMs !== null) { ev.t.push(oMs); ev.kind.push(long ? 0 : 1); ev.price.push(T.op[i]); ev.pnl.push(T.net[i]); }
      if (cMs !== null && !open) {
        var won = T.net[i] > 0;
        var txt = "#" + T.pid[i] + " exit " + side + " " + fixed(T.volq[i], 2) + " lots\nexit " + g10(T.cp[i]) +
          " @ " + time(T.close[i]) + " (" + T.reason[i] + ")\nP&L " + pnl;
        add(groups[won ? 2 : 3], cMs, T.cp[i], esc(txt).replace(/\n/g, "<br>"));
        paths[won ? 0 : 1].push([oMs, cMs, T.op[i], T.cp[i]]);
        ev.t.push(cMs); ev.kind.push(won ? 2 : 3); ev.price.push(T.cp[i]); ev.pnl.push(T.net[i]);
      }
      [T.sl, T.tp].forEach(function (level, j) {
        if (!isFinite(level[i]) || level[i] <= 0) { return; }
        levels[j].push([oMs, cMs !== null ? cMs : (endMs || oMs), level[i]]);
      });
    }
    var out = {ids: [], x: [], y: [], text: []};
    function put(trace, x, y, text) {
      if (trace === undefined || trace < 0) { return; }
      out.ids.push(trace); out.x.push(x.map(day)); out.y.push(y); out.text.push(text);
    }
    groups.forEach(function (g, j) {
      put(cfg.single[j], g.map(function (p) { return p[0]; }), g.map(function (p) { return p[1]; }),
          g.map(function (p) { return p[2]; }));
    });
    function segments(list, trace, value) {
      var x = [], y = [];
      list.forEach(function (s) { x.push(s[0], s[1], null); y.push(value(s, 0), value(s, 1), null); });
      put(trace, x, y, undefined);
    }
    segments(paths[0], cfg.paths[0], function (s, j) { return s[2 + j]; });
    segments(paths[1], cfg.paths[1], function (s, j) { return s[2 + j]; });
    segments(levels[0], cfg.levels[0], function (s) { return s[2]; });
    segments(levels[1], cfg.levels[1], function (s) { return s[2]; });
    if (cfg.cum >= 0) { // the running sum of closed trades' net profit, from the first to the last bar
      var closed = [];
      for (i = 0; i < n; i++) {
        if (T.is_open[i] !== 1 && isFinite(T.close[i])) { closed.push([T.close[i] * 1000, T.net[i], i]); }
      }
      closed.sort(function (a, b) { return a[0] - b[0] || a[2] - b[2]; });
      var cx = [], cy = [], total = 0;
      if (cfg.span) { cx.push(cfg.span[0]); cy.push(0); }
      closed.forEach(function (c) { total += c[1]; cx.push(c[0]); cy.push(total); });
      if (cfg.span && (!cx.length || cx[cx.length - 1] < cfg.span[1])) { cx.push(cfg.span[1]); cy.push(total); }
      put(cfg.cum, cx, cy, undefined);
    }
    out.events = ev;
    return out;
  }

  function day(ms) { return ms === null ? null : new Date(ms).toISOString().slice(0, 23).replace("T", " "); }

  // ----------------------------------------------------------------------------------------- the KPI curves

  // Thinned indices (decimate_minmax in _html.py): each bucket's lowest and highest point, plus the first and last.
  function envelope(y, maxPoints) {
    var n = y.length, buckets = Math.max(1, Math.floor((maxPoints - 2) / 2)), out = [];
    if (n <= maxPoints) { for (var i = 0; i < n; i++) { out.push(i); } return out; }
    var k = Math.ceil(n / buckets), keep = new Uint8Array(n);
    keep[0] = 1; keep[n - 1] = 1;
    for (var b = 0; b < buckets; b++) {
      var lo = -1, hi = -1;
      for (var j = b * k; j < Math.min(n, (b + 1) * k); j++) {
        if (y[j] !== y[j]) { continue; }
        if (lo < 0 || y[j] < y[lo]) { lo = j; }
        if (hi < 0 || y[j] > y[hi]) { hi = j; }
      }
      if (lo >= 0) { keep[lo] = 1; keep[hi] = 1; }
    }
    for (var m = 0; m < n; m++) { if (keep[m]) { out.push(m); } }
    return out;
  }

  // The KPI page's balance / equity / drawdown / deposit load panels: cfg.t (epoch s) and one column per trace
  // (cfg.traces: [[trace index, column], ...]), each thinned to cfg.max points.
  function curves(gd, cfg) {
    var t = col(cfg.t), x = [], y = [], ids = [];
    cfg.traces.forEach(function (pair) {
      var v = col(pair[1]), idx = envelope(v, cfg.max);
      ids.push(pair[0]);
      x.push(idx.map(function (i) { return day(t[i] * 1000); }));
      y.push(idx.map(function (i) { return v[i] === v[i] ? v[i] : null; }));
    });
    return root.Plotly.restyle(gd, {x: x, y: y}, ids);
  }

  // The KPI page's MFE / MAE / holding time scatter (kpi_diagrams.py excursion_columns): one point per closed trade.
  function excursions(gd, cfg) {
    var pid = col(cfg.pid), sym = cells(cfg.sym).text, profit = Array.from(col(cfg.profit)), won = col(cfg.won);
    var text = [], color = [];
    for (var i = 0; i < pid.length; i++) {
      text.push("#" + pid[i] + " " + sym[i]);
      color.push(won[i] === 1 ? "#1a7f37" : "#cf222e");
    }
    return root.Plotly.restyle(gd, {x: cfg.x.map(function (c) { return Array.from(col(c)); }),
                                    y: [profit, profit, profit], text: [text, text, text],
                                    "marker.color": [color, color, color]}, [0, 1, 2]);
  }

  root.MASReport = {excursions: excursions, col: col, esc: esc, time: time, fixed: fixed, duration: duration, g10: g10, table: table,
                    trades: trades, envelope: envelope, curves: curves, day: day};
})(typeof globalThis !== "undefined" ? globalThis : window);
