"""Mutable order, position and deal records of the simulated account, and their MT5 views."""

from __future__ import annotations

from dataclasses import dataclass

from mas.terminal import constants as c
from mas.terminal.types import TradeDeal, TradeOrder, TradePosition


@dataclass(slots=True)
class SimOrder:
    ticket: int
    symbol: str
    type: int
    volume_initial: float
    price_open: float
    time_setup: int
    sl: float = 0.0
    tp: float = 0.0
    price_stoplimit: float = 0.0
    type_time: int = c.ORDER_TIME_GTC
    time_expiration: int = 0
    type_filling: int = c.ORDER_FILLING_FOK
    state: int = c.ORDER_STATE_PLACED
    magic: int = 0
    position_id: int = 0
    position_by_id: int = 0
    reason: int = c.ORDER_REASON_EXPERT
    comment: str = ""
    volume_current: float = 0.0
    time_done: int = 0
    price_current: float = 0.0
    deviation: int = 0

    @property
    def is_buy(self) -> bool:
        return self.type in c.BUY_ORDER_TYPES

    @property
    def is_market(self) -> bool:
        return self.type in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL)

    def view(self) -> TradeOrder:
        return TradeOrder(
            ticket=self.ticket, time_setup=self.time_setup, time_setup_msc=self.time_setup * 1000,
            time_done=self.time_done, time_done_msc=self.time_done * 1000,
            time_expiration=self.time_expiration, type=self.type, type_time=self.type_time,
            type_filling=self.type_filling, state=self.state, magic=self.magic,
            position_id=self.position_id, position_by_id=self.position_by_id, reason=self.reason,
            volume_initial=self.volume_initial, volume_current=self.volume_current,
            price_open=self.price_open, sl=self.sl, tp=self.tp, price_current=self.price_current,
            price_stoplimit=self.price_stoplimit, symbol=self.symbol, comment=self.comment, external_id="",
        )


@dataclass(slots=True)
class SimPosition:
    ticket: int
    symbol: str
    is_buy: bool
    volume: float
    price_open: float
    time: int
    magic: int = 0
    reason: int = c.POSITION_REASON_EXPERT
    sl: float = 0.0
    tp: float = 0.0
    swap: float = 0.0
    comment: str = ""
    time_update: int = 0
    margin: float = 0.0
    """Margin held, in account currency (fixed at the fill, rescaled on partial closes)."""
    entry_commission: float = 0.0
    """Entry commission not yet attributed to a closed trade (account currency, <= 0)."""

    def view(self, price_current: float, profit: float) -> TradePosition:
        return TradePosition(
            ticket=self.ticket, time=self.time, time_msc=self.time * 1000,
            time_update=self.time_update or self.time, time_update_msc=(self.time_update or self.time) * 1000,
            type=c.POSITION_TYPE_BUY if self.is_buy else c.POSITION_TYPE_SELL, magic=self.magic,
            identifier=self.ticket, reason=self.reason, volume=self.volume, price_open=self.price_open,
            sl=self.sl, tp=self.tp, price_current=price_current, swap=self.swap, profit=profit,
            symbol=self.symbol, comment=self.comment, external_id="",
        )


@dataclass(slots=True)
class SimDeal:
    ticket: int
    order: int
    time: int
    type: int
    entry: int
    magic: int
    position_id: int
    reason: int
    volume: float
    price: float
    commission: float
    swap: float
    profit: float
    symbol: str
    comment: str = ""
    fee: float = 0.0

    @property
    def balance_change(self) -> float:
        return self.profit + self.commission + self.swap + self.fee

    def view(self) -> TradeDeal:
        return TradeDeal(
            ticket=self.ticket, order=self.order, time=self.time, time_msc=self.time * 1000, type=self.type,
            entry=self.entry, magic=self.magic, position_id=self.position_id, reason=self.reason,
            volume=self.volume, price=self.price, commission=self.commission, swap=self.swap,
            profit=self.profit, fee=self.fee, symbol=self.symbol, comment=self.comment, external_id="",
        )
