"""A live account's deal history as a report source (trade records and a balance curve)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np

from mas.results import BacktestResult, TradeRecord
from mas.terminal import constants as c

_EPOCH = datetime(1970, 1, 1)


def result_from_deals(deals: list[Any], currency: str = "USD") -> BacktestResult | None:
    """Round trips from MT5 deals: every exit deal closes part of the position its entry opened."""
    deals = sorted(deals, key=lambda d: (d.time, d.ticket))
    if not deals:
        return None
    entries: dict[int, Any] = {}
    trades: list[TradeRecord] = []
    balance = 0.0
    times, curve = [], []
    deposits = 0.0
    for d in deals:
        balance += d.profit + d.commission + d.swap + d.fee
        if d.type == c.DEAL_TYPE_BALANCE:
            deposits += d.profit
        elif d.entry == c.DEAL_ENTRY_IN:
            entries[d.position_id] = d
        elif d.entry in (c.DEAL_ENTRY_OUT, c.DEAL_ENTRY_INOUT, c.DEAL_ENTRY_OUT_BY):
            opened = entries.get(d.position_id)
            if opened is not None:
                trades.append(TradeRecord(
                    position_id=int(d.position_id), symbol=d.symbol,
                    direction="buy" if opened.type == c.DEAL_TYPE_BUY else "sell", volume=float(d.volume),
                    open_time=_EPOCH + timedelta(seconds=int(opened.time)), open_price=float(opened.price),
                    close_time=_EPOCH + timedelta(seconds=int(d.time)), close_price=float(d.price),
                    profit=float(d.profit), commission=float(d.commission + opened.commission * d.volume /
                                                             max(opened.volume, 1e-12)),
                    swap=float(d.swap), exit_reason={4: "sl", 5: "tp", 6: "so"}.get(int(d.reason), "client"),
                ))
        times.append(int(d.time))
        curve.append(balance)
    initial = deposits if deposits > 0 else (curve[0] if curve else 0.0)
    equity = np.asarray(curve, dtype=np.float64)
    return BacktestResult(settings={"source": "live account history"}, trades=trades,
                          equity_times=np.asarray(times, dtype=np.int64), equity=equity, balance=equity.copy(),
                          initial_capital=float(initial) or 1.0, currency=currency,
                          deals=[d._asdict() for d in deals])


def result_from_live_history(terminal: Any) -> BacktestResult | None:
    deals = terminal.history_deals_get(_EPOCH, datetime.now() + timedelta(days=1)) or ()
    info = terminal.account_info()
    return result_from_deals(list(deals), info.currency if info is not None else "USD")
