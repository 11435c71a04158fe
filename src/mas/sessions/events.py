"""The dicts a strategy's callbacks receive, built one way for backtests and live trading.

- ``receive_bars`` / ``receive_ticks``: the MAS SDK's keys (symbol, timeframe, time, open, high, low,
  close, volume / bid, ask, last, volume) plus the MetaTrader 5 row's own fields (tick_volume, spread,
  real_volume / time_msc, flags, volume_real). ``time`` is a naive ``datetime`` in UTC (the terminal's
  server time): a bar's open time, a tick's time to the millisecond.
- ``receive_order_status``: status, retcode, message, request, state (and ``action`` for modify and
  cancel answers).
- ``receive_order_execution``: a deal's price, volume, symbol, time, type, order_type, position_id,
  deal, entry, reason, profit, commission, swap.

The backtest clock calls :func:`bar_dict` / :func:`tick_dict` once per bar or tick with values that
already have their types (no conversions there); a live feed converts a terminal's row first
(:func:`bar_from_row`, :func:`tick_from_row`), so both hand a strategy the same keys and types.
This module is part of the compiled engine and imports nothing above the terminal's value types.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mas import params as p
from mas.terminal import constants as c
from mas.terminal.types import TradeRequest

BAR_KEYS = ("symbol", "timeframe", "time", "open", "high", "low", "close", "volume", "tick_volume", "spread",
            "real_volume")
TICK_KEYS = ("symbol", "time", "bid", "ask", "last", "volume", "time_msc", "flags", "volume_real")

_EPOCH = datetime(1970, 1, 1)
_ENTRY_NAMES = {c.DEAL_ENTRY_IN: "in", c.DEAL_ENTRY_OUT: "out", c.DEAL_ENTRY_INOUT: "inout",
                c.DEAL_ENTRY_OUT_BY: "out_by"}
_STATUS_ACTIONS: dict[Any, str] = {c.TRADE_ACTION_MODIFY: "modify", c.TRADE_ACTION_REMOVE: "cancel"}
# receive_order_execution spells the stop-out out in full; trade records say "so"
_REASON_NAMES = {**c.DEAL_REASON_NAME, c.DEAL_REASON_SO: "stop_out"}


def bar_dict(symbol: str, timeframe: str, time: datetime, open_: Any, high: Any, low: Any, close: Any,
             tick_volume: Any, spread: Any, real_volume: Any) -> dict[str, Any]:
    """A completed bar as ``receive_bars`` gets it (``volume`` is the tick volume, as in MAS)."""
    return {"symbol": symbol, "timeframe": timeframe, "time": time, "open": open_, "high": high, "low": low,
            "close": close, "volume": tick_volume, "tick_volume": tick_volume, "spread": spread,
            "real_volume": real_volume}


def tick_dict(symbol: str, time: datetime, bid: Any, ask: Any, last: Any, volume: Any, time_msc: Any, flags: Any,
              volume_real: Any) -> dict[str, Any]:
    """A tick as ``receive_ticks`` gets it."""
    return {"symbol": symbol, "time": time, "bid": bid, "ask": ask, "last": last, "volume": volume,
            "time_msc": time_msc, "flags": flags, "volume_real": volume_real}


def bar_from_row(symbol: str, row: Any, timeframe: str) -> dict[str, Any]:
    """A terminal's rates row (``copy_rates_*``) as ``receive_bars`` gets it: the same dict as in a backtest."""
    return bar_dict(symbol, timeframe, _EPOCH + timedelta(seconds=int(row["time"])), float(row["open"]),
                    float(row["high"]), float(row["low"]), float(row["close"]), int(row["tick_volume"]),
                    int(row["spread"]), int(row["real_volume"]))


def tick_from_row(symbol: str, tick: Any) -> dict[str, Any]:
    """A terminal's tick row (``copy_ticks_*``, or a ``symbol_info_tick`` as a dict) as ``receive_ticks`` gets
    it: the same dict as in a backtest."""
    msc = int(tick["time_msc"])
    return tick_dict(symbol, _EPOCH + timedelta(milliseconds=msc), float(tick["bid"]), float(tick["ask"]),
                     float(tick["last"]), int(tick["volume"]), msc, int(tick["flags"]), float(tick["volume_real"]))


def status_dict(retcode: int, text: str, request: Any, state: int) -> dict[str, Any]:
    """An order's new state as ``receive_order_status`` gets it; ``request`` is a trade request (a
    ``TradeRequest`` or a dict of its fields)."""
    fields = p.request_fields(request) if isinstance(request, TradeRequest) else dict(request)
    status: dict[str, Any] = {"status": int(retcode), "retcode": int(retcode), "message": text, "request": fields,
                              "state": int(state)}
    action = _STATUS_ACTIONS.get(fields.get("action"))  # the original marks modify and cancel answers
    if action is not None:
        status["action"] = action
    return status


def execution_dict(deal: Any, order_type: int) -> dict[str, Any]:
    """One MT5 deal as ``receive_order_execution`` gets it (``order_type``: the type of the deal's order)."""
    return {
        "price": float(deal.price), "volume": float(deal.volume), "symbol": deal.symbol,
        "time": _EPOCH + timedelta(seconds=int(deal.time)),
        "type": "buy" if deal.type == c.DEAL_TYPE_BUY else "sell",
        "order_type": c.ORDER_TYPE_NAME.get(int(order_type), str(order_type)),
        "position_id": int(deal.position_id), "deal": int(deal.ticket),
        "entry": _ENTRY_NAMES.get(int(deal.entry), str(deal.entry)),
        "reason": _REASON_NAMES.get(int(deal.reason), str(deal.reason)),
        "profit": float(deal.profit), "commission": float(deal.commission), "swap": float(deal.swap),
    }


def order_request(order: Any) -> dict[str, Any]:
    """The request fields of an order record (a status about an order that no request of this program
    describes: filled, triggered, cancelled, expired)."""
    return {"symbol": order.symbol, "type": int(order.type), "volume": float(order.volume_initial),
            "price": float(order.price_open), "sl": float(order.sl), "tp": float(order.tp),
            "position": int(order.position_id), "magic": int(order.magic), "comment": str(order.comment)}


def deal_request(deal: Any, order_type: int) -> dict[str, Any]:
    """The request fields of a deal's order, from the deal (its order may be gone from the history)."""
    return {"symbol": deal.symbol, "type": int(order_type), "volume": float(deal.volume), "price": float(deal.price),
            "position": int(deal.position_id), "magic": int(deal.magic), "comment": str(deal.comment)}
