"""The simulated MT5 terminal: the MetaTrader5 function set over a simulated margin account.

It is the backtest engine: a clock (:mod:`mas.sim.clock`) moves it bar by bar with
:meth:`SimulatedTerminal.advance_bar`, and everything a strategy asks in between is
answered the way a MetaTrader 5 terminal answers it, with MT5's constants, named tuples
and return codes. Market orders fill at the next bar's open; pending orders, SL/TP and
stop-out are matched along the bar's price path (:mod:`mas.sim.matching`).
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Final, NamedTuple, Protocol

import numpy as np

from mas.i18n.comments import Comment
from mas.results import TradeRecord
from mas.sim import matching
from mas.sim.account import (
    MARGIN_MODES,
    AccountSettings,
    fast_round,
    margin_in_margin_currency,
    profit_in_profit_currency,
    swap_in_profit_currency,
    volume_error,
)
from mas.sim.market import Market, SymbolTape, TickPath, TickTape
from mas.sim.records import SimDeal, SimOrder, SimPosition
from mas.sim.symbols import ConversionError, CurrencyConverter, SymbolSpec
from mas.terminal import constants as c
from mas.terminal.types import (
    RATES_DTYPE,
    AccountInfo,
    OrderCheckResult,
    OrderSendResult,
    SymbolInfo,
    TerminalInfo,
    Tick,
    TradeRequest,
    trade_request,
)

SIM_VERSION = (500, 4755, "01 Nov 2026")


class QuietForm(NamedTuple):
    """The account while every position is on one symbol and linear in its bid: floating P&L +
    swaps = k + m * bid + n * spread; the margin (fixed between deals); the equity at which
    stop-out begins; the margin-call level (%); and the band of prices the SL/TP leave free
    (a long's SL/TP are bid levels, a short's ask levels)."""

    k: float
    m: float
    n: float
    margin: float
    stop_out_equity: float
    margin_call_level: float
    bid_floor: float
    bid_ceiling: float
    ask_floor: float
    ask_ceiling: float
_PENDING_TYPES: Final = frozenset(range(c.ORDER_TYPE_BUY_LIMIT, c.ORDER_TYPE_SELL_STOP_LIMIT + 1))


class TradeListener(Protocol):
    """Receives what happens on the account, in time order. A listener may also have the boolean
    attributes ``wants_order_updates`` and ``wants_deals`` (read once, at the terminal's creation):
    False spares the calls it would ignore."""

    def on_order_update(self, order: SimOrder, retcode: int, message: str, request: TradeRequest | None) -> None:
        ...

    def on_deal(self, deal: SimDeal, order: SimOrder) -> None: ...


@dataclass
class AccountState:
    """Everything that makes up a simulated account's book, for saving and restoring it."""

    balance: float
    next_order: int
    next_deal: int
    positions: list[SimPosition] = field(default_factory=list)
    orders: list[SimOrder] = field(default_factory=list)
    history_orders: list[SimOrder] = field(default_factory=list)
    deals: list[SimDeal] = field(default_factory=list)


_EXECUTED: Final = Comment("request_executed")
_PLACED: Final = Comment("request_placed")
_ACCEPTED_MARKET: Final = Comment("accepted_market")
_PLACED_PENDING: Final = Comment("placed_pending")


class _Rejection(Exception):
    def __init__(self, retcode: int, message: str) -> None:
        super().__init__(message)
        self.retcode = retcode
        self.message = message


def _epoch(value: Any) -> int:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int(value.timestamp())
    return int(value or 0)


class SimulatedTerminal:
    """A MetaTrader 5 terminal whose account is simulated over historical prices."""

    def __init__(
        self,
        account: AccountSettings,
        specs: dict[str, SymbolSpec],
        market: Market,
        *,
        slippage_points: int = 0,
        listener: TradeListener | None = None,
        rates_loader: Callable[[str, str], np.ndarray | None] | None = None,
    ) -> None:
        self.settings = account
        self.specs = specs
        self.market = market
        self.slippage_points = int(slippage_points)
        self.listener = listener
        # a listener may say it ignores order updates or deals (the backtest's dispatcher does when the
        # strategy does not override the callbacks): the terminal then skips those calls
        self._tell_updates = listener is not None and bool(getattr(listener, "wants_order_updates", True))
        self._tell_deals = listener is not None and bool(getattr(listener, "wants_deals", True))
        self.rates_loader = rates_loader
        self.converter = CurrencyConverter(market.price_of)
        self.balance = 0.0
        self.orders: dict[int, SimOrder] = {}  # active: pending and market orders waiting for the next open
        self.positions: dict[int, SimPosition] = {}
        self.history_orders: list[SimOrder] = []
        self.deals: list[SimDeal] = []
        self.trades: list[TradeRecord] = []
        self.replaying = False
        self.margin_call = False
        self.margin_calls: list[tuple[int, float]] = []  # (time, margin level %) when a margin call began
        self._last_error: tuple[int, str] = (c.RES_S_OK, "Success")
        self._next_order = 1
        self._next_deal = 1
        self._margin_cache: float | None = None  # positions change only through deals
        self._linear_cache: dict[str, tuple[float, float, float]] | None = None
        self._nonlinear_positions: list[SimPosition] = []
        self._stops_cache: set[str] | None = None  # symbols with a position that has an SL or TP
        self.book_version = 0  # bumped whenever positions, swaps or stops change (the clock's cue to re-read)
        self._history_by_ticket: dict[int, SimOrder] = {}
        self._deposit(account.capital)

    # ------------------------------------------------------------------ MT5: session
    def initialize(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def login(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def shutdown(self) -> None:
        return None

    def version(self) -> tuple[int, int, str]:
        return SIM_VERSION

    def last_error(self) -> tuple[int, str]:
        return self._last_error

    def terminal_info(self) -> TerminalInfo:
        return TerminalInfo(
            community_account=False, community_connection=False, connected=True, dlls_allowed=False,
            trade_allowed=True, tradeapi_disabled=False, email_enabled=False, ftp_enabled=False,
            notifications_enabled=False, mqid=False, build=SIM_VERSION[1], maxbars=100_000_000,
            codepage=0, ping_last=0, community_balance=0.0, retransmission=0.0,
            company=self.settings.company, name="MAS simulated terminal", language="English",
            path="", data_path="", commondata_path="",
        )

    def _fail(self, code: int, message: str) -> None:
        self._last_error = (code, message)

    # ------------------------------------------------------------------ MT5: account
    def account_info(self) -> AccountInfo:
        s = self.settings
        profit = self.floating_profit()
        equity = self.balance + profit
        margin = self.margin_used()
        return AccountInfo(
            login=s.login, trade_mode=c.ACCOUNT_TRADE_MODE_DEMO, leverage=s.leverage, limit_orders=0,
            margin_so_mode=c.ACCOUNT_STOPOUT_MODE_PERCENT, trade_allowed=True, trade_expert=True,
            margin_mode=MARGIN_MODES[s.margin_mode], currency_digits=2, fifo_close=False,
            balance=round(self.balance, 2), credit=0.0, profit=round(profit, 2), equity=round(equity, 2),
            margin=round(margin, 2), margin_free=round(equity - margin, 2),
            margin_level=round(equity / margin * 100, 2) if margin > 0 else 0.0,
            margin_so_call=s.margin_call_level, margin_so_so=s.stop_out_level, margin_initial=0.0,
            margin_maintenance=0.0, assets=0.0, liabilities=0.0, commission_blocked=0.0, name=s.name,
            server=s.server, currency=s.currency, company=s.company,
        )

    def equity(self) -> float:
        return self.balance + self.floating_profit()

    def floating_profit(self) -> float:
        """Unrealised P&L plus accumulated swaps of the open positions (account currency)."""
        if self._linear_cache is None:
            self._linear_cache = self._linear_forms()
        market = self.market
        total = 0.0
        for symbol, (k, m, n) in self._linear_cache.items():
            total += k + m * market.quotes[symbol].bid + n * market.quotes[symbol].spread
        for pos in self._nonlinear_positions:
            total += self._position_profit(pos) + pos.swap
        return total

    def _linear_forms(self) -> dict[str, tuple[float, float, float]]:
        """Per symbol, floating P&L + swaps = k + m * bid + n * spread, for the positions whose
        profit currency is the account currency (the others are valued one by one)."""
        forms: dict[str, list[float]] = {}
        nonlinear: list[SimPosition] = []
        account = self.settings.currency
        for pos in self.positions.values():
            spec = self.specs[pos.symbol]
            if spec.profit != account:
                nonlinear.append(pos)
                continue
            size = spec.contract_size * pos.volume
            form = forms.setdefault(pos.symbol, [0.0, 0.0, 0.0])
            if pos.is_buy:  # closes at the bid
                form[0] += pos.swap - size * pos.price_open
                form[1] += size
            else:  # closes at the ask = bid + spread
                form[0] += pos.swap + size * pos.price_open
                form[1] -= size
                form[2] -= size
        self._nonlinear_positions = nonlinear
        return {symbol: (k, m, n) for symbol, (k, m, n) in forms.items()}

    def margin_used(self) -> float:
        """Margin of the open positions; hedged volume uses the symbol's hedged contract size."""
        if self._margin_cache is None:
            self._margin_cache = self._compute_margin()
        return self._margin_cache

    def _compute_margin(self) -> float:
        if not self.positions:
            return 0.0
        if not self.settings.hedging:
            return sum(p.margin for p in self.positions.values())
        legs: dict[str, list[float]] = {}
        for p in self.positions.values():
            leg = legs.setdefault(p.symbol, [0.0, 0.0, 0.0, 0.0])  # buy vol, buy margin, sell vol, sell margin
            k = 0 if p.is_buy else 2
            leg[k] += p.volume
            leg[k + 1] += p.margin
        total = 0.0
        for symbol, (bv, bm, sv, sm) in legs.items():
            hedged = min(bv, sv)
            if hedged <= 0:
                total += bm + sm
                continue
            big_v, big_m = (bv, bm) if bv >= sv else (sv, sm)
            spec = self.specs[symbol]
            per_lot = (bm / bv + sm / sv) / 2
            total += big_m * (big_v - hedged) / big_v + per_lot * hedged * spec.hedged_contract / spec.contract_size
        return total

    # ------------------------------------------------------------------ MT5: symbols and prices
    def symbols_total(self) -> int:
        return len(self.specs)

    def symbols_get(self, group: str | None = None) -> tuple[SymbolInfo, ...]:
        names = [n for n in self.specs if group is None or _group_match(n, group)]
        return tuple(info for n in names if (info := self.symbol_info(n)) is not None)

    def symbol_select(self, symbol: str, enable: bool = True) -> bool:
        return symbol in self.specs

    def symbol_info(self, symbol: str) -> SymbolInfo | None:
        spec = self.specs.get(symbol)
        if spec is None:
            self._fail(c.RES_E_NOT_FOUND, f"symbol {symbol} not found")
            return None
        bid, ask = self.market.bid_ask(symbol)
        spread_pts = int(round((ask - bid) / spec.point)) if bid else spec.spread
        values: dict[str, Any] = dict.fromkeys(SymbolInfo._fields, 0)
        values.update(
            custom=False, chart_mode=c.SYMBOL_CHART_MODE_BID, select=True, visible=True,
            time=self.market.now, digits=spec.digits, spread=spread_pts, spread_float=True,
            trade_calc_mode=spec.calc_mode, trade_mode=spec.trade_mode,
            trade_stops_level=spec.stops_level, trade_exemode=c.SYMBOL_TRADE_EXECUTION_MARKET,
            swap_mode=c.SYMBOL_SWAP_MODE_POINTS, swap_rollover3days=spec.swap_rollover3days,
            margin_hedged_use_leg=False,
            expiration_mode=c.SYMBOL_EXPIRATION_GTC | c.SYMBOL_EXPIRATION_DAY | c.SYMBOL_EXPIRATION_SPECIFIED
            | c.SYMBOL_EXPIRATION_SPECIFIED_DAY,
            filling_mode=c.SYMBOL_FILLING_FOK | c.SYMBOL_FILLING_IOC, order_mode=127,
            bid=bid, ask=ask, point=spec.point, trade_tick_size=spec.point,
            trade_tick_value=spec.point * spec.contract_size, trade_tick_value_profit=spec.point * spec.contract_size,
            trade_tick_value_loss=spec.point * spec.contract_size, trade_contract_size=spec.contract_size,
            volume_min=spec.volume_min, volume_max=spec.volume_max, volume_step=spec.volume_step,
            swap_long=spec.swap_long, swap_short=spec.swap_short, margin_hedged=spec.hedged_contract,
            currency_base=spec.base, currency_profit=spec.profit, currency_margin=spec.margin,
            description=spec.description, name=spec.name, path=spec.path, bank="", basis="", category="",
            exchange="", formula="", isin="", page="",
        )
        return SymbolInfo(**values)

    def symbol_info_tick(self, symbol: str) -> Tick | None:
        if not self.market.has_price(symbol):
            self._fail(c.RES_E_NOT_FOUND, f"no price for {symbol} at this time of the replay")
            return None
        bid = self.market.quotes[symbol].bid
        now = self.market.now
        return Tick(time=now, bid=bid, ask=self.market.ask(symbol), last=0.0, volume=0, time_msc=now * 1000,
                    flags=c.TICK_FLAG_BID | c.TICK_FLAG_ASK, volume_real=0.0)

    def market_book_add(self, symbol: str) -> bool:
        return symbol in self.specs

    def market_book_get(self, symbol: str) -> tuple:
        """The simulated book: one ask and one bid level at the current prices (unlimited depth)."""
        tick = self.symbol_info_tick(symbol)
        if tick is None:
            return ()
        from mas.terminal.types import BookInfo

        return (BookInfo(c.BOOK_TYPE_SELL, tick.ask, 0, 0.0), BookInfo(c.BOOK_TYPE_BUY, tick.bid, 0, 0.0))

    def market_book_release(self, symbol: str) -> bool:
        return symbol in self.specs

    def _known_rates(self, symbol: str, timeframe: int) -> np.ndarray | None:
        """Completed bars of ``symbol`` up to the replay's cursor (never a future bar)."""
        from mas.data.timeframes import TIMEFRAME_NAMES, timeframe_seconds

        name = TIMEFRAME_NAMES.get(int(timeframe))
        if name is None:
            self._fail(c.RES_E_INVALID_PARAMS, f"invalid timeframe {timeframe}")
            return None
        tape = self.market.tapes.get(symbol)
        if isinstance(tape, SymbolTape) and tape.timeframe == name:
            return tape.rates[: self.market.quotes[symbol].index + 1]
        if self.rates_loader is None:
            self._fail(c.RES_E_NOT_FOUND, f"no {name} data for {symbol}")
            return None
        rates = self.rates_loader(symbol, name)
        if rates is None:
            self._fail(c.RES_E_NOT_FOUND, f"no {name} data for {symbol}")
            return None
        completed = rates["time"] + timeframe_seconds(name) <= self.market.now
        return rates[completed]

    def copy_rates_from_pos(self, symbol: str, timeframe: int, start_pos: int, count: int) -> np.ndarray | None:
        rates = self._known_rates(symbol, timeframe)
        if rates is None:
            return None
        end = len(rates) - int(start_pos)
        return rates[max(0, end - int(count)): max(0, end)].copy()

    def copy_rates_from(self, symbol: str, timeframe: int, date_from: Any, count: int) -> np.ndarray | None:
        rates = self._known_rates(symbol, timeframe)
        if rates is None:
            return None
        end = int(np.searchsorted(rates["time"], _epoch(date_from), side="right"))
        return rates[max(0, end - int(count)): end].copy()

    def copy_rates_range(self, symbol: str, timeframe: int, date_from: Any, date_to: Any) -> np.ndarray | None:
        rates = self._known_rates(symbol, timeframe)
        if rates is None:
            return None
        t = rates["time"]
        return rates[(t >= _epoch(date_from)) & (t <= _epoch(date_to))].copy()

    def _known_ticks(self, symbol: str, flags: int) -> np.ndarray | None:
        """Ticks of ``symbol`` up to the replay's present (tick replays and tick-modeled bar replays)."""
        tape = self.market.tapes.get(symbol)
        if isinstance(tape, TickTape):
            ticks = tape.ticks[: self.market.quotes[symbol].index + 1]
        elif tape is not None and isinstance(tape.detail, TickPath):
            ticks = tape.detail.ticks
            ticks = ticks[: int(np.searchsorted(ticks["time_msc"], self.market.now * 1000, side="right"))]
        else:
            self._fail(c.RES_E_NOT_FOUND, f"this replay of {symbol} has no ticks (use a tick model or subscribe_ticks)")
            return None
        if flags == c.COPY_TICKS_TRADE:
            ticks = ticks[(ticks["flags"] & (c.TICK_FLAG_LAST | c.TICK_FLAG_VOLUME)) != 0]
        elif flags == c.COPY_TICKS_INFO:
            ticks = ticks[(ticks["flags"] & (c.TICK_FLAG_BID | c.TICK_FLAG_ASK)) != 0]
        return ticks

    def copy_ticks_from(self, symbol: str, date_from: Any, count: int, flags: int) -> np.ndarray | None:
        ticks = self._known_ticks(symbol, flags)
        if ticks is None:
            return None
        first = int(np.searchsorted(ticks["time_msc"], _epoch(date_from) * 1000, side="left"))
        return ticks[first: first + int(count)].copy()

    def copy_ticks_range(self, symbol: str, date_from: Any, date_to: Any, flags: int) -> np.ndarray | None:
        ticks = self._known_ticks(symbol, flags)
        if ticks is None:
            return None
        t = ticks["time_msc"]
        return ticks[(t >= _epoch(date_from) * 1000) & (t <= _epoch(date_to) * 1000)].copy()

    # ------------------------------------------------------------------ MT5: orders, positions, history
    def orders_total(self) -> int:
        return sum(1 for o in self.orders.values() if not o.is_market)

    def orders_get(self, symbol: str | None = None, group: str | None = None, ticket: int | None = None):
        found = [o for o in self.orders.values()
                 if not o.is_market and _pick(o.symbol, o.ticket, symbol, group, ticket)]
        for o in found:
            o.price_current = self._close_price(o.symbol, not o.is_buy) if self.market.has_price(o.symbol) else 0.0
        return tuple(o.view() for o in found)

    def positions_total(self) -> int:
        return len(self.positions)

    def has_position(self, ticket: int) -> bool:
        """Whether position ``ticket`` is open (not an MT5 call: ``positions_get(ticket=...)`` without
        building the position's view)."""
        return ticket in self.positions

    def positions_get(self, symbol: str | None = None, group: str | None = None, ticket: int | None = None):
        if ticket is not None:
            pos = self.positions.get(int(ticket))
            if pos is None or not _pick(pos.symbol, pos.ticket, symbol, group, None):
                return ()
            return (pos.view(self._close_price(pos.symbol, pos.is_buy), round(self._position_profit(pos), 2)),)
        return tuple(
            p.view(self._close_price(p.symbol, p.is_buy), round(self._position_profit(p), 2))
            for p in self.positions.values()
            if _pick(p.symbol, p.ticket, symbol, group, ticket)
        )

    def history_orders_total(self, date_from: Any, date_to: Any) -> int:
        return len(self.history_orders_get(date_from, date_to))

    def history_orders_get(self, date_from: Any = None, date_to: Any = None, group: str | None = None,
                           ticket: int | None = None, position: int | None = None):
        if ticket is not None and position is None and group is None:
            found = self._history_by_ticket.get(int(ticket))
            return (found.view(),) if found is not None else ()
        lo, hi = _epoch(date_from), _epoch(date_to) if date_to is not None else 2**62
        return tuple(
            o.view() for o in self.history_orders
            if (ticket is None or o.ticket == ticket) and (position is None or o.position_id == position)
            and (group is None or _group_match(o.symbol, group))
            and (ticket is not None or position is not None or lo <= o.time_setup <= hi)
        )

    def history_deals_total(self, date_from: Any, date_to: Any) -> int:
        return len(self.history_deals_get(date_from, date_to))

    def history_deals_get(self, date_from: Any = None, date_to: Any = None, group: str | None = None,
                          ticket: int | None = None, position: int | None = None):
        lo, hi = _epoch(date_from), _epoch(date_to) if date_to is not None else 2**62
        return tuple(
            d.view() for d in self.deals
            if (ticket is None or d.order == ticket) and (position is None or d.position_id == position)
            and (group is None or _group_match(d.symbol, group))
            and (ticket is not None or position is not None or lo <= d.time <= hi)
        )

    # ------------------------------------------------------------------ MT5: calculations
    def order_calc_margin(self, action: int, symbol: str, volume: float, price: float) -> float | None:
        spec = self.specs.get(symbol)
        if spec is None or action not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL) or volume <= 0 or price <= 0:
            self._fail(c.RES_E_INVALID_PARAMS, "order_calc_margin: invalid symbol, action, volume or price")
            return None
        try:
            return round(self._margin(spec, volume, price), 2)
        except ConversionError as exc:
            self._fail(c.RES_E_NOT_FOUND, str(exc))
            return None

    def order_calc_profit(self, action: int, symbol: str, volume: float, price_open: float,
                          price_close: float) -> float | None:
        spec = self.specs.get(symbol)
        if spec is None or action not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL) or volume <= 0:
            self._fail(c.RES_E_INVALID_PARAMS, "order_calc_profit: invalid symbol, action or volume")
            return None
        raw = profit_in_profit_currency(spec, action == c.ORDER_TYPE_BUY, volume, price_open, price_close)
        try:
            return round(raw * self._rate(spec.profit, spec.name, price_close), 2)
        except ConversionError as exc:
            self._fail(c.RES_E_NOT_FOUND, str(exc))
            return None

    def order_check(self, request: dict) -> OrderCheckResult:
        req = trade_request(request)
        retcode, comment, margin = c.TRADE_RETCODE_DONE, "Done", 0.0
        try:
            spec = self._validate_request(req)
            if req.action == c.TRADE_ACTION_DEAL and not req.position:
                price = self._open_price_estimate(spec.name, req.type in c.BUY_ORDER_TYPES)
                margin = self._margin(spec, req.volume, price)
        except _Rejection as exc:
            retcode, comment = exc.retcode, exc.message
        except ConversionError as missing:  # its own name: mypyc types ``exc`` as _Rejection from the clause above
            retcode, comment = c.TRADE_RETCODE_INVALID, str(missing)
        equity = self.equity()
        total_margin = self.margin_used() + margin
        if retcode == c.TRADE_RETCODE_DONE and equity - total_margin < 0:
            retcode, comment = c.TRADE_RETCODE_NO_MONEY, "No money"
        return OrderCheckResult(
            retcode=0 if retcode == c.TRADE_RETCODE_DONE else retcode, balance=round(self.balance, 2),
            equity=round(equity, 2), profit=round(self.floating_profit(), 2), margin=round(total_margin, 2),
            margin_free=round(equity - total_margin, 2),
            margin_level=round(equity / total_margin * 100, 2) if total_margin else 0.0,
            comment=comment, request=req,
        )

    # ------------------------------------------------------------------ MT5: order_send
    def order_send(self, request: dict | TradeRequest) -> OrderSendResult:
        """Accept, queue or execute a trade request, with MT5's return codes.

        Market orders are accepted with ``TRADE_RETCODE_PLACED`` and fill at the next bar's
        open (``TRADE_RETCODE_DONE`` is then reported to the listener with the deal). ``request`` is
        MT5's request dict, or a ``TradeRequest`` already (``mas.params.order_trade_request``).
        """
        req = request if isinstance(request, TradeRequest) else trade_request(request)
        try:
            if not self.replaying:
                raise _Rejection(c.TRADE_RETCODE_MARKET_CLOSED, Comment("no_replay"))
            spec = self._validate_request(req)
            action = req.action
            if action == c.TRADE_ACTION_DEAL:
                order = self._queue_market(req, spec)
                return self._result(c.TRADE_RETCODE_PLACED, _PLACED, req, order=order.ticket)
            if action == c.TRADE_ACTION_PENDING:
                order = self._place_pending(req)
                return self._result(c.TRADE_RETCODE_PLACED, _PLACED, req, order=order.ticket)
            if action == c.TRADE_ACTION_SLTP:
                pos = self.positions[req.position]
                pos.sl, pos.tp, pos.time_update = float(req.sl), float(req.tp), self.market.now
                self._stops_cache = None
                self.book_version += 1
                return self._result(c.TRADE_RETCODE_DONE, _EXECUTED, req)
            if action == c.TRADE_ACTION_MODIFY:
                order = self.orders[req.order]
                order.price_open, order.sl, order.tp = float(req.price), float(req.sl), float(req.tp)
                order.price_stoplimit = float(req.stoplimit)
                if req.type_time:
                    order.type_time = int(req.type_time)
                order.time_expiration = self._expiration(order.type_time, req.expiration, order.time_setup)
                if req.comment:
                    order.comment = str(req.comment)
                self._notify(order, c.TRADE_RETCODE_DONE, Comment("order_modified"), req)
                return self._result(c.TRADE_RETCODE_DONE, _EXECUTED, req, order=order.ticket)
            if action == c.TRADE_ACTION_REMOVE:
                order = self.orders.pop(req.order)
                self._finish(order, c.ORDER_STATE_CANCELED)
                self._notify(order, c.TRADE_RETCODE_DONE, Comment("order_canceled"), req)
                return self._result(c.TRADE_RETCODE_DONE, _EXECUTED, req, order=order.ticket)
            if action == c.TRADE_ACTION_CLOSE_BY:
                order = self._close_by(req)
                return self._result(c.TRADE_RETCODE_DONE, _EXECUTED, req, order=order.ticket)
            raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("unknown_action", action=action))
        except _Rejection as exc:
            self._fail(c.RES_E_FAIL, exc.message)
            return self._result(exc.retcode, exc.message, req)
        except ConversionError as missing:  # a conversion without data; not ``exc``, which mypyc types as _Rejection
            self._fail(c.RES_E_NOT_FOUND, str(missing))
            return self._result(c.TRADE_RETCODE_INVALID, str(missing), req)

    def _result(self, retcode: int, comment: str, req: TradeRequest, order: int = 0, deal: int = 0,
                volume: float = 0.0, price: float = 0.0) -> OrderSendResult:
        symbol = req.symbol
        bid, ask = self.market.bid_ask(symbol)
        # retcode deal order volume price bid ask comment request_id retcode_external request
        return tuple.__new__(OrderSendResult, (retcode, deal, order, volume or req.volume, price, bid, ask, comment,
                                               order, 0, req))

    # ------------------------------------------------------------------ validation
    def _validate_request(self, req: TradeRequest) -> SymbolSpec:
        action = req.action
        if action in (c.TRADE_ACTION_MODIFY, c.TRADE_ACTION_REMOVE):
            order = self.orders.get(int(req.order or 0))
            if order is None or order.is_market:
                raise _Rejection(c.TRADE_RETCODE_INVALID_ORDER, Comment("not_pending", order=req.order))
            spec = self.specs[order.symbol]
            if action == c.TRADE_ACTION_MODIFY:
                if not req.price or req.price <= 0:
                    raise _Rejection(c.TRADE_RETCODE_INVALID_PRICE, Comment("modify_needs_price"))
                self._check_pending_prices(spec, order.type, float(req.price), float(req.stoplimit))
                self._check_stops(spec, order.is_buy, _entry_price(order.type, float(req.price), float(req.stoplimit)),
                                  float(req.sl), float(req.tp))
            return spec
        if action == c.TRADE_ACTION_SLTP:
            pos = self.positions.get(int(req.position or 0))
            if pos is None:
                raise _Rejection(c.TRADE_RETCODE_POSITION_CLOSED, Comment("position_not_open", position=req.position))
            spec = self.specs[pos.symbol]
            self._check_stops(spec, pos.is_buy, self._close_price(pos.symbol, pos.is_buy), float(req.sl),
                              float(req.tp))
            return spec
        if action == c.TRADE_ACTION_CLOSE_BY:
            if not self.settings.hedging:
                raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("close_by_hedging"))
            a, b = self.positions.get(int(req.position or 0)), self.positions.get(int(req.position_by or 0))
            if a is None or b is None:
                raise _Rejection(c.TRADE_RETCODE_POSITION_CLOSED, Comment("close_by_open"))
            if a.symbol != b.symbol or a.is_buy == b.is_buy:
                raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("close_by_opposite"))
            return self.specs[a.symbol]
        found = self.specs.get(req.symbol)
        if found is None or req.symbol not in self.market.tapes:
            raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("symbol_not_replayed", symbol=req.symbol))
        spec = found
        if spec.trade_mode == c.SYMBOL_TRADE_MODE_DISABLED:
            raise _Rejection(c.TRADE_RETCODE_TRADE_DISABLED, Comment("trade_disabled", symbol=spec.name))
        problem = volume_error(spec, float(req.volume))
        if problem:
            raise _Rejection(c.TRADE_RETCODE_INVALID_VOLUME, problem)
        if req.type_filling not in (c.ORDER_FILLING_FOK, c.ORDER_FILLING_IOC, c.ORDER_FILLING_RETURN,
                                    c.ORDER_FILLING_BOC):
            raise _Rejection(c.TRADE_RETCODE_INVALID_FILL, Comment("bad_filling", filling=req.type_filling))
        if action == c.TRADE_ACTION_DEAL:
            if req.type not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL):
                raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("not_market_type", type=req.type))
            if req.type_filling == c.ORDER_FILLING_BOC:
                raise _Rejection(c.TRADE_RETCODE_INVALID_FILL, Comment("boc_limit_only"))
            is_buy = req.type == c.ORDER_TYPE_BUY
            if req.position:
                pos = self.positions.get(int(req.position))
                if pos is None or pos.symbol != spec.name:
                    raise _Rejection(c.TRADE_RETCODE_POSITION_CLOSED,
                                     Comment("position_not_open", position=req.position))
                if pos.is_buy == is_buy:
                    raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("close_needs_opposite"))
                if self.settings.hedging and req.volume > pos.volume + 1e-9:
                    raise _Rejection(c.TRADE_RETCODE_INVALID_CLOSE_VOLUME,
                                     Comment("close_volume", volume=req.volume, position_volume=pos.volume))
                if any(o.position_id == pos.ticket and o.is_market for o in self.orders.values()):
                    raise _Rejection(c.TRADE_RETCODE_CLOSE_ORDER_EXIST, Comment("close_waiting", position=pos.ticket))
            else:
                self._check_stops(spec, is_buy, self._open_price_estimate(spec.name, is_buy), float(req.sl),
                                  float(req.tp))
            return spec
        if action == c.TRADE_ACTION_PENDING:
            if req.type not in _PENDING_TYPES:
                raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("not_pending_type", type=req.type))
            price = float(req.price or 0.0)
            if price <= 0:
                raise _Rejection(c.TRADE_RETCODE_INVALID_PRICE, Comment("pending_needs_price"))
            self._check_pending_prices(spec, req.type, price, float(req.stoplimit or 0.0))
            self._check_stops(spec, req.type in c.BUY_ORDER_TYPES, _entry_price(req.type, price, float(req.stoplimit)),
                              float(req.sl), float(req.tp))
            if req.type_time == c.ORDER_TIME_SPECIFIED and _epoch(req.expiration) <= self.market.now:
                raise _Rejection(c.TRADE_RETCODE_INVALID_EXPIRATION, Comment("expiration_past"))
            if req.type_time not in (c.ORDER_TIME_GTC, c.ORDER_TIME_DAY, c.ORDER_TIME_SPECIFIED,
                                     c.ORDER_TIME_SPECIFIED_DAY):
                raise _Rejection(c.TRADE_RETCODE_INVALID_EXPIRATION, Comment("bad_type_time", type_time=req.type_time))
            return spec
        raise _Rejection(c.TRADE_RETCODE_INVALID, Comment("unknown_action", action=action))

    def _check_pending_prices(self, spec: SymbolSpec, order_type: int, price: float, stoplimit: float) -> None:
        bid, ask = self.market.quotes[spec.name].bid, self.market.ask(spec.name)
        ok = {
            c.ORDER_TYPE_BUY_LIMIT: price < ask,
            c.ORDER_TYPE_SELL_LIMIT: price > bid,
            c.ORDER_TYPE_BUY_STOP: price > ask,
            c.ORDER_TYPE_SELL_STOP: price < bid,
            c.ORDER_TYPE_BUY_STOP_LIMIT: price > ask and 0 < stoplimit < price,
            c.ORDER_TYPE_SELL_STOP_LIMIT: price < bid and stoplimit > price,
        }[order_type]
        if not ok:
            raise _Rejection(c.TRADE_RETCODE_INVALID_PRICE, Comment(
                "wrong_side", order_type=c.ORDER_TYPE_NAME[order_type], price=price, bid=bid, ask=ask))

    @staticmethod
    def _check_stops(spec: SymbolSpec, is_buy: bool, price: float, sl: float, tp: float) -> None:
        if sl < 0 or tp < 0:
            raise _Rejection(c.TRADE_RETCODE_INVALID_STOPS, Comment("stops_negative"))
        bad_sl = sl > 0 and (sl >= price if is_buy else sl <= price)
        bad_tp = tp > 0 and (tp <= price if is_buy else tp >= price)
        if bad_sl or bad_tp:
            raise _Rejection(c.TRADE_RETCODE_INVALID_STOPS,
                             Comment("stops_buy" if is_buy else "stops_sell", price=price, sl=sl, tp=tp))

    # ------------------------------------------------------------------ order placement
    def _new_order(self, req: TradeRequest, order_type: int, position_id: int = 0, position_by_id: int = 0,
                   type_time: int = c.ORDER_TIME_GTC) -> SimOrder:
        order = SimOrder(
            ticket=self._next_order, symbol=req.symbol, type=order_type, volume_initial=float(req.volume),
            volume_current=float(req.volume), price_open=float(req.price or 0.0), time_setup=self.market.now,
            sl=float(req.sl or 0.0), tp=float(req.tp or 0.0), price_stoplimit=float(req.stoplimit or 0.0),
            type_filling=int(req.type_filling), magic=int(req.magic or 0), comment=str(req.comment or ""),
            deviation=int(req.deviation or 0), position_id=position_id, position_by_id=position_by_id,
            type_time=type_time,
        )
        self._next_order += 1
        return order

    def _queue_market(self, req: TradeRequest, spec: SymbolSpec) -> SimOrder:
        is_buy = req.type == c.ORDER_TYPE_BUY
        if not req.position:
            needed = self._margin(spec, float(req.volume), self._open_price_estimate(spec.name, is_buy))
            if self._reduces_net(spec.name, is_buy, float(req.volume)) is False and \
                    self.equity() - self.margin_used() - needed < 0:
                raise _Rejection(c.TRADE_RETCODE_NO_MONEY,
                                 Comment("no_free_margin", needed=needed, currency=self.settings.currency,
                                         free=self.equity() - self.margin_used()))
        order = self._new_order(req, req.type, position_id=int(req.position or 0))
        self.orders[order.ticket] = order
        # the first status of a market order is the original SDK's: request done (10009), fills at the next bar
        self._notify(order, c.TRADE_RETCODE_DONE, _ACCEPTED_MARKET, req)
        return order

    def _place_pending(self, req: TradeRequest) -> SimOrder:
        order = self._new_order(req, int(req.type), type_time=int(req.type_time))
        order.time_expiration = self._expiration(order.type_time, req.expiration, order.time_setup)
        self.orders[order.ticket] = order
        self._notify(order, c.TRADE_RETCODE_PLACED, _PLACED_PENDING, req)
        return order

    @staticmethod
    def _expiration(type_time: int, expiration: Any, setup: int) -> int:
        if type_time == c.ORDER_TIME_DAY:
            return setup // 86400 * 86400 + 86400
        if type_time == c.ORDER_TIME_SPECIFIED:
            return _epoch(expiration)
        if type_time == c.ORDER_TIME_SPECIFIED_DAY:
            return _epoch(expiration) // 86400 * 86400 + 86400
        return 0

    def _reduces_net(self, symbol: str, is_buy: bool, volume: float) -> bool | None:
        """On netting accounts: True when the order only reduces the net position."""
        if self.settings.hedging:
            return False
        pos = self._net_position(symbol)
        return pos is not None and pos.is_buy != is_buy and volume <= pos.volume + 1e-9

    def _net_position(self, symbol: str) -> SimPosition | None:
        for pos in self.positions.values():
            if pos.symbol == symbol:
                return pos
        return None

    # ------------------------------------------------------------------ money helpers
    def _rate(self, currency: str, symbol: str, symbol_bid: float | None = None) -> float:
        """Account-currency units per unit of ``currency``, at this time of the replay."""
        account = self.settings.currency
        if currency == account:
            return 1.0
        spec = self.specs.get(symbol)
        if spec is not None and symbol_bid:
            if spec.base == currency and spec.profit == account:
                return symbol_bid
            if spec.profit == currency and spec.base == account:
                return 1.0 / symbol_bid
        return self.converter.rate(currency, account)

    def _margin(self, spec: SymbolSpec, volume: float, price: float) -> float:
        raw = margin_in_margin_currency(spec, volume, price, self.settings.leverage)
        return raw * self._rate(spec.margin, spec.name, price)

    def _open_price_estimate(self, symbol: str, is_buy: bool) -> float:
        return self.market.ask(symbol) if is_buy else self.market.quotes[symbol].bid

    def _close_price(self, symbol: str, is_buy: bool) -> float:
        """The price a position of that direction closes at now (bid for longs, ask for shorts)."""
        return self.market.quotes[symbol].bid if is_buy else self.market.ask(symbol)

    def _position_profit(self, pos: SimPosition) -> float:
        spec = self.specs[pos.symbol]
        close = self._close_price(pos.symbol, pos.is_buy)
        raw = profit_in_profit_currency(spec, pos.is_buy, pos.volume, pos.price_open, close)
        return raw * self._rate(spec.profit, spec.name, self.market.quotes[pos.symbol].bid)

    def _deposit(self, amount: float) -> None:
        deal = SimDeal(ticket=self._take_deal(), order=0, time=self.market.now, type=c.DEAL_TYPE_BALANCE,
                       entry=c.DEAL_ENTRY_IN, magic=0, position_id=0, reason=c.DEAL_REASON_CLIENT, volume=0.0,
                       price=0.0, commission=0.0, swap=0.0, profit=float(amount), symbol="",
                       comment="Initial deposit")
        self.deals.append(deal)
        self.balance += amount

    def _take_deal(self) -> int:
        ticket = self._next_deal
        self._next_deal += 1
        return ticket

    # ------------------------------------------------------------------ listener helpers
    def _notify(self, order: SimOrder, retcode: int, message: str, req: TradeRequest | None = None) -> None:
        if self._tell_updates and self.listener is not None:
            self.listener.on_order_update(order, retcode, message, req)

    def _finish(self, order: SimOrder, state: int) -> None:
        order.state = state
        order.time_done = self.market.now
        if state != c.ORDER_STATE_FILLED:
            order.volume_current = order.volume_current if state == c.ORDER_STATE_CANCELED else 0.0
        else:
            order.volume_current = 0.0
        self.history_orders.append(order)
        self._history_by_ticket[order.ticket] = order

    # ------------------------------------------------------------------ execution
    def execute(self, order: SimOrder, bid: float, deal_reason: int, slip: bool) -> SimDeal | None:
        """Fill ``order`` at the current ``bid`` (buys pay bid + spread), opening, closing,
        reducing or reversing positions as the account's margin mode says."""
        symbol = order.symbol
        spec = self.specs[symbol]
        is_buy = order.is_buy
        spread = self.market.quotes[symbol].spread
        price = bid + spread if is_buy else bid
        if slip and self.slippage_points:
            price += (1 if is_buy else -1) * self.slippage_points * spec.point
        price = fast_round(price, spec.digits)
        volume = order.volume_current
        commission_per_lot = spec.commission
        target = self._closing_target(order)
        if order.position_id and target is None:  # closed meanwhile (e.g. by a stop-out on another symbol)
            self.orders.pop(order.ticket, None)
            self._finish(order, c.ORDER_STATE_REJECTED)
            self._notify(order, c.TRADE_RETCODE_POSITION_CLOSED,
                         Comment("position_already_closed", position=order.position_id))
            return None
        if target is None or target.is_buy == order.is_buy:
            opening = volume
        else:  # closing; a netting reversal opens what exceeds the position
            opening = max(0.0, volume - target.volume)
        if opening > 0 and order.reason not in (c.ORDER_REASON_SL, c.ORDER_REASON_TP, c.ORDER_REASON_SO):
            needed = self._margin(spec, opening, price)
            if self.equity() - self.margin_used() - needed < 0:
                self.orders.pop(order.ticket, None)
                self._finish(order, c.ORDER_STATE_REJECTED)
                self._notify(order, c.TRADE_RETCODE_NO_MONEY,
                             Comment("no_free_margin_at_fill", needed=needed, currency=self.settings.currency))
                return None
        self.orders.pop(order.ticket, None)
        order.price_current = price
        if target is None:
            deal = self._open_position(order, spec, price, volume, commission_per_lot, deal_reason)
        else:
            deal = self._close_position(order, spec, target, price, volume, commission_per_lot, deal_reason)
        self._finish(order, c.ORDER_STATE_FILLED)
        self._positions_changed()
        if self._tell_deals and self.listener is not None:
            self.listener.on_deal(deal, order)
        if self._tell_updates and self.listener is not None:
            self.listener.on_order_update(order, c.TRADE_RETCODE_DONE, _EXECUTED, None)
        return deal

    def _closing_target(self, order: SimOrder) -> SimPosition | None:
        if order.position_id:
            return self.positions.get(order.position_id)
        if not self.settings.hedging:
            return self._net_position(order.symbol)
        return None

    def _open_position(self, order: SimOrder, spec: SymbolSpec, price: float, volume: float,
                       commission_per_lot: float, deal_reason: int) -> SimDeal:
        commission = -commission_per_lot * volume
        pos = SimPosition(ticket=order.ticket, symbol=order.symbol, is_buy=order.is_buy, volume=volume,
                          price_open=price, time=self.market.now, magic=order.magic, sl=order.sl, tp=order.tp,
                          comment=order.comment, margin=self._margin(spec, volume, price),
                          entry_commission=commission)
        self.positions[pos.ticket] = pos
        order.position_id = pos.ticket
        return self._book_deal(order, c.DEAL_ENTRY_IN, deal_reason, volume, price, commission, 0.0, 0.0, pos.ticket)

    def _close_position(self, order: SimOrder, spec: SymbolSpec, pos: SimPosition, price: float, volume: float,
                        commission_per_lot: float, deal_reason: int) -> SimDeal:
        order.position_id = pos.ticket
        if pos.is_buy == order.is_buy:  # netting: adding to the position
            new_volume = pos.volume + volume
            pos.price_open = fast_round((pos.price_open * pos.volume + price * volume) / new_volume, spec.digits + 3)
            pos.volume = fast_round(new_volume, 8)
            pos.margin += self._margin(spec, volume, price)
            commission = -commission_per_lot * volume
            pos.entry_commission += commission
            pos.time_update = self.market.now
            return self._book_deal(order, c.DEAL_ENTRY_IN, deal_reason, volume, price, commission, 0.0, 0.0,
                                   pos.ticket)
        closed = min(volume, pos.volume)
        fraction = closed / pos.volume
        raw = profit_in_profit_currency(spec, pos.is_buy, closed, pos.price_open, price)
        profit = fast_round(raw * self._rate(spec.profit, spec.name, self.market.quotes[spec.name].bid), 2)
        swap = fast_round(pos.swap * fraction, 2)
        entry_share = pos.entry_commission * fraction
        commission = -commission_per_lot * volume
        reversed_volume = fast_round(volume - closed, 8)
        entry = c.DEAL_ENTRY_INOUT if reversed_volume > 1e-9 else c.DEAL_ENTRY_OUT
        deal = self._book_deal(order, entry, deal_reason, volume, price, commission, swap, profit, pos.ticket)
        exit_commission = commission * (closed / volume)
        self._record_trade(pos, closed, price, profit, entry_share + exit_commission, swap, deal_reason)
        pos.swap -= swap
        pos.entry_commission -= entry_share
        if closed >= pos.volume - 1e-9:
            del self.positions[pos.ticket]
            if reversed_volume > 1e-9:  # netting reversal keeps the position identifier
                pos.is_buy, pos.volume, pos.price_open = order.is_buy, reversed_volume, price
                pos.margin = self._margin(spec, reversed_volume, price)
                pos.entry_commission = commission - exit_commission
                pos.swap, pos.time, pos.sl, pos.tp = 0.0, self.market.now, order.sl, order.tp
                self.positions[pos.ticket] = pos
        else:
            pos.margin *= 1 - fraction
            pos.volume = fast_round(pos.volume - closed, 8)
            pos.time_update = self.market.now
        return deal

    def _book_deal(self, order: SimOrder, entry: int, reason: int, volume: float, price: float,
                   commission: float, swap: float, profit: float, position_id: int) -> SimDeal:
        deal = SimDeal(ticket=self._take_deal(), order=order.ticket, time=self.market.now,
                       type=c.DEAL_TYPE_BUY if order.is_buy else c.DEAL_TYPE_SELL, entry=entry, magic=order.magic,
                       position_id=position_id, reason=reason, volume=volume, price=price,
                       commission=fast_round(commission, 2) + 0.0, swap=swap, profit=profit, symbol=order.symbol,
                       comment=order.comment)
        self.deals.append(deal)
        self.balance += deal.balance_change
        self._positions_changed()
        return deal

    def _positions_changed(self) -> None:
        """Drop what is derived from the open positions (margin, linear P&L forms, stops)."""
        self._margin_cache = None
        self._linear_cache = None
        self._stops_cache = None
        self.book_version += 1

    def quiet_form(self, symbol: str) -> QuietForm | None:
        """What a bar of ``symbol`` needs to know to be settled without walking its path, or None
        when the open positions do not allow it (a position on another symbol, or one whose
        P&L is not linear in the bid). It holds until ``book_version`` changes (a deal, a swap or a
        stop change)."""
        form = None
        margin = self.margin_used()
        if margin > 0 and all(p.symbol == symbol for p in self.positions.values()):
            self.floating_profit()  # builds the linear forms
            linear = self._linear_cache.get(symbol) if self._linear_cache else None
            if linear is not None and not self._nonlinear_positions:
                bid_floor = ask_floor = -math.inf
                bid_ceiling = ask_ceiling = math.inf
                for p in self.positions.values():
                    if p.is_buy:  # SL when the bid falls to it, TP when it rises to it
                        bid_floor = max(bid_floor, p.sl) if p.sl > 0 else bid_floor
                        bid_ceiling = min(bid_ceiling, p.tp) if p.tp > 0 else bid_ceiling
                    else:  # the same at the ask
                        ask_ceiling = min(ask_ceiling, p.sl) if p.sl > 0 else ask_ceiling
                        ask_floor = max(ask_floor, p.tp) if p.tp > 0 else ask_floor
                k, m, n = linear
                s = self.settings
                # tuple.__new__: a NamedTuple's own __new__ is generated Python, interpreted even in the compiled build
                form = tuple.__new__(QuietForm, (k, m, n, margin, s.stop_out_level * margin / 100, s.margin_call_level,
                                                 float(bid_floor), float(bid_ceiling), float(ask_floor),
                                                 float(ask_ceiling)))
        return form

    def symbols_with_stops(self) -> set[str]:
        """Symbols with at least one open position that has an SL or a TP."""
        if self._stops_cache is None:
            self._stops_cache = {p.symbol for p in self.positions.values() if p.sl or p.tp}
        return self._stops_cache

    def _record_trade(self, pos: SimPosition, volume: float, price: float, profit: float, commission: float,
                      swap: float, reason: int) -> None:
        self.trades.append(TradeRecord(
            position_id=pos.ticket, symbol=pos.symbol, direction="buy" if pos.is_buy else "sell", volume=volume,
            open_time=_dt(pos.time), open_price=pos.price_open, close_time=_dt(self.market.now),
            close_price=price, profit=profit, commission=fast_round(commission, 2), swap=swap,
            exit_reason=c.DEAL_REASON_NAME.get(reason, "client"), sl=pos.sl, tp=pos.tp,
        ))

    def _close_by(self, req: TradeRequest) -> SimOrder:
        a, b = self.positions[int(req.position)], self.positions[int(req.position_by)]
        spec = self.specs[a.symbol]
        volume = min(a.volume, b.volume)
        order = self._new_order(
            TradeRequest(**{**req._asdict(), "symbol": a.symbol, "volume": volume, "price": b.price_open}),
            c.ORDER_TYPE_CLOSE_BY, position_id=a.ticket, position_by_id=b.ticket,
        )
        for pos, price in ((a, b.price_open), (b, b.price_open)):
            fraction = volume / pos.volume
            raw = profit_in_profit_currency(spec, pos.is_buy, volume, pos.price_open, price)
            profit = fast_round(raw * self._rate(spec.profit, spec.name, self.market.quotes[spec.name].bid), 2)
            swap = fast_round(pos.swap * fraction, 2)
            entry_share = pos.entry_commission * fraction
            closer = SimOrder(ticket=order.ticket, symbol=pos.symbol, type=c.ORDER_TYPE_SELL if pos.is_buy else
                              c.ORDER_TYPE_BUY, volume_initial=volume, price_open=price, time_setup=self.market.now,
                              magic=order.magic, comment=order.comment)
            deal = self._book_deal(closer, c.DEAL_ENTRY_OUT_BY, c.DEAL_REASON_EXPERT, volume, price, 0.0, swap,
                                   profit, pos.ticket)
            self._record_trade(pos, volume, price, profit, entry_share, swap, c.DEAL_REASON_EXPERT)
            pos.swap -= swap
            pos.entry_commission -= entry_share
            if volume >= pos.volume - 1e-9:
                del self.positions[pos.ticket]
            else:
                pos.margin *= 1 - fraction
                pos.volume = fast_round(pos.volume - volume, 8)
            self._positions_changed()
            if self._tell_deals and self.listener is not None:
                self.listener.on_deal(deal, order)
        self._finish(order, c.ORDER_STATE_FILLED)
        self._notify(order, c.TRADE_RETCODE_DONE, Comment("closed_by"), req)
        return order

    # ------------------------------------------------------------------ saving and restoring
    def snapshot(self) -> AccountState:
        """The account's book: balance, ticket counters, positions, orders, history and deals."""
        return AccountState(balance=self.balance, next_order=self._next_order, next_deal=self._next_deal,
                            positions=list(self.positions.values()), orders=list(self.orders.values()),
                            history_orders=list(self.history_orders), deals=list(self.deals))

    def restore(self, state: AccountState) -> None:
        """Replace the account's book with ``state`` (e.g. read back from a server's state file)."""
        self.balance = state.balance
        self._next_order, self._next_deal = state.next_order, state.next_deal
        self.positions = {p.ticket: p for p in state.positions}
        self.orders = {o.ticket: o for o in state.orders}
        self.history_orders = list(state.history_orders)
        self._history_by_ticket = {o.ticket: o for o in self.history_orders}
        self.deals = list(state.deals)
        self._positions_changed()

    # ------------------------------------------------------------------ the clock's interface
    def begin_replay(self) -> None:
        self.replaying = True

    def advance_bar(self, symbol: str, index: int) -> None:
        """Everything that happens on ``symbol``'s bar ``index`` before the strategy sees it:
        swaps at rollover, market orders at the open, then pending orders, SL/TP,
        expirations and stop-out along the bar's path."""
        market = self.market
        tape = market.tapes[symbol]
        assert isinstance(tape, SymbolTape), f"{symbol} is replayed as ticks: use advance_tick"
        t = tape.times[index]
        market.now = t
        market.quotes[symbol].index = index
        open_bid = tape.open[index]
        market.quotes[symbol].bid = open_bid
        market.quotes[symbol].spread = tape.spread_price[index]
        if self.positions and tape.rollovers[index]:
            self._charge_swaps(symbol, tape.rollovers[index])
        if self.orders:
            self._expire_orders(t)
            for order in [o for o in self.orders.values() if o.is_market and o.symbol == symbol]:
                self.execute(order, open_bid, c.DEAL_REASON_EXPERT, slip=True)
        if self.positions or self.orders:
            detail = tape.detail
            first, last = (detail.starts[index], detail.starts[index + 1]) if detail is not None else (0, 0)
            if detail is None or first == last:
                matching.walk_bar(self, symbol, t, tape.bar_seconds, open_bid, tape.high[index], tape.low[index],
                                  tape.close[index])
            elif isinstance(detail, TickPath):  # the ticks inside this bar are the path
                for j in range(first, last):
                    market.now = detail.times[j]
                    market.quotes[symbol].bid = detail.bid[j]
                    market.quotes[symbol].spread = detail.spread_price[j]
                    matching.fire_at_point(self, symbol)
                market.quotes[symbol].spread = tape.spread_price[index]
            else:  # the M1 bars inside this bar drive its path, one after the other
                for j in range(first, last):
                    market.quotes[symbol].spread = detail.spread_price[j]
                    matching.walk_bar(self, symbol, detail.times[j], detail.bar_seconds, detail.open[j],
                                      detail.high[j], detail.low[j], detail.close[j])
                    if not (self.positions or self.orders):
                        break
                market.quotes[symbol].spread = tape.spread_price[index]
        market.quotes[symbol].bid = tape.close[index]
        market.now = t + tape.bar_seconds
        if self.positions:
            self._check_margin_call()

    def advance_tick(self, symbol: str, index: int) -> None:
        """Everything that happens at tick ``index`` of a tick replay before the strategy sees it:
        swaps at rollover, market orders sent before it fill at its prices, then pending orders,
        SL/TP and stop-out satisfied at it."""
        market = self.market
        tape = market.tapes[symbol]
        assert isinstance(tape, TickTape), f"{symbol} is replayed as bars: use advance_bar"
        market.now = tape.times[index]
        market.quotes[symbol].bid = tape.bid[index]
        market.quotes[symbol].spread = tape.spread_price[index]
        market.quotes[symbol].index = index
        if self.positions and tape.rollovers[index]:
            self._charge_swaps(symbol, tape.rollovers[index])
        if self.orders:
            self._expire_orders(market.now)
            for order in [o for o in self.orders.values() if o.is_market and o.symbol == symbol]:
                self.execute(order, tape.bid[index], c.DEAL_REASON_EXPERT, slip=True)
        if self.positions or self.orders:
            matching.fire_at_point(self, symbol)
            market.quotes[symbol].bid = tape.bid[index]
        if self.positions:
            self._check_margin_call()

    def _check_margin_call(self) -> None:
        """Flag the margin call once when the level falls to the margin-call level (MT5 only warns;
        the stop-out level is what closes positions), and clear it when the level recovers."""
        level = self.margin_level()
        if level <= self.settings.margin_call_level:
            if not self.margin_call:
                self.margin_call = True
                self.margin_calls.append((self.market.now, level))
                notify = getattr(self.listener, "on_margin_call", None)
                if notify is not None:
                    notify(level, self.settings.margin_call_level)
        else:
            self.margin_call = False

    def end_replay(self) -> None:
        """Cancel what is still pending; open positions stay open (valued at the last close)."""
        for order in list(self.orders.values()):
            self.orders.pop(order.ticket)
            self._finish(order, c.ORDER_STATE_CANCELED)
            self._notify(order, c.TRADE_RETCODE_CANCEL, Comment("canceled_replay_end"))
        self.replaying = False

    def open_trade_records(self) -> list[TradeRecord]:
        """Open positions as trade records valued at the current (last) prices."""
        records = []
        for pos in self.positions.values():
            records.append(TradeRecord(
                position_id=pos.ticket, symbol=pos.symbol, direction="buy" if pos.is_buy else "sell",
                volume=pos.volume, open_time=_dt(pos.time), open_price=pos.price_open, close_time=None,
                close_price=self._close_price(pos.symbol, pos.is_buy), profit=round(self._position_profit(pos), 2),
                commission=round(pos.entry_commission, 2), swap=round(pos.swap, 2), is_open=True, exit_reason="end",
                sl=pos.sl, tp=pos.tp,
            ))
        return records

    def _charge_swaps(self, symbol: str, nights: int) -> None:
        for pos in self.positions.values():
            if pos.symbol != symbol:
                continue
            spec = self.specs[symbol]
            raw = swap_in_profit_currency(spec, pos.is_buy, pos.volume, nights)
            pos.swap += fast_round(raw * self._rate(spec.profit, symbol, self.market.quotes[symbol].bid), 2)
        self._positions_changed()

    def _expire_orders(self, now: int) -> None:
        for order in [o for o in self.orders.values() if o.time_expiration and o.time_expiration <= now]:
            del self.orders[order.ticket]
            self._finish(order, c.ORDER_STATE_EXPIRED)
            self._notify(order, c.TRADE_RETCODE_CANCEL, Comment("order_expired"))

    def stop_out_once(self, symbol: str, bid: float) -> bool:
        """Close the position with the largest loss at the current prices (deal reason 6)."""
        if not self.positions:
            return False
        worst = min(self.positions.values(), key=self._position_profit)
        self.market.quotes[symbol].bid = bid
        order = SimOrder(ticket=self._next_order, symbol=worst.symbol,
                         type=c.ORDER_TYPE_SELL if worst.is_buy else c.ORDER_TYPE_BUY, volume_initial=worst.volume,
                         volume_current=worst.volume, price_open=0.0, time_setup=self.market.now,
                         position_id=worst.ticket, reason=c.ORDER_REASON_SO, magic=worst.magic,
                         comment=f"so {self.margin_level():.1f}%")
        self._next_order += 1
        self.execute(order, self.market.quotes[worst.symbol].bid, c.DEAL_REASON_SO, slip=False)
        return True

    def margin_level(self) -> float:
        margin = self.margin_used()
        return self.equity() / margin * 100 if margin > 0 else float("inf")

    def trigger_position_exit(self, pos: SimPosition, bid: float, reason: int) -> None:
        """Close ``pos`` because its SL (reason 4) or TP (reason 5) was reached at ``bid``."""
        order = SimOrder(ticket=self._next_order, symbol=pos.symbol,
                         type=c.ORDER_TYPE_SELL if pos.is_buy else c.ORDER_TYPE_BUY, volume_initial=pos.volume,
                         volume_current=pos.volume, price_open=pos.sl if reason == c.DEAL_REASON_SL else pos.tp,
                         time_setup=self.market.now, position_id=pos.ticket,
                         reason=c.ORDER_REASON_SL if reason == c.DEAL_REASON_SL else c.ORDER_REASON_TP,
                         magic=pos.magic)
        order.comment = f"[{'sl' if reason == c.DEAL_REASON_SL else 'tp'} {order.price_open}]"
        self._next_order += 1
        self.execute(order, bid, reason, slip=reason == c.DEAL_REASON_SL)




