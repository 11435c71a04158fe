"""Acting on a group's parent order: close (whole or partial), modify and cancel every child.

Each action names the parent (the id ``send_order`` returned) and has an id of its own, its ``client_order_id``,
else a default. Each child's request goes through its account's order journal with the key ``<action id>@<member>``,
so a resend of the action (after a crash, or in another process) acts on each child once: a child the journal
shows as done is answered from it, the others are sent. One account's failure does not stop the others; the
action's status (``receive_order_status``) sums the children up as the parent's send does (10009 all, 10010
some, 10006 none, ``children`` listing each one).

- **Close** (``send_order`` with ``order_id`` = the parent, on the closing side): with a ``volume`` at least the
  parent's open volume, every child's whole position is closed (default id ``<parent>/close``). The parent's
  volume is the one it was sent with; its open volume is that times the share of the children's lots still open.
- **Partial close**: a ``volume`` V below the parent's open volume closes the same fraction of the parent in every
  child: ``V * (the children's allocated lots / the parent's volume)`` lots (V itself when the split summed to
  the parent's volume; twice V with a multiplier of 2) split over the children still open in proportion to their
  allocation (the parent's split), each rounded down to its account's volume step and capped at its open
  volume; below the minimum volume it is raised (when the remainder covers it) or skipped by the group's
  ``min_lot_rule``; the remainder is handed out a step at a time from the largest allocation (the rules of
  :mod:`mas.groups.allocation`, method ``balance`` over the allocations). The split is written before the first
  child is sent (:func:`mas.groups.plans.record_act`), so a resend reuses it. Default id ``<parent>/close-<random>``:
  give a ``client_order_id`` to make a resend safe.
- **Modify** (``modify_position_sltp`` with ``position_id`` = the parent, or ``modify_order`` with ``order_id`` = a
  pending parent): every child's open position (pending order) gets the same sl / tp (price, ...). Default id
  ``<parent>/modify-<random>``; sending the same values again changes nothing.
- **Cancel** (``cancel_order`` with ``order_id`` = a pending parent): every child's pending order is removed
  (default id ``<parent>/cancel``); a child already canceled counts as canceled; one filled meanwhile is not pending.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from mas import params as p
from mas.groups.allocation import AccountSnapshot, AllocationError, allocate, exact
from mas.groups.plans import find_act, find_plan, record_act
from mas.groups.store import GroupError
from mas.i18n.errors import InputError, Text
from mas.live import journal as j
from mas.live.orders import submit
from mas.terminal import constants as c

_MODIFIED = (c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_NO_CHANGES)


def child_order_id(parent: str, member: str) -> str:
    """The idempotency key of ``member``'s child of the parent order (or action) ``parent``."""
    return f"{parent}@{member}"


def journal_entry(member: Any, client_order_id: str) -> j.JournalEntry | None:
    """The journal's entry of ``client_order_id`` on ``member``'s account (None: never sent there)."""
    terminal = member.terminal
    if terminal is None:
        return None
    return terminal.journal.find(terminal.account, terminal.server, client_order_id)


def child_ticket(member: Any, client_order_id: str) -> int | None:
    """The order ticket the journal holds for ``client_order_id`` on ``member``'s account."""
    entry = journal_entry(member, client_order_id)
    return int(entry.order_ticket) if entry is not None and entry.order_ticket else None


def _child(name: str, member: Any, key: str, volume: float = 0.0) -> dict[str, Any]:
    return {"profile": name, "account": int(getattr(member.terminal, "account", 0) if member else 0),
            "volume": volume, "client_order_id": key, "order_id": None, "message": ""}


@contextmanager
def _about(member: Any, parent: str) -> Iterator[Any]:
    """The member's events, every status pushed meanwhile carrying ``parent_order_id``."""
    events = member.events
    events.extra["parent_order_id"] = parent
    events.last_text = ""
    try:
        yield events
    finally:
        events.extra.pop("parent_order_id", None)


@dataclass(frozen=True)
class CloseRow:
    """A child still open, for a partial close: its allocation (the weight), its open volume (the cap) and its
    symbol's volume limits on its server."""

    name: str
    allocated: float
    open_volume: float
    volume_min: float = 0.01
    volume_step: float = 0.01
    volume_max: float = 100.0


