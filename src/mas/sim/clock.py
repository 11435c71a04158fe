"""The backtest clock over bars: drives the simulated terminal and the strategy's callback.

For each bar, in time order across symbols: the terminal settles what happens on the bar
(swaps at rollover, market orders at the open, pending orders, SL/TP, expirations and
stop-out along the path: its listener pushes those events first), the account's equity
at the bar's close is recorded, then the strategy receives the completed bar. No pandas,
no logging and no allocation beyond the bar dict happen in this loop; the lists it reads per
bar are made a chunk of bars at a time (:data:`CHUNK`), so a replay's memory is its bars' arrays,
not a Python object per bar and column.
"""

from __future__ import annotations

import gc
import math
import types
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final, NamedTuple

import numpy as np

from mas.sessions.events import bar_dict, tick_dict
from mas.sim.book import AccountBook
from mas.sim.market import (
    ASK,
    BID,
    SECOND_STEPS,
    SPREAD,
    TICK_CHUNK,
    SymbolTape,
    TickTape,
    items_list,
    minute_ends,
    path_envelope,
    step_breaks,
    to_datetimes,
)
from mas.sim.matching import settle_bar, settle_tick
from mas.sim.terminal import SimulatedTerminal

BarCallback = Callable[[str, dict, bool], object]
_EPOCH: Final = datetime(1970, 1, 1)


class EquityCurve:
    """Equity, balance and the margin in use at each replayed bar's close (account currency)."""

    def __init__(self, times: np.ndarray, equity: np.ndarray, balance: np.ndarray,
                 margin: np.ndarray | None = None) -> None:
        self.times = times
        self.equity = equity
        self.balance = balance
        self.margin = np.zeros(len(times), dtype=np.float64) if margin is None else margin


def merge_by_time(times: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every item of several ascending time arrays in time order, ties in the arrays' order (the replay's merged
    clock): ``(which, index, order)``, each item's array and its position there, and ``order`` the items' positions
    in the arrays put end to end."""
    which = np.concatenate([np.full(len(t), k, dtype=np.int64) for k, t in enumerate(times)])
    index = np.concatenate([np.arange(len(t), dtype=np.int64) for t in times])
    order = np.lexsort((which, np.concatenate(times).astype(np.int64)))
    return which[order], index[order], order


def merged_order(tapes: list[SymbolTape]) -> tuple[np.ndarray, np.ndarray]:
    """(tape index, bar index) of every bar of every tape, in time order (ties: tape order)."""
    if len(tapes) == 1:
        n = len(tapes[0].times)
        return np.zeros(n, dtype=np.int64), np.arange(n, dtype=np.int64)
    which, index, _ = merge_by_time([t.rates["time"] for t in tapes])
    return which, index


CHUNK: Final = 1 << 15
"""Bars per chunk of a replay: the per-bar Python lists the loop reads (prices, volumes) are made, and the equity
curve's items written, for one chunk at a time, so their memory does not grow with the run."""


