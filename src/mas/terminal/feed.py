"""The bar and tick dicts that ``receive_bars`` and ``receive_ticks`` receive, in backtests and live.

One builder each, so both modes hand a strategy the same keys with the same types: the MAS
SDK's keys (symbol, timeframe, time, open, high, low, close, volume / bid, ask, last, volume)
plus the MetaTrader 5 row's own fields (tick_volume, spread, real_volume / time_msc, flags,
volume_real). ``time`` is a naive ``datetime`` in UTC (the terminal's server time): a bar's
open time, a tick's time to the millisecond. The backtest clock calls these once per bar, so
they take the values as they are (no conversions); callers pass floats and ints.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

BAR_KEYS = ("symbol", "timeframe", "time", "open", "high", "low", "close", "volume", "tick_volume", "spread",
            "real_volume")
TICK_KEYS = ("symbol", "time", "bid", "ask", "last", "volume", "time_msc", "flags", "volume_real")


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
