"""Sending live trade requests: journal first, one order per client order id, reconcile the unknown.

Every order (market or pending) carries a client order id: the caller's ``client_order_id``
or a generated one. Its tag (``#`` + 12 hex digits of its hash) starts the MT5 ``comment``,
so the order can be found on the terminal without the journal's help. The flow:

1. the request is journaled as ``pending`` before it is sent;
2. the same id already journaled as sent returns that order, never a second one; one still
   pending (a crash, a timeout, a lost connection) is first looked for on the terminal's
   active orders, positions and order history, and is resent only when the terminal is
   reachable and has no trace of it;
3. the outcome is journaled after: ``done``, ``rejected``, ``failed`` or ``unknown``.

``send_order`` requests also pass the profile's risk guards (:mod:`mas.live.guards`) whenever
they would be sent anew (not when the id is already an order): a refused one is journaled as
``refused``, never sent, and answered with retcode 10006 and the guard's reason. An admitted one
may hold a reservation of exposure (``max_positions``), settled with the outcome: kept with the
order's ticket when accepted, released when no order was made, kept (until it expires) when the
outcome is unknown.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import uuid
from typing import TYPE_CHECKING, Any

from mas.i18n.errors import Text
from mas.live import journal as j
from mas.live.symbol_names import SymbolFileUnreadable
from mas.terminal import constants as c
from mas.terminal.types import OrderSendResult, trade_request

if TYPE_CHECKING:
    from mas.live.guards import RiskGuards
    from mas.live.terminal import LiveTerminal

COMMENT_LIMIT = 31
"""MT5 keeps at most 31 characters of an order comment."""

ACCEPTED = frozenset({c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_DONE_PARTIAL})
_OUTCOME_UNKNOWN = frozenset({c.TRADE_RETCODE_TIMEOUT})
_HISTORY_FROM, _HISTORY_TO = 946684800, 4102444800  # 2000-01-01 .. 2100-01-01, epoch seconds
_ORDER_ACTIONS = frozenset({c.TRADE_ACTION_DEAL, c.TRADE_ACTION_PENDING})


def order_tag(client_order_id: str) -> str:
    """The short tag that marks an order's comment with its client order id."""
    return "#" + hashlib.sha256(client_order_id.encode("utf-8")).hexdigest()[:12]


def tagged_comment(tag: str, comment: str) -> str:
    """The MT5 comment: the journal tag, then the user's comment, cut to MT5's comment length."""
    return f"{tag} {comment}".strip()[:COMMENT_LIMIT]


def send_live(terminal: LiveTerminal, request: dict, params: dict) -> Any:
    """``send_order`` on the live terminal: market price filled in, journaled, idempotent by
    ``params['client_order_id']``, checked by the profile's risk guards. (A live order sent from inside a
    backtest replay never gets here: the replay's session refuses it.)"""
    request = dict(request)
    names = getattr(terminal, "symbol_names", None)  # the terminal sends EURUSD as the broker's EURUSD.m
    if request.get("symbol") and names is not None:
        try:
            names.suffix()
        except SymbolFileUnreadable as exc:  # an unreadable or corrupt symbols.toml: which symbol is meant is unknown
            terminal.set_error(c.RES_E_FAIL, f"{exc}; the request was not sent")
            return None
    if request.get("action") == c.TRADE_ACTION_DEAL and not request.get("price"):
        tick = terminal.symbol_info_tick(request["symbol"])
        if tick is None:
            return None
        request["price"] = tick.ask if request["type"] == c.ORDER_TYPE_BUY else tick.bid
    client_order_id = params.get("client_order_id")
    guards = getattr(terminal, "guards", None)
    return submit(terminal, request, None if client_order_id in (None, "") else str(client_order_id),
                  guards=guards if guards is not None and guards.active else None)


def submit(terminal: LiveTerminal, request: dict, client_order_id: str | None = None,
           timeout_s: float | None = None, guards: RiskGuards | None = None) -> Any:
    """Journal ``request``, send it at most once per client order id, journal the outcome.

    Returns the terminal's ``OrderSendResult`` (or, for an id already sent, one rebuilt from the
    journal or found on the terminal; for a request ``guards`` refuse, a 10006 rejection that was
    never sent), or None with ``terminal.last_error()`` saying why."""
    admission = _Admission(terminal, guards)
    try:
        return _submit(terminal, request, client_order_id, timeout_s, admission)
    finally:
        admission.close()


