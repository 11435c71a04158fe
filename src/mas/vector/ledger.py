"""From the kernel's trades to the engine's books: trade records, balance and equity per bar.

Every amount is computed with the simulated terminal's expressions in its order (Python floats
per trade; numpy per bar where the operations are elementwise, and ``cumsum`` for running sums,
which adds in sequence as the terminal does), so the books equal the event engine's bit for bit:
P&L and swaps rounded to cents as MT5 books them, commission per side, the floating P&L of the
open position at each close through the terminal's linear form, a position still open at the
end valued at the last close; the margin in use at each close is the position's margin as the
terminal fixes it at the fill (:func:`position_margins`).

When the symbol's profit currency is not the account's (:mod:`.conversion`), each exit's P&L is converted at the
rate the kernel wrote into its row, each rollover's swap at the rate of that bar's open, the floating P&L at each
close at the rate of the close (the terminal values such a position one by one, not through the linear form), and
the margin at the rate of the fill.

With several positions at once (:mod:`.pyramid`) the deals are added in the order the kernel numbered them, the
equity at each close through the linear form of every open position summed in ticket order (in another profit
currency: each position's converted P&L and swaps, summed in ticket order), and the margin in use as the terminal's
hedging account charges it (opposite volumes at the hedged contract size).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

import numpy as np

from mas.results import TradeRecord
from mas.sim.account import margin_in_margin_currency, swap_in_profit_currency
from mas.sim.symbols import SymbolSpec
from mas.vector.jit import njit
from mas.vector.kernel import (
    COLUMNS,
    ENTRY_DEAL,
    ENTRY_PRICE,
    EXIT_BAR,
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
    M_BUY,
    M_SELL,
    R_CLOSE,
    R_OPEN,
    SIDE,
    STOP_LOSS,
    TAKE_PROFIT,
    TICKET,
    VOLUME,
    py_round_one,
)

__all__ = ["NET_BALANCE", "NET_COLUMNS", "NET_EQUITY", "NET_FEE", "NET_MARGIN", "NET_SWAP", "Books", "Charges",
           "Ledger", "Prices", "ledger_books", "position_margins", "py_round", "swap_charges", "trade_commissions",
           "write_books", "write_ledger"]

NET_SWAP, NET_FEE = COLUMNS, COLUMNS + 1
"""A netting account's trade row (:mod:`.netting`) carries its booked swap and its commission per side (half the
record's: its share of the entry commissions plus its exit's) after the :data:`~.kernel.COLUMNS`."""
NET_BALANCE, NET_EQUITY, NET_MARGIN = COLUMNS, COLUMNS + 1, COLUMNS + 2
"""Columns of the per-bar rows after a netting account's trade rows: balance, equity and margin at each close."""
NET_COLUMNS = COLUMNS + 3
"""Width of the netting layout: the trade rows, then one row per bar (the curves), in one array."""

_EPOCH = datetime(1970, 1, 1)
_REASONS = {EXIT_CLIENT: "expert", EXIT_SL: "sl", EXIT_TP: "tp", EXIT_END: "end"}


