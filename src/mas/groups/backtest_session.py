"""The group backtest session: one strategy, one replay, one simulated account per member of a group.

Every member has its own :class:`~mas.sim.terminal.SimulatedTerminal` (its own book: balance, margin,
stop-out, swaps, commission, leverage and currency) over ONE shared :class:`~mas.sim.market.Market`, so the
members see the same prices at the same moment. :func:`run_group_bars` is the group's clock: for each bar (in
time order across symbols) it settles the bar on every member's book, in the group's member order, records
each member's equity, balance and margin, then hands the bar to the strategy once.

What the strategy sees is the *parent* view, as on a single account:

- ``send_order`` is split at that moment over the members by the group's allocation method, from each member's
  own ``account_info`` and ``symbol_info`` (:func:`mas.groups.accounts.split_for`); each member with a volume
  gets one child order on its own terminal (its own margin check: a child refused there does not stop the
  others). The call returns the *parent id* (from :data:`PARENT_BASE` up) when at least one child was taken.
- A close (``send_order`` with the parent's ``order_id``), ``modify_position_sltp``, ``modify_order`` and
  ``cancel_order`` naming a parent act on every child still open (see :meth:`GroupBacktestSession.send_order`).
- ``receive_order_execution``: every child deal once, with ``account`` (the member), ``parent_order_id``,
  ``child_order_id`` and ``child_position_id``. The parent's first fill and the deal that closes its last open
  child carry the parent's id as ``order_id`` and ``position_id``; every other child deal carries the child's
  own tickets. So a strategy that tracks the id ``send_order`` returned sees one fill and one close per parent.
- ``receive_order_status``: each child's status (its own ticket, with ``account`` and ``parent_order_id``), and
  the parent's: a summary when it is sent, ``filled`` at its first fill, and the last child's dead state
  (rejected, cancelled, expired) when every child died unfilled.
- ``get_positions`` / ``get_pending_orders``: one row per parent (ticket = the parent id; volume = the volume the
  strategy sent, times the share of its children's lots still open; profit and swap summed over its children in
  the first member's currency; the open price the children's volume-weighted one). A close of at least that
  volume closes every child whole; a smaller one closes that fraction of each child, rounded down to its step.
- ``get_account_info``, prices, bars, symbols and the history: the first member's (the *lead*), as the live
  group session answers them.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.backtest.preflight import check_conversions
from mas.backtest.session import BacktestSession, ResultSoFar, build_terminal
from mas.groups.accounts import children_summary, read_snapshot, split_for
from mas.groups.backtest_guards import ReplayAccount, ReplayJournal, profile_guards, replay_moment
from mas.groups.guards import group_refusal
from mas.groups.simulated import BacktestAccount, GroupRun, aggregate_result
from mas.groups.store import AccountGroup, GroupError
from mas.i18n import retcode_text
from mas.i18n.errors import InputError, Text
from mas.results import BacktestResult
from mas.sessions.base import ACCEPTED
from mas.sessions.events import bar_dict, order_request
from mas.sim.clock import BarLedger, merged_order
from mas.sim.market import SymbolTape, to_datetimes
from mas.sim.matching import settle_bar
from mas.sim.settings import BacktestSettings
from mas.sim.symbols import ConversionError
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.data.store import BarSeries
    from mas.live.guards import RiskGuards
    from mas.sessions.strategy import StrategyEvents
    from mas.sim.records import SimDeal, SimOrder
    from mas.terminal.types import TradeRequest

PARENT_BASE = 1_000_000_000
"""Parent ids start above it, so a parent id never equals a member's own ticket."""
_DEAD = frozenset({c.ORDER_STATE_REJECTED, c.ORDER_STATE_CANCELED, c.ORDER_STATE_EXPIRED})


@dataclass
class Parent:
    """One order the strategy sent to the group, and its children (member -> the child's order ticket)."""

    ticket: int
    request: Any
    children: dict[str, int] = field(default_factory=dict)
    closes: int = 0
    """For a close: the parent whose positions it closes (0: an order that opens)."""
    filled: bool = False
    dead: set[str] = field(default_factory=set)
    positions: dict[str, int] = field(default_factory=dict)
    """Member -> its open child position (an opening parent, once filled)."""
    filled_lots: dict[str, float] = field(default_factory=dict)
    """Member -> the lots its child filled."""

    @property
    def volume(self) -> float:
        """The volume the strategy sent."""
        return float(self.request.volume)


