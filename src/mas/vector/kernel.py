"""The trade loop of a compiled spec, one position at a time, as the simulated terminal fills it.

Per bar, in the engine's order: the close queued at the previous close fills at this open, then
the entry queued there (buys at the ask, sells at the bid, slippage on market orders), then the
open position's SL / TP are matched along the bar's path (open -> low -> high -> close on a
bullish bar, open -> high -> low -> close otherwise; a gap fills at the open); then, at the close,
the strategy's rules: exit (rule or ``exit_after_bars``) and, with no position left, an entry if
the filters allow it (long first). No order is sent on the last bar.

The loop does that on the bars where something can happen and steps over the others: the rules
arrive as the lists of bars where they fire, so a flat account goes straight to the next entry
signal, and a position without SL / TP to its next exit, stopping on the way only at rollovers
(swap) and once per block of bars for the stop-out watch. What it reads of a signal's or a fill's
bar is one row of a table, asked for (prefetched) a few signals ahead; a position's numbers (entry
price, open time) are written into its trade row so the ledger and the metrics never read those
bars again.

Prices arrive rounded where the engine rounds them before deciding anything (fills, SL/TP
levels); exit prices of SL/TP come out raw and are rounded by the ledger. The margin and
stop-out checks of the terminal are only *watched*: a parameter set whose fills come near a
margin rejection or a stop-out is flagged, and the caller runs it on the event engine instead.
"""

from __future__ import annotations

import numpy as np

from mas.vector.jit import inline, njit, prefetch

__all__ = ["BLOCK_SHIFT", "COLUMNS", "ENTRY_DEAL", "ENTRY_PRICE", "EXIT_BAR", "EXIT_BAR_OPEN", "EXIT_CLIENT",
           "EXIT_DEAL", "EXIT_END", "EXIT_KIND", "EXIT_PRICE", "EXIT_RATE", "EXIT_SL", "EXIT_TIME", "EXIT_TP",
           "FILL_BAR", "FLAG_MARGIN", "FLAG_STOP_OUT", "M_BUY", "M_CLOSE", "M_SELL", "OPEN_TIME", "PASSED", "QUOTE",
           "R_CLOSE", "R_HIGH", "R_LOW", "R_OPEN", "SIDE", "SIGNAL_BAR", "STOP_LOSS", "TABLE", "TAKE_PROFIT",
           "TICKET", "TRADE_FIELDS", "VOLUME", "bar_table", "py_round_one", "rate_at", "simulate", "watch_blocks"]

EXIT_CLIENT, EXIT_SL, EXIT_TP, EXIT_END = 0, 1, 2, 3
FLAG_MARGIN, FLAG_STOP_OUT = 1, 2
SAFETY = 1.05
"""A fill or an order needing more than 1/SAFETY of the free margin is left to the event engine."""
TIME, OPEN, HIGH, LOW, CLOSE, SPREAD, BUY, SELL = range(8)
"""Columns of :func:`bar_table`."""
D_TIME, D_OPEN, D_HIGH, D_LOW, D_CLOSE, D_SPREAD = range(6)
"""Columns of the M1 bars of the ``ohlc`` model, or of a tick model's ticks (OHLC the bid): :func:`simulate`'s
``detail``."""
(SIDE, SIGNAL_BAR, FILL_BAR, EXIT_BAR, EXIT_KIND, EXIT_PRICE, EXIT_TIME, STOP_LOSS, TAKE_PROFIT, TICKET, ENTRY_PRICE,
 OPEN_TIME, EXIT_BAR_OPEN, VOLUME, EXIT_RATE, ENTRY_DEAL, EXIT_DEAL) = range(17)
