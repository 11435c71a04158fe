"""Settling the account on each bar or tick, and order matching along a bar's price path.

:func:`settle_bar` (and :func:`settle_tick` for a tick replay) is everything that happens on a bar
before the strategy sees it: swaps at rollover, market orders at the open, then pending orders,
SL/TP, expirations and stop-out along the bar's path, and the margin-call check.

With bars only, the bid travels open -> low -> high -> close on a bullish bar and
open -> high -> low -> close on a bearish one (the MT5 tester's convention). Every
pending order, SL, TP and the stop-out level is a *trigger*: a bid level that fires when
the bid falls to it or rises to it (ask-side triggers are shifted by the spread). The walk
fires the nearest trigger first, so events happen in the order the price reaches them; a
trigger already satisfied where the walk stands (a gap at the open, or a new position
whose stop is already crossed) fires there, at that price.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from mas.sim.book import AccountBook
from mas.sim.market import FloatColumn, SymbolTape, TickPath, TickTape, TimeColumn
from mas.sim.records import SimOrder, SimPosition
from mas.terminal import constants as c

FALLS: Final = -1
RISES: Final = 1


def order_trigger(order_type: int, price: float, spread: float) -> tuple[float, int]:
    """Bid level and direction at which a pending order of ``order_type`` at ``price`` triggers."""
    if order_type in (c.ORDER_TYPE_BUY_LIMIT,):
        return price - spread, FALLS  # ask <= price
    if order_type in (c.ORDER_TYPE_BUY_STOP, c.ORDER_TYPE_BUY_STOP_LIMIT):
        return price - spread, RISES  # ask >= price
    if order_type == c.ORDER_TYPE_SELL_LIMIT:
        return price, RISES  # bid >= price
    return price, FALLS  # sell stop and sell stop-limit: bid <= price


def stop_triggers(is_buy: bool, sl: float, tp: float, spread: float) -> list[tuple[float, int, int]]:
    """(bid level, direction, deal reason) of a position's SL and TP: longs close at the bid,
    shorts at the ask."""
    out = []
    if is_buy:
        if sl > 0:
            out.append((sl, FALLS, c.DEAL_REASON_SL))
        if tp > 0:
            out.append((tp, RISES, c.DEAL_REASON_TP))
    else:
        if sl > 0:
            out.append((sl - spread, RISES, c.DEAL_REASON_SL))
        if tp > 0:
            out.append((tp - spread, FALLS, c.DEAL_REASON_TP))
    return out


def distance(level: float, direction: int, cur: float, target: float) -> float | None:
    """How far the bid travels from ``cur`` towards ``target`` before the trigger fires
    (0 when already satisfied), or None when it does not fire on this segment."""
    if direction == FALLS:
        if cur <= level:
            return 0.0
        return cur - level if target <= level else None
    if cur >= level:
        return 0.0
    return level - cur if target >= level else None


def settle_bar(book: AccountBook, symbol: str, index: int) -> None:
    """Everything that happens on ``symbol``'s bar ``index`` before the strategy sees it:
    swaps at rollover, market orders at the open, then pending orders, SL/TP,
    expirations and stop-out along the bar's path."""
    market = book.market
    tape = market.tapes[symbol]
    assert isinstance(tape, SymbolTape), f"{symbol} is replayed as ticks: use advance_tick"
    quote = market.quotes[symbol]
    dense = _settled_densely(book, symbol, index)
    t = _time(tape.times, index, dense)
    market.now = t
    quote.index = index
    open_bid = _price(tape.open, index, dense)
    spread = _price(tape.spread_price, index, dense)
    close = _price(tape.close, index, dense)
    quote.bid = open_bid
    quote.spread = spread
    if book.positions and tape.rollovers[index]:
        book.charge_swaps(symbol, tape.rollovers[index])
    if book.orders:
        book.expire_orders(t)
        book.fill_market_orders(symbol, open_bid)
    if book.positions or book.orders:
        detail = tape.detail
        first, last = (detail.starts[index], detail.starts[index + 1]) if detail is not None else (0, 0)
        if detail is None or first == last:
            walk_bar(book, symbol, t, tape.bar_seconds, open_bid, _price(tape.high, index, dense),
                     _price(tape.low, index, dense), close)
        elif isinstance(detail, TickPath):  # the ticks inside this bar are the path
            for j in range(first, last):
                market.now = detail.times[j]
                quote.bid = detail.bid[j]
                quote.spread = detail.spread_price[j]
                fire_at_point(book, symbol)
            quote.spread = spread
        else:  # the M1 bars inside this bar drive its path, one after the other
            for j in range(first, last):
                quote.spread = detail.spread_price[j]
                walk_bar(book, symbol, detail.times[j], detail.bar_seconds, detail.open[j], detail.high[j],
                         detail.low[j], detail.close[j])
                if not (book.positions or book.orders):
                    break
            quote.spread = spread
    quote.bid = close
    market.now = t + tape.bar_seconds
    if book.positions:
        book.check_margin_call()


