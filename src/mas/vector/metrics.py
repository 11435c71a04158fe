"""The metrics of :func:`mas.reports.metrics.compute_metrics`, straight from the fast path's arrays.

An optimization needs each parameter set's metrics, not its trade records or its equity curve.
Here they come from the :class:`~mas.vector.ledger.Ledger` (one array per trade number)
and one pass over the bars, with no per-trade Python object and no per-bar array:

- the equity pass (compiled by numba when it is installed) walks the bars the way the books do
  (balance after each bar's deals, plus the open position's floating P&L and swaps through the
  terminal's linear form) and keeps only what the metrics read: the running peak and the deepest
  drawdown, and the equity at the last bar of each UTC day. Bars with no position open are
  skipped in one step (equity is the balance there). Without numba the books' per-bar arrays are
  built instead (:func:`~mas.vector.ledger.ledger_books`) and read with numpy;
- the trade statistics: one compiled pass over the trades for counts, extremes, runs and the sums
  ``trade_statistics`` takes in sequence, numpy for the sums it takes with numpy; without numba,
  numpy expressions over the closed trades in close-time order. Exposure is the union of the bars
  the trades cover, counted interval by interval.

Every metric has one formula, in :mod:`mas.reports.metrics`: the document is assembled by its
``all_metrics`` from the same parts (``statistics_of`` of the trade figures, ``returns_of`` the
end-of-day equity, the same Sharpe/Sortino/CAGR, ``covered_percent`` for exposure,
``longest_run``, ``sequential_sum``, ``day_ends``); what is computed here is only the inputs, from
arrays instead of records, with the same operations in the same order (the same numpy reductions
on the same arrays, sums in sequence where it sums in sequence), so the values are equal, not
merely close: ``tests/optimize/test_fast_metrics.py`` holds them together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mas.i18n.errors import InputError
from mas.reports.metrics import (
    MetricValue,
    TradeFigures,
    all_metrics,
    covered_percent,
    day_ends,
    drawdown_magnitude,
    longest_run,
    max_drawdown,
    returns_of,
    sequential_sum,
    statistics_of,
    trade_bar_spans,
)
from mas.vector.jit import HAVE_NUMBA, inline, njit, prefetch
from mas.vector.kernel import EXIT_BAR_OPEN, EXIT_TIME, OPEN_TIME, TICKET
from mas.vector.ledger import Ledger, Prices, ledger_books, trade_commissions

__all__ = ["Calendar", "ledger_metrics"]

USE_NUMBA = HAVE_NUMBA
"""Whether the compiled passes run (tests switch it off to check the numpy implementation)."""
AHEAD = 4
"""How many positions ahead the equity pass prefetches the bars it will read."""


@dataclass(frozen=True)
class Calendar:
    """What the equity metrics need of the bar times, computed once per set of candles."""

    times: np.ndarray
    """Bar open times, epoch seconds (int64, ascending)."""
    day_last: np.ndarray
    """Index of the last bar of each UTC calendar day with bars (``metrics.daily_equity``)."""
    strict: bool = True
    """Whether the times are strictly increasing (no two bars at one time)."""
    spacing: float = 0.0
    """The least distance between two consecutive bar opens (seconds; inf with one bar)."""

    @classmethod
    def of(cls, times: np.ndarray) -> Calendar:
        """The calendar of sorted bar ``times`` (epoch seconds); ValueError when they are not sorted."""
        times = np.asarray(times, dtype=np.int64)
        if len(times) > 1 and np.any(np.diff(times) < 0):
            raise InputError("fast_times_unsorted")
        if len(times) == 0:
            return cls(times, np.zeros(0, dtype=np.int64))
        gaps = np.diff(times)
        return cls(times, day_ends(times), bool(np.all(gaps > 0)), float(gaps.min()) if len(gaps) else np.inf)


@njit
def _floor(peak: float, worst: float) -> float:
    """Equity at or above this cannot fall deeper than ``worst`` below ``peak``: only bars under it need the
    exact ``equity / peak - 1`` (the margin, 1e-12 relative, is far above the rounding of those operations)."""
    if not peak > 0.0:
        return -np.inf  # no drawdown is measured from a peak that is not positive (or NaN)
    if worst < -0.999:
        return np.inf  # near -100 %: check every bar exactly
    return peak * (1.0 + worst) * (1.0 + 1e-12)


@inline
def _drawdown_step(equity: float, peak: float, floor: float, worst: float) -> tuple[float, float, float]:
    """The running peak, its floor and the deepest drawdown after one more equity point."""
    if equity > peak:
        peak = equity
        floor = _floor(peak, worst)
    elif equity < floor:
        fall = equity / peak - 1.0
        if fall < worst:
            worst = fall
            floor = _floor(peak, worst)
    elif equity != equity:
        peak = np.nan
        floor = _floor(peak, worst)
    return peak, floor, worst


@njit
def _equity_pass(capital: float, fill: np.ndarray, exit_bar: np.ndarray, ended: np.ndarray, entry_change: np.ndarray,
                 exit_change: np.ndarray, is_buy: np.ndarray, entry: np.ndarray, sizes: np.ndarray,
                 roll_bars: np.ndarray, roll_nights: np.ndarray, charge_long: np.ndarray, charge_short: np.ndarray,
                 charge_row: np.ndarray, close: np.ndarray, spread: np.ndarray, day_last: np.ndarray,
                 eod: np.ndarray) -> tuple[float, float]:
    """``(final equity, deepest drawdown fraction)``, and the equity at each day's last bar into ``eod``.

    The balance and equity are those of ``ledger._balance_and_equity`` (the deals in the same order:
    each trade's entry at its fill bar, then its exit at its exit bar; the same additions); the
    drawdown is ``metrics.drawdown_series``' per point (``equity / peak - 1``, the running peak
    starting at the initial capital, NaN equity ending the measure as ``np.maximum`` does). Between
    positions the equity is the balance: those bars are passed over in one step.
    """
    n = len(close)
    trades = len(fill)
    days = len(day_last)
    running = 0.0 + capital
    peak = 0.0 + capital
    worst = 0.0
    floor = _floor(peak, worst)
    final = running
    rolls = len(roll_bars)
    r = 0  # the next rollover
    dt = 0  # the next deal: trade dt's entry (dk 0) or exit (dk 1)
    dk = 0
    t = 0  # the first trade not yet stopped
    j = 0
    next_day = day_last[0] if days else n
    i = 0
    while i < n:
        while dt < trades:
            if dk == 1 and ended[dt]:
                dt += 1
                dk = 0
                continue
            if (fill[dt] if dk == 0 else exit_bar[dt]) > i:
                break
            if dk == 0:
                running += entry_change[dt]
                dk = 1
            else:
                running += exit_change[dt]
                dt += 1
                dk = 0
        while t < trades and (n if ended[t] else exit_bar[t]) <= i:
            t += 1
        if t < trades and fill[t] <= i:  # a position is open at these closes; no deal until it stops
            end = n if ended[t] else exit_bar[t]
            if t + AHEAD < trades:  # where a later position starts: asked for now, read a few positions on
                prefetch(close, fill[t + AHEAD])
                prefetch(spread, fill[t + AHEAD])
            buy = is_buy[t]
            charges = charge_long[charge_row[t]] if buy else charge_short[charge_row[t]]
            size = sizes[t]
            swap = 0.0
            if buy:
                k, m, s = 0.0 + (swap - size * entry[t]), 0.0 + size, 0.0
            else:
                k, m, s = 0.0 + (swap + size * entry[t]), 0.0 - size, 0.0 - size
            first = fill[t]
            while r < rolls and roll_bars[r] <= first:  # the fill bar's own rollover is not the position's
                r += 1
            b = i
            while b < end:
                if r < rolls and roll_bars[r] == b:
                    swap += charges[roll_nights[r]]
                    k = 0.0 + (swap - size * entry[t]) if buy else 0.0 + (swap + size * entry[t])
                    r += 1
                stretch = min(end, next_day + 1, roll_bars[r] if r < rolls else n)  # to a day's end or a rollover
                for q in range(b, stretch):
                    # a long's spread term is 0.0 * spread = 0.0 (spreads are finite): its spread is not read
                    equity = running + (0.0 + ((k + m * close[q]) + (s * spread[q] if s != 0.0 else 0.0)))
                    peak, floor, worst = _drawdown_step(equity, peak, floor, worst)
                    final = equity
                if stretch - 1 == next_day:
                    eod[j] = final
                    j += 1
                    next_day = day_last[j] if j < days else n
                b = stretch
            i = end
            continue
        # flat: the equity is the balance up to the next deal
        equity = running
        until = n
        if dt < trades:
            until = min(n, fill[dt] if dk == 0 else exit_bar[dt])
        peak, floor, worst = _drawdown_step(equity, peak, floor, worst)
        while next_day < until:
            eod[j] = equity
            j += 1
            next_day = day_last[j] if j < days else n
        final = equity
        i = until
    return final, worst


def _equity_numbers(ledger: Ledger, prices: Prices, calendar: Calendar,
                    capital: float) -> tuple[float, float, np.ndarray]:
    """``(final equity, max drawdown %, end-of-day equity)`` of the ledger's run."""
    n = len(prices.close)
    # a converted run's equity is not linear in the bid, and several positions overlap: the books' per-bar arrays
    if USE_NUMBA and ledger.rates is None and not ledger.several:
        entry_change, exit_change = ledger.changes()
        eod = np.empty(len(calendar.day_last))
        final, worst = _equity_pass(capital, ledger.fill, ledger.exit_bar, ledger.ended, entry_change, exit_change,
                                    ledger.is_buy, ledger.entry, ledger.size, prices.roll_bars, prices.roll_nights,
                                    ledger.charge_long, ledger.charge_short, ledger.charge_row, prices.close,
                                    prices.spread, calendar.day_last, eod)
        return (final if n else capital), drawdown_magnitude(worst), eod
    equity = ledger_books(ledger, capital, prices).equity
    final = float(equity[-1]) if n else capital
    return final, max_drawdown(equity, capital), equity[calendar.day_last]


