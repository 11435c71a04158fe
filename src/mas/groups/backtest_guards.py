"""The risk guards of a group backtest: the live rules, run by the live code, over the simulated accounts.

A group backtest checks a new parent as a live group session does (:mod:`mas.groups.session`): the group's own
guards (``max_total_lots``, ``max_open_positions``, ``daily_loss_limit``: :func:`mas.groups.guards.group_refusal`)
once, over the split, before any child; then each child with a volume against its member profile's risk guards
(``max_lots``, ``max_positions``, ``daily_loss_limit``, ``trading_hours``: :meth:`mas.live.guards.RiskGuards.refusal`).
Both are the very functions the live session calls, handed a :class:`ReplayAccount` in place of a live terminal:

- the **clock** is the replay's: each check is given the replayed time (:func:`replay_moment`) as its ``now``,
  so ``trading_hours`` and the UTC day of ``daily_loss_limit`` are the replay's;
- the **day's starting equity** of each account is its equity at the close of the last bar before the UTC day's
  first bar (the deposit on the first day): :class:`ReplayJournal`, fed by the group's clock;
- **orders on their way**: a market order waits for the next bar's open on a simulated book; until it fills, an
  opening one counts as a pending order of its volume (live, it would already be a position), so two parents in
  one bar cannot both pass a limit that only one fits. A queued close is not counted, and the position it closes
  counts until it is closed at the next open. Nothing is reserved: a simulated order is on its book at once.

The profiles' guards apply to a **stored** group's members (``$MAS_HOME/brokers.toml``, read once when the
backtest starts); an ad-hoc group of accounts that are not a stored group has only the group guards it is given.
A refused parent is answered as live (no child is sent; retcode 10006 with the guard's reason); a refused child
gets its own rejected status (10006, the profile guard's reason) and the others go on.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from mas.groups.store import AccountGroup, GroupError, get_group

if TYPE_CHECKING:
    from mas.live.guards import RiskGuards
    from mas.sim.terminal import SimulatedTerminal

__all__ = ["ReplayAccount", "ReplayJournal", "profile_guards", "replay_moment"]

def replay_moment(epoch_seconds: int) -> datetime:
    """The replay's time ``epoch_seconds`` as the UTC moment the guards check against."""
    return datetime.fromtimestamp(int(epoch_seconds), timezone.utc)


class ReplayJournal:
    """What the guards read of an order journal, for one simulated account: the starting equity of each UTC day
    (ISO date) of the replay, and no reservations (a simulated order is on its book the moment it is sent)."""

    def __init__(self) -> None:
        self.starts: dict[str, float] = {}

    def note_day(self, day: str, equity: float) -> None:
        """The account starts ``day`` with ``equity`` (the group's clock calls this before the day's first bar)."""
        self.starts.setdefault(day, float(equity))

    def day_start_equity(self, account: int, server: str, day: str, equity_now: float | None = None) -> float | None:
        """The equity the account started ``day`` with (``equity_now`` when the day was not noted yet)."""
        if equity_now is not None:
            self.starts.setdefault(day, float(equity_now))
        return self.starts.get(day)

    def reservations(self, account: int, server: str) -> list:
        """No reservations in a replay."""
        return []

    def release(self, ids: list) -> None:
        """Nothing to release in a replay."""


class ReplayAccount:
    """A simulated member account as the guards see a live terminal: its ``account_info``, positions, orders
    (an opening market order waiting for the next open included, see the module) and history, its ``journal``
    (:class:`ReplayJournal`), ``account`` and ``server``."""

    def __init__(self, terminal: SimulatedTerminal, journal: ReplayJournal) -> None:
        self.terminal = terminal
        self.journal = journal
        self.account = int(terminal.settings.login)
        self.server = str(terminal.settings.server)

    def account_info(self) -> Any:
        """The account now."""
        return self.terminal.account_info()

    def positions_get(self, **where: Any) -> Any:
        """The open positions (MT5's filters)."""
        return self.terminal.positions_get(**where)

    def orders_get(self, symbol: str | None = None, ticket: int | None = None) -> Any:
        """The pending orders, then the opening market orders waiting for the next open (by symbol or ticket)."""
        pending = self.terminal.orders_get(symbol=symbol, ticket=ticket)
        waiting = tuple(o.view() for o in self.terminal.orders.values()
                        if o.is_market and not o.position_id and (symbol is None or o.symbol == symbol)
                        and (ticket is None or o.ticket == int(ticket)))
        return tuple(pending) + waiting

    def history_orders_get(self, *args: Any, **where: Any) -> Any:
        """The ended orders (MT5's filters)."""
        return self.terminal.history_orders_get(*args, **where)

    def last_error(self) -> tuple[int, str]:
        """The terminal's last error."""
        return self.terminal.last_error()


def profile_guards(group: AccountGroup) -> dict[str, RiskGuards]:
    """Each member's profile risk guards, for a stored group (same name and members in ``groups.toml``); none for
    an ad-hoc group. GroupError when ``brokers.toml`` cannot be read."""
    from mas.live.profiles import ProfileError, load_profiles

    try:
        stored = get_group(group.name)
    except GroupError:
        return {}
    if tuple(stored.members) != tuple(group.members):
        return {}
    try:
        profiles = load_profiles()
    except ProfileError as exc:
        raise GroupError(str(exc)) from None
    out = {}
    for member in group.members:
        profile = profiles.get(member)
        guards = profile.guards() if profile is not None else None
        if guards is not None:
            out[member] = guards
    return out
