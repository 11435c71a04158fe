"""Fill sync: every deal of the live account is pushed to ``receive_order_execution`` once.

A background thread polls the terminal's deal history and pushes each deal whose ticket is
above the last one pushed, in ticket order, with the matching ``receive_order_status`` (the
deal's order, filled). That covers fills this program asked for and fills the server made
on its own: pending orders triggered, SL/TP hits, stop-outs. The last ticket pushed is kept
in the journal per account and server, so neither a reconnect nor a restart of the program
pushes a deal twice or skips one. On the very first login of an account the deals already
in its history are not pushed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from mas.live.dispatch import callback_lock
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.client import MAS
    from mas.live.session import LiveTerminal

log = logging.getLogger("mas.live")

_HISTORY_FROM, _HISTORY_TO = 946684800, 4102444800  # 2000-01-01 .. 2100-01-01, epoch seconds
_LOOKBACK_S = 2 * 86400  # deals are asked for from this long before the last one pushed
_TRADE_DEALS = (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL)
_STATUS_TEXT = {c.DEAL_REASON_SL: "Stop loss hit", c.DEAL_REASON_TP: "Take profit hit",
                c.DEAL_REASON_SO: "Stop out"}


class DealPoller:
    """Pushes the account's new deals to the client, from a background thread."""

    def __init__(self, client: MAS, terminal: LiveTerminal, interval_s: float = 0.25) -> None:
        self.client = client
        self.terminal = terminal
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._poll_lock = threading.Lock()
        saved = terminal.journal.deal_cursor(terminal.account, terminal.server)
        self.last_deal, self.last_time = saved if saved is not None else (None, 0)
        if self.last_deal is None:
            self._start_after_existing()
        self._thread = threading.Thread(target=self._run, name=f"mas-deals-{terminal.account}", daemon=True)
        self._thread.start()

    def _start_after_existing(self) -> None:
        deals = self.terminal.history_deals_get(_HISTORY_FROM, _HISTORY_TO)
        if deals is None:
            return  # not known yet: the first successful poll sets the starting point
        last = max(deals, key=lambda d: d.ticket, default=None)
        self.last_deal = int(last.ticket) if last is not None else 0
        self.last_time = int(last.time) if last is not None else 0
        self.terminal.journal.set_deal_cursor(self.terminal.account, self.terminal.server, self.last_deal,
                                              self.last_time)

    def wake(self) -> None:
        """Poll now instead of at the next interval."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception as exc:  # the poller must survive; the error is reported
                log.warning("deal poller: %s", exc)
            self._wake.wait(self.interval_s)
            self._wake.clear()

    def poll(self) -> int:
        """Push the deals not pushed yet; returns how many were pushed."""
        with self._poll_lock:
            if self.last_deal is None:
                self._start_after_existing()
                return 0
            term = self.terminal
            deals = term.history_deals_get(max(_HISTORY_FROM, self.last_time - _LOOKBACK_S), _HISTORY_TO)
            if not deals:
                return 0
            pushed = 0
            for deal in sorted((d for d in deals if d.ticket > self.last_deal), key=lambda d: d.ticket):
                if self._stop.is_set():
                    break
                if deal.type in _TRADE_DEALS:
                    order = term.history_orders_get(ticket=deal.order)
                    with self._callbacks() as ok:
                        if not ok:
                            break
                        self._push(deal, order[0] if order else None)
                    pushed += 1
                self.last_deal, self.last_time = int(deal.ticket), int(deal.time)
                term.journal.set_deal_cursor(term.account, term.server, self.last_deal, self.last_time)
            return pushed

    @contextmanager
    def _callbacks(self) -> Iterator[bool]:
        """The client's callback lock, given up when the poller is stopped while waiting for it."""
        lock = callback_lock(self.client)
        while not lock.acquire(timeout=0.1):
            if self._stop.is_set():
                yield False
                return
        try:
            yield True
        finally:
            lock.release()

    def _push(self, deal: Any, order: Any) -> None:
        client = self.client
        order_type = order.type if order is not None else (
            c.ORDER_TYPE_BUY if deal.type == c.DEAL_TYPE_BUY else c.ORDER_TYPE_SELL)
        client._push_execution(deal, order_type)
        if order is not None and order.type not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL):
            text = "Pending order triggered"
        else:
            text = _STATUS_TEXT.get(int(deal.reason), "Order filled")
        request = {"symbol": deal.symbol, "type": int(order_type), "volume": float(deal.volume),
                   "price": float(deal.price), "position": int(deal.position_id), "magic": int(deal.magic),
                   "comment": str(deal.comment)}
        state = int(order.state) if order is not None else c.ORDER_STATE_FILLED
        client._push_status(str(deal.order), c.TRADE_RETCODE_DONE, text, request, state)


def start_deal_poller(client: MAS, interval_s: float = 0.25) -> DealPoller | None:
    """Start pushing the live account's deals (stopping a poller already running)."""
    stop_deal_poller(client)
    terminal = client._live
    if terminal is None or getattr(type(terminal), "journal", None) is None:
        return None
    try:
        poller = DealPoller(client, terminal, interval_s)
    except Exception as exc:  # e.g. an unwritable journal: trading still works, fills are not pushed
        client._error(f"fills will not be pushed: the deal poller could not start ({exc})")
        return None
    client.__dict__["_deal_poller"] = poller
    return poller


def stop_deal_poller(client: MAS) -> None:
    poller = client.__dict__.pop("_deal_poller", None)
    if poller is not None:
        poller.stop()


def wake_deal_poller(client: MAS) -> None:
    poller = client.__dict__.get("_deal_poller")
    if poller is not None:
        poller.wake()
