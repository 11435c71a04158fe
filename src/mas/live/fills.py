"""Fill sync: every deal of the live account made after this program logged in is pushed to
``receive_order_execution`` once, and every order that ends without a fill to ``receive_order_status`` once.

A background thread polls the terminal's deal history and pushes each deal whose ticket is
above the last one pushed, in ticket order, with the matching ``receive_order_status`` (the
deal's order, filled). That covers fills this program asked for and fills the server made
on its own: pending orders triggered, SL/TP hits, stop-outs, and the fills of other programs
on the account. Deals made before the login are history (``get_order_history`` and the reports read
them), never pushed. A market order's own fill is pushed by ``send_order`` before it returns,
as the original SDK does (:meth:`DealPoller.deliver_through`): a program that sends and exits sees it,
and the poller does not push it again. A reconnect keeps the poller and its place.

A deal is pushed at most once: the place moves on before the callback runs, so a callback that
raises (logged and counted, :mod:`mas.live.dispatch`) does not get the same deal again, and the
deals after it keep coming.

The same thread watches the order history for orders that end unfilled: cancelled (by this
program, another one or the server), expired, or rejected by the server (a rejection that was
already the answer to a request of this process is not pushed again: the journal records which
process sent each request), each pushed once to ``receive_order_status`` with the order's state.
The rule is the deals' one: orders that ended before the poller started are history
(``get_history_orders`` lists them), never pushed, also when they ended while no program ran; every
process that is logged in is told of each order that ends after it started, once, whatever other
processes on the account do; the order is taken as seen before its callback runs, so a callback that
raises does not get it again. Orders end in any ticket order, so the poller remembers the ended
orders it has seen, in memory, for as long as a later look could return them (see :class:`EndedOrders`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from mas.sessions.events import deal_request, order_request
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.live.session import LiveSession
    from mas.live.terminal import LiveTerminal

log = logging.getLogger("mas.live")

_HISTORY_FROM, _HISTORY_TO = 946684800, 4102444800  # 2000-01-01 .. 2100-01-01, epoch seconds
_LOOKBACK_S = 2 * 86400  # history is read from this long before the last deal / order time known
_OWN_FILL_WAIT_S = 1.0  # how long send_order waits for its own deal to show in the history
_TRADE_DEALS = (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL)
_STATUS_TEXT = {c.DEAL_REASON_SL: "Stop loss hit", c.DEAL_REASON_TP: "Take profit hit",
                c.DEAL_REASON_SO: "Stop out"}
_ENDED = {c.ORDER_STATE_CANCELED: (c.TRADE_RETCODE_CANCEL, "Order canceled"),
          c.ORDER_STATE_EXPIRED: (c.TRADE_RETCODE_CANCEL, "Order expired"),
          c.ORDER_STATE_REJECTED: (c.TRADE_RETCODE_REJECT, "Order rejected")}
"""Order states that end an order without a fill: the retcode and message pushed for each."""


class DealPoller:
    """Pushes the account's new deals and unfilled ended orders to the strategy, from a background thread
    (and from ``send_order``, for the fill of its own order: :meth:`deliver_through`). It belongs to a live
    session (:mod:`mas.live.session`), whose callback lock and events it uses."""

    def __init__(self, session: LiveSession, terminal: LiveTerminal, interval_s: float = 0.25) -> None:
        self.session = session
        self.terminal = terminal
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._poll_lock = threading.RLock()  # re-entered when a callback sends an order and gets its fill
        self.last_deal: int | None = None
        self.last_time = 0
        self._start_after_existing()
        self.ended_orders = EndedOrders(terminal)
        self._thread = threading.Thread(target=self._run, name=f"mas-deals-{terminal.account}", daemon=True)
        self._thread.start()

    def _start_after_existing(self) -> None:
        """Start after the newest deal of the account: what happened before this login is history."""
        deals = self.terminal.history_deals_get(_HISTORY_FROM, _HISTORY_TO)
        if deals is None:
            return  # not known yet: the first successful poll (or this program's own fill) sets the starting point
        last = max(deals, key=lambda d: d.ticket, default=None)
        self.last_deal = int(last.ticket) if last is not None else 0
        self.last_time = int(last.time) if last is not None else 0

    def wake(self) -> None:
        """Poll now instead of at the next interval."""
        self._wake.set()

    def stop(self) -> None:
        """Stop the thread (and wait for it, unless called from it)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
                self.poll_ended_orders()
                guards = getattr(self.terminal, "guards", None)
                if guards is not None:
                    guards.note_day_start(self.terminal)
            except Exception as exc:  # the terminal or the journal failed: the poller survives, the error is reported
                log.warning("deal poller: %s", exc, exc_info=True)
            self._wake.wait(self.interval_s)
            self._wake.clear()

    def deliver_through(self, deal_ticket: int, wait_s: float = _OWN_FILL_WAIT_S) -> bool:
        """Push every deal up to ``deal_ticket`` now, in this thread: ``send_order`` calls this with its own
        order's deal, so the fill reaches ``receive_order_execution`` before it returns (and never again).
        Waits at most ``wait_s`` for the deal to show in the history; False when it did not (the background
        poll pushes it later)."""
        deadline = time.monotonic() + wait_s
        while True:
            self.poll(through=deal_ticket)
            if self.last_deal is not None and self.last_deal >= deal_ticket:
                return True
            if self._stop.is_set() or time.monotonic() >= deadline:
                self.wake()
                return False
            time.sleep(0.02)

    def poll(self, through: int | None = None) -> int:
        """Push the deals not pushed yet; returns how many were pushed. ``through``: a deal this program
        made, so it is after the starting point even when that is not known yet."""
        with self._callbacks() as ok, self._poll_lock:
            if not ok:
                return 0
            if self.last_deal is None:
                self._start_after_existing()
                if through is None:
                    return 0
                if self.last_deal is None or self.last_deal >= through:
                    self.last_deal = through - 1  # this program's own deal is news; what came before it is history
            term = self.terminal
            deals = term.history_deals_get(max(_HISTORY_FROM, self.last_time - _LOOKBACK_S), _HISTORY_TO)
            if not deals:
                return 0
            pushed = 0
            for deal in sorted(deals, key=lambda d: d.ticket):
                if deal.ticket <= self.last_deal:  # before the start, or pushed by a nested poll
                    continue
                if self._stop.is_set():
                    break
                # the cursor moves first: a deal is pushed at most once, even when a callback raises
                self.last_deal, self.last_time = int(deal.ticket), max(self.last_time, int(deal.time))
                if deal.type in _TRADE_DEALS:
                    order = term.history_orders_get(ticket=deal.order)
                    self._push(deal, order[0] if order else None)
                    pushed += 1
            return pushed

    def poll_ended_orders(self) -> int:
        """Push the orders that ended unfilled since this poller started and were not pushed yet; returns how
        many were pushed. Each is pushed at most once: it is taken as seen before its callback runs."""
        with self._callbacks() as ok, self._poll_lock:
            if not ok:
                return 0
            pushed = 0
            for order in self.ended_orders.unpushed():
                if self._stop.is_set():
                    break
                self._push_ended(order)
                pushed += 1
            return pushed

    @contextmanager
    def _callbacks(self) -> Iterator[bool]:
        """The session's callback lock, given up when the poller is stopped while waiting for it."""
        lock = self.session.dispatcher.lock
        while not lock.acquire(timeout=0.1):
            if self._stop.is_set():
                yield False
                return
        try:
            yield True
        finally:
            lock.release()

    def _push(self, deal: Any, order: Any) -> None:
        events = self.session.events
        order_type = order.type if order is not None else (
            c.ORDER_TYPE_BUY if deal.type == c.DEAL_TYPE_BUY else c.ORDER_TYPE_SELL)
        gate = self.session.dispatcher
        gate.deliver(f"receive_order_execution (deal {deal.ticket})", events.execution, deal, order_type)
        if order is not None and order.type not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL):
            text = "Pending order triggered"
        else:
            text = _STATUS_TEXT.get(int(deal.reason), "Order filled")
        state = int(order.state) if order is not None else c.ORDER_STATE_FILLED
        gate.deliver(f"receive_order_status (deal {deal.ticket})", events.order_status, str(deal.order),
                     c.TRADE_RETCODE_DONE, text, deal_request(deal, order_type), state)

    def _push_ended(self, order: Any) -> None:
        retcode, text = _ENDED[int(order.state)]
        self.session.dispatcher.deliver(f"receive_order_status (order {order.ticket} ended)",
                                        self.session.events.order_status, str(order.ticket), retcode, text,
                                        order_request(order), int(order.state))


