"""Per-profile risk guards: limits that refuse a live ``send_order`` before anything is sent.

Set in the broker profile (``$MAS_HOME/brokers.toml``, or ``mas broker add``), all optional::

    max_lots = 1.0                        # lots per order
    max_positions = 3                     # open positions + pending orders on the account
    daily_loss_limit = 500.0              # account currency, from the UTC day's starting equity
    trading_hours = "Mon-Fri 07:00-20:00" # UTC

Rules:

- Only orders that open or add exposure are guarded. An order that closes or reduces a position
  (a market order with ``position``/``order_id`` on the opposite side for at most the position's
  volume, a close-by, or on a netting account an opposite order no larger than the net position)
  is never refused, so a trader can always get out. ``modify_order``, ``cancel_order`` and
  ``modify_position_sltp`` add no exposure and are not guarded.
- ``max_positions`` counts open positions plus pending orders (each may become a position while
  nobody watches); on a netting account it counts symbols, and an order on a symbol that already
  has one adds nothing.
- ``daily_loss_limit``: the day is the UTC calendar day of this machine's clock (not the trade
  server's time, which is UTC+2/+3 on most brokers and the replayed date on ``mas sim serve``).
  Its starting equity is the account equity first seen by MAS on that day, written once to the
  journal and shared by every process: the deal poller records it at login and at each UTC
  midnight while logged in. New exposure is refused once ``start - equity >= limit``.
- ``trading_hours``: UTC windows, ``;``-separated, each ``[DAYS ]HH:MM-HH:MM``. DAYS is a
  comma list of days or day ranges (``Mon``..``Sun``, any case; ranges wrap, ``Sun-Thu``), all
  days when left out. Start inclusive, end exclusive, ``24:00`` allowed as an end; an end at or
  before the start runs past midnight into the next day (``Sun 22:00-06:00`` = Sunday 22:00 to
  Monday 06:00). Examples: ``"Mon-Fri 07:00-20:00"``, ``"Mon-Thu 00:00-24:00; Fri 00:00-21:00"``.
- A guard that cannot read what it needs from the terminal (disconnected) refuses.
- Concurrent orders: with ``max_positions`` set, an opening order is checked and its exposure
  reserved in one step, under a file lock shared by every thread and process of the account
  (:meth:`RiskGuards.admit`). Until the server shows the order (as a pending order or a
  position) its reservation counts as one more; it is released when the order is rejected or
  fails, when the server shows it, when it already ended, when the process that sent it is gone,
  or, for an outcome that stays unknown, after ``RESERVATION_TTL_S``.

A refusal is journaled (state ``refused``) and answered like a broker rejection: retcode 10006
(``TRADE_RETCODE_REJECT``) with a message naming the guard, the profile and the limit.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

import filelock

from mas.i18n.errors import Text
from mas.live import journal as j
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.live.terminal import LiveTerminal

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MINUTES_PER_DAY = 24 * 60
_MINUTES_PER_WEEK = 7 * _MINUTES_PER_DAY
_WINDOW = re.compile(r"^(?:(?P<days>[A-Za-z][A-Za-z,\- ]*?)\s+)?(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$")
_VOLUME_EPSILON = 1e-9
RESERVATION_TTL_S = 300.0
"""A reservation whose order's outcome stays unknown (never seen on the server) stops counting after this."""


def utc_now() -> datetime:
    """The guards' clock: this machine's time in UTC (tests replace it)."""
    return datetime.now(timezone.utc)


class GuardSpecError(ValueError):
    """A malformed guard setting (the message says which and why)."""


# ---------------------------------------------------------------------- trading hours
def _day_index(name: str, text: str) -> int:
    key = name.strip().lower()
    if key not in DAY_NAMES:
        raise GuardSpecError(Text("guard_not_a_day", text=text, name=name.strip()))
    return DAY_NAMES.index(key)


