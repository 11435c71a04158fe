"""What a backtest (or a live account's history) hands to the reports.

Reports read only this record: the trade list and the equity curve, in the account currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np


@dataclass
class TradeRecord:
    """One round trip: a position (or the part of it closed by one exit deal).

    ``profit`` is the price P&L of the exit deal as MT5 books it (account currency);
    ``commission`` (entry share + exit, negative = cost) and ``swap`` are separate, and
    ``net_profit`` is their sum: what the trade added to the balance.
    An open trade (still open at the end) has ``close_time`` None, ``is_open`` True and is
    valued at the last close.
    """

    position_id: int
    symbol: str
    direction: str  # "buy" (long) or "sell" (short)
    volume: float
    open_time: datetime
    open_price: float
    close_time: datetime | None
    close_price: float
    profit: float
    commission: float
    swap: float
    is_open: bool = False
    exit_reason: str = "client"  # client, expert, sl, tp, so (stop-out), end (open at the end)
    sl: float = 0.0
    tp: float = 0.0
    """The position's stop loss and take profit when it closed (0 = none)."""

    @property
    def net_profit(self) -> float:
        return self.profit + self.commission + self.swap

    def as_dict(self) -> dict[str, Any]:
        return {
            "position_id": self.position_id,
            "symbol": self.symbol,
            "direction": self.direction,
            "volume": self.volume,
            "open_time": self.open_time,
            "close_time": self.close_time,
            "open_price": self.open_price,
            "close_price": self.close_price,
            "profit": self.profit,
            "commission": self.commission,
            "swap": self.swap,
            "net_profit": self.net_profit,
            "is_open": self.is_open,
            "exit_reason": self.exit_reason,
            "sl": self.sl,
            "tp": self.tp,
        }


@dataclass
class BacktestResult:
    """Everything the reports need from one run.

    ``equity_times`` are bar open times (epoch seconds, UTC), one point per replayed bar;
    ``equity[i]`` and ``balance[i]`` are the account's values at the close of that bar.
    ``bars`` maps each symbol to its replayed rates (``mas.terminal.types.RATES_DTYPE``).
    """

    settings: dict[str, Any]
    trades: list[TradeRecord]
    equity_times: np.ndarray
    equity: np.ndarray
    balance: np.ndarray
    initial_capital: float
    currency: str = "USD"
    deals: list[dict[str, Any]] = field(default_factory=list)
    bars: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def closed_trades(self) -> list[TradeRecord]:
        return [t for t in self.trades if not t.is_open]
