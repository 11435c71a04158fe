"""The backtest clock over bars: drives the simulated terminal and the strategy's callback.

For each bar, in time order across symbols: the terminal settles what happens on the bar
(swaps at rollover, market orders at the open, pending orders, SL/TP, expirations and
stop-out along the path: its listener pushes those events first), the account's equity
at the bar's close is recorded, then the strategy receives the completed bar. No pandas,
no logging and no allocation beyond the bar dict happen in this loop; the lists it reads and
writes per bar are made a chunk of bars at a time (:data:`CHUNK`), so a replay's memory is its
bars' arrays, not a Python object per bar and column.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable
from typing import Any, Final, NamedTuple

import numpy as np

from mas.sessions.events import bar_dict, tick_dict
from mas.sim.book import AccountBook
from mas.sim.market import SymbolTape, TickPath, TickTape, column_list, to_datetimes
from mas.sim.matching import settle_bar, settle_tick
from mas.sim.terminal import SimulatedTerminal

BarCallback = Callable[[str, dict, bool], object]


class EquityCurve:
    """Equity, balance and the margin in use at each replayed bar's close (account currency)."""

    def __init__(self, times: np.ndarray, equity: np.ndarray, balance: np.ndarray,
                 margin: np.ndarray | None = None) -> None:
        self.times = times
        self.equity = equity
        self.balance = balance
        self.margin = np.zeros(len(times), dtype=np.float64) if margin is None else margin


def merged_order(tapes: list[SymbolTape]) -> tuple[np.ndarray, np.ndarray]:
    """(tape index, bar index) of every bar of every tape, in time order (ties: tape order)."""
    if len(tapes) == 1:
        n = len(tapes[0].times)
        return np.zeros(n, dtype=np.int64), np.arange(n, dtype=np.int64)
    which = np.concatenate([np.full(len(t.times), k, dtype=np.int64) for k, t in enumerate(tapes)])
    index = np.concatenate([np.arange(len(t.times), dtype=np.int64) for t in tapes])
    times = np.concatenate([t.rates["time"] for t in tapes])
    order = np.lexsort((which, times))
    return which[order], index[order]


CHUNK: Final = 1 << 15
"""Bars per chunk of a replay: the per-bar Python lists the loop reads and writes (bar times as datetimes,
volumes, equity and balance) are made for one chunk at a time, so their memory does not grow with the run."""


class BarLedger:
    """The account's equity, balance and margin in use at each replayed bar's close, written by the clock
    as the replay goes, so the curve so far can be read while it runs (a report asked for at the last bar).

    ``equity``, ``balance`` and ``margin`` are float64 arrays, one item per bar of the merged order. The clock
    writes a chunk of bars into Python lists (:meth:`open_chunk`; a list store is a fraction of a numpy item
    store) and moves them into the arrays when the chunk ends (:meth:`close_chunk`); the margin, which only a
    deal changes, is noted where it changes (:meth:`note_margin`) and spread over the bars between. A clock
    that writes the arrays itself, bar by bar, never opens a chunk."""

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
        total = len(self.times)
        self.equity = np.zeros(total, dtype=np.float64)
        self.balance = np.zeros(total, dtype=np.float64)
        self.margin = np.zeros(total, dtype=np.float64)
        self.chunk_start = 0
        """The first bar of the open chunk (every bar before it is in the arrays)."""
        self.chunk_equity: list[Any] = []
        self.chunk_balance: list[Any] = []
        self.margin_at: list[int] = []
        """Bars of the open chunk where the margin changed, and the new values (``margin_values``)."""
        self.margin_values: list[float] = []
        self.margin_before = 0.0
        """The margin in use before the open chunk's first bar."""

    def open_chunk(self, start: int, end: int) -> tuple[list[Any], list[Any]]:
        """Lists for the equity and balance of bars ``start`` to ``end`` (exclusive), item ``i - start`` for bar
        ``i``; the margin of these bars is noted with :meth:`note_margin`."""
        size = end - start
        if len(self.chunk_equity) != size:
            self.chunk_equity = [0.0] * size
            self.chunk_balance = [0.0] * size
        self.chunk_start = start
        return self.chunk_equity, self.chunk_balance

    def note_margin(self, bar: int, value: float) -> None:
        """The margin in use is ``value`` from bar ``bar`` of the open chunk on."""
        self.margin_at.append(bar)
        self.margin_values.append(value)

    def close_chunk(self, end: int) -> None:
        """Move the open chunk's bars (up to ``end``) into the arrays."""
        start = self.chunk_start
        size = end - start
        self.equity[start:end] = self.chunk_equity[:size] if size < len(self.chunk_equity) else self.chunk_equity
        self.balance[start:end] = (self.chunk_balance[:size] if size < len(self.chunk_balance)
                                   else self.chunk_balance)
        self.margin_before = self._spread_margin(self.margin, start, end)
        self.margin_at.clear()
        self.margin_values.clear()
        self.chunk_start = end

    def _spread_margin(self, target: np.ndarray, start: int, end: int) -> float:
        """Write the margin of bars ``start``..``end`` of the open chunk into ``target`` (indexed by bar);
        returns the margin in use at ``end``."""
        value, at = self.margin_before, start
        for bar, noted in zip(self.margin_at, self.margin_values, strict=True):
            if bar >= end:
                break
            target[at:bar] = value
            value, at = noted, bar
        target[at:end] = value
        return value

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
        if n > start and self.chunk_equity:
            pending = min(n, start + len(self.chunk_equity)) - start
            equity[start:start + pending] = self.chunk_equity[:pending]
            balance[start:start + pending] = self.chunk_balance[:pending]
            self._spread_margin(margin, start, start + pending)
        return EquityCurve(self.times[:n].copy(), equity, balance, margin)


