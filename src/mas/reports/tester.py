"""The MetaTrader 5 strategy tester's statistics of a :class:`~mas.results.BacktestResult`.

These are the figures of the MT5 tester's "Backtest" (Results) tab, computed after the formulas of
the MetaTrader 5 help ("Testing Report") and MetaQuotes' article on estimating trade results. They
are a separate section, ``tester_metrics``, of ``mas backtest --json``, of the data report and of
the KPI page; the figures of :func:`mas.reports.metrics.compute_metrics` are unchanged. Money is in
the account currency; losses and drawdowns in money are shown the way MT5 shows them (a loss is a
negative amount, a drawdown a positive one).

Inputs
------
*Trades*: the closed trades of the result in close-time order (as in ``compute_metrics``), each
with its net profit ``p_i`` = profit + commission + swap. A trade that is neither a win
(``p_i > 0``) nor a loss (``p_i < 0``) is breakeven.

*Balance curve*: ``B_0`` = initial deposit ``D``, ``B_i = B_{i-1} + p_i`` after each closed trade
(``i = 1..N``). A trade's entry commission therefore reaches the balance when the trade closes
(MT5 books it at the entry deal; with the default zero commission the curves are the same). This
curve needs only the trade list, so a saved result (``mas report``) gives the same figures.

*Equity curve*: ``D`` followed by the result's equity at each bar's close (the KPI page's curve), so
equity lows inside a bar are not seen.

Figures (keys of ``tester_metrics``)
------------------------------------
- ``total_net_profit`` = sum of ``p_i``; ``gross_profit`` (``>= 0``), ``gross_loss`` (``<= 0``);
  ``profit_factor`` = gross profit / -gross loss (None without losses).
- ``expected_payoff`` = total net profit / N (None without trades).
- **Drawdowns** of a curve ``C_0..C_n`` (balance: ``B``, equity: as above), with the running peak
  ``H_t = max(C_0..C_t)``, which is the highest local high before ``t``:

  * *absolute* = ``max(0, D - min(C))``: how far the curve fell below the initial deposit;
  * *maximal* = ``max_t (H_t - C_t)``, MT5's ``Max[Local High - Next Local Low]`` in money, with
    that same drop in % of its high, ``100 * (H_t - C_t) / H_t``, beside it;
  * *relative* = ``max_t 100 * (H_t - C_t) / H_t``, MT5's
    ``Max[(Local High - Next Local Low) / Local High * 100]``, with that drop in money beside it.

  The maximal and the relative drawdown can be different drops (a small early drop of a small
  account is a larger share than a later, larger drop in money). Keys:
  ``balance_drawdown_absolute``, ``balance_drawdown_maximal``, ``balance_drawdown_maximal_percent``,
  ``balance_drawdown_relative_percent``, ``balance_drawdown_relative``, and the same with
  ``equity_``. Ties keep the earliest drop.
- ``recovery_factor`` = total net profit / equity drawdown maximal (money), as the MT5 tester
  reports it; None when the equity never fell.
- **AHPR / GHPR**: the holding period return of trade ``i`` is ``HPR_i = B_i / B_{i-1}``;
  ``ahpr`` = arithmetic mean of ``HPR_i``; ``ghpr`` = ``(B_N / B_0) ** (1 / N)``, the geometric mean
  of ``HPR_i``. ``ahpr_percent`` / ``ghpr_percent`` = ``100 * (x - 1)``, the value MT5 shows in
  brackets. None without trades or once the balance is not positive.
- **Z-score** (runs test on wins and losses; breakeven trades are left out of the sequence):
  with ``W`` wins, ``L`` losses, ``N = W + L``, ``R`` runs (maximal series of wins or of losses)
  and ``X = 2 W L``: ``z_score = (N (R - 0.5) - X) / sqrt(X (X - N) / (N - 1))``.
  ``z_score_probability`` = ``100 * erf(|z| / sqrt 2)`` (%), the two-sided confidence MT5 shows in
  brackets (3 -> 99.73). Negative: fewer series than chance (wins follow wins). None when
  ``X <= N`` (fewer than two wins and two losses, roughly).
- **LR correlation / LR standard error**: the least-squares line ``y = a + b x`` through the balance
  points ``(i, B_i)``, ``i = 0..N``. ``lr_correlation`` = Pearson correlation of ``i`` and ``B_i``
  (the correlation of the balance with that line, negative when the line falls); ``None`` for a
  flat balance. ``lr_standard_error`` = ``sqrt(sum (B_i - a - b i) ** 2 / (n - 2))`` over the
  ``n = N + 1`` points, in money; None with fewer than 3 points.
- **Margin** (from the result's margin in use ``M_t`` and equity ``E_t`` at each bar's close; only the
  bars with a position open, ``M_t > 0``, count; all three None when nothing was ever open or the result
  does not record the margin, e.g. a live history or an older saved result):

  * ``min_margin_level`` = ``min_t 100 * E_t / M_t`` (%): MT5's "Margin level", the lowest margin level
    the account reached (as with equity, lows inside a bar are not seen);
  * ``max_deposit_load`` = ``max_t 100 * M_t / E_t`` (%): the highest load on the deposit, the ratio MT5's
    tester draws under the balance and equity graph (margin / equity);
  * ``average_deposit_load`` = the mean of ``100 * M_t / E_t`` over those bars (%).

  A bar whose equity is not positive while margin is held has an unbounded load (the figure is then
  None, as JSON has no infinity).
- Trades: ``total_trades`` (N), ``total_deals`` (the result's buy and sell deals, entries and
  exits, not the deposit; a result without deal records, such as the fast engine's or a saved
  one, counts one entry per position and one exit per closed trade), ``short_trades`` /
  ``short_trades_won_percent``, ``long_trades`` / ``long_trades_won_percent``, ``profit_trades`` /
  ``profit_trades_percent``, ``loss_trades`` / ``loss_trades_percent`` (% of N).
- ``largest_profit_trade`` (``>= 0``), ``largest_loss_trade`` (``<= 0``), ``average_profit_trade``,
  ``average_loss_trade`` (``<= 0``; None without such trades).
- **Series** (a breakeven trade ends a series): ``max_consecutive_wins`` (count) and
  ``max_consecutive_wins_money`` (the sum of that series; the earliest of equally long series);
  ``max_consecutive_losses`` / ``max_consecutive_losses_money`` (``<= 0``);
  ``maximal_consecutive_profit`` (the largest sum of a winning series) and
  ``maximal_consecutive_profit_count``; ``maximal_consecutive_loss`` (the most negative sum of a
  losing series, ``<= 0``) and ``maximal_consecutive_loss_count``; ``average_consecutive_wins`` /
  ``average_consecutive_losses`` (mean length of the series; None without one).
- **Holding times** of positions closed completely (trades grouped by symbol and position id; a
  position still partly open is left out): from the first entry to the last exit.
  ``min_holding_seconds``, ``max_holding_seconds``, ``average_holding_seconds`` and the same as
  text (``min_holding_time``, ... e.g. ``"1d 02:03:04"``).
- ``initial_deposit`` (``D``), ``bars`` (equity points).
- **History quality** (:func:`history_quality`), after MT5's "History Quality", the share of correct data
  in the bars replayed: ``history_quality`` = ``100 * (B - X) / (B + G)`` (%), with ``B`` the replayed bars
  of every symbol, ``X`` the incorrect ones (``history_bad_bars``: a tick volume of 1 with different OHLC
  values, which one tick cannot make) and ``G`` the gaps (``history_missing_bars``). Without the broker's
  session calendar, the trading week is read from the bars themselves. Weeks run from Saturday 00:00 UTC;
  a time of the week (weekday and time of day, on the grid of the bar step) is a trading time when more
  than half of the weeks whose first-to-last-bar stretch covers it have a bar there, and every trading time
  between a week's first and last bar without a bar is a gap: a holiday inside the week counts, a weekend
  or a week opening an hour later (daylight saving) does not. Steps over a day (W1, MN1) have no gaps.
  None when the result holds no bars (a live history, a saved result whose candles the store no longer
  has).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from mas.i18n.errors import InputError
from mas.reports.metrics import (
    MetricValue,
    equity_arrays,
    format_duration,
    is_long,
    json_safe,
    sorted_closed,
    to_epoch,
)
from mas.results import BacktestResult, TradeRecord

__all__ = ["curve_drawdowns", "history_quality", "hpr", "linear_regression", "margin_figures", "series_stats",
           "strategy_tester_statistics", "z_score"]


def curve_drawdowns(curve: Sequence[float] | np.ndarray, initial: float) -> dict[str, float]:
    """Absolute, maximal and relative drawdown of ``curve`` (its first point is the initial deposit).

    Returns ``absolute``, ``maximal`` (money), ``maximal_percent``, ``relative_percent``, ``relative``
    (money); all ``>= 0``, 0.0 for a curve that never fell.
    """
    c = np.asarray(curve, dtype=np.float64)
    out = {"absolute": 0.0, "maximal": 0.0, "maximal_percent": 0.0, "relative_percent": 0.0, "relative": 0.0}
    if len(c) == 0:
        return out
    out["absolute"] = max(0.0, float(initial) - float(c.min()))
    peak = np.maximum.accumulate(c)
    drop = peak - c
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(peak > 0, 100.0 * drop / peak, 0.0)
    i = int(np.argmax(drop))  # the first of equal drops
    out["maximal"] = float(drop[i])
    out["maximal_percent"] = float(share[i])
    j = int(np.argmax(share))
    out["relative_percent"] = float(share[j])
    out["relative"] = float(drop[j])
    return out


def hpr(balance: np.ndarray) -> tuple[float | None, float | None]:
    """``(AHPR, GHPR)`` of a balance curve ``B_0..B_N`` (None without trades or a non-positive balance)."""
    b = np.asarray(balance, dtype=np.float64)
    if len(b) < 2 or np.any(b[:-1] <= 0):
        return None, None
    ratios = b[1:] / b[:-1]
    ahpr = float(ratios.mean())
    ghpr = float((b[-1] / b[0]) ** (1.0 / (len(b) - 1))) if b[-1] > 0 else None
    return ahpr, ghpr


def z_score(net: Sequence[float]) -> float | None:
    """MT5's Z-score (runs test) of the wins (``> 0``) and losses (``< 0``) in ``net``; breakevens left out."""
    signs = [x > 0 for x in net if x != 0]
    n = len(signs)
    wins = sum(signs)
    x = 2.0 * wins * (n - wins)
    if n < 2 or x <= n:
        return None
    runs = 1 + sum(1 for a, b in zip(signs[:-1], signs[1:], strict=True) if a != b)
    return (n * (runs - 0.5) - x) / math.sqrt(x * (x - n) / (n - 1))