class MemberListener:
    """A member terminal's listener: its order updates and fills reach the strategy in the parent view."""

    wants_order_updates = True
    wants_deals = True

    def __init__(self, session: GroupBacktestSession, member: str) -> None:
        self.session = session
        self.member = member

    def on_order_update(self, order: SimOrder, retcode: int, message: str, request: Any) -> None:
        """A child order changed on this member's book."""
        self.session.child_update(self.member, order, retcode, message, request)

    def on_deal(self, deal: SimDeal, order: SimOrder) -> None:
        """A deal on this member's book."""
        self.session.child_deal(self.member, deal, order)

    def on_margin_call(self, level: float, limit: float) -> None:
        """This member's account reached its margin-call level: the strategy's last error names the member."""
        events = self.session.events
        events.error(f"{self.member}: " + events.say("margin_call", level=level, limit=limit), c.RES_S_OK)


class GroupBacktestSession(BacktestSession):
    """A backtest session over one simulated account per member (see the module)."""

    def __init__(self, events: StrategyEvents, group: AccountGroup, accounts: list[BacktestAccount],
                 guards: Mapping[str, RiskGuards] | None = None) -> None:
        """``guards``: each member's profile risk guards (default: the profiles' of a stored group, none for an
        ad-hoc one: :func:`mas.groups.backtest_guards.profile_guards`); the group's own come from ``group``."""
        super().__init__(events)
        names = [a.name for a in accounts]
        if tuple(names) != tuple(group.members):
            raise GroupError(Text("gbt_accounts_order", name=group.name, accounts=", ".join(names),
                                  members=", ".join(group.members)))
        self.group = group
        self.accounts = accounts
        self.guards: dict[str, RiskGuards] = dict(guards) if guards is not None else profile_guards(group)
        """Member -> its profile's risk guards, checked on each child as live (:mod:`mas.groups.backtest_guards`)."""
        self.guard_views: dict[str, ReplayAccount] = {}
        self.members: dict[str, SimulatedTerminal] = {}
        self.parents: dict[int, Parent] = {}
        self.child_of: dict[tuple[str, int], int] = {}
        self.position_parent: dict[tuple[str, int], int] = {}
        self.run: GroupRun | None = None
        """The last group replay (None before the first)."""
        self.member_results: dict[str, BacktestResult] = {}
        self._so_far: dict[str, ResultSoFar] = {}
        self._next_parent = PARENT_BASE + 1
        self._sending: tuple[str, int] | None = None

    # ------------------------------------------------------------------ replays
    def subscribe_ticks(self, params: dict) -> None:
        """Refused: a group backtest replays bars (``subscribe_bars``)."""
        raise InputError("gbt_no_ticks")

    def replay_ticks(self, params: dict) -> BacktestResult:
        """Refused, as :meth:`subscribe_ticks`."""
        self.subscribe_ticks(params)
        raise AssertionError("unreachable")

    def replay_bars(self, params: dict | BacktestSettings, *, series: Mapping[str, BarSeries] | None = None,
                    detail: Mapping[str, BarSeries] | None = None, warm_up: int = 0) -> BacktestResult:
        """Replay the bars once over every member's account; the result kept is the group's aggregate
        (:func:`mas.groups.simulated.aggregate_result`); each member's is in :attr:`member_results`."""
        base = params if isinstance(params, BacktestSettings) else BacktestSettings.from_params(params)
        settings = {a.name: a.settings(base) for a in self.accounts}
        for one in settings.values():
            check_conversions(one)
        self.result = None
        self.parents, self.child_of, self.position_parent = {}, {}, {}
        self.member_results = {}
        lead = self.group.members[0]
        terminal, tapes = self._build(settings[lead], lambda s, _listener: build_terminal(
            s, MemberListener(self, lead), series=series, detail=detail))
        members = {lead: terminal}
        for name in self.group.members[1:]:
            one = settings[name]
            members[name] = SimulatedTerminal(one.account(), one.specs(), terminal.market,
                                              slippage_points=one.slippage, listener=MemberListener(self, name),
                                              rates_loader=terminal.rates_loader)
        self.members = members
        ledgers = {name: BarLedger(tapes) for name in members}
        bars = {t.spec.name: t.rates for t in tapes}
        note = tapes[0].price_side_note
        self._so_far = {name: ResultSoFar(self.events.strategy_name, settings[name], members[name], ledgers[name],
                                          bars, note) for name in members}
        run = GroupRun(list(members), settings, members, ledgers, {}, {}, settings[lead].currency)
        callback = self.events.bar_callback()
        if warm_up > 0 and callback is not None:
            callback = self._warming(callback, warm_up)
        self.terminal = GroupView(self)  # type: ignore[assignment] - the parent view of the lead's terminal
        self.run = run
        journals = {name: ReplayJournal() for name in members}
        self.guard_views = {name: ReplayAccount(members[name], journals[name]) for name in members}
        daily = self.group.daily_loss_limit or any(g.daily_loss_limit for g in self.guards.values())
        self.replaying = True
        try:
            run_group_bars(run, tapes, callback, self._day_noter(journals) if daily else None)
        finally:
            self.replaying = False
        self.member_results = {name: self._so_far[name]() for name in members}
        self._so_far = {}
        result = aggregate_result(run, self.member_results, self.group, self.events.strategy_name)
        self.result = result
        return result

    def _day_noter(self, journals: dict[str, ReplayJournal]) -> Any:
        """What the group's clock calls before a UTC day's first bar: each account's equity starts that day."""
        def note(day: str) -> None:
            for name, journal in journals.items():
                journal.note_day(day, self.members[name].equity())

        return note

    def report_source(self) -> BacktestResult | None:
        """The last group backtest's aggregate; during its replay, the aggregate so far."""
        if self.result is not None:
            return self.result
        if self.replaying and self._so_far and self.run is not None:
            return aggregate_result(self.run, {n: so_far() for n, so_far in self._so_far.items()}, self.group,
                                    self.events.strategy_name)
        return None

    # ------------------------------------------------------------------ the parent view's answers
    def is_open_position(self, ticket: int) -> bool:
        """Whether ``ticket`` is a parent with an open child position."""
        parent = self.parents.get(int(ticket))
        return parent is not None and bool(parent.positions)

    def position_of(self, ticket: int) -> int:
        """A parent id is its own position id in the parent view."""
        ticket = int(ticket)
        parent = self.parents.get(ticket)
        if parent is not None and parent.closes:
            return parent.closes
        return ticket

    def parent_positions(self) -> list[tuple[Parent, list[Any]]]:
        """Each parent with open children, and its children's position views."""
        out = []
        for parent in self.parents.values():
            views = []
            for name, position in parent.positions.items():
                found = self.members[name].positions_get(ticket=position)
                if found:
                    views.append((name, found[0]))
            if views:
                out.append((parent, views))
        return out

    def parent_orders(self) -> list[tuple[Parent, list[Any]]]:
        """Each parent with pending children (market orders waiting for the open are not listed)."""
        out = []
        for parent in self.parents.values():
            views = []
            for name, ticket in parent.children.items():
                order = self.members[name].orders.get(ticket)
                if order is not None and not order.is_market:
                    views.append((name, order.view()))
            if views:
                out.append((parent, views))
        return out

    def shown_volume(self, parent: Parent, open_lots: float) -> float:
        """The parent's volume in the parent view: the volume the strategy sent, times the share of its
        children's filled lots still open (the accounts' own lots are the children's)."""
        filled = sum(parent.filled_lots.values())
        return round(parent.volume * open_lots / filled, 8) if filled > 0 else parent.volume

    def to_lead_currency(self, member: str, amount: float) -> float:
        """``amount`` of ``member``'s currency in the lead's, at the replay's current prices."""
        lead = self.members[self.group.members[0]]
        source, target = self.members[member].settings.currency, lead.settings.currency
        return amount if source == target else amount * lead.converter.rate(source, target)

    # ------------------------------------------------------------------ orders
    def send_order(self, request: TradeRequest, params: dict, toggle: bool | None) -> str | None:
        """Split a new order over the members (one child each) and return the parent id; an order naming a
        parent's position (``order_id`` / ``position``) closes every open child: the whole of each when its
        volume is at least the parent's open volume, else each child's volume times the same fraction,
        rounded down to the child's volume step (a child whose share rounds to 0 stays open)."""
        if not toggle and self.replaying:
            self.refuse_live_in_backtest("", request)
            return None
        if not self.replaying or not self.members:
            return super().send_order(request, params, toggle)  # no replay: the lead's terminal refuses it
        if request.position:
            return self._close_parent(request)
        if request.position_by:
            self.refuse("", c.TRADE_RETCODE_REJECT, f"group {self.group.name}: close_by is not supported on a group "
                        f"backtest; close each parent with send_order(order_id=<parent id>)", request)
            return None
        fields = p.request_fields(request)
        try:
            snapshots = [read_snapshot(self.group, name, self.members[name], request.symbol)
                         for name in self.group.members]
            split = split_for(self.group, snapshots, float(request.volume), self._stop_distance(request))
        except (GroupError, ConversionError) as exc:
            self.refuse("", c.TRADE_RETCODE_REJECT, f"group {self.group.name}: {exc}", request, c.RES_E_INVALID_PARAMS)
            return None
        group = self.group
        if group.guarded:
            refusal = group_refusal(group, self.guard_views, [(s.name, s.volume) for s in split.shares],
                                    replay_moment(self.members[group.members[0]].market.now))  # the live check
            if refusal is not None:  # as live: no child is sent
                self.refuse("", c.TRADE_RETCODE_REJECT, f"group {group.name}: {refusal}", request,
                            c.RES_E_INVALID_PARAMS)
                return None
        parent = self._new_parent(request)
        children = []
        for share in split.shares:
            child = {"account": share.name, "volume": share.volume, "order_id": None, "message": share.note}
            children.append(child)
            if share.volume <= 0:
                child["message"] = share.note or "no volume allocated"
                continue
            child["order_id"], child["message"] = self._send_child(parent, share.name,
                                                                   request._replace(volume=share.volume), fields)
        return self._summarise(parent, children, request, "placed")

    def _close_parent(self, request: TradeRequest) -> str | None:
        target = self.parents.get(int(request.position))
        if target is None or target.closes:
            self.refuse("", c.TRADE_RETCODE_REJECT, f"group {self.group.name}: position {request.position} is not a "
                        f"parent of this group backtest; close with the id send_order returned", request,
                        c.RES_E_INVALID_PARAMS)
            return None
        open_now = [(name, view) for parent, views in self.parent_positions() if parent is target
                    for name, view in views]
        if not open_now:
            self.refuse(str(target.ticket), c.TRADE_RETCODE_POSITION_CLOSED,
                        f"group {self.group.name}: position {target.ticket} is not open", request, c.RES_E_NOT_FOUND)
            return None
        shown = self.shown_volume(target, sum(float(view.volume) for _, view in open_now))
        fraction = float(request.volume) / shown if shown > 0 else 1.0
        whole = fraction >= 1 - 1e-9
        parent = self._new_parent(request, closes=target.ticket)
        fields = p.request_fields(request)
        children = []
        for name, view in open_now:
            volume = float(view.volume)
            if not whole:
                step = float(self.members[name].specs[view.symbol].volume_step)
                volume = round(math.floor(volume * fraction / step + 1e-9) * step, 8)
            child = {"account": name, "volume": volume, "order_id": None, "message": ""}
            children.append(child)
            if volume <= 0:
                child["message"] = "its share rounds to 0 lots: stays open"
                continue
            child_request = request._replace(position=int(view.ticket), volume=volume, symbol=view.symbol)
            child["order_id"], child["message"] = self._send_child(parent, name, child_request, fields)
        return self._summarise(parent, children, request, "sent to close")

    def _new_parent(self, request: Any, closes: int = 0) -> Parent:
        parent = Parent(self._next_parent, request, closes=closes)
        self._next_parent += 1
        self.parents[parent.ticket] = parent
        return parent

    def _send_child(self, parent: Parent, name: str, request: TradeRequest, fields: dict) -> tuple[int | None, str]:
        """Send one child on ``name``'s terminal: (its ticket or None, what happened)."""
        terminal = self.members[name]
        guards = self.guards.get(name)
        if guards is not None and guards.active:
            why = guards.refusal(self.guard_views[name], request._asdict(),  # type: ignore[arg-type]
                                 replay_moment(terminal.market.now))  # the member profile's live guards
            if why is not None:
                return None, self._child_refused(parent, name, c.TRADE_RETCODE_REJECT, why, request, fields)
        self._sending = (name, parent.ticket)  # the book tells its listener before order_send returns the ticket
        try:
            result = terminal.order_send(request)
        finally:
            self._sending = None
        if result is not None and result.retcode in ACCEPTED:
            parent.children[name] = int(result.order)
            self.child_of[(name, int(result.order))] = parent.ticket
            return int(result.order), "placed"
        retcode = result.retcode if result is not None else c.TRADE_RETCODE_ERROR
        return None, self._child_refused(parent, name, retcode, result.comment if result is not None
                                         else terminal.last_error()[1], request, fields)

    def _child_refused(self, parent: Parent, name: str, retcode: int, comment: str, request: TradeRequest,
                       fields: dict) -> str:
        """Tell the strategy ``name``'s child was rejected (``retcode``, the terminal's or a guard's ``comment``);
        the text of its status."""
        events = self.events
        text = f"{retcode_text(events.lang, retcode)} ({retcode}): {events.localize(comment)}"
        events.order_status("", retcode, text, {**fields, "volume": float(request.volume)}, c.ORDER_STATE_REJECTED,
                            {"account": name, "parent_order_id": str(parent.ticket)})
        return text

    def _summarise(self, parent: Parent, children: list[dict], request: Any, done: str) -> str | None:
        retcode, state, text, placed = children_summary(self.group.name, children, done, "account")
        if not placed:
            self.events.error(text)
        self.events.order_status(str(parent.ticket), retcode, text, request, state,
                                 {"group": self.group.name, "children": [dict(ch) for ch in children]})
        return str(parent.ticket) if placed else None

    def _stop_distance(self, request: TradeRequest) -> float:
        """The stop's distance in price (the ``risk`` method), from the order's price or the current one."""
        if self.group.allocation != "risk":
            return 0.0
        if not request.sl:
            raise GroupError(Text("grp_risk_needs_sl"))
        lead = self.members[self.group.members[0]]
        price = float(request.price or 0.0)
        if request.action == c.TRADE_ACTION_DEAL or not price:
            bid, ask = lead.market.bid_ask(request.symbol)
            price = ask if request.type == c.ORDER_TYPE_BUY else bid
        if not price:
            raise GroupError(Text("grp_no_price", symbol=request.symbol))
        digits = lead.specs[request.symbol].digits if request.symbol in lead.specs else 10
        return round(abs(price - float(request.sl)), digits)

    def request(self, request: dict, order_id: str, toggle: bool | None) -> bool:
        """Modify / cancel / SL-TP naming a parent: sent to each of its children still open (positions for an
        SL-TP, pending orders for a modify or cancel); True when every one of them was done."""
        if self.replaying and toggle is False:
            self.refuse_live_in_backtest(order_id, request)
            return False
        if not self.members:
            return super().request(request, order_id, toggle)
        action = request.get("action")
        key = "position" if action == c.TRADE_ACTION_SLTP else "order"
        parent = self.parents.get(int(request.get(key) or 0))
        if parent is None:
            self.refuse(order_id, c.TRADE_RETCODE_REJECT, f"group {self.group.name}: {request.get(key)} is not a "
                        f"parent id of this group backtest (use the id send_order returned)", request,
                        c.RES_E_INVALID_PARAMS)
            return False
        if action == c.TRADE_ACTION_SLTP:
            targets = list(parent.positions.items())
        else:
            targets = [(name, ticket) for name, ticket in parent.children.items()
                       if ticket in self.members[name].orders]
        if not targets:
            self.refuse(order_id, c.TRADE_RETCODE_REJECT, f"group {self.group.name}: parent {parent.ticket} has "
                        f"nothing open to change", request, c.RES_E_NOT_FOUND)
            return False
        done = True
        for name, ticket in targets:
            result = self.members[name].order_send({**request, key: ticket})
            if result is None or result.retcode != c.TRADE_RETCODE_DONE:
                done = False
                retcode = result.retcode if result is not None else c.TRADE_RETCODE_ERROR
                detail = self.events.localize(result.comment) if result is not None else ""
                self.refuse(str(ticket), retcode, f"{name}: {retcode_text(self.events.lang, retcode)} ({retcode}): "
                            f"{detail}", request)
        return done

    # ------------------------------------------------------------------ the members' events
    def child_update(self, member: str, order: SimOrder, retcode: int, message: str, request: Any) -> None:
        """A member's order changed: the child's status, then the parent's when it changes with it."""
        events = self.events
        as_dict = request._asdict() if request is not None else order_request(order)
        text = events.localize(message) if message else retcode_text(events.lang, retcode)
        ticket = self.child_of.get((member, order.ticket))
        if ticket is None and self._sending is not None and self._sending[0] == member:
            ticket = self._sending[1]
        extra: dict[str, Any] = {"account": member}
        if ticket is not None:
            extra["parent_order_id"] = str(ticket)
        events.order_status(str(order.ticket), retcode, text, as_dict, order.state, extra)
        parent = self.parents.get(ticket) if ticket is not None else None
        if parent is None:
            return
        if order.state == c.ORDER_STATE_FILLED and not parent.filled:
            parent.filled = True
            events.order_status(str(parent.ticket), retcode, text, as_dict, order.state,
                                {"group": self.group.name, "account": member})
        elif order.state in _DEAD:
            parent.dead.add(member)
            if not parent.filled and parent.dead >= set(parent.children):
                events.order_status(str(parent.ticket), retcode, text, as_dict, order.state,
                                    {"group": self.group.name, "account": member})

    def child_deal(self, member: str, deal: SimDeal, order: SimOrder) -> None:
        """A member's fill: reported once, in the parent's ids when it is the parent's first fill or its last
        close, else in the child's own tickets."""
        ticket = self.child_of.get((member, order.ticket))
        parent = self.parents.get(ticket) if ticket is not None else None
        holder = self.position_parent.get((member, int(deal.position_id)))
        extra: dict[str, Any] = {"account": member, "child_order_id": str(deal.order),
                                 "child_position_id": int(deal.position_id)}
        shown = deal
        if deal.entry == c.DEAL_ENTRY_IN and parent is not None and not parent.closes and holder is None:
            self.position_parent[(member, int(deal.position_id))] = parent.ticket
            parent.positions[member] = int(deal.position_id)
            parent.filled_lots[member] = float(deal.volume)
            extra["parent_order_id"] = str(parent.ticket)
            if len(parent.positions) == 1:  # the parent's first fill
                shown = _as_parent(deal, parent.ticket, parent.ticket)
        elif holder is not None:
            owner = self.parents[holder]
            extra["parent_order_id"] = str(parent.ticket if parent is not None else holder)
            if deal.entry != c.DEAL_ENTRY_IN and not self.members[member].has_position(int(deal.position_id)):
                owner.positions.pop(member, None)
                self.position_parent.pop((member, int(deal.position_id)), None)
                if not owner.positions:  # the parent's last open child is closed
                    shown = _as_parent(deal, parent.ticket if parent is not None else holder, holder)
        elif parent is not None:
            extra["parent_order_id"] = str(parent.ticket)
        self.events.execution(shown, order.type, extra)