def run_bars(terminal: SimulatedTerminal, tapes: list[SymbolTape], on_bar: BarCallback | None,
             quiet_bars: bool = True, ledger: BarLedger | None = None) -> EquityCurve:
    """Replay ``tapes`` through ``terminal``; ``on_bar(symbol, bar, is_end)`` sees each completed bar.
    ``quiet_bars=False`` walks every bar with a position open (the tests' reference for the shortcut);
    ``ledger``, when given, is where the equity curve is written (made for ``tapes``, one per replay)."""
    if ledger is None:
        ledger = BarLedger(tapes)
    terminal.begin_replay()
    thresholds = _collect_less()
    try:
        if len(tapes) == 1:
            _run_one(terminal, tapes[0], on_bar, ledger, quiet_bars)
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


def path_envelope(tape: SymbolTape) -> tuple[list[float], list[float], list[float], list[float]]:
    """Per bar: the lowest and highest bid and the smallest and largest spread its path can
    visit (the bar itself, and the M1 bars or ticks inside it when the model has them)."""
    detail = tape.detail
    if detail is None:
        return tape.low, tape.high, tape.spread_price, tape.spread_price
    low, high = np.array(tape.low), np.array(tape.high)
    spread_min, spread_max = np.array(tape.spread_price), np.array(tape.spread_price)
    count = len(tape.times)
    starts = np.asarray(detail.starts, dtype=np.int64)
    end = int(starts[count])
    if isinstance(detail, TickPath):
        path_low = path_high = np.asarray(detail.bid[:end])
    else:
        path_low, path_high = np.asarray(detail.low[:end]), np.asarray(detail.high[:end])
    path_spread = np.asarray(detail.spread_price[:end])
    filled = starts[1:count + 1] > starts[:count]  # bars with M1 bars or ticks inside
    firsts = starts[:count][filled]
    if len(firsts):
        low[filled] = np.minimum(low[filled], np.minimum.reduceat(path_low, firsts))
        high[filled] = np.maximum(high[filled], np.maximum.reduceat(path_high, firsts))
        spread_min[filled] = np.minimum(spread_min[filled], np.minimum.reduceat(path_spread, firsts))
        spread_max[filled] = np.maximum(spread_max[filled], np.maximum.reduceat(path_spread, firsts))
    return low.tolist(), high.tolist(), spread_min.tolist(), spread_max.tolist()


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


_CUSHION: Final = 1e-7  # a bar within this (price, or account currency for stop-out) of a trigger is walked, exactly