def linear_regression(y: Sequence[float] | np.ndarray) -> tuple[float | None, float | None]:
    """``(correlation, standard error)`` of the points ``(i, y_i)`` and their least-squares line."""
    v = np.asarray(y, dtype=np.float64)
    n = len(v)
    if n < 2:
        return None, None
    x = np.arange(n, dtype=np.float64)
    dx, dy = x - x.mean(), v - v.mean()
    sxx, syy, sxy = float(dx @ dx), float(dy @ dy), float(dx @ dy)
    corr = sxy / math.sqrt(sxx * syy) if syy > 0 else None
    if n < 3:
        return corr, None
    slope = sxy / sxx
    residual = dy - slope * dx
    return corr, math.sqrt(float(residual @ residual) / (n - 2))


def series_stats(net: Sequence[float], win: bool) -> dict[str, Any]:
    """Winning (``win``) or losing series of ``net`` in order; a breakeven trade ends a series.

    Returns ``longest`` (count), ``longest_money`` (sum of the earliest longest series), ``best_money``
    (largest sum for wins, most negative for losses), ``best_count`` and ``average`` (mean length).
    """
    runs: list[tuple[int, float]] = []
    count, money = 0, 0.0
    for p in (*net, 0.0):
        if (p > 0) if win else (p < 0):
            count, money = count + 1, money + p
            continue
        if count:
            runs.append((count, money))
        count, money = 0, 0.0
    if not runs:
        return {"longest": 0, "longest_money": 0.0, "best_money": 0.0, "best_count": 0, "average": None}
    longest = max(runs, key=lambda r: r[0])  # max keeps the first of equals
    best = max(runs, key=lambda r: r[1]) if win else min(runs, key=lambda r: r[1])
    return {"longest": longest[0], "longest_money": longest[1], "best_money": best[1], "best_count": best[0],
            "average": sum(r[0] for r in runs) / len(runs)}


