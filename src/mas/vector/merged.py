"""Several symbols on the fast path: each symbol's kernel run, merged into the one account the terminal keeps.

The event engine replays several symbols on a merged clock: every symbol's bars in time order, ties in the order the
symbols were given, one equity point per bar. Where the symbols do not couple (fixed lots, one position per symbol
at a time, every amount in the account's currency), each symbol trades as it would alone, so one kernel run per
symbol gives its trades, and :class:`MergedMarket` merges them as the terminal would:

- the tickets: the terminal numbers every order it is sent (an entry at its signal, a close at its exit signal, a
  close by SL / TP during its bar) from one counter; each symbol's own numbering is renumbered by the merged step of
  each such event (what the bar settles first, then the orders its strategy sends: a close, then an entry);
- the deals: the balance adds every deal in the merged order, one after the other;
- the equity at each merged bar: the balance plus each symbol's open position valued at that symbol's last close
  (the terminal's linear form), added in the order the positions were filled; the margin in use likewise;
- the trades: closed trades in the order they closed, then the positions still open in the order they were filled.

The kernels watch their own account only, so the merged account is watched here: a set whose account could come near
a margin rejection or a stop-out (a bound on the lowest equity against the most margin in use at once) is left to
the event engine (None).
"""

from __future__ import annotations

import time as wallclock
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from mas.reports.metrics import compute_metrics
from mas.results import BacktestResult, TradeRecord
from mas.sim.clock import merge_by_time
from mas.sim.symbols import SymbolSpec
from mas.strategy.spec import StrategySpec
from mas.vector.candles import Candles, IndicatorCache
from mas.vector.kernel import (
    EXIT_BAR,
    EXIT_CLIENT,
    EXIT_END,
    EXIT_KIND,
    HIGH,
    LOW,
    SAFETY,
    SIDE,
    SIGNAL_BAR,
    SPREAD,
    STOP_LOSS,
    TICKET,
)
from mas.vector.ledger import Books, Charges, Ledger, Prices, ledger_books, position_margins, write_ledger
from mas.vector.market_data import MarketData
from mas.vector.signals import rule_bars

__all__ = ["MergedMarket", "SymbolMarket"]

_SETTLE, _STRATEGY = 0, 1
"""When a ticket is taken on a bar: while the bar settles (a close by SL / TP), then in the strategy's callback."""


class SymbolMarket(Protocol):
    """What the merge reads of one symbol's prepared candles (:class:`~mas.vector.engine.FastMarket`)."""

    symbol: SymbolSpec
    prices: Prices
    rates: np.ndarray
    bars: np.ndarray
    candles: Candles
    cache: IndicatorCache
    price_side_note: str

    @property
    def bar_times(self) -> list:
        """Each bar's open time as epoch seconds."""

    @property
    def stamps(self) -> list:
        """Each bar's open time as a naive UTC datetime."""

    def charges(self, volume: float) -> tuple[np.ndarray, np.ndarray]:
        """Booked swap per rollover of ``volume`` lots, long and short."""

    def limitation(self, spec: StrategySpec) -> str | None:
        """Why the fast path cannot run ``spec`` on this symbol exactly, or None."""

    def trade_rows(self, spec: StrategySpec) -> np.ndarray | None:
        """The kernel's rows of ``spec``, or None when the event engine must run it."""

    def trailing(self, spec: StrategySpec) -> tuple[np.ndarray, np.ndarray]:
        """Per bar, where the trailing stop would put a long's and a short's stop."""


@dataclass
class _Part:
    """One symbol's run: its kernel rows (tickets renumbered in place), ledger and per-bar numbers."""

    market: SymbolMarket
    rows: np.ndarray
    ledger: Ledger
    books: Books
    balance: np.ndarray
    floating: np.ndarray
    """Per bar, the open position's P&L and swaps at the close (the terminal's linear form), 0.0 with none."""
    margin: np.ndarray
    open_ticket: np.ndarray
    """Per bar, the ticket of the position open at the close (local, then merged numbering), -1 with none."""
    deal_bars: np.ndarray
    deal_changes: np.ndarray


