"""The result page's trade chart and deals table, from a run's result document and the data store.

Level of detail is done on the server: :func:`chart_view` returns at most ``points`` candles for the visible
range (consecutive bars merged into OHLC buckets, :func:`mas.reports.chart.aggregate_bars`), the strategy's
indicator lines sampled at each bucket's last bar, and only the trades that touch that range. The page asks
again on every zoom or pan, so zooming in reaches single bars while the browser never draws more than
``points`` candles: a run of 100,000 bars stays responsive. Weekends and other breaks between the bars in view
(:func:`mas.reports.chart.time_gaps`) come as ``breaks``, which the page cuts out of the time axis. A run's
candles and indicator arrays are loaded once and kept for the last few runs (:data:`CACHED_RUNS`).

Indicators: the run's spec (a text, spec or built-in strategy; :func:`mas.app.exact_spec`) computed over the
replayed candles with :class:`mas.vector.candles.IndicatorCache`, the arrays the vectorized engine trades on.
Price-scale kinds (moving averages, Bollinger bands, highest/lowest) are drawn over the candles, the others in
a panel below. The series the strategy plotted itself (``self.plot(name, value)``, kept in the result document's
``plots``; an uploaded .py strategy or a built-in that plots) come after them, each in the panel it named, aligned
to the bars by time (:func:`mas.reports.chart.plotted_lines`); a plotted series named like an indicator of the spec
is left out (the spec's is the same line).

Deals: the result document keeps trades (round trips); the deals are read back from them, one ``in`` deal per
position entry (partial exits of one entry are merged back into it) and one ``out`` deal per exit, the
trade's commission split evenly between its two sides (commission is charged per lot per side).
"""

from __future__ import annotations

import csv
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from mas.i18n.errors import InputError
from mas.web.language import said

__all__ = ["CACHED_RUNS", "DEAL_COLUMNS", "MAX_POINTS", "chart_view", "deals", "deals_csv"]

CACHED_RUNS = 4
MAX_POINTS = 5_000
DEFAULT_POINTS = 1_500
OVERLAY_KINDS = frozenset({"sma", "ema", "wma", "bbands", "highest", "lowest"})
DEAL_COLUMNS = ("time", "position_id", "symbol", "type", "entry", "volume", "price", "commission", "swap", "profit",
                "reason")
_EPOCH = datetime(1970, 1, 1)


@dataclass
class _Prepared:
    """One run's candles (bid, as replayed) and indicator lines, loaded once."""

    symbol: str
    time: np.ndarray  # epoch seconds
    bars: np.ndarray
    lines: list[dict[str, Any]] = field(default_factory=list)  # {name, panel, values}
    notes: list[str] = field(default_factory=list)


_cache: OrderedDict[str, _Prepared] = OrderedDict()
_lock = threading.Lock()


def _iso(seconds: float) -> str:
    return (_EPOCH + timedelta(seconds=int(seconds))).isoformat(sep=" ")


def _seconds(text: str, where: str) -> int:
    try:
        return int((datetime.fromisoformat(text.strip().replace("T", " ")[:19]) - _EPOCH).total_seconds())
    except ValueError:
        raise InputError("web_chart_not_time", field=where, value=text) from None


def _prepare(document: dict[str, Any], spec: Any) -> _Prepared:
    from mas.reports.chart import plotted_lines
    from mas.reports.saved_result import result_from_document
    from mas.vector.candles import Candles, IndicatorCache

    result, notes = result_from_document(document, with_bars=True)
    symbol = str(document.get("settings", {}).get("symbol") or "")
    bars = result.bars.get(symbol) if result.bars else None
    if bars is None and result.bars:
        symbol, bars = next(iter(result.bars.items()))
    if bars is None or len(bars) == 0:
        return _Prepared(symbol, np.zeros(0, dtype=np.int64), np.zeros(0), notes=notes or ["no candles"])
    prepared = _Prepared(symbol, np.asarray(bars["time"], dtype=np.int64), bars, notes=notes)
    if spec is not None:
        cache = IndicatorCache(Candles.from_rates(bars, 0.0))
        for indicator in spec.indicators:
            panel = "price" if indicator.kind in OVERLAY_KINDS else "lower"
            for output, values in cache.outputs(indicator).items():
                name = indicator.id if output is None else f"{indicator.id}.{output}"
                prepared.lines.append({"name": name, "panel": panel, "values": np.asarray(values, dtype=np.float64)})
    drawn = {line["name"] for line in prepared.lines}
    for name, (panel, values) in plotted_lines(result, symbol, bars).items():
        if name not in drawn:
            prepared.lines.append({"name": name, "panel": panel, "values": values})
    return prepared


def _prepared(run_id: str, document: dict[str, Any], spec_of: Any) -> _Prepared:
    with _lock:
        if run_id in _cache:
            _cache.move_to_end(run_id)
            return _cache[run_id]
    prepared = _prepare(document, spec_of())
    with _lock:
        _cache[run_id] = prepared
        while len(_cache) > CACHED_RUNS:
            _cache.popitem(last=False)
    return prepared


