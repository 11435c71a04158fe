"""The simulated account's book: balance, orders, positions, deals and closed trades, and every
rule that changes them (fills, netting and hedging, swaps, expirations, stop-out, margin calls).

The book knows nothing of MetaTrader 5's function set: the terminal (:mod:`mas.sim.terminal`)
checks a request (:mod:`mas.sim.checks`) and hands it to the book; the matching
(:mod:`mas.sim.matching`) settles each bar against it. Every change of the open positions, their
swaps or their stops bumps :attr:`AccountBook.book_version`, the clock's cue that what it derived
from them (the quiet-bar form) is stale.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

from mas.i18n.comments import Comment
from mas.results import TradeRecord
from mas.sim.account import (
    AccountSettings,
    fast_round,
    margin_in_margin_currency,
    profit_in_profit_currency,
    swap_in_profit_currency,
)
from mas.sim.market import Market, Quote, epoch_seconds
from mas.sim.records import SimDeal, SimOrder, SimPosition
from mas.sim.symbols import CurrencyConverter, SymbolSpec
from mas.terminal import constants as c
from mas.terminal.types import TradeRequest


class TradeListener(Protocol):
    """Receives what happens on the account, in time order. A listener may also have the boolean
    attributes ``wants_order_updates`` and ``wants_deals`` (read once, at the book's creation):
    False spares the calls it would ignore; and an ``on_margin_call(level, limit)`` method."""

    def on_order_update(self, order: SimOrder, retcode: int, message: str, request: TradeRequest | None) -> None:
        """``order`` changed state (placed, filled, cancelled, rejected...) with this retcode and message."""
        ...

    def on_deal(self, deal: SimDeal, order: SimOrder) -> None:
        """``deal`` was made filling ``order``."""
        ...


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


EXECUTED: Final = Comment("request_executed")
_ACCEPTED_MARKET: Final = Comment("accepted_market")
_REASON_NAMES: Final = c.DEAL_REASON_NAME
_NO_SYMBOLS: Final[AbstractSet[str]] = frozenset()
_PLACED_PENDING: Final = Comment("placed_pending")


class _LinearForm:
    """Floating P&L + swaps of one symbol's positions = k + m * bid + n * spread (account currency), and the
    symbol's quote that values it (the market keeps one quote per symbol for the whole replay)."""

    def __init__(self, quote: Quote) -> None:
        self.quote = quote
        self.k = 0.0
        self.m = 0.0
        self.n = 0.0


class AccountBook:
    """The orders, positions and deals of one simulated margin account over a :class:`Market`."""

    def __init__(self, account: AccountSettings, specs: dict[str, SymbolSpec], market: Market, *,
                 slippage_points: int = 0, listener: TradeListener | None = None) -> None:
        self.settings = account
        self.specs = specs
        self.market = market
        self.slippage_points = int(slippage_points)
        self.listener = listener
        # a listener may say it ignores order updates or deals (the backtest's dispatcher does when the
        # strategy does not override the callbacks): the book then skips those calls
        self._tell_updates = listener is not None and bool(getattr(listener, "wants_order_updates", True))
        self._tell_deals = listener is not None and bool(getattr(listener, "wants_deals", True))
        self.converter = CurrencyConverter(market.price_of)
        self.balance = 0.0
        self.orders: dict[int, SimOrder] = {}  # active: pending and market orders waiting for the next open
        self.positions: dict[int, SimPosition] = {}
        self.history_orders: list[SimOrder] = []
        self.deals: list[SimDeal] = []
        self.trades: list[TradeRecord] = []
        self.margin_call = False
        self.margin_calls: list[tuple[int, float]] = []  # (time, margin level %) when a margin call began
        self.book_version = 0  # bumped whenever positions, swaps or stops change (the clock's cue to re-read)
        self._next_order = 1
        self._next_deal = 1
        self._margin_cache: float | None = None  # positions change only through deals
        self._linear_cache: dict[str, _LinearForm] | None = None
        self._linear_list: list[_LinearForm] = []  # the same forms, in the dict's order
        self._nonlinear_positions: list[SimPosition] = []
        self._stops_cache: AbstractSet[str] | None = None  # symbols with a position that has an SL or TP
        self._history_by_ticket: dict[int, SimOrder] = {}  # the first _history_indexed ended orders, by ticket
        self._history_indexed = 0
        self.settle_counts: dict[str, list[int]] = {}
        """Per symbol, how many bars the matching settled lately (:func:`mas.sim.matching.settle_bar` reads prices
        by the bar or by the chunk as they go)."""
        self._deposit(account.capital)

    # ------------------------------------------------------------------ valuation
    def equity(self) -> float:
        """Balance plus the floating P&L and swaps of the open positions (account currency)."""
        return self.balance + self.floating_profit()

    def floating_profit(self) -> float:
        """Unrealised P&L plus accumulated swaps of the open positions (account currency)."""
        if not self.positions:
            return 0.0
        if self._linear_cache is None:
            self._linear_cache = self._linear_forms()
        total = 0.0
        for form in self._linear_list:
            quote = form.quote
            total += form.k + form.m * quote.bid + form.n * quote.spread
        for pos in self._nonlinear_positions:
            total += self.position_profit(pos) + pos.swap
        return total

    def linear_form(self, symbol: str) -> tuple[float, float, float] | None:
        """(k, m, n) with floating P&L + swaps of ``symbol``'s positions = k + m * bid + n * spread, when
        their profit currency is the account currency; None when no such position is open."""
        if self._linear_cache is None:
            self._linear_cache = self._linear_forms()
        form = self._linear_cache.get(symbol)
        return None if form is None else (form.k, form.m, form.n)

    def linear_slope(self, symbol: str) -> float | None:
        """The ``m`` of :meth:`linear_form` (how the P&L moves with the bid), without the rest."""
        if self._linear_cache is None:
            self._linear_cache = self._linear_forms()
        form = self._linear_cache.get(symbol)
        return None if form is None else form.m

    def all_linear(self) -> bool:
        """Whether every open position's P&L is linear in its symbol's bid (profit currency = account
        currency), so that :meth:`linear_form` values the whole account."""
        if self._linear_cache is None:
            self._linear_cache = self._linear_forms()
        return not self._nonlinear_positions

    def _linear_forms(self) -> dict[str, _LinearForm]:
        """Per symbol, floating P&L + swaps = k + m * bid + n * spread, for the positions whose
        profit currency is the account currency (the others are valued one by one)."""
        forms: dict[str, _LinearForm] = {}
        ordered: list[_LinearForm] = []
        nonlinear: list[SimPosition] = []
        account = self.settings.currency
        quotes = self.market.quotes
        for pos in self.positions.values():
            spec = self.specs[pos.symbol]
            if spec.profit != account:
                nonlinear.append(pos)
                continue
            size = spec.contract_size * pos.volume
            form = forms.get(pos.symbol)
            if form is None:
                form = forms[pos.symbol] = _LinearForm(quotes[pos.symbol])
                ordered.append(form)
            if pos.is_buy:  # closes at the bid
                form.k += pos.swap - size * pos.price_open
                form.m += size
            else:  # closes at the ask = bid + spread
                form.k += pos.swap + size * pos.price_open
                form.m -= size
                form.n -= size
        self._nonlinear_positions = nonlinear
        self._linear_list = ordered
        return forms

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
        if len(self.positions) == 1:  # nothing hedged: the sum below, for one position
            for p in self.positions.values():
                return 0.0 + (p.margin + 0.0 if p.is_buy else 0.0 + p.margin)
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

    def margin_level(self) -> float:
        """Equity / margin * 100 (%); infinity while no margin is used."""
        margin = self.margin_used()
        return self.equity() / margin * 100 if margin > 0 else float("inf")

    def rate(self, currency: str, symbol: str, symbol_bid: float | None = None) -> float:
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

    def margin_for(self, spec: SymbolSpec, volume: float, price: float) -> float:
        """Margin of ``volume`` lots of ``spec`` at ``price`` (account currency)."""
        raw = margin_in_margin_currency(spec, volume, price, self.settings.leverage)
        return raw * self.rate(spec.margin, spec.name, price)

    def open_price_estimate(self, symbol: str, is_buy: bool) -> float:
        """The price an order of that direction would open at now (ask for buys, bid for sells)."""
        return self.market.ask(symbol) if is_buy else self.market.quotes[symbol].bid

    def close_price(self, symbol: str, is_buy: bool) -> float:
        """The price a position of that direction closes at now (bid for longs, ask for shorts)."""
        return self.market.quotes[symbol].bid if is_buy else self.market.ask(symbol)

    def position_profit(self, pos: SimPosition) -> float:
        """``pos``'s unrealised P&L at the current prices, without its swaps (account currency)."""
        spec = self.specs[pos.symbol]
        close = self.close_price(pos.symbol, pos.is_buy)
        raw = profit_in_profit_currency(spec, pos.is_buy, pos.volume, pos.price_open, close)
        return raw * self.rate(spec.profit, spec.name, self.market.quotes[pos.symbol].bid)

    # ------------------------------------------------------------------ queries
    def has_position(self, ticket: int) -> bool:
        """Whether position ``ticket`` is open."""
        return ticket in self.positions

    def history_order(self, ticket: int) -> SimOrder | None:
        """The ended order ``ticket``, if there is one."""
        history = self.history_orders
        by_ticket = self._history_by_ticket
        for k in range(self._history_indexed, len(history)):  # indexed when asked, not on every fill
            order = history[k]
            by_ticket[order.ticket] = order
        self._history_indexed = len(history)
        return by_ticket.get(ticket)

    def net_position(self, symbol: str) -> SimPosition | None:
        """The first open position on ``symbol`` (on a netting account, its only one)."""
        for pos in self.positions.values():
            if pos.symbol == symbol:
                return pos
        return None

    def reduces_net(self, symbol: str, is_buy: bool, volume: float) -> bool:
        """On netting accounts: True when the order only reduces the net position."""
        if self.settings.hedging:
            return False
        pos = self.net_position(symbol)
        return pos is not None and pos.is_buy != is_buy and volume <= pos.volume + 1e-9

    def symbols_with_stops(self) -> AbstractSet[str]:
        """Symbols with at least one open position that has an SL or a TP."""
        if self._stops_cache is None:
            stops = _NO_SYMBOLS  # the usual case, no position with stops: no set is made
            for p in self.positions.values():
                if p.sl or p.tp:
                    stops = {p.symbol for p in self.positions.values() if p.sl or p.tp}
                    break
            self._stops_cache = stops
        return self._stops_cache

    def open_trade_records(self) -> list[TradeRecord]:
        """Open positions as trade records valued at the current (last) prices."""
        records = []
        for pos in self.positions.values():
            records.append(TradeRecord(
                position_id=pos.ticket, symbol=pos.symbol, direction="buy" if pos.is_buy else "sell",
                volume=pos.volume, open_time=_dt(pos.time), open_price=pos.price_open, close_time=None,
                close_price=self.close_price(pos.symbol, pos.is_buy), profit=round(self.position_profit(pos), 2),
                commission=round(pos.entry_commission, 2), swap=round(pos.swap, 2), is_open=True, exit_reason="end",
                sl=pos.sl, tp=pos.tp,
            ))
        return records

    # ------------------------------------------------------------------ accepted requests
    def queue_market(self, req: TradeRequest) -> SimOrder:
        """A market order that fills at the next bar's open (or the next tick)."""
        order = self._new_order(req, _int(req.type), position_id=_int(req.position or 0))
        self.orders[order.ticket] = order
        # the first status of a market order is the original SDK's: request done (10009), fills at the next bar
        self.notify(order, c.TRADE_RETCODE_DONE, _ACCEPTED_MARKET, req)
        return order

    def place_pending(self, req: TradeRequest) -> SimOrder:
        """Place the pending order of ``req`` (its expiration set from ``type_time``) and report it placed."""
        order = self._new_order(req, int(req.type), type_time=int(req.type_time))
        order.time_expiration = expiration_time(order.type_time, req.expiration, order.time_setup)
        self.orders[order.ticket] = order
        self.notify(order, c.TRADE_RETCODE_PLACED, _PLACED_PENDING, req)
        return order

    def modify_pending(self, req: TradeRequest) -> SimOrder:
        """New price, stop-limit, SL/TP and expiry of the pending order ``req.order``."""
        order = self.orders[req.order]
        order.price_open, order.sl, order.tp = float(req.price), float(req.sl), float(req.tp)
        order.price_stoplimit = float(req.stoplimit)
        if req.type_time:
            order.type_time = int(req.type_time)
        order.time_expiration = expiration_time(order.type_time, req.expiration, order.time_setup)
        if req.comment:
            order.comment = str(req.comment)
        self.notify(order, c.TRADE_RETCODE_DONE, Comment("order_modified"), req)
        return order

    def remove_pending(self, req: TradeRequest) -> SimOrder:
        """Cancel the pending order ``req.order`` and report it cancelled."""
        order = self.orders.pop(req.order)
        self._finish(order, c.ORDER_STATE_CANCELED)
        self.notify(order, c.TRADE_RETCODE_DONE, Comment("order_canceled"), req)
        return order

    def set_stops(self, req: TradeRequest) -> None:
        """New SL and TP of the open position ``req.position``."""
        pos = self.positions[req.position]
        pos.sl, pos.tp, pos.time_update = float(req.sl), float(req.tp), self.market.now
        self._stops_cache = None
        self.book_version += 1

    def close_by(self, req: TradeRequest) -> SimOrder:
        """Close position ``req.position`` by the opposite ``req.position_by`` (hedging accounts)."""
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
            profit = fast_round(raw * self.rate(spec.profit, spec.name, self.market.quotes[spec.name].bid), 2)
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
        self.notify(order, c.TRADE_RETCODE_DONE, Comment("closed_by"), req)
        return order

    def _new_order(self, req: TradeRequest, order_type: int, position_id: int = 0, position_by_id: int = 0,
                   type_time: int = c.ORDER_TIME_GTC) -> SimOrder:
        volume = _float(req.volume)
        order = SimOrder(
            ticket=self._next_order, symbol=req.symbol, type=order_type, volume_initial=volume,
            volume_current=volume, price_open=_float_or_zero(req.price), time_setup=self.market.now,
            sl=_float_or_zero(req.sl), tp=_float_or_zero(req.tp), price_stoplimit=_float_or_zero(req.stoplimit),
            type_filling=_int(req.type_filling), magic=_int(req.magic or 0),
            comment=req.comment if type(req.comment) is str else str(req.comment or ""),
            deviation=_int(req.deviation or 0), position_id=position_id, position_by_id=position_by_id,
            type_time=type_time,
        )
        self._next_order += 1
        return order

    # ------------------------------------------------------------------ settlement
    def fill_market_orders(self, symbol: str, bid: float) -> None:
        """Fill the market orders waiting on ``symbol`` at ``bid`` (the open of the bar, or a tick)."""
        orders = [o for o in self.orders.values() if o.is_market and o.symbol == symbol]
        if orders:
            spec = self.specs[symbol]
            quote = self.market.quotes[symbol]
            for order in orders:
                self._execute(order, spec, quote, bid, c.DEAL_REASON_EXPERT, True)

    def execute(self, order: SimOrder, bid: float, deal_reason: int, slip: bool) -> SimDeal | None:
        """Fill ``order`` at the current ``bid`` (buys pay bid + spread), opening, closing,
        reducing or reversing positions as the account's margin mode says."""
        symbol = order.symbol
        return self._execute(order, self.specs[symbol], self.market.quotes[symbol], bid, deal_reason, slip)

    def _execute(self, order: SimOrder, spec: SymbolSpec, quote: Quote, bid: float, deal_reason: int,
                 slip: bool) -> SimDeal | None:
        """:meth:`execute` with ``order``'s symbol spec and quote at hand."""
        is_buy = order.is_buy
        spread = quote.spread
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
            self.notify(order, c.TRADE_RETCODE_POSITION_CLOSED,
                        Comment("position_already_closed", position=order.position_id))
            return None
        if target is None or target.is_buy == order.is_buy:
            opening = volume
        else:  # closing; a netting reversal opens what exceeds the position
            opening = max(0.0, volume - target.volume)
        if opening > 0 and order.reason not in (c.ORDER_REASON_SL, c.ORDER_REASON_TP, c.ORDER_REASON_SO):
            needed = self.margin_for(spec, opening, price)
            if self.equity() - self.margin_used() - needed < 0:
                self.orders.pop(order.ticket, None)
                self._finish(order, c.ORDER_STATE_REJECTED)
                self.notify(order, c.TRADE_RETCODE_NO_MONEY,
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
            self.listener.on_order_update(order, c.TRADE_RETCODE_DONE, EXECUTED, None)
        return deal

    def _closing_target(self, order: SimOrder) -> SimPosition | None:
        if order.position_id:
            return self.positions.get(order.position_id)
        if not self.settings.hedging:
            return self.net_position(order.symbol)
        return None

    def _open_position(self, order: SimOrder, spec: SymbolSpec, price: float, volume: float,
                       commission_per_lot: float, deal_reason: int) -> SimDeal:
        commission = -commission_per_lot * volume
        pos = SimPosition(ticket=order.ticket, symbol=order.symbol, is_buy=order.is_buy, volume=volume,
                          price_open=price, time=self.market.now, magic=order.magic, sl=order.sl, tp=order.tp,
                          comment=order.comment, margin=self.margin_for(spec, volume, price),
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
            pos.margin += self.margin_for(spec, volume, price)
            commission = -commission_per_lot * volume
            pos.entry_commission += commission
            pos.time_update = self.market.now
            return self._book_deal(order, c.DEAL_ENTRY_IN, deal_reason, volume, price, commission, 0.0, 0.0,
                                   pos.ticket)
        closed = min(volume, pos.volume)
        fraction = closed / pos.volume
        raw = profit_in_profit_currency(spec, pos.is_buy, closed, pos.price_open, price)
        # the rate of the profit currency: 1 when it is the account's (as rate() says first), without the quote
        rate = 1.0 if spec.profit == self.settings.currency else \
            self.rate(spec.profit, spec.name, self.market.quotes[spec.name].bid)
        profit = fast_round(raw * rate, 2)
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
                pos.margin = self.margin_for(spec, reversed_volume, price)
                pos.entry_commission = commission - exit_commission
                pos.swap, pos.time, pos.sl, pos.tp = 0.0, self.market.now, order.sl, order.tp
                self.positions[pos.ticket] = pos
        else:
            pos.margin *= 1 - fraction
            pos.volume = fast_round(pos.volume - closed, 8)
            pos.time_update = self.market.now
        return deal

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

    def trigger_stop_limit(self, order: SimOrder) -> None:
        """A stop-limit order's stop price was reached: it becomes a limit order at its limit price."""
        is_buy = order.type == c.ORDER_TYPE_BUY_STOP_LIMIT
        order.type = c.ORDER_TYPE_BUY_LIMIT if is_buy else c.ORDER_TYPE_SELL_LIMIT
        order.price_open, order.price_stoplimit = order.price_stoplimit, 0.0
        self.notify(order, c.TRADE_RETCODE_PLACED, Comment("stop_limit_triggered"))

    def stop_out_once(self, symbol: str, bid: float) -> bool:
        """Close the position with the largest loss at the current prices (deal reason 6)."""
        if not self.positions:
            return False
        worst = min(self.positions.values(), key=self.position_profit)
        self.market.quotes[symbol].bid = bid
        order = SimOrder(ticket=self._next_order, symbol=worst.symbol,
                         type=c.ORDER_TYPE_SELL if worst.is_buy else c.ORDER_TYPE_BUY, volume_initial=worst.volume,
                         volume_current=worst.volume, price_open=0.0, time_setup=self.market.now,
                         position_id=worst.ticket, reason=c.ORDER_REASON_SO, magic=worst.magic,
                         comment=f"so {self.margin_level():.1f}%")
        self._next_order += 1
        self.execute(order, self.market.quotes[worst.symbol].bid, c.DEAL_REASON_SO, slip=False)
        return True

    def charge_swaps(self, symbol: str, nights: int) -> None:
        """Charge ``nights`` rollovers of swap to the open positions on ``symbol``."""
        for pos in self.positions.values():
            if pos.symbol != symbol:
                continue
            spec = self.specs[symbol]
            raw = swap_in_profit_currency(spec, pos.is_buy, pos.volume, nights)
            pos.swap += fast_round(raw * self.rate(spec.profit, symbol, self.market.quotes[symbol].bid), 2)
        self._positions_changed()

    def expire_orders(self, now: int) -> None:
        """End the orders whose expiry time has come."""
        for order in self.orders.values():
            if order.time_expiration and order.time_expiration <= now:
                break
        else:
            return  # the usual case: none (no list is made)
        for order in [o for o in self.orders.values() if o.time_expiration and o.time_expiration <= now]:
            del self.orders[order.ticket]
            self._finish(order, c.ORDER_STATE_EXPIRED)
            self.notify(order, c.TRADE_RETCODE_CANCEL, Comment("order_expired"))

    def check_margin_call(self) -> None:
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

    def cancel_pending(self) -> None:
        """Cancel every order still waiting (the end of a replay); open positions stay open."""
        for order in list(self.orders.values()):
            self.orders.pop(order.ticket)
            self._finish(order, c.ORDER_STATE_CANCELED)
            self.notify(order, c.TRADE_RETCODE_CANCEL, Comment("canceled_replay_end"))

    # ------------------------------------------------------------------ records and the listener
    def notify(self, order: SimOrder, retcode: int, message: str, req: TradeRequest | None = None) -> None:
        """Tell the listener (if it wants order updates) that ``order`` changed."""
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

    def _record_trade(self, pos: SimPosition, volume: float, price: float, profit: float, commission: float,
                      swap: float, reason: int) -> None:
        self.trades.append(TradeRecord(
            position_id=pos.ticket, symbol=pos.symbol, direction="buy" if pos.is_buy else "sell", volume=volume,
            open_time=_dt(pos.time), open_price=pos.price_open, close_time=_dt(self.market.now),
            close_price=price, profit=profit, commission=fast_round(commission, 2), swap=swap,
            exit_reason=_REASON_NAMES.get(reason, "client"), sl=pos.sl, tp=pos.tp,
        ))

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

    def _positions_changed(self) -> None:
        """Drop what is derived from the open positions (margin, linear P&L forms, stops)."""
        self._margin_cache = None
        self._linear_cache = None
        self._stops_cache = None
        self.book_version += 1

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
        self._history_by_ticket = {}
        self._history_indexed = 0
        self.deals = list(state.deals)
        self._positions_changed()


def _float(value: Any) -> float:
    """``float(value)``, without the call for a float (a request's fields usually are)."""
    if type(value) is float:
        same: float = value
        return same
    return float(value)


def _float_or_zero(value: Any) -> float:
    """``float(value or 0.0)``: a price field, 0 when the request does not set it."""
    if not value:
        return 0.0
    return _float(value)


def _int(value: Any) -> int:
    """``int(value)``, without the call for an int."""
    if type(value) is int:
        same: int = value
        return same
    return int(value)


def expiration_time(type_time: int, expiration: Any, setup: int) -> int:
    """When a pending order of ``type_time`` placed at ``setup`` expires (epoch seconds; 0 = never)."""
    if type_time == c.ORDER_TIME_DAY:
        return setup // 86400 * 86400 + 86400
    if type_time == c.ORDER_TIME_SPECIFIED:
        return epoch_seconds(expiration)
    if type_time == c.ORDER_TIME_SPECIFIED_DAY:
        return epoch_seconds(expiration) // 86400 * 86400 + 86400
    return 0


_EPOCH: Final = datetime(1970, 1, 1)
_SECOND: Final = timedelta(seconds=1)


_MINUTES: Final[list[timedelta | None]] = [None] * 1440  # each whole minute of a day as a timedelta, once made
_EPOCH_ORDINAL: Final = 719163  # datetime(1970, 1, 1).toordinal()
_FROM_ORDINAL: Final = datetime.fromordinal
_FIRST_DAY: Final = -719162  # days from the epoch to 0001-01-01 and to 10000-01-01 (datetime's range)
_END_DAY: Final = 2932897


class _RecentTimes:
    """What :func:`_dt` converted last: its last two (epoch, datetime) pairs (a trade's close is often the next
    one's open) and (day, midnight) of the last day. Each pair is replaced whole (one store, as threads see it)."""

    def __init__(self) -> None:
        self.last: tuple[int, datetime] = (0, _EPOCH)
        self.before: tuple[int, datetime] = (0, _EPOCH)
        self.day: tuple[int, datetime] = (0, _EPOCH)


_RECENT: Final = _RecentTimes()


def _dt(epoch: int) -> datetime:
    """Epoch seconds -> naive UTC datetime."""
    recent = _RECENT
    last = recent.last
    if last[0] == epoch:
        return last[1]
    before = recent.before
    if before[0] == epoch:
        return before[1]
    day = epoch // 86400
    if _FIRST_DAY <= day < _END_DAY:  # the day's midnight plus the time of day: no timedelta arithmetic
        second = epoch - day * 86400
        minute = second // 60
        span = _MINUTES[minute] if second == minute * 60 else None
        if span is None:
            span = _SECOND * second
            if second == minute * 60:
                _MINUTES[minute] = span
        midnight = recent.day
        if midnight[0] != day:
            midnight = recent.day = (day, _FROM_ORDINAL(_EPOCH_ORDINAL + day))
        found = midnight[1] + span
    else:
        found = _EPOCH + _SECOND * epoch  # out of datetime's range: raises as it always did
    recent.before = last
    recent.last = (epoch, found)
    return found


__all__ = ["AccountBook", "AccountState", "TradeListener", "expiration_time"]