class _Admission:
    """The risk guards' verdict on one request, and the exposure it reserved until the outcome is known."""

    def __init__(self, terminal: LiveTerminal, guards: RiskGuards | None) -> None:
        self.terminal = terminal
        self.guards = guards
        self.admitted = guards is None
        self.reservation: int | None = None
        self.outcome_unknown = False

    def refusal(self, request: dict, tag: str) -> str | None:
        """Why the guards refuse ``request`` (checked once; an admitted request reserves its exposure)."""
        if self.admitted or self.guards is None:
            return None
        reason, self.reservation = self.guards.admit(self.terminal, request, tag)
        self.admitted = reason is None
        return reason

    def settle(self, result: Any) -> None:
        """The send's outcome: an accepted order keeps its reservation (with its ticket), anything else drops it."""
        if self.guards is not None and self.reservation is not None:
            accepted = result is not None and result.retcode in ACCEPTED
            self.guards.settle(self.terminal, self.reservation, int(result.order or 0) if accepted else None)
            self.reservation = None

    def close(self) -> None:
        """Leave the reservation of an unknown outcome (it expires, or is released once seen); drop any other."""
        if self.reservation is not None and not self.outcome_unknown:
            self.settle(None)


def _submit(terminal: LiveTerminal, request: dict, client_order_id: str | None, timeout_s: float | None,
            admission: _Admission) -> Any:
    timeout_s = terminal.timeout_s if timeout_s is None else timeout_s
    request = dict(request)
    is_order = int(request.get("action", 0)) in _ORDER_ACTIONS
    cid = client_order_id or f"auto-{uuid.uuid4().hex}"
    tag = order_tag(cid)
    if is_order:
        request["comment"] = tagged_comment(tag, str(request.get("comment", "")))
    try:
        journal = terminal.journal
        earlier = journal.find(terminal.account, terminal.server, cid) if client_order_id else None
        if earlier is None or earlier.state in j.RESENDABLE:
            reason = admission.refusal(request, tag)
            if reason is not None:
                journal.refuse(terminal.account, terminal.server, cid, tag, request, reason)
                return _refused(request, reason)
        entry_id, existing = journal.claim(terminal.account, terminal.server, cid, tag, request)
    except (OSError, sqlite3.Error) as exc:  # no journal entry, no order
        terminal.set_error(c.RES_E_FAIL, f"the order journal cannot be written ({exc}); the request was not sent")
        return None
    if existing is not None:
        try:
            settled = _settle_existing(terminal, existing, timeout_s)
        except LookupFailed as exc:
            return _unknown(terminal, cid, f"the earlier request's outcome is unknown ({exc}); not resent")
        if settled is not None:
            return settled
        reason = admission.refusal(request, tag)
        if reason is not None:  # pending or unknown, and found nowhere: it would be a new order
            journal.finish(entry_id, j.REFUSED, retcode=c.TRADE_RETCODE_REJECT, comment=reason)
            return _refused(request, reason)
        journal.reclaim(entry_id, request)
    for attempt in range(2):
        result = terminal.send_raw(request)
        if result is not None and result.retcode not in _OUTCOME_UNKNOWN:
            admission.settle(result)
            return _record(journal, entry_id, result)
        if result is None and terminal.connected:
            code, text = terminal.last_error()
            journal.finish(entry_id, j.FAILED, retcode=code, comment=text)
            return None
        # The request may or may not have reached the server: find it before anything is resent.
        journal.finish(entry_id, j.UNKNOWN, retcode=result.retcode if result is not None else None)
        if not is_order or not terminal.wait_connected(timeout_s):
            break
        try:
            found = find_on_terminal(terminal, tag)
        except LookupFailed:
            break
        if found is not None:
            admission.settle(found)
            return _record(journal, entry_id, found)
        if attempt == 0:
            journal.reclaim(entry_id, request)
    admission.outcome_unknown = True
    return _unknown(terminal, cid, "the connection broke while sending; the outcome is reconciled against the "
                                   "terminal on the next send with this client_order_id")


def _unknown(terminal: LiveTerminal, cid: str, why: str) -> None:
    terminal.set_error(c.RES_E_INTERNAL_FAIL_CONNECT, f"client_order_id {cid}: {why}")
    return None