def _numbers(values: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else float(v) for v in values.tolist()]


def chart_view(run_id: str, document: dict[str, Any], spec_of: Any, start: str | None = None,
               end: str | None = None, points: int = DEFAULT_POINTS) -> dict[str, Any]:
    """The chart of ``[start, end]`` (the whole run by default) with at most ``points`` candles.

    ``spec_of()`` returns the run's strategy spec (None: no indicator lines); it is called once per run.
    ValueError naming ``start``, ``end`` or ``points`` for a bad value."""
    from mas.reports.chart import aggregate_bars, time_gaps

    if not 10 <= points <= MAX_POINTS:
        raise InputError("web_chart_points", most=MAX_POINTS, value=points)
    lo = _seconds(start, "start") if start else None
    hi = _seconds(end, "end") if end else None
    if lo is not None and hi is not None and lo > hi:
        raise InputError("web_chart_start_after_end", start=start, end=end)
    prepared = _prepared(run_id, document, spec_of)
    t = prepared.time
    first = 0 if lo is None else int(np.searchsorted(t, lo, side="left"))
    last = len(t) if hi is None else int(np.searchsorted(t, hi, side="right"))
    window = prepared.bars[first:last]
    buckets, per = aggregate_bars(window, points) if len(window) else ({k: np.zeros(0) for k in
                                                                          ("time", "open", "high", "low", "close")}, 1)
    ends = np.minimum(np.arange(0, len(window), per) + per, len(window)) - 1 + first
    lines = [{"name": line["name"], "panel": line["panel"], "y": _numbers(line["values"][ends])}
             for line in prepared.lines]
    view_lo = int(t[first]) if len(window) else (lo or 0)
    view_hi = int(t[last - 1]) if len(window) else (hi or 0)
    trades = [tr for tr in document.get("trades") or []
              if _seconds(tr["open_time"], "open_time") <= view_hi
              and (tr.get("close_time") is None or _seconds(tr["close_time"], "close_time") >= view_lo)]
    breaks = [[_iso(a // 1000), _iso(b // 1000)] for a, b in time_gaps(t[first:last])]
    return {
        "symbol": prepared.symbol, "bars_total": len(t), "breaks": breaks, "bars_in_view": len(window),
        "bars_per_candle": per,
        "first": _iso(t[0]) if len(t) else None, "last": _iso(t[-1]) if len(t) else None,
        "time": [_iso(s) for s in np.asarray(buckets["time"]).tolist()],
        "open": _numbers(np.asarray(buckets["open"], dtype=np.float64)),
        "high": _numbers(np.asarray(buckets["high"], dtype=np.float64)),
        "low": _numbers(np.asarray(buckets["low"], dtype=np.float64)),
        "close": _numbers(np.asarray(buckets["close"], dtype=np.float64)),
        "lines": lines, "trades": trades, "notes": [said(note) for note in prepared.notes],
    }


def deals(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The run's deals read back from its trades (see the module docstring), in time order."""
    out: list[dict[str, Any]] = []
    entries: dict[tuple[Any, Any], dict[str, Any]] = {}
    for trade in document.get("trades") or []:
        half = float(trade.get("commission") or 0.0) / 2
        key = (trade.get("position_id"), trade.get("open_time"))
        if key in entries:
            entries[key]["volume"] = round(entries[key]["volume"] + float(trade["volume"]), 8)
            entries[key]["commission"] = round(entries[key]["commission"] + half, 2)
        else:
            entries[key] = {"time": trade["open_time"], "position_id": trade.get("position_id"),
                            "symbol": trade.get("symbol"), "type": trade.get("direction"), "entry": "in",
                            "volume": float(trade["volume"]), "price": trade.get("open_price"),
                            "commission": round(half, 2), "swap": 0.0, "profit": 0.0, "reason": "open"}
            out.append(entries[key])
        if trade.get("is_open") or trade.get("close_time") is None:
            continue
        out.append({"time": trade["close_time"], "position_id": trade.get("position_id"),
                    "symbol": trade.get("symbol"), "type": "sell" if trade.get("direction") == "buy" else "buy",
                    "entry": "out", "volume": float(trade["volume"]), "price": trade.get("close_price"),
                    "commission": round(half, 2), "swap": trade.get("swap") or 0.0, "profit": trade.get("profit"),
                    "reason": trade.get("exit_reason")})
    out.sort(key=lambda d: (str(d["time"]), 0 if d["entry"] == "out" else 1, d["position_id"] or 0))
    return out


def deals_csv(document: dict[str, Any]) -> str:
    """The deals as CSV (one header row; text cells that could start a formula get a leading quote)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DEAL_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for deal in deals(document):
        writer.writerow({k: csv_cell(deal.get(k)) for k in DEAL_COLUMNS})
    return buffer.getvalue()


def csv_cell(value: Any) -> Any:
    """Cells a spreadsheet cannot mistake for a formula (text starting with = + - @ gets a leading quote)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value