@njit
def _covered(bars: int, spacing: float, fill: np.ndarray, exit_bar: np.ndarray, closes: np.ndarray,
             exit_bar_time: np.ndarray) -> int:
    """The bars :func:`_exposure` counts, in one pass over trades in fill order, without searching the bar times:
    a trade opens at the open of bar ``fill``, and a close at most ``spacing`` (the least distance between two
    bar opens) after the open of its bar ``exit_bar`` lies before the next bar's open, or on it. -1 when a trade
    is not so (or out of order): the caller searches then."""
    held = 0
    reach = -1
    for t in range(len(fill)):
        first = fill[t]
        if first < 0 or first >= bars or (t > 0 and first < fill[t - 1]):
            return -1
        if np.isinf(closes[t]):
            last = bars - 1
        else:
            e = exit_bar[t]
            offset = closes[t] - exit_bar_time[t]
            if e < 0 or e >= bars or offset < 0.0 or (e + 1 < bars and offset > spacing):
                return -1
            last = e - 1 if offset == 0.0 else e
        last = max(last, first)
        start = max(first, reach + 1)
        if last >= start:
            held += last - start + 1
        reach = max(reach, last)
    return held


def _exposure(calendar: Calendar, fill: np.ndarray, exit_bar: np.ndarray, closes: np.ndarray,
              exit_bar_time: np.ndarray) -> float:
    """``metrics.exposure_percent`` of trades opened at the open of bar ``fill`` and closed at ``closes`` (epoch
    seconds, inside bar ``exit_bar`` opened at ``exit_bar_time``; inf while open): the union of the bars they
    cover, interval by interval."""
    times = calendar.times
    n = len(times)
    if n == 0 or len(fill) == 0:
        return 0.0
    if USE_NUMBA and calendar.strict:
        held = _covered(n, calendar.spacing, fill, exit_bar, closes, exit_bar_time)
        if held >= 0:
            return float(100.0 * (held / n))
    still_open = np.isinf(closes)
    bar_open = times[np.minimum(exit_bar, n - 1)]
    next_open = times[np.minimum(exit_bar + 1, n - 1)]
    inside = (closes >= bar_open) & ((exit_bar >= n - 1) | (closes < next_open))
    if not (calendar.strict and bool(np.all(still_open | inside))):
        return covered_percent(*trade_bar_spans(times, times[fill].astype(np.float64), closes), n)
    # what trade_bar_spans finds, without searching: the open is bar ``fill`` itself, and a close inside bar e
    # comes after the opens of bars 0..e, or of 0..e-1 when it is exactly e's open
    last = np.where(still_open, n - 1, exit_bar - (closes == bar_open))
    keep = closes >= times[0]
    return covered_percent(fill[keep], np.maximum(last, fill)[keep], n)


