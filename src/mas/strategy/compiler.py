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

On a netting account (one position per symbol) the bookkeeping follows the deals the terminal reports:
``max_open_positions`` > 1 means adding to the one position up to that many entries (the terminal keeps the
stops it opened with); an opposite entry reduces, closes or reverses it; exits close each entry's volume of
the real position; a stop or stop-out closing it forgets every entry in it.
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
    position_id: str = ""  # netting: the position the entry is part of (hedging: its own order_id)
    closing: bool = False  # netting: a close was sent and its deal is not reported yet


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
    def __init__(self, spec: StrategySpec, info: _SymbolInfo, netting: bool = False) -> None:
        self.book = SignalBook(spec)
        self.info = info
        self.netting = netting
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
        # entries filled before send_order returned (live, as the MAS SDK does): the position and the volume opened
        self._early_fills: dict[str, tuple[str, float]] = {}
        self._closes: dict[str, list[_Trade]] = {}  # netting: close orders on their way -> the entries they close

    # ------------------------------------------------------------------ callbacks
    def receive_bars(self, symbol: str, data: dict[str, Any], is_end: bool) -> None:
        state = self._states.get(symbol)
        if state is None:
            state = self._states[symbol] = _SymbolState(self.spec, self._symbol_info(symbol), self._is_netting())
        entry_long, exit_long, entry_short, exit_short = state.book.step(data)
        for atr in state.atrs.values():
            atr.update(data["high"], data["low"], data["close"])
        state.bar_index += 1
        if is_end:
            return
        risk = self.spec.risk
        leaving: list[_Trade] = []  # netting: one close order per position (the terminal takes no second one)
        for trade in list(state.trades):
            if trade.closing:
                continue
            exit_rule = exit_long if trade.is_long else exit_short
            expired = risk.exit_after_bars is not None and state.bar_index - trade.signal_bar >= risk.exit_after_bars
            if trade.filled and (exit_rule or expired):
                if state.netting:
                    leaving.append(trade)
                else:
                    self._close(symbol, state, trade)
        for position in dict.fromkeys(t.position_id for t in leaving):
            self._close_netting(symbol, [t for t in leaving if t.position_id == position])
        if risk.trailing_stop is not None:
            trailed: set[str] = set()
            for trade in state.trades:
                if trade.filled and not trade.closing and trade.position_id not in trailed:
                    self._trail(state, trade, data)
                    if state.netting:  # one stop per position
                        trailed.add(trade.position_id)
        if (entry_long and not exit_long) or (entry_short and not exit_short):
            if self._filters_allow(data["time"]):
                if entry_long and not exit_long:
                    self._open(symbol, state, data, is_long=True)
                if entry_short and not exit_short:
                    self._open(symbol, state, data, is_long=False)

    def receive_order_execution(self, order_id: str, execution_data: dict[str, Any]) -> None:
        """Mark entries filled; forget positions the server closed (SL, TP, stop-out)."""
        entry = execution_data.get("entry")
        netting_state = self._states.get(str(execution_data.get("symbol")))
        if netting_state is not None and netting_state.netting:
            self._netting_deal(netting_state, order_id, execution_data)
            return
        if entry == "in" and not any(t.order_id == order_id for s in self._states.values() for t in s.trades):
            self._early_fills[order_id] = ("", 0.0)  # our send_order has not returned yet: _open marks it filled
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
            for trade in self._closes.pop(order_id, []):  # netting: a close that died keeps its entries open
                trade.closing = False
            for state in self._states.values():
                state.trades = [t for t in state.trades if t.filled or t.order_id != order_id]

    def open_entries(self, symbol: str) -> list[tuple[str, float, bool]]:
        """The entries the strategy counts as open on ``symbol`` (against ``max_open_positions``): ("buy" or
        "sell", lots, whether it is filled) each, oldest first; closes on their way are left out."""
        state = self._states.get(symbol)
        if state is None:
            return []
        return [("buy" if t.is_long else "sell", t.volume, t.filled) for t in state.trades if not t.closing]

    # ------------------------------------------------------------------ orders
    def _open(self, symbol: str, state: _SymbolState, data: dict[str, Any], *, is_long: bool) -> None:
        risk = self.spec.risk
        if sum(not t.closing for t in state.trades) >= risk.max_open_positions:
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
            early = self._early_fills.pop(order_id, None)
            if not state.netting:
                state.trades.append(_Trade(order_id, is_long, volume, state.bar_index, filled=early is not None, sl=sl))
            elif early is None:
                state.trades.append(_Trade(order_id, is_long, volume, state.bar_index, sl=sl))
            elif early[1] > 1e-9:  # filled already: it opened (or added to, or reversed into) this volume
                trade = _Trade(order_id, is_long, early[1], state.bar_index, filled=True, sl=sl, position_id=early[0])
                self._join(state, trade)
                state.trades.append(trade)

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
        position = trade.position_id if state.netting else trade.order_id
        if better and self.modify_position_sltp({"position_id": position, "sl": new_sl,
                                                 "backtest_toggle": self.backtest_toggle}):
            trade.sl = new_sl
            if state.netting:
                for other in state.trades:
                    if other.filled and other.position_id == position:
                        other.sl = new_sl

    # ------------------------------------------------------------------ netting accounts
    def _is_netting(self) -> bool:
        """Whether the account keeps one position per symbol (netting, exchange); unknown: hedging."""
        mode = self.get_account_info().get("margin_mode")
        return mode is not None and int(mode) != c.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING

    def _close_netting(self, symbol: str, trades: list[_Trade]) -> None:
        """Close the volume of ``trades`` (entries of one position) in one order; they are forgotten when its
        deal is reported."""
        for trade in trades:
            trade.closing = True
        first = trades[0]
        result = self.send_order({"symbol": symbol, "order_type": "sell" if first.is_long else "buy",
                                  "volume": round(sum(t.volume for t in trades), 8), "order_id": first.position_id,
                                  "backtest_toggle": self.backtest_toggle})
        waiting = [t for t in trades if t.closing]
        if result is None:  # refused: retried on the next exit signal
            for trade in waiting:
                trade.closing = False
        elif waiting:  # its deal is not reported yet
            self._closes[result] = waiting
        else:  # filled before send_order returned: its deal was taken off already
            self._early_fills.pop(result, None)

    def _netting_deal(self, state: _SymbolState, order_id: str, data: dict[str, Any]) -> None:
        """Follow one deal of a netting account: an entry opens or adds to the position; any other deal takes
        its volume off the position's entries (the entry being closed first, then the oldest), and a reversal
        opens what exceeds them."""
        position = str(data.get("position_id"))
        volume = float(data.get("volume") or 0.0)
        own = next((t for t in state.trades if t.order_id == order_id and not t.filled), None)
        if data.get("entry") == "in":
            if own is None:
                self._early_fills[order_id] = (position, volume)
            else:
                own.filled, own.position_id = True, position
                self._join(state, own)
            return
        closing = self._closes.pop(order_id, None)
        held = [t for t in state.trades if t.filled and t.position_id == position]
        held.sort(key=lambda t: (not any(t is x for x in closing or ()), not t.closing))
        left = volume
        for trade in held:
            if left <= 1e-9:
                break
            taken = min(trade.volume, left)
            left = round(left - taken, 8)
            trade.volume = round(trade.volume - taken, 8)
            trade.closing = False  # closed, or smaller: a close of it was taken off first
            if trade.volume <= 1e-9:
                state.trades.remove(trade)
        if data.get("reason") in _SERVER_EXITS:  # the position is gone whatever the records held
            state.trades = [t for t in state.trades if not (t.filled and t.position_id == position)]
        reversed_volume = left if data.get("entry") == "inout" else 0.0
        if own is not None:
            if reversed_volume > 1e-9:
                own.filled, own.position_id, own.volume = True, position, reversed_volume
            else:
                state.trades.remove(own)
        elif closing is None and data.get("reason") not in _SERVER_EXITS:
            # our order whose send_order has not returned yet (live): _open records what it opened
            self._early_fills[order_id] = (position, reversed_volume)

    @staticmethod
    def _join(state: _SymbolState, trade: _Trade) -> None:
        """An entry filled into a position that was open already keeps that position's stop."""
        for other in state.trades:
            if other is not trade and other.filled and other.position_id == trade.position_id:
                trade.sl = other.sl
                return

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