def split_close(volume: float | Fraction, rows: list[CloseRow], min_lot_rule: str = "raise") -> list[tuple[str, float]]:
    """Split a partial close of ``volume`` lots (of the children's, exact) over ``rows`` in proportion to their
    allocation (see the module): ``(member, lots)`` in the rows' order. GroupError when nothing is open or the input
    is bad."""
    active = [r for r in rows if r.open_volume > 0 and r.allocated > 0]  # (an open volume of 0 would be no cap)
    if not active:
        raise GroupError(Text("grp_nothing_to_close"))
    try:
        snapshots = [AccountSnapshot(r.name, r.allocated, r.allocated, r.allocated, r.volume_min, r.volume_max,
                                     r.volume_step, max_lots=r.open_volume) for r in active]
        split = allocate("balance", volume, snapshots, min_lot_rule=min_lot_rule)
    except AllocationError as exc:
        raise GroupError(str(exc)) from None
    shares = {share.name: share.volume for share in split.shares}
    return [(r.name, shares.get(r.name, 0.0)) for r in rows]


class ParentActions:
    """The actions on the parents of one group session (``session``: its ``group``, ``members``, ``events`` and
    ``summarise``)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    # ------------------------------------------------------------------ which children
    def _children(self, parent: str) -> list[tuple[str, float, Any, int | None]]:
        """(member, allocated volume, member session, its child's order ticket) of every share of ``parent``."""
        plan = find_plan(self.session.group.name, parent)
        out = []
        for name, volume in plan.shares if plan is not None else ():
            member = self.session.members.get(name)
            ticket = child_ticket(member, child_order_id(parent, name)) if member is not None else None
            out.append((name, volume, member, ticket))
        return out

    def _check_act(self, act_id: str, parent: str, identity: dict, shares: list[tuple[str, float]]) -> Any:
        act = record_act(self.session.group.name, act_id, parent, identity, shares)
        if act.parent != parent or act.request != identity:
            raise GroupError(Text("grp_act_reused", id=act_id, request=act.request, parent=act.parent))
        return act

    def _refuse(self, act_id: str, text: str, request: Any) -> None:
        self.session.refuse(act_id, c.TRADE_RETCODE_REJECT, f"group {self.session.group.name}: {text}", request,
                            c.RES_E_INVALID_PARAMS)

    # ------------------------------------------------------------------ close
    def close(self, params: dict) -> str | None:
        """``send_order`` with ``order_id`` = a parent: close every child, wholly or in part (see the module)."""
        parent = str(params["order_id"])
        volume = p.number(params, "volume", positive=True)
        closing = p.order_type(params)
        explicit = params.get("client_order_id") not in (None, "")
        group = self.session.group
        act = find_act(group.name, str(params["client_order_id"])) if explicit else None
        children = self._children(parent)
        # lots of the children per lot of the parent (2 when a multiplier of 2 doubled it; about 1 when split)
        allocated = sum((exact(volume_of, "volume") for _, volume_of, _, _ in children), Fraction(0))
        plan = find_plan(group.name, parent)
        scale = allocated / exact(plan.request["volume"], "volume") if plan and plan.request.get("volume") else None
        open_now: dict[str, Any] = {}
        if act is None:
            for name, _, member, ticket in children:
                if member is not None and ticket is not None and member.terminal is not None:
                    found = member.terminal.positions_get(ticket=member.position_of(ticket))
                    if found:
                        open_now[name] = found[0]
            open_total = sum((exact(pos.volume, "volume") for pos in open_now.values()), Fraction(0))
            if not scale or exact(volume, "volume") * scale >= open_total:  # the parent's whole open volume, or more
                close_id = str(params["client_order_id"]) if explicit else f"{parent}/close"
                return self._close_all(params, parent, close_id, children)
        close_id = str(params["client_order_id"]) if explicit else f"{parent}/close-{uuid.uuid4().hex[:12]}"
        identity = {"kind": "partial_close", "volume": volume, "type": closing}
        try:
            if act is None:
                assert scale is not None
                shares = self._split_close(exact(volume, "volume") * scale, children, open_now)
                act = self._check_act(close_id, parent, identity, shares)
            elif act.parent != parent or act.request != identity:
                raise GroupError(Text("grp_act_reused", id=close_id, request=act.request, parent=act.parent))
        except GroupError as exc:
            self._refuse(close_id, str(exc), {"symbol": "", "volume": volume})
            return None
        tickets = {name: (member, ticket) for name, _, member, ticket in children}
        done, request = [], None
        for name, share in act.shares:
            member, ticket = tickets.get(name, (None, None))
            child, sent = self._close_child(params, close_id, name, member, ticket, share)
            done.append(child)
            request = sent or request
        return self.session.summarise(close_id, done, request or {"symbol": "", "volume": volume}, "closed",
                                      {"parent": parent})

    def _split_close(self, volume: Fraction, children: list, open_now: dict[str, Any]) -> list[tuple[str, float]]:
        rows = []
        for name, allocated, member, _ in children:
            pos = open_now.get(name)
            if pos is None or allocated <= 0:
                continue  # not open: no part of the close
            spec = member.terminal.symbol_info(pos.symbol)
            if spec is None:
                raise GroupError(Text("grp_member_symbol_unread", name=name, symbol=pos.symbol,
                                      error=member.terminal.last_error()[1]))
            rows.append(CloseRow(name, allocated, float(pos.volume), float(spec.volume_min), float(spec.volume_step),
                                 float(spec.volume_max)))
        return split_close(volume, rows, self.session.group.min_lot_rule)

    def _close_all(self, params: dict, parent: str, close_id: str, children: list) -> str | None:
        done, request = [], None
        for name, volume, member, ticket in children:
            child, sent = self._close_child(params, close_id, name, member, ticket, None, volume)
            done.append(child)
            request = sent or request
        return self.session.summarise(close_id, done, request or {"symbol": "", "volume": 0.0}, "closed",
                                      {"parent": parent})

    def _close_child(self, params: dict, close_id: str, name: str, member: Any, ticket: int | None,
                     volume: float | None, allocated: float = 0.0) -> tuple[dict, Any]:
        """Close ``volume`` lots (None: all) of ``name``'s child position; (its child dict, the request sent)."""
        key = child_order_id(close_id, name)
        child = _child(name, member, key)
        if member is None:
            child["message"] = f"{name} is no longer a member of the group"
            return child, None
        entry = journal_entry(member, key)
        if entry is not None and entry.state == j.DONE:  # this close was sent before (a resend): from the journal
            child.update(volume=volume if volume is not None else allocated, order_id=str(entry.order_ticket or ""),
                         message="closed before")
            return child, None
        if volume is not None and volume <= 0:
            child["message"] = "nothing to close"
            return child, None
        if ticket is None:
            child["message"] = "no child order to close"
            return child, None
        terminal = member.terminal
        position = member.position_of(ticket)
        open_now = terminal.positions_get(ticket=position) if terminal is not None else None
        if not open_now and (entry is None or volume is None):
            child.update(volume=volume or 0.0, message=f"position {position} is not open")
            return child, None
        # a partial close journaled but not known done (a crash mid-send) goes to the journal, which settles it
        symbol = open_now[0].symbol if open_now else str(entry.request.get("symbol", ""))  # type: ignore[union-attr]
        child["volume"] = float(volume if volume is not None else open_now[0].volume)  # type: ignore[index]
        close = {**params, "order_id": position, "volume": child["volume"], "symbol": symbol, "backtest_toggle": False,
                 "client_order_id": key}
        request = p.order_trade_request(close, lambda number, _params: number)
        with _about(member, close_id) as events:
            try:
                child["order_id"] = member.send_order(request, {"client_order_id": key}, False)
            except Exception as exc:  # noqa: BLE001 - one account's failure must not stop the others
                events.error(f"closing failed: {type(exc).__name__}: {exc}")
            child["message"] = "closed" if child["order_id"] else (events.last_text or "not closed")
        return child, request

    # ------------------------------------------------------------------ modify and cancel
    def modify_position(self, params: dict) -> bool:
        """``modify_position_sltp`` with ``position_id`` = a parent: the same sl / tp on every child's position."""
        parent = str(params["position_id"])
        if params.get("sl") is None and params.get("tp") is None:
            raise InputError("grp_sltp_missing")
        sl = p.optional_price(params, "sl") if params.get("sl") is not None else None
        tp = p.optional_price(params, "tp") if params.get("tp") is not None else None

        def request_for(member: Any, ticket: int) -> tuple[dict | None, str]:
            position = member.position_of(ticket)
            found = member.terminal.positions_get(ticket=position)
            if not found:
                return None, f"position {position} is not open"
            pos = found[0]
            return {"action": c.TRADE_ACTION_SLTP, "position": position, "symbol": pos.symbol,
                    "sl": pos.sl if sl is None else sl, "tp": pos.tp if tp is None else tp}, ""

        return self._each_child(params, parent, "modify", {"kind": "sltp", "sl": sl, "tp": tp}, request_for,
                                "modified", c.ORDER_STATE_PLACED)

    def modify_order(self, params: dict) -> bool:
        """``modify_order`` with ``order_id`` = a pending parent: the same price, sl, tp, ... on every child's order."""
        parent = str(params["order_id"])
        fields: dict[str, Any] = {"price": p.number(params, "price", positive=True),
                                  "sl": p.optional_price(params, "sl"), "tp": p.optional_price(params, "tp"),
                                  "stoplimit": p.optional_price(params, "stoplimit"),
                                  "comment": str(params.get("comment", "Modified by MAS"))}
        if params.get("expiration") not in (None, ""):
            fields["expiration"] = p.parse_time(params["expiration"], "expiration")
            fields["type_time"] = c.ORDER_TIME_SPECIFIED

        def request_for(member: Any, ticket: int) -> tuple[dict | None, str]:
            if not member.terminal.orders_get(ticket=ticket):
                return None, f"order {ticket} is not pending"
            return {"action": c.TRADE_ACTION_MODIFY, "order": ticket, **fields}, ""

        identity = {"kind": "modify_order", **{k: str(v) for k, v in fields.items()}}
        return self._each_child(params, parent, "modify", identity, request_for, "modified", c.ORDER_STATE_PLACED)

    def cancel(self, params: dict) -> bool:
        """``cancel_order`` with ``order_id`` = a pending parent: remove every child's pending order."""
        parent = str(params["order_id"])
        comment = str(params.get("comment", "Cancel by MAS"))

        def request_for(member: Any, ticket: int) -> tuple[dict | None, str]:
            if member.terminal.orders_get(ticket=ticket):
                return {"action": c.TRADE_ACTION_REMOVE, "order": ticket, "comment": comment}, ""
            ended = member.terminal.history_orders_get(ticket=ticket)
            if ended and int(ended[0].state) == c.ORDER_STATE_CANCELED:
                return None, "canceled before"
            return None, f"order {ticket} is not pending"

        return self._each_child(params, parent, "cancel", {"kind": "cancel"}, request_for, "canceled",
                                c.ORDER_STATE_CANCELED)

    def _each_child(self, params: dict, parent: str, kind: str, identity: dict,
                    request_for: Callable[[Any, int], tuple[dict | None, str]], done_word: str, state: int) -> bool:
        explicit = params.get("client_order_id") not in (None, "")
        default = f"{parent}/cancel" if kind == "cancel" else f"{parent}/{kind}-{uuid.uuid4().hex[:12]}"
        act_id = str(params["client_order_id"]) if explicit else default
        children = self._children(parent)
        try:
            self._check_act(act_id, parent, identity, [(name, volume) for name, volume, _, _ in children])
        except GroupError as exc:
            self._refuse(act_id, str(exc), {})
            return False
        done, last = [], None
        for name, volume, member, ticket in children:
            key = child_order_id(act_id, name)
            child = _child(name, member, key)
            done.append(child)
            if member is None or ticket is None or member.terminal is None:
                child["message"] = "no child order" if member is not None else f"{name} is no longer a member"
                continue
            entry = journal_entry(member, key)
            if entry is not None and entry.state == j.DONE:
                child.update(volume=volume, order_id=str(ticket), message=f"{done_word} before")
                continue
            with _about(member, parent) as events:
                try:
                    request, why = request_for(member, ticket)
                except Exception as exc:  # noqa: BLE001 - one account's failure must not stop the others
                    request, why = None, f"{type(exc).__name__}: {exc}"
                    child["volume"] = volume
                if request is None:
                    if why == "canceled before":
                        child.update(volume=volume, order_id=str(ticket), message=why)
                    else:
                        child["message"] = why
                    continue
                child["volume"] = volume
                last = request
                result = submit(member.terminal, request, key)
                if result is not None and result.retcode in _MODIFIED:
                    child.update(order_id=str(ticket), message=done_word)
                    events.order_status(str(ticket), result.retcode, result.comment, request, state)
                else:
                    retcode = result.retcode if result is not None else c.TRADE_RETCODE_ERROR
                    text = result.comment if result is not None else member.terminal.last_error()[1]
                    member.refuse(str(ticket), retcode, f"{kind} of order {ticket} failed: {text} (retcode {retcode})",
                                  request)
                    child["message"] = events.last_text or f"not {done_word}"
        self.session.summarise(parent, done, last or {}, done_word, {"action": kind, "action_id": act_id})
        wanted = [ch for ch in done if ch["volume"] > 0]
        return bool(wanted) and all(ch["order_id"] for ch in wanted)