@njit
def _scan_trades(profit: np.ndarray, swap: np.ndarray, is_buy: np.ndarray, ended: np.ndarray, opened: np.ndarray,
                 closed: np.ndarray, tickets: np.ndarray, commissions: np.ndarray, open_commissions: np.ndarray,
                 pnl: np.ndarray, holds: np.ndarray) -> tuple:
    """One pass over the trades in the ledger's order for what needs no pairwise sum (counts, extremes, runs,
    and the sums ``trade_statistics`` takes in sequence, ``sequential_sum``); the closed trades' net
    profits and holding times go into ``pnl`` and ``holds`` for numpy's sums. ``in_order`` is False when the
    closed trades are not in close-time order (then the caller sorts them and scans again)."""
    count = 0
    wins = losses = 0
    worst_loss = best_win = 0.0
    run_loss = run_win = best_run_loss = best_run_win = 0
    long_n = long_wins = short_n = short_wins = 0
    long_pl = short_pl = total_commission = total_swap = 0.0
    open_n = 0
    open_pl = 0.0
    in_order = True
    previous = (0.0, 0.0, 0.0)
    for t in range(len(profit)):
        if ended[t]:
            open_n += 1
            open_pl += (profit[t] + open_commissions[t]) + swap[t]
            continue
        key = (closed[t], opened[t], tickets[t])
        if count > 0 and key < previous:
            in_order = False
        previous = key
        commission = commissions[t]
        value = (profit[t] + commission) + swap[t]
        pnl[count] = value
        holds[count] = closed[t] - opened[t]
        if value > 0.0:
            wins += 1
            best_win = value if wins == 1 or value > best_win else best_win
            run_win += 1
            run_loss = 0
        elif value < 0.0:
            losses += 1
            worst_loss = value if losses == 1 or value < worst_loss else worst_loss
            run_loss += 1
            run_win = 0
        else:
            run_loss = run_win = 0
        best_run_loss = max(best_run_loss, run_loss)
        best_run_win = max(best_run_win, run_win)
        if is_buy[t]:
            long_n += 1
            long_wins += value > 0.0
            long_pl += value
        else:
            short_n += 1
            short_wins += value > 0.0
            short_pl += value
        total_commission += commission
        total_swap += swap[t]
        count += 1
    return (in_order, count, wins, losses, worst_loss, best_win, best_run_loss, best_run_win, long_n, long_wins,
            long_pl, short_n, short_wins, short_pl, total_commission, total_swap, open_n, open_pl)


