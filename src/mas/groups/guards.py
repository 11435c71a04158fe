"""The group's own risk guards, on top of each member profile's: checked once per new parent, before any child.

Set in ``$MAS_HOME/groups.toml`` (all optional, 0 = no limit)::

    max_total_lots = 5.0        # lots open across the members (positions + pending orders) plus the new parent's
    max_open_positions = 20     # positions + pending orders across the members plus the new parent's children
    daily_loss_limit = 1000.0   # the members' summed loss since the UTC day's start (account currencies, summed)

Rules:

- Only a new parent is checked (one whose split is not written yet): a parent that is refused writes no split
  and sends nothing; a parent admitted once is never refused again, so a resend after a crash places the
  children the crash left out even though its first children now count towards the limits.
- Closes, partial closes, modifies and cancels of a parent are never refused (a trader can always get out).
- The daily loss uses each member's starting equity of the UTC day as the per-account guard does (written once to
  the order journal, shared by every process): ``sum(start - equity) >= daily_loss_limit`` refuses.
- A member whose positions, orders or account cannot be read refuses the parent (the limits cannot be checked).
- Concurrent parents of a guarded group (threads or processes) are checked and sent one at a time
  (:func:`guard_lock`), so two parents cannot both pass a limit that only one of them fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

from mas.groups.store import AccountGroup
from mas.i18n.errors import Text

_EPSILON = 1e-9


def group_refusal(group: AccountGroup, terminals: Mapping[str, Any], shares: list[tuple[str, float]],
                  now: datetime | None = None) -> str | None:
    """Why the group's guards refuse a new parent split as ``shares`` over the members' ``terminals`` at ``now``
    (UTC; the machine's clock when None: a replay passes its own time), or None."""
    if not group.guarded:
        return None
    lots, count, loss = 0.0, 0, 0.0
    for name, terminal in terminals.items():
        positions, orders = terminal.positions_get(), terminal.orders_get()
        if positions is None or orders is None:
            return Text("gguard_positions_unread", name=name, error=_error(terminal))
        lots += sum(float(x.volume) for x in positions) + sum(float(x.volume_current) for x in orders)
        count += len(positions) + len(orders)
        if group.daily_loss_limit:
            why = _add_loss(terminal, name, now)
            if isinstance(why, str):
                return why
            loss += why
    new_lots = sum(volume for _, volume in shares)
    new_count = sum(1 for _, volume in shares if volume > 0)
    if group.max_total_lots and lots + new_lots > group.max_total_lots + _EPSILON:
        return Text("gguard_max_total_lots", group=group.name, lots=lots, new_lots=new_lots,
                    limit=group.max_total_lots)
    if group.max_open_positions and count + new_count > group.max_open_positions:
        return Text("gguard_max_open_positions", group=group.name, count=count, new_count=new_count,
                    limit=group.max_open_positions)
    if group.daily_loss_limit and loss >= group.daily_loss_limit:
        return Text("gguard_daily_loss", group=group.name, loss=loss, limit=group.daily_loss_limit)
    return None


def guard_lock(group: AccountGroup) -> AbstractContextManager[Any]:
    """Held while a new parent of ``group`` is checked and its children sent (a file lock shared by every process;
    nothing when the group sets no guard). Raises ``mas.data.locking.StoreLockedError`` after 60 s of waiting."""
    if not group.guarded:
        return nullcontext()
    from mas.data.locking import locked
    from mas.data.store import mas_home

    return locked(mas_home() / f"group_guard_{group.name}", timeout=60)


def note_day_start(group: AccountGroup, terminals: Mapping[str, Any]) -> None:
    """Record each member's starting equity of the UTC day (once per day, shared): called at the group's login."""
    if group.daily_loss_limit:
        for name, terminal in terminals.items():
            _add_loss(terminal, name)


def _add_loss(terminal: Any, name: str, now: datetime | None = None) -> float | str:
    """``name``'s loss since the start of the UTC day of ``now`` (the machine's clock when None; the start recorded
    now when none is), or why it cannot be read."""
    from mas.live.guards import utc_now

    info = terminal.account_info()
    journal = getattr(terminal, "journal", None)
    if info is None or journal is None:
        return Text("gguard_equity_unread", name=name, error=_error(terminal))
    start = journal.day_start_equity(terminal.account, terminal.server, (now or utc_now()).date().isoformat(),
                                     float(info.equity))
    return float(start) - float(info.equity)


def _error(terminal: Any) -> str:
    try:
        return str(terminal.last_error()[1])
    except Exception:  # noqa: BLE001 - a broken terminal cannot say why
        return "no answer"