def _holding_seconds(trades: Sequence[TradeRecord]) -> list[float]:
    """Seconds from the first entry to the last exit of each position closed completely."""
    spans: dict[tuple[str, int], list[float]] = {}
    partly_open: set[tuple[str, int]] = set()
    for t in trades:
        key = (str(t.symbol), int(t.position_id))
        o, c = to_epoch(t.open_time), to_epoch(t.close_time)
        if t.is_open or o is None or c is None:
            partly_open.add(key)
            continue
        span = spans.setdefault(key, [o, c])
        span[0], span[1] = min(span[0], o), max(span[1], c)
    return [c - o for key, (o, c) in spans.items() if key not in partly_open]


def margin_figures(equity: Sequence[float] | np.ndarray,
                   margin: Sequence[float] | np.ndarray | None) -> dict[str, float | None]:
    """``min_margin_level``, ``max_deposit_load`` and ``average_deposit_load`` (%) of the bars where margin
    is held (see the module docstring); all None when ``margin`` is None or never positive."""
    none: dict[str, float | None] = {"min_margin_level": None, "max_deposit_load": None, "average_deposit_load": None}
    if margin is None:
        return none
    m = np.asarray(margin, dtype=np.float64).reshape(-1)
    e = np.asarray(equity, dtype=np.float64).reshape(-1)
    if len(m) != len(e):
        raise InputError("tester_margin_points", margin=len(m), equity=len(e))
    held = m > 0
    if not held.any():
        return none
    m, e = m[held], e[held]
    with np.errstate(divide="ignore"):
        load = np.where(e > 0, 100.0 * m / np.where(e > 0, e, 1.0), math.inf)
    return {"min_margin_level": float(np.min(100.0 * e / m)), "max_deposit_load": float(np.max(load)),
            "average_deposit_load": float(np.mean(load))}