def _settle_existing(terminal: LiveTerminal, entry: j.JournalEntry, timeout_s: float) -> Any:
    """The result for a client order id that is already journaled, or None when it must be (re)sent.
    Raises :class:`LookupFailed` when its outcome is unknown and cannot be checked now."""
    journal = terminal.journal
    if entry.state == j.PENDING and entry.owner != j.this_owner() and j.owner_alive(entry.owner):
        deadline = time.monotonic() + timeout_s  # another live process is sending it right now
        while entry.state == j.PENDING and time.monotonic() < deadline:
            time.sleep(0.05)
            entry = journal.find(entry.account, entry.server, entry.client_order_id) or entry
    if entry.state == j.DONE:
        return _rebuilt(entry, f"already sent as order {entry.order_ticket} (client_order_id {entry.client_order_id})")
    if entry.state in j.RESENDABLE:
        return None
    if not terminal.wait_connected(timeout_s):
        raise LookupFailed(Text("live_terminal_unreachable"))
    found = find_on_terminal(terminal, entry.tag)
    if found is not None:
        return _record(journal, entry.id, found)
    return None


def _record(journal: j.Journal, entry_id: int, result: Any) -> Any:
    state = j.DONE if result.retcode in ACCEPTED else j.REJECTED
    journal.finish(entry_id, state, retcode=int(result.retcode), order=int(result.order or 0) or None,
                   deal=int(result.deal or 0) or None, price=float(result.price or 0.0),
                   volume=float(result.volume or 0.0), comment=str(result.comment or ""))
    return result


def _refused(request: dict, reason: str) -> OrderSendResult:
    """The answer to a request a risk guard refused: a rejection that never reached the terminal."""
    return OrderSendResult(retcode=c.TRADE_RETCODE_REJECT, deal=0, order=0, volume=0.0, price=0.0, bid=0.0, ask=0.0,
                           comment=reason, request_id=0, retcode_external=0, request=trade_request(request))


def _rebuilt(entry: j.JournalEntry, comment: str) -> OrderSendResult:
    request = dict(entry.request)
    request.pop("expiration", None)  # journaled as text; not needed to describe the result
    return OrderSendResult(retcode=entry.retcode or c.TRADE_RETCODE_DONE, deal=entry.deal_ticket or 0,
                           order=entry.order_ticket or 0, volume=entry.volume or 0.0, price=entry.price or 0.0,
                           bid=0.0, ask=0.0, comment=comment, request_id=0, retcode_external=0,
                           request=trade_request(request))


class LookupFailed(Exception):
    """The terminal could not be searched (disconnected): an order's outcome stays unknown."""


def find_on_terminal(terminal: LiveTerminal, tag: str) -> OrderSendResult | None:
    """An order whose comment carries ``tag``: active, in the history, or as an open position.
    Raises :class:`LookupFailed` when the terminal cannot answer."""
    def tagged(items: Any) -> list:
        if items is None:
            raise LookupFailed(terminal.last_error()[1])
        return [x for x in items if str(getattr(x, "comment", "")).startswith(tag)]

    for order in tagged(terminal.orders_get()):
        return _found(order.ticket, 0, order.volume_initial, order.price_open, c.TRADE_RETCODE_PLACED, tag)
    history = tagged(terminal.history_orders_get(_HISTORY_FROM, _HISTORY_TO))
    for order in sorted(history, key=lambda o: o.ticket):
        if order.state == c.ORDER_STATE_REJECTED:
            continue
        deals = terminal.history_deals_get(ticket=order.ticket) or ()
        deal = deals[0] if deals else None
        retcode = c.TRADE_RETCODE_DONE if deal is not None else c.TRADE_RETCODE_PLACED
        return _found(order.ticket, deal.ticket if deal else 0, order.volume_initial,
                      deal.price if deal else order.price_open, retcode, tag)
    for position in tagged(terminal.positions_get()):
        return _found(position.ticket, 0, position.volume, position.price_open, c.TRADE_RETCODE_DONE, tag)
    return None


def _found(order: int, deal: int, volume: float, price: float, retcode: int, tag: str) -> OrderSendResult:
    return OrderSendResult(retcode=retcode, deal=int(deal), order=int(order), volume=float(volume),
                           price=float(price), bid=0.0, ask=0.0, comment=f"found on the terminal by its tag {tag}",
                           request_id=0, retcode_external=0, request=trade_request({}))
