"""Group backtests: the accounts of a run, the group's aggregate result, and each account's summary row.

The replay itself is :mod:`mas.groups.backtest_session`, the accounts and the aggregate
:mod:`mas.groups.simulated`; the service that runs a strategy over them is
:func:`mas.app.group_backtests.run_group_backtest`. Here:

- :func:`parse_accounts` reads ``--accounts`` (``10000:100,50000:500`` or ``alice=10000:100:EUR,...``);
- :func:`accounts_of` gives a stored group's backtest accounts (its ``deposits`` / ``leverages`` /
  ``currencies`` tables, else the run's capital and leverage);
- :func:`aggregate_result` (from :mod:`mas.groups.simulated`) sums the members' results into one
  :class:`~mas.results.BacktestResult` in the first member's currency (the *report currency*): equity, balance
  and margin per bar, every trade and deal, the deposits as its initial capital; the KPI reports read it like
  any backtest;
- :class:`GroupBacktestResult` holds the per-account results, the aggregate and the net lots per symbol, and
  :meth:`GroupBacktestResult.rows` is the per-account table (deposit, net profit, return, max drawdown, trades,
  stop-outs, lowest margin level).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mas.groups.simulated import BacktestAccount, aggregate_result, exposure_arrays
from mas.groups.store import AccountGroup, GroupError
from mas.i18n.errors import InputError, Text
from mas.results import BacktestResult

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["BacktestAccount", "GroupBacktestResult", "accounts_of", "aggregate_result", "parse_accounts",
           "summary_row"]

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _account(name: str, text: str, where: str) -> BacktestAccount:
    parts = [x.strip() for x in text.split(":")]
    if not 1 <= len(parts) <= 3 or not parts[0]:
        raise GroupError(Text("gbt_account_format", where=where, value=text))
    try:
        deposit = float(parts[0])
        leverage = int(parts[1]) if len(parts) > 1 and parts[1] else 100
    except ValueError:
        raise GroupError(Text("gbt_account_numbers", where=where, value=text)) from None
    if not math.isfinite(deposit) or deposit <= 0:
        raise GroupError(Text("gbt_deposit", where=where, name=name, value=parts[0]))
    if leverage < 1:
        raise GroupError(Text("gbt_leverage", where=where, name=name, value=parts[1]))
    currency = parts[2].upper() if len(parts) > 2 else ""
    if currency and not _CURRENCY.match(currency):
        raise GroupError(Text("gbt_currency", where=where, name=name, value=parts[2]))
    return BacktestAccount(name, deposit, leverage, currency)


def parse_accounts(text: str, members: Sequence[str] | None = None) -> list[BacktestAccount]:
    """``--accounts``: ``DEPOSIT[:LEVERAGE[:CURRENCY]]`` per account, comma separated, either in the group's
    member order (``10000:100,50000:500``; as many as ``members``) or named (``alice=10000:100,bob=5000``: every
    member named once, or, without ``members``, the accounts of an ad-hoc group). Leverage defaults to 100, the
    currency to the run's. GroupError naming the part at fault."""
    parts = [x.strip() for x in text.split(",") if x.strip()]
    if not parts:
        raise GroupError(Text("gbt_accounts_empty"))
    named = ["=" in x for x in parts]
    if any(named) and not all(named):
        raise GroupError(Text("gbt_accounts_mixed"))
    if all(named):
        accounts = []
        for part in parts:
            name, _, value = part.partition("=")
            accounts.append(_account(name.strip(), value, "--accounts"))
        names = [a.name for a in accounts]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise GroupError(Text("gbt_accounts_twice", names=", ".join(twice)))
        if members is not None:
            from mas.choices import suggest

            for name in names:
                if name not in members:
                    raise GroupError(Text("gbt_accounts_not_member", name=name, hint=suggest(name, members)))
            missing = [m for m in members if m not in names]
            if missing:
                raise GroupError(Text("gbt_accounts_missing", names=", ".join(missing)))
            by_name = {a.name: a for a in accounts}
            accounts = [by_name[m] for m in members]
        return accounts
    if members is None:
        raise GroupError(Text("gbt_accounts_unnamed"))
    if len(parts) != len(members):
        raise GroupError(Text("gbt_accounts_count", given=len(parts), count=len(members),
                              members=", ".join(members)))
    return [_account(member, part, "--accounts") for member, part in zip(members, parts, strict=True)]


