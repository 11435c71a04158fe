"""Currency conversion on the fast path: what one unit of the symbol's profit (or margin) currency is worth in
the account currency at a moment of the replay, as the simulated terminal's ``AccountBook.rate`` gives it.

The terminal asks, in this order: the currency is the account's (1.0); the symbol itself converts (its base is
the currency and its quote the account's: the price it is given; the other way round: one over that price); else
``CurrencyConverter.rate``: a direct pair (``XY``'s bid, or one over ``YX``'s), else a cross through USD (the
product of the two). A pair's bid is the replayed symbol's current bid, or the close of the last stored bar of a
conversion symbol that opened at or before the moment (its own timeframe first, then M1, H1, D1).

A :class:`Rate` is that answer written once per run as at most two *legs*, each a price (the one the terminal
passes, the replayed symbol's current bid, or a conversion table) or one over it; :func:`rate_at` (compiled, for
the kernel) and :meth:`Rate.values` (numpy, for the books) evaluate it with the terminal's operations in its order,
so the amounts it converts are the terminal's bit for bit. When the terminal would look a pair up where the fast
path cannot (a conversion symbol whose stored bars start after the run does, or a zero price), :func:`rate_of`
says why, and the event engine runs that backtest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mas.sim.symbols import SymbolSpec
from mas.vector.jit import njit
from mas.vector.kernel import M_BUY, M_CLOSE, M_SELL, PASSED, QUOTE, R_CLOSE, R_HIGH, R_LOW, R_OPEN, TABLE, rate_at

__all__ = ["NO_LEGS", "Conversion", "Rate", "profit_bounds", "rate_at", "rate_of"]

NO_LEGS = np.full((2, 3), -1, dtype=np.int64)
"""The legs of a rate of 1.0 (the currency is the account's)."""

Tables = Callable[[str], "np.ndarray | None"]
"""A conversion symbol's name -> its stored rates (time, close: bids), or None when there are none."""


@dataclass(frozen=True)
class Rate:
    """Account-currency units per unit of one currency: ``legs`` (2 rows of source, invert, table; source -1: no
    leg), and the tables' times and closes (2 rows, padded at the end: times with int64's largest)."""

    legs: np.ndarray
    times: np.ndarray
    values: np.ndarray

    @property
    def is_one(self) -> bool:
        """Whether the rate is 1.0 at every moment (the account's own currency)."""
        return int(self.legs[0, 0]) < 0

    def values_at(self, moments: np.ndarray, passed: np.ndarray, quote: np.ndarray) -> np.ndarray:
        """The rate at each of ``moments`` (epoch seconds), given the price the terminal passes and the replayed
        symbol's bid at each: :func:`rate_at` elementwise, with the same operations."""
        moments = np.asarray(moments, dtype=np.int64)
        if self.is_one:
            return np.ones(len(moments))
        out = None
        for k in range(2):
            source, invert, table = (int(v) for v in self.legs[k])
            if source < 0:
                break
            if source == PASSED:
                price = np.asarray(passed, dtype=np.float64)
            elif source == QUOTE:
                price = np.asarray(quote, dtype=np.float64)
            else:
                price = self.values[table][np.searchsorted(self.times[table], moments, side="right") - 1]
            with np.errstate(divide="ignore", invalid="ignore"):
                leg = 1.0 / price if invert else price * 1.0
            out = leg if out is None else out * leg
        assert out is not None
        return out


def rate_of(currency: str, spec: SymbolSpec, account: str, first: int, tables: Tables) -> Rate | str:
    """The :class:`Rate` of ``currency`` for positions on ``spec`` in an ``account`` currency, over a run whose
    first moment is ``first`` (epoch seconds); or why the fast path cannot know it at every moment."""
    one = Rate(NO_LEGS, np.zeros((2, 1), dtype=np.int64), np.zeros((2, 1)))
    if currency == account:
        return one
    if spec.base == currency and spec.profit == account:
        return _rate([(PASSED, 0, None)])
    if spec.profit == currency and spec.base == account:
        return _rate([(PASSED, 1, None)])
    direct = _direct(currency, account, spec.name, first, tables)
    if isinstance(direct, tuple):
        return _rate([direct])
    if direct is None and "USD" not in (currency, account):
        via_source = _direct(currency, "USD", spec.name, first, tables)
        via_target = _direct("USD", account, spec.name, first, tables)
        if isinstance(via_source, tuple) and isinstance(via_target, tuple):
            return _rate([via_source, via_target])
        direct = next((why for why in (via_source, via_target) if isinstance(why, str)), None)
    return direct or f"no prices to convert {currency} into {account}"


Leg = tuple[int, int, "np.ndarray | None"]


def _direct(source: str, target: str, replayed: str, first: int, tables: Tables) -> Leg | str | None:
    """The converter's ``_direct``: ``source + target``'s bid, else one over ``target + source``'s; None when
    neither has prices, the reason when the terminal's choice between them could change during the run."""
    for pair, invert in ((source + target, 0), (target + source, 1)):
        if pair == replayed:
            return QUOTE, invert, None
        rates = tables(pair)
        if rates is None or rates.size == 0:
            continue
        if int(rates["time"][0]) > first or not bool((rates["close"] != 0.0).all()):
            return f"{pair}'s stored prices do not cover the run"
        return TABLE, invert, rates
    return None


def _rate(legs: list[Leg]) -> Rate:
    """The :class:`Rate` of ``legs`` (their tables padded into two rows)."""
    tables = [rates for _, _, rates in legs if rates is not None]
    size = max([len(rates) for rates in tables] + [1])
    times = np.full((2, size), np.iinfo(np.int64).max, dtype=np.int64)
    values = np.zeros((2, size))
    packed = np.full((2, 3), -1, dtype=np.int64)
    row = 0
    for k, (source, invert, rates) in enumerate(legs):
        packed[k] = (source, invert, row if rates is not None else -1)
        if rates is not None:
            times[row, :len(rates)] = rates["time"]
            values[row, :len(rates)] = rates["close"]
            values[row, len(rates):] = rates["close"][-1]
            row += 1
    return Rate(packed, times, values)


@dataclass(frozen=True)
class Conversion:
    """A run's profit and margin rates, and what the kernel reads of them per bar and per block of bars."""

    profit: Rate
    margin: Rate
    bars: np.ndarray
    """One row per bar, columns ``R_OPEN`` .. ``M_CLOSE``."""
    blocks: np.ndarray
    """Per block of the kernel's stop-out watch: the least and the greatest profit rate over its bars."""

    @classmethod
    def of(cls, profit: Rate, margin: Rate, time: np.ndarray, bar_seconds: int, open_: np.ndarray,
           low: np.ndarray, high: np.ndarray, close: np.ndarray, buy_fill: np.ndarray, sell_fill: np.ndarray,
           block_shift: int) -> Conversion:
        """The rates at the moments the terminal converts, per bar (``time``: open times; fills at the open)."""
        end = time + bar_seconds
        bars = np.empty((len(time), 7))
        bars[:, R_OPEN] = profit.values_at(time, open_, open_)
        bars[:, R_CLOSE] = profit.values_at(end, close, close)
        least, most = profit_bounds(profit, time, end, low, high)
        bars[:, R_LOW] = least * (1.0 - 1e-9)
        bars[:, R_HIGH] = most * (1.0 + 1e-9)
        bars[:, M_BUY] = margin.values_at(time, buy_fill, open_)
        bars[:, M_SELL] = margin.values_at(time, sell_fill, open_)
        bars[:, M_CLOSE] = margin.values_at(end, close, close)
        size = 1 << block_shift
        count = -(-len(time) // size)
        pad = count * size - len(time)
        blocks = np.empty((count, 2))
        blocks[:, 0] = np.concatenate((bars[:, R_LOW], np.full(pad, np.inf))).reshape(count, size).min(axis=1)
        blocks[:, 1] = np.concatenate((bars[:, R_HIGH], np.full(pad, -np.inf))).reshape(count, size).max(axis=1)
        return cls(profit, margin, bars, blocks)


def profit_bounds(rate: Rate, start: np.ndarray, end: np.ndarray, low: np.ndarray,
                  high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest of ``rate`` over each bar: moments ``start`` .. ``end``, bids ``low`` .. ``high``."""
    least, most = np.ones(len(start)), np.ones(len(start))
    if rate.is_one:
        return least, most
    for k in range(2):
        source, invert, table = (int(v) for v in rate.legs[k])
        if source < 0:
            break
        if source in (PASSED, QUOTE):
            a, b = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
        else:
            a, b = _table_extremes(rate.times[table], rate.values[table], start, end)
        if invert:
            a, b = 1.0 / b, 1.0 / a
        least, most = (a, b) if k == 0 else (least * a, most * b)
    return least, most


@njit
def _table_extremes(times: np.ndarray, values: np.ndarray, start: np.ndarray,
                    end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest value a table (``values`` from each of ``times`` on) takes in each ``[start, end]``."""
    least = np.empty(len(start))
    most = np.empty(len(start))
    for i in range(len(start)):
        first = np.searchsorted(times, start[i], side="right") - 1
        last = np.searchsorted(times, end[i], side="right") - 1
        lo = values[first]
        hi = values[first]
        for j in range(first + 1, last + 1):
            lo = min(lo, values[j])
            hi = max(hi, values[j])
        least[i] = lo
        most[i] = hi
    return least, most
