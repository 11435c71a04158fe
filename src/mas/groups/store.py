"""Account groups: ``$MAS_HOME/groups.toml``, one table per group, next to the broker profiles.

```toml
[desk]
members = ["alice", "bob", "carol"]   # broker profile names (brokers.toml), in this order
allocation = "equity"                 # see mas.groups.allocation.METHODS
min_lot_rule = "raise"                # or "skip"
risk_percent = 1.0                    # the "risk" method: percent of equity lost at the stop
max_lots = { alice = 2.0 }            # per-account limits (lots per order)
multipliers = { bob = 0.5 }           # the "multiplier" method (default 1)
fixed_lots = { carol = 0.1 }          # the "fixed" method (default: the order's volume)
max_total_lots = 5.0                  # group guards (mas.groups.guards): open lots across the members,
max_open_positions = 20               #   positions + pending orders across the members,
daily_loss_limit = 1000.0             #   the members' summed loss since the UTC day's start
deposits = { alice = 10000.0, bob = 50000.0 }   # group backtests (mas broker group backtest): each member's
leverages = { alice = 100, bob = 500 }          #   simulated deposit, leverage (1:N) and account currency
currencies = { carol = "EUR" }                  #   (defaults: --capital, --leverage, --currency)
```

The file is read and written under a file lock (``.groups.toml.lock``) and replaced atomically, so two
processes adding groups at once both keep theirs. A group holds no password: each member's comes from its
profile (``MAS_PASSWORD_<PROFILE>`` or the OS keyring).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mas.data.atomic import write_bytes_atomically
from mas.data.locking import locked
from mas.data.store import mas_home
from mas.data.toml_text import toml_key, toml_value
from mas.groups.allocation import METHODS, MIN_LOT_RULES, AccountSnapshot, AllocationError, exact
from mas.i18n.errors import Text, text_of

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_KEYS = frozenset({"members", "allocation", "min_lot_rule", "risk_percent", "max_lots", "multipliers", "fixed_lots"})
_PER_ACCOUNT = ("max_lots", "multipliers", "fixed_lots")
GROUP_GUARDS = ("max_total_lots", "max_open_positions", "daily_loss_limit")
"""The group's own risk guards (mas.groups.guards), checked before any child of a new parent is sent."""
_KEYS = _KEYS | frozenset(GROUP_GUARDS)
BACKTEST_ACCOUNTS = ("deposits", "leverages", "currencies")
"""Each member's simulated account in a group backtest (mas.groups.backtest): deposit, leverage, currency."""
_KEYS = _KEYS | frozenset(BACKTEST_ACCOUNTS)


class GroupError(ValueError):
    """A missing, malformed or unusable account group."""


