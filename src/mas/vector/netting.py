"""The trade loop of a compiled spec holding up to ``max_open_positions`` entries on a netting account.

A netting account keeps one position per symbol. Each entry the strategy sends merges into it (``AccountBook``): an
entry on the position's side adds its volume at the volume-weighted price (rounded to ``digits + 3``) and the
position keeps its first stops; an opposite entry reduces, closes or reverses it (a reversal keeps the position's
ticket and takes the entry's stops). The compiled strategy (``SpecStrategy``'s netting bookkeeping) counts its
entries, not the position: at each close

1. the entries whose side's exit rule fires, or held ``exit_after_bars`` since their signal, are closed by one order
   of their summed volume (a partial close when others stay);
2. the trailing stop moves the position's stop (once);
3. a long entry, then a short one, each while fewer than ``max_positions`` entries are open or on their way.

A deal taking volume off the position takes it off the entries being closed first, then the oldest; a stop loss or
take profit closes the position and every entry in it. Every closing deal is a trade record (the part closed, at the
position's merged price, its share of the swaps and entry commissions).

The money is kept as the terminal books it (to the cent, deal by deal, in float operations of the same order), so
the loop writes, besides the trade rows (:data:`~mas.vector.ledger.NET_COLUMNS` wide: each trade's swap and
commission in ``NET_SWAP`` / ``NET_FEE``), the balance, equity and margin at each bar's close into ``curves``. The
margin and stop-out checks are watched as in :mod:`.kernel`; a flagged set goes to the event engine.

In another profit currency the position is valued as the terminal values such a position (its raw P&L at the close
converted at the close's rate, plus its swaps), each exit converted at the rate of its moment, each rollover's swap at
the bar's open; a margin in another currency is converted at each fill (:mod:`.conversion`'s rates, as
:mod:`.pyramid` reads them).
"""

from __future__ import annotations

import numpy as np

from mas.vector.jit import njit
from mas.vector.kernel import (
    BUY,
    CLOSE,
    ENTRY_PRICE,
    EXIT_BAR,
    EXIT_BAR_OPEN,
    EXIT_CLIENT,
    EXIT_END,
    EXIT_KIND,
    EXIT_PRICE,
    EXIT_RATE,
    EXIT_TIME,
    FILL_BAR,
    FLAG_MARGIN,
    FLAG_STOP_OUT,
    HIGH,
    LOT_MAX,
    LOT_MIN,
    LOT_RISK,
    LOT_STEP,
    LOW,
    M_BUY,
    M_CLOSE,
    M_SELL,
    OPEN,
    OPEN_TIME,
    R_CLOSE,
    R_HIGH,
    R_LOW,
    R_OPEN,
    SAFETY,
    SELL,
    SIDE,
    SIGNAL_BAR,
    SPREAD,
    STOP_LOSS,
    TAKE_PROFIT,
    TICKET,
    TIME,
    VOLUME,
    _risk_volume,
    _seek,
    py_round_one,
    rate_at,
    walk_bar,
)
from mas.vector.ledger import NET_BALANCE, NET_EQUITY, NET_FEE, NET_MARGIN, NET_SWAP

__all__ = ["MONEY_FIELDS", "simulate_netting"]

(M_CONTRACT, M_COMMISSION, M_SWAP_LONG, M_SWAP_SHORT, M_DIGITS, M_MERGE, M_MODE, M_LEVERAGE, M_RATE,
 M_BY_PRICE) = range(10)
MONEY_FIELDS = ("contract", "commission", "swap_long", "swap_short", "digits_scale", "merge_scale", "margin_mode",
                "leverage", "margin_rate", "margin_by_price")
"""Entries of :func:`simulate_netting`'s ``money``: contract size, commission per lot and side (positive = cost),
one lot's swap of one night long / short (``points * point * contract``), ``10.0 ** digits``, ``10.0 ** (digits +
3)`` (the merged price's rounding), the margin formula (0 forex, 1 forex without leverage, 2 CFD, 3 CFD with
leverage), the leverage, the margin rate, and 1.0 when the margin is in the base currency priced by the fill (the
P&L in the account's)."""