def _as_parent(deal: SimDeal, order: int, position: int) -> SimDeal:
    """A copy of ``deal`` in the parent's ids."""
    shown = deal.copy()
    shown.order = order
    shown.position_id = position
    return shown


class GroupView:
    """What the strategy's calls read during (and after) a group backtest: the parent view of positions and
    pending orders; everything else is the lead's terminal."""

    def __init__(self, session: GroupBacktestSession) -> None:
        self._session = session
        self._lead = session.members[session.group.members[0]]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lead, name)

    def positions_get(self, symbol: str | None = None, group: str | None = None, ticket: int | None = None):
        """One position per parent: volume, profit and swap summed (profit and swap in the lead's currency)."""
        rows = []
        session = self._session
        for parent, views in session.parent_positions():
            first = views[0][1]
            if not _wanted(first.symbol, parent.ticket, symbol, group, ticket):
                continue
            volume = sum(float(v.volume) for _, v in views)
            rows.append(first._replace(
                ticket=parent.ticket, identifier=parent.ticket, volume=session.shown_volume(parent, volume),
                price_open=sum(float(v.price_open) * float(v.volume) for _, v in views) / volume,
                profit=round(sum(session.to_lead_currency(n, float(v.profit)) for n, v in views), 2),
                swap=round(sum(session.to_lead_currency(n, float(v.swap)) for n, v in views), 2)))
        return tuple(rows)

    def positions_total(self) -> int:
        """How many parents have an open child position."""
        return len(self._session.parent_positions())

    def has_position(self, ticket: int) -> bool:
        """Whether ``ticket`` is a parent with an open child position."""
        return self._session.is_open_position(ticket)

    def orders_get(self, symbol: str | None = None, group: str | None = None, ticket: int | None = None):
        """One pending order per parent, its volumes summed."""
        rows = []
        for parent, views in self._session.parent_orders():
            first = views[0][1]
            if not _wanted(first.symbol, parent.ticket, symbol, group, ticket):
                continue
            rows.append(first._replace(ticket=parent.ticket, volume_initial=parent.volume,
                                       volume_current=parent.volume))
        return tuple(rows)

    def orders_total(self) -> int:
        """How many parents have a pending child order."""
        return len(self._session.parent_orders())