@dataclass(frozen=True)
class AccountGroup:
    """A named group of broker profiles with its allocation method and per-account settings."""

    name: str
    members: tuple[str, ...]
    allocation: str = "equity"
    min_lot_rule: str = "raise"
    risk_percent: float = 0.0
    max_lots: dict[str, float] = field(default_factory=dict)
    multipliers: dict[str, float] = field(default_factory=dict)
    fixed_lots: dict[str, float] = field(default_factory=dict)
    max_total_lots: float = 0.0
    """Group guard: the members' open lots (positions and pending orders) plus a new parent's, at most (0: none)."""
    max_open_positions: int = 0
    """Group guard: the members' open positions and pending orders plus a new parent's children, at most (0: none)."""
    daily_loss_limit: float = 0.0
    """Group guard: no new parent once the members' summed loss since the UTC day's start reaches this (0: none)."""
    deposits: dict[str, float] = field(default_factory=dict)
    """Group backtests: a member's simulated deposit (default: the run's capital)."""
    leverages: dict[str, int] = field(default_factory=dict)
    """Group backtests: a member's simulated leverage, 1:N (default: the run's)."""
    currencies: dict[str, str] = field(default_factory=dict)
    """Group backtests: a member's simulated account currency (default: the run's)."""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise GroupError(Text("grp_name_invalid", name=self.name))
        if not self.members:
            raise GroupError(Text("grp_no_members", name=self.name))
        twice = sorted({m for m in self.members if self.members.count(m) > 1})
        if twice:
            raise GroupError(Text("grp_member_twice", name=self.name, members=", ".join(twice)))
        if self.allocation not in METHODS:
            from mas.choices import suggest

            raise GroupError(Text("grp_allocation_unknown", name=self.name, allocation=self.allocation,
                                  hint=suggest(self.allocation, METHODS)))
        if self.min_lot_rule not in MIN_LOT_RULES:
            raise GroupError(Text("grp_min_lot_rule", name=self.name, value=self.min_lot_rule))
        try:
            percent = exact(self.risk_percent, "risk_percent")
        except AllocationError as exc:
            raise GroupError(Text("grp_error", name=self.name, error=text_of(exc))) from None
        if self.allocation == "risk" and not 0 < percent <= 100:
            raise GroupError(Text("grp_risk_percent", name=self.name))
        for key in _PER_ACCOUNT:
            for member, value in getattr(self, key).items():
                if member not in self.members:
                    from mas.choices import suggest

                    raise GroupError(Text("grp_not_member", name=self.name, key=key, member=member,
                                          hint=suggest(member, self.members)))
                try:
                    if exact(value, f"{key}.{member}") < 0:
                        raise GroupError(Text("grp_member_negative", name=self.name, key=key, member=member))
                except AllocationError as exc:
                    raise GroupError(Text("grp_error", name=self.name, error=text_of(exc))) from None
        for key in GROUP_GUARDS:
            value = getattr(self, key)
            whole = key == "max_open_positions"
            if (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf")
                    or (whole and value != int(value))):
                kind = "grp_limit_whole" if whole else "grp_limit_number"
                raise GroupError(Text(kind, name=self.name, key=key, value=value))
        self._check_backtest_accounts()

    @property
    def guarded(self) -> bool:
        """Whether any of the group's own guards (:data:`GROUP_GUARDS`) is set."""
        return any(getattr(self, key) for key in GROUP_GUARDS)

    def _check_backtest_accounts(self) -> None:
        """``deposits`` above 0, ``leverages`` whole numbers >= 1, ``currencies`` 3-letter codes, all of members."""
        for key in BACKTEST_ACCOUNTS:
            for member, value in getattr(self, key).items():
                if member not in self.members:
                    from mas.choices import suggest

                    raise GroupError(Text("grp_not_member", name=self.name, key=key, member=member,
                                          hint=suggest(member, self.members)))
                if key == "currencies":
                    good = isinstance(value, str) and len(value) == 3 and value.isalpha()
                    want = Text("grp_want_currency")
                elif key == "leverages":
                    good = not isinstance(value, bool) and isinstance(value, (int, float)) and value >= 1 \
                        and value == int(value)
                    want = Text("grp_want_leverage")
                else:
                    good = not isinstance(value, bool) and isinstance(value, (int, float)) and 0 < value < float("inf")
                    want = Text("grp_want_deposit")
                if not good:
                    raise GroupError(Text("grp_member_value", name=self.name, key=key, member=member, want=want,
                                          value=value))

    def snapshot(self, member: str, account_info: Any, symbol_info: Any) -> AccountSnapshot:
        """The allocation's view of ``member`` from its terminal's ``account_info()`` and ``symbol_info()``. The tick
        value is ``trade_tick_value_loss`` (MT5: one tick's money on one lot, in the account currency, for a losing
        position, which is what the stop costs), else ``trade_tick_value`` when a terminal leaves it 0."""
        loss = float(getattr(symbol_info, "trade_tick_value_loss", 0.0) or 0.0)
        return AccountSnapshot(
            name=member, balance=float(account_info.balance), equity=float(account_info.equity),
            free_margin=float(account_info.margin_free), volume_min=float(symbol_info.volume_min),
            volume_max=float(symbol_info.volume_max), volume_step=float(symbol_info.volume_step),
            tick_value=loss if loss > 0 else float(symbol_info.trade_tick_value),
            tick_size=float(symbol_info.trade_tick_size),
            max_lots=float(self.max_lots.get(member, 0.0)), multiplier=float(self.multipliers.get(member, 1.0)),
            fixed_lots=float(self.fixed_lots.get(member, 0.0)))

    def describe(self) -> str:
        """One line: the members, the allocation, and every per-account and group setting that is set."""
        extra = [f"{key}: " + ", ".join(f"{m}={v:g}" for m, v in getattr(self, key).items())
                 for key in _PER_ACCOUNT if getattr(self, key)]
        if self.allocation == "risk":
            extra.insert(0, f"risk {self.risk_percent:g}% of equity")
        extra += [f"{key}={getattr(self, key):g}" for key in GROUP_GUARDS if getattr(self, key)]
        extra += [f"backtest {key}: " + ", ".join(f"{m}={v}" for m, v in getattr(self, key).items())
                  for key in BACKTEST_ACCOUNTS if getattr(self, key)]
        return (f"{self.name}: {', '.join(self.members)} allocation={self.allocation} "
                f"min-lot={self.min_lot_rule}" + ("".join(f"; {e}" for e in extra)))


def groups_path() -> Path:
    """``$MAS_HOME/groups.toml``."""
    return mas_home() / "groups.toml"


