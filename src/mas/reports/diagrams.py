"""The data behind the MetaTrader 5 strategy tester's diagrams (definitions: docs/metrics.md).

- :func:`entries_by`: trade entries per hour (0-23), weekday (Monday first) or month (Jan first) of
  the entry time (UTC), buys and sells apart; open trades count too.
- :func:`profit_loss_by`: the net profit of the winning and the net loss of the losing closed trades
  per hour, weekday or month of the exit time (UTC), where the balance received it.
- :func:`excursions`: each closed trade's MFE and MAE (maximum favourable and adverse excursion) in
  money, read from the symbol's bars between the trade's open and close, beside its profit and
  holding time.

- :func:`deposit_load`: the margin in use over the equity at each bar's close (%), drawn under the balance
  and equity as MT5's tester draws it.
- :func:`diagram_data`: all of the above as one JSON-safe dict, the ``diagrams`` key of ``mas backtest --json``.

Pure functions of a :class:`~mas.results.BacktestResult`; the KPI page draws them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

import numpy as np

from mas.i18n.errors import InputError
from mas.reports.metrics import equity_arrays, to_epoch
from mas.results import BacktestResult, TradeRecord

Unit = Literal["hour", "weekday", "month"]
BUCKETS: dict[str, list[str]] = {
    "hour": [f"{h:02d}" for h in range(24)],
    "weekday": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "month": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
DEFAULT_CONTRACT_SIZE = 100_000.0


def bucket_of(epoch: float, unit: Unit) -> int:
    """The 0-based bucket of an epoch time (UTC): hour 0-23, weekday 0 = Monday, month 0 = January."""
    if unit not in BUCKETS:
        raise InputError("diagram_unit", value=unit, valid=", ".join(BUCKETS))
    d = datetime.fromtimestamp(float(epoch), tz=timezone.utc)
    return d.hour if unit == "hour" else d.weekday() if unit == "weekday" else d.month - 1


def _is_long(t: TradeRecord) -> bool:
    return str(t.direction).lower() in ("buy", "long", "0")


def entries_by(result: BacktestResult, unit: Unit) -> dict[str, list[int]]:
    """``{"buy": counts, "sell": counts}`` of trade entries per bucket of their open time.

    A position closed in parts has one record per part but one entry: records are counted once per
    (symbol, position id)."""
    n = len(BUCKETS[unit]) if unit in BUCKETS else 0
    out = {"buy": [0] * n, "sell": [0] * n}
    seen: set[tuple[str, int]] = set()
    for t in result.trades:
        key = (str(t.symbol), int(t.position_id))
        o = to_epoch(t.open_time)
        if key in seen or o is None:
            continue
        seen.add(key)
        out["buy" if _is_long(t) else "sell"][bucket_of(o, unit)] += 1
    return out


def profit_loss_by(result: BacktestResult, unit: Unit) -> dict[str, list[float]]:
    """``{"profit": sums >= 0, "loss": sums <= 0}`` of closed trades' net profit per bucket of their
    close time."""
    n = len(BUCKETS[unit]) if unit in BUCKETS else 0
    out = {"profit": [0.0] * n, "loss": [0.0] * n}
    for t in result.closed_trades:
        c = to_epoch(t.close_time)
        p = float(t.net_profit)
        if c is None or not math.isfinite(p) or p == 0:
            continue
        out["profit" if p > 0 else "loss"][bucket_of(c, unit)] += p
    return out


@dataclass(frozen=True)
class Excursion:
    """One closed trade's excursions (money, both ``>= 0``), net profit and holding time (seconds)."""

    position_id: int
    symbol: str
    mfe: float
    mae: float
    profit: float
    holding_seconds: float


def _money_per_price_unit(t: TradeRecord, contract_size: float) -> float:
    """Money per 1.0 of price for this trade: the trade's own ``profit / (signed price move)``, which
    carries its currency conversion; ``volume * contract_size`` when the price did not move."""
    move = (t.close_price - t.open_price) * (1.0 if _is_long(t) else -1.0)
    if abs(move) > 1e-12 and math.isfinite(t.profit) and t.profit != 0:
        return abs(float(t.profit) / move)
    return float(t.volume) * contract_size


def _contract_size(result: BacktestResult, symbol: str) -> float:
    try:
        from mas.sim.symbols import resolve_spec

        return float(resolve_spec(symbol, (result.settings or {}).get("symbol_overrides") or {}).contract_size)
    except (ValueError, TypeError, LookupError, KeyError):
        return DEFAULT_CONTRACT_SIZE