class BarLedger:
    """The account's equity, balance and margin in use at each replayed bar's close, written by the clock
    as the replay goes, so the curve so far can be read while it runs (a report asked for at the last bar).

    ``equity``, ``balance`` and ``margin`` are float64 arrays, one item per bar of the merged order. The clock notes
    what a chunk of bars needs (:meth:`open_chunk`), where it changes, and the ledger writes the chunk's items
    when it ends (:meth:`close_chunk`), a numpy call per column: the margin and the balance, which only a deal
    changes (:meth:`note_account`); the equity's form, the balance or the balance plus the open positions'
    linear P&L at the bar's close (:meth:`note_form`); and the equity of the bars it was computed for one by one
    (:meth:`note_equity`). A clock that writes the arrays itself, bar by bar, never opens a chunk."""

    def __init__(self, tapes: list[SymbolTape]) -> None:
        self.tapes = tapes
        self.which: np.ndarray | None = None
        """Per bar of the merged order, its tape and its index in that tape (None for one tape: the same bar)."""
        self.index: np.ndarray | None = None
        if len(tapes) == 1:
            self.times = tapes[0].rates["time"]
        else:
            self.which, self.index = which, index = merged_order(tapes)
            offsets = np.cumsum([0] + [len(t.rates) for t in tapes[:-1]])
            self.times = np.concatenate([t.rates["time"] for t in tapes]).astype(np.int64)[offsets[which] + index]
        self.total = total = len(self.times)
        self.equity = np.zeros(total, dtype=np.float64)
        self.balance = np.zeros(total, dtype=np.float64)
        self.margin = np.zeros(total, dtype=np.float64)
        self.chunk_start = self.chunk_end = 0
        """The open chunk's first bar (every bar before it is in the arrays) and the bar past its end (0: none open)."""
        self.noted_at: list[int] = []
        """Bars of the open chunk where the margin or the balance changed, and the new values (``noted_margin``,
        ``noted_balance``)."""
        self.noted_margin: list[float] = []
        self.noted_balance: list[float] = []
        self.margin_before = 0.0
        """The margin in use and the balance before the open chunk's first bar."""
        self.balance_before = 0.0
        self.form_at: list[int] = []
        """Bars of the open chunk from which the equity has a new form: the balance (``form_linear`` False), or
        the balance plus ``k + m * close + n * spread`` at the bar's close (the form's ``form_k``, ``form_m``,
        ``form_n``: the account's linear form, :class:`QuietForm`; a replay of one tape only)."""
        self.form_linear: list[bool] = []
        self.form_k: list[float] = []
        self.form_m: list[float] = []
        self.form_n: list[float] = []
        self.form_before: tuple[bool, float, float, float] = (False, 0.0, 0.0, 0.0)
        """The form before the open chunk's first bar."""
        self.equity_at: list[int] = []
        """Bars of the open chunk whose equity is given (``equity_values``), whatever the form."""
        self.equity_values: list[float] = []

    def open_chunk(self, start: int, end: int) -> None:
        """Bars ``start`` to ``end`` (exclusive) are noted from now on."""
        self.chunk_start, self.chunk_end = start, end

    def note_account(self, bar: int, margin: float, balance: float) -> None:
        """The margin in use is ``margin`` and the balance ``balance`` from bar ``bar`` of the open chunk on."""
        self.noted_at.append(bar)
        self.noted_margin.append(margin)
        self.noted_balance.append(balance)

    def note_form(self, bar: int, linear: bool, k: float, m: float, n: float) -> None:
        """From bar ``bar`` of the open chunk on, the equity is the balance, plus ``k + m * close + n * spread``
        (the bar's close and spread in price units) when ``linear``."""
        self.form_at.append(bar)
        self.form_linear.append(linear)
        self.form_k.append(k)
        self.form_m.append(m)
        self.form_n.append(n)

    def note_equity(self, bar: int, value: float) -> None:
        """The equity at bar ``bar`` of the open chunk is ``value`` (whatever the form)."""
        self.equity_at.append(bar)
        self.equity_values.append(value)

    def close_chunk(self, end: int) -> None:
        """Write the open chunk's bars (up to ``end``) into the arrays."""
        start = self.chunk_start
        if end > start:
            self.equity[start:end], self.balance[start:end], self.margin[start:end] = self._chunk(start, end)
            self.margin_before, self.balance_before = float(self.margin[end - 1]), float(self.balance[end - 1])
            kept = int(np.searchsorted(np.array(self.form_at, dtype=np.int64), end))
            if kept:
                self.form_before = (self.form_linear[kept - 1], self.form_k[kept - 1], self.form_m[kept - 1],
                                    self.form_n[kept - 1])
        for notes in (self.noted_at, self.noted_margin, self.noted_balance, self.form_at, self.form_linear,
                      self.form_k, self.form_m, self.form_n, self.equity_at, self.equity_values):
            notes.clear()
        self.chunk_start, self.chunk_end = end, 0

    def _chunk(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The equity, balance and margin of bars ``start`` to ``end`` of the open chunk, from its notes (each
        value repeated over its bars in one numpy call: a chunk may note thousands)."""
        counts = _counts(self.noted_at, start, end)
        kept = len(counts)
        margin = np.repeat(np.array([self.margin_before, *self.noted_margin][:kept], dtype=np.float64), counts)
        balance = np.repeat(np.array([self.balance_before, *self.noted_balance][:kept], dtype=np.float64), counts)
        linear, k, m, n = self.form_before
        counts = _counts(self.form_at, start, end)
        kept = len(counts)
        linears = np.repeat(np.array([linear, *self.form_linear][:kept], dtype=bool), counts)
        if linears.any():
            tape = self.tapes[0]
            close = tape.close.values[start:end]
            spread = tape.spread_price.values[start:end]
            ks = np.repeat(np.array([k, *self.form_k][:kept], dtype=np.float64), counts)
            ms = np.repeat(np.array([m, *self.form_m][:kept], dtype=np.float64), counts)
            ns = np.repeat(np.array([n, *self.form_n][:kept], dtype=np.float64), counts)
            with np.errstate(all="ignore"):  # what a replay's float arithmetic gives, inf and nan included
                # the terms in the order the replay adds them, so each item is its float to the bit
                equity = balance + ((ks + ms * close) + ns * spread)
            if not linears.all():
                equity = np.where(linears, equity, balance)
        else:
            equity = balance.copy()
        if self.equity_at:
            at = np.array(self.equity_at, dtype=np.int64)
            given = at < end
            equity[at[given] - start] = np.array(self.equity_values, dtype=np.float64)[given]
        return equity, balance, margin

    def done(self, terminal: SimulatedTerminal) -> int:
        """How many bars the replay has settled: the bars are settled in time order, so each tape's
        current bar index tells how far it is, and together they are a prefix of the merged order."""
        quotes = terminal.book.market.quotes
        return sum(quotes[t.spec.name].index + 1 for t in self.tapes)

    def curve(self, count: int | None = None) -> EquityCurve:
        """The curve of the first ``count`` bars (all when None), the open chunk's bars included. The curve of
        every bar, once the last chunk is closed, is the ledger's own arrays (the replay is over: nothing writes
        them again)."""
        n = len(self.times) if count is None else count
        if n == len(self.times) and self.chunk_start >= n:
            return EquityCurve(self.times.copy(), self.equity, self.balance, self.margin)
        equity, balance, margin = self.equity[:n].copy(), self.balance[:n].copy(), self.margin[:n].copy()
        start = self.chunk_start
        pending = min(n, self.chunk_end)
        if pending > start:
            equity[start:pending], balance[start:pending], margin[start:pending] = self._chunk(start, pending)
        return EquityCurve(self.times[:n].copy(), equity, balance, margin)


def _counts(noted_at: list[int], start: int, end: int) -> np.ndarray:
    """How many of bars ``start`` to ``end`` each value covers: the value before the first note, then each note's
    (notes at bars in order, from ``start`` on; those from ``end`` on left out)."""
    at = np.array(noted_at, dtype=np.int64)
    at = at[:int(np.searchsorted(at, end))]
    return np.diff(np.concatenate(([start], at, [end]))).astype(np.int64)


def run_bars(terminal: SimulatedTerminal, tapes: list[SymbolTape], on_bar: BarCallback | None,
             quiet_bars: bool = True, ledger: BarLedger | None = None, wants_data: bool = True) -> EquityCurve:
    """Replay ``tapes`` through ``terminal``; ``on_bar(symbol, bar, is_end)`` sees each completed bar.
    ``quiet_bars=False`` walks every bar with a position open (the tests' reference for the shortcut);
    ``ledger``, when given, is where the equity curve is written (made for ``tapes``, one per replay).
    ``wants_data=False``: the callback never reads its bar (its code does not use the argument), so one dict
    stands for every bar instead of a dict per bar."""
    if ledger is None:
        ledger = BarLedger(tapes)
    terminal.begin_replay()
    thresholds = _collect_less()
    try:
        if len(tapes) == 1:
            _run_one(terminal, tapes[0], on_bar, ledger, quiet_bars, wants_data)
        else:
            _run_merged(terminal, tapes, on_bar, ledger)
    finally:
        _collect_as_before(thresholds)
        terminal.end_replay()
    return ledger.curve()


_REPLAY_GC_THRESHOLD: Final = 50_000


def _collect_less() -> tuple[int, int, int]:
    """For the replay: what it was built from is long-lived, so the collector need not scan it again
    (``gc.freeze``), and the records the replay creates (orders, deals, trades) are kept, so young
    collections can be rarer; the collector still runs, for cyclic garbage a strategy may leave."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], _REPLAY_GC_THRESHOLD), thresholds[1], thresholds[2])
    return thresholds


def _collect_as_before(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(*thresholds)
    gc.unfreeze()


class QuietForm(NamedTuple):
    """The account while every position is on one symbol and linear in its bid: floating P&L +
    swaps = k + m * bid + n * spread; the margin (fixed between deals); the equity at which
    stop-out begins; the margin-call level (%); and the band of prices the SL/TP leave free
    (a long's SL/TP are bid levels, a short's ask levels)."""

    k: float
    m: float
    n: float
    margin: float
    stop_out_equity: float
    margin_call_level: float
    bid_floor: float
    bid_ceiling: float
    ask_floor: float
    ask_ceiling: float


def quiet_form(book: AccountBook, symbol: str) -> QuietForm | None:
    """What a bar of ``symbol`` needs to know to be settled without walking its path, or None
    when the open positions do not allow it (a position on another symbol, or one whose
    P&L is not linear in the bid). It holds until ``book.book_version`` changes (a deal, a swap
    or a stop change)."""
    form = None
    margin = book.margin_used()
    if margin > 0 and all(p.symbol == symbol for p in book.positions.values()):
        linear = book.linear_form(symbol)
        if linear is not None and book.all_linear():
            bid_floor = ask_floor = -math.inf
            bid_ceiling = ask_ceiling = math.inf
            for p in book.positions.values():
                if p.is_buy:  # SL when the bid falls to it, TP when it rises to it
                    bid_floor = max(bid_floor, p.sl) if p.sl > 0 else bid_floor
                    bid_ceiling = min(bid_ceiling, p.tp) if p.tp > 0 else bid_ceiling
                else:  # the same at the ask
                    ask_ceiling = min(ask_ceiling, p.sl) if p.sl > 0 else ask_ceiling
                    ask_floor = max(ask_floor, p.tp) if p.tp > 0 else ask_floor
            k, m, n = linear
            s = book.settings
            # tuple.__new__: a NamedTuple's own __new__ is generated Python, interpreted even in the compiled build
            form = tuple.__new__(QuietForm, (k, m, n, margin, s.stop_out_level * margin / 100, s.margin_call_level,
                                             float(bid_floor), float(bid_ceiling), float(ask_floor),
                                             float(ask_ceiling)))
    return form


def _quiet_values(book: AccountBook, symbol: str, enabled: bool) -> tuple[
        int, QuietForm | None, float, float, float, float, float, float, float, float, float, float]:
    """The book's version, its quiet form (None when not ``enabled`` or the positions do not allow one) and the
    form's ten values (zeros without a form): what the replay loops refresh when ``book.book_version`` changes."""
    form = quiet_form(book, symbol) if enabled else None
    if form is None:
        return book.book_version, None, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    k, m, n, margin, stop_out_equity, call_level, bid_floor, bid_ceiling, ask_floor, ask_ceiling = form
    return (book.book_version, form, k, m, n, margin, stop_out_equity, call_level, bid_floor, bid_ceiling, ask_floor,
            ask_ceiling)


_CUSHION: Final = 1e-7  # a bar within this (price, or account currency for stop-out) of a trigger is walked, exactly


def _run_one(terminal: SimulatedTerminal, tape: SymbolTape, on_bar: BarCallback | None, ledger: BarLedger,
             quiet_bars: bool, wants_data: bool = True) -> None:
    """The single-symbol loop. Bars with nothing open skip the terminal's matching entirely, and so
    do *quiet* bars: positions open, no order waiting, no rollover, and a path that reaches no SL,
    TP or stop-out (checked against the account's linear form, :func:`quiet_form`).
    Every other bar is settled by :func:`~mas.sim.matching.settle_bar`, which walks its path.
    The bars go in chunks of :data:`CHUNK`: what the loop reads only for the strategy's bar dict is lists of
    one chunk, and the ledger is told where the equity's form, the margin and the balance change (a quiet or
    flat bar writes nothing). Each bar's dict is a copy of a template that holds what does not change over the
    chunk, with the bar's own values written in. A bar's time (and its datetime) is the previous bar's plus the
    step, but at the chunk's few breaks (:func:`~mas.sim.market.step_breaks`), where it is read."""
    symbol, timeframe = tape.spec.name, tape.timeframe
    template = bar_dict(symbol, timeframe, _EPOCH, 0.0, 0.0, 0.0, 0.0, 0, 0, 0)
    shared: dict[str, Any] = {}
    dicts = on_bar is not None and wants_data
    rates = tape.rates
    rolls: list[int] = list(tape.rollover_bars)
    rolls.append(len(rates))  # a sentinel past the end
    roll_at = 0
    next_roll = rolls[0]
    envelope: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None  # made when a position opens
    envelope_at = -1  # the chunk whose envelope lists are made
    path_low: list[float] = []
    path_high: list[float] = []
    spread_min: list[float] = []
    spread_max: list[float] = []
    book = terminal.book
    market = book.market
    quote = market.quotes[symbol]
    step = tape.bar_seconds
    step_delta = timedelta(seconds=step)
    count = len(rates)
    last = count - 1
    version, form = -1, None
    noted = -1  # the book version whose margin and balance the ledger has (only a deal changes them, and bumps it)
    formed = -2  # the equity's form the ledger has: the version of a linear form, -1 the balance, -2 none yet
    receive, receiver = _unbound(on_bar)
    k = m = n = margin = stop_out_equity = call_level = bid_floor = bid_ceiling = ask_floor = ask_ceiling = 0.0
    t = 0  # the bar's open time (epoch seconds)
    stamp: Any = _EPOCH  # and as a datetime (made for the bar dict only)
    for start in range(0, count, CHUNK):
        end = min(start + CHUNK, count)
        chunk_times = rates["time"][start:end]
        breaks = step_breaks(chunk_times, step)
        break_at: list[int] = breaks.tolist()
        break_at.append(end - start)  # a sentinel past the chunk's end
        break_times: list[int] = chunk_times[breaks].tolist()
        next_break = 0
        broken = 0  # the breaks passed
        # what the loop only passes on is read as objects: a compiled build then stores the list's own
        # float and int objects instead of unboxing and boxing a new one on every bar
        closes: list[Any] = items_list(tape.close.values[start:end])
        tape_close: list[float] = closes  # the same list, read as floats
        tape.close.adopt(start, tape_close)  # settle_bar reads the bar's prices from the lists made here
        chunk_spreads = tape.spread_price.values[start:end]
        spread_value = float(chunk_spreads[0])
        bits = chunk_spreads.view(np.int64)
        fixed = bool((bits == bits[0]).all())  # one spread over the chunk (to the bit): read from no list
        spread_price: list[float] = [spread_value] * (end - start) if fixed else chunk_spreads.tolist()
        tape.spread_price.adopt(start, spread_price)
        path_fixed = False  # the path's spreads are that one too
        opens: list[Any] = []
        highs: list[Any] = []
        lows: list[Any] = []
        break_stamps: list[Any] = []
        volumes: list[Any] = []
        spreads: list[Any] | None = None
        real_volumes: list[Any] | None = None
        if dicts:
            opens = items_list(tape.open.values[start:end])
            highs = items_list(tape.high.values[start:end])
            lows = items_list(tape.low.values[start:end])
            tape.open.adopt(start, opens)
            tape.high.adopt(start, highs)
            tape.low.adopt(start, lows)
            break_stamps = to_datetimes(chunk_times[breaks])
            volumes = items_list(rates["tick_volume"][start:end])
            spreads = _constant_or_list(rates["spread"][start:end], template, "spread")
            real_volumes = _constant_or_list(rates["real_volume"][start:end], template, "real_volume")
        ledger.open_chunk(start, end)
        for i in range(start, end):
            j = i - start
            if j == next_break:
                t = break_times[broken]
                if dicts:
                    stamp = break_stamps[broken]
                broken += 1
                next_break = break_at[broken]
            else:
                t += step
                if dicts:
                    stamp = stamp + step_delta
            rolled = i == next_roll
            if rolled:
                roll_at += 1
                next_roll = rolls[roll_at]
            if book.orders:
                walk = True
            elif book.positions:
                if book.book_version != version:
                    (version, form, k, m, n, margin, stop_out_equity, call_level, bid_floor, bid_ceiling, ask_floor,
                     ask_ceiling) = _quiet_values(book, symbol, quiet_bars)
                walk = form is None or rolled
                if not walk:
                    if envelope_at != start:
                        envelope_at = start
                        if tape.detail is None:  # the bar is its own path: the chunk's lists already made
                            if not dicts:
                                lows = tape.low.values[start:end].tolist()
                                highs = tape.high.values[start:end].tolist()
                            path_low, path_high = lows, highs
                            spread_min = spread_max = spread_price
                            path_fixed = fixed
                        else:
                            if envelope is None:
                                envelope = path_envelope(tape)
                            path_low, path_high = envelope[0][start:end].tolist(), envelope[1][start:end].tolist()
                            spread_min, spread_max = envelope[2][start:end].tolist(), envelope[3][start:end].tolist()
                    low, high = path_low[j], path_high[j]
                    if path_fixed:
                        narrowest = widest = spread_value
                    else:
                        narrowest, widest = spread_min[j], spread_max[j]
                    bal = book.balance
                    walk = (low <= bid_floor + _CUSHION or high >= bid_ceiling - _CUSHION
                            or low + narrowest <= ask_floor + _CUSHION or high + widest >= ask_ceiling - _CUSHION
                            or bal + (k + m * (low if m > 0 else high) + n * widest) <= stop_out_equity + _CUSHION)
                    if not walk:
                        close = tape_close[j]
                        spread = spread_value if fixed else spread_price[j]
                        market.now = t + step
                        quote.index = i
                        quote.bid = close
                        quote.spread = spread
                        value = bal + (k + m * close + n * spread)  # the ledger's equity at this bar (note_form)
                        if noted != version:
                            noted = version
                            ledger.note_account(i, margin, bal)
                        if formed != version:
                            formed = version
                            ledger.note_form(i, True, k, m, n)
                        if book.margin_call or value / margin * 100 <= call_level:
                            book.check_margin_call()
            else:
                walk = False
                market.now = t + step
                quote.index = i
                quote.bid = tape_close[j]
                quote.spread = spread_value if fixed else spread_price[j]
                if noted != book.book_version:
                    noted = book.book_version
                    ledger.note_account(i, book.margin_used(), book.balance)
                if formed != -1:
                    formed = -1
                    ledger.note_form(i, False, 0.0, 0.0, 0.0)
            if walk:
                noted, formed = _settle_noted(book, ledger, symbol, i, i, noted, formed)
            if on_bar is not None:
                if dicts:
                    data = template.copy()
                    data["time"] = stamp
                    data["open"] = opens[j]
                    data["high"] = highs[j]
                    data["low"] = lows[j]
                    data["close"] = closes[j]
                    volume = volumes[j]
                    data["volume"] = volume
                    data["tick_volume"] = volume
                    if spreads is not None:
                        data["spread"] = spreads[j]
                    if real_volumes is not None:
                        data["real_volume"] = real_volumes[j]
                else:
                    data = shared
                if receiver is not None:
                    receive(receiver, symbol, data, i == last)
                else:
                    on_bar(symbol, data, i == last)
        ledger.close_chunk(end)


def _settle_noted(book: AccountBook, ledger: BarLedger, symbol: str, index: int, bar: int, noted: int,
                  formed: int) -> tuple[int, int]:
    """Settle ``symbol``'s bar ``index`` (:func:`~mas.sim.matching.settle_bar`) and tell ``ledger`` what changed at
    its bar ``bar``: the margin and balance when a deal bumped the book's version (``noted``, the version the ledger
    has), the equity when positions are open, else the balance as the equity's form (``formed``, -1 once told).
    Returns the new ``(noted, formed)``."""
    settle_bar(book, symbol, index)
    if noted != book.book_version:
        noted = book.book_version
        ledger.note_account(bar, book.margin_used(), book.balance)
    if book.positions:
        ledger.note_equity(bar, book.equity())
    elif formed != -1:
        formed = -1
        ledger.note_form(bar, False, 0.0, 0.0, 0.0)
    return noted, formed


def _run_merged(terminal: SimulatedTerminal, tapes: list[SymbolTape], on_bar: BarCallback | None,
                ledger: BarLedger) -> None:
    """Several symbols merged by time (ties in the order the symbols were given)."""
    names = [t.spec.name for t in tapes]
    timeframes = [t.timeframe for t in tapes]
    stamps = [to_datetimes(t.rates["time"]) for t in tapes]
    volumes = [t.rates["tick_volume"].tolist() for t in tapes]
    spreads = [t.rates["spread"].tolist() for t in tapes]
    real_volumes = [t.rates["real_volume"].tolist() for t in tapes]
    book = terminal.book
    which, index = ledger.which, ledger.index
    assert which is not None and index is not None, "a ledger of several tapes has the merged order"
    total = len(index)
    last = total - 1
    noted = -1
    formed = -2
    receive, receiver = _unbound(on_bar)
    for start in range(0, total, CHUNK):
        end = min(start + CHUNK, total)
        ledger.open_chunk(start, end)
        for j, (k, i) in enumerate(zip(which[start:end].tolist(), index[start:end].tolist(), strict=True), start):
            tape = tapes[k]
            symbol = names[k]
            noted, formed = _settle_noted(book, ledger, symbol, i, j, noted, formed)
            if on_bar is not None:
                data = bar_dict(symbol, timeframes[k], stamps[k][i], tape.open[i], tape.high[i], tape.low[i],
                                tape.close[i], volumes[k][i], spreads[k][i], real_volumes[k][i])
                if receiver is not None:
                    receive(receiver, symbol, data, j == last)
                else:
                    on_bar(symbol, data, j == last)
        ledger.close_chunk(end)


TickCallback = Callable[[str, dict, bool], object]


class TickLedger:
    """The account's equity, balance and margin in use through a tick replay, written as the replay goes. The
    curve has one point per minute that has ticks: the account at that minute's last tick (a *mark*); the loop
    writes the marks' values only, and the values at the tick it stands on (``now_*``), so a curve read while
    the replay runs ends at the current tick. Nothing here grows with the ticks but the ticks' own arrays."""

    def __init__(self, tapes: list[TickTape]) -> None:
        self.tapes = tapes
        self.which: np.ndarray | None = None
        """Per tick of the merged order, its tape and its index there (None for one tape: the same tick)."""
        self.index: np.ndarray | None = None
        self.order: np.ndarray | None = None
        """The merged order as positions in the tapes' ticks end to end (None for one tape)."""
        self.tape: TickTape | None = tapes[0] if len(tapes) == 1 else None
        """The one tape (its ticks are the replay's, in order), None for several."""
        self.msc: np.ndarray | None = None
        """Every tick's time (epoch milliseconds) in the merged order (None for one tape: the tape has them)."""
        self.times: Any
        """Every tick's time in the merged order (``len`` is the replay's ticks)."""
        if len(tapes) == 1:
            self.times = tapes[0].times
            marks = tapes[0].marks
        else:
            msc = np.concatenate([t.all_times_msc() for t in tapes]).astype(np.int64)
            offsets = np.cumsum([0] + [len(t) for t in tapes])
            self.which, self.index, self.order = merge_by_time([msc[offsets[k]:offsets[k + 1]]
                                                                for k in range(len(tapes))])
            self.msc = msc[self.order]
            self.times = self.msc
            marks = minute_ends(self.msc)
        self.total = len(self.times)
        self.marks = marks
        """The last tick of each minute (positions in the merged order): the curve's points."""
        self.point_equity: list[float] = []
        self.point_balance: list[float] = []
        self.point_margin: list[float] = []
        self.now_equity = 0.0
        self.now_balance = 0.0
        self.now_margin = 0.0

    @property
    def equity(self) -> np.ndarray:
        """The equity at the marks written so far."""
        return np.asarray(self.point_equity, dtype=np.float64)

    def note(self, equity: float, balance: float, margin: float) -> None:
        """The account at the current mark (the replay writes the marks in order)."""
        self.point_equity.append(equity)
        self.point_balance.append(balance)
        self.point_margin.append(margin)

    def done(self, terminal: SimulatedTerminal) -> int:
        """How many ticks the replay has settled (a prefix of the merged order, as for bars)."""
        quotes = terminal.book.market.quotes
        return sum(quotes[t.spec.name].index + 1 for t in self.tapes)

    def curve(self, count: int | None = None) -> EquityCurve:
        """The per-minute curve of the first ``count`` ticks (all when None; a count short of the whole run is
        where the replay stands: its last point is the current tick)."""
        n = self.total if count is None else count
        points = int(np.searchsorted(self.marks, n - 1, side="right")) if n else 0
        points = min(points, len(self.point_equity))
        keep = self.marks[:points]
        equity = np.asarray(self.point_equity[:points], dtype=np.float64)
        balance = np.asarray(self.point_balance[:points], dtype=np.float64)
        margin = np.asarray(self.point_margin[:points], dtype=np.float64)
        if n and (points == 0 or int(keep[-1]) != n - 1):  # the current tick ends the curve
            keep = np.append(keep, n - 1)
            equity = np.append(equity, self.now_equity)
            balance = np.append(balance, self.now_balance)
            margin = np.append(margin, self.now_margin)
        if self.tape is not None:
            msc = self.tape.times_msc(keep)
        else:
            assert self.msc is not None, "a ledger of several tapes has the merged times"
            msc = self.msc[keep]
        return EquityCurve(msc // 60_000 * 60, equity, balance, margin)


def run_ticks(terminal: SimulatedTerminal, tapes: list[TickTape], on_tick: TickCallback | None,
              delivered: list[np.ndarray] | None = None, ledger: TickLedger | None = None,
              wants_data: bool = True, quiet_ticks: bool = True) -> EquityCurve:
    """Replay ticks through ``terminal`` (merged by time across symbols); ``on_tick(symbol, tick,
    is_end)`` sees the ticks whose ``delivered`` mask is set (all when None). ``ledger``, when given,
    is where the equity curve is written (made for ``tapes``). ``wants_data=False``: the callback never
    reads its tick (its code does not use the argument), so one dict stands for every tick instead of a
    dict per tick. ``quiet_ticks=False`` settles every tick in full (the tests' reference for the shortcut:
    ticks where nothing can fire are only priced)."""
    if ledger is None:
        ledger = TickLedger(tapes)
    terminal.begin_replay()
    thresholds = _collect_less()
    try:
        if len(tapes) == 1:
            shown = None if delivered is None else np.asarray(delivered[0], dtype=bool)
            _run_one_tape(terminal, tapes[0], on_tick, ledger, shown, wants_data, quiet_ticks)
        else:
            assert ledger.order is not None
            shown = None if delivered is None else np.concatenate(delivered)[ledger.order]
            _run_merged_ticks(terminal, tapes, on_tick, ledger, shown, wants_data)
    finally:
        _collect_as_before(thresholds)
        terminal.end_replay()
    return ledger.curve()


def _stamps(msc: np.ndarray) -> list[datetime]:
    """Epoch milliseconds -> naive UTC datetimes (a tick's ``time``)."""
    return msc.astype("datetime64[ms]").astype(object).tolist()


def _tick_template(symbol: str) -> dict[str, Any]:
    """A tick dict with every key in its place (copied per tick, then the tick's values written)."""
    return tick_dict(symbol, _EPOCH, 0.0, 0.0, 0.0, 0, 0, 0, 0.0)


def _constant_or_list(values: np.ndarray, template: dict[str, Any], key: str) -> list[Any] | None:
    """The column's items as a list, or None when the column is one value (then written into ``template``)."""
    if len(values) and values[0] == values[-1] and bool((values == values[0]).all()):
        template[key] = values[0].item()
        return None
    return values.tolist()


def _run_one_tape(terminal: SimulatedTerminal, tape: TickTape, on_tick: TickCallback | None, ledger: TickLedger,
                  shown: np.ndarray | None, wants_data: bool, quiet_ticks: bool) -> None:
    """The single-symbol tick loop. Ticks with nothing open, and ticks with positions open, no order waiting,
    no rollover and no SL, TP or stop-out reachable at their prices (the account's linear form,
    :func:`quiet_form`), are only priced; every other tick is settled by :func:`~mas.sim.matching.settle_tick`.
    The ticks go in the tape's chunks (:data:`~mas.sim.market.TICK_CHUNK`), as bars do in chunks of :data:`CHUNK`."""
    symbol = tape.spec.name
    book = terminal.book
    market = book.market
    quote = market.quotes[symbol]
    count = len(tape)
    marks: list[int] = ledger.marks.tolist()
    marks.append(count)  # a sentinel past the end
    mark_at = 0
    next_mark = marks[0]
    rolls: list[int] = tape.rollover_ticks.tolist()
    rolls.append(count)
    roll_at = 0
    next_roll = rolls[0]
    if shown is not None:
        visible = np.flatnonzero(shown)
        last_shown = int(visible[-1]) if len(visible) else -1
    else:
        last_shown = count - 1
    template = _tick_template(symbol)
    shared: dict[str, Any] = {}
    receive, receiver = _unbound(on_tick)
    version, form = -1, None
    k = m = n = margin = stop_out_equity = call_level = bid_floor = bid_ceiling = ask_floor = ask_ceiling = 0.0
    for start in range(0, count, TICK_CHUNK):  # the tape's chunks: it makes (or slices) one chunk of ticks at a time
        end = min(start + TICK_CHUNK, count)
        tape.load(start)
        bids: list[float] = tape.chunk_list(BID)
        spreads: list[float] = tape.chunk_list(SPREAD)
        steps: list[int] = tape.chunk_list(SECOND_STEPS)
        now = 0  # the tick's time (epoch seconds): the sum of the steps so far
        show: list[bool] = [] if shown is None else shown[start:end].tolist()
        stamps: list[Any] = []
        asks: list[Any] = []
        millis: list[Any] = []
        flags: list[Any] | None = None
        lasts: list[Any] | None = None
        volumes: list[Any] | None = None
        volume_reals: list[Any] | None = None
        if on_tick is not None and wants_data:
            part = tape.rows_of_chunk()
            stamps = _stamps(part["time_msc"])
            asks = tape.chunk_list(ASK)
            millis = part["time_msc"].tolist()
            flags = _constant_or_list(part["flags"], template, "flags")
            lasts = _constant_or_list(part["last"], template, "last")
            volumes = _constant_or_list(part["volume"], template, "volume")
            volume_reals = _constant_or_list(part["volume_real"], template, "volume_real")
        i = start - 1
        # the chunk's lists (one length) walked, not indexed: mypyc compiles a zip of lists, without strict=, to a
        # loop over their items
        for bid, spread, step in zip(bids, spreads, steps):  # noqa: B905
            i += 1
            now += step
            rolled = i == next_roll
            if rolled:
                roll_at += 1
                next_roll = rolls[roll_at]
            if book.orders:
                walk = True
            elif book.positions:
                if book.book_version != version:
                    (version, form, k, m, n, margin, stop_out_equity, call_level, bid_floor, bid_ceiling, ask_floor,
                     ask_ceiling) = _quiet_values(book, symbol, quiet_ticks)
                walk = form is None or rolled
                if not walk:
                    bal = book.balance
                    ask = bid + spread
                    value = bal + (k + m * bid + n * spread)
                    walk = (bid <= bid_floor + _CUSHION or bid >= bid_ceiling - _CUSHION
                            or ask <= ask_floor + _CUSHION or ask >= ask_ceiling - _CUSHION
                            or value <= stop_out_equity + _CUSHION)
                    if not walk:
                        market.now = now
                        quote.index = i
                        quote.bid = bid
                        quote.spread = spread
                        if book.margin_call or value / margin * 100 <= call_level:
                            book.check_margin_call()
                        ledger.now_equity = value
                        ledger.now_balance = bal
                        ledger.now_margin = margin
            else:
                walk = False
                market.now = now
                quote.index = i
                quote.bid = bid
                quote.spread = spread
                bal = book.balance
                ledger.now_equity = bal
                ledger.now_balance = bal
                ledger.now_margin = 0.0
            if walk:
                settle_tick(book, symbol, i)
                bal = book.balance
                ledger.now_balance = bal
                if book.positions:
                    ledger.now_equity = book.equity()
                    ledger.now_margin = book.margin_used()
                else:
                    ledger.now_equity = bal
                    ledger.now_margin = 0.0
            if i == next_mark:
                ledger.note(ledger.now_equity, ledger.now_balance, ledger.now_margin)
                mark_at += 1
                next_mark = marks[mark_at]
            if on_tick is not None and (shown is None or show[i - start]):
                if wants_data:
                    j = i - start
                    data = template.copy()
                    data["time"] = stamps[j]
                    data["bid"] = bid
                    data["ask"] = asks[j]
                    if lasts is not None:
                        data["last"] = lasts[j]
                    if volumes is not None:
                        data["volume"] = volumes[j]
                    data["time_msc"] = millis[j]
                    if flags is not None:
                        data["flags"] = flags[j]
                    if volume_reals is not None:
                        data["volume_real"] = volume_reals[j]
                else:
                    data = shared
                if receiver is not None:
                    receive(receiver, symbol, data, i == last_shown)
                else:
                    on_tick(symbol, data, i == last_shown)


def _unbound(callback: TickCallback | None) -> tuple[Any, Any]:
    """A method of a Python class (a strategy's ``receive_ticks``) as its function and the object it is bound to:
    the replay calls ``function(receiver, symbol, tick, is_end)``, what calling the method does, without making the
    call through the method object at each tick. Anything else: ``(callback, None)``, called as it is."""
    if isinstance(callback, types.MethodType) and isinstance(callback.__func__, types.FunctionType):
        return callback.__func__, callback.__self__
    return callback, None


def _run_merged_ticks(terminal: SimulatedTerminal, tapes: list[TickTape], on_tick: TickCallback | None,
                      ledger: TickLedger, shown: np.ndarray | None, wants_data: bool) -> None:
    """Several symbols merged by time (ties in the order the symbols were given): every tick is settled."""
    which, index, msc = ledger.which, ledger.index, ledger.msc
    assert which is not None and index is not None and msc is not None, "a ledger of several tapes has the merged order"
    names = [t.spec.name for t in tapes]
    templates = [_tick_template(name) for name in names]
    book = terminal.book
    total = len(index)
    marks: list[int] = ledger.marks.tolist()
    marks.append(total)
    mark_at = 0
    if shown is not None:
        visible = np.flatnonzero(shown)
        last_shown = int(visible[-1]) if len(visible) else -1
    else:
        last_shown = total - 1
    shared: dict[str, Any] = {}
    for start in range(0, total, CHUNK):
        end = min(start + CHUNK, total)
        stamps: list[Any] = _stamps(msc[start:end]) if on_tick is not None and wants_data else []
        show: list[bool] = [] if shown is None else shown[start:end].tolist()
        for j, (k, i) in enumerate(zip(which[start:end].tolist(), index[start:end].tolist(), strict=True), start):
            tape = tapes[k]
            settle_tick(book, names[k], i)
            bal = book.balance
            ledger.now_balance = bal
            if book.positions:
                ledger.now_equity = book.equity()
                ledger.now_margin = book.margin_used()
            else:
                ledger.now_equity = bal
                ledger.now_margin = 0.0
            if j == marks[mark_at]:
                ledger.note(ledger.now_equity, ledger.now_balance, ledger.now_margin)
                mark_at += 1
            if on_tick is not None and (shown is None or show[j - start]):
                if wants_data:
                    row = tape.ticks[i]
                    data = templates[k].copy()
                    data["time"] = stamps[j - start]
                    data["bid"] = tape.bid[i]
                    data["ask"] = tape.ask[i]
                    data["last"] = row["last"].item()
                    data["volume"] = row["volume"].item()
                    data["time_msc"] = row["time_msc"].item()
                    data["flags"] = row["flags"].item()
                    data["volume_real"] = row["volume_real"].item()
                else:
                    data = shared
                on_tick(names[k], data, j == last_shown)