class EndedOrders:
    """Finds the orders that ended unfilled since this poller started, each once, reading as little history
    as it can, with everything it remembers in memory (nothing is shared with other processes).

    At the start it reads the active orders and the history the later looks could return again: what
    ended before then is history, never pushed (:meth:`_start`). Each look then reads the active
    orders, then the order history from the latest server time seen (minus a margin): an order placed
    since the last look is there. An order that was active at the last look and is gone now may be
    older: the history is read from its setup time until it shows up there. An ended order is news
    when it was active at an earlier look or was set up within the margin of the latest time, and was
    not seen yet; the ones seen are forgotten once they are set up before that margin, so memory stays
    bounded by what one look reads.
    """

    def __init__(self, terminal: LiveTerminal) -> None:
        self.terminal = terminal
        self.started = False  # False until the terminal answered the first look (then what ended before is history)
        self.latest = _HISTORY_FROM  # the latest server time seen
        self.active: dict[int, int] = {}  # ticket -> setup time, at the last look
        self.vanished: dict[int, int] = {}  # left the active orders, not seen in the history yet
        self.seen: dict[int, int] = {}  # ended orders already known (pushed or history) -> setup time
        self._start()

    def _start(self) -> None:
        """Take what already ended as history. The history is read from the newest active order's setup time
        (minus the margin) when there is one, else in full: a later look returns nothing older as news."""
        term = self.terminal
        active = term.orders_get()
        if active is None:
            return  # not known yet: the next look starts here
        now_active = {int(o.ticket): int(o.time_setup) for o in active}
        since = max(now_active.values()) - _LOOKBACK_S if now_active else _HISTORY_FROM
        history = _listed(term, term.history_orders_get(max(_HISTORY_FROM, since), _HISTORY_TO))
        if history is None:
            return
        self._moved_on(now_active, history)
        self.seen = {int(o.ticket): int(o.time_setup) for o in history if int(o.state) in _ENDED}
        self._forget_old()
        self.started = True

    def unpushed(self) -> list:
        """The orders to push, oldest end first ([] when the terminal does not answer). Each is returned once."""
        if not self.started:
            self._start()
            return []
        term = self.terminal
        active = term.orders_get()
        if active is None:
            return []
        now_active = {int(o.ticket): int(o.time_setup) for o in active}
        self.vanished.update({t: setup for t, setup in self.active.items() if t not in now_active})
        news_from = self.latest - _LOOKBACK_S  # set up since: placed after the last look
        history = _listed(term, term.history_orders_get(
            max(_HISTORY_FROM, min([self.latest, *self.vanished.values()]) - _LOOKBACK_S), _HISTORY_TO))
        if history is None:
            return []
        ended = [o for o in history if int(o.state) in _ENDED and int(o.ticket) not in self.seen
                 and (int(o.ticket) in self.vanished or int(o.time_setup) >= news_from)]
        answered = term.journal.answered_rejections(
            term.account, term.server, [int(o.ticket) for o in ended if int(o.state) == c.ORDER_STATE_REJECTED])
        self.seen.update({int(o.ticket): int(o.time_setup) for o in ended})  # returned once, even if a push fails
        self._moved_on(now_active, history)
        self._forget_old()
        return sorted((o for o in ended if int(o.ticket) not in answered), key=lambda o: (o.time_done_msc, o.ticket))

    def _moved_on(self, now_active: dict[int, int], history: Any) -> None:
        """Take in a look: the orders found in the history are no longer vanished; the latest time moves on."""
        for order in history:
            self.vanished.pop(int(order.ticket), None)
        self.latest = max([self.latest, *now_active.values(),
                           *(max(int(o.time_setup), int(o.time_done)) for o in history)])
        self.active = now_active

    def _forget_old(self) -> None:
        """Drop the seen orders set up before the margin: no later look takes them as news."""
        oldest = self.latest - _LOOKBACK_S
        if any(setup < oldest for setup in self.seen.values()):
            self.seen = {t: setup for t, setup in self.seen.items() if setup >= oldest}


def _listed(terminal: LiveTerminal, rows: Any) -> Any:
    """``rows``, or () when the terminal answered None for "nothing found" (the MetaTrader5 module does
    that with a success code); None when the call failed."""
    if rows is not None:
        return rows
    return () if terminal.connected and terminal.last_error()[0] == c.RES_S_OK else None