@njit
def _margin(money: np.ndarray, volume: float, price: float, rate: float) -> float:
    """``AccountBook.margin_for``: ``volume`` lots at ``price`` in the account currency (``rate``: the margin
    currency's, read when it is neither the account's nor the base currency priced by the fill)."""
    lots_contract = volume * money[M_CONTRACT]
    mode = money[M_MODE]
    if mode == 0.0:
        value = lots_contract / money[M_LEVERAGE]
    elif mode == 1.0:
        value = lots_contract
    elif mode == 2.0:
        value = lots_contract * price
    else:
        value = lots_contract * price / money[M_LEVERAGE]
    value = value * money[M_RATE]
    return value * price if money[M_BY_PRICE] == 1.0 else value * rate


@njit
def _floating(side: int, volume: float, price: float, swap: float, contract: float, bid: float, spread: float,
              converting: bool, rate: float) -> float:
    """The position's floating P&L and swaps at ``bid`` (``AccountBook.floating_profit``: its linear form; with
    ``converting``, its raw P&L converted at ``rate`` plus its swaps, as a position in another profit currency)."""
    if side == 0:
        return 0.0
    if converting:
        diff = bid - price if side == 1 else price - (bid + spread)
        return 0.0 + (((diff * contract) * volume) * rate + swap)
    size = contract * volume
    if side == 1:
        k, m, s = 0.0 + (swap - size * price), 0.0 + size, 0.0
    else:
        k, m, s = 0.0 + (swap + size * price), 0.0 - size, 0.0 - size
    return 0.0 + ((k + m * bid) + s * spread)


@njit
def _take(volumes: np.ndarray, closing: np.ndarray, signals: np.ndarray, count: int,
          volume: float) -> tuple[int, float]:
    """``SpecStrategy._netting_deal``: ``volume`` taken off the entries, the ones being closed first, then the
    oldest; an entry left with nothing is dropped. Returns (count, volume left over)."""
    left = volume
    for rank in range(2):
        k = 0
        while k < count and left > 1e-9:
            if (closing[k] == 1.0) == (rank == 0):
                taken = min(volumes[k], left)
                left = py_round_one(left - taken, 1e8)
                volumes[k] = py_round_one(volumes[k] - taken, 1e8)
                closing[k] = 0.0
                if volumes[k] <= 1e-9:
                    count = _drop(volumes, closing, signals, count, k)
                    continue
            k += 1
    return count, left


@njit
def _drop(volumes: np.ndarray, closing: np.ndarray, signals: np.ndarray, count: int, k: int) -> int:
    """Entry ``k`` removed (the others keep their order); the new count."""
    for q in range(k, count - 1):
        volumes[q] = volumes[q + 1]
        closing[q] = closing[q + 1]
        signals[q] = signals[q + 1]
    return count - 1


@njit
def _append(volumes: np.ndarray, closing: np.ndarray, signals: np.ndarray, count: int, lots: float,
            signal: int) -> int:
    """A filled entry of ``lots`` sent at bar ``signal`` added last; the new count."""
    volumes[count] = lots
    closing[count] = 0.0
    signals[count] = signal
    return count + 1


