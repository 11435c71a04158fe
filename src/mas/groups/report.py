"""Consolidated live reporting of a group: each member's account and the group's sums, read from its terminals.

For each member: balance, equity, margin, free margin, floating P&L (``account_info().profit``), open positions
and pending orders, the exposure per symbol (long, short and net lots; the net value in the account currency) and
the realised P&L of the trade server's day. The group's totals sum the members'; the exposure is summed per symbol
(a broker suffix of ``symbols.toml`` removed, so ``EURUSD.m`` and ``EURUSD`` are one row).

Definitions:

- **Value of a position** in the account currency: ``volume * price_current / tick_size * tick_value`` (the
  money one tick is worth on one lot, times the ticks in the price): ``lots * contract size * price`` converted to
  the account currency, whatever the symbol's profit currency. Long positive, short negative.
- **Realised P&L of the day**: profit + commission + swap + fee of the buy and sell deals whose time falls on the
  trade server's current day (MT5 server time, as the deal times are); the day is the date of the newest time the
  terminal shows (the last tick of the symbols traded or held, the last deal), else this machine's UTC date.
- Sums across members of different account currencies are flagged: ``currency`` is then ``"mixed"``.

A member whose terminal does not answer is listed in ``problems`` and left out of the sums.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

from mas.i18n.errors import Text
from mas.terminal import constants as c

_HISTORY_FROM, _HISTORY_TO = 946684800, 4102444800  # 2000-01-01 .. 2100-01-01, epoch seconds (as mas.live.orders)
_MONEY = ("balance", "equity", "margin", "margin_free", "profit", "realised_today")


@dataclass(frozen=True)
class Exposure:
    """One symbol's open positions: lots long and short, net lots and net value in the account currency."""

    symbol: str
    long_lots: float = 0.0
    short_lots: float = 0.0
    net_lots: float = 0.0
    value: float = 0.0

    def plus(self, other: Exposure) -> Exposure:
        """The sum of two exposures of the same symbol."""
        return Exposure(self.symbol, _r(self.long_lots + other.long_lots), _r(self.short_lots + other.short_lots),
                        _r(self.net_lots + other.net_lots), self.value + other.value)


@dataclass(frozen=True)
class AccountReport:
    """One member's account now."""

    profile: str
    account: int
    server: str
    currency: str
    balance: float
    equity: float
    margin: float
    margin_free: float
    profit: float
    """Floating P&L of the open positions."""
    positions: int
    pending_orders: int
    realised_today: float
    day: str
    """The trade server's day (ISO date) of ``realised_today``."""
    exposure: tuple[Exposure, ...] = ()


