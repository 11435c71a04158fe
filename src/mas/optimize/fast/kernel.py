"""The trade loop of a compiled spec, one position at a time, as the simulated terminal fills it.

Per bar, in the engine's order: the close queued at the previous close fills at this open, then
the entry queued there (buys at the ask, sells at the bid, slippage on market orders), then the
open position's SL / TP are matched along the bar's path (open -> low -> high -> close on a
bullish bar, open -> high -> low -> close otherwise; a gap fills at the open); then, at the close,
the strategy's rules: exit (rule or ``exit_after_bars``) and, with no position left, an entry if
the filters allow it (long first). No order is sent on the last bar.

Prices arrive rounded where the engine rounds them before deciding anything (fills, SL/TP
levels); exit prices of SL/TP come out raw and are rounded by the ledger. The margin and
stop-out checks of the terminal are only *watched*: a parameter set whose fills come near a
margin rejection or a stop-out is flagged, and the caller runs it on the event engine instead.
"""

from __future__ import annotations

import numpy as np

from mas.optimize.fast.jit import njit

__all__ = ["EXIT_CLIENT", "EXIT_END", "EXIT_SL", "EXIT_TP", "FLAG_MARGIN", "FLAG_STOP_OUT", "simulate"]

EXIT_CLIENT, EXIT_SL, EXIT_TP, EXIT_END = 0, 1, 2, 3
FLAG_MARGIN, FLAG_STOP_OUT = 1, 2
SAFETY = 1.05
"""A fill or an order needing more than 1/SAFETY of the free margin is left to the event engine."""


@njit
def _distance(level: float, falls: bool, cur: float, target: float) -> float:
    """matching.distance: -1.0 when the trigger does not fire on this segment."""
    if falls:
        if cur <= level:
            return 0.0
        return cur - level if target <= level else -1.0
    if cur >= level:
        return 0.0
    return level - cur if target >= level else -1.0


@njit
def simulate(times: np.ndarray, open_: np.ndarray, high: np.ndarray, low: np.ndarray, close: np.ndarray,
             spread: np.ndarray, buy_fill: np.ndarray, sell_fill: np.ndarray, enter_long: np.ndarray,
             enter_short: np.ndarray, exit_long: np.ndarray, exit_short: np.ndarray, long_sl: np.ndarray,
             long_tp: np.ndarray, short_sl: np.ndarray, short_tp: np.ndarray, exit_after: int, bar_seconds: int,
             slip: float, size: float, margin_factor: float, margin_power: int, capital: float, stop_out: float,
             rollovers: np.ndarray, night_long: float, night_short: float, commission: float, trades: np.ndarray):
    """Trades of one parameter set into ``trades`` (at least ``len(times)`` rows of 10); ``enter_*``
    already include the filters and valid stops.

    Returns (count, flag): ``trades[k]`` = side (1 long, -1 short), signal bar, fill bar, exit bar,
    exit kind, raw exit price, exit time, sl, tp, ticket for ``k < count``. ``rollovers`` (nights per bar),
    ``night_*`` (swap of one night) and ``commission`` (per side, negative) serve the margin watch.
    """
    n = len(times)
    count = 0
    flag = 0
    ticket = 1
    is_open = False
    pending_entry = False
    pending_close = False
    side = 0
    signal_bar = 0
    sl = tp = entry = 0.0
    position_ticket = 0
    p_side = 0
    p_signal = 0
    p_sl = p_tp = 0.0
    p_ticket = 0
    balance = capital  # approximate (unrounded P&L, swaps): only for the margin watch
    swap = 0.0
    margin = 0.0
    for i in range(n):
        o = open_[i]
        if is_open:
            swap += (night_long if side == 1 else night_short) * rollovers[i]
        if pending_close:
            price = sell_fill[i] if side == 1 else buy_fill[i]
            trades[count, 3] = i
            trades[count, 4] = 0
            trades[count, 5] = price
            trades[count, 6] = times[i]
            count += 1
            balance += side * size * (price - entry) + swap + commission
            is_open = False
            pending_close = False
        if pending_entry:
            entry = buy_fill[i] if p_side == 1 else sell_fill[i]
            balance += commission
            margin = margin_factor * entry ** margin_power
            if balance < margin * SAFETY:  # the terminal refuses the fill when the free margin is short
                flag |= 1
            side = p_side
            signal_bar = p_signal
            sl = p_sl
            tp = p_tp
            position_ticket = p_ticket
            swap = 0.0
            is_open = True
            pending_entry = False
            trades[count, 0] = side
            trades[count, 1] = signal_bar
            trades[count, 2] = i
            trades[count, 7] = sl
            trades[count, 8] = tp
            trades[count, 9] = position_ticket
        if is_open and (sl > 0.0 or tp > 0.0):
            sp = spread[i]
            if close[i] >= o:
                p1, p2 = low[i], high[i]
            else:
                p1, p2 = high[i], low[i]
            path = (o, p1, p2, close[i])
            cur = o
            for k in range(1, 4):
                start = path[k - 1]
                target = path[k]
                best = -1.0
                at = 0.0
                kind = 0
                if sl > 0.0:
                    level = sl if side == 1 else sl - sp
                    d = _distance(level, side == 1, cur, target)
                    if d >= 0.0:
                        best, at, kind = d, (cur if d == 0.0 else level), 1
                if tp > 0.0:
                    level = tp if side == 1 else tp - sp
                    d = _distance(level, side != 1, cur, target)
                    if d >= 0.0 and (best < 0.0 or d < best):
                        best, at, kind = d, (cur if d == 0.0 else level), 2
                if best >= 0.0:
                    span = target - start
                    fraction = (at - start) / span if span != 0.0 else 0.0
                    if side == 1:
                        price = at - slip if kind == 1 else at
                    else:
                        price = (at + sp) + slip if kind == 1 else at + sp
                    trades[count, 3] = i
                    trades[count, 4] = kind
                    trades[count, 5] = price
                    trades[count, 6] = times[i] + int(bar_seconds * (k - 1 + fraction) / 3)
                    count += 1
                    ticket += 1
                    balance += side * size * (price - entry) + swap + commission
                    is_open = False
                    break
                cur = target
        if is_open:
            worst = low[i] if side == 1 else high[i] + spread[i]
            if balance + swap + side * size * (worst - entry) <= 2.0 * stop_out / 100.0 * margin:
                flag |= 2
        if i == n - 1:
            break
        has_trade = is_open
        if is_open:
            rule = exit_long[i] if side == 1 else exit_short[i]
            if rule or (exit_after >= 0 and i - signal_bar >= exit_after):
                pending_close = True
                ticket += 1
                has_trade = False
        if not has_trade:
            go = 0
            if enter_long[i]:
                go = 1
                p_sl, p_tp = long_sl[i], long_tp[i]
            elif enter_short[i]:
                go = -1
                p_sl, p_tp = short_sl[i], short_tp[i]
            if go != 0:
                estimate = close[i] + spread[i] if go == 1 else close[i]
                needed = margin_factor * estimate ** margin_power
                equity = balance
                used = 0.0
                if is_open:
                    equity += swap + side * size * ((close[i] if side == 1 else close[i] + spread[i]) - entry)
                    used = margin
                if equity - used < needed * SAFETY:
                    flag |= 1
                pending_entry = True
                p_side = go
                p_signal = i
                p_ticket = ticket
                ticket += 1
    if is_open:
        trades[count, 3] = n - 1
        trades[count, 4] = 3
        count += 1
    return count, flag