def _run_one(terminal: SimulatedTerminal, tape: SymbolTape, on_bar: BarCallback | None, ledger: BarLedger,
             quiet_bars: bool) -> None:
    """The single-symbol loop. Bars with nothing open skip the terminal's matching entirely, and so
    do *quiet* bars: positions open, no order waiting, no rollover, and a path that reaches no SL,
    TP or stop-out (checked against the account's linear form, :func:`quiet_form`).
    Every other bar is settled by :func:`~mas.sim.matching.settle_bar`, which walks its path.
    The bars go in chunks of :data:`CHUNK`: what the loop reads only for the strategy's bar dict, and
    the equity and balance it writes, are lists of one chunk."""
    symbol, timeframe = tape.spec.name, tape.timeframe
    rates = tape.rates
    # what the loop only passes on is read as objects: a compiled build then stores the list's own
    # float and int objects instead of unboxing and boxing a new one on every bar
    opens: list[Any] = tape.open
    highs: list[Any] = tape.high
    lows: list[Any] = tape.low
    closes: list[Any] = tape.close
    tape_close = tape.close  # the same list, read as floats
    spread_price, rollovers = tape.spread_price, tape.rollovers
    path_low, path_high, spread_min, spread_max = path_envelope(tape)
    book = terminal.book
    market = book.market
    quote = market.quotes[symbol]
    step = tape.bar_seconds
    count = len(rates)
    last = count - 1
    version, form = -1, None
    noted = -1  # the book version whose margin the ledger has (only a deal changes the margin, and bumps it)
    balance_box: Any = book.balance  # one float object while the balance stands: only a deal moves it,
    box_version = book.book_version  # and a deal bumps book_version
    k = m = n = margin = stop_out_equity = call_level = bid_floor = bid_ceiling = ask_floor = ask_ceiling = 0.0
    for start in range(0, count, CHUNK):
        end = min(start + CHUNK, count)
        chunk_times = rates["time"][start:end]
        times: list[int] = chunk_times.tolist()
        stamps = to_datetimes(chunk_times)
        volumes: list[Any] = rates["tick_volume"][start:end].tolist()
        spreads: list[Any] = column_list(rates["spread"][start:end])
        real_volumes: list[Any] = column_list(rates["real_volume"][start:end])
        equity, balance = ledger.open_chunk(start, end)
        for i in range(start, end):
            j = i - start
            if book.orders:
                walk = True
            elif book.positions:
                if book.book_version != version:
                    version, form = book.book_version, quiet_form(book, symbol) if quiet_bars else None
                    if form is not None:
                        k, m, n, margin, stop_out_equity, call_level, bid_floor, bid_ceiling, ask_floor, ask_ceiling = (
                            form)
                walk = form is None or rollovers[i] > 0
                if not walk:
                    low, high, widest = path_low[i], path_high[i], spread_max[i]
                    bal = book.balance
                    walk = (low <= bid_floor + _CUSHION or high >= bid_ceiling - _CUSHION
                            or low + spread_min[i] <= ask_floor + _CUSHION or high + widest >= ask_ceiling - _CUSHION
                            or bal + (k + m * (low if m > 0 else high) + n * widest) <= stop_out_equity + _CUSHION)
                    if not walk:
                        close, spread = tape_close[i], spread_price[i]
                        market.now = times[j] + step
                        quote.index = i
                        quote.bid = close
                        quote.spread = spread
                        value = bal + (k + m * close + n * spread)
                        if box_version != version:
                            box_version, balance_box = version, book.balance
                        balance[j] = balance_box
                        equity[j] = value
                        if noted != version:
                            noted = version
                            ledger.note_margin(i, margin)
                        if book.margin_call or value / margin * 100 <= call_level:
                            book.check_margin_call()
            else:
                walk = False
                market.now = times[j] + step
                quote.index = i
                quote.bid = tape_close[i]
                quote.spread = spread_price[i]
                if box_version != book.book_version:
                    box_version, balance_box = book.book_version, book.balance
                balance[j] = equity[j] = balance_box
                if noted != box_version:
                    noted = box_version
                    ledger.note_margin(i, book.margin_used())
            if walk:
                settle_bar(book, symbol, i)
                bal = book.balance
                balance[j] = bal
                equity[j] = book.equity() if book.positions else bal
                if noted != book.book_version:
                    noted = book.book_version
                    ledger.note_margin(i, book.margin_used())
            if on_bar is not None:
                on_bar(symbol, bar_dict(symbol, timeframe, stamps[j], opens[i], highs[i], lows[i], closes[i],
                                        volumes[j], spreads[j], real_volumes[j]), i == last)
        ledger.close_chunk(end)


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
    for start in range(0, total, CHUNK):
        end = min(start + CHUNK, total)
        equity, balance = ledger.open_chunk(start, end)
        for j, (k, i) in enumerate(zip(which[start:end].tolist(), index[start:end].tolist(), strict=True), start):
            tape = tapes[k]
            symbol = names[k]
            settle_bar(book, symbol, i)
            bal = book.balance
            balance[j - start] = bal
            equity[j - start] = book.equity() if book.positions else bal
            if noted != book.book_version:
                noted = book.book_version
                ledger.note_margin(j, book.margin_used())
            if on_bar is not None:
                on_bar(symbol, bar_dict(symbol, timeframes[k], stamps[k][i], tape.open[i], tape.high[i], tape.low[i],
                                        tape.close[i], volumes[k][i], spreads[k][i], real_volumes[k][i]), j == last)
        ledger.close_chunk(end)