"""Columns of a trade row (floats): side (1 long, -1 short), signal bar, fill bar, exit bar, exit kind (``EXIT_*``),
raw exit price (SL / TP exits; the ledger rounds it), exit time (epoch seconds), sl, tp, ticket, entry price (the
fill at the fill bar's open), open time (the fill bar's), the exit bar's open time, volume (lots), the profit
currency's rate at the exit (account currency per unit, :mod:`.conversion`; 1.0 in the account's), and with several
positions (:mod:`.pyramid`) the sequence numbers of the entry and the exit deal. Module constants:
numba reads them as literals, so a named column costs what a bare index did."""
TRADE_FIELDS = ("side", "signal_bar", "fill_bar", "exit_bar", "exit_kind", "exit_price", "exit_time", "sl", "tp",
                "ticket", "entry_price", "open_time", "exit_bar_open", "volume", "exit_rate",
                "entry_deal", "exit_deal")
"""The names of the trade row's columns, in order (for reading rows in tests and tools)."""
COLUMNS = len(TRADE_FIELDS)
"""Columns of a trade row (see :func:`simulate`)."""
BLOCK_SHIFT = 5
"""Bars per block of the stop-out watch: ``2 ** BLOCK_SHIFT``."""
AHEAD = 4
"""How many signals ahead the loop prefetches the bars it will read."""
(LOT_RISK, LOT_STEP, LOT_MIN, LOT_MAX, LOT_CONTRACT, LOT_MARGIN, LOT_SWAP_LONG, LOT_SWAP_SHORT, LOT_COMMISSION,
 LOT_DIGITS) = range(10)
"""Entries of :func:`simulate`'s ``lot`` (risk-based sizing): risk %, volume step / min / max, contract size, margin
factor of one lot, swap of one lot and night long / short (``points * point * contract``), commission per lot and
side (positive = cost), ``10.0 ** digits``."""


def bar_table(time: np.ndarray, open_: np.ndarray, high: np.ndarray, low: np.ndarray, close: np.ndarray,
              spread: np.ndarray, buy_fill: np.ndarray, sell_fill: np.ndarray) -> np.ndarray:
    """One row of 8 floats (64 bytes) per bar: open time, bid OHLC, spread (price units), buy and sell fill at the
    open. The loop reads a bar's numbers at fills, signals and exits, far apart: one cache line each."""
    table = np.empty((len(time), 8))
    for column, values in zip((TIME, OPEN, HIGH, LOW, CLOSE, SPREAD, BUY, SELL),
                              (time, open_, high, low, close, spread, buy_fill, sell_fill), strict=True):
        table[:, column] = values
    return table