def _wanted(symbol: str, ticket: int, want_symbol: str | None, group: str | None, want_ticket: int | None) -> bool:
    if want_ticket is not None and int(want_ticket) != ticket:
        return False
    if want_symbol is not None and want_symbol != symbol:
        return False
    if group is None:
        return True
    parts = [x.strip() for x in group.split(",") if x.strip()]
    if any(x.startswith("!") and fnmatch.fnmatchcase(symbol, x[1:]) for x in parts):
        return False
    return any(not x.startswith("!") and fnmatch.fnmatchcase(symbol, x) for x in parts)


def run_group_bars(run: GroupRun, tapes: list[SymbolTape], on_bar: Any, new_day: Any = None) -> None:
    """The group's clock: each bar (in time order across symbols) is settled on every member's book in member
    order (fills, SL/TP, swaps, stop-out: each book its own), each member's equity, balance and margin and the
    group's net lots per symbol are recorded, then ``on_bar(symbol, bar, is_end)`` sees the bar once. A book with
    nothing open is not settled (the bar cannot change it); every other bar is walked (the single-account
    clock's quiet-bar shortcut is an optimisation with the same outcome). ``new_day(ISO date)``, when given, is
    called before the first bar of each UTC day is settled (the accounts still at the previous bar's close)."""
    which, index = merged_order(tapes)
    which_list, index_list = which.tolist(), index.tolist()
    names = [t.spec.name for t in tapes]
    stamps = [to_datetimes(t.rates["time"]) for t in tapes]
    volumes = [t.rates["tick_volume"].tolist() for t in tapes]
    spreads = [t.rates["spread"].tolist() for t in tapes]
    real_volumes = [t.rates["real_volume"].tolist() for t in tapes]
    members = [(name, run.terminals[name], run.ledgers[name]) for name in run.members]
    lead = members[0][1]
    market = lead.market
    total = len(index_list)
    run.rates = {name: [1.0] * total for name in run.members}
    symbols = sorted({*names})
    run.exposure = {symbol: [0.0] * total for symbol in symbols}
    last = total - 1
    day = -1
    for _, terminal, _ in members:
        terminal.begin_replay()
    try:
        for j, (k, i) in enumerate(zip(which_list, index_list, strict=True)):
            tape = tapes[k]
            symbol = names[k]
            if new_day is not None and tape.times[i] // 86400 != day:
                day = tape.times[i] // 86400
                new_day(datetime.fromtimestamp(day * 86400, timezone.utc).date().isoformat())
            quote = market.quotes[symbol]
            # where a book with nothing open leaves the market after its bar (settle_bar does the same)
            market.now = tape.times[i] + tape.bar_seconds
            quote.index, quote.bid, quote.spread = i, tape.close[i], tape.spread_price[i]
            rates: dict[str, float] = {}
            for name, terminal, ledger in members:
                book = terminal.book
                if book.positions or book.orders:
                    settle_bar(book, symbol, i)
                bal = book.balance
                ledger.balance[j] = bal
                if book.positions:
                    ledger.equity[j] = book.equity()
                    ledger.margin[j] = book.margin_used()
                    for pos in book.positions.values():
                        if pos.symbol in run.exposure:
                            run.exposure[pos.symbol][j] += pos.volume if pos.is_buy else -pos.volume
                else:
                    ledger.equity[j] = bal
                currency = book.settings.currency
                if currency != run.currency:
                    if currency not in rates:
                        try:
                            rates[currency] = lead.converter.rate(currency, run.currency)
                        except ConversionError:
                            rates[currency] = math.nan
                    run.rates[name][j] = rates[currency]
            if on_bar is not None:
                on_bar(symbol, bar_dict(symbol, tape.timeframe, stamps[k][i], tape.open[i], tape.high[i], tape.low[i],
                                        tape.close[i], volumes[k][i], spreads[k][i], real_volumes[k][i]), j == last)
    finally:
        for _, terminal, _ in members:
            terminal.end_replay()