_EPOCH: Final = datetime(1970, 1, 1)


_DATETIMES: Final[dict[int, datetime]] = {}  # recent conversions: a trade's close is often the next one's open


def _dt(epoch: int) -> datetime:
    """Epoch seconds -> naive UTC datetime."""
    found = _DATETIMES.get(epoch)
    if found is None:
        if len(_DATETIMES) >= 4096:
            _DATETIMES.clear()
        found = _DATETIMES[epoch] = _EPOCH + timedelta(0, epoch)  # positional: cheaper than seconds=
    return found


def _entry_price(order_type: int, price: float, stoplimit: float) -> float:
    """Where a pending order would enter: the limit price of a stop-limit, else its price."""
    if order_type in (c.ORDER_TYPE_BUY_STOP_LIMIT, c.ORDER_TYPE_SELL_STOP_LIMIT):
        return stoplimit
    return price


def _group_match(name: str, group: str) -> bool:
    """MT5 group filters: comma-separated wildcards, ``!`` excludes (e.g. ``*USD*,!EUR*``)."""
    include = False
    for part in (p.strip() for p in group.split(",") if p.strip()):
        if part.startswith("!"):
            if fnmatch.fnmatchcase(name, part[1:]):
                return False
        elif fnmatch.fnmatchcase(name, part):
            include = True
    return include


def _pick(symbol: str, ticket: int, want_symbol: str | None, group: str | None, want_ticket: int | None) -> bool:
    if want_ticket is not None and ticket != int(want_ticket):
        return False
    if want_symbol is not None and symbol != want_symbol:
        return False
    return group is None or _group_match(symbol, group)


__all__ = ["SimulatedTerminal", "TradeListener", "RATES_DTYPE"]
