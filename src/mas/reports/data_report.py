"""``generate_data_report()``'s payload: the documented dict shape, JSON-safe.

``{"status": True, "data": {...}}`` with the keys of the MAS API (years are string keys, values in
account currency or %), or ``{"status": False, "error": "..."}``. Metric definitions live in
:mod:`mas.reports.metrics`. ``performance_metrics.max_drawdown`` and ``max_single_loss`` are
non-negative magnitudes (the documentation's example shows 15.22 and 312.40), while the per-year
``max_drawdown_percent`` values are falls (``<= 0``), as in that same example. Added to the MAS
API's keys: ``tester_metrics``, the MetaTrader 5 strategy tester's statistics
(:mod:`mas.reports.tester`). The run's orders (:func:`order_records`) are in ``mas backtest --json`` and
the KPI page, not here: the fast engine keeps no order records, and this payload is the same whichever
engine ran.

Per-year series (UTC years of the equity curve):

- ``cumulative_return_percent``: equity at the year's last bar over the initial capital, minus 1, %;
- ``max_drawdown_percent``: deepest drawdown (%, ``<= 0``) reached in the year, from the all-time
  running peak;
- ``annual_year_pnl_usd``: year-end equity minus the previous year-end equity (the initial
  capital for the first year), i.e. mark-to-market P&L including open trades, in account currency
  (the key says USD as in the original API);
- ``annual_pnl_usd``: equity at the year's last bar.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any

import numpy as np

from mas.reports.metrics import compute_metrics, to_epoch, yearly_summary
from mas.reports.mt5_sections import ORDER_STATES, ORDER_TYPES, result_orders
from mas.reports.tester import strategy_tester_statistics
from mas.results import BacktestResult, TradeRecord

PERFORMANCE_KEYS = (
    "number_of_trades",
    "profit_loss_ratio",
    "win_rate",
    "max_drawdown",
    "total_return_rate",
    "cagr",
    "sharpe_ratio",
    "sortino_ratio",
    "max_consecutive_losses",
    "max_single_loss",
    "profit_factor",
)

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def format_time(value: Any) -> str | None:
    """``"YYYY-MM-DD HH:MM:SS"`` in UTC (naive datetimes are UTC), or None."""
    ts = to_epoch(value)
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime(TIME_FORMAT)


def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def trade_records(trades: list[TradeRecord]) -> list[dict[str, Any]]:
    """One JSON-ready dict per trade, in the order of exit (open trades last).

    ``time`` is the exit time (the entry time for a trade still open), ``price`` the exit price
    (the last close for an open trade), ``order_type`` the entry order's type (``buy``/``sell``),
    ``holding_seconds`` close minus open time (None while open).
    """

    def key(t: TradeRecord) -> tuple[int, float, float]:
        c = to_epoch(t.close_time)
        o = to_epoch(t.open_time) or 0.0
        return (1 if t.is_open or c is None else 0, c if c is not None else o, o)

    rows: list[dict[str, Any]] = []
    for t in sorted(trades, key=key):
        o, c = to_epoch(t.open_time), to_epoch(t.close_time)
        direction = str(t.direction).lower()
        rows.append(
            {
                "position_id": int(t.position_id),
                "symbol": str(t.symbol),
                "time": format_time(t.open_time if t.is_open or c is None else t.close_time),
                "direction": direction,
                "order_type": direction,
                "volume": _f(t.volume),
                "price": _f(t.close_price),
                "open_time": format_time(t.open_time),
                "open_price": _f(t.open_price),
                "close_time": None if t.is_open else format_time(t.close_time),
                "close_price": _f(t.close_price),
                "profit": _f(t.profit),
                "commission": _f(t.commission),
                "swap": _f(t.swap),
                "net_profit": _f(t.net_profit),
                "holding_seconds": (c - o) if (o is not None and c is not None and not t.is_open) else None,
                "is_open": bool(t.is_open),
                "exit_reason": str(t.exit_reason),
            }
        )
    return rows


ORDER_NUMBERS = ("volume_initial", "volume_current", "price_open", "price_current", "sl", "tp")


def order_records(result: BacktestResult) -> list[dict[str, Any]]:
    """The run's orders in time order, JSON-safe: ``ticket``, ``time_setup`` and ``time_done``
    (``"YYYY-MM-DD HH:MM:SS"`` UTC; None when not done), ``type`` and ``state`` (MT5's numbers) with
    ``type_name`` / ``state_name``, ``symbol``, ``position_id``, the volumes and prices (``price_open`` 0 =
    a market order; ``price_current`` its fill price), ``sl``, ``tp``, ``reason``, ``magic`` and ``comment``.
    A result without order records (the fast engine's) lists one filled market order per deal, rebuilt
    from the trades (``rebuilt`` True)."""
    orders, rebuilt = result_orders(result)
    out = []
    for o in orders:
        kind, state = int(o.get("type", -1)), int(o.get("state", -1))
        done = int(o.get("time_done", 0) or 0)
        out.append({
            "ticket": int(o.get("ticket", 0)), "time_setup": format_time(int(o.get("time_setup", 0) or 0)),
            "time_done": format_time(done) if done else None, "type": kind, "type_name": ORDER_TYPES.get(kind, ""),
            "state": state, "state_name": ORDER_STATES.get(state, ""), "symbol": str(o.get("symbol", "")),
            "position_id": int(o.get("position_id", 0) or 0),
            **{k: _f(o.get(k, 0.0) or 0.0) for k in ORDER_NUMBERS},
            "reason": int(o.get("reason", 3)), "magic": int(o.get("magic", 0) or 0),
            "comment": str(o.get("comment", "")), "rebuilt": rebuilt,
        })
    return out


def build_data_report(result: BacktestResult | None) -> dict[str, Any]:
    """The data report of ``result`` (see the module docstring); never raises on bad input."""
    if result is None:
        return {"status": False, "error": "no backtest result: run a backtest before generating a report"}
    equity = np.asarray(getattr(result, "equity", []) if result is not None else [])
    if equity.size == 0:
        return {"status": False, "error": "the backtest result has no equity curve (no bars were replayed)"}
    try:
        m = compute_metrics(result)
        years = yearly_summary(result)
        tester = strategy_tester_statistics(result)
        records = trade_records(list(result.trades))
        data_source = json.dumps(records, ensure_ascii=False, allow_nan=False)
    except Exception as exc:  # a report must answer with a status, not a traceback
        return {"status": False, "error": f"could not build the data report: {type(exc).__name__}: {exc}"}

    def per_year(field: str) -> dict[str, float | None]:
        return {y: _f(v[field]) for y, v in years.items()}

    data = {
        "general_data": {
            "total_profit_loss": m["total_profit_loss"],
            "number_of_trades": m["number_of_trades"],
        },
        "performance_metrics": {k: m[k] for k in PERFORMANCE_KEYS},
        "win_loss_ratio": {"win_rate": m["win_rate"], "loss_rate": m["loss_rate"]},
        "cumulative_return_line_chart": {"cumulative_return_percent": per_year("cumulative_return")},
        "max_drawdown_trend": {"max_drawdown_percent": per_year("max_drawdown")},
        "annual_year_pnl_usd": {"annual_year_pnl_usd": per_year("pnl")},
        "annual_pnl_usd": {"annual_pnl_usd": per_year("end_equity")},
        "data_source": data_source,
        "tester_metrics": tester,
    }
    return {"status": True, "data": data}
