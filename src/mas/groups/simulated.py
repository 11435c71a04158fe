"""The simulated accounts of a group backtest and what their replay adds up to.

- :class:`BacktestAccount`: one member's deposit, leverage, currency and commission;
- :class:`GroupRun`: what the group's replay (:mod:`mas.groups.backtest_session`) leaves behind;
- :func:`aggregate_result`: the members' results summed into one :class:`~mas.results.BacktestResult` in the
  first member's currency (the *report currency*), which the KPI reports read like any backtest.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mas.results import BacktestResult, TradeRecord

if TYPE_CHECKING:
    from mas.groups.store import AccountGroup
    from mas.sim.clock import BarLedger
    from mas.sim.settings import BacktestSettings
    from mas.sim.terminal import SimulatedTerminal

__all__ = ["BacktestAccount", "GroupRun", "aggregate_result", "exposure_arrays"]


@dataclass(frozen=True)
class BacktestAccount:
    """One simulated account of a group backtest: its name, deposit, leverage, and optionally its currency
    (default: the run's ``currency``) and commission per lot (default: the run's)."""

    name: str
    deposit: float
    leverage: int = 100
    currency: str = ""
    commission: float | None = None

    def settings(self, base: BacktestSettings) -> BacktestSettings:
        """The run's settings with this account's deposit, leverage, currency and commission."""
        changes: dict[str, Any] = {"capital": float(self.deposit), "leverage": int(self.leverage)}
        if self.currency:
            changes["currency"] = self.currency.upper()
        if self.commission is not None:
            changes["commission"] = float(self.commission)
        return dataclasses.replace(base, **changes)


@dataclass
class GroupRun:
    """What a group replay leaves: each member's terminal, settings, ledger, and per bar the rate that converts
    its money into the report currency (the first member's) and the group's net lots per symbol."""

    members: list[str]
    settings: dict[str, BacktestSettings]
    terminals: dict[str, SimulatedTerminal]
    ledgers: dict[str, BarLedger]
    rates: dict[str, list[float]]
    exposure: dict[str, list[float]]
    currency: str


def aggregate_result(run: GroupRun, results: dict[str, BacktestResult], group: AccountGroup,
                     strategy_name: str) -> BacktestResult:
    """The members' results summed in the report currency (the first member's): per bar, equity, balance and
    margin converted at that bar's rate; trades and deals converted at the rate of the bar they happened in;
    the initial capital is the deposits converted at the first bar. The settings are the first member's, with
    ``group``, ``allocation``, ``accounts`` and the summed ``capital``."""
    first = results[run.members[0]]
    count = min(len(r.equity_times) for r in results.values())
    times = np.asarray(first.equity_times[:count])
    equity = np.zeros(count)
    balance = np.zeros(count)
    margin = np.zeros(count)
    trades: list[TradeRecord] = []
    deals: list[Any] = []
    orders: list[Any] = []
    initial = 0.0
    for name in run.members:
        result = results[name]
        rates = np.asarray(run.rates.get(name, [1.0] * count)[:count], dtype=np.float64) if count else np.zeros(0)
        equity += np.asarray(result.equity[:count], dtype=np.float64) * rates
        balance += np.asarray(result.balance[:count], dtype=np.float64) * rates
        if result.margin is not None:
            margin += np.asarray(result.margin[:count], dtype=np.float64) * rates
        initial += float(result.initial_capital) * (float(rates[0]) if count else 1.0)
        convert = _converter(times, rates)
        trades.extend(_trade_in(t, convert) for t in result.trades)
        deals.extend(_deal_in(d, convert) for d in result.deal_records)
        orders.extend(result.order_records)
    trades.sort(key=lambda t: (t.close_time is None, t.close_time or t.open_time, t.open_time))
    deals.sort(key=lambda d: int(getattr(d, "time", 0)))
    settings = dict(first.settings)
    settings.update(strategy=strategy_name, group=group.name, allocation=group.allocation,
                    min_lot_rule=group.min_lot_rule, accounts=",".join(run.members), capital=round(initial, 2),
                    currency=run.currency)
    return BacktestResult(settings=settings, trades=trades, equity_times=times, equity=equity, balance=balance,
                          initial_capital=initial, currency=run.currency, deal_records=deals, bars=first.bars,
                          margin=margin, order_records=orders)


def _converter(times: np.ndarray, rates: np.ndarray) -> Any:
    """amount, epoch second -> the amount at the rate of the bar that time falls in (the last bar's after it)."""
    if not len(rates) or bool(np.all(rates == 1.0)):
        return None

    def convert(amount: float, when: int) -> float:
        at = max(0, min(len(rates) - 1, int(np.searchsorted(times, when, side="right")) - 1))
        return amount * float(rates[at])

    return convert


def _trade_in(trade: TradeRecord, convert: Any) -> TradeRecord:
    if convert is None:
        return trade
    from mas.reports.metrics import to_epoch

    epoch = int(to_epoch(trade.close_time or trade.open_time) or 0)
    return TradeRecord(trade.position_id, trade.symbol, trade.direction, trade.volume, trade.open_time,
                       trade.open_price, trade.close_time, trade.close_price, round(convert(trade.profit, epoch), 2),
                       round(convert(trade.commission, epoch), 2), round(convert(trade.swap, epoch), 2),
                       trade.is_open, trade.exit_reason, trade.sl, trade.tp)


def _deal_in(deal: Any, convert: Any) -> Any:
    if convert is None or not hasattr(deal, "profit"):
        return deal
    when = int(getattr(deal, "time", 0))
    shown = deal.copy() if hasattr(deal, "copy") else copy.copy(deal)  # a compiled SimDeal has its own copy
    for key in ("profit", "commission", "swap"):
        setattr(shown, key, round(convert(float(getattr(deal, key)), when), 2))
    return shown


def exposure_arrays(run: GroupRun) -> dict[str, np.ndarray]:
    """The group's net lots per symbol at each bar's close (long positive)."""
    return {symbol: np.round(np.array(values, dtype=np.float64), 8) for symbol, values in run.exposure.items()}