def _days(spec: str | None, text: str) -> list[int]:
    if spec is None:
        return list(range(7))
    days: list[int] = []
    for part in spec.split(","):
        first, dash, last = part.partition("-")
        start = _day_index(first, text)
        end = _day_index(last, text) if dash else start
        days.extend((start + k) % 7 for k in range((end - start) % 7 + 1))
    return days


def _minute(clock: str, text: str, *, is_end: bool) -> int:
    hours, minutes = (int(x) for x in clock.split(":"))
    limit_hours = 24 if is_end else 23
    if hours > limit_hours or minutes > 59 or (hours == 24 and minutes):
        raise GuardSpecError(Text("guard_not_a_time", text=text, clock=clock))
    return hours * 60 + minutes


@dataclass(frozen=True)
class TradingHours:
    """UTC trading windows (see the module docstring for the syntax)."""

    text: str
    spans: tuple[tuple[int, int], ...]
    """Minutes of the week (Monday 00:00 UTC = 0), start inclusive, end exclusive, none crossing the week's end."""

    @classmethod
    def parse(cls, text: str) -> TradingHours:
        """Read ``text`` such as "Mon-Fri 07:00-20:00; Sun 22:00-24:00" (UTC windows); GuardSpecError naming what cannot
        be read."""
        spans: list[tuple[int, int]] = []
        windows = [w.strip() for w in str(text).split(";")]
        if not any(windows):
            raise GuardSpecError(Text("guard_hours_empty"))
        for window in windows:
            match = _WINDOW.match(window)
            if match is None:
                raise GuardSpecError(Text("guard_window_unreadable", text=text, window=window))
            start = _minute(match["start"], text, is_end=False)
            end = _minute(match["end"], text, is_end=True)
            if start == end:
                raise GuardSpecError(Text("guard_window_empty", text=text, window=window))
            length = end - start if end > start else end + _MINUTES_PER_DAY - start
            for day in _days(match["days"], text):
                begin = day * _MINUTES_PER_DAY + start
                finish = begin + length
                if finish <= _MINUTES_PER_WEEK:
                    spans.append((begin, finish))
                else:  # Sunday into Monday
                    spans += [(begin, _MINUTES_PER_WEEK), (0, finish - _MINUTES_PER_WEEK)]
        return cls(str(text).strip(), tuple(sorted(spans)))

    def allows(self, moment: datetime) -> bool:
        """Whether ``moment`` (aware, or naive UTC) is inside a window."""
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc)
        minute = moment.weekday() * _MINUTES_PER_DAY + moment.hour * 60 + moment.minute
        return any(start <= minute < end for start, end in self.spans)

    def __str__(self) -> str:
        return self.text


# ---------------------------------------------------------------------- closing or opening
def _is_netting(terminal: Any) -> bool | None:
    info = terminal.account_info()
    return None if info is None else int(info.margin_mode) != c.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING


def closes_position(terminal: Any, request: dict) -> bool:
    """Whether ``request`` only closes or reduces an open position (never guarded)."""
    action = int(request.get("action", 0))
    if action == c.TRADE_ACTION_CLOSE_BY:
        return True
    if action != c.TRADE_ACTION_DEAL or int(request.get("type", -1)) not in (c.ORDER_TYPE_BUY, c.ORDER_TYPE_SELL):
        return False
    ticket = request.get("position")
    if ticket:
        found = terminal.positions_get(ticket=int(ticket))
    elif _is_netting(terminal):
        found = terminal.positions_get(symbol=str(request["symbol"]))
    else:
        return False
    if not found:
        return False
    position = found[0]
    opposite = c.POSITION_TYPE_SELL if int(request["type"]) == c.ORDER_TYPE_BUY else c.POSITION_TYPE_BUY
    return int(position.type) == opposite and float(request["volume"]) <= float(position.volume) + _VOLUME_EPSILON