@njit
def simulate_netting(bars: np.ndarray, entry_long: np.ndarray, entry_short: np.ndarray, exit_long: np.ndarray,
                     exit_short: np.ndarray, has_levels: bool, long_sl: np.ndarray, long_tp: np.ndarray,
                     short_sl: np.ndarray, short_tp: np.ndarray, exit_after: int, bar_seconds: int, slip: float,
                     capital: float, stop_out: float, rollovers: np.ndarray, has_trail: bool, trail_long: np.ndarray,
                     trail_short: np.ndarray, volume: float, max_positions: int, sizing: bool, lot: np.ndarray,
                     loss_long: np.ndarray, loss_short: np.ndarray, money: np.ndarray, has_detail: bool,
                     detail_start: np.ndarray, detail: np.ndarray, converting: bool, margin_converting: bool,
                     legs: np.ndarray, conv_times: np.ndarray, conv_values: np.ndarray, conv_bars: np.ndarray,
                     trades: np.ndarray, curves: np.ndarray):
    """Trades of one parameter set on a netting account into ``trades`` (at least ``4 * len(bars) + 2`` rows of
    ``NET_COLUMNS``), the balance, equity and margin at each close into ``curves[:, NET_*]`` (``len(bars)`` rows);
    the arguments are :func:`.pyramid.simulate_many`'s (``money``: the :data:`MONEY_FIELDS`; ``converting``: the
    P&L is in another currency, ``margin_converting``: the margin's rate is read from ``conv_bars`` at each fill).
    Returns (count, flag): the trade rows in the order of the trade records (closing deals in order, then the position
    still open).
    """
    n = len(bars)
    cap = max_positions + 3
    volumes = np.zeros(cap)  # the strategy's filled entries in the order it keeps them: lots, being closed, signal
    closing = np.zeros(cap)
    signals = np.zeros(cap, dtype=np.int64)
    entries = 0
    waiting = 0  # entries sent at the last close: side, lots, sl, tp, ticket, signal bar
    orders = np.zeros((2, 6))
    leaving = 0.0  # the close order sent at the last close (its volume), 0.0: none
    contract = money[M_CONTRACT]
    side = 0  # the position: side (0 none), lots, merged price, stops, swaps, entry commissions, margin, ticket, bar
    held = price_open = sl = tp = swap = fees = margin = 0.0
    position_ticket = opened = 0
    booked = 0.0 + capital
    equity = booked
    count = 0
    flag = 0
    ticket = 1
    limit = 2.0 * stop_out / 100.0
    pel = pes = pxl = pxs = 0
    i = -1
    while i < n - 1:
        i += 1
        nights = rollovers[i]
        if side != 0 and nights > 0:
            unit = money[M_SWAP_LONG] if side == 1 else money[M_SWAP_SHORT]
            swap += py_round_one(((unit * held) * nights) * (conv_bars[i, R_OPEN] if converting else 1.0), 100.0)
        deals = 1 if leaving > 0.0 and side != 0 else 0
        for d in range(deals + waiting):  # the close order first, then the entries (long first), in ticket order
            closes = d < deals
            w = d - deals
            if closes:
                go, lots = -side, leaving
            else:
                go, lots = int(orders[w, 0]), orders[w, 1]
            fill = bars[i, BUY] if go == 1 else bars[i, SELL]
            commission = -money[M_COMMISSION] * lots
            booked_commission = py_round_one(commission, 100.0) + 0.0
            rate = conv_bars[i, R_OPEN] if converting else 1.0
            equity = booked + _floating(side, held, price_open, swap, contract, bars[i, OPEN], bars[i, SPREAD],
                                        converting, rate)
            margin_rate = (conv_bars[i, M_BUY] if go == 1 else conv_bars[i, M_SELL]) if margin_converting else 1.0
            if side == 0 or side == go:  # opens or adds to the position
                needed = _margin(money, lots, fill, margin_rate)
                if equity + commission - margin < needed * SAFETY:
                    flag |= FLAG_MARGIN
                if side == 0:
                    side, held, price_open, swap, fees, margin = go, lots, fill, 0.0, commission, needed
                    sl, tp = orders[w, 2], orders[w, 3]
                    position_ticket, opened = int(orders[w, 4]), i
                else:
                    total = held + lots
                    price_open = py_round_one((price_open * held + fill * lots) / total, money[M_MERGE])
                    held = py_round_one(total, 1e8)
                    margin += needed
                    fees += commission
                booked += ((0.0 + booked_commission) + 0.0) + 0.0
                entries = _append(volumes, closing, signals, entries, lots, int(orders[w, 5]))
                continue
            closed = min(lots, held)
            fraction = closed / held
            diff = fill - price_open if side == 1 else price_open - fill
            profit = py_round_one(((diff * contract) * closed) * rate, 100.0)
            share = py_round_one(swap * fraction, 100.0)
            entry_share = fees * fraction
            turned = py_round_one(lots - closed, 1e8)
            if turned > 1e-9 and equity - margin < _margin(money, turned, fill, margin_rate) * SAFETY:
                flag |= FLAG_MARGIN
            booked += ((profit + booked_commission) + share) + 0.0
            exit_commission = commission * (closed / lots)
            count = _row(trades, count, bars, side, opened, i, EXIT_CLIENT, fill, bars[i, TIME], sl, tp,
                         position_ticket, price_open, closed, share, entry_share + exit_commission, rate)
            swap -= share
            fees -= entry_share
            entries, left = _take(volumes, closing, signals, entries, lots)
            if not closes and turned > 1e-9 and left > 1e-9:  # the entry reversed the position: it is what is left
                entries = _append(volumes, closing, signals, entries, left, int(orders[w, 5]))
            if closed >= held - 1e-9:
                if turned > 1e-9:  # a reversal keeps the position's ticket and takes the entry's stops
                    side, held, price_open = go, turned, fill
                    margin = _margin(money, turned, fill, margin_rate)
                    fees, swap, opened = commission - exit_commission, 0.0, i
                    sl, tp = orders[w, 2], orders[w, 3]
                else:
                    side, held, price_open, swap, fees, margin = 0, 0.0, 0.0, 0.0, 0.0, 0.0
            else:
                margin *= 1 - fraction
                held = py_round_one(held - closed, 1e8)
        leaving = 0.0
        waiting = 0
        if side != 0 and has_levels:
            if _watch(side, held, price_open, swap, contract, booked, margin, bars, i, limit, converting, conv_bars):
                flag |= FLAG_STOP_OUT
            kind, at, price, moment = walk_bar(bars, i, has_detail, detail, detail_start, bar_seconds, side, sl, tp,
                                               slip)
            if kind >= 0:  # the stop or the target closes the position and forgets every entry in it
                ticket += 1
                fill = py_round_one(price, money[M_DIGITS])
                diff = fill - price_open if side == 1 else price_open - fill
                rate = rate_at(legs, conv_times, conv_values, moment, at, at) if converting else 1.0
                profit = py_round_one(((diff * contract) * held) * rate, 100.0)
                commission = -money[M_COMMISSION] * held
                share = py_round_one(swap * 1.0, 100.0)
                booked += ((profit + (py_round_one(commission, 100.0) + 0.0)) + share) + 0.0
                count = _row(trades, count, bars, side, opened, i, kind, price, moment, sl, tp, position_ticket,
                             price_open, held, share, fees * 1.0 + commission * 1.0, rate)
                side, held, price_open, swap, fees, margin = 0, 0.0, 0.0, 0.0, 0.0, 0.0
                entries = 0
        if side != 0 and _watch(side, held, price_open, swap, contract, booked, margin, bars, i, limit, converting,
                                conv_bars):
            flag |= FLAG_STOP_OUT
        equity = booked + _floating(side, held, price_open, swap, contract, bars[i, CLOSE], bars[i, SPREAD],
                                    converting, conv_bars[i, R_CLOSE] if converting else 1.0)
        curves[i, NET_BALANCE] = booked
        curves[i, NET_EQUITY] = equity
        curves[i, NET_MARGIN] = margin
        if i == n - 1:
            break
        pxl = _seek(exit_long, pxl, i)
        pxs = _seek(exit_short, pxs, i)
        rule = (pxl < len(exit_long) and exit_long[pxl] == i) if side == 1 else (
            pxs < len(exit_short) and exit_short[pxs] == i)
        total = 0.0
        any_left = False
        for k in range(entries):  # exits: one close order for the entries leaving
            if closing[k] == 0.0 and (rule or (exit_after >= 0 and i - signals[k] >= exit_after)):
                closing[k] = 1.0
                total += volumes[k]
                any_left = True
        if any_left:
            leaving = py_round_one(total, 1e8)
            ticket += 1
        if has_trail and side != 0:
            trails = False
            for k in range(entries):
                if closing[k] == 0.0:
                    trails = True
            if trails:
                if side == 1:
                    level = trail_long[i]
                    if level < bars[i, CLOSE] and (sl == 0.0 or level > sl):
                        sl = level
                else:
                    level = trail_short[i]
                    if level > bars[i, CLOSE] + bars[i, SPREAD] and (sl == 0.0 or level < sl):
                        sl = level
        pel = _seek(entry_long, pel, i)
        pes = _seek(entry_short, pes, i)
        for go in (1, -1):
            fires = (pel < len(entry_long) and entry_long[pel] == i) if go == 1 else (
                pes < len(entry_short) and entry_short[pes] == i)
            counted = waiting
            for k in range(entries):
                if closing[k] == 0.0:
                    counted += 1
            if not fires or counted >= max_positions:
                continue
            lots = volume
            if sizing:
                lots = _risk_volume(equity, loss_long[i] if go == 1 else loss_short[i], lot[LOT_RISK],
                                    lot[LOT_STEP], lot[LOT_MAX], lot[LOT_MIN])
                if lots <= 0.0:
                    continue
            estimate = bars[i, CLOSE] + bars[i, SPREAD] if go == 1 else bars[i, CLOSE]
            if equity - margin < _margin(money, lots, estimate, conv_bars[i, M_CLOSE] if margin_converting else
                                         1.0) * SAFETY:
                flag |= FLAG_MARGIN
            orders[waiting, 0] = go
            orders[waiting, 1] = lots
            orders[waiting, 2] = (long_sl[i] if go == 1 else short_sl[i]) if has_levels else 0.0
            orders[waiting, 3] = (long_tp[i] if go == 1 else short_tp[i]) if has_levels else 0.0
            orders[waiting, 4] = ticket
            ticket += 1
            orders[waiting, 5] = i
            waiting += 1
        if side == 0 and waiting == 0 and leaving == 0.0:  # flat, nothing sent: on to the next entry signal
            pel = _seek(entry_long, pel, i + 1)
            pes = _seek(entry_short, pes, i + 1)
            upcoming = min(entry_long[pel] if pel < len(entry_long) else n,
                           entry_short[pes] if pes < len(entry_short) else n, n - 1)
            for q in range(i + 1, upcoming):
                curves[q, NET_BALANCE] = booked
                curves[q, NET_EQUITY] = booked
                curves[q, NET_MARGIN] = 0.0
            if upcoming > i + 1:
                i = upcoming - 1
    if side != 0:  # still open at the end
        count = _row(trades, count, bars, side, opened, n - 1, EXIT_END, 0.0, 0.0, sl, tp, position_ticket,
                     price_open, held, py_round_one(swap, 100.0), fees * 2.0,
                     conv_bars[n - 1, R_CLOSE] if converting else 1.0)
    return count, flag