def _parse(path: Path) -> dict[str, AccountGroup]:
    if not path.exists():
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the tomli backport
        import tomli as tomllib
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise GroupError(Text("grp_file_not_toml", path=path, error=str(exc))) from None
    groups = {}
    for name, table in document.items():
        if not isinstance(table, dict):
            raise GroupError(Text("grp_file_not_table", path=path, name=name))
        unknown = set(table) - _KEYS
        if unknown:
            raise GroupError(Text("grp_file_unknown_keys", path=path, name=name, keys=", ".join(sorted(unknown))))
        members = table.get("members", [])
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise GroupError(Text("grp_file_members", path=path, name=name))
        for key in BACKTEST_ACCOUNTS:
            if not isinstance(table.get(key, {}), dict):
                raise GroupError(Text("grp_file_table_value", path=path, name=name, key=key))
        per_account = {}
        for key in _PER_ACCOUNT:
            value = table.get(key, {})
            if not isinstance(value, dict):
                raise GroupError(Text("grp_file_table_number", path=path, name=name, key=key))
            per_account[key] = value
        try:
            groups[name] = AccountGroup(name, tuple(members), str(table.get("allocation", "equity")),
                                        str(table.get("min_lot_rule", "raise")),
                                        float(table.get("risk_percent", 0.0)), **per_account,
                                        **{key: table[key] for key in GROUP_GUARDS if key in table},
                                        **{key: dict(table[key]) for key in BACKTEST_ACCOUNTS if key in table})
        except GroupError as exc:
            raise GroupError(Text("grp_file_error", path=path, error=text_of(exc))) from None
        except (TypeError, ValueError) as exc:
            raise GroupError(Text("grp_file_group_error", path=path, name=name, error=text_of(exc))) from None
    return groups


def load_groups(path: Path | None = None) -> dict[str, AccountGroup]:
    """Every group in the file (none when it does not exist)."""
    return _parse(path or groups_path())


def get_group(name: str, path: Path | None = None) -> AccountGroup:
    """The group ``name``; GroupError with the nearest name and how to add one when there is none."""
    path = path or groups_path()
    groups = _parse(path)
    if name not in groups:
        from mas.choices import suggest

        raise GroupError(Text("grp_unknown", name=name, path=path, hint=suggest(name, sorted(groups))))
    return groups[name]


def _update(path: Path, change: Callable[[dict[str, AccountGroup]], Any]) -> Any:
    with locked(path, timeout=30):
        groups = _parse(path)
        result = change(groups)
        write_bytes_atomically(path, render(groups).encode("utf-8"))
    return result


def add_group(group: AccountGroup, *, replace: bool = False, path: Path | None = None) -> Path:
    """Save ``group``; GroupError if one of that name exists and ``replace`` is False."""
    path = path or groups_path()

    def change(groups: dict[str, AccountGroup]) -> None:
        if group.name in groups and not replace:
            raise GroupError(Text("grp_exists", name=group.name))
        groups[group.name] = group

    _update(path, change)
    return path


def remove_group(name: str, path: Path | None = None) -> bool:
    """Remove the group; False when there is none of that name."""
    return bool(_update(path or groups_path(), lambda groups: groups.pop(name, None) is not None))


def render(groups: dict[str, AccountGroup]) -> str:
    """The TOML text of ``groups``, in name order."""
    lines = ["# MAS account groups (mas broker group add ...): members are broker profiles of brokers.toml.", ""]
    for name in sorted(groups):
        group = groups[name]
        lines.append(f"[{toml_key(name)}]")
        lines.append("members = [" + ", ".join(toml_value(m) for m in group.members) + "]")
        lines.append(f"allocation = {toml_value(group.allocation)}")
        lines.append(f"min_lot_rule = {toml_value(group.min_lot_rule)}")
        if group.risk_percent:
            lines.append(f"risk_percent = {float(group.risk_percent)!r}")
        for key in _PER_ACCOUNT:
            values = getattr(group, key)
            if values:
                pairs = ", ".join(f"{toml_key(m)} = {float(v)!r}" for m, v in values.items())
                lines.append(f"{key} = {{ {pairs} }}")
        lines += [f"{key} = {getattr(group, key)!r}" for key in GROUP_GUARDS if getattr(group, key)]
        for key in BACKTEST_ACCOUNTS:
            values = getattr(group, key)
            if values:
                kind = {"deposits": float, "leverages": int, "currencies": str}[key]
                pairs = ", ".join(f"{toml_key(m)} = {toml_value(kind(v))}" for m, v in values.items())
                lines.append(f"{key} = {{ {pairs} }}")
        lines.append("")
    return "\n".join(lines)




def parse_per_account(option: str, text: str, members: tuple[str, ...]) -> dict[str, float]:
    """``--per-account-max-lots`` and the like: ``"2"`` (every member) or ``"alice=2,bob=0.5"``."""
    text = text.strip()
    if not text:
        return {}
    if "=" not in text:
        try:
            value = float(text)
        except ValueError:
            raise GroupError(Text("grp_per_account_expected", option=option, value=text)) from None
        return {member: value for member in members}
    out = {}
    for part in text.split(","):
        member, sep, value = part.partition("=")
        member = member.strip()
        try:
            if not sep:
                raise ValueError
            out[member] = float(value)
        except ValueError:
            raise GroupError(Text("grp_per_account_pair", option=option, value=part.strip())) from None
    return out


def check_members(group: AccountGroup, profiles: dict[str, Any]) -> None:
    """GroupError naming the first member that is not a broker profile, with the nearest profile name."""
    from mas.choices import suggest

    for member in group.members:
        if member not in profiles:
            raise GroupError(Text("grp_member_no_profile", name=group.name, member=member,
                                  hint=suggest(member, sorted(profiles))))
