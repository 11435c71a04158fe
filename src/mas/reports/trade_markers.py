"""Trade markers grouped per time bucket when a chart's visible range holds more of them than fit.

A chart of a year of H1 has hundreds of entries and exits: drawn one by one they clump. When the visible
range holds more markers than one per :data:`MARKER_PX` pixels of plot width, the markers are grouped per
time bucket (:func:`group_markers`): one marker per bucket and kind (buy entries, sell entries, winning exits,
losing exits) at the bucket's median time of that kind and the mean price, sized by its count, with a hover
that sums the bucket up ("12 buys, 11 sells, net P&L ..."). Zoomed in far enough, every trade is shown on its
own again.

Buckets are even slices of *trading* time: the chart cuts weekends and other gaps out of its time axis
(:func:`mas.reports.chart.time_gaps`), so a bucket's width is measured with the gaps removed
(:func:`compress`), and a bucket that spans a weekend covers as many bars as any other. Bucket edges are
multiples of the bucket width from time 0, so panning does not shuffle them.

The same rule runs in the browser: ``assets/trademarkers.js`` (``MASMarkers``) re-buckets on every zoom, in the
report's trade chart (the file is shared beside the pages like plotly.js, :func:`write_markers_asset`, or
inlined in a self-contained page) and in the web app's result page. This module computes the buckets of the
page as it opens, so the static HTML opens grouped.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from mas.i18n.errors import InputError

__all__ = ["BUCKET_PX", "KINDS", "MARKER_PX", "NOMINAL_WIDTH", "Bucket", "Grouped", "compress", "expand",
           "group_markers", "grouped_size", "markers_asset_name", "markers_js", "write_markers_asset"]

MARKER_PX = 8
"""One marker per this many pixels of plot width at most; more markers in view are grouped."""
BUCKET_PX = 24
"""The width of a bucket on screen (pixels) when the markers are grouped."""
NOMINAL_WIDTH = 1150
"""The plot width (pixels) the page is assumed to open with (the report's figure fills about that)."""
KINDS = ("buy", "sell", "win", "loss")
"""Marker kinds, in the order of the codes 0-3: buy entry, sell entry, exit won, exit lost or breakeven."""
GROUPED_MIN, GROUPED_MAX = 7, 28  # grouped marker size (px): 7 + 3 * sqrt(count), at most 28


@dataclass
class Bucket:
    """One time bucket of the grouped markers: its edges (epoch ms), counts and P&L sums."""

    index: int
    start_ms: float
    end_ms: float
    counts: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # per kind (KINDS order)
    entry_pnl: float = 0.0  # net P&L of the trades entered in the bucket
    exit_pnl: float = 0.0  # net P&L of the trades that exited in it
    first_ms: float = math.inf  # the time of its first and last marker
    last_ms: float = -math.inf

    def hover(self, ccy: str = "") -> str:
        """The hover of every marker of the bucket (its first to last marker's time; each P&L followed by ``ccy``)."""
        buys, sells, won, lost = self.counts
        exits = won + lost
        unit = f" {ccy}" if ccy else ""
        return (f"{_stamp(self.first_ms)} – {_stamp(self.last_ms)}<br>"
                f"{buys} {'buy' if buys == 1 else 'buys'}, {sells} {'sell' if sells == 1 else 'sells'}, "
                f"net P&L {_money(self.entry_pnl)}{unit}<br>"
                f"{exits} {'exit' if exits == 1 else 'exits'} ({won} won, {lost} lost), "
                f"P&L {_money(self.exit_pnl)}{unit}")


@dataclass
class Grouped:
    """The grouped markers of one view: per kind, ``x`` (epoch ms), ``y``, ``count`` and the bucket of each."""

    buckets: list[Bucket]
    x: list[list[float]]
    y: list[list[float]]
    count: list[list[int]]
    bucket: list[list[int]]  # index into ``buckets`` of each marker

    def hover(self, kind: int, ccy: str = "") -> list[str]:
        """The hover of each marker of ``kind``."""
        return [self.buckets[b].hover(ccy) for b in self.bucket[kind]]


def _stamp(ms: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ms / 1000.0, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")


def _money(value: float) -> str:
    text = f"{value:,.2f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def compress(t: Any, gaps: list[tuple[float, float]]) -> np.ndarray:
    """Trading time of the epoch-ms times ``t``: each time less the length of the gaps before it (a time inside a
    gap maps to the gap's start). ``gaps`` are ``(start, end)`` epoch ms in time order."""
    t = np.asarray(t, dtype=np.float64)
    out = t.copy()
    for a, b in gaps:
        out = out - np.clip(t - a, 0.0, b - a)
    return out


def expand(c: Any, gaps: list[tuple[float, float]]) -> np.ndarray:
    """The epoch-ms time of trading time ``c`` (the inverse of :func:`compress`; a gap's start maps to its end)."""
    t = np.array(c, dtype=np.float64)
    for a, b in gaps:
        t = np.where(t >= a, t + (b - a), t)
    return t


def grouped_size(count: int) -> int:
    """A grouped marker's size (px) for ``count`` markers: 7 + 3 * sqrt(count), at most 28 (10 for one)."""
    return int(math.floor(min(GROUPED_MAX, GROUPED_MIN + 3 * math.sqrt(count)) + 0.5))


def group_markers(t: Any, kind: Any, price: Any, pnl: Any, lo: float, hi: float,
                  gaps: list[tuple[float, float]] | None = None, width: float = NOMINAL_WIDTH,
                  marker_px: float = MARKER_PX, bucket_px: float = BUCKET_PX) -> Grouped | None:
    """The markers of the view ``[lo, hi]`` (epoch ms) grouped per bucket, or None when they fit one by one.

    ``t`` (epoch ms), ``kind`` (0-3, see :data:`KINDS`), ``price`` and ``pnl`` (the trade's net P&L) describe one
    marker each. Grouped when more than ``width / marker_px`` of them lie in the view: into buckets of
    ``(trading time of the view) / floor(width / bucket_px)`` (``gaps`` removed, :func:`compress`), each marker
    of a bucket and kind at the median time and mean price. ValueError for arrays of different lengths or a kind
    outside 0-3. ``assets/trademarkers.js`` computes the same, in the same order."""
    t = np.asarray(t, dtype=np.float64)
    kind = np.asarray(kind, dtype=np.int64)
    price = np.asarray(price, dtype=np.float64)
    pnl = np.asarray(pnl, dtype=np.float64)
    if not len(t) == len(kind) == len(price) == len(pnl):
        raise InputError("markers_lengths", t=len(t), kind=len(kind), price=len(price), pnl=len(pnl))
    if len(kind) and (kind.min() < 0 or kind.max() > 3):
        raise InputError("markers_kind")
    gaps = [(float(a), float(b)) for a, b in (gaps or [])]
    lo, hi = (float(lo), float(hi)) if lo <= hi else (float(hi), float(lo))
    inside = np.flatnonzero((t >= lo) & (t <= hi))
    inside = inside[np.argsort(t[inside], kind="stable")]
    if len(inside) <= max(1, math.floor(width / marker_px)):
        return None
    n_buckets = max(1, math.floor(width / bucket_px))
    c_lo, c_hi = compress([lo, hi], gaps)
    step = float(c_hi - c_lo) / n_buckets or 1.0
    index = np.floor(compress(t[inside], gaps) / step).astype(np.int64)
    buckets: dict[int, Bucket] = {}
    members: dict[tuple[int, int], list[int]] = {}
    for i, b in zip(inside.tolist(), index.tolist(), strict=True):
        if b not in buckets:
            edges = expand([b * step, (b + 1) * step], gaps)
            buckets[b] = Bucket(b, float(edges[0]), float(edges[1]))
        k = int(kind[i])
        bucket = buckets[b]
        bucket.counts[k] += 1
        bucket.first_ms, bucket.last_ms = min(bucket.first_ms, float(t[i])), max(bucket.last_ms, float(t[i]))
        if k < 2:
            bucket.entry_pnl += float(pnl[i])
        else:
            bucket.exit_pnl += float(pnl[i])
        members.setdefault((k, b), []).append(i)
    order = sorted(buckets)
    position = {b: n for n, b in enumerate(order)}
    out = Grouped([buckets[b] for b in order], [[], [], [], []], [[], [], [], []], [[], [], [], []],
                  [[], [], [], []])
    for b in order:
        for k in range(4):
            rows = members.get((k, b))
            if not rows:
                continue
            total = 0.0
            for i in rows:
                total += float(price[i])
            out.x[k].append(float(t[rows[(len(rows) - 1) // 2]]))
            out.y[k].append(total / len(rows))
            out.count[k].append(len(rows))
            out.bucket[k].append(position[b])
    return out


def markers_js() -> str:
    """The browser side (``MASMarkers``): the same grouping, re-run on every zoom."""
    return resources.files("mas.reports").joinpath("assets/trademarkers.js").read_text(encoding="utf-8")


def markers_asset_name() -> str:
    """``mas-trademarkers-<hash>.js``: the shared script's file name (its content hash, so an old page keeps the
    script it was written with)."""
    return f"mas-trademarkers-{hashlib.sha256(markers_js().encode('utf-8')).hexdigest()[:10]}.js"


def write_markers_asset(report_dir: str | Path) -> str:
    """Put the marker script beside the reports in ``report_dir`` once; return its name (a relative URL). A file of
    that name with other content is rewritten atomically."""
    from mas.reports.output import write_shared_asset

    return write_shared_asset(report_dir, markers_asset_name(), markers_js())
