"""Order matching along a bar's price path.

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
from typing import TYPE_CHECKING, Final

from mas.i18n.comments import Comment
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.sim.terminal import SimulatedTerminal

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


def walk_bar(term: SimulatedTerminal, symbol: str, t: int, bar_seconds: int, o: float, h: float, lo: float,
             cl: float) -> None:
    """Fire every trigger of ``symbol`` reached on this bar, in path order."""
    stop_out_possible = _stop_out_possible(term, symbol, lo, h)
    if not stop_out_possible and not _has_triggers(term, symbol):
        return
    path = (o, lo, h, cl) if cl >= o else (o, h, lo, cl)
    market = term.market
    cur = o
    for k in range(1, 4):
        start, target = path[k - 1], path[k]
        while True:
            event = _nearest_event(term, symbol, cur, target, stop_out_possible)
            if event is None:
                break
            cur, fire = event
            span = target - start
            fraction = (cur - start) / span if span else 0.0
            market.quotes[symbol].bid = cur
            market.now = t + int(bar_seconds * (k - 1 + fraction) / 3)
            fire()
            stop_out_possible = _stop_out_possible(term, symbol, lo, h)
        cur = target
        market.quotes[symbol].bid = cur


def fire_at_point(term: SimulatedTerminal, symbol: str) -> None:
    """Fire every trigger of ``symbol`` satisfied at the current bid (a tick of the path), nearest
    first, until none is left: ticks are points, so each fill happens at this tick's price."""
    bid = term.market.quotes[symbol].bid
    while True:
        event = _nearest_event(term, symbol, bid, bid, _stop_out_possible(term, symbol, bid, bid))
        if event is None:
            return
        event[1]()


def _has_triggers(term: SimulatedTerminal, symbol: str) -> bool:
    """Whether any pending order, SL or TP of ``symbol`` could fire."""
    if symbol in term.symbols_with_stops():
        return True
    return bool(term.orders) and any(o.symbol == symbol and not o.is_market for o in term.orders.values())


def _stop_out_possible(term: SimulatedTerminal, symbol: str, lo: float, h: float) -> bool:
    """Whether the margin level can reach the stop-out level anywhere in [lo, h].

    Equity is monotone in one symbol's price, so its extremes over the bar are at lo and h.
    When the symbol's P&L is linear in its bid (profit currency = account currency) the two
    values come from the linear form without revaluing the positions."""
    margin = term.margin_used()
    if margin <= 0:
        return False
    market = term.market
    threshold = term.settings.stop_out_level * margin / 100
    saved = market.quotes[symbol].bid
    equity = term.equity()  # also builds the linear forms
    if not term._nonlinear_positions:
        forms = term._linear_cache
        form = forms.get(symbol) if forms is not None else None
        if form is None:  # no position on this symbol: its price does not move the equity
            return False
        slope = form[1]
        return equity + slope * ((lo if slope > 0 else h) - saved) <= threshold
    try:
        market.quotes[symbol].bid = lo
        if term.equity() <= threshold:
            return True
        market.quotes[symbol].bid = h
        return term.equity() <= threshold
    finally:
        market.quotes[symbol].bid = saved


def _nearest_event(term: SimulatedTerminal, symbol: str, cur: float, target: float, stop_out_possible: bool
                   ) -> tuple[float, Callable[[], None]] | None:
    spread = term.market.quotes[symbol].spread
    best: tuple[float, float, Callable[[], None]] | None = None

    def consider(level: float, direction: int, fire: Callable[[], None]) -> None:
        nonlocal best
        d = distance(level, direction, cur, target)
        if d is not None and (best is None or d < best[0]):
            at = cur if d == 0.0 else level
            best = (d, at, fire)

    for order in list(term.orders.values()):
        if order.symbol != symbol or order.is_market:
            continue
        level, direction = order_trigger(order.type, order.price_open, spread)
        consider(level, direction, _pending_fire(term, order))
    for pos in list(term.positions.values()):
        if pos.symbol != symbol:
            continue
        for level, direction, reason in stop_triggers(pos.is_buy, pos.sl, pos.tp, spread):
            consider(level, direction, _exit_fire(term, pos, reason))
    stop_out = _stop_out_level(term, symbol, cur, target) if stop_out_possible else None
    if stop_out is not None:
        d = abs(stop_out - cur)
        if best is None or d < best[0]:
            best = (d, stop_out, lambda: _stop_out_fire(term, symbol))
    if best is None:
        return None
    return best[1], best[2]


def _stop_out_fire(term: SimulatedTerminal, symbol: str) -> None:
    term.stop_out_once(symbol, term.market.quotes[symbol].bid)


def _pending_fire(term: SimulatedTerminal, order) -> Callable[[], None]:
    def fire() -> None:
        if order.ticket not in term.orders:
            return
        bid = term.market.quotes[order.symbol].bid
        if order.type in (c.ORDER_TYPE_BUY_STOP_LIMIT, c.ORDER_TYPE_SELL_STOP_LIMIT):
            is_buy = order.type == c.ORDER_TYPE_BUY_STOP_LIMIT
            order.type = c.ORDER_TYPE_BUY_LIMIT if is_buy else c.ORDER_TYPE_SELL_LIMIT
            order.price_open, order.price_stoplimit = order.price_stoplimit, 0.0
            term._notify(order, c.TRADE_RETCODE_PLACED, Comment("stop_limit_triggered"))
            return
        is_stop = order.type in (c.ORDER_TYPE_BUY_STOP, c.ORDER_TYPE_SELL_STOP)
        term.execute(order, bid, c.DEAL_REASON_EXPERT, slip=is_stop)

    return fire


def _exit_fire(term: SimulatedTerminal, pos, reason: int) -> Callable[[], None]:
    def fire() -> None:
        if pos.ticket in term.positions:
            term.trigger_position_exit(pos, term.market.quotes[pos.symbol].bid, reason)

    return fire


def _stop_out_level(term: SimulatedTerminal, symbol: str, cur: float, target: float) -> float | None:
    """The first bid between ``cur`` and ``target`` where the margin level reaches the
    stop-out level, or None. Equity is monotone in one symbol's price, so bisection finds it."""
    if not term.positions or not any(p.symbol == symbol for p in term.positions.values()):
        return None
    threshold = term.settings.stop_out_level
    market = term.market

    def level_at(bid: float) -> float:
        market.quotes[symbol].bid = bid
        return term.margin_level()

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