def watch_blocks(low: np.ndarray, high: np.ndarray, spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per block of ``2 ** BLOCK_SHIFT`` bars: the lowest bid low and the highest ask high (what a long / a short
    position's watch reads), so the kernel can pass over blocks that stay clear of the stop-out watch."""
    size = 1 << BLOCK_SHIFT
    blocks = -(-len(low) // size)
    pad = blocks * size - len(low)
    lows = np.concatenate((low, np.full(pad, np.inf))).reshape(blocks, size).min(axis=1)
    highs = np.concatenate((high + spread, np.full(pad, -np.inf))).reshape(blocks, size).max(axis=1)
    return lows, highs


PASSED, QUOTE, TABLE = 0, 1, 2
"""Where a leg's price comes from: the price the terminal passes (``symbol_bid``), the replayed symbol's current
bid, or conversion table ``legs[k, 2]``."""
R_OPEN, R_CLOSE, R_LOW, R_HIGH, M_BUY, M_SELL, M_CLOSE = range(7)
"""Columns of a run's conversion table (:attr:`.conversion.Conversion.bars`, :func:`simulate`'s
``conv_bars``): the profit rate at the bar's open (fills, rollovers) and at its close (the
equity), its least and greatest over the bar (the stop-out watch), the margin rate of a buy and of a sell filled at
the bar's open, and the margin rate of an order estimated at its close."""


@njit
def rate_at(legs: np.ndarray, times: np.ndarray, values: np.ndarray, moment: int, passed: float,
            quote: float) -> float:
    """A :class:`~mas.vector.conversion.Rate` (its ``legs``, ``times``, ``values``) at ``moment``: ``passed`` the price
    the terminal passes, ``quote`` the replayed bid."""
    out = 1.0
    for k in range(2):
        source = legs[k, 0]
        if source < 0:
            break
        if source == PASSED:
            price = passed
        elif source == QUOTE:
            price = quote
        else:
            row = legs[k, 2]
            price = values[row, np.searchsorted(times[row], moment, side="right") - 1]
        leg = 1.0 / price if legs[k, 1] == 1 else price
        out = leg if k == 0 else out * leg
    return out


@njit
def _two_product(a: float, b: float) -> tuple[float, float]:
    """``a * b`` as ``p + e`` exactly (Dekker's product: ``p`` the rounded product, ``e`` its error)."""
    p = a * b
    t = 134217729.0 * a
    ah = t - (t - a)
    al = a - ah
    t = 134217729.0 * b
    bh = t - (t - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


@njit
def py_round_one(x: float, scale: float) -> float:
    """Python's ``round(x, digits)`` with ``scale = 10.0 ** digits`` (compiled): numpy's rounding, and near a half
    the exact side of it (``x * 2 * scale`` against the odd whole number, with the product's error), ties to even,
    as Python rounds the exact binary value."""
    y = x * scale
    m = np.floor(y)
    if abs((y - m) - 0.5) >= 1e-6:
        return np.rint(y) / scale
    p, e = _two_product(x, 2.0 * scale)
    d = (p - (2.0 * m + 1.0)) + e
    if d > 0.0 or (d == 0.0 and m % 2.0 != 0.0):
        m += 1.0
    return m / scale


@njit
def _risk_volume(equity: float, loss: float, risk_percent: float, step: float, most: float, least: float) -> float:
    """The compiler's ``_risk_volume``: the lots losing ``risk_percent`` of ``equity`` at the stop (``loss``: of one
    lot, in cents), in whole steps, at most ``most``; 0.0 when there is no entry (below ``least``)."""
    if equity == 0.0 or not loss < 0.0:
        return 0.0
    steps = np.floor(equity * risk_percent / 100.0 / -loss / step + 1e-9)
    volume = py_round_one(min(steps * step, most), 1e8)
    return volume if volume >= least else 0.0


@njit
def _booked_exit(booked: float, side: int, price: float, entry: float, contract: float, volume: float,
                 commission: float, swap: float, rate: float) -> float:
    """The balance after a position's exit deal, as the ledger books it: P&L (converted at ``rate``) and swaps to
    the cent."""
    diff = price - entry if side == 1 else entry - price
    profit = py_round_one(((diff * contract) * volume) * rate, 100.0)
    return booked + (((profit + commission) + py_round_one(swap * 1.0, 100.0)) + 0.0)


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


@inline
def bar_path(o: float, h: float, lo: float, c: float) -> tuple[float, float, float, float]:
    """The four prices a bar is walked through, as MT5's tester does: open -> low -> high -> close when it closes at
    or above its open, else open -> high -> low -> close."""
    if c >= o:
        return o, lo, h, c
    return o, h, lo, c


@njit
def _walk(o: float, h: float, lo: float, c: float, sp: float, base: int, seconds: int, side: int, sl: float,
          tp: float, slip: float) -> tuple[int, float, float, int]:
    """The SL / TP exit of a position on one bar's path (open -> low -> high -> close when bullish, else open ->
    high -> low -> close; ``sp`` the spread, ``base`` / ``seconds`` the bar's open time and length): ``(kind, bid
    at the trigger, raw exit price, moment)``, kind -1 when neither is reached. The kernel's walk of a bar, and of
    each M1 bar of the ``ohlc`` model."""
    path = bar_path(o, h, lo, c)
    cur = o
    for k in range(1, 4):
        start = path[k - 1]
        target = path[k]
        best = -1.0
        at = 0.0
        kind = -1
        if sl > 0.0:
            level = sl if side == 1 else sl - sp
            d = _distance(level, side == 1, cur, target)
            if d >= 0.0:
                best, at, kind = d, (cur if d == 0.0 else level), EXIT_SL
        if tp > 0.0:
            level = tp if side == 1 else tp - sp
            d = _distance(level, side != 1, cur, target)
            if d >= 0.0 and (best < 0.0 or d < best):
                best, at, kind = d, (cur if d == 0.0 else level), EXIT_TP
        if best >= 0.0:
            span = target - start
            fraction = (at - start) / span if span != 0.0 else 0.0
            if side == 1:
                price = at - slip if kind == EXIT_SL else at
            else:
                price = (at + sp) + slip if kind == EXIT_SL else at + sp
            return kind, at, price, base + int(seconds * (k - 1 + fraction) / 3)
        cur = target
    return -1, 0.0, 0.0, 0


@inline
def walk_bar(bars: np.ndarray, i: int, has_detail: bool, detail: np.ndarray, detail_start: np.ndarray,
             bar_seconds: int, side: int, sl: float, tp: float, slip: float) -> tuple[int, float, float, int]:
    """:func:`_walk` of bar ``i``'s path: its M1 bars one after the other (the ``ohlc`` model, ``detail`` rows
    ``detail_start[i]`` up to ``detail_start[i + 1]``) until one reaches SL or TP, else the bar itself."""
    if has_detail and detail_start[i] < detail_start[i + 1]:
        for j in range(detail_start[i], detail_start[i + 1]):
            kind, at, price, moment = _walk(detail[j, D_OPEN], detail[j, D_HIGH], detail[j, D_LOW], detail[j, D_CLOSE],
                                            detail[j, D_SPREAD], int(detail[j, D_TIME]), 60, side, sl, tp, slip)
            if kind >= 0:
                return kind, at, price, moment
        return -1, 0.0, 0.0, 0
    return _walk(bars[i, OPEN], bars[i, HIGH], bars[i, LOW], bars[i, CLOSE], bars[i, SPREAD], int(bars[i, TIME]),
                 bar_seconds, side, sl, tp, slip)


@inline
def _seek(at: np.ndarray, p: int, i: int) -> int:
    """The first position from ``p`` on of sorted ``at`` whose bar is ``i`` or later."""
    while p < len(at) and at[p] < i:
        p += 1
    return p


@inline
def _next(at: np.ndarray, p: int, none: int) -> int:
    """``at[p]``, or ``none`` past the end."""
    return at[p] if p < len(at) else none


@njit
def simulate(bars: np.ndarray, entry_long: np.ndarray, entry_short: np.ndarray, exit_long: np.ndarray,
             exit_short: np.ndarray, has_levels: bool, long_sl: np.ndarray, long_tp: np.ndarray, short_sl: np.ndarray,
             short_tp: np.ndarray, exit_after: int, bar_seconds: int, slip: float, size: float, margin_factor: float,
             margin_power: int, capital: float, stop_out: float, roll_bars: np.ndarray, roll_nights: np.ndarray,
             night_long: float, night_short: float, commission: float, block_low: np.ndarray,
             block_high: np.ndarray, trades: np.ndarray, has_trail: bool, trail_long: np.ndarray,
             trail_short: np.ndarray, volume: float, sizing: bool, lot: np.ndarray, loss_long: np.ndarray,
             loss_short: np.ndarray, converting: bool, legs: np.ndarray, conv_times: np.ndarray,
             conv_values: np.ndarray, conv_bars: np.ndarray, conv_blocks: np.ndarray, has_detail: bool,
             detail_start: np.ndarray, detail: np.ndarray):
    """Trades of one parameter set into ``trades`` (at least ``len(bars)`` rows of :data:`COLUMNS`).

    ``bars``: one row per bar (:func:`bar_table`: what the loop reads of a bar sits in one cache line).
    ``entry_*`` / ``exit_*``: the bars (ascending) at whose close the rules fire; entries already
    exclude their side's exit and include the filters and valid stops. ``*_sl`` / ``*_tp`` (per signal
    bar) are read only when ``has_levels``. The loop visits only the bars where something can happen:
    signals, fills, and while a position is held without SL / TP the rollovers (``roll_bars``,
    ``roll_nights``: swap for the margin watch) and the watch's blocks; with SL / TP every held bar.

    Returns (count, flag): ``trades[k]`` for ``k < count`` are the trade rows (columns ``SIDE`` ..
    ``EXIT_BAR_OPEN``: the numbers read at a fill or an exit are kept, so nothing reads those bars
    again). ``night_*`` (swap of one night) and ``commission`` (per side, negative) serve the margin
    watch, and so do ``block_low`` / ``block_high`` (:func:`watch_blocks`): a block of bars whose
    extreme price keeps the position clear of the stop-out watch is passed over at once.

    With ``has_trail`` the open position's stop loss trails the price as the compiler's trailing stop moves it:
    at each bar's close where the position is held and not being closed, ``trail_long[i]`` (below the bid) /
    ``trail_short[i]`` (above the ask; NaN while the distance warms up) replaces the stop when it is on the
    right side of the price and tighter than the current one (or there is none). Every held bar is visited.

    Every trade row's ``VOLUME`` is ``volume`` (with ``size``, ``margin_factor``, ``night_*``, ``commission`` its
    numbers), unless ``sizing``: then each entry is sized at its signal as the compiler's ``_risk_volume`` sizes it
    (``lot``: the ``LOT_*`` numbers; ``loss_*[i]``: one lot's loss at the stop from the entry estimate at bar ``i``,
    as ``order_calc_profit`` gives it), from the equity the books have at that close, kept exact for that: deals
    and swaps booked to the cent as the ledger books them (:func:`py_round_one`), the floating P&L in its linear
    form. An entry sized below the minimum is not sent (a short signal on that bar is tried next).

    With ``converting`` the symbol's profit or margin currency is not the account's (:mod:`.conversion`): the P&L of
    each exit is converted at the profit rate of that moment (``legs``, ``conv_times``, ``conv_values``: the
    :class:`~mas.vector.conversion.Rate`; ``conv_bars``: its values at each bar's open and close and its bounds over
    the bar; ``conv_blocks``: its bounds over each block of the watch), so are the swaps at each rollover and the
    floating P&L of the equity the sizing reads; a position's margin is converted at its fill (``margin_power`` is
    then the calculation mode's power of the price alone). The watch values a position's loss at the greatest rate
    and its gain at the least. Each exit's rate goes into its row's ``EXIT_RATE`` for the ledger.

    With ``has_detail`` (the ``ohlc`` model) a bar's path is its M1 bars, ``detail[detail_start[i]:detail_start[i +
    1]]`` (columns ``D_*``: open time, bid OHLC, spread), each walked in turn with its own spread and times, as the
    terminal walks them; a bar without M1 bars walks its own path. The tick models' ticks come as such rows too, each
    a point (its OHLC the tick's bid): its walk fires what the tick satisfies, at its bid and second. ``bars``' low
    and high (and ``block_*``) are then the lowest and highest the M1 bars (or ticks) reach, for the watch.
    """
    n = len(bars)
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
    booked = 0.0 + capital  # exact (the books' balance), kept when sizing
    booked_swap = 0.0
    booked_commission = 0.0
    vol = volume
    p_volume = volume
    swap = 0.0
    margin = 0.0
    watch_limit = 2.0 * stop_out / 100.0
    safe_until = 0  # the watch needs no look at the bars before this one (their block is clear)
    pel = pes = pxl = pxs = pr = 0  # positions in the sorted bar lists
    i = -1
    while i < n - 1:
        i += 1
        pr = _seek(roll_bars, pr, i)
        if is_open and _next(roll_bars, pr, n) == i:
            rate = conv_bars[i, R_OPEN] if converting else 1.0
            swap += ((night_long if side == 1 else night_short) * roll_nights[pr]) * rate
            if sizing:
                unit = lot[LOT_SWAP_LONG] if side == 1 else lot[LOT_SWAP_SHORT]
                booked_swap += py_round_one(((unit * vol) * roll_nights[pr]) * rate, 100.0)
            safe_until = i
        if pending_close:
            price = bars[i, SELL] if side == 1 else bars[i, BUY]
            trades[count, EXIT_BAR] = i
            trades[count, EXIT_KIND] = EXIT_CLIENT
            trades[count, EXIT_PRICE] = price
            trades[count, EXIT_TIME] = bars[i, TIME]
            trades[count, EXIT_BAR_OPEN] = bars[i, TIME]
            rate = conv_bars[i, R_OPEN] if converting else 1.0
            trades[count, EXIT_RATE] = rate
            count += 1
            balance += side * size * (price - entry) * rate + swap + commission
            if sizing:
                booked = _booked_exit(booked, side, price, entry, lot[LOT_CONTRACT], vol, booked_commission,
                                      booked_swap, rate)
            is_open = False
            pending_close = False
        if pending_entry:
            entry = bars[i, BUY] if p_side == 1 else bars[i, SELL]
            if sizing:
                vol = p_volume
                size = lot[LOT_CONTRACT] * vol
                margin_factor = lot[LOT_MARGIN] * vol
                night_long = lot[LOT_SWAP_LONG] * vol
                night_short = lot[LOT_SWAP_SHORT] * vol
                commission = -lot[LOT_COMMISSION] * vol
                booked_commission = py_round_one(commission, 100.0) + 0.0
                booked += ((0.0 + booked_commission) + 0.0) + 0.0
                booked_swap = 0.0
            balance += commission
            margin = margin_factor * entry ** margin_power
            if converting:
                margin *= conv_bars[i, M_BUY] if p_side == 1 else conv_bars[i, M_SELL]
            if balance < margin * SAFETY:  # the terminal refuses the fill when the free margin is short
                flag |= FLAG_MARGIN
            side = p_side
            signal_bar = p_signal
            sl = p_sl
            tp = p_tp
            position_ticket = p_ticket
            swap = 0.0
            is_open = True
            pending_entry = False
            trades[count, SIDE] = side
            trades[count, SIGNAL_BAR] = signal_bar
            trades[count, FILL_BAR] = i
            trades[count, STOP_LOSS] = sl
            trades[count, TAKE_PROFIT] = tp
            trades[count, TICKET] = position_ticket
            trades[count, ENTRY_PRICE] = entry
            trades[count, OPEN_TIME] = bars[i, TIME]
            trades[count, VOLUME] = vol
            safe_until = i
        if is_open and (sl > 0.0 or tp > 0.0):  # SL / TP along the bar's path, or its M1 bars' (ohlc)
            kind, at, price, moment = walk_bar(bars, i, has_detail, detail, detail_start, bar_seconds, side, sl, tp,
                                               slip)
            if kind >= 0:
                trades[count, EXIT_BAR] = i
                trades[count, EXIT_KIND] = kind
                trades[count, EXIT_PRICE] = price
                trades[count, EXIT_TIME] = moment
                trades[count, EXIT_BAR_OPEN] = bars[i, TIME]
                rate = rate_at(legs, conv_times, conv_values, moment, at, at) if converting else 1.0
                trades[count, EXIT_RATE] = rate
                count += 1
                ticket += 1
                balance += side * size * (price - entry) * rate + swap + commission
                if sizing:
                    booked = _booked_exit(booked, side, py_round_one(price, lot[LOT_DIGITS]), entry,
                                          lot[LOT_CONTRACT], vol, booked_commission, booked_swap, rate)
                is_open = False
        if is_open and i >= safe_until:  # the stop-out watch (written out here and below: a call costs more)
            limit = watch_limit * margin
            block = i >> BLOCK_SHIFT
            bound = block_low[block] if side == 1 else block_high[block]
            pnl = side * size * (bound - entry)
            if converting:
                pnl *= conv_blocks[block, 1] if pnl < 0.0 else conv_blocks[block, 0]
            clear = balance + swap + pnl - limit
            if clear > 1e-9 * (abs(balance) + abs(swap) + size * abs(entry) + limit + 1.0):
                safe_until = (block + 1) << BLOCK_SHIFT  # the whole block stays clear: pass over its bars
            else:  # the block comes near: watch this bar
                worst = bars[i, LOW] if side == 1 else bars[i, HIGH] + bars[i, SPREAD]
                pnl = side * size * (worst - entry)
                if converting:
                    pnl *= conv_bars[i, R_HIGH] if pnl < 0.0 else conv_bars[i, R_LOW]
                if balance + swap + pnl <= limit:
                    flag |= FLAG_STOP_OUT
                safe_until = i + 1
        if i == n - 1:
            break
        has_trade = is_open
        if is_open:
            if side == 1:
                pxl = _seek(exit_long, pxl, i)
                rule = _next(exit_long, pxl, n) == i
            else:
                pxs = _seek(exit_short, pxs, i)
                rule = _next(exit_short, pxs, n) == i
            if rule or (exit_after >= 0 and i - signal_bar >= exit_after):
                pending_close = True
                ticket += 1
                has_trade = False
            elif has_trail:  # the trailing stop, moved at this close (the terminal takes it: checked on the price)
                if side == 1:
                    level = trail_long[i]
                    if level < bars[i, CLOSE] and (sl == 0.0 or level > sl):
                        sl = level
                        trades[count, STOP_LOSS] = sl
                else:
                    level = trail_short[i]
                    if level > bars[i, CLOSE] + bars[i, SPREAD] and (sl == 0.0 or level < sl):
                        sl = level
                        trades[count, STOP_LOSS] = sl
        if not has_trade:
            pel = _seek(entry_long, pel, i)
            pes = _seek(entry_short, pes, i)
            go = 0
            fires_long = _next(entry_long, pel, n) == i
            fires_short = _next(entry_short, pes, n) == i
            p_volume = volume
            if sizing and (fires_long or fires_short):  # sized from the equity at this close, as the books have it
                held = booked
                if is_open and converting:  # the terminal's position_profit: raw P&L at the close, converted
                    mark = bars[i, CLOSE] if side == 1 else bars[i, CLOSE] + bars[i, SPREAD]
                    diff = mark - entry if side == 1 else entry - mark
                    held = booked + (0.0 + (((diff * lot[LOT_CONTRACT]) * vol) * conv_bars[i, R_CLOSE] + booked_swap))
                elif is_open:
                    lots = lot[LOT_CONTRACT] * vol
                    if side == 1:
                        fk, fm, fs = 0.0 + (booked_swap - lots * entry), 0.0 + lots, 0.0
                    else:
                        fk, fm, fs = 0.0 + (booked_swap + lots * entry), 0.0 - lots, 0.0 - lots
                    held = booked + (0.0 + ((fk + fm * bars[i, CLOSE]) + fs * bars[i, SPREAD]))
                if fires_long:
                    p_volume = _risk_volume(held, loss_long[i], lot[LOT_RISK], lot[LOT_STEP], lot[LOT_MAX],
                                            lot[LOT_MIN])
                    fires_long = p_volume > 0.0
                if not fires_long and fires_short:
                    p_volume = _risk_volume(held, loss_short[i], lot[LOT_RISK], lot[LOT_STEP], lot[LOT_MAX],
                                            lot[LOT_MIN])
                    fires_short = p_volume > 0.0
            if fires_long:
                go = 1
                p_sl, p_tp = (long_sl[i], long_tp[i]) if has_levels else (0.0, 0.0)
            elif fires_short:
                go = -1
                p_sl, p_tp = (short_sl[i], short_tp[i]) if has_levels else (0.0, 0.0)
            if go != 0:
                estimate = bars[i, CLOSE] + bars[i, SPREAD] if go == 1 else bars[i, CLOSE]
                needed = (lot[LOT_MARGIN] * p_volume if sizing else margin_factor) * estimate ** margin_power
                if converting:
                    needed *= conv_bars[i, M_CLOSE]
                equity = balance
                used = 0.0
                if is_open:
                    mark = bars[i, CLOSE] if side == 1 else bars[i, CLOSE] + bars[i, SPREAD]
                    equity += swap + side * size * (mark - entry) * (conv_bars[i, R_CLOSE] if converting else 1.0)
                    used = margin
                if equity - used < needed * SAFETY:
                    flag |= FLAG_MARGIN
                pending_entry = True
                p_side = go
                p_signal = i
                p_ticket = ticket
                ticket += 1
        # the rows the coming signals will read (a signal and its fill bar; an exit's fill bar), asked for now
        # and read a few signals later: far apart, each would otherwise be a wait on memory (written out: a
        # call costs more than it saves)
        if pel + AHEAD < len(entry_long) and entry_long[pel + AHEAD] + 1 < n:
            prefetch(bars, entry_long[pel + AHEAD])
            prefetch(bars, entry_long[pel + AHEAD] + 1)
        if pes + AHEAD < len(entry_short) and entry_short[pes + AHEAD] + 1 < n:
            prefetch(bars, entry_short[pes + AHEAD])
            prefetch(bars, entry_short[pes + AHEAD] + 1)
        if pxl + AHEAD < len(exit_long) and exit_long[pxl + AHEAD] + 1 < n:
            prefetch(bars, exit_long[pxl + AHEAD] + 1)
        if pxs + AHEAD < len(exit_short) and exit_short[pxs + AHEAD] + 1 < n:
            prefetch(bars, exit_short[pxs + AHEAD] + 1)
        if pending_close or pending_entry:
            continue
        # Nothing is pending: go to the next bar where something can happen (it, and the last bar, are then
        # run in full by the loop). Flat: the next entry signal. Holding without SL / TP: the next exit,
        # passing over the bars between but for the rollovers (swap) and the watch's blocks.
        if not is_open:
            pel = _seek(entry_long, pel, i + 1)
            pes = _seek(entry_short, pes, i + 1)
            i = min(_next(entry_long, pel, n), _next(entry_short, pes, n), n - 1) - 1
        elif sl == 0.0 and tp == 0.0 and not has_trail:
            if side == 1:
                pxl = _seek(exit_long, pxl, i + 1)
                last = _next(exit_long, pxl, n)
            else:
                pxs = _seek(exit_short, pxs, i + 1)
                last = _next(exit_short, pxs, n)
            last = min(last, n - 1)
            if exit_after >= 0:
                last = min(last, signal_bar + exit_after)
            night = night_long if side == 1 else night_short
            limit = watch_limit * margin
            j = i + 1
            while j < last:
                pr = _seek(roll_bars, pr, j)
                if _next(roll_bars, pr, n) == j:
                    rate = conv_bars[j, R_OPEN] if converting else 1.0
                    swap += (night * roll_nights[pr]) * rate
                    if sizing:
                        unit = lot[LOT_SWAP_LONG] if side == 1 else lot[LOT_SWAP_SHORT]
                        booked_swap += py_round_one(((unit * vol) * roll_nights[pr]) * rate, 100.0)
                    safe_until = j
                    pr += 1
                if j >= safe_until:  # the watch, as above
                    block = j >> BLOCK_SHIFT
                    bound = block_low[block] if side == 1 else block_high[block]
                    pnl = side * size * (bound - entry)
                    if converting:
                        pnl *= conv_blocks[block, 1] if pnl < 0.0 else conv_blocks[block, 0]
                    clear = balance + swap + pnl - limit
                    if clear > 1e-9 * (abs(balance) + abs(swap) + size * abs(entry) + limit + 1.0):
                        safe_until = (block + 1) << BLOCK_SHIFT
                    else:
                        worst = bars[j, LOW] if side == 1 else bars[j, HIGH] + bars[j, SPREAD]
                        pnl = side * size * (worst - entry)
                        if converting:
                            pnl *= conv_bars[j, R_HIGH] if pnl < 0.0 else conv_bars[j, R_LOW]
                        if balance + swap + pnl <= limit:
                            flag |= FLAG_STOP_OUT
                        safe_until = j + 1
                j = min(_next(roll_bars, pr, n), last, safe_until)
            i = last - 1
    if is_open:
        trades[count, EXIT_BAR] = n - 1
        trades[count, EXIT_KIND] = EXIT_END
        trades[count, EXIT_BAR_OPEN] = bars[n - 1, TIME]
        trades[count, EXIT_RATE] = conv_bars[n - 1, R_CLOSE] if converting else 1.0
        count += 1
    return count, flag