WEEK = 7 * 86_400
_SATURDAY = 2 * 86_400  # 1970-01-03: weeks start on Saturday 00:00 UTC, so a forex week is one stretch


def missing_bars(times: np.ndarray) -> int:
    """The gaps in one symbol's bar times (epoch seconds): trading times of the week (see the module
    docstring) between a week's first and last bar with no bar."""
    t = np.unique(np.asarray(times, dtype=np.int64))
    d = np.diff(t)
    if len(t) < 2:
        return 0
    step = int(d.min())
    if step > 86_400 or WEEK % step:
        return 0
    week = (t - _SATURDAY) // WEEK
    first_week = int(week[0])
    weeks = int(week[-1]) - first_week + 1
    lo = np.full(weeks, np.iinfo(np.int64).max)
    hi = np.full(weeks, np.iinfo(np.int64).min)
    np.minimum.at(lo, week - first_week, t)
    np.maximum.at(hi, week - first_week, t)
    grid = _SATURDAY + (first_week + np.arange(weeks, dtype=np.int64))[:, None] * WEEK + np.arange(WEEK // step) * step
    inside = (grid >= lo[:, None]) & (grid <= hi[:, None])
    present = np.isin(grid, t) & inside
    trading = present.sum(axis=0) * 2 > inside.sum(axis=0)
    return int((inside & ~present & trading[None, :]).sum())


def history_quality(bars: dict[str, np.ndarray]) -> dict[str, float | int | None]:
    """``history_quality`` (%), ``history_bad_bars`` and ``history_missing_bars`` of the replayed bars of
    every symbol (see the module docstring); all None without bars."""
    total = bad = missing = 0
    for rates in (bars or {}).values():
        if rates is None or not len(rates):
            continue
        total += len(rates)
        names = rates.dtype.names or ()
        if "tick_volume" in names:
            flat = (rates["open"] == rates["high"]) & (rates["high"] == rates["low"]) & (rates["low"] == rates["close"])
            bad += int(((np.asarray(rates["tick_volume"]) == 1) & ~flat).sum())
        missing += missing_bars(rates["time"])
    if total == 0:
        return {"history_quality": None, "history_bad_bars": None, "history_missing_bars": None}
    return {"history_quality": 100.0 * (total - bad) / (total + missing), "history_bad_bars": bad,
            "history_missing_bars": missing}


def _trading_deals(result: BacktestResult) -> int:
    """How many buy and sell deals the result lists (balance operations such as the deposit are not
    counted); without deal records, one entry per position and one exit per closed trade."""
    if result.deal_records:
        return sum(1 for d in result.deals if int(d.get("type", -1)) in (0, 1))
    positions = {(str(t.symbol), int(t.position_id)) for t in result.trades}
    return len(positions) + sum(1 for t in result.trades if not t.is_open)


def strategy_tester_statistics(result: BacktestResult) -> dict[str, MetricValue]:
    """The MT5 tester's statistics of one run (see the module docstring), JSON-safe."""
    init = float(result.initial_capital)
    closed = sorted_closed(result.trades)
    net = [float(t.net_profit) for t in closed]
    n = len(net)
    balance = np.concatenate(([init], init + np.cumsum(net))) if n else np.array([init])
    _, equity = equity_arrays(result)
    equity_curve = np.concatenate(([init], equity))
    bal_dd = curve_drawdowns(balance, init)
    eq_dd = curve_drawdowns(equity_curve, init)
    wins = [p for p in net if p > 0]
    losses = [p for p in net if p < 0]
    total = float(sum(net))
    ahpr, ghpr = hpr(balance)
    z = z_score(net)
    lr_corr, lr_error = linear_regression(balance)
    won = series_stats(net, True)
    lost = series_stats(net, False)
    longs = [p for t, p in zip(closed, net, strict=True) if is_long(t.direction)]
    shorts = [p for t, p in zip(closed, net, strict=True) if not is_long(t.direction)]
    holds = _holding_seconds(result.trades)
    hold_avg = sum(holds) / len(holds) if holds else None

    def pct(k: int, of: int) -> float | None:
        return 100.0 * k / of if of else None

    out: dict[str, Any] = {
        "initial_deposit": init,
        "bars": int(len(equity)),
        **history_quality(result.bars),
        "total_net_profit": total,
        "gross_profit": float(sum(wins)),
        "gross_loss": float(sum(losses)),
        "profit_factor": sum(wins) / -sum(losses) if losses else None,
        "expected_payoff": total / n if n else None,
        "recovery_factor": total / eq_dd["maximal"] if eq_dd["maximal"] > 0 else None,
        "ahpr": ahpr,
        "ahpr_percent": None if ahpr is None else 100.0 * (ahpr - 1.0),
        "ghpr": ghpr,
        "ghpr_percent": None if ghpr is None else 100.0 * (ghpr - 1.0),
        "z_score": z,
        "z_score_probability": None if z is None else 100.0 * math.erf(abs(z) / math.sqrt(2.0)),
        "lr_correlation": lr_corr,
        "lr_standard_error": lr_error,
        **margin_figures(result.equity, result.margin),
        "total_trades": n,
        "total_deals": _trading_deals(result),
        "short_trades": len(shorts),
        "short_trades_won_percent": pct(sum(1 for p in shorts if p > 0), len(shorts)),
        "long_trades": len(longs),
        "long_trades_won_percent": pct(sum(1 for p in longs if p > 0), len(longs)),
        "profit_trades": len(wins),
        "profit_trades_percent": pct(len(wins), n),
        "loss_trades": len(losses),
        "loss_trades_percent": pct(len(losses), n),
        "largest_profit_trade": max(wins) if wins else None,
        "largest_loss_trade": min(losses) if losses else None,
        "average_profit_trade": sum(wins) / len(wins) if wins else None,
        "average_loss_trade": sum(losses) / len(losses) if losses else None,
        "max_consecutive_wins": won["longest"],
        "max_consecutive_wins_money": won["longest_money"],
        "max_consecutive_losses": lost["longest"],
        "max_consecutive_losses_money": lost["longest_money"],
        "maximal_consecutive_profit": won["best_money"],
        "maximal_consecutive_profit_count": won["best_count"],
        "maximal_consecutive_loss": lost["best_money"],
        "maximal_consecutive_loss_count": lost["best_count"],
        "average_consecutive_wins": won["average"],
        "average_consecutive_losses": lost["average"],
        "min_holding_seconds": min(holds) if holds else None,
        "max_holding_seconds": max(holds) if holds else None,
        "average_holding_seconds": hold_avg,
        "min_holding_time": format_duration(min(holds) if holds else None),
        "max_holding_time": format_duration(max(holds) if holds else None),
        "average_holding_time": format_duration(hold_avg),
    }
    for prefix, dd in (("balance", bal_dd), ("equity", eq_dd)):
        out[f"{prefix}_drawdown_absolute"] = dd["absolute"]
        out[f"{prefix}_drawdown_maximal"] = dd["maximal"]
        out[f"{prefix}_drawdown_maximal_percent"] = dd["maximal_percent"]
        out[f"{prefix}_drawdown_relative_percent"] = dd["relative_percent"]
        out[f"{prefix}_drawdown_relative"] = dd["relative"]
    return {k: json_safe(v) for k, v in out.items()}