def _compiled_statistics(ledger: Ledger, times: np.ndarray) -> dict[str, MetricValue]:
    """:func:`_trade_statistics` with one compiled pass (numba)."""
    rows = ledger.rows
    opened = rows[:, OPEN_TIME]  # the fill bar's open time, as the kernel read it
    tickets = rows[:, TICKET]
    commission, open_commission = trade_commissions(ledger.commission)
    arguments = [ledger.profit, ledger.swap, ledger.is_buy, ledger.ended, opened, rows[:, EXIT_TIME], tickets,
                 commission, open_commission]
    pnl, holds = np.empty(len(rows)), np.empty(len(rows))
    scan = _scan_trades(*arguments, pnl, holds)
    if not scan[0]:  # not in close-time order: sort as trade_statistics does and scan again
        closed = np.flatnonzero(~ledger.ended)
        order = np.concatenate((closed[np.lexsort((tickets[closed], opened[closed], rows[closed, EXIT_TIME]))],
                                np.flatnonzero(ledger.ended)))
        scan = _scan_trades(*(a[order] for a in arguments), pnl, holds)
    (_, n, wins, losses, worst_loss, best_win, run_loss, run_win, long_n, long_wins, long_pl, short_n, short_wins,
     short_pl, total_commission, total_swap, open_n, open_pl) = scan
    pnl, holds = pnl[:n], holds[:n]
    return statistics_of(TradeFigures(
        count=n, wins=wins, losses=losses, gross_profit=float(pnl[pnl > 0].sum()),  # numpy's (pairwise) sums
        gross_loss=float(pnl[pnl < 0].sum()), total=float(pnl.sum()), worst_loss=worst_loss, best_win=best_win,
        losing_run=run_loss, winning_run=run_win, holding_seconds=float(holds.sum()) / n if n else None,
        commission=total_commission, swap=total_swap, long_count=long_n, long_wins=long_wins, long_total=long_pl,
        short_count=short_n, short_wins=short_wins, short_total=short_pl, open_count=open_n, open_total=open_pl,
    ))