# ---------------------------------------------------------------------- reservations
def _book_and_unseen_reservations(terminal: LiveTerminal) -> tuple[Any, Any, list[j.Reservation]]:
    """The account's positions, pending orders and the reservations whose order the server does not show
    yet (call under the exposure lock). The others are released: shown as a position or pending order
    (by ticket or by the tag in its comment), already ended in the history, sent by a process that is
    gone, or unknown for too long.

    The history is read first and the positions after it: an order that ended (filled) by the time the
    history was read then shows as a position if it is still open, so releasing its reservation never
    lets an open position go uncounted (read the other way round, a fill between the two reads was
    counted by neither)."""
    journal = terminal.journal
    held_all = journal.reservations(terminal.account, terminal.server)
    ended = {held.id for held in held_all
             if held.order_ticket and terminal.history_orders_get(ticket=held.order_ticket)}
    positions, orders = terminal.positions_get(), terminal.orders_get()
    if positions is None or orders is None:
        return positions, orders, held_all
    shown = {int(x.ticket) for x in (*positions, *orders)} | {int(p.identifier) for p in positions}
    comments = [str(x.comment) for x in (*positions, *orders)]
    now = time.time()
    unseen, done = [], []
    for held in held_all:
        if held.order_ticket in shown or any(text.startswith(held.tag) for text in comments):
            done.append(held.id)
        elif held.id in ended:
            done.append(held.id)  # filled (its position, if still open, is in the positions read after) or ended
        elif not j.owner_alive(held.owner) or now - held.created > RESERVATION_TTL_S:
            done.append(held.id)
        else:
            unseen.append(held)
    journal.release(done)
    return positions, orders, unseen


