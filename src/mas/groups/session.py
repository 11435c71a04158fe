"""The group session: one strategy logged in to every account of a group, one child order per account.

``login({"group": NAME})`` makes a :class:`GroupSession` the strategy's live session. It holds one
:class:`~mas.live.session.LiveSession` per member (its own terminal from :mod:`mas.live.connect`, its deal
poller, the profile's risk guards) sharing one callback lock, and answers everything that is not an order
(feeds, account questions) from the first member, the *lead*. ``send_order`` on it:

1. reads the split of this parent (its ``client_order_id``, else a generated one) from the plan file
   (:mod:`mas.groups.plans`), or makes it from every member's account and symbol now and writes it there
   before any child is sent;
2. sends each child with its allocated volume through the member's live session, i.e. through the order
   journal with the idempotency key ``<parent>@<member>`` and the member's risk guards; a child that is
   refused or rejected does not stop the others;
3. pushes each child's status (and, later, its fills) with ``account``, ``profile`` and, for the statuses
   of the send, ``parent_order_id``; then the parent's status (``order_id`` the parent id) summing them up:
   retcode 10009 when every child with a volume was placed, 10010 (partial) when some were, 10006 when none
   was, with ``children`` listing each one. It returns the parent id when at least one child was placed.

Sending the same parent again (after a crash, or in another process) reuses the written split and the same
child keys: children already placed are answered from the journal, the others are sent, so each child is
placed exactly once. A new parent first passes the group's own guards (:mod:`mas.groups.guards`): refused, it
writes no split and sends nothing.

The facade asks the session which calls it answers itself (:meth:`GroupSession.handles`): the login to a group,
and the calls naming a parent (close, partial close, modify, cancel: :mod:`mas.groups.actions`), and
``get_group_summary`` (:mod:`mas.groups.report`). Every live session is a group session: without members (after a
plain ``login``) it is exactly a live session.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.data.locking import StoreLockedError
from mas.groups.accounts import MemberError, children_summary, open_member, read_snapshot, split_for
from mas.groups.actions import ParentActions, child_order_id
from mas.groups.guards import group_refusal, guard_lock, note_day_start
from mas.groups.plans import find_plan, record_plan
from mas.groups.store import AccountGroup, GroupError, get_group
from mas.i18n.errors import Text, text_of
from mas.live.session import LiveSession
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.sessions.strategy import StrategyEvents
    from mas.terminal.types import TradeRequest

log = logging.getLogger("mas")
_IDENTITY = ("action", "symbol", "type", "volume")
"""The request fields a resent parent must repeat (the plan was made for them)."""


__all__ = ["GroupSession", "MemberEvents", "child_order_id", "open_group", "open_members"]
_ANSWERED = frozenset({"send_order", "modify_order", "cancel_order", "modify_position_sltp"})
"""The calls about an order a group session answers itself when they name one of its parents."""
_PARENT_FIELD = {"modify_position_sltp": "position_id"}


class MemberEvents:
    """A member's view of the strategy's events: every status and fill carries the account it is about;
    the last error text of the member is kept for the parent's summary."""

    def __init__(self, events: StrategyEvents, profile: str, account: int) -> None:
        self.parent = events
        self.extra: dict[str, Any] = {"account": int(account), "profile": profile}
        self.last_text = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.parent, name)

    def order_status(self, order_id: str, retcode: int, text: str, request: Any, state: int,
                     extra: dict | None = None) -> None:
        """An order's status, told to the strategy with this member's account and profile."""
        self.parent.order_status(order_id, retcode, text, request, state, {**self.extra, **(extra or {})})

    def execution(self, deal: Any, order_type: int, extra: dict | None = None) -> None:
        """A fill, told to the strategy with this member's account and profile."""
        self.parent.execution(deal, order_type, {**self.extra, **(extra or {})})

    def error(self, text: str, code: int = c.RES_E_FAIL, level: int | None = None) -> None:
        """An error, kept for the parent's summary and told to the strategy prefixed with the profile."""
        self.last_text = text
        self.parent.error(f"{self.extra['profile']}: {text}", code, level)