def _spans(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bars ``first[t]`` .. ``last[t]`` (inclusive) of each trade ``t`` end to end: ``(trade, bar)`` per item."""
    lengths = np.maximum(last - first + 1, 0)
    trade = np.repeat(np.arange(len(first)), lengths)
    starts = np.cumsum(lengths) - lengths
    bar = np.arange(int(lengths.sum())) - np.repeat(starts, lengths) + np.repeat(first, lengths)
    return trade, bar


def _floating(ledger: Ledger, stop: np.ndarray, prices: Prices) -> np.ndarray:
    """Per bar, the open position's floating P&L plus swaps at the close with the terminal's expressions
    (``k + m * bid + n * spread``, swaps added one rollover at a time), 0.0 where none is open (one position at a
    time: the bars a position is held at the close are its own)."""
    out = np.zeros(len(prices.close))
    trade, bar = _spans(ledger.fill, stop - 1)
    if len(bar) == 0:
        return out
    nights = prices.rollovers[bar].astype(np.int64)
    buy = ledger.is_buy[trade]
    hits = np.flatnonzero((bar > ledger.fill[trade]) & (nights > 0))  # no rollover is charged on the fill bar
    rows = ledger.charge_row[trade[hits]]
    charges = np.where(buy[hits], ledger.charge_long[rows, nights[hits]], ledger.charge_short[rows, nights[hits]])
    running = np.zeros(len(bar))
    total, held = 0.0, -1
    for at, owner, charge in zip(hits.tolist(), trade[hits].tolist(), charges.tolist(), strict=True):
        total = (total if owner == held else 0.0) + charge  # 0.0 + c1 + c2 ..., as the terminal adds them
        held = owner
        running[at] = total
    latest = np.maximum.accumulate(np.where(np.isin(np.arange(len(bar)), hits), np.arange(len(bar)), -1))
    swap = np.where((latest >= 0) & (trade[np.maximum(latest, 0)] == trade), running[np.maximum(latest, 0)], 0.0)
    size, entry = ledger.size[trade], ledger.entry[trade]
    k = np.where(buy, 0.0 + (swap - size * entry), 0.0 + (swap + size * entry))
    m = np.where(buy, 0.0 + size, 0.0 - size)
    n = np.where(buy, 0.0, 0.0 - size)
    out[bar] = 0.0 + ((k + m * prices.close[bar]) + n * prices.spread[bar])
    return out


def _local_events(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Each ticket one symbol's kernel took, in its order: ``(bar, when, row)``, ``row`` the trade an entry opened
    (-1 for a close); None when they do not number the rows' tickets 1, 2, ... as the kernel did."""
    kind = rows[:, EXIT_KIND].astype(np.int64)
    count = len(rows)
    entry = np.column_stack((rows[:, SIGNAL_BAR].astype(np.int64), np.full(count, _STRATEGY), np.ones(count, int),
                             np.arange(count)))
    closes = kind != EXIT_END
    client = kind[closes] == EXIT_CLIENT
    exit_bar = rows[closes, EXIT_BAR].astype(np.int64)
    close = np.column_stack((np.where(client, exit_bar - 1, exit_bar), np.where(client, _STRATEGY, _SETTLE),
                             np.zeros(len(exit_bar), int), np.full(len(exit_bar), -1)))
    events = np.concatenate((entry, close)).astype(np.int64)
    events = events[np.lexsort((events[:, 2], events[:, 1], events[:, 0]))]
    opened = events[:, 3] >= 0
    numbers = np.flatnonzero(opened) + 1
    if not np.array_equal(rows[events[opened, 3], TICKET].astype(np.int64), numbers):
        return None
    return events[:, 0], events[:, 1], events[:, 3]


def _path_floor(part: _Part) -> np.ndarray:
    """Per bar, a floor of the floating P&L and swaps of the positions open at any moment of it: each at the worst
    price its bar's path reaches (the lowest bid for a long, the highest ask for a short), with its swaps if they
    cost; 0.0 where none is open."""
    bars, ledger = part.market.bars, part.ledger
    out = np.zeros(len(bars))
    trade, bar = _spans(ledger.fill, np.where(ledger.ended, len(bars) - 1, ledger.exit_bar))
    entry, size = ledger.entry[trade], ledger.size[trade]
    pnl = np.where(ledger.is_buy[trade], size * (bars[bar, LOW] - entry),
                   size * (entry - (bars[bar, HIGH] + bars[bar, SPREAD])))
    np.minimum.at(out, bar, pnl + (np.minimum(0.0, ledger.swap[trade]) - 0.01))
    return out


def _trail_at_last_bar(part: _Part, spec: StrategySpec) -> None:
    """The trailing stop the strategy moves at its symbol's last bar (in place), when that bar is not the last of the
    merged clock: the strategy then trades on it (only the run's very last bar is its end), while a symbol's kernel
    stops at its last bar. Of what it sends there, only this shows in the result (an order is never filled)."""
    rows, market = part.rows, part.market
    last = len(market.prices.close) - 1
    if len(rows) == 0 or rows[-1, EXIT_KIND] != EXIT_END:
        return
    long = rows[-1, SIDE] > 0
    rules = rule_bars(spec, market.candles, market.cache)
    exits = rules["exit_long" if long else "exit_short"]
    after = spec.risk.exit_after_bars
    if (len(exits) and exits[-1] == last) or (after is not None and last - int(rows[-1, SIGNAL_BAR]) >= after):
        return  # it sends a close instead (never filled: the position stays open)
    below, above = market.trailing(spec)
    sl, close, spread = float(rows[-1, STOP_LOSS]), float(market.prices.close[last]), float(market.prices.spread[last])
    if long:
        level = float(below[last])
        if level < close and (sl == 0.0 or level > sl):
            rows[-1, STOP_LOSS] = level
    else:
        level = float(above[last])
        if level > close + spread and (sl == 0.0 or level < sl):
            rows[-1, STOP_LOSS] = level


class MergedMarket:
    """Several symbols' prepared candles (one :class:`SymbolMarket` each, in the settings' order) and their merged
    clock: the backtests of specs whose symbols do not couple, merged into one account."""

    def __init__(self, data: MarketData, markets: list[SymbolMarket]) -> None:
        self.data = data
        self.markets = markets
        times = [m.prices.time for m in markets]
        self.which, self.index, _ = merge_by_time(times)  # the replay's own merged clock
        self.total = total = len(self.which)
        steps = np.empty(total, dtype=np.int64)
        offsets = np.cumsum([0] + [len(t) for t in times])
        steps[offsets[self.which] + self.index] = np.arange(total, dtype=np.int64)
        self.steps = [steps[offsets[k]:offsets[k + 1]] for k in range(len(markets))]
        """Per symbol, the merged step of each of its bars."""
        self.settled = [np.searchsorted(s, np.arange(total), side="right") - 1 for s in self.steps]
        """Per symbol and merged step, the symbol's last bar settled by then (-1 before its first)."""
        self.times = np.concatenate(times).astype(np.int64)[offsets[self.which] + self.index]

    def limitation(self, spec: StrategySpec) -> str | None:
        """Why the fast path cannot run ``spec`` on these symbols exactly, or None."""
        risk = spec.risk
        if risk.risk_percent is not None:
            return ("risk-sized entries on several symbols (each is sized from the equity of every symbol's open "
                    "positions at its signal)")
        if risk.max_open_positions > 1:
            return ("several positions at once on several symbols (the terminal's tickets of their closes "
                    "interleave across symbols)")
        for market in self.markets:
            why = market.limitation(spec)
            if why is not None:
                return f"{market.symbol.name}: {why}"
        return None

    def _part(self, market: SymbolMarket, spec: StrategySpec) -> _Part | None:
        rows = market.trade_rows(spec)
        if rows is None:
            return None
        rows = rows.copy()
        settings = self.data.settings
        charges: Charges = market.charges
        ledger = write_ledger(rows, market.symbol, market.prices, charges)
        margins = position_margins(market.symbol, ledger.volume, ledger.entry, settings.leverage, settings.currency,
                                   None, ledger.fill, ledger.is_buy)
        books = ledger_books(ledger, settings.capital, market.prices, margins)
        deal_bars, deal_changes, stop = ledger.deals(len(market.prices.close))
        open_ticket = np.full(len(market.prices.close), -1, dtype=np.int64)
        trade, bar = _spans(ledger.fill, stop - 1)
        open_ticket[bar] = trade
        assert books.margin is not None, "the books were written with the leverage"
        return _Part(market, rows, ledger, books, books.balance, _floating(ledger, stop, market.prices), books.margin,
                     open_ticket, deal_bars, deal_changes)

    def _renumber(self, parts: list[_Part]) -> bool:
        """Give every trade the ticket the terminal's one counter gives it (in place); False when a symbol's own
        numbering is not the one :func:`_local_events` expects."""
        keys, owners = [], []
        for k, part in enumerate(parts):
            events = _local_events(part.rows)
            if events is None:
                return False
            bar, when, row = events
            keys.append(self.steps[k][bar] * 2 + when)
            owners.append(np.column_stack((np.full(len(row), k), row)))
        key = np.concatenate(keys)
        owner = np.concatenate(owners)[np.argsort(key, kind="stable")]
        for number, (k, row) in enumerate(owner.tolist(), start=1):
            if row >= 0:
                parts[k].rows[row, TICKET] = number
        for part in parts:  # per bar: the merged ticket of the position open at the close
            tickets = part.rows[:, TICKET].astype(np.int64)
            if len(tickets):
                part.open_ticket = np.where(part.open_ticket >= 0, tickets[np.maximum(part.open_ticket, 0)], -1)
        return True

    def _account(self, parts: list[_Part]) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """Balance, equity and margin in use at each merged bar's close, and whether the account could come near a
        margin rejection or a stop-out (:meth:`_near_limits`)."""
        settings = self.data.settings
        total = self.total
        steps = np.concatenate([self.steps[k][p.deal_bars] for k, p in enumerate(parts)])
        changes = np.concatenate([p.deal_changes for p in parts])
        order = np.argsort(steps, kind="stable")
        running = np.cumsum(np.concatenate(([0.0 + settings.capital], changes[order])))
        balance = running[np.searchsorted(steps[order], np.arange(total), side="right")]
        floating = np.zeros((len(parts), total))
        margin = np.zeros((len(parts), total))
        last = np.iinfo(np.int64).max
        filled = np.full(2 + max((int(p.rows[:, TICKET].max(initial=0)) for p in parts), default=0), last,
                         dtype=np.int64)  # per merged ticket, the merged step its position was filled at
        for k, part in enumerate(parts):
            numbers, fills = part.rows[:, TICKET].astype(np.int64), part.ledger.fill
            inside = (fills >= 0) & (fills < len(self.steps[k]))
            filled[numbers[inside]] = self.steps[k][fills[inside]]
        tickets = np.full((len(parts), total), last, dtype=np.int64)  # the fill step of each open position
        for k, part in enumerate(parts):
            bar = self.settled[k]
            seen = bar >= 0
            at = np.maximum(bar, 0)
            floating[k] = np.where(seen, part.floating[at], 0.0)
            margin[k] = np.where(seen, part.margin[at], 0.0)
            held = seen & (part.open_ticket[at] >= 0)
            tickets[k] = np.where(held, filled[np.maximum(part.open_ticket[at], 0)], tickets[k])
        # the terminal values its positions in the order they were filled (its positions' order)
        rank = np.argsort(tickets, axis=0, kind="stable")
        columns = np.arange(total)
        value = np.zeros(total)
        used = np.zeros(total)
        for r in range(len(parts)):
            value = value + floating[rank[r], columns]
            used = used + margin[rank[r], columns]
        near = self._near_limits(parts, balance, floating, used)
        return balance, balance + value, used, near

    def _near_limits(self, parts: list[_Part], balance: np.ndarray, floating: np.ndarray, used: np.ndarray) -> bool:
        """Whether the account could come near a margin rejection or a stop-out at some merged bar. A floor of its
        equity along the bar (the lower balance before and after it, the other symbols' positions at their last
        close, the stepping symbol's at the worst of its path) must exceed the margin in use before or after it plus
        :data:`~mas.vector.kernel.SAFETY` times the stepping symbol's largest position's margin (an entry it may
        send or fill), and twice the stop-out level's share of that margin in use."""
        settings = self.data.settings
        before = np.concatenate(([0.0 + settings.capital], balance[:-1]))
        most = np.maximum(used, np.concatenate(([0.0], used[:-1])))
        floor = np.minimum(before, balance) + floating.sum(axis=0)
        entry = np.zeros(self.total)
        for k, part in enumerate(parts):
            mine = self.which == k
            floor[mine] += _path_floor(part)[self.index[mine]] - floating[k, mine]
            entry[mine] = SAFETY * float(part.margin.max(initial=0.0))
        need = np.maximum(most + entry, 2.0 * settings.stop_out_level / 100.0 * most)
        return bool((floor <= need + 1.0).any())

    def _run(self, spec: StrategySpec) -> tuple[list[_Part], np.ndarray, np.ndarray, np.ndarray] | None:
        if self.limitation(spec) is not None:
            return None
        parts = []
        for market in self.markets:
            part = self._part(market, spec)
            if part is None:
                return None
            parts.append(part)
        if not self._renumber(parts):
            return None
        if spec.risk.trailing_stop is not None:
            for k, part in enumerate(parts):
                if self.steps[k][-1] != self.total - 1:
                    _trail_at_last_bar(part, spec)
        balance, equity, margin, near = self._account(parts)
        if near:
            return None
        return parts, balance, equity, margin

    def _trades(self, parts: list[_Part]) -> list[TradeRecord]:
        """Closed trades in the order they closed on the merged clock, then those still open in the order they were
        filled on it (the terminal lists its positions as they opened: an order sent later can fill first, its
        symbol's next bar coming sooner)."""
        closed: list[tuple[int, int, int, TradeRecord]] = []
        still_open: list[tuple[int, int, int, TradeRecord]] = []
        for k, part in enumerate(parts):
            market = part.market
            records = part.books.records(market.symbol, market.bar_times, market.stamps)
            ended = part.ledger.ended
            shut = np.flatnonzero(~ended)
            for record, row in zip(records, shut.tolist() + np.flatnonzero(ended).tolist(), strict=True):
                if ended[row]:
                    still_open.append((int(self.steps[k][int(part.ledger.fill[row])]), k, row, record))
                else:
                    closed.append((int(self.steps[k][int(part.ledger.exit_bar[row])]), k, row, record))
        closed.sort(key=lambda item: item[:3])
        still_open.sort(key=lambda item: item[:3])
        return [item[3] for item in closed] + [item[3] for item in still_open]

    def backtest(self, spec: StrategySpec, label: str) -> BacktestResult | None:
        """The backtest of ``spec`` on every symbol in one account, or None when the event engine must run it."""
        started = wallclock.perf_counter()
        run = self._run(spec)
        if run is None:
            return None
        parts, balance, equity, margin = run
        settings = self.data.settings
        report = settings.as_report_settings(label) | {
            "elapsed_seconds": round(wallclock.perf_counter() - started, 4),
            "price_side": self.markets[0].price_side_note, "engine": "fast"}
        return BacktestResult(settings=report, trades=self._trades(parts), equity_times=self.times.copy(),
                              equity=equity, balance=balance, initial_capital=settings.capital,
                              currency=settings.currency, bars={m.symbol.name: m.rates for m in self.markets},
                              margin=margin)

    def metrics(self, spec: StrategySpec) -> dict[str, Any] | None:
        """``compute_metrics`` of ``spec``'s backtest, or None when the event engine must run it."""
        result = self.backtest(spec, "")
        return None if result is None else compute_metrics(result)