TickCallback = Callable[[str, dict, bool], object]


class TickLedger:
    """The account's equity and balance after each replayed tick, written as the replay goes; the
    curve has one point per minute that has ticks: the account at that minute's last tick."""

    def __init__(self, tapes: list[TickTape]) -> None:
        which = np.concatenate([np.full(len(t.times), k, dtype=np.int64) for k, t in enumerate(tapes)])
        index = np.concatenate([np.arange(len(t.times), dtype=np.int64) for t in tapes])
        msc = np.concatenate([t.ticks["time_msc"] for t in tapes])
        self.order = np.lexsort((which, msc))
        self.tapes = tapes
        self.which, self.index, self.msc = which[self.order], index[self.order], msc[self.order]
        self.equity = np.empty(len(self.index), dtype=np.float64)
        self.balance = np.empty(len(self.index), dtype=np.float64)
        self.margin = np.zeros(len(self.index), dtype=np.float64)

    def done(self, terminal: SimulatedTerminal) -> int:
        """How many ticks the replay has settled (a prefix of the merged order, as for bars)."""
        quotes = terminal.book.market.quotes
        return sum(quotes[t.spec.name].index + 1 for t in self.tapes)

    def curve(self, count: int | None = None) -> EquityCurve:
        """The per-minute curve of the first ``count`` ticks (all when None)."""
        n = len(self.msc) if count is None else count
        minute = self.msc[:n] // 60_000
        keep = np.flatnonzero(np.append(minute[1:] != minute[:-1], True)) if n else np.zeros(0, dtype=np.int64)
        return EquityCurve(minute[keep] * 60, self.equity[:n][keep].copy(), self.balance[:n][keep].copy(),
                           self.margin[:n][keep].copy())


def run_ticks(terminal: SimulatedTerminal, tapes: list[TickTape], on_tick: TickCallback | None,
              delivered: list[np.ndarray] | None = None, ledger: TickLedger | None = None) -> EquityCurve:
    """Replay ticks through ``terminal`` (merged by time across symbols); ``on_tick(symbol, tick,
    is_end)`` sees the ticks whose ``delivered`` mask is set (all when None). ``ledger``, when given,
    is where the equity curve is written (made for ``tapes``)."""
    if ledger is None:
        ledger = TickLedger(tapes)
    which, index, msc = ledger.which, ledger.index, ledger.msc
    shown = np.ones(len(index), dtype=bool) if delivered is None else np.concatenate(delivered)[ledger.order]
    equity, balance, margins = ledger.equity, ledger.balance, ledger.margin
    names = [t.spec.name for t in tapes]
    stamps = (msc.astype("datetime64[ms]").astype(object)).tolist()
    last_shown = int(np.flatnonzero(shown)[-1]) if shown.any() else -1
    columns = [(t.ticks["last"].tolist(), t.ticks["volume"].tolist(), t.ticks["flags"].tolist(),
                t.ticks["volume_real"].tolist()) for t in tapes]
    book = terminal.book
    terminal.begin_replay()
    thresholds = _collect_less()
    try:
        for j, (k, i, show) in enumerate(zip(which.tolist(), index.tolist(), shown.tolist(), strict=True)):
            tape = tapes[k]
            settle_tick(book, names[k], i)
            bal = book.balance
            balance[j] = bal
            if book.positions:
                equity[j] = book.equity()
                margins[j] = book.margin_used()
            else:
                equity[j] = bal
            if show and on_tick is not None:
                last, volume, flags, volume_real = columns[k]
                on_tick(names[k], tick_dict(names[k], stamps[j], tape.bid[i], tape.ask[i], last[i], volume[i],
                                            int(msc[j]), flags[i], volume_real[i]), j == last_shown)
    finally:
        _collect_as_before(thresholds)
        terminal.end_replay()
    return ledger.curve()
