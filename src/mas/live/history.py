"""A live account's deal history as a report source (trade records and a balance curve)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from mas.results import BacktestResult, TradeRecord
from mas.terminal import constants as c

_EPOCH = datetime(1970, 1, 1)


@dataclass
class _OpenLeg:
    """What is open of one position while its deals are replayed."""

    is_buy: bool
    volume: float
    price: float
    time: int
    commission_per_lot: float  # entry commission not yet attributed, per lot


def result_from_deals(deals: list[Any], currency: str = "USD") -> BacktestResult | None:
    """Round trips from MT5 deals, position by position: entries open (or, on netting accounts, add
    to) a position, exits close part of it, and a reversal (``DEAL_ENTRY_INOUT``) closes the old side
    and opens the remaining volume on the other side at the deal's price. Each closed trade carries
    its share of the entry commission."""
    deals = sorted(deals, key=lambda d: (d.time, d.ticket))
    if not deals:
        return None
    legs: dict[int, _OpenLeg] = {}
    trades: list[TradeRecord] = []
    balance = 0.0
    times, curve = [], []
    deposits = 0.0
    for d in deals:
        balance += d.profit + d.commission + d.swap + d.fee
        times.append(int(d.time))
        curve.append(balance)
        if d.type == c.DEAL_TYPE_BALANCE:
            deposits += d.profit
            continue
        volume = float(d.volume)
        leg = legs.get(d.position_id)
        if d.entry == c.DEAL_ENTRY_IN:
            if leg is None:
                legs[d.position_id] = _OpenLeg(d.type == c.DEAL_TYPE_BUY, volume, float(d.price), int(d.time),
                                               float(d.commission) / max(volume, 1e-12))
            else:  # netting: adding to the position averages its price
                total = leg.volume + volume
                leg.price = (leg.price * leg.volume + float(d.price) * volume) / total
                leg.commission_per_lot = (leg.commission_per_lot * leg.volume + float(d.commission)) / total
                leg.volume = total
            continue
        if leg is None or d.entry not in (c.DEAL_ENTRY_OUT, c.DEAL_ENTRY_INOUT, c.DEAL_ENTRY_OUT_BY):
            continue
        closed = min(volume, leg.volume)
        exit_share = closed / volume if volume else 1.0
        trades.append(TradeRecord(
            position_id=int(d.position_id), symbol=d.symbol, direction="buy" if leg.is_buy else "sell",
            volume=closed, open_time=_EPOCH + timedelta(seconds=leg.time), open_price=leg.price,
            close_time=_EPOCH + timedelta(seconds=int(d.time)), close_price=float(d.price), profit=float(d.profit),
            commission=round(leg.commission_per_lot * closed + float(d.commission) * exit_share, 2),
            swap=float(d.swap), exit_reason=c.DEAL_REASON_NAME.get(int(d.reason), "client"),
        ))
        leg.volume = round(leg.volume - closed, 8)
        remaining = round(volume - closed, 8)
        if d.entry == c.DEAL_ENTRY_INOUT and remaining > 0:
            legs[d.position_id] = _OpenLeg(not leg.is_buy, remaining, float(d.price), int(d.time),
                                           float(d.commission) * (1 - exit_share) / remaining)
        elif leg.volume <= 1e-9:
            del legs[d.position_id]
    initial = deposits if deposits > 0 else (curve[0] if curve else 0.0)
    equity = np.asarray(curve, dtype=np.float64)
    return BacktestResult(settings={"source": "live account history"}, trades=trades,
                          equity_times=np.asarray(times, dtype=np.int64), equity=equity, balance=equity.copy(),
                          initial_capital=float(initial) or 1.0, currency=currency,
                          deals=[d._asdict() for d in deals])


def result_from_live_history(terminal: Any) -> BacktestResult | None:
    """The account's deals as closed trades, plus its open positions as open trades (valued by the
    terminal now)."""
    deals = terminal.history_deals_get(_EPOCH, datetime.now() + timedelta(days=1)) or ()
    info = terminal.account_info()
    result = result_from_deals(list(deals), info.currency if info is not None else "USD")
    positions = getattr(terminal, "positions_get", None)
    if result is not None and positions is not None:
        for pos in positions() or ():
            result.trades.append(TradeRecord(
                position_id=int(pos.identifier), symbol=pos.symbol,
                direction="buy" if pos.type == c.POSITION_TYPE_BUY else "sell", volume=float(pos.volume),
                open_time=_EPOCH + timedelta(seconds=int(pos.time)), open_price=float(pos.price_open),
                close_time=None, close_price=float(pos.price_current), profit=float(pos.profit), commission=0.0,
                swap=float(pos.swap), is_open=True, exit_reason="end", sl=float(pos.sl), tp=float(pos.tp),
            ))
    return result