def trade_commissions(per_side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The commission each trade record shows: ``(closed, open)``, a closed trade's entry share plus its exit, and
    an open one's entry (``per_side``: per trade, negative = cost), rounded to cents as the terminal books them."""
    if _uniform(per_side):  # one volume (fixed lots): round once
        one = float(per_side[0])
        return np.full(len(per_side), round(one * 1.0 + one * 1.0, 2)), np.full(len(per_side), round(one, 2))
    return py_round(per_side * 1.0 + per_side * 1.0, 2), py_round(per_side, 2)


def _uniform(values: np.ndarray) -> bool:
    """Whether ``values`` holds one value (at least one element)."""
    return len(values) > 0 and bool((values == values[0]).all())


def py_round(values: np.ndarray, digits: int) -> np.ndarray:
    """Python's ``round(x, digits)`` elementwise: numpy's rounding, redone by Python near halves
    (the only places where the two can disagree)."""
    values = np.asarray(values, dtype=np.float64)
    out = np.round(values, digits)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values * 10.0 ** digits
        near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for i in np.flatnonzero(near_half):
        out[i] = round(float(values[i]), digits)
    return out


@dataclass(frozen=True)
class Prices:
    """What the books read per bar: open times, closes, spreads, fills at the open, rollover nights."""

    time: np.ndarray
    close: np.ndarray
    spread: np.ndarray
    buy_fill: np.ndarray
    sell_fill: np.ndarray
    rollovers: np.ndarray

    @cached_property
    def most_nights(self) -> int:
        """The most nights one rollover charges (3 on the triple-swap day)."""
        return int(self.rollovers.max(initial=0))

    @cached_property
    def roll_bars(self) -> np.ndarray:
        """The bars with a rollover before them, ascending."""
        return np.flatnonzero(self.rollovers > 0)

    @cached_property
    def roll_nights(self) -> np.ndarray:
        """The nights of each of :attr:`roll_bars`."""
        return self.rollovers[self.roll_bars]


@dataclass
class Books:
    """The numbers of a run: per trade (kernel rows, entry and exit prices, profit, swap) and per bar."""

    rows: np.ndarray
    entry: np.ndarray
    exit_price: np.ndarray
    profit: np.ndarray
    swap: np.ndarray
    commission: np.ndarray
    """Per trade and side, unrounded (negative = cost)."""
    volume: np.ndarray
    """Per trade, lots."""
    balance: np.ndarray
    equity: np.ndarray
    margin: np.ndarray | None = None
    """The margin in use at each bar's close (None when the books were written without the leverage)."""

    def records(self, spec: SymbolSpec, bar_times: list[int], stamps: list[datetime]) -> list[TradeRecord]:
        """The terminal's trade records; ``bar_times`` and ``stamps``: each bar's open time as epoch seconds and
        as a datetime (lists, made once per set of candles)."""
        closed_commission, open_commission = trade_commissions(self.commission)
        return _records(self.rows, spec, self.volume, self.entry, self.exit_price, self.profit, self.swap,
                        closed_commission, open_commission, bar_times, stamps)


@njit
def _swap_totals(fill: np.ndarray, last: np.ndarray, is_buy: np.ndarray, roll_bars: np.ndarray,
                 roll_nights: np.ndarray, charge_long: np.ndarray, charge_short: np.ndarray,
                 charge_row: np.ndarray) -> np.ndarray:
    """Each position's swaps: the charges of the rollovers after its fill bar up to ``last``, added
    one by one from 0.0 as the terminal adds them (``roll_bars``: the bars with a rollover, ascending;
    ``charge_*[charge_row[t]]``: position ``t``'s charge per rollover by nights)."""
    out = np.zeros(len(fill))
    k = 0
    for t in range(len(fill)):
        charges = charge_long[charge_row[t]] if is_buy[t] else charge_short[charge_row[t]]
        total = 0.0
        if t > 0 and fill[t] < fill[t - 1]:  # out of order: look again from the start
            k = 0
        while k < len(roll_bars) and roll_bars[k] <= fill[t]:
            k += 1
        q = k
        while q < len(roll_bars) and roll_bars[q] <= last[t]:
            total += charges[roll_nights[q]]
            q += 1
        out[t] = total
    return out


@njit
def _balance_and_equity(deal_bars: np.ndarray, deal_changes: np.ndarray, capital: float, fill: np.ndarray,
                        stop: np.ndarray, is_buy: np.ndarray, entry: np.ndarray, sizes: np.ndarray,
                        rollovers: np.ndarray, charge_long: np.ndarray, charge_short: np.ndarray,
                        charge_row: np.ndarray, close: np.ndarray, spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Balance after each bar's deals, and equity: balance plus the open position's floating P&L and swaps
    (the terminal's linear form ``k + m * bid + n * spread``) while one is open at the close."""
    n = len(close)
    balance = np.empty(n)
    running = 0.0 + capital
    d = 0
    for i in range(n):
        while d < len(deal_bars) and deal_bars[d] <= i:
            running += deal_changes[d]
            d += 1
        balance[i] = running
    equity = balance.copy()
    for t in range(len(fill)):
        charges = charge_long[charge_row[t]] if is_buy[t] else charge_short[charge_row[t]]
        size = sizes[t]
        swap = 0.0
        for i in range(fill[t], stop[t]):
            if i > fill[t] and rollovers[i] > 0:
                swap += charges[rollovers[i]]
            if is_buy[t]:
                k, m, s = 0.0 + (swap - size * entry[t]), 0.0 + size, 0.0
            else:
                k, m, s = 0.0 + (swap + size * entry[t]), 0.0 - size, 0.0 - size
            equity[i] = balance[i] + (0.0 + ((k + m * close[i]) + s * spread[i]))
    return balance, equity


@njit
def _converted_swaps(fill: np.ndarray, last: np.ndarray, is_buy: np.ndarray, volume: np.ndarray,
                     roll_bars: np.ndarray, roll_nights: np.ndarray, unit_long: float, unit_short: float,
                     rate_open: np.ndarray) -> np.ndarray:
    """Each position's swaps in another profit currency: at each rollover after its fill bar up to ``last``, one
    night's swap of one lot (``unit_*``) times the volume and the nights, converted at that bar's open and booked
    to the cent, added one by one from 0.0 as the terminal adds them."""
    out = np.zeros(len(fill))
    for t in range(len(fill)):
        unit = unit_long if is_buy[t] else unit_short
        total = 0.0
        for q in range(len(roll_bars)):
            bar = roll_bars[q]
            if fill[t] < bar <= last[t]:
                total += py_round_one(((unit * volume[t]) * roll_nights[q]) * rate_open[bar], 100.0)
        out[t] = total
    return out


@njit
def _converted_equity(balance: np.ndarray, fill: np.ndarray, stop: np.ndarray, is_buy: np.ndarray,
                      entry: np.ndarray, volume: np.ndarray, contract: float, rollovers: np.ndarray,
                      unit_long: float, unit_short: float, rate_open: np.ndarray, rate_close: np.ndarray,
                      close: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Equity with positions in another profit currency: the balance plus each open position's raw P&L at the
    close (the bid for a long, the ask for a short) converted at the close's rate, plus its booked swaps."""
    equity = balance.copy()
    for t in range(len(fill)):
        unit = unit_long if is_buy[t] else unit_short
        swap = 0.0
        for i in range(fill[t], stop[t]):
            if i > fill[t] and rollovers[i] > 0:
                swap += py_round_one(((unit * volume[t]) * rollovers[i]) * rate_open[i], 100.0)
            if is_buy[t]:
                diff = close[i] - entry[t]
            else:
                diff = entry[t] - (close[i] + spread[i])
            equity[i] = balance[i] + (0.0 + (((diff * contract) * volume[t]) * rate_close[i] + swap))
    return equity


@njit
def _several_equity(balance: np.ndarray, fill: np.ndarray, stop: np.ndarray, order: np.ndarray, is_buy: np.ndarray,
                    entry: np.ndarray, sizes: np.ndarray, rollovers: np.ndarray, charge_long: np.ndarray,
                    charge_short: np.ndarray, charge_row: np.ndarray, close: np.ndarray,
                    spread: np.ndarray) -> np.ndarray:
    """Equity with several positions open: the balance plus the terminal's linear form ``k + m * bid + n * spread``
    of the positions open at each close, summed in ticket order (``order``: the trades by ticket)."""
    equity = balance.copy()
    swaps = np.zeros(len(fill))
    lo = hi = 0  # the positions in ticket order that can be open at bar i: those from lo up to hi
    for i in range(len(close)):
        while hi < len(order) and fill[order[hi]] <= i:
            hi += 1
        while lo < hi and stop[order[lo]] <= i:
            lo += 1
        k = m = s = 0.0
        any_open = False
        for q in range(lo, hi):
            t = order[q]
            if fill[t] > i or stop[t] <= i:
                continue
            if i > fill[t] and rollovers[i] > 0:
                swaps[t] += charge_long[charge_row[t], rollovers[i]] if is_buy[t] else \
                    charge_short[charge_row[t], rollovers[i]]
            any_open = True
            size = sizes[t]
            if is_buy[t]:
                k += swaps[t] - size * entry[t]
                m += size
            else:
                k += swaps[t] + size * entry[t]
                m -= size
                s -= size
        if any_open:
            equity[i] = balance[i] + (0.0 + ((k + m * close[i]) + s * spread[i]))
    return equity


@njit
def _several_converted_equity(balance: np.ndarray, fill: np.ndarray, stop: np.ndarray, order: np.ndarray,
                              is_buy: np.ndarray, entry: np.ndarray, volume: np.ndarray, contract: float,
                              rollovers: np.ndarray, unit_long: float, unit_short: float, rate_open: np.ndarray,
                              rate_close: np.ndarray, close: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Equity with several positions in another profit currency: the balance plus, summed from 0.0 in ticket order
    (``order``) as the terminal values such positions one by one, each open position's raw P&L at the close
    converted at the close's rate plus its booked swaps (:func:`_converted_equity`, position by position)."""
    equity = balance.copy()
    swaps = np.zeros(len(fill))
    lo = hi = 0  # as in _several_equity: the positions in ticket order that can be open at bar i
    for i in range(len(close)):
        while hi < len(order) and fill[order[hi]] <= i:
            hi += 1
        while lo < hi and stop[order[lo]] <= i:
            lo += 1
        total = 0.0
        any_open = False
        for q in range(lo, hi):
            t = order[q]
            if fill[t] > i or stop[t] <= i:
                continue
            if i > fill[t] and rollovers[i] > 0:
                unit = unit_long if is_buy[t] else unit_short
                swaps[t] += py_round_one(((unit * volume[t]) * rollovers[i]) * rate_open[i], 100.0)
            any_open = True
            diff = close[i] - entry[t] if is_buy[t] else entry[t] - (close[i] + spread[i])
            total += ((diff * contract) * volume[t]) * rate_close[i] + swaps[t]
        if any_open:
            equity[i] = balance[i] + total
    return equity


@njit
def _several_margins(fill: np.ndarray, stop: np.ndarray, order: np.ndarray, is_buy: np.ndarray, volume: np.ndarray,
                     margins: np.ndarray, hedged_contract: float, contract: float, n: int) -> np.ndarray:
    """The margin in use at each close with several positions: the hedging account's (``AccountBook``): per side
    the volumes and margins summed in ticket order; the hedged volume at the ``hedged_contract`` size."""
    out = np.zeros(n)
    lo = hi = 0  # as in _several_equity: the positions in ticket order that can be open at bar i
    for i in range(n):
        while hi < len(order) and fill[order[hi]] <= i:
            hi += 1
        while lo < hi and stop[order[lo]] <= i:
            lo += 1
        bv = bm = sv = sm = 0.0
        any_open = False
        for q in range(lo, hi):
            t = order[q]
            if fill[t] > i or stop[t] <= i:
                continue
            any_open = True
            if is_buy[t]:
                bv += volume[t]
                bm += margins[t]
            else:
                sv += volume[t]
                sm += margins[t]
        if not any_open:
            continue
        hedged = min(bv, sv)
        if hedged <= 0:
            out[i] = 0.0 + (bm + sm)
            continue
        big_v, big_m = (bv, bm) if bv >= sv else (sv, sm)
        per_lot = (bm / bv + sm / sv) / 2
        out[i] = 0.0 + (big_m * (big_v - hedged) / big_v + per_lot * hedged * hedged_contract / contract)
    return out


@njit
def _margin_per_bar(fill: np.ndarray, stop: np.ndarray, margins: np.ndarray, n: int) -> np.ndarray:
    """The margin in use at each bar's close: each position's margin over the bars it is held at a close."""
    out = np.zeros(n)
    for t in range(len(fill)):
        for i in range(fill[t], stop[t]):
            out[i] = margins[t]
    return out


def position_margins(spec: SymbolSpec, volume: np.ndarray, entry: np.ndarray, leverage: int,
                     currency: str, rates: np.ndarray | None = None, fill: np.ndarray | None = None,
                     is_buy: np.ndarray | None = None) -> np.ndarray | None:
    """Each position's margin in the account ``currency``, as the terminal fixes it at the fill price ``entry``
    (``AccountBook.margin_for``: the margin-currency amount times the margin currency's rate, which is the fill
    price itself when the margin is in the base currency and the P&L in the account's); with the conversion table
    ``rates``, the rate of its margin currency at each position's ``fill`` bar; None for other currency pairings without
    one, whose rate the books do not know."""
    if rates is not None and fill is not None and is_buy is not None:
        at_fill = np.where(is_buy, rates[fill, M_BUY], rates[fill, M_SELL]).tolist()
        return np.array([margin_in_margin_currency(spec, lots, price, leverage) * rate
                         for lots, price, rate in zip(volume.tolist(), entry.tolist(), at_fill, strict=True)])
    if _uniform(volume):  # one volume (fixed lots)
        lots = float(volume[0])
        if spec.margin == currency:
            return np.array([margin_in_margin_currency(spec, lots, price, leverage) * 1.0 for price in entry.tolist()])
        if spec.margin == spec.base and spec.profit == currency:
            return np.array([margin_in_margin_currency(spec, lots, price, leverage) * price
                             for price in entry.tolist()])
        return None
    pairs = zip(volume.tolist(), entry.tolist(), strict=True)
    if spec.margin == currency:
        return np.array([margin_in_margin_currency(spec, lots, price, leverage) * 1.0 for lots, price in pairs])
    if spec.margin == spec.base and spec.profit == currency:
        return np.array([margin_in_margin_currency(spec, lots, price, leverage) * price for lots, price in pairs])
    return None


@dataclass(frozen=True)
class Ledger:
    """The numbers of each trade (kernel rows in order), as arrays: what the books and the metrics read."""

    rows: np.ndarray
    fill: np.ndarray
    exit_bar: np.ndarray
    is_buy: np.ndarray
    ended: np.ndarray
    """The position still open at the end (only the last row can be)."""
    entry: np.ndarray
    exit_price: np.ndarray
    profit: np.ndarray
    swap: np.ndarray
    commission: np.ndarray
    """Per trade and side, unrounded (negative = cost)."""
    volume: np.ndarray
    """Per trade, lots."""
    size: np.ndarray
    """Per trade, contract size times lots."""
    charge_long: np.ndarray
    charge_short: np.ndarray
    """Booked swap of one rollover by nights (columns), one row per distinct volume."""
    charge_row: np.ndarray
    """Per trade, its row of ``charge_*``."""
    rates: np.ndarray | None = None
    """The conversion table (``Conversion.bars``: rates per bar, columns ``R_*`` / ``M_*``) of a symbol whose profit
    or margin currency is not the account's (None: both are)."""
    swap_units: tuple[float, float] = (0.0, 0.0)
    """With ``rates``: one lot's swap of one night, long and short, in the profit currency."""
    contract: float = 0.0
    """The symbol's contract size (what the floating P&L of a converted position is computed with)."""
    several: bool = False
    """Whether positions overlap (``max_open_positions > 1``): the rows carry their deals' order."""
    curves: np.ndarray | None = None
    """A netting account's balance, equity and margin at each close (columns ``NET_BALANCE`` .. ``NET_MARGIN``), as
    its kernel booked them (:mod:`.netting`): the entries merged into one position are not one row per deal pair."""

    def changes(self) -> tuple[np.ndarray, np.ndarray]:
        """The balance change of each trade's entry deal (its commission) and of its exit deal, as booked."""
        commission = self.commission
        if _uniform(commission):  # one volume (fixed lots): round once
            commission_booked = np.full(len(commission), round(float(commission[0]), 2) + 0.0)
        else:
            commission_booked = py_round(commission, 2) + 0.0
        entry_change = ((0.0 + commission_booked) + 0.0) + 0.0
        return entry_change, ((self.profit + commission_booked) + self.swap) + 0.0

    def deals(self, bars: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(deal_bars, deal_changes, stop)``: each deal's bar and balance change in order, and the bar each
        position stops being held at a close (``bars`` for the one still open)."""
        entry_change, exit_change = self.changes()
        count = len(self.rows)
        deal_bars = np.column_stack((self.fill, self.exit_bar)).ravel()
        deal_changes = np.column_stack((entry_change, exit_change)).ravel()
        keep = np.column_stack((np.ones(count, dtype=bool), ~self.ended)).ravel()
        stop = np.where(self.ended, bars, self.exit_bar)
        if self.several:  # in the order the deals happened
            numbers = np.column_stack((self.rows[:, ENTRY_DEAL], self.rows[:, EXIT_DEAL])).ravel()[keep]
            order = np.argsort(numbers, kind="stable")
            return deal_bars[keep][order], deal_changes[keep][order], stop
        return deal_bars[keep], deal_changes[keep], stop

    @property
    def by_ticket(self) -> np.ndarray:
        """The trades' indices in ticket order (the terminal's order of open positions)."""
        return np.argsort(self.rows[:, TICKET], kind="stable")


def swap_charges(spec: SymbolSpec, volume: float, nights: int) -> tuple[np.ndarray, np.ndarray]:
    """Booked swap of one rollover of 0..``nights`` nights, long and short (cents, as the terminal books it)."""
    return tuple(np.array([round(swap_in_profit_currency(spec, buy, volume, k) * 1.0, 2) for k in range(nights + 1)])
                 for buy in (True, False))  # type: ignore[return-value]


Charges = Callable[[float], tuple[np.ndarray, np.ndarray]]
"""Volume -> :func:`swap_charges` of that volume (made once per volume by the caller)."""


def _charge_tables(spec: SymbolSpec, volume: np.ndarray, prices: Prices,
                   charges: Charges | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(charge_long, charge_short, charge_row)``: one row of booked swap per distinct volume, each trade's row."""
    def made(lots: float) -> tuple[np.ndarray, np.ndarray]:
        return charges(lots) if charges is not None else swap_charges(spec, lots, prices.most_nights)

    if len(volume) == 0 or _uniform(volume):  # one volume (fixed lots): one row
        long, short = made(float(volume[0]) if len(volume) else 0.0)
        return long.reshape(1, -1), short.reshape(1, -1), np.zeros(len(volume), dtype=np.int64)
    distinct, row = np.unique(volume, return_inverse=True)
    tables = [made(lots) for lots in distinct.tolist()]
    return (np.stack([t[0] for t in tables]), np.stack([t[1] for t in tables]),
            row.reshape(-1).astype(np.int64))


def write_ledger(rows: np.ndarray, spec: SymbolSpec, prices: Prices, charges: Charges | None = None,
                 rates: np.ndarray | None = None, several: bool = False) -> Ledger:
    """The per-trade numbers of the kernel's ``rows`` (each trade's volume in its ``VOLUME`` column); ``charges``:
    :func:`swap_charges` by volume when the caller keeps them; ``rates``: the conversion table when the profit or the
    margin currency is not the account's. Rows of the netting layout (:data:`NET_COLUMNS` wide: the trade rows, then
    one row per bar of ``prices``) carry their swaps, commissions and curves."""
    curves = None
    if rows.shape[1] == NET_COLUMNS:
        curves = rows[len(rows) - len(prices.close):]
        rows = rows[:len(rows) - len(prices.close)]
    side, kind = rows[:, SIDE], rows[:, EXIT_KIND]
    volume = rows[:, VOLUME].copy()
    fill, exit_bar = rows[:, FILL_BAR].astype(np.int64), rows[:, EXIT_BAR].astype(np.int64)
    is_buy = side > 0
    ended = kind == EXIT_END
    entry = rows[:, ENTRY_PRICE].copy()  # the buy or sell fill at the fill bar's open, as the kernel filled it
    charge_long, charge_short, charge_row = _charge_tables(spec, volume, prices, charges)
    units = (swap_in_profit_currency(spec, True, 1.0, 1), swap_in_profit_currency(spec, False, 1.0, 1))
    if curves is not None:
        swap_total = rows[:, NET_SWAP]
        rate = rows[:, EXIT_RATE]
    elif rates is None:
        swap_total = _swap_totals(fill, exit_bar, is_buy, prices.roll_bars, prices.roll_nights, charge_long,
                                  charge_short, charge_row)
        rate = 1.0
    else:
        swap_total = _converted_swaps(fill, exit_bar, is_buy, volume, prices.roll_bars, prices.roll_nights, *units,
                                      rates[:, R_OPEN])
        rate = rows[:, EXIT_RATE]
    swap = py_round(swap_total * 1.0, 2)
    last_close = float(prices.close[-1])
    exit_price = np.where(ended, np.where(is_buy, last_close, last_close + float(prices.spread[-1])),
                          py_round(rows[:, EXIT_PRICE], spec.digits))
    profit = py_round(np.where(is_buy, exit_price - entry, entry - exit_price) * spec.contract_size * volume * rate, 2)
    commission = -spec.commission * volume if curves is None else rows[:, NET_FEE].copy()
    return Ledger(rows, fill, exit_bar, is_buy, ended, entry, exit_price, profit, swap, commission,
                  volume, spec.contract_size * volume, charge_long, charge_short, charge_row, rates, units,
                  spec.contract_size, several or curves is not None, curves)


def write_books(rows: np.ndarray, spec: SymbolSpec, capital: float, prices: Prices, charges: Charges | None = None,
                leverage: int = 0, currency: str = "", rates: np.ndarray | None = None,
                several: bool = False) -> Books:
    """The books of the kernel's ``rows`` (one per trade, in order); with the account's ``leverage`` and
    ``currency``, the margin per bar too; ``rates``, ``several``: see :func:`write_ledger`."""
    ledger = write_ledger(rows, spec, prices, charges, rates, several)
    if ledger.curves is not None:
        books = ledger_books(ledger, capital, prices)
        books.margin = ledger.curves[:, NET_MARGIN].copy() if leverage > 0 else None
        return books
    margins = (position_margins(spec, ledger.volume, ledger.entry, leverage, currency, rates, ledger.fill,
                                ledger.is_buy) if leverage > 0 else None)
    books = ledger_books(ledger, capital, prices, margins)
    if several and margins is not None:
        _, _, stop = ledger.deals(len(prices.close))
        books.margin = _several_margins(ledger.fill, stop, ledger.by_ticket, ledger.is_buy, ledger.volume, margins,
                                        spec.hedged_contract, spec.contract_size, len(prices.close))
    return books


def ledger_books(ledger: Ledger, capital: float, prices: Prices, margins: np.ndarray | None = None) -> Books:
    """The books of ``ledger``: its per-trade numbers and the balance and equity per bar; with each position's
    margin (``margins``, :func:`position_margins`), the margin in use per bar; a netting account's ledger carries
    its curves."""
    if ledger.curves is not None:
        return Books(ledger.rows, ledger.entry, ledger.exit_price, ledger.profit, ledger.swap, ledger.commission,
                     ledger.volume, ledger.curves[:, NET_BALANCE].copy(), ledger.curves[:, NET_EQUITY].copy(),
                     None if margins is None else ledger.curves[:, NET_MARGIN].copy())
    deal_bars, deal_changes, stop = ledger.deals(len(prices.close))
    balance, equity = _balance_and_equity(deal_bars, deal_changes, capital, ledger.fill, stop, ledger.is_buy,
                                          ledger.entry, ledger.size, prices.rollovers, ledger.charge_long,
                                          ledger.charge_short, ledger.charge_row, prices.close, prices.spread)
    if ledger.several and ledger.rates is not None:
        bars = ledger.rates
        equity = _several_converted_equity(balance, ledger.fill, stop, ledger.by_ticket, ledger.is_buy, ledger.entry,
                                           ledger.volume, ledger.contract, prices.rollovers, *ledger.swap_units,
                                           bars[:, R_OPEN], bars[:, R_CLOSE], prices.close, prices.spread)
    elif ledger.several:
        equity = _several_equity(balance, ledger.fill, stop, ledger.by_ticket, ledger.is_buy, ledger.entry,
                                 ledger.size, prices.rollovers, ledger.charge_long, ledger.charge_short,
                                 ledger.charge_row, prices.close, prices.spread)
    elif ledger.rates is not None:
        bars = ledger.rates
        equity = _converted_equity(balance, ledger.fill, stop, ledger.is_buy, ledger.entry, ledger.volume,
                                   ledger.contract,
                                   prices.rollovers, *ledger.swap_units, bars[:, R_OPEN], bars[:, R_CLOSE],
                                   prices.close, prices.spread)
    margin = None if margins is None else _margin_per_bar(ledger.fill, stop, margins, len(prices.close))
    return Books(ledger.rows, ledger.entry, ledger.exit_price, ledger.profit, ledger.swap, ledger.commission,
                 ledger.volume, balance, equity, margin)


def _records(rows: np.ndarray, spec: SymbolSpec, volume: np.ndarray, entry: np.ndarray, exit_price: np.ndarray,
             profit: np.ndarray, swap: np.ndarray, commission: np.ndarray, open_commission: np.ndarray,
             bar_times: list[int], stamps: list[datetime]) -> list[TradeRecord]:
    """The terminal's trade records: closed trades in closing order, then a position still open."""
    records, still_open = [], []
    fields = [SIDE, FILL_BAR, EXIT_BAR, EXIT_KIND, EXIT_TIME, STOP_LOSS, TAKE_PROFIT, TICKET]
    columns = zip(rows[:, fields].tolist(), entry.tolist(), exit_price.tolist(), profit.tolist(),
                  swap.tolist(), volume.tolist(), commission.tolist(), open_commission.tolist(), strict=True)
    name = spec.name
    for ((side, fill, exit_bar, kind, exit_time, sl, tp, ticket), opened, closed, pnl, charged, lots, closed_fee,
         open_fee) in columns:
        is_open = kind == EXIT_END
        exit_bar = int(exit_bar)
        if is_open:
            close_time = None
        elif exit_time == bar_times[exit_bar]:
            close_time = stamps[exit_bar]
        else:
            close_time = _EPOCH + timedelta(seconds=int(exit_time))
        record = TradeRecord(int(ticket), name, "buy" if side > 0 else "sell", lots, stamps[int(fill)], opened,
                             close_time, closed, pnl, open_fee if is_open else closed_fee, charged, is_open,
                             _REASONS[int(kind)], sl, tp)
        if is_open:
            still_open.append(record)
        else:
            records.append(record)
    return records + still_open