def accounts_of(group: AccountGroup, capital: float = 10_000.0, leverage: int = 100) -> list[BacktestAccount]:
    """The backtest accounts of a stored group: each member's ``deposits`` / ``leverages`` / ``currencies``
    entries of groups.toml, else ``capital`` and ``leverage``."""
    deposits = getattr(group, "deposits", {}) or {}
    leverages = getattr(group, "leverages", {}) or {}
    currencies = getattr(group, "currencies", {}) or {}
    return [BacktestAccount(m, float(deposits.get(m, capital)), int(leverages.get(m, leverage)),
                            str(currencies.get(m, "")).upper()) for m in group.members]


@dataclass
class GroupBacktestResult:
    """A group backtest: each account's result (a normal backtest result), the aggregate, and the group's net
    lots per symbol at each bar's close (``exposure``, long positive)."""

    group: AccountGroup
    accounts: list[BacktestAccount]
    results: dict[str, BacktestResult]
    aggregate: BacktestResult
    exposure: dict[str, np.ndarray] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """The per-account table, then the aggregate's row (``account`` = "total")."""
        rows = [summary_row(a.name, self.results[a.name], a.leverage) for a in self.accounts]
        rows.append(summary_row("total", self.aggregate, None))
        return rows

    def exposure_summary(self) -> dict[str, dict[str, float]]:
        """Per symbol: the largest net lots held at a bar's close (either side) and the net lots at the end."""
        out = {}
        for symbol, lots in self.exposure.items():
            if len(lots):
                out[symbol] = {"max_net_lots": float(np.max(np.abs(lots))), "final_net_lots": float(lots[-1])}
        return out

    def document(self) -> dict[str, Any]:
        """The JSON document of ``--json``: the group, its accounts' rows, the exposure, and each account's and
        the aggregate's result document (:func:`mas.reports.saved_result.result_document`)."""
        from mas.reports.saved_result import result_document

        return {"group": self.group.name, "allocation": self.group.allocation,
                "min_lot_rule": self.group.min_lot_rule, "currency": self.aggregate.currency,
                "accounts": self.rows(), "exposure": self.exposure_summary(),
                "results": {name: result_document(result) for name, result in self.results.items()},
                "aggregate": result_document(self.aggregate)}


def summary_row(name: str, result: BacktestResult, leverage: int | None) -> dict[str, Any]:
    """One account's row: deposit, final equity, net profit, return %, max drawdown %, closed trades,
    stop-outs and the lowest margin level (%) at a bar's close with positions open (None: never)."""
    from mas.reports.metrics import max_drawdown

    equity = np.asarray(result.equity, dtype=np.float64)
    final = float(equity[-1]) if len(equity) else float(result.initial_capital)
    deposit = float(result.initial_capital)
    margin = np.asarray(result.margin if result.margin is not None else np.zeros(len(equity)), dtype=np.float64)
    used = margin > 0
    level = float(np.min(equity[used] / margin[used] * 100)) if used.any() else None
    closed = result.closed_trades
    return {"account": name, "currency": result.currency, "deposit": round(deposit, 2), "leverage": leverage,
            "final_equity": round(final, 2), "net_profit": round(final - deposit, 2),
            "return_pct": round((final / deposit - 1) * 100, 4) if deposit else None,
            "max_drawdown_pct": round(max_drawdown(equity, deposit), 4) if len(equity) else 0.0,
            "trades": len(closed), "stop_outs": sum(1 for t in closed if t.exit_reason in ("so", "stop_out")),
            "min_margin_level_pct": round(level, 2) if level is not None else None}


def group_result(session: Any) -> GroupBacktestResult:
    """The :class:`GroupBacktestResult` of a finished :class:`~mas.groups.backtest_session.GroupBacktestSession`."""
    run = session.run
    if run is None or session.result is None:
        raise InputError("gbt_no_bars")
    return GroupBacktestResult(session.group, list(session.accounts), dict(session.member_results), session.result,
                               exposure_arrays(run))
