"""The simulated MT5 terminal: the MetaTrader5 function set over a simulated margin account.

It is the backtest engine's face: everything a strategy asks is answered the way a MetaTrader 5
terminal answers it, with MT5's constants, named tuples and return codes. Behind it, the account's
book (:mod:`mas.sim.book`) holds and changes the orders, positions and deals, a request passes
:mod:`mas.sim.checks` before the book takes it, and a clock (:mod:`mas.sim.clock`) moves the
replay bar by bar, settling each bar through :mod:`mas.sim.matching`. Market orders fill at the
next bar's open; pending orders, SL/TP and stop-out are matched along the bar's price path.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import Any, Final

import numpy as np

from mas.data.timeframes import TIMEFRAME_NAMES, timeframe_seconds
from mas.i18n.comments import Comment
from mas.params import order_trade_request, recent_order_request, with_position
from mas.results import TradeRecord
from mas.sim import matching
from mas.sim.account import MARGIN_MODES, AccountSettings, profit_in_profit_currency
from mas.sim.book import EXECUTED, AccountBook, AccountState, TradeListener
from mas.sim.checks import Rejection, check_free_margin, check_request, field_code, field_is
from mas.sim.market import Market, SymbolTape, TickPath, TickTape, epoch_seconds
from mas.sim.records import SimDeal, SimOrder, SimPosition
from mas.sim.symbols import ConversionError, CurrencyConverter, SymbolSpec
from mas.terminal import constants as c
from mas.terminal.types import (
    RATES_DTYPE,
    AccountInfo,
    BookInfo,
    OrderCheckResult,
    OrderSendResult,
    SymbolInfo,
    TerminalInfo,
    Tick,
    TradeRequest,
    trade_request,
)

SIM_VERSION = (500, 4755, "01 Nov 2026")

_PLACED: Final = Comment("request_placed")
_NEW_TUPLE: Final = tuple.__new__
"""Makes a named tuple from its values in field order, without the generated ``__new__`` (interpreted even in
the compiled build) nor a look-up of ``tuple.__new__`` per call."""


_SUCCESS: Final[tuple[int, str]] = (c.RES_S_OK, "Success")
"""What ``last_error()`` says after a call that did not fail, as in the MetaTrader5 module: every MT5 call
that can fail starts by setting it, so an old failure never outlives the next call."""


class SimulatedTerminal:
    """A MetaTrader 5 terminal whose account is simulated over historical prices.

    ``book`` is the account (orders, positions, deals); the attributes and methods below the MT5
    function set (``balance``, ``positions``, ``equity()``, ...) read it, for the code that inspects
    a replay's account directly."""

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
        self.book = AccountBook(account, specs, market, slippage_points=slippage_points, listener=listener)
        self.rates_loader = rates_loader
        self.replaying = False
        self._last_error: tuple[int, str] = _SUCCESS

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
            company=self.book.settings.company, name="MAS simulated terminal", language="English",
            path="", data_path="", commondata_path="",
        )

    def _fail(self, code: int, message: str) -> None:
        self._last_error = (code, message)

    # ------------------------------------------------------------------ MT5: account
    def account_info(self) -> AccountInfo:
        self._last_error = _SUCCESS
        book = self.book
        s = book.settings
        profit = book.floating_profit()
        equity = book.balance + profit
        margin = book.margin_used()
        return AccountInfo(
            login=s.login, trade_mode=c.ACCOUNT_TRADE_MODE_DEMO, leverage=s.leverage, limit_orders=0,
            margin_so_mode=c.ACCOUNT_STOPOUT_MODE_PERCENT, trade_allowed=True, trade_expert=True,
            margin_mode=MARGIN_MODES[s.margin_mode], currency_digits=2, fifo_close=False,
            balance=round(book.balance, 2), credit=0.0, profit=round(profit, 2), equity=round(equity, 2),
            margin=round(margin, 2), margin_free=round(equity - margin, 2),
            margin_level=round(equity / margin * 100, 2) if margin > 0 else 0.0,
            margin_so_call=s.margin_call_level, margin_so_so=s.stop_out_level, margin_initial=0.0,
            margin_maintenance=0.0, assets=0.0, liabilities=0.0, commission_blocked=0.0, name=s.name,
            server=s.server, currency=s.currency, company=s.company,
        )

    # ------------------------------------------------------------------ MT5: symbols and prices
    def symbols_total(self) -> int:
        return len(self.book.specs)

    def symbols_get(self, group: str | None = None) -> tuple[SymbolInfo, ...]:
        self._last_error = _SUCCESS
        names = [n for n in self.book.specs if group is None or _group_match(n, group)]
        return tuple(info for n in names if (info := self.symbol_info(n)) is not None)

    def symbol_select(self, symbol: str, enable: bool = True) -> bool:
        return symbol in self.book.specs

    def symbol_info(self, symbol: str) -> SymbolInfo | None:
        self._last_error = _SUCCESS
        spec = self.book.specs.get(symbol)
        if spec is None:
            self._fail(c.RES_E_NOT_FOUND, f"symbol {symbol} not found")
            return None
        bid, ask = self.book.market.bid_ask(symbol)
        spread_pts = int(round((ask - bid) / spec.point)) if bid else spec.spread
        tick_value = self._tick_value(spec, bid)
        values: dict[str, Any] = dict.fromkeys(SymbolInfo._fields, 0)
        values.update(
            custom=False, chart_mode=c.SYMBOL_CHART_MODE_BID, select=True, visible=True,
            time=self.book.market.now, digits=spec.digits, spread=spread_pts, spread_float=True,
            trade_calc_mode=spec.calc_mode, trade_mode=spec.trade_mode,
            trade_stops_level=spec.stops_level, trade_exemode=c.SYMBOL_TRADE_EXECUTION_MARKET,
            swap_mode=c.SYMBOL_SWAP_MODE_POINTS, swap_rollover3days=spec.swap_rollover3days,
            margin_hedged_use_leg=False,
            expiration_mode=c.SYMBOL_EXPIRATION_GTC | c.SYMBOL_EXPIRATION_DAY | c.SYMBOL_EXPIRATION_SPECIFIED
            | c.SYMBOL_EXPIRATION_SPECIFIED_DAY,
            filling_mode=c.SYMBOL_FILLING_FOK | c.SYMBOL_FILLING_IOC, order_mode=127,
            bid=bid, ask=ask, point=spec.point, trade_tick_size=spec.point,
            trade_tick_value=tick_value, trade_tick_value_profit=tick_value, trade_tick_value_loss=tick_value,
            trade_contract_size=spec.contract_size,
            volume_min=spec.volume_min, volume_max=spec.volume_max, volume_step=spec.volume_step,
            swap_long=spec.swap_long, swap_short=spec.swap_short, margin_hedged=spec.hedged_contract,
            currency_base=spec.base, currency_profit=spec.profit, currency_margin=spec.margin,
            description=spec.description, name=spec.name, path=spec.path, bank="", basis="", category="",
            exchange="", formula="", isin="", page="",
        )
        return SymbolInfo(**values)

    def _tick_value(self, spec: SymbolSpec, bid: float) -> float:
        """``trade_tick_value`` of ``spec`` (and its ``_profit`` / ``_loss`` twins): the money, in the ACCOUNT
        currency, of one tick's move on one lot at the current quotes, i.e. what :meth:`order_calc_profit` gives for
        one tick on one lot before its rounding to cents. The simulated book converts profits and losses at one rate
        (the one :meth:`AccountBook.rate` gives at ``bid``), so the three MT5 fields are equal. 0.0 while no price
        converts the profit currency into the account's (before the replay's first quote, as MT5 without quotes)."""
        try:
            return spec.point * spec.contract_size * self.book.rate(spec.profit, spec.name, bid)
        except ConversionError:
            return 0.0

    def symbol_info_tick(self, symbol: str) -> Tick | None:
        self._last_error = _SUCCESS
        if not self.book.market.has_price(symbol):
            self._fail(c.RES_E_NOT_FOUND, f"no price for {symbol} at this time of the replay")
            return None
        bid = self.book.market.quotes[symbol].bid
        now = self.book.market.now
        return Tick(time=now, bid=bid, ask=self.book.market.ask(symbol), last=0.0, volume=0, time_msc=now * 1000,
                    flags=c.TICK_FLAG_BID | c.TICK_FLAG_ASK, volume_real=0.0)

    def market_book_add(self, symbol: str) -> bool:
        return symbol in self.book.specs

    def market_book_get(self, symbol: str) -> tuple:
        """The simulated book: one ask and one bid level at the current prices (unlimited depth)."""
        tick = self.symbol_info_tick(symbol)
        if tick is None:
            return ()
        return (BookInfo(c.BOOK_TYPE_SELL, tick.ask, 0, 0.0), BookInfo(c.BOOK_TYPE_BUY, tick.bid, 0, 0.0))

    def market_book_release(self, symbol: str) -> bool:
        return symbol in self.book.specs

    def _known_rates(self, symbol: str, timeframe: int) -> np.ndarray | None:
        """Completed bars of ``symbol`` up to the replay's cursor (never a future bar)."""
        name = TIMEFRAME_NAMES.get(int(timeframe))
        if name is None:
            self._fail(c.RES_E_INVALID_PARAMS, f"invalid timeframe {timeframe}")
            return None
        tape = self.book.market.tapes.get(symbol)
        if isinstance(tape, SymbolTape) and tape.timeframe == name:
            return tape.rates[: self.book.market.quotes[symbol].index + 1]
        if self.rates_loader is None:
            self._fail(c.RES_E_NOT_FOUND, f"no {name} data for {symbol}")
            return None
        rates = self.rates_loader(symbol, name)
        if rates is None:
            self._fail(c.RES_E_NOT_FOUND, f"no {name} data for {symbol}")
            return None
        completed = rates["time"] + timeframe_seconds(name) <= self.book.market.now
        return rates[completed]

    def copy_rates_from_pos(self, symbol: str, timeframe: int, start_pos: int, count: int) -> np.ndarray | None:
        self._last_error = _SUCCESS
        rates = self._known_rates(symbol, timeframe)
        if rates is None:
            return None
        end = len(rates) - int(start_pos)
        return rates[max(0, end - int(count)): max(0, end)].copy()

    def copy_rates_from(self, symbol: str, timeframe: int, date_from: Any, count: int) -> np.ndarray | None:
        self._last_error = _SUCCESS
        rates = self._known_rates(symbol, timeframe)
        if rates is None:
            return None
        end = int(np.searchsorted(rates["time"], epoch_seconds(date_from), side="right"))
        return rates[max(0, end - int(count)): end].copy()

    def copy_rates_range(self, symbol: str, timeframe: int, date_from: Any, date_to: Any) -> np.ndarray | None:
        self._last_error = _SUCCESS
        rates = self._known_rates(symbol, timeframe)
        if rates is None:
            return None
        t = rates["time"]
        return rates[(t >= epoch_seconds(date_from)) & (t <= epoch_seconds(date_to))].copy()

    def _known_ticks(self, symbol: str, flags: int) -> np.ndarray | None:
        """Ticks of ``symbol`` up to the replay's present (tick replays and tick-modeled bar replays)."""
        tape = self.book.market.tapes.get(symbol)
        if isinstance(tape, TickTape):
            ticks = tape.ticks[: self.book.market.quotes[symbol].index + 1]
        elif tape is not None and isinstance(tape.detail, TickPath):
            ticks = tape.detail.ticks
            ticks = ticks[: int(np.searchsorted(ticks["time_msc"], self.book.market.now * 1000, side="right"))]
        else:
            self._fail(c.RES_E_NOT_FOUND, f"this replay of {symbol} has no ticks (use a tick model or subscribe_ticks)")
            return None
        if flags == c.COPY_TICKS_TRADE:
            ticks = ticks[(ticks["flags"] & (c.TICK_FLAG_LAST | c.TICK_FLAG_VOLUME)) != 0]
        elif flags == c.COPY_TICKS_INFO:
            ticks = ticks[(ticks["flags"] & (c.TICK_FLAG_BID | c.TICK_FLAG_ASK)) != 0]
        return ticks

    def copy_ticks_from(self, symbol: str, date_from: Any, count: int, flags: int) -> np.ndarray | None:
        self._last_error = _SUCCESS
        ticks = self._known_ticks(symbol, flags)
        if ticks is None:
            return None
        first = int(np.searchsorted(ticks["time_msc"], epoch_seconds(date_from) * 1000, side="left"))
        return ticks[first: first + int(count)].copy()

    def copy_ticks_range(self, symbol: str, date_from: Any, date_to: Any, flags: int) -> np.ndarray | None:
        self._last_error = _SUCCESS
        ticks = self._known_ticks(symbol, flags)
        if ticks is None:
            return None
        t = ticks["time_msc"]
        return ticks[(t >= epoch_seconds(date_from) * 1000) & (t <= epoch_seconds(date_to) * 1000)].copy()

    # ------------------------------------------------------------------ MT5: orders, positions, history
    def orders_total(self) -> int:
        return sum(1 for o in self.book.orders.values() if not o.is_market)

    def orders_get(self, symbol: str | None = None, group: str | None = None, ticket: int | None = None):
        self._last_error = _SUCCESS
        book = self.book
        found = [o for o in book.orders.values()
                 if not o.is_market and _pick(o.symbol, o.ticket, symbol, group, ticket)]
        for o in found:
            o.price_current = book.close_price(o.symbol, not o.is_buy) if book.market.has_price(o.symbol) else 0.0
        return tuple(o.view() for o in found)

    def positions_total(self) -> int:
        return len(self.book.positions)

    def has_position(self, ticket: int) -> bool:
        """Whether position ``ticket`` is open (not an MT5 call: ``positions_get(ticket=...)`` without
        building the position's view)."""
        return ticket in self.book.positions

    def positions_get(self, symbol: str | None = None, group: str | None = None, ticket: int | None = None):
        self._last_error = _SUCCESS
        book = self.book
        if ticket is not None:
            pos = book.positions.get(int(ticket))
            if pos is None or not _pick(pos.symbol, pos.ticket, symbol, group, None):
                return ()
            return (pos.view(book.close_price(pos.symbol, pos.is_buy), round(book.position_profit(pos), 2)),)
        return tuple(
            p.view(book.close_price(p.symbol, p.is_buy), round(book.position_profit(p), 2))
            for p in book.positions.values()
            if _pick(p.symbol, p.ticket, symbol, group, ticket)
        )

    def history_orders_total(self, date_from: Any, date_to: Any) -> int:
        return len(self.history_orders_get(date_from, date_to))

    def history_orders_get(self, date_from: Any = None, date_to: Any = None, group: str | None = None,
                           ticket: int | None = None, position: int | None = None):
        self._last_error = _SUCCESS
        if ticket is not None and position is None and group is None:
            found = self.book.history_order(int(ticket))
            return (found.view(),) if found is not None else ()
        lo, hi = epoch_seconds(date_from), epoch_seconds(date_to) if date_to is not None else 2**62
        return tuple(
            o.view() for o in self.book.history_orders
            if (ticket is None or o.ticket == ticket) and (position is None or o.position_id == position)
            and (group is None or _group_match(o.symbol, group))
            and (ticket is not None or position is not None or lo <= o.time_setup <= hi)
        )

    def history_deals_total(self, date_from: Any, date_to: Any) -> int:
        return len(self.history_deals_get(date_from, date_to))

    def history_deals_get(self, date_from: Any = None, date_to: Any = None, group: str | None = None,
                          ticket: int | None = None, position: int | None = None):
        self._last_error = _SUCCESS
        lo, hi = epoch_seconds(date_from), epoch_seconds(date_to) if date_to is not None else 2**62
        return tuple(
            d.view() for d in self.book.deals
            if (ticket is None or d.order == ticket) and (position is None or d.position_id == position)
            and (group is None or _group_match(d.symbol, group))
            and (ticket is not None or position is not None or lo <= d.time <= hi)
        )

    # ------------------------------------------------------------------ MT5: calculations
    def order_calc_margin(self, action: int, symbol: str, volume: float, price: float) -> float | None:
        self._last_error = _SUCCESS
        spec = self.book.specs.get(symbol)
        if spec is None or action not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL) or volume <= 0 or price <= 0:
            self._fail(c.RES_E_INVALID_PARAMS, "order_calc_margin: invalid symbol, action, volume or price")
            return None
        try:
            return round(self.book.margin_for(spec, volume, price), 2)
        except ConversionError as exc:
            self._fail(c.RES_E_NOT_FOUND, str(exc))
            return None

    def order_calc_profit(self, action: int, symbol: str, volume: float, price_open: float,
                          price_close: float) -> float | None:
        self._last_error = _SUCCESS
        spec = self.book.specs.get(symbol)
        if spec is None or action not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL) or volume <= 0:
            self._fail(c.RES_E_INVALID_PARAMS, "order_calc_profit: invalid symbol, action or volume")
            return None
        raw = profit_in_profit_currency(spec, action == c.ORDER_TYPE_BUY, volume, price_open, price_close)
        try:
            return round(raw * self.book.rate(spec.profit, spec.name, price_close), 2)
        except ConversionError as exc:
            self._fail(c.RES_E_NOT_FOUND, str(exc))
            return None

    def order_check(self, request: dict) -> OrderCheckResult:
        self._last_error = _SUCCESS
        book = self.book
        req = trade_request(request)
        retcode, comment, margin = c.TRADE_RETCODE_DONE, "Done", 0.0
        try:
            spec = check_request(book, req)
            if req.action == c.TRADE_ACTION_DEAL and not req.position:
                price = book.open_price_estimate(spec.name, req.type in c.BUY_ORDER_TYPES)
                margin = book.margin_for(spec, req.volume, price)
        except Rejection as exc:
            retcode, comment = exc.retcode, exc.message
        except ConversionError as missing:  # its own name: mypyc types ``exc`` as Rejection from the clause above
            retcode, comment = c.TRADE_RETCODE_INVALID, str(missing)
        equity = book.equity()
        total_margin = book.margin_used() + margin
        if retcode == c.TRADE_RETCODE_DONE and equity - total_margin < 0:
            retcode, comment = c.TRADE_RETCODE_NO_MONEY, "No money"
        return OrderCheckResult(
            retcode=0 if retcode == c.TRADE_RETCODE_DONE else retcode, balance=round(book.balance, 2),
            equity=round(equity, 2), profit=round(book.floating_profit(), 2), margin=round(total_margin, 2),
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
        retcode, comment, order = self._take(req)
        return self._result(retcode, comment, req, order=order)

    def order_send_ticket(self, request: TradeRequest) -> int | OrderSendResult:
        """``order_send`` for a caller that needs only the ticket of an order the terminal takes (a MAS
        ``send_order``): that ticket, without building the result; the ``OrderSendResult`` of a refusal."""
        retcode, comment, order = self._take(request)
        if retcode == c.TRADE_RETCODE_PLACED or retcode == c.TRADE_RETCODE_DONE or \
                retcode == c.TRADE_RETCODE_DONE_PARTIAL:
            return order
        return self._result(retcode, comment, request, order=order)

    def order_position(self, ticket: int, params: Any = None) -> int:
        """The position an order id refers to (the MAS convention of ``send_order``'s ``order_id``): ``ticket``
        when a position of that ticket is open, else the position its ended order opened, else ``ticket``
        (``params``, the order's, as ``mas.params.order_trade_request`` passes them, are not read)."""
        book = self.book
        if ticket in book.positions:
            return ticket
        self._last_error = _SUCCESS
        order = book.history_order(ticket)
        if order is not None and order.position_id:
            return order.position_id
        return ticket

    def _take(self, req: TradeRequest) -> tuple[int, str, int]:
        """Check ``req`` and hand it to the book: (retcode, comment, order ticket or 0) of ``order_send``."""
        self._last_error = _SUCCESS
        book = self.book
        try:
            if not self.replaying:
                raise Rejection(c.TRADE_RETCODE_MARKET_CLOSED, Comment("no_replay"))
            spec = check_request(book, req)
            action = req.action
            if field_is(field_code(action), action, c.TRADE_ACTION_DEAL):
                check_free_margin(book, spec, req)
                return c.TRADE_RETCODE_PLACED, _PLACED, book.queue_market(req).ticket
            if action == c.TRADE_ACTION_PENDING:
                return c.TRADE_RETCODE_PLACED, _PLACED, book.place_pending(req).ticket
            if action == c.TRADE_ACTION_SLTP:
                book.set_stops(req)
                return c.TRADE_RETCODE_DONE, EXECUTED, 0
            if action == c.TRADE_ACTION_MODIFY:
                return c.TRADE_RETCODE_DONE, EXECUTED, book.modify_pending(req).ticket
            if action == c.TRADE_ACTION_REMOVE:
                return c.TRADE_RETCODE_DONE, EXECUTED, book.remove_pending(req).ticket
            if action == c.TRADE_ACTION_CLOSE_BY:
                return c.TRADE_RETCODE_DONE, EXECUTED, book.close_by(req).ticket
            raise Rejection(c.TRADE_RETCODE_INVALID, Comment("unknown_action", action=action))
        except Rejection as exc:
            self._fail(c.RES_E_FAIL, exc.message)
            return exc.retcode, exc.message, 0
        except ConversionError as missing:  # a conversion without data; not ``exc``, which mypyc types as Rejection
            self._fail(c.RES_E_NOT_FOUND, str(missing))
            return c.TRADE_RETCODE_INVALID, str(missing), 0

    def _result(self, retcode: int, comment: str, req: TradeRequest, order: int = 0, deal: int = 0,
                volume: float = 0.0, price: float = 0.0) -> OrderSendResult:
        symbol = req.symbol
        bid, ask = self.book.market.bid_ask(symbol)
        # retcode deal order volume price bid ask comment request_id retcode_external request
        return _NEW_TUPLE(OrderSendResult, (retcode, deal, order, volume or req.volume, price, bid, ask, comment, order,
                                            0, req))


    # ------------------------------------------------------------------ the clock's interface
    def begin_replay(self) -> None:
        """Orders are taken from now on (``order_send`` answers ``TRADE_RETCODE_MARKET_CLOSED`` before)."""
        self.replaying = True

    def advance_bar(self, symbol: str, index: int) -> None:
        """Everything that happens on ``symbol``'s bar ``index`` before the strategy sees it
        (:func:`mas.sim.matching.settle_bar`)."""
        matching.settle_bar(self.book, symbol, index)

    def advance_tick(self, symbol: str, index: int) -> None:
        """Everything that happens at tick ``index`` of a tick replay before the strategy sees it
        (:func:`mas.sim.matching.settle_tick`)."""
        matching.settle_tick(self.book, symbol, index)

    def end_replay(self) -> None:
        """Cancel what is still pending; open positions stay open (valued at the last close)."""
        self.book.cancel_pending()
        self.replaying = False

    # ------------------------------------------------------------------ the account, read directly
    @property
    def settings(self) -> AccountSettings:
        """The account's settings (capital, currency, leverage, margin mode, levels)."""
        return self.book.settings

    @property
    def specs(self) -> dict[str, SymbolSpec]:
        """The symbol specs the terminal trades, by name."""
        return self.book.specs

    @property
    def market(self) -> Market:
        """The replay's market: current prices and time."""
        return self.book.market

    @property
    def listener(self) -> TradeListener | None:
        """What is told of order updates and deals as they happen (the backtest session's), or None."""
        return self.book.listener

    @property
    def converter(self) -> CurrencyConverter:
        """The converter of amounts into the account currency."""
        return self.book.converter

    @property
    def slippage_points(self) -> int:
        """Slippage in points applied to market and stop fills."""
        return self.book.slippage_points

    @property
    def balance(self) -> float:
        """The account's balance."""
        return self.book.balance

    @property
    def orders(self) -> dict[int, SimOrder]:
        """Active orders by ticket: pending ones, and market orders waiting for the next open."""
        return self.book.orders

    @property
    def positions(self) -> dict[int, SimPosition]:
        """The open positions by ticket."""
        return self.book.positions

    @property
    def history_orders(self) -> list[SimOrder]:
        """The ended orders, oldest first."""
        return self.book.history_orders

    @property
    def deals(self) -> list[SimDeal]:
        """Every deal, oldest first."""
        return self.book.deals

    @property
    def trades(self) -> list[TradeRecord]:
        """Closed trades, in the order they closed."""
        return self.book.trades

    @property
    def margin_call(self) -> bool:
        """Whether the account is in a margin call now."""
        return self.book.margin_call

    @property
    def margin_calls(self) -> list[tuple[int, float]]:
        """(time, margin level %) of each margin call's beginning."""
        return self.book.margin_calls

    @property
    def book_version(self) -> int:
        """A counter bumped whenever positions, swaps or stops change."""
        return self.book.book_version

    def equity(self) -> float:
        """Balance plus floating P&L and swaps (account currency)."""
        return self.book.equity()

    def floating_profit(self) -> float:
        """Unrealised P&L plus accumulated swaps of the open positions."""
        return self.book.floating_profit()

    def margin_used(self) -> float:
        """Margin of the open positions (account currency)."""
        return self.book.margin_used()

    def margin_level(self) -> float:
        """Equity / margin * 100 (%); infinity while no margin is used."""
        return self.book.margin_level()

    def open_trade_records(self) -> list[TradeRecord]:
        """The open positions as trade records valued at the last prices."""
        return self.book.open_trade_records()

    def snapshot(self) -> AccountState:
        """The account's book (balance, positions, orders, deals) for saving."""
        return self.book.snapshot()

    def restore(self, state: AccountState) -> None:
        """Replace the account's book with a saved ``state``."""
        self.book.restore(state)

    def execute(self, order: SimOrder, bid: float, deal_reason: int, slip: bool) -> SimDeal | None:
        """Fill ``order`` now at ``bid`` (:meth:`AccountBook.execute`)."""
        return self.book.execute(order, bid, deal_reason, slip)


class OrderDesk:
    """A MAS strategy's ``send_order`` on a replaying simulated terminal, in one compiled call: the request built
    from the order's dict (``mas.params.order_trade_request``, an ``order_id`` turned into its position by
    :meth:`SimulatedTerminal.order_position`) and sent (:meth:`SimulatedTerminal.order_send_ticket`). A backtest
    session makes one for its replay when nothing it overrides stands in the way."""

    def __init__(self, terminal: SimulatedTerminal,
                 refused: Callable[[OrderSendResult, TradeRequest], str | None]) -> None:
        self.terminal = terminal
        self.refused = refused
        """What ``send`` answers for a refused order, given the terminal's result and the request."""
        self.position_of = terminal.order_position
        self.issued = ""
        """The id ``send`` returned last (read back without parsing when an order names it), and its ticket."""
        self.issued_ticket = 0

    def send(self, params: dict) -> str | None:
        """The id of the order ``params`` describes as ``str`` when the terminal takes it, else ``refused``'s
        answer; a malformed field raises ValueError naming it."""
        terminal = self.terminal
        known, named = recent_order_request(params, self.issued, self.issued_ticket)
        if known is None:
            request = order_trade_request(params, self.position_of, fresh=True)
        elif named:  # a recent request for another position: looked up here, without a call through Python
            request = with_position(known, terminal.order_position(named))
        else:
            request = known
        answer = terminal.order_send_ticket(request)
        if isinstance(answer, int):
            issued = str(answer)  # the terminal's listener has told the strategy
            self.issued, self.issued_ticket = issued, answer
            return issued
        return self.refused(answer, request)


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


__all__ = ["SimulatedTerminal", "TradeListener", "AccountState", "RATES_DTYPE", "SIM_VERSION"]