@dataclass(frozen=True)
class GroupReport:
    """The members' accounts and their sums (:func:`group_report`)."""

    group: str
    accounts: tuple[AccountReport, ...]
    totals: dict[str, Any]
    exposure: tuple[Exposure, ...]
    problems: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain dicts and lists (what ``get_group_summary`` returns and ``--json`` prints)."""
        return {"group": self.group, "accounts": [asdict(a) for a in self.accounts], "totals": dict(self.totals),
                "exposure": [asdict(e) for e in self.exposure], "problems": dict(self.problems)}

    def lines(self) -> list[str]:
        """A readable table: one row per member, the totals, then the exposure per symbol."""
        width = max([len(a.profile) for a in self.accounts] + [len("account")])
        head = (f"{'account':<{width}}  {'login':>9}  {'balance':>12}  {'equity':>12}  {'margin':>10}  "
                f"{'free margin':>12}  {'floating':>10}  {'realised':>10}  pos  ord  day")
        out = [f"group {self.group}", head]
        for a in self.accounts:
            out.append(f"{a.profile:<{width}}  {a.account:>9}  {a.balance:>12.2f}  {a.equity:>12.2f}  "
                       f"{a.margin:>10.2f}  {a.margin_free:>12.2f}  {a.profit:>10.2f}  {a.realised_today:>10.2f}  "
                       f"{a.positions:>3}  {a.pending_orders:>3}  {a.day} {a.currency}")
        t = self.totals
        out.append(f"{'total':<{width}}  {'':>9}  {t['balance']:>12.2f}  {t['equity']:>12.2f}  {t['margin']:>10.2f}  "
                   f"{t['margin_free']:>12.2f}  {t['profit']:>10.2f}  {t['realised_today']:>10.2f}  "
                   f"{t['positions']:>3}  {t['pending_orders']:>3}  {t['currency']}")
        if self.exposure:
            out.append("exposure (lots; value in the account currency):")
            for e in self.exposure:
                out.append(f"  {e.symbol:<12} long {e.long_lots:g}  short {e.short_lots:g}  net {e.net_lots:g}  "
                           f"value {e.value:.2f}")
            for a in self.accounts:
                for e in a.exposure:
                    out.append(f"  {a.profile:<{width}} {e.symbol:<12} net {e.net_lots:g}  value {e.value:.2f}")
        for name, why in self.problems.items():
            out.append(f"{name}: not read ({why})")
        return out


def _r(value: float) -> float:
    return round(value, 8)


def account_report(profile: str, terminal: Any, day: date | None = None) -> AccountReport:
    """``profile``'s account on ``terminal`` now (``day``: the server day of the realised P&L; default: today's)."""
    info = terminal.account_info()
    positions, orders = terminal.positions_get(), terminal.orders_get()
    if info is None or positions is None or orders is None:
        raise LookupError(_error(terminal))
    deals = terminal.history_deals_get(_HISTORY_FROM, _HISTORY_TO)
    if deals is None:
        raise LookupError(_error(terminal))
    exposure: dict[str, Exposure] = {}
    for pos in positions:
        spec = terminal.symbol_info(pos.symbol)
        if spec is None:
            raise LookupError(Text("grp_symbol_error", symbol=pos.symbol, error=_error(terminal)))
        lots = float(pos.volume)
        sign = 1.0 if int(pos.type) == c.POSITION_TYPE_BUY else -1.0
        value = sign * lots * float(pos.price_current) / float(spec.trade_tick_size) * float(spec.trade_tick_value)
        mine = Exposure(pos.symbol, lots if sign > 0 else 0.0, lots if sign < 0 else 0.0, sign * lots, value)
        exposure[pos.symbol] = exposure[pos.symbol].plus(mine) if pos.symbol in exposure else mine
    exposure = {symbol: replace(e, value=round(e.value, 2)) for symbol, e in exposure.items()}
    trades = [d for d in deals if int(d.type) in (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL)]
    day = day or server_day(terminal, {p.symbol for p in positions} | {d.symbol for d in trades[-1:]}, trades)
    start = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
    end = start + 86400
    realised = sum(float(d.profit) + float(d.commission) + float(d.swap) + float(getattr(d, "fee", 0.0))
                   for d in trades if start <= int(d.time) < end)
    return AccountReport(profile, int(info.login), str(info.server), str(info.currency), float(info.balance),
                         float(info.equity), float(info.margin), float(info.margin_free), float(info.profit),
                         len(positions), len(orders), round(realised, 2), day.isoformat(),
                         tuple(exposure[s] for s in sorted(exposure)))


def server_day(terminal: Any, symbols: set[str], deals: Any = ()) -> date:
    """The trade server's current day: the date of the newest of the symbols' last ticks and the deals' times (MT5
    server time, read as UTC as MT5 does), else this machine's UTC date."""
    times = [int(d.time) for d in deals]
    for symbol in symbols:
        tick = terminal.symbol_info_tick(symbol)
        if tick is not None:
            times.append(int(tick.time))
    if not times:
        return datetime.now(timezone.utc).date()
    return datetime.fromtimestamp(max(times), tz=timezone.utc).date()


def group_report(group: str, terminals: Mapping[str, Any], day: date | None = None,
                 problems: Mapping[str, str] | None = None) -> GroupReport:
    """Every member's :class:`AccountReport` (``terminals``: logged-in terminals by profile, in the group's order)
    and their sums; a member that cannot be read is named in ``problems`` and left out of the sums, as are the
    members ``problems`` already names (those that could not log in: :func:`mas.groups.session.open_members`)."""
    accounts: list[AccountReport] = []
    problems = dict(problems or {})
    for name, terminal in terminals.items():
        try:
            accounts.append(account_report(name, terminal, day))
        except LookupError as exc:
            problems[name] = str(exc) or "no answer"
    currencies = sorted({a.currency for a in accounts})
    totals: dict[str, Any] = {key: round(sum(getattr(a, key) for a in accounts), 2) for key in _MONEY}
    totals.update(positions=sum(a.positions for a in accounts), pending_orders=sum(a.pending_orders for a in accounts),
                  accounts=len(accounts), currency=currencies[0] if len(currencies) == 1 else "mixed")
    merged: dict[str, Exposure] = {}
    names = _base_names()
    for a in accounts:
        for e in a.exposure:
            key = names(e.symbol)
            mine = Exposure(key, e.long_lots, e.short_lots, e.net_lots, e.value)
            merged[key] = merged[key].plus(mine) if key in merged else mine
    exposure = tuple(replace(merged[s], value=round(merged[s].value, 2)) for s in sorted(merged))
    return GroupReport(group, tuple(accounts), totals, exposure, problems)


def _base_names() -> Any:
    """``EURUSD.m`` -> ``EURUSD`` by the suffixes of ``symbols.toml`` (unchanged when the file cannot be read)."""
    from mas.data.symbol_file import base_symbol, load_symbol_file

    try:
        document = load_symbol_file()
    except (OSError, ValueError):
        return lambda name: name
    return lambda name: base_symbol(name, document)


def _error(terminal: Any) -> str:
    try:
        return str(terminal.last_error()[1]) or "no answer"
    except Exception:  # noqa: BLE001 - a broken terminal cannot say why
        return "no answer"
