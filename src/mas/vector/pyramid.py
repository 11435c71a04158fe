"""The trade loop of a compiled spec that may hold several positions at once (``max_open_positions > 1``).

The compiler's rules at each close, as :mod:`.kernel` runs them for one position, with a table of positions in
ticket order (the order the strategy keeps them and the terminal lists them):

1. every filled position whose side's exit rule fires, or held ``exit_after_bars``, is closed (a close order each,
   in ticket order, filled at the next open);
2. the trailing stop moves the stop of every position left (in ticket order);
3. a long entry, then a short one, each while fewer than ``max_positions`` positions are open or on their way.

At the next open the closes fill first, then the entries (long first), each a deal in that order. Along the bar's
path (open -> low -> high -> close on a bullish bar, open -> high -> low -> close otherwise) the nearest SL / TP of
all positions fires first (ties: the lower ticket, a stop loss before a take profit), then the next from where the
price stands, as the terminal's walk does. A position's row is written when it closes, so the rows are the trade
records' order: closed trades in closing order, then the positions still open at the end in ticket order. Each row
carries the sequence numbers of its entry and exit deals (``ENTRY_DEAL``, ``EXIT_DEAL``): the books add the deals
in that order. The margin and stop-out checks are watched as in :mod:`.kernel` (the margin in use taken as the sum
of the positions' margins, at least the hedged margin the terminal charges), and flagged sets go to the event
engine.
"""

from __future__ import annotations

import numpy as np

from mas.vector.jit import njit
from mas.vector.kernel import (
    BUY,
    CLOSE,
    D_CLOSE,
    D_HIGH,
    D_LOW,
    D_OPEN,
    D_SPREAD,
    D_TIME,
    ENTRY_DEAL,
    ENTRY_PRICE,
    EXIT_BAR,
    EXIT_BAR_OPEN,
    EXIT_CLIENT,
    EXIT_DEAL,
    EXIT_END,
    EXIT_KIND,
    EXIT_PRICE,
    EXIT_RATE,
    EXIT_SL,
    EXIT_TIME,
    EXIT_TP,
    FILL_BAR,
    FLAG_MARGIN,
    FLAG_STOP_OUT,
    HIGH,
    LOT_COMMISSION,
    LOT_CONTRACT,
    LOT_DIGITS,
    LOT_MARGIN,
    LOT_MAX,
    LOT_MIN,
    LOT_RISK,
    LOT_STEP,
    LOT_SWAP_LONG,
    LOT_SWAP_SHORT,
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
    _booked_exit,
    _distance,
    _risk_volume,
    _seek,
    bar_path,
    py_round_one,
    rate_at,
)

__all__ = ["simulate_many"]

(P_SIDE, P_SIGNAL, P_FILL, P_SL, P_TP, P_TICKET, P_ENTRY, P_SWAP, P_CLOSING, P_DEAL, P_VOLUME, P_SIZE, P_MARGIN,
 P_COMMISSION, P_NIGHT, P_BOOKED_COMMISSION, P_BOOKED_SWAP, P_USED) = range(18)
"""Columns of the kernel's table of open positions: the numbers of each position's volume (``P_VOLUME`` lots, contract
size times lots, margin factor, commission per side, swap of one night) sit in its row; the ``P_BOOKED_*`` are its
commission and swaps as the books book them (to the cent), kept when sizing; ``P_USED`` its margin in the account
currency, fixed at the fill (for the watch)."""
WIDTH = 18


@njit
def _write(trades: np.ndarray, row: int, position: np.ndarray, bars: np.ndarray, exit_bar: int, kind: int,
           price: float, moment: float, deal: int, rate: float) -> None:
    """Position ``position``'s trade row, closed at ``exit_bar`` (``kind``, raw ``price``, ``moment``, the profit
    currency's ``rate`` there)."""
    fill = int(position[P_FILL])
    trades[row, SIDE] = position[P_SIDE]
    trades[row, SIGNAL_BAR] = position[P_SIGNAL]
    trades[row, FILL_BAR] = fill
    trades[row, EXIT_BAR] = exit_bar
    trades[row, EXIT_KIND] = kind
    trades[row, EXIT_PRICE] = price
    trades[row, EXIT_TIME] = moment
    trades[row, STOP_LOSS] = position[P_SL]
    trades[row, TAKE_PROFIT] = position[P_TP]
    trades[row, TICKET] = position[P_TICKET]
    trades[row, ENTRY_PRICE] = position[P_ENTRY]
    trades[row, OPEN_TIME] = bars[fill, TIME]
    trades[row, EXIT_BAR_OPEN] = bars[exit_bar, TIME]
    trades[row, VOLUME] = position[P_VOLUME]
    trades[row, EXIT_RATE] = rate
    trades[row, ENTRY_DEAL] = position[P_DEAL]
    trades[row, EXIT_DEAL] = deal


