// Trade markers grouped per time bucket when a chart's visible range holds more than fit (one marker per MARKER_PX
// pixels of plot width): one marker per bucket and kind (buy entries, sell entries, exits won, exits lost), sized by
// its count, with a hover that sums the bucket up. Buckets are even slices of trading time (the chart's gaps, e.g.
// weekends, removed). The same rule, in the same order, as mas/reports/trade_markers.py, which computes the buckets a
// report page opens with; this file re-buckets on every zoom. Shared by the report's trade chart (a file beside the
// pages, like plotly.js) and the web app's result page. Sets globalThis.MASMarkers.
(function (root) {
  "use strict";
  var MARKER_PX = 8, BUCKET_PX = 24, NOMINAL_WIDTH = 1150;
  var KINDS = ["buy", "sell", "win", "loss"];

  function compress(t, gaps) { // trading time: t less the gaps before it (a time inside a gap: the gap's start)
    var c = t;
    for (var i = 0; i < gaps.length; i++) {
      var a = gaps[i][0], b = gaps[i][1];
      c -= Math.min(Math.max(t - a, 0), b - a);
    }
    return c;
  }

  function expand(c, gaps) { // the time of trading time c (a gap's start maps to its end)
    var t = c;
    for (var i = 0; i < gaps.length; i++) {
      if (t >= gaps[i][0]) { t += gaps[i][1] - gaps[i][0]; }
    }
    return t;
  }

  function size(n) { return Math.floor(Math.min(28, 7 + 3 * Math.sqrt(n)) + 0.5); }

  function stamp(ms) { return new Date(ms).toISOString().slice(0, 16).replace("T", " "); }

  function money(v) {
    var s = Math.abs(v).toFixed(2), parts = s.split("."), neg = v < 0 && /[1-9]/.test(s);
    return (neg ? "-" : "") + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + parts[1];
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function hover(b, ccy) { // as Bucket.hover in trade_markers.py
    var unit = ccy ? " " + ccy : "", c = b.counts;
    return stamp(b.first) + " – " + stamp(b.last) + "<br>" + plural(c[0], "buy", "buys") + ", " +
      plural(c[1], "sell", "sells") + ", net P&L " + money(b.entryPnl) + unit + "<br>" +
      plural(c[2] + c[3], "exit", "exits") + " (" + c[2] + " won, " + c[3] + " lost), P&L " + money(b.exitPnl) + unit;
  }

  // ev: {t: epoch ms, kind: 0-3, price, pnl} (array-likes, one value per marker). null when the markers in
  // [lo, hi] fit one by one; else {buckets, x, y, count, bucket, text} with x, y, ... one array per kind.
  function group(ev, lo, hi, gaps, width, ccy, markerPx, bucketPx) {
    markerPx = markerPx || MARKER_PX; bucketPx = bucketPx || BUCKET_PX; gaps = gaps || [];
    if (lo > hi) { var swap = lo; lo = hi; hi = swap; }
    var inside = [], i, k;
    for (i = 0; i < ev.t.length; i++) { if (ev.t[i] >= lo && ev.t[i] <= hi) { inside.push(i); } }
    inside.sort(function (a, b) { return (ev.t[a] - ev.t[b]) || (a - b); });
    if (inside.length <= Math.max(1, Math.floor(width / markerPx))) { return null; }
    var n = Math.max(1, Math.floor(width / bucketPx));
    var step = (compress(hi, gaps) - compress(lo, gaps)) / n || 1;
    var buckets = {}, members = {}, order = [];
    inside.forEach(function (j) {
      var b = Math.floor(compress(ev.t[j], gaps) / step);
      if (!(b in buckets)) {
        buckets[b] = {index: b, start: expand(b * step, gaps), end: expand((b + 1) * step, gaps),
                      counts: [0, 0, 0, 0], entryPnl: 0, exitPnl: 0, first: Infinity, last: -Infinity};
        order.push(b);
      }
      var kind = ev.kind[j], bucket = buckets[b];
      bucket.counts[kind] += 1;
      bucket.first = Math.min(bucket.first, ev.t[j]); bucket.last = Math.max(bucket.last, ev.t[j]);
      if (kind < 2) { bucket.entryPnl += ev.pnl[j]; } else { bucket.exitPnl += ev.pnl[j]; }
      (members[kind + ":" + b] = members[kind + ":" + b] || []).push(j);
    });
    order.sort(function (a, b) { return a - b; });
    var out = {buckets: [], x: [[], [], [], []], y: [[], [], [], []], count: [[], [], [], []],
               bucket: [[], [], [], []], text: [[], [], [], []]};
    order.forEach(function (b, position) {
      out.buckets.push(buckets[b]);
      var label = hover(buckets[b], ccy);
      for (k = 0; k < 4; k++) {
        var rows = members[k + ":" + b];
        if (!rows) { continue; }
        var total = 0;
        for (i = 0; i < rows.length; i++) { total += ev.price[rows[i]]; }
        out.x[k].push(ev.t[rows[(rows.length - 1) >> 1]]);
        out.y[k].push(total / rows.length);
        out.count[k].push(rows.length);
        out.bucket[k].push(position);
        out.text[k].push(label);
      }
    });
    return out;
  }

  function decode(b64, Type) {
    var s = atob(b64), u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { u[i] = s.charCodeAt(i); }
    return new Type(u.buffer);
  }

  function toMs(v) { // an axis value (epoch ms, or plotly's 'YYYY-MM-DD HH:MM:SS.sss' text, UTC) as epoch ms
    if (typeof v === "number") { return v; }
    var p = String(v).split(/[^0-9]+/).map(Number);
    return Date.UTC(p[0], (p[1] || 1) - 1, p[2] || 1, p[3] || 0, p[4] || 0, p[5] || 0,
                    p.length > 6 ? Number(("" + p[6] + "000").slice(0, 3)) : 0);
  }

  function day(ms) { return new Date(ms).toISOString().slice(0, 23).replace("T", " "); }

  // A report page's trade chart: cfg = {events: {t (epoch ms), kind, price, pnl} (or t, kind, price, pnl as base64
  // float64, uint8, float64, float64), single: the four one-by-one marker traces (index, -1: none), grouped: the four
  // grouped ones, gaps: [[start, end] ms], ccy, open: group the opening view now}. Every zoom (debounced) re-buckets
  // into the grouped traces or shows the single ones; the x axes keep the range. gd.dataset.markers says which show.
  function bindReport(gd, cfg) {
    if (!gd || !root.Plotly || !gd.on) { return; }
    var Plotly = root.Plotly, timer = null;
    var ev = cfg.events || {t: decode(cfg.t, Float64Array), kind: decode(cfg.kind, Uint8Array),
                            price: decode(cfg.price, Float64Array), pnl: decode(cfg.pnl, Float64Array)};
    function refresh(zoomed) {
      var full = gd._fullLayout, ax = full && full.xaxis;
      if (!ax || !ax.range) { return Promise.resolve(); }
      var g = group(ev, toMs(ax.range[0]), toMs(ax.range[1]), cfg.gaps || [], ax._length || NOMINAL_WIDTH, cfg.ccy);
      var vis = [], ids = [];
      for (var k = 0; k < 4; k++) {
        var s = cfg.single[k], q = cfg.grouped[k];
        var off = (s >= 0 && gd.data[s].visible === "legendonly") || (q >= 0 && gd.data[q].visible === "legendonly");
        var on = off ? "legendonly" : true;
        if (s >= 0) { ids.push(s); vis.push(g ? false : on); }
        if (q >= 0) { ids.push(q); vis.push(g ? on : false); }
      }
      var keep = {};
      Object.keys(full).forEach(function (key) {
        if (!/^xaxis\d*$/.test(key)) { return; }
        keep[key + ".type"] = "date";
        if (zoomed) { keep[key + ".range"] = full[key].range.slice(); keep[key + ".autorange"] = false; }
      });
      var data = {x: [], y: [], customdata: [], hovertext: [], "marker.size": []}, grouped = [];
      for (k = 0; k < 4; k++) {
        if (cfg.grouped[k] < 0) { continue; }
        grouped.push(cfg.grouped[k]);
        data.x.push(g ? g.x[k].map(day) : []);
        data.y.push(g ? g.y[k] : []);
        data.customdata.push(g ? g.count[k] : []);
        data.hovertext.push(g ? g.text[k] : []);
        data["marker.size"].push(g ? g.count[k].map(size) : []);
      }
      return Plotly.update(gd, {visible: vis}, {}, ids).then(function () {
        return Plotly.update(gd, data, keep, grouped);
      }).then(function () { gd.dataset.markers = g ? "grouped" : "single"; });
    }
    gd.on("plotly_relayout", function (e) {
      if (!e) { return; }
      var zoomed = null;
      Object.keys(e).forEach(function (key) {
        var m = key.match(/^xaxis\d*\.(range\[0\]|range\[1\]|range|autorange)$/);
        if (m) { zoomed = m[1] !== "autorange" || !e[key]; }
      });
      if (zoomed === null) { return; } // not a change of the time range (e.g. the price axis fitted to the view)
      clearTimeout(timer);
      timer = setTimeout(function () { refresh(zoomed); }, cfg.delay || 150);
    });
    if (cfg.open) { refresh(false); } else { gd.dataset.markers = cfg.opened || "single"; }
  }

  root.MASMarkers = {MARKER_PX: MARKER_PX, BUCKET_PX: BUCKET_PX, KINDS: KINDS, compress: compress, expand: expand,
                     size: size, hover: hover, group: group, toMs: toMs, bindReport: bindReport};
})(typeof globalThis !== "undefined" ? globalThis : window);