_SPAN: Final = 1024
_DENSE_SHARE: Final = 5


def _settled_densely(book: AccountBook, symbol: str, index: int) -> bool:
    """Count bar ``index`` as settled; whether the matching settles ``symbol``'s bars densely now (one in
    :data:`_DENSE_SHARE` or more, over this span of :data:`_SPAN` bars or the one before). Dense bars read their
    prices through the columns' chunks (:class:`~mas.sim.market.FloatColumn`: a list of floats per chunk of bars);
    sparse ones, as when the clock skips the quiet bars between trades, read their few prices from the arrays
    (or from a chunk already made, see :func:`_price`)."""
    span = index // _SPAN
    counts = book.settle_counts.get(symbol)
    if counts is None:
        counts = book.settle_counts[symbol] = [span, 0, 0]
    if counts[0] != span:
        counts[2] = counts[1] if counts[0] == span - 1 else 0
        counts[0], counts[1] = span, 0
    counts[1] += 1
    return max(counts[1], counts[2]) * _DENSE_SHARE >= _SPAN


def _price(column: FloatColumn, index: int, dense: bool) -> float:
    """Item ``index`` of ``column``: from its chunk when that chunk is made (the clock's, or a dense run's) or
    when ``dense`` (made now), else straight from its array."""
    offset = index - column.first
    chunk = column.chunk
    if 0 <= offset < len(chunk):
        return chunk[offset]
    if dense:
        return column[index]
    price: float = column.values.item(index)
    return price


def _time(column: TimeColumn, index: int, dense: bool) -> int:
    """Bar ``index``'s open time, read as :func:`_price` reads a price."""
    offset = index - column.first
    chunk = column.chunk
    if 0 <= offset < len(chunk):
        return chunk[offset]
    if dense:
        return column[index]
    t: int = column.values.item(index)
    return t


def settle_tick(book: AccountBook, symbol: str, index: int) -> None:
    """Everything that happens at tick ``index`` of a tick replay before the strategy sees it:
    swaps at rollover, market orders sent before it fill at its prices, then pending orders,
    SL/TP and stop-out satisfied at it."""
    market = book.market
    tape = market.tapes[symbol]
    assert isinstance(tape, TickTape), f"{symbol} is replayed as bars: use advance_bar"
    quote = market.quotes[symbol]
    market.now = tape.times[index]
    quote.bid = tape.bid[index]
    quote.spread = tape.spread_price[index]
    quote.index = index
    if book.positions and tape.rollovers[index]:
        book.charge_swaps(symbol, tape.rollovers[index])
    if book.orders:
        book.expire_orders(market.now)
        book.fill_market_orders(symbol, tape.bid[index])
    if book.positions or book.orders:
        fire_at_point(book, symbol)
        quote.bid = tape.bid[index]
    if book.positions:
        book.check_margin_call()


def walk_bar(book: AccountBook, symbol: str, t: int, bar_seconds: int, o: float, h: float, lo: float,
             cl: float) -> None:
    """Fire every trigger of ``symbol`` reached on this bar, in path order."""
    stop_out_possible = _stop_out_possible(book, symbol, lo, h)
    if not stop_out_possible and not _has_triggers(book, symbol):
        return
    path = (o, lo, h, cl) if cl >= o else (o, h, lo, cl)
    market = book.market
    quote = market.quotes[symbol]
    cur = o
    for k in range(1, 4):
        start, target = path[k - 1], path[k]
        while True:
            event = _nearest_event(book, symbol, cur, target, stop_out_possible)
            if event is None:
                break
            cur, fire = event
            span = target - start
            fraction = (cur - start) / span if span else 0.0
            quote.bid = cur
            market.now = t + int(bar_seconds * (k - 1 + fraction) / 3)
            fire()
            stop_out_possible = _stop_out_possible(book, symbol, lo, h)
        cur = target
        quote.bid = cur


def fire_at_point(book: AccountBook, symbol: str) -> None:
    """Fire every trigger of ``symbol`` satisfied at the current bid (a tick of the path), nearest
    first, until none is left: ticks are points, so each fill happens at this tick's price."""
    bid = book.market.quotes[symbol].bid
    while True:
        event = _nearest_event(book, symbol, bid, bid, _stop_out_possible(book, symbol, bid, bid))
        if event is None:
            return
        event[1]()