@njit
def _row(trades: np.ndarray, count: int, bars: np.ndarray, side: int, opened: int, exit_bar: int, kind: int,
         price: float, moment: float, sl: float, tp: float, ticket: int, entry: float, lots: float, swap: float,
         fee: float, rate: float) -> int:
    """One trade record's row (the position's merged ``entry``, the ``lots`` closed, its booked ``swap`` and its
    commission ``fee``: entry share plus exit; the profit currency's ``rate`` at the exit); the new count."""
    trades[count, SIDE] = side
    trades[count, SIGNAL_BAR] = opened
    trades[count, FILL_BAR] = opened
    trades[count, EXIT_BAR] = exit_bar
    trades[count, EXIT_KIND] = kind
    trades[count, EXIT_PRICE] = price
    trades[count, EXIT_TIME] = moment
    trades[count, STOP_LOSS] = sl
    trades[count, TAKE_PROFIT] = tp
    trades[count, TICKET] = ticket
    trades[count, ENTRY_PRICE] = entry
    trades[count, OPEN_TIME] = bars[opened, TIME]
    trades[count, EXIT_BAR_OPEN] = bars[exit_bar, TIME]
    trades[count, VOLUME] = lots
    trades[count, EXIT_RATE] = rate
    trades[count, NET_SWAP] = swap
    trades[count, NET_FEE] = fee * 0.5  # per side: the ledger's record commission doubles it back exactly
    return count + 1


@njit
def _watch(side: int, held: float, price_open: float, swap: float, contract: float, balance: float, margin: float,
           bars: np.ndarray, i: int, limit: float, converting: bool, conv_bars: np.ndarray) -> bool:
    """Whether the position at its worst price of bar ``i`` (its loss converted at the bar's greatest rate, its gain
    at the least) brings the equity to ``limit`` times its margin."""
    mark = bars[i, LOW] if side == 1 else bars[i, HIGH] + bars[i, SPREAD]
    pnl = side * (contract * held) * (mark - price_open)
    if converting:
        pnl *= conv_bars[i, R_HIGH] if pnl < 0.0 else conv_bars[i, R_LOW]
    return balance + swap + pnl <= limit * margin