# ---------------------------------------------------------------------- the guards
@dataclass
class RiskGuards:
    """The risk limits of one broker profile; 0 / None means no limit."""

    max_lots: float = 0.0
    max_positions: int = 0
    daily_loss_limit: float = 0.0
    trading_hours: TradingHours | None = None
    profile: str = ""
    _noted_day: date | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("max_lots", "daily_loss_limit"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise GuardSpecError(Text("guard_limit_number", name=name, value=value))
            setattr(self, name, float(value))
        if isinstance(self.max_positions, bool) or not isinstance(self.max_positions, int) or self.max_positions < 0:
            raise GuardSpecError(Text("guard_max_positions", value=self.max_positions))

    @property
    def active(self) -> bool:
        """Whether any guard is set (a limit of 0 or no trading hours means that guard is off)."""
        return bool(self.max_lots or self.max_positions or self.daily_loss_limit or self.trading_hours)

    def describe(self) -> str:
        """The limits in one line, e.g. ``max_lots=1 max_positions=3 trading_hours="Mon-Fri 07:00-20:00" UTC``."""
        parts = []
        if self.max_lots:
            parts.append(f"max_lots={self.max_lots:g}")
        if self.max_positions:
            parts.append(f"max_positions={self.max_positions}")
        if self.daily_loss_limit:
            parts.append(f"daily_loss_limit={self.daily_loss_limit:g}")
        if self.trading_hours is not None:
            parts.append(f'trading_hours="{self.trading_hours}" UTC')
        return " ".join(parts) or "none"

    def _name(self, guard: str) -> Text:
        return Text("refusal_name_profile", guard=guard, profile=self.profile) if self.profile else \
            Text("refusal_name", guard=guard)

    def refusal(self, terminal: LiveTerminal, request: dict, now: datetime | None = None) -> str | None:
        """Why ``request`` must not be sent at ``now`` (UTC; the machine's clock when None: a replay passes its
        own time), or None when it may be (always None for a close). Reserves nothing: a sender uses :meth:`admit`."""
        if not self.active or closes_position(terminal, request):
            return None
        return self._refusal(terminal, request, now)

    def admit(self, terminal: LiveTerminal, request: dict, tag: str) -> tuple[str | None, int | None]:
        """Check ``request`` and, with ``max_positions`` set, reserve its exposure in the same step, atomically
        across the threads and processes of the account: ``(why, None)`` when refused, else ``(None,
        reservation)`` (None when nothing was reserved); the sender settles the reservation (:meth:`settle`)."""
        if not self.active or closes_position(terminal, request):
            return None, None
        if not self.max_positions:
            return self._refusal(terminal, request), None
        journal = terminal.journal
        try:
            with journal.exposure_lock(terminal.account, terminal.server):
                why = self._refusal(terminal, request)
                if why is not None:
                    return why, None
                return None, journal.reserve(terminal.account, terminal.server, tag, str(request.get("symbol", "")))
        except filelock.Timeout:
            return Text("refusal_exposure_locked", guard=self._name("max_positions"),
                        seconds=j.EXPOSURE_LOCK_TIMEOUT_S), None

    @staticmethod
    def settle(terminal: LiveTerminal, reservation: int | None, order_ticket: int | None) -> None:
        """After the send: ``order_ticket`` when the server accepted the order (its reservation then lasts until
        the server shows it), None when no order was made (released now)."""
        if reservation is None:
            return
        if order_ticket:
            terminal.journal.set_reservation_order(reservation, int(order_ticket))
        else:
            terminal.journal.release([reservation])

    def _refusal(self, terminal: LiveTerminal, request: dict, now: datetime | None = None) -> str | None:
        now = now or utc_now()
        volume = float(request.get("volume", 0.0))
        if self.trading_hours is not None and not self.trading_hours.allows(now):
            return Text("refusal_outside_hours", guard=self._name("trading_hours"), now=f"{now:%a %H:%M}",
                        hours=str(self.trading_hours))
        if self.max_lots and volume > self.max_lots + _VOLUME_EPSILON:
            return Text("refusal_max_lots", guard=self._name("max_lots"), volume=volume, limit=self.max_lots)
        if self.daily_loss_limit:
            why = self._daily_loss_refusal(terminal, now)
            if why is not None:
                return why
        if self.max_positions:
            return self._positions_refusal(terminal, request)
        return None

    def _daily_loss_refusal(self, terminal: LiveTerminal, now: datetime) -> str | None:
        info = terminal.account_info()
        if info is None:
            return Text("refusal_equity_unread", guard=self._name("daily_loss_limit"), why=terminal.last_error()[1])
        day = now.date()
        start = terminal.journal.day_start_equity(terminal.account, terminal.server, day.isoformat(),
                                                  float(info.equity))
        loss = start - float(info.equity)
        if loss < self.daily_loss_limit:
            return None
        return Text("refusal_daily_loss", guard=self._name("daily_loss_limit"), loss=loss, currency=info.currency,
                    equity=float(info.equity), start=start, day=str(day), limit=self.daily_loss_limit)

    def _positions_refusal(self, terminal: LiveTerminal, request: dict) -> str | None:
        netting = _is_netting(terminal)
        positions, orders, held = _book_and_unseen_reservations(terminal) if netting is not None else (None, None, [])
        if positions is None or orders is None or netting is None:
            return Text("refusal_positions_unread", guard=self._name("max_positions"), why=terminal.last_error()[1])
        sending = Text("refusal_on_their_way", count=len(held)) if held else ""
        if netting:
            symbols = {p.symbol for p in positions} | {o.symbol for o in orders} | {r.symbol for r in held}
            if str(request.get("symbol")) in symbols or len(symbols) < self.max_positions:
                return None
            count, what = len(symbols), Text("refusal_what_symbols")
        else:
            count, what = len(positions) + len(orders) + len(held), Text("refusal_what_positions")
            if count < self.max_positions:
                return None
        return Text("refusal_max_positions", guard=self._name("max_positions"), count=count, what=what, sending=sending,
                    limit=self.max_positions)

    def note_day_start(self, terminal: LiveTerminal) -> None:
        """Record the UTC day's starting equity once per day (the deal poller calls this each poll)."""
        if not self.daily_loss_limit:
            return
        day = utc_now().date()
        if day == self._noted_day:
            return
        info = terminal.account_info()
        if info is None:
            return
        terminal.journal.day_start_equity(terminal.account, terminal.server, day.isoformat(), float(info.equity))
        self._noted_day = day