def _has_triggers(book: AccountBook, symbol: str) -> bool:
    """Whether any pending order, SL or TP of ``symbol`` could fire."""
    if symbol in book.symbols_with_stops():
        return True
    return bool(book.orders) and any(o.symbol == symbol and not o.is_market for o in book.orders.values())


def _stop_out_possible(book: AccountBook, symbol: str, lo: float, h: float) -> bool:
    """Whether the margin level can reach the stop-out level anywhere in [lo, h].

    Equity is monotone in one symbol's price, so its extremes over the bar are at lo and h.
    When the symbol's P&L is linear in its bid (profit currency = account currency) the two
    values come from the linear form without revaluing the positions."""
    margin = book.margin_used()
    if margin <= 0:
        return False
    quote = book.market.quotes[symbol]
    threshold = book.settings.stop_out_level * margin / 100
    saved = quote.bid
    equity = book.equity()
    if book.all_linear():
        slope = book.linear_slope(symbol)
        if slope is None:  # no position on this symbol: its price does not move the equity
            return False
        return equity + slope * ((lo if slope > 0 else h) - saved) <= threshold
    try:
        quote.bid = lo
        if book.equity() <= threshold:
            return True
        quote.bid = h
        return book.equity() <= threshold
    finally:
        quote.bid = saved


def _nearest_event(book: AccountBook, symbol: str, cur: float, target: float, stop_out_possible: bool
                   ) -> tuple[float, Callable[[], None]] | None:
    spread = book.market.quotes[symbol].spread
    best: tuple[float, float, Callable[[], None]] | None = None

    def consider(level: float, direction: int, fire: Callable[[], None]) -> None:
        nonlocal best
        d = distance(level, direction, cur, target)
        if d is not None and (best is None or d < best[0]):
            at = cur if d == 0.0 else level
            best = (d, at, fire)

    for order in list(book.orders.values()):
        if order.symbol != symbol or order.is_market:
            continue
        level, direction = order_trigger(order.type, order.price_open, spread)
        consider(level, direction, _pending_fire(book, order))
    for pos in list(book.positions.values()):
        if pos.symbol != symbol:
            continue
        for level, direction, reason in stop_triggers(pos.is_buy, pos.sl, pos.tp, spread):
            consider(level, direction, _exit_fire(book, pos, reason))
    stop_out = _stop_out_level(book, symbol, cur, target) if stop_out_possible else None
    if stop_out is not None:
        d = abs(stop_out - cur)
        if best is None or d < best[0]:
            best = (d, stop_out, lambda: _stop_out_fire(book, symbol))
    if best is None:
        return None
    return best[1], best[2]


def _stop_out_fire(book: AccountBook, symbol: str) -> None:
    book.stop_out_once(symbol, book.market.quotes[symbol].bid)


def _pending_fire(book: AccountBook, order: SimOrder) -> Callable[[], None]:
    def fire() -> None:
        if order.ticket not in book.orders:
            return
        bid = book.market.quotes[order.symbol].bid
        if order.type in (c.ORDER_TYPE_BUY_STOP_LIMIT, c.ORDER_TYPE_SELL_STOP_LIMIT):
            book.trigger_stop_limit(order)
            return
        is_stop = order.type in (c.ORDER_TYPE_BUY_STOP, c.ORDER_TYPE_SELL_STOP)
        book.execute(order, bid, c.DEAL_REASON_EXPERT, slip=is_stop)

    return fire


def _exit_fire(book: AccountBook, pos: SimPosition, reason: int) -> Callable[[], None]:
    def fire() -> None:
        if pos.ticket in book.positions:
            book.trigger_position_exit(pos, book.market.quotes[pos.symbol].bid, reason)

    return fire


def _stop_out_level(book: AccountBook, symbol: str, cur: float, target: float) -> float | None:
    """The first bid between ``cur`` and ``target`` where the margin level reaches the
    stop-out level, or None. Equity is monotone in one symbol's price, so bisection finds it."""
    if not book.positions or not any(p.symbol == symbol for p in book.positions.values()):
        return None
    threshold = book.settings.stop_out_level
    market = book.market

    def level_at(bid: float) -> float:
        market.quotes[symbol].bid = bid
        return book.margin_level()

    try:
        if level_at(cur) <= threshold:
            return cur
        if level_at(target) > threshold:
            return None
        lo, hi = cur, target  # lo above the threshold, hi at or below it
        for _ in range(50):
            mid = (lo + hi) / 2
            if level_at(mid) <= threshold:
                hi = mid
            else:
                lo = mid
        return hi
    finally:
        market.quotes[symbol].bid = cur
