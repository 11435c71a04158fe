"""Reading a group's accounts for an allocation: log in to each member, read its money and the symbol, log out.

Nothing here sends an order: :func:`dry_run` is what ``mas broker group allocate`` prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mas.groups.allocation import AccountSnapshot, AllocationError, Split, allocate, check_volume
from mas.groups.store import AccountGroup, GroupError, check_members, get_group
from mas.i18n.errors import Text, text_of
from mas.terminal import constants as c


class MemberError(GroupError):
    """One or more members could not be logged in to or read; ``problems`` maps member -> reason."""

    def __init__(self, group: str, problems: dict[str, str]) -> None:
        self.problems = problems
        detail = Text.lines((Text("grp_member_problem", member=m, why=why) for m, why in problems.items()), "; ")
        super().__init__(Text("grp_members_unreadable", name=group, count=len(problems), detail=detail))


def open_member(profile: str, password: str | None = None) -> Any:
    """A logged-in :class:`~mas.live.terminal.LiveTerminal` of the broker profile ``profile`` (its guards
    included). Raises ProfileError / LoginError (never naming the password)."""
    from mas.live.connect import connect_terminal
    from mas.live.profiles import apply_profile

    params = apply_profile({"profile": profile, "password": password})
    return connect_terminal(params, int(params.get("account", 0)))


def read_snapshot(group: AccountGroup, member: str, terminal: Any, symbol: str) -> AccountSnapshot:
    """``member``'s view for the allocation; GroupError when its terminal does not answer or lacks ``symbol``."""
    info = terminal.account_info()
    if info is None:
        raise GroupError(Text("grp_no_account_info", error=_error(terminal)))
    spec = terminal.symbol_info(symbol)
    if spec is None:
        raise GroupError(Text("grp_symbol_not_offered", symbol=symbol, error=_error(terminal)))
    try:
        return group.snapshot(member, info, spec)
    except AllocationError as exc:
        raise GroupError(str(exc)) from None


def _error(terminal: Any) -> str:
    try:
        code, text = terminal.last_error()
        return f"{code}: {text}"
    except Exception:  # noqa: BLE001 - a broken terminal cannot say why
        return "no answer"


@dataclass(frozen=True)
class DryRun:
    """What ``mas broker group allocate`` found: each member's account and the split of the volume."""

    group: AccountGroup
    symbol: str
    split: Split
    snapshots: tuple[AccountSnapshot, ...]

    def lines(self) -> list[str]:
        """The dry run as printed: the request, each member's money and volume limits, the split's table."""
        head = [f"group {self.group.name}: {self.symbol} {self.split.requested:g} lots by {self.group.allocation} "
                f"(min-lot rule {self.group.min_lot_rule}); nothing is sent"]
        money = [f"  {s.name}: balance={s.balance:g} equity={s.equity:g} free_margin={s.free_margin:g} "
                 f"step={s.volume_step:g} min={s.volume_min:g} max={s.volume_max:g} tick_value={s.tick_value:g}"
                 for s in self.snapshots]
        return head + money + self.split.lines()


def split_for(group: AccountGroup, snapshots: list[AccountSnapshot], volume: float,
              stop_distance: float = 0.0) -> Split:
    """The group's split of ``volume`` over ``snapshots`` by its own method and rules."""
    try:
        return allocate(group.allocation, volume, snapshots, min_lot_rule=group.min_lot_rule,
                        risk_percent=group.risk_percent, stop_distance=stop_distance)
    except AllocationError as exc:
        raise GroupError(Text("grp_error", name=group.name, error=text_of(exc))) from None


def dry_run(name: str, volume: float, symbol: str = "EURUSD", stop_distance: float = 0.0,
            opener: Callable[[str], Any] = open_member) -> DryRun:
    """Log in to every member of group ``name`` (with ``opener``), read balance, equity, free margin and the
    symbol's volume limits and tick value, log out, and split ``volume``. Sends nothing.

    Raises GroupError for an unknown group or member and :class:`MemberError` naming every member that could
    not be read."""
    from mas.live.profiles import ProfileError, load_profiles

    group = get_group(name)
    try:
        check_volume(group.allocation, volume)  # before logging in to anyone
        check_members(group, load_profiles())
    except AllocationError as exc:
        raise GroupError(Text("grp_error", name=group.name, error=text_of(exc))) from None
    except ProfileError as exc:
        raise GroupError(str(exc)) from None
    snapshots, problems = [], {}
    for member in group.members:
        terminal = None
        try:
            terminal = opener(member)
            snapshots.append(read_snapshot(group, member, terminal, symbol.upper()))
        except Exception as exc:  # noqa: BLE001 - LoginError, ProfileError, GroupError: reported per member
            problems[member] = text_of(exc) or type(exc).__name__
        finally:
            if terminal is not None:
                terminal.shutdown()
    if problems:
        raise MemberError(name, problems)
    return DryRun(group, symbol.upper(), split_for(group, snapshots, volume, stop_distance), tuple(snapshots))


def children_summary(group: str, children: list[dict], done: str, label: str) -> tuple[int, int, str, bool]:
    """``(retcode, state, text, any placed)`` of a parent order (or an action on one) from its children: 10009 when
    every child with a volume was ``done``, 10010 when some were, 10006 when none was; the text lists each child by
    its ``label`` field (the member's profile live, the account's name in a group backtest)."""
    wanted = [ch for ch in children if ch["volume"] > 0]
    placed = [ch for ch in wanted if ch["order_id"]]
    if wanted and len(placed) == len(wanted):
        retcode, state = c.TRADE_RETCODE_DONE, c.ORDER_STATE_PLACED
    elif placed:
        retcode, state = c.TRADE_RETCODE_DONE_PARTIAL, c.ORDER_STATE_PLACED
    else:
        retcode, state = c.TRADE_RETCODE_REJECT, c.ORDER_STATE_REJECTED
    text = (f"group {group}: {len(placed)} of {len(wanted)} child orders {done} ("
            + ", ".join(f"{ch[label]} {ch['volume']:g}: {ch['order_id'] or ch['message']}" for ch in children) + ")")
    return retcode, state, text, bool(placed)