def excursions(result: BacktestResult) -> list[Excursion]:
    """MFE and MAE of each closed trade whose symbol has bars in the result, in close order.

    Bars read: from the bar holding the entry (the last bar opening at or before it) to the last bar
    opening at or before the exit. Long: ``MFE = max(0, max(high) - open price)``, ``MAE =
    max(0, open price - min(low))``; short: ``MFE = max(0, open price - min(low))``, ``MAE = max(0,
    max(high) - open price)``; each times the money per price unit of :func:`_money_per_price_unit`.
    The whole range of the entry and exit bars is included (a bar does not say when inside it a price
    was reached), so the figures can exceed what the trade could have seen by part of those bars.
    """
    out: list[Excursion] = []
    sizes: dict[str, float] = {}
    closed = sorted(result.closed_trades, key=lambda t: (to_epoch(t.close_time) or 0.0, to_epoch(t.open_time) or 0.0))
    for t in closed:
        bars = (result.bars or {}).get(t.symbol)
        o, c = to_epoch(t.open_time), to_epoch(t.close_time)
        if bars is None or not len(bars) or o is None or c is None:
            continue
        times = np.asarray(bars["time"], dtype=np.int64)
        i0 = max(0, int(np.searchsorted(times, o, side="right")) - 1)
        i1 = max(i0 + 1, int(np.searchsorted(times, c, side="right")))
        hi = float(np.max(bars["high"][i0:i1]))
        lo = float(np.min(bars["low"][i0:i1]))
        if t.symbol not in sizes:
            sizes[t.symbol] = _contract_size(result, t.symbol)
        k = _money_per_price_unit(t, sizes[t.symbol])
        up, down = max(0.0, hi - t.open_price), max(0.0, t.open_price - lo)
        fav, adv = (up, down) if _is_long(t) else (down, up)
        out.append(Excursion(int(t.position_id), str(t.symbol), fav * k, adv * k, float(t.net_profit), c - o))
    return out


def bar_values(result: BacktestResult, values: np.ndarray | None) -> np.ndarray | None:
    """``values`` (one per bar) in the order of :func:`mas.reports.metrics.equity_arrays`; None when missing or
    shorter than the equity curve."""
    out = np.asarray(values if values is not None else [], dtype=np.float64).reshape(-1)
    times = np.asarray(result.equity_times).reshape(-1)
    n = min(len(times), len(np.asarray(result.equity).reshape(-1)))
    if len(out) < n or n == 0:
        return None
    out = out[:n]
    if times.dtype.kind == "M":
        times = times.astype("datetime64[s]").astype(np.int64)
    times = times[:n].astype(np.float64)
    if n > 1 and np.any(np.diff(times) < 0):
        out = out[np.argsort(times, kind="stable")]
    return out


def deposit_load(result: BacktestResult) -> np.ndarray | None:
    """The deposit load per bar, ``100 * margin / equity`` (%; 0 with nothing open, NaN where equity is not
    positive), in the order of ``equity_arrays``; None when the result records no margin or none was held."""
    margin = bar_values(result, result.margin)
    if margin is None or not (margin > 0).any():
        return None
    equity = equity_arrays(result)[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(margin > 0, np.where(equity > 0, 100.0 * margin / np.where(equity > 0, equity, 1.0), np.nan),
                        0.0)


def _money(x: float) -> float:
    return round(float(x), 2)


def diagram_data(result: BacktestResult) -> dict[str, object]:
    """The KPI page's diagram data as JSON-safe values, equal to what the page draws (money rounded to cents):

    ``labels`` (the buckets of each unit), ``entries`` (``{unit: {"buy": counts, "sell": counts}}``),
    ``profit_loss`` (``{unit: {"profit": sums, "loss": sums}}``), ``excursions`` (one dict per closed trade:
    ``position_id``, ``symbol``, ``mfe``, ``mae``, ``profit``, ``holding_seconds``) and ``deposit_load`` (one
    number per equity point, % of equity; null where equity was not positive; None when no margin is recorded).
    Units: ``hour``, ``weekday``, ``month``."""
    load = deposit_load(result)
    return {
        "labels": {u: list(BUCKETS[u]) for u in BUCKETS},
        "entries": {u: entries_by(result, u) for u in BUCKETS},  # type: ignore[arg-type]
        "profit_loss": {u: {k: [_money(v) for v in vs] for k, vs in profit_loss_by(result, u).items()}  # type: ignore[arg-type]
                        for u in BUCKETS},
        "excursions": [{"position_id": e.position_id, "symbol": e.symbol, "mfe": _money(e.mfe), "mae": _money(e.mae),
                        "profit": _money(e.profit), "holding_seconds": e.holding_seconds} for e in excursions(result)],
        "deposit_load": None if load is None else [float(v) if math.isfinite(v) else None for v in load.tolist()],
    }