@njit
def _remove(table: np.ndarray, held: int, k: int) -> int:
    """Drop row ``k`` of the first ``held`` rows of ``table`` (the others keep their order); the new count."""
    for q in range(k, held - 1):
        table[q] = table[q + 1]
    return held - 1


@njit
def _walk_many(table: np.ndarray, held: int, closing: int, trades: np.ndarray, count: int, ticket: int, deal: int,
               balance: float, booked: float, bars: np.ndarray, i: int, o: float, h: float, lo: float, c: float,
               sp: float, base: int, seconds: int, slip: float, sizing: bool, lot: np.ndarray, converting: bool,
               legs: np.ndarray, conv_times: np.ndarray, conv_values: np.ndarray
               ) -> tuple[int, int, int, int, int, float, float]:
    """The SL / TP exits of the first ``held`` positions of ``table`` along one path (open -> low -> high -> close
    when bullish, else open -> high -> low -> close; ``sp`` its spread, ``base`` / ``seconds`` its open time and
    length): the nearest trigger first (ties: the lower ticket, a stop loss before a take profit), then the next from
    where the price stands. Each exit's trade row is written (in bar ``i``; with ``converting`` its P&L rate at that
    moment and bid) and its position dropped. Returns ``(held, closing, count, ticket, deal, balance, booked)``."""
    path = bar_path(o, h, lo, c)
    cur = o
    for s in range(1, 4):
        start = path[s - 1]
        target = path[s]
        while held > 0:
            best = -1.0
            at = 0.0
            kind = 0
            which = -1
            for k in range(held):
                side = table[k, P_SIDE]
                sl = table[k, P_SL]
                tp = table[k, P_TP]
                if sl > 0.0:
                    level = sl if side == 1 else sl - sp
                    d = _distance(level, side == 1, cur, target)
                    if d >= 0.0 and (best < 0.0 or d < best):
                        best, at, kind, which = d, (cur if d == 0.0 else level), EXIT_SL, k
                if tp > 0.0:
                    level = tp if side == 1 else tp - sp
                    d = _distance(level, side != 1, cur, target)
                    if d >= 0.0 and (best < 0.0 or d < best):
                        best, at, kind, which = d, (cur if d == 0.0 else level), EXIT_TP, k
            if which < 0:
                break
            span = target - start
            fraction = (at - start) / span if span != 0.0 else 0.0
            side = table[which, P_SIDE]
            if side == 1:
                price = at - slip if kind == EXIT_SL else at
            else:
                price = (at + sp) + slip if kind == EXIT_SL else at + sp
            deal += 1
            moment = base + int(seconds * (s - 1 + fraction) / 3)
            rate = rate_at(legs, conv_times, conv_values, moment, at, at) if converting else 1.0
            _write(trades, count, table[which], bars, i, kind, price, moment, deal, rate)
            count += 1
            ticket += 1
            balance += side * table[which, P_SIZE] * (price - table[which, P_ENTRY]) * rate + table[which, P_SWAP] + \
                table[which, P_COMMISSION]
            if sizing:
                booked = _booked_exit(booked, int(side), py_round_one(price, lot[LOT_DIGITS]), table[which, P_ENTRY],
                                      lot[LOT_CONTRACT], table[which, P_VOLUME], table[which, P_BOOKED_COMMISSION],
                                      table[which, P_BOOKED_SWAP], rate)
            if table[which, P_CLOSING] == 1.0:
                closing -= 1
            held = _remove(table, held, which)
            cur = at
        cur = target
    return held, closing, count, ticket, deal, balance, booked


@njit
def _watch(table: np.ndarray, held: int, balance: float, bars: np.ndarray, i: int, converting: bool,
           conv_bars: np.ndarray, limit: float) -> bool:
    """Whether the first ``held`` positions of ``table``, each at its worst price of bar ``i`` (its loss converted at
    the bar's greatest rate, its gain at the least), bring the equity to ``limit`` times the margin in use."""
    worst = balance
    used = 0.0
    for k in range(held):
        side = table[k, P_SIDE]
        mark = bars[i, LOW] if side == 1 else bars[i, HIGH] + bars[i, SPREAD]
        pnl = side * table[k, P_SIZE] * (mark - table[k, P_ENTRY])
        if converting:
            pnl *= conv_bars[i, R_HIGH] if pnl < 0.0 else conv_bars[i, R_LOW]
        worst += table[k, P_SWAP] + pnl
        used += table[k, P_USED]
    return worst <= limit * used