def _trade_statistics(ledger: Ledger, times: np.ndarray) -> dict[str, MetricValue]:
    """``metrics.trade_statistics`` of the ledger's trades."""
    if USE_NUMBA:
        return _compiled_statistics(ledger, times)
    rows = ledger.rows
    open_times = times[ledger.fill].astype(np.float64)
    close_times = rows[:, EXIT_TIME]
    closed = np.flatnonzero(~ledger.ended)
    order = closed[np.lexsort((rows[closed, TICKET], open_times[closed], close_times[closed]))]
    commission, open_commission = trade_commissions(ledger.commission)
    pnl = (ledger.profit[order] + commission[order]) + ledger.swap[order]
    n = len(pnl)
    wins = pnl[pnl > 0]
    losses = pnl[pnl < 0]
    long = ledger.is_buy[order]
    long_pnl, short_pnl = pnl[long], pnl[~long]
    still_open = np.flatnonzero(ledger.ended)
    open_pnl = (ledger.profit[still_open] + open_commission[still_open]) + ledger.swap[still_open]
    return statistics_of(TradeFigures(
        count=n, wins=len(wins), losses=len(losses), gross_profit=float(wins.sum()), gross_loss=float(losses.sum()),
        total=float(pnl.sum()), worst_loss=float(losses.min()) if len(losses) else 0.0,
        best_win=float(wins.max()) if len(wins) else 0.0, losing_run=longest_run(pnl < 0),
        winning_run=longest_run(pnl > 0),
        holding_seconds=float(np.mean(close_times[order] - open_times[order])) if n else None,
        commission=sequential_sum(commission[order]), swap=sequential_sum(ledger.swap[order]),
        long_count=len(long_pnl), long_wins=int((long_pnl > 0).sum()), long_total=sequential_sum(long_pnl),
        short_count=len(short_pnl), short_wins=int((short_pnl > 0).sum()), short_total=sequential_sum(short_pnl),
        open_count=len(still_open), open_total=sequential_sum(open_pnl),
    ))


def ledger_metrics(ledger: Ledger, prices: Prices, calendar: Calendar, capital: float) -> dict[str, MetricValue]:
    """``compute_metrics`` of the run the ledger books (same keys, same order, same values)."""
    init = float(capital)
    final_equity, drawdown, eod = _equity_numbers(ledger, prices, calendar, init)
    returns, _ = returns_of(eod, init)
    closes = np.where(ledger.ended, np.inf, ledger.rows[:, EXIT_TIME])
    exposure = _exposure(calendar, ledger.fill, ledger.exit_bar, closes, ledger.rows[:, EXIT_BAR_OPEN])
    return all_metrics(_trade_statistics(ledger, calendar.times), initial_capital=init,
                       final_equity=float(final_equity), drawdown=drawdown, returns=returns, exposure=exposure,
                       bars=len(calendar.times), trading_days=len(calendar.day_last))