class GroupSession(LiveSession):
    """A live session over every account of a group (see the module)."""

    def __init__(self, events: StrategyEvents) -> None:
        super().__init__(events)
        self.group: AccountGroup | None = None
        self.members: dict[str, LiveSession] = {}
        self.actions = ParentActions(self)
        """Close, partial close, modify and cancel of this group's parents (:mod:`mas.groups.actions`)."""

    # ------------------------------------------------------------------ calls answered here
    def handles(self, call: str, params: dict) -> bool:
        """``login`` with a ``group``; ``send_order``, ``modify_order``, ``cancel_order`` naming one of this group's
        parents (``modify_position_sltp``: its ``position_id``); ``get_group_summary`` once logged in."""
        if call == "login":
            return params.get("group") not in (None, "")
        if call == "get_group_summary":
            return self.terminal is not None
        if call in _ANSWERED and self.members:
            order_id = params.get(_PARENT_FIELD.get(call, "order_id"))
            return order_id not in (None, "") and self.is_parent(order_id)
        return False

    def handle(self, call: str, params: dict) -> Any:
        """Answer a call :meth:`handles` claimed (the documented call's return value)."""
        if call == "login":
            return self.login_group(params)
        if call == "get_group_summary":
            return self.summary()
        if call == "send_order":
            return self.actions.close(params)
        if call == "modify_position_sltp":
            return self.actions.modify_position(params)
        if call == "modify_order":
            return self.actions.modify_order(params)
        if call == "cancel_order":
            return self.actions.cancel(params)
        return super().handle(call, params)

    def login_group(self, params: dict) -> bool:
        """``login({"group": NAME})``: log in to every member of the group (replacing any earlier login); False
        with the reason as the last error (naming each member that could not log in, never a password)."""
        try:
            group, terminals = open_group(str(params["group"]))
        except GroupError as exc:
            self.events.error(f"login failed: {exc}", c.RES_E_INVALID_PARAMS)
            return False
        self.connect_group(group, terminals, float(params.get("poll_ms", 250)) / 1000)
        note_day_start(group, terminals)
        log.info("logged in to group %s: %s", group.name, ", ".join(group.members))
        return True

    def summary(self) -> dict:
        """``get_group_summary``: every member's account and the group's sums (:mod:`mas.groups.report`); one
        account's after a plain login."""
        from mas.groups.report import group_report

        if self.members and self.group is not None:
            terminals = {name: member.terminal for name, member in self.members.items()}
            return group_report(self.group.name, terminals).as_dict()
        info = self.login_info or {}
        name = str(info.get("profile") or info.get("account") or "account")
        return group_report("", {name: self.terminal}).as_dict()

    # ------------------------------------------------------------------ connection
    def connect_group(self, group: AccountGroup, terminals: dict[str, Any], poll_s: float) -> None:
        """Take the members' logged-in terminals (in the group's order); the first one is the lead."""
        self.shutdown()
        for name in group.members:
            terminal = terminals[name]
            member = LiveSession(MemberEvents(self.events, name, terminal.account))  # type: ignore[arg-type]
            member.dispatcher = self.dispatcher  # one callback at a time, whichever account it is about
            member.connect(terminal, {"account": terminal.account, "server": terminal.server, "profile": name}, poll_s)
            self.members[name] = member
        self.group = group
        lead = terminals[group.members[0]]
        self.terminal = lead
        self.login_info = {"group": group.name, "account": lead.account, "server": lead.server,
                           "profile": group.members[0]}

    def connect(self, terminal: Any, login_info: dict, poll_s: float) -> None:
        """A plain login replaces the group: the members are logged out first."""
        self._close_members()
        super().connect(terminal, login_info, poll_s)

    def _close_members(self) -> None:
        members, self.members = self.members, {}
        if members:
            self.terminal = None  # the lead's terminal is closed with its member
        for member in members.values():
            member.shutdown()
        self.group = None

    def shutdown(self) -> None:
        self._close_members()
        super().shutdown()

    def connected(self) -> bool:
        if not self.members:
            return super().connected()
        return all(member.connected() for member in self.members.values())

    # ------------------------------------------------------------------ orders
    def send_order(self, request: TradeRequest, params: dict, toggle: bool | None) -> str | None:
        if not self.members or self.group is None:
            return super().send_order(request, params, toggle)
        group = self.group
        parent = str(params.get("client_order_id") or f"grp-{uuid.uuid4().hex[:20]}")
        fields = p.request_fields(request)
        if fields.get("position") or fields.get("position_by"):
            self.refuse(parent, c.TRADE_RETCODE_REJECT, f"group {group.name}: a close on a group session names the "
                        f"parent: send_order with order_id=<the parent id send_order returned>", request,
                        c.RES_E_INVALID_PARAMS)
            return None
        try:
            with guard_lock(group):  # a guarded group's parents are checked and sent one at a time
                shares = self._plan(group, parent, fields)
                children = [self._send_child(parent, member, volume, request, toggle) for member, volume in shares]
        except (GroupError, StoreLockedError) as exc:
            self.refuse(parent, c.TRADE_RETCODE_REJECT, f"group {group.name}: {exc}", request, c.RES_E_INVALID_PARAMS)
            return None
        return self.summarise(parent, children, request)

    def is_parent(self, order_id: Any) -> bool:
        """Whether ``order_id`` is a parent order this group sent (its split is in the plan file)."""
        return self.group is not None and find_plan(self.group.name, str(order_id)) is not None

    def _plan(self, group: AccountGroup, parent: str, fields: dict) -> list[tuple[str, float]]:
        identity = {key: fields.get(key) for key in _IDENTITY}
        plan = find_plan(group.name, parent)
        if plan is None:
            snapshots = []
            for name, member in self.members.items():
                try:
                    snapshots.append(read_snapshot(group, name, member.terminal, str(fields["symbol"])))
                except GroupError as exc:
                    raise MemberError(group.name, {name: str(exc)}) from None
            split = split_for(group, snapshots, float(fields["volume"]), self._stop_distance(group, fields))
            shares = [(s.name, s.volume) for s in split.shares]
            refusal = group_refusal(group, {name: member.terminal for name, member in self.members.items()}, shares)
            if refusal is not None:  # nothing written, nothing sent: a resend is checked again
                raise GroupError(refusal)
            plan = record_plan(group.name, parent, identity, shares)
        if plan.request != identity:
            raise GroupError(Text("grp_order_reused", id=parent, request=plan.request))
        return list(plan.shares)

    def _stop_distance(self, group: AccountGroup, fields: dict) -> float:
        if group.allocation != "risk":
            return 0.0
        sl = float(fields.get("sl") or 0.0)
        if not sl:
            raise GroupError(Text("grp_risk_needs_sl"))
        price = float(fields.get("price") or 0.0)
        if not price and self.terminal is not None:
            tick = self.terminal.symbol_info_tick(str(fields["symbol"]))
            if tick is not None:
                price = tick.ask if fields.get("type") == c.ORDER_TYPE_BUY else tick.bid
        if not price:
            raise GroupError(Text("grp_no_price", symbol=fields["symbol"]))
        spec = self.terminal.symbol_info(str(fields["symbol"])) if self.terminal is not None else None
        digits = int(getattr(spec, "digits", 10) or 10)
        return round(abs(price - sl), digits)  # in whole points: 1.04728 - 1.04228 is 0.005, not 0.00499999..

    def _send_child(self, parent: str, name: str, volume: float, request: TradeRequest,
                    toggle: bool | None) -> dict[str, Any]:
        member = self.members.get(name)
        if member is None:  # the group was edited since this parent's split was written
            return {"profile": name, "account": 0, "volume": volume, "client_order_id": child_order_id(parent, name),
                    "order_id": None, "message": f"{name} is no longer a member of the group"}
        events = member.events
        child = {"profile": name, "account": int(getattr(member.terminal, "account", 0)), "volume": volume,
                 "client_order_id": child_order_id(parent, name), "order_id": None, "message": ""}
        if volume <= 0:
            child["message"] = "no volume allocated"
            return child
        assert isinstance(events, MemberEvents)
        events.extra["parent_order_id"] = parent
        events.last_text = ""
        try:
            child["order_id"] = member.send_order(request._replace(volume=volume),
                                                  {"client_order_id": child["client_order_id"]}, toggle)
        except Exception as exc:  # noqa: BLE001 - one account's failure must not stop the others
            events.error(f"send_order failed: {type(exc).__name__}: {exc}")
        finally:
            events.extra.pop("parent_order_id", None)
        child["message"] = "placed" if child["order_id"] else (events.last_text or "not placed")
        return child

    def summarise(self, parent: str, children: list[dict], request: Any, done: str = "placed",
                  extra: dict | None = None) -> str | None:
        """Push the parent's (or an action's) status summing its ``children`` up: retcode 10009 when every child
        with a volume was ``done``, 10010 when some were, 10006 when none was; ``parent`` when at least one was."""
        assert self.group is not None
        group = self.group
        retcode, state, text, placed = children_summary(group.name, children, done, "profile")
        if not placed:
            self.events.error(text)
        self.events.order_status(parent, retcode, text, request, state,
                                 {"group": group.name, **(extra or {}), "children": [dict(ch) for ch in children]})
        return parent if placed else None


def open_members(name: str) -> tuple[AccountGroup, dict[str, Any], dict[str, str]]:
    """Log in to each member of group ``name`` that can be: (group, terminals by member, why each other member
    could not log in). For reading (``mas broker group status``): one broker down does not hide the others.
    GroupError when the group is unknown or names a profile that does not exist."""
    from mas.live.profiles import ProfileError, load_profiles

    group = get_group(name)
    try:
        from mas.groups.store import check_members

        check_members(group, load_profiles())
    except ProfileError as exc:
        raise GroupError(str(exc)) from None
    terminals: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for member in group.members:
        try:
            terminals[member] = open_member(member)
        except Exception as exc:  # noqa: BLE001 - LoginError, ProfileError: reported per member
            problems[member] = text_of(exc) or type(exc).__name__
    return group, terminals, problems


def open_group(name: str) -> tuple[AccountGroup, dict[str, Any]]:
    """Log in to every member of group ``name``: (group, terminals by member). GroupError (and every terminal
    opened so far shut down) when the group is unknown or any member cannot log in, naming each one."""
    group, terminals, problems = open_members(name)
    if problems:
        for terminal in terminals.values():
            terminal.shutdown()
        raise MemberError(name, problems)
    return group, terminals