@njit
def simulate_many(bars: np.ndarray, entry_long: np.ndarray, entry_short: np.ndarray, exit_long: np.ndarray,
                  exit_short: np.ndarray, has_levels: bool, long_sl: np.ndarray, long_tp: np.ndarray,
                  short_sl: np.ndarray, short_tp: np.ndarray, exit_after: int, bar_seconds: int, slip: float,
                  size: float, margin_factor: float, margin_power: int, capital: float, stop_out: float,
                  rollovers: np.ndarray, night_long: float, night_short: float, commission: float,
                  trades: np.ndarray, has_trail: bool, trail_long: np.ndarray, trail_short: np.ndarray,
                  volume: float, max_positions: int, sizing: bool, lot: np.ndarray, loss_long: np.ndarray,
                  loss_short: np.ndarray, converting: bool, legs: np.ndarray, conv_times: np.ndarray,
                  conv_values: np.ndarray, conv_bars: np.ndarray, has_detail: bool, detail_start: np.ndarray,
                  detail: np.ndarray):
    """Trades of one parameter set into ``trades`` (at least ``2 * len(bars)`` rows), holding up to
    ``max_positions`` positions of ``volume`` lots; the arguments are :func:`.kernel.simulate`'s (``rollovers``:
    nights per bar). With ``sizing`` each entry is sized at its signal as the compiler sizes it (``lot``,
    ``loss_*``: as :func:`.kernel.simulate` reads them), from the equity at that close: the balance booked deal by
    deal to the cent, and every open position's linear form summed in ticket order (with ``converting``: each
    position's raw P&L at the close converted at the close's rate, plus its booked swaps, summed in ticket order, as
    the terminal values positions in another profit currency one by one). Returns (count, flag) as it does.

    ``converting`` (the profit currency is not the account's; ``legs`` .. ``conv_bars`` as :func:`.kernel.simulate`
    reads them): each exit's P&L, each rollover's swap and each fill's margin are converted at the rate of their
    moment, the exit's rate written into its row's ``EXIT_RATE``. ``has_detail`` (the ``ohlc`` model): a bar's path
    is its M1 bars (``detail[detail_start[i]:detail_start[i + 1]]``), each walked in turn with its own spread and
    times, every position's SL / TP matched on each as on a bar.
    """
    n = len(bars)
    table = np.zeros((max_positions + 2, WIDTH))
    pending = np.zeros((2, WIDTH))  # entries sent at the last close, filled at this open
    booked = 0.0 + capital  # exact (the books' balance), kept when sizing
    held = 0
    waiting = 0
    closing = 0
    count = 0
    flag = 0
    ticket = 1
    deal = 0
    balance = capital  # approximate: only for the watch
    watch_limit = 2.0 * stop_out / 100.0
    pel = pes = pxl = pxs = 0
    i = -1
    while i < n - 1:
        i += 1
        nights = rollovers[i]
        if held > 0 and nights > 0:
            rate = conv_bars[i, R_OPEN] if converting else 1.0
            for k in range(held):
                table[k, P_SWAP] += (table[k, P_NIGHT] * nights) * rate
                if sizing:
                    unit = lot[LOT_SWAP_LONG] if table[k, P_SIDE] == 1 else lot[LOT_SWAP_SHORT]
                    table[k, P_BOOKED_SWAP] += py_round_one(((unit * table[k, P_VOLUME]) * nights) * rate, 100.0)
        if closing > 0:  # the close orders sent at the last close, in ticket order
            k = 0
            while k < held:
                if table[k, P_CLOSING] == 1.0:
                    side = table[k, P_SIDE]
                    price = bars[i, SELL] if side == 1 else bars[i, BUY]
                    rate = conv_bars[i, R_OPEN] if converting else 1.0
                    deal += 1
                    _write(trades, count, table[k], bars, i, EXIT_CLIENT, price, bars[i, TIME], deal, rate)
                    count += 1
                    balance += side * table[k, P_SIZE] * (price - table[k, P_ENTRY]) * rate + table[k, P_SWAP] + \
                        table[k, P_COMMISSION]
                    if sizing:
                        booked = _booked_exit(booked, int(side), price, table[k, P_ENTRY], lot[LOT_CONTRACT],
                                              table[k, P_VOLUME], table[k, P_BOOKED_COMMISSION],
                                              table[k, P_BOOKED_SWAP], rate)
                    held = _remove(table, held, k)
                else:
                    k += 1
            closing = 0
        for w in range(waiting):  # the entries, long first
            side = pending[w, P_SIDE]
            entry = bars[i, BUY] if side == 1 else bars[i, SELL]
            used = 0.0
            for k in range(held):
                used += table[k, P_USED]
            margin = pending[w, P_MARGIN] * entry ** margin_power
            if converting:
                margin *= conv_bars[i, M_BUY] if side == 1 else conv_bars[i, M_SELL]
            rate = conv_bars[i, R_OPEN] if converting else 1.0
            equity = balance
            for k in range(held):
                mark = bars[i, OPEN] if table[k, P_SIDE] == 1 else bars[i, OPEN] + bars[i, SPREAD]
                equity += table[k, P_SWAP] + table[k, P_SIDE] * table[k, P_SIZE] * (mark - table[k, P_ENTRY]) * rate
            if equity + pending[w, P_COMMISSION] - used < margin * SAFETY:  # the terminal refuses it: margin short
                flag |= FLAG_MARGIN
            balance += pending[w, P_COMMISSION]
            if sizing:
                pending[w, P_BOOKED_COMMISSION] = py_round_one(pending[w, P_COMMISSION], 100.0) + 0.0
                booked += ((0.0 + pending[w, P_BOOKED_COMMISSION]) + 0.0) + 0.0
            deal += 1
            table[held] = pending[w]
            table[held, P_FILL] = i
            table[held, P_ENTRY] = entry
            table[held, P_SWAP] = 0.0
            table[held, P_BOOKED_SWAP] = 0.0
            table[held, P_CLOSING] = 0.0
            table[held, P_DEAL] = deal
            table[held, P_USED] = margin
            held += 1
        waiting = 0
        if held > 0 and has_levels:
            if _watch(table, held, balance, bars, i, converting, conv_bars, watch_limit):
                flag |= FLAG_STOP_OUT  # before the exits too: a position may sink the account before its stop
            if has_detail and detail_start[i] < detail_start[i + 1]:
                for j in range(detail_start[i], detail_start[i + 1]):
                    held, closing, count, ticket, deal, balance, booked = _walk_many(
                        table, held, closing, trades, count, ticket, deal, balance, booked, bars, i, detail[j, D_OPEN],
                        detail[j, D_HIGH], detail[j, D_LOW], detail[j, D_CLOSE], detail[j, D_SPREAD],
                        int(detail[j, D_TIME]), 60, slip, sizing, lot, converting, legs, conv_times, conv_values)
                    if held == 0:
                        break
            else:
                held, closing, count, ticket, deal, balance, booked = _walk_many(
                    table, held, closing, trades, count, ticket, deal, balance, booked, bars, i, bars[i, OPEN],
                    bars[i, HIGH], bars[i, LOW], bars[i, CLOSE], bars[i, SPREAD], int(bars[i, TIME]), bar_seconds,
                    slip, sizing, lot, converting, legs, conv_times, conv_values)
        if held > 0 and _watch(table, held, balance, bars, i, converting, conv_bars, watch_limit):
            flag |= FLAG_STOP_OUT  # the stop-out watch: every position at its worst price of the bar
        if i == n - 1:
            break
        pxl = _seek(exit_long, pxl, i)
        pxs = _seek(exit_short, pxs, i)
        fires_exit_long = pxl < len(exit_long) and exit_long[pxl] == i
        fires_exit_short = pxs < len(exit_short) and exit_short[pxs] == i
        for k in range(held):  # exits, in ticket order
            side = table[k, P_SIDE]
            rule = fires_exit_long if side == 1 else fires_exit_short
            if rule or (exit_after >= 0 and i - table[k, P_SIGNAL] >= exit_after):
                table[k, P_CLOSING] = 1.0
                closing += 1
                ticket += 1
        if has_trail:
            for k in range(held):
                if table[k, P_CLOSING] == 1.0:
                    continue
                sl = table[k, P_SL]
                if table[k, P_SIDE] == 1:
                    level = trail_long[i]
                    if level < bars[i, CLOSE] and (sl == 0.0 or level > sl):
                        table[k, P_SL] = level
                else:
                    level = trail_short[i]
                    if level > bars[i, CLOSE] + bars[i, SPREAD] and (sl == 0.0 or level < sl):
                        table[k, P_SL] = level
        pel = _seek(entry_long, pel, i)
        pes = _seek(entry_short, pes, i)
        held_equity = booked
        if sizing and held > 0 and converting:  # the terminal's floating P&L, position by position in ticket order
            total = 0.0
            for k in range(held):
                mark = bars[i, CLOSE] if table[k, P_SIDE] == 1 else bars[i, CLOSE] + bars[i, SPREAD]
                diff = mark - table[k, P_ENTRY] if table[k, P_SIDE] == 1 else table[k, P_ENTRY] - mark
                total += ((diff * lot[LOT_CONTRACT]) * table[k, P_VOLUME]) * conv_bars[i, R_CLOSE] + table[
                    k, P_BOOKED_SWAP]
            held_equity = booked + total
        elif sizing and held > 0:  # the equity the books have at this close: every position's linear form, in order
            fk = fm = fs = 0.0
            for k in range(held):
                lots = lot[LOT_CONTRACT] * table[k, P_VOLUME]
                if table[k, P_SIDE] == 1:
                    fk += table[k, P_BOOKED_SWAP] - lots * table[k, P_ENTRY]
                    fm += lots
                else:
                    fk += table[k, P_BOOKED_SWAP] + lots * table[k, P_ENTRY]
                    fm -= lots
                    fs -= lots
            held_equity = booked + (0.0 + ((fk + fm * bars[i, CLOSE]) + fs * bars[i, SPREAD]))
        for go in (1, -1):
            fires = (pel < len(entry_long) and entry_long[pel] == i) if go == 1 else (
                pes < len(entry_short) and entry_short[pes] == i)
            if not fires or held - closing + waiting >= max_positions:
                continue
            lots = volume
            if sizing:
                lots = _risk_volume(held_equity, loss_long[i] if go == 1 else loss_short[i], lot[LOT_RISK],
                                    lot[LOT_STEP], lot[LOT_MAX], lot[LOT_MIN])
                if lots <= 0.0:
                    continue
            pending[waiting] = 0.0
            if sizing:
                pending[waiting, P_SIZE] = lot[LOT_CONTRACT] * lots
                pending[waiting, P_MARGIN] = lot[LOT_MARGIN] * lots
                pending[waiting, P_COMMISSION] = -lot[LOT_COMMISSION] * lots
                pending[waiting, P_NIGHT] = (lot[LOT_SWAP_LONG] if go == 1 else lot[LOT_SWAP_SHORT]) * lots
            else:
                pending[waiting, P_SIZE] = size
                pending[waiting, P_MARGIN] = margin_factor
                pending[waiting, P_COMMISSION] = commission
                pending[waiting, P_NIGHT] = night_long if go == 1 else night_short
            pending[waiting, P_VOLUME] = lots
            estimate = bars[i, CLOSE] + bars[i, SPREAD] if go == 1 else bars[i, CLOSE]
            needed = pending[waiting, P_MARGIN] * estimate ** margin_power
            rate = conv_bars[i, M_CLOSE] if converting else 1.0
            needed *= rate
            equity = balance
            used = 0.0
            for k in range(held):
                mark = bars[i, CLOSE] if table[k, P_SIDE] == 1 else bars[i, CLOSE] + bars[i, SPREAD]
                equity += table[k, P_SWAP] + table[k, P_SIDE] * table[k, P_SIZE] * (mark - table[k, P_ENTRY]) * (
                    conv_bars[i, R_CLOSE] if converting else 1.0)
                used += table[k, P_USED]
            for w in range(waiting):
                used += pending[w, P_MARGIN] * estimate ** margin_power * rate
            if equity - used < needed * SAFETY:
                flag |= FLAG_MARGIN
            pending[waiting, P_SIDE] = go
            pending[waiting, P_SIGNAL] = i
            if has_levels:
                pending[waiting, P_SL] = long_sl[i] if go == 1 else short_sl[i]
                pending[waiting, P_TP] = long_tp[i] if go == 1 else short_tp[i]
            pending[waiting, P_TICKET] = ticket
            ticket += 1
            waiting += 1
        if held == 0 and waiting == 0:  # flat, nothing sent: on to the next entry signal
            pel = _seek(entry_long, pel, i + 1)
            pes = _seek(entry_short, pes, i + 1)
            upcoming = min(entry_long[pel] if pel < len(entry_long) else n,
                           entry_short[pes] if pes < len(entry_short) else n, n - 1)
            if upcoming > i + 1:
                i = upcoming - 1
    for k in range(held):  # still open at the end, in ticket order
        _write(trades, count, table[k], bars, n - 1, EXIT_END, 0.0, 0.0, 0,
               conv_bars[n - 1, R_CLOSE] if converting else 1.0)
        count += 1
    return count, flag
