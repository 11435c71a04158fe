"""Spec -> a ``MAS`` strategy: ``receive_bars`` drives a :class:`~mas.strategy.conditions.SignalBook`
per symbol and trades through the documented MAS calls, in backtests and live alike.

Trading rules (the spec's semantics, see :mod:`mas.strategy.spec`), at each bar's close:

1. every indicator and condition is updated (also on the last bar of a backtest, where no order
   is sent since it could never fill);
2. exits: positions of a side whose exit rule holds are closed (a ``sell`` carrying the ``buy``'s
   ``order_id``, and vice versa); so are positions held ``exit_after_bars`` bars;
3. trailing stops move each filled position's stop loss toward the price (never away);
4. entries: a side whose entry rule holds and whose exit rule does not, on a bar the filters
   allow, opens a position while fewer than ``max_open_positions`` are open (1: none).

Market orders carry their SL/TP, placed from the entry price the strategy can know at the close:
the ask (close + spread) for buys, the bid (close) for sells. Pips are 10 points on 5- and 3-digit
quotes, 1 point otherwise. With ``risk_percent`` the volume is the one whose loss at the stop is
that share of equity, rounded down to the volume step; an entry is skipped when that is below the
minimum volume or when an ATR distance is not warmed up yet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from mas.client import MAS
from mas.i18n.errors import Text
from mas.strategy.conditions import SignalBook
from mas.strategy.indicators import ATR
from mas.strategy.levels import pip_size, price_offset
from mas.strategy.spec import WEEKDAYS, Distance, StrategySpec
from mas.terminal import constants as c

__all__ = ["SpecStrategy", "compile_spec", "pip_size"]

_ACCEPTED = frozenset({c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_DONE_PARTIAL})
_DEAD_STATES = frozenset({c.ORDER_STATE_CANCELED, c.ORDER_STATE_REJECTED, c.ORDER_STATE_EXPIRED})
_SERVER_EXITS = frozenset({"sl", "tp", "stop_out"})


@dataclass
class _Trade:
    """A position the strategy opened (or an entry order still on its way)."""

    order_id: str
    is_long: bool
    volume: float
    signal_bar: int
    filled: bool = False
    sl: float = 0.0


@dataclass
class _SymbolInfo:
    digits: int
    point: float
    volume_min: float
    volume_max: float
    volume_step: float

    @property
    def pip(self) -> float:
        return pip_size(self.digits, self.point)


class _SymbolState:
    def __init__(self, spec: StrategySpec, info: _SymbolInfo) -> None:
        self.book = SignalBook(spec)
        self.info = info
        self.bar_index = -1
        self.trades: list[_Trade] = []
        self.atrs = {period: ATR(period) for period in _atr_periods(spec)}


def _atr_periods(spec: StrategySpec) -> set[int]:
    distances = (spec.risk.stop_loss, spec.risk.take_profit, spec.risk.trailing_stop)
    return {d.atr_period for d in distances if d is not None and d.unit == "atr"}


class SpecStrategy(MAS):
    """A MAS client that trades a validated :class:`StrategySpec` (see the module doc)."""

    spec: ClassVar[StrategySpec | None] = None

    def __init__(self, spec: StrategySpec | None = None, *, backtest_toggle: bool = True) -> None:
        super().__init__()
        spec = spec if spec is not None else type(self).spec
        if not isinstance(spec, StrategySpec):
            raise ValueError(Text("spec_strategy_needs_spec"))
        if not isinstance(backtest_toggle, bool):
            raise ValueError(Text("spec_toggle_bool", value=backtest_toggle))
        self.spec = spec
        self.backtest_toggle = backtest_toggle
        self._states: dict[str, _SymbolState] = {}
        self._early_fills: set[str] = set()  # entries filled before send_order returned (live, as the MAS SDK does)

    # ------------------------------------------------------------------ callbacks
    def receive_bars(self, symbol: str, data: dict[str, Any], is_end: bool) -> None:
        state = self._states.get(symbol)
        if state is None:
            state = self._states[symbol] = _SymbolState(self.spec, self._symbol_info(symbol))
        entry_long, exit_long, entry_short, exit_short = state.book.step(data)
        for atr in state.atrs.values():
            atr.update(data["high"], data["low"], data["close"])
        state.bar_index += 1
        if is_end:
            return
        risk = self.spec.risk
        for trade in list(state.trades):
            exit_rule = exit_long if trade.is_long else exit_short
            expired = risk.exit_after_bars is not None and state.bar_index - trade.signal_bar >= risk.exit_after_bars
            if trade.filled and (exit_rule or expired):
                self._close(symbol, state, trade)
        if risk.trailing_stop is not None:
            for trade in state.trades:
                if trade.filled:
                    self._trail(state, trade, data)
        if (entry_long and not exit_long) or (entry_short and not exit_short):
            if self._filters_allow(data["time"]):
                if entry_long and not exit_long:
                    self._open(symbol, state, data, is_long=True)
                if entry_short and not exit_short:
                    self._open(symbol, state, data, is_long=False)

    def receive_order_execution(self, order_id: str, execution_data: dict[str, Any]) -> None:
        """Mark entries filled; forget positions the server closed (SL, TP, stop-out)."""
        entry = execution_data.get("entry")
        if entry == "in" and not any(t.order_id == order_id for s in self._states.values() for t in s.trades):
            self._early_fills.add(order_id)  # our send_order has not returned yet: _open marks it filled
        for state in self._states.values():
            for trade in state.trades:
                if entry == "in" and trade.order_id == order_id:
                    trade.filled = True
                elif (entry == "out" and execution_data.get("reason") in _SERVER_EXITS
                      and trade.order_id == str(execution_data.get("position_id"))):
                    state.trades.remove(trade)
                    return

    def receive_order_status(self, order_id: str, status_data: dict[str, Any]) -> None:
        """Forget an entry whose order died after it was accepted (rejected at the fill, cancelled)."""
        state_code = status_data.get("state")
        if state_code is not None:
            dead = state_code in _DEAD_STATES
        else:
            dead = status_data.get("retcode", status_data.get("status")) not in _ACCEPTED
        if dead:
            for state in self._states.values():
                state.trades = [t for t in state.trades if t.filled or t.order_id != order_id]

    # ------------------------------------------------------------------ orders
    def _open(self, symbol: str, state: _SymbolState, data: dict[str, Any], *, is_long: bool) -> None:
        risk = self.spec.risk
        if len(state.trades) >= risk.max_open_positions:
            return
        info = state.info
        price = data["close"] + data.get("spread", 0) * info.point if is_long else data["close"]
        sign = 1.0 if is_long else -1.0
        order: dict[str, Any] = {"symbol": symbol, "order_type": "buy" if is_long else "sell",
                                 "backtest_toggle": self.backtest_toggle}
        stop = risk.stop_loss or risk.trailing_stop
        sl = 0.0
        for name, distance, direction in (("sl", stop, -sign), ("tp", risk.take_profit, sign)):
            if distance is None:
                continue
            offset = self._distance(state, distance, price)
            if offset is None:
                return
            order[name] = round(price + direction * offset, info.digits)
            if name == "sl":
                sl = order["sl"]
        volume = risk.lots if risk.risk_percent is None else self._risk_volume(symbol, info, price, sl, is_long)
        if volume is None:
            return
        order["volume"] = volume
        order_id = self.send_order(order)
        if order_id is not None:
            filled = order_id in self._early_fills
            self._early_fills.discard(order_id)
            state.trades.append(_Trade(order_id, is_long, volume, state.bar_index, filled=filled, sl=sl))

    def _close(self, symbol: str, state: _SymbolState, trade: _Trade) -> None:
        result = self.send_order({"symbol": symbol, "order_type": "sell" if trade.is_long else "buy",
                                  "volume": trade.volume, "order_id": trade.order_id,
                                  "backtest_toggle": self.backtest_toggle})
        if result is not None:  # a rejected close keeps the position: retried on the next exit signal
            state.trades.remove(trade)

    def _trail(self, state: _SymbolState, trade: _Trade, data: dict[str, Any]) -> None:
        info = state.info
        bid = data["close"]
        ask = bid + data.get("spread", 0) * info.point
        offset = self._distance(state, self.spec.risk.trailing_stop, bid if trade.is_long else ask)
        if offset is None:
            return
        if trade.is_long:
            new_sl = round(bid - offset, info.digits)
            better = new_sl < bid and (trade.sl == 0.0 or new_sl > trade.sl)
        else:
            new_sl = round(ask + offset, info.digits)
            better = new_sl > ask and (trade.sl == 0.0 or new_sl < trade.sl)
        if better and self.modify_position_sltp({"position_id": trade.order_id, "sl": new_sl,
                                                 "backtest_toggle": self.backtest_toggle}):
            trade.sl = new_sl

    def _distance(self, state: _SymbolState, distance: Distance | None, price: float) -> float | None:
        """The price offset of ``distance`` now (None while its ATR warms up)."""
        if distance is None:
            return None
        atr = state.atrs[distance.atr_period].value if distance.unit == "atr" else None
        return price_offset(distance, price, state.info.pip, state.info.point, atr)

    def _risk_volume(self, symbol: str, info: _SymbolInfo, price: float, sl: float, is_long: bool) -> float | None:
        equity = self.get_account_info().get("equity")
        loss = self.calc_order_profit({"action": "buy" if is_long else "sell", "symbol": symbol, "volume": 1.0,
                                       "price_open": price, "price_close": sl})
        if not equity or loss is None or loss >= 0:
            return None
        risk_percent = self.spec.risk.risk_percent or 0.0
        steps = math.floor(equity * risk_percent / 100.0 / -loss / info.volume_step + 1e-9)
        volume = round(min(steps * info.volume_step, info.volume_max), 8)
        return volume if volume >= info.volume_min else None

    def _filters_allow(self, when: Any) -> bool:
        filters = self.spec.filters
        if filters.weekdays and WEEKDAYS[when.weekday()] not in filters.weekdays:
            return False
        if not filters.sessions:
            return True
        minute = when.hour * 60 + when.minute
        for session in filters.sessions:
            start, end = session.minutes()
            if (start <= minute < end) if start < end else (minute >= start or minute < end):
                return True
        return False

    def _symbol_info(self, symbol: str) -> _SymbolInfo:
        for row in self.get_symbols({"group": symbol}):
            if row["name"] == symbol:
                return _SymbolInfo(int(row["digits"]), float(row["point"]), float(row["volume_min"]),
                                   float(row["volume_max"]), float(row["volume_step"]))
        return _SymbolInfo(5, 1e-5, 0.01, 100.0, 0.01)  # an unknown symbol: a 5-digit FX quote


def compile_spec(spec: StrategySpec, name: str = "SpecStrategy") -> type[SpecStrategy]:
    """A ``MAS`` subclass bound to ``spec``: ``compile_spec(spec)()`` backtests or trades it."""
    if not isinstance(spec, StrategySpec):
        raise ValueError(Text("spec_compile_needs_spec"))
    return type(name, (SpecStrategy,), {"spec": spec, "__doc__": f"The strategy spec {spec.name or name}."})
