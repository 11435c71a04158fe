"""Backtesting a group: one strategy over N simulated accounts with their own deposits, leverage and currency,
each order split by the group's allocation method (:mod:`mas.groups.backtest_session`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from mas.client import MAS, state_of
from mas.groups.backtest import GroupBacktestResult, accounts_of, group_result, parse_accounts
from mas.groups.backtest_session import BacktestAccount, GroupBacktestSession
from mas.groups.store import AccountGroup, GroupError, get_group
from mas.i18n.errors import InputError

__all__ = ["group_for_backtest", "run_group_backtest"]


def _account(entry: BacktestAccount | Mapping[str, Any]) -> BacktestAccount:
    if isinstance(entry, BacktestAccount):
        return entry
    unknown = set(entry) - {"name", "deposit", "leverage", "currency", "commission"}
    if unknown:
        raise InputError("gbt_api_unknown_keys", keys=", ".join(sorted(unknown)))
    if not entry.get("name"):
        raise InputError("gbt_api_no_name")
    try:
        deposit = float(entry.get("deposit", 10_000.0))
        leverage = int(entry.get("leverage", 100))
        commission = float(entry["commission"]) if entry.get("commission") is not None else None
    except (TypeError, ValueError):
        raise InputError("gbt_api_not_numbers", name=entry.get("name")) from None
    if not deposit > 0 or leverage < 1 or (commission is not None and commission < 0):
        raise InputError("gbt_api_bad_numbers", name=entry.get("name"))
    return BacktestAccount(str(entry["name"]), deposit, leverage, str(entry.get("currency") or "").upper(), commission)


def run_group_backtest(strategy: MAS, params: dict[str, Any],
                       accounts: Sequence[BacktestAccount | Mapping[str, Any]], *,
                       allocation: str | AccountGroup = "equity", min_lot_rule: str = "raise",
                       risk_percent: float = 0.0, name: str = "backtest", max_lots: Mapping[str, float] | None = None,
                       multipliers: Mapping[str, float] | None = None,
                       fixed_lots: Mapping[str, float] | None = None) -> GroupBacktestResult:
    """Backtest ``strategy`` once over ``accounts`` (``{name, deposit, leverage[, currency, commission]}`` or
    :class:`BacktestAccount`) with the ``subscribe_bars`` parameters ``params``.

    ``allocation`` is a method of :data:`mas.groups.allocation.METHODS` (with ``min_lot_rule``, ``risk_percent``
    and the per-account ``max_lots`` / ``multipliers`` / ``fixed_lots``), or a stored :class:`AccountGroup` whose
    members are the accounts' names in order. Returns each account's result and the aggregate; afterwards the
    strategy's ``backtest_result`` (and its reports) are the aggregate's. ValueError / GroupError name the input
    at fault."""
    members = [_account(a) for a in accounts]
    if not members:
        raise InputError("gbt_api_empty")
    if isinstance(allocation, AccountGroup):
        group = allocation
    else:
        names = tuple(a.name for a in members)
        group = AccountGroup(name, names, str(allocation).strip().lower(), min_lot_rule, float(risk_percent),
                             max_lots=dict(max_lots or {}), multipliers=dict(multipliers or {}),
                             fixed_lots=dict(fixed_lots or {}))
    state = state_of(strategy)
    plain = state.backtest_session()
    session = GroupBacktestSession(plain.events, group, members)
    session.broker = plain.broker
    strategy.backtest_toggle = True
    state.backtest = session
    try:
        strategy.subscribe_bars({**params, "backtest_toggle": True})
        result = group_result(session)
    finally:
        state.backtest = plain
    plain.adopt_result(result.aggregate)
    if len(result.aggregate.equity_times) == 0:
        raise InputError("gbt_no_bars")
    return result


def group_for_backtest(name: str, accounts: str | None = None, *, capital: float = 10_000.0, leverage: int = 100,
                       allocation: str | None = None, min_lot_rule: str | None = None,
                       risk_percent: float | None = None) -> tuple[AccountGroup, list[BacktestAccount]]:
    """The group and accounts ``mas broker group backtest`` runs: the stored group ``name`` (its allocation
    settings, unless ``allocation`` / ``min_lot_rule`` / ``risk_percent`` override them) with each member's
    deposit from ``accounts`` (``--accounts``), else from the group's ``deposits`` / ``leverages`` /
    ``currencies`` tables, else ``capital`` and ``leverage``. An unknown ``name`` with every account named in
    ``accounts`` (``alice=10000:100,bob=5000``) is an ad-hoc group of those accounts (allocation default equity)."""
    try:
        group = get_group(name)
    except GroupError:
        if not accounts or "=" not in accounts:
            raise
        listed = parse_accounts(accounts)
        group = AccountGroup(name, tuple(a.name for a in listed), (allocation or "equity").strip().lower(),
                             (min_lot_rule or "raise").strip().lower(), float(risk_percent or 0.0))
        return group, listed
    if allocation is not None or min_lot_rule is not None or risk_percent is not None:
        group = dataclasses.replace(group, allocation=(allocation or group.allocation).strip().lower(),
                                    min_lot_rule=(min_lot_rule or group.min_lot_rule).strip().lower(),
                                    risk_percent=float(group.risk_percent if risk_percent is None else risk_percent))
    if accounts:
        return group, parse_accounts(accounts, group.members)
    return group, accounts_of(group, capital, leverage)
