"""Prices of the replay: per-symbol bid OHLC arrays, spreads and the clock's cursor.

The market knows the replayed symbols bar by bar and can load extra symbols from the
data store only to convert currencies. Nothing here ever exposes a bar after the cursor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Final

import numpy as np

from mas.data.resample import columns_to_m1
from mas.data.store import BarSeries
from mas.data.tick_columns import TickColumns
from mas.data.tick_model import TickSynthesis, synthesize_ticks_from_m1
from mas.data.timeframes import timeframe_seconds
from mas.sim.symbols import SymbolSpec

_UTC: Final = timezone.utc


def price_lists(rates: np.ndarray, point: float, times: bool = True) -> tuple[list, list, list, list, list, list]:
    """Times, bid OHLC and spread in price units as Python lists (what the replay loop indexes:
    list items are cheaper to read than numpy scalars); ``times=False``: an empty list for the times."""
    prices = [shared_floats(rates[k], point, _MIN_SHARED) for k in ("open", "high", "low", "close")]
    spreads = rates["spread"].astype(np.float64) * point
    spread_list = column_list(spreads)
    if len(spread_list) >= _MIN_SHARED and spread_list[0] is not spread_list[-1]:  # not one shared spread
        spread_list = shared_floats(spreads, point, _MIN_SHARED)
    return (rates["time"].tolist() if times else [], *prices, spread_list)


_MIN_SHARED: Final = 500_000
"""Columns of at least this many bars are made with shared float objects: there memory is what limits
(a float object per bar and column is 24 bytes more than the list's pointer), below it ``tolist`` is
fewer instructions."""
_TABLE_PER_BAR: Final = 4  # the table of prices spans at most this many points per bar of the column


def shared_floats(values: np.ndarray, point: float, min_size: int = _MIN_SHARED) -> list:
    """``values.tolist()``, with one float object per distinct price instead of one per bar (from
    ``min_size`` values on; shorter columns are made with ``tolist``).

    Quotes sit on a grid of ``point``, so a column of a million candles holds a few thousand distinct
    prices: each is made once (a table indexed by the price in points) and the list points at those
    objects, a quarter of the memory of ``tolist``. The items are bit for bit the column's values; a
    column whose prices are not one per grid step (or too widely spread for a table) is made with
    ``tolist``."""
    column = np.ascontiguousarray(values, dtype=np.float64)
    size = column.size
    if size < min_size or size == 0 or not point > 0:
        return column.tolist()
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        steps = np.rint(column / point)
        low, high = float(steps.min()), float(steps.max())
        if not (math.isfinite(low) and math.isfinite(high)) or high - low >= _TABLE_PER_BAR * size:
            return column.tolist()
        slot = (steps - low).astype(np.intp)
    table = np.zeros(int(high - low) + 1, dtype=np.float64)
    table[slot] = column
    if not np.array_equal(table[slot].view(np.int64), column.view(np.int64)):  # two prices in one slot
        return column.tolist()
    used = np.zeros(table.size, dtype=bool)
    used[slot] = True
    rank = np.cumsum(used, dtype=np.intp) - 1  # the slot's place among the used ones
    return table[used].astype(object)[rank[slot]].tolist()


def items_list(values: np.ndarray) -> list:
    """``values.tolist()`` of a column of numbers (the same Python floats and ints), read through a memoryview of
    a contiguous copy in native byte order: fewer instructions per item than numpy's ``tolist``."""
    column: Any = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("="))  # a buffer
    return memoryview(column).tolist()


def column_list(values: np.ndarray) -> list:
    """``values.tolist()``; a constant column (a fixed spread) shares one Python object."""
    if len(values) and values[0] == values[-1] and (values == values[0]).all():
        return [values[0].item()] * len(values)
    return values.tolist()


def swap_free(spec: SymbolSpec) -> bool:
    """Both swap rates are 0: a rollover changes nothing, so a tape counts none."""
    return spec.swap_long == 0 and spec.swap_short == 0


TIME_CHUNK: Final = 1 << 15
"""Bar times a :class:`TimeColumn` turns into Python ints at a time."""


class TimeColumn:
    """A tape's bar open times (epoch seconds), read as Python ints by index: ``times[i]``, ``len(times)``,
    ``np.asarray(times)``. It keeps the int64 column and makes the ints of one chunk of bars at a time (the bars
    read are the replay's current ones), instead of an int object per bar for the whole run (40 MB per million
    bars)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.int64)
        self.size = int(self.values.size)
        self.first = 0
        self.chunk: list[int] = []

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> int:
        offset = index - self.first
        if 0 <= offset < len(self.chunk):
            return self.chunk[offset]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(f"bar {index} is outside the tape's {self.size} bars")
        self.first = index - index % TIME_CHUNK
        self.chunk = self.values[self.first:self.first + TIME_CHUNK].tolist()
        return self.chunk[index - self.first]

    def __iter__(self) -> Iterator[int]:
        return iter(self.values.tolist())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype, copy=False)

    def tolist(self) -> list[int]:
        """Every time as a Python int."""
        return self.values.tolist()


class FloatColumn:
    """A float64 column read as Python floats by index, one chunk of :data:`TIME_CHUNK` items at a time (as
    :class:`TimeColumn` reads times); ``values`` is the whole column."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.float64)  # a strided view stays one (no copy)
        self.size = int(self.values.size)
        self.first = 0
        self.chunk: list[float] = []

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> float:
        offset = index - self.first
        if 0 <= offset < len(self.chunk):
            return self.chunk[offset]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(f"item {index} is outside the column's {self.size} items")
        self.first = index - index % TIME_CHUNK
        self.chunk = self.values[self.first:self.first + TIME_CHUNK].tolist()
        return self.chunk[index - self.first]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype, copy=False)

    def adopt(self, first: int, chunk: list[float]) -> None:
        """Read items ``first`` on from ``chunk``, which holds exactly the floats of ``values[first:]``'s first
        items (a replay's chunk list, made anyway): a read of the same chunk then makes no list of its own."""
        self.first = first
        self.chunk = chunk

    def tolist(self) -> list[float]:
        """Every item as a Python float."""
        return self.values.tolist()


@dataclass
class PathDetail:
    """Lower-timeframe bars (M1) that drive the price path inside each replayed bar (the MT5
    tester's "1 minute OHLC" model). ``starts[i]:starts[i + 1]`` are bar ``i``'s M1 bars."""

    rates: np.ndarray
    starts: list[int]
    bar_seconds: int
    times: list[int] = field(init=False)
    open: list[float] = field(init=False)
    high: list[float] = field(init=False)
    low: list[float] = field(init=False)
    close: list[float] = field(init=False)
    spread_price: list[float] = field(init=False)
    point: float = 0.0

    def __post_init__(self) -> None:
        self.times, self.open, self.high, self.low, self.close, self.spread_price = price_lists(self.rates,
                                                                                               self.point)

    @classmethod
    def for_bars(cls, detail_rates: np.ndarray, bar_times: np.ndarray, bar_seconds: int, detail_seconds: int,
                 point: float) -> PathDetail:
        """The detail bars (``detail_rates``, ``detail_seconds`` each) inside each replayed bar of ``bar_times``."""
        edges = np.append(np.asarray(bar_times, dtype=np.int64), int(bar_times[-1]) + bar_seconds)
        starts = np.searchsorted(detail_rates["time"], edges, side="left").tolist()
        return cls(rates=detail_rates, starts=starts, bar_seconds=detail_seconds, point=point)


@dataclass
class TickPath:
    """Ticks that drive the path inside each replayed bar (the 'every_tick' and 'real_ticks'
    models): ``starts[i]:starts[i + 1]`` are bar ``i``'s ticks. Each tick is a point of the path:
    a trigger fires at the first tick where it is satisfied, at that tick's price."""

    ticks: np.ndarray  # TICKS_DTYPE
    starts: list[int]
    times: TimeColumn = field(init=False)
    bid: FloatColumn = field(init=False)
    spread_price: FloatColumn = field(init=False)

    def __post_init__(self) -> None:
        # read by index a chunk at a time, as a tick replay's columns are: no Python object per tick up front
        self.times = TimeColumn(self.ticks["time_msc"] // 1000)
        self.bid = FloatColumn(self.ticks["bid"])
        self.spread_price = FloatColumn(self.ticks["ask"] - self.ticks["bid"])

    @classmethod
    def for_bars(cls, ticks: np.ndarray, bar_times: np.ndarray, bar_seconds: int) -> TickPath:
        """The ``ticks`` inside each replayed bar of ``bar_times`` (``bar_seconds`` long)."""
        edges = np.append(np.asarray(bar_times, dtype=np.int64), int(bar_times[-1]) + bar_seconds) * 1000
        return cls(ticks=ticks, starts=np.searchsorted(ticks["time_msc"], edges, side="left").tolist())


TICK_CHUNK: Final = 1 << 15
"""Ticks a :class:`TickTape` makes into Python lists at a time (the clock's chunk of ticks)."""
TIME, BID, ASK, SPREAD, SECOND_STEPS = 0, 1, 2, 3, 4
"""The columns of a tick tape's chunk lists: epoch seconds, bid, ask, spread (ask - bid), and the seconds as steps
from the previous tick's (the first from 0: small ints, which Python does not allocate)."""


class TickTape:
    """One symbol of a tick replay (``subscribe_ticks``): every tick is a step of the clock.

    The ticks are stored ones (``ticks``, a ``TICKS_DTYPE`` array, or ``columns``, the columns read from the tick
    store: rows are made only for the ticks asked for) or synthesized from M1 bars (:meth:`from_m1`: then made a
    chunk at a time as the replay reads them, :class:`~mas.data.tick_model.TickSynthesis`, so a year of ticks is
    never in memory at once; ``ticks`` makes them all when asked). The columns are read by index (``times[i]``,
    ``bid[i]``, ...), from lists of one chunk of :data:`TICK_CHUNK` ticks at a time, shared by the columns and the
    clock (:meth:`load`, :meth:`chunk_list`): a Python object per tick and column for the whole run would be
    gigabytes."""

    def __init__(self, spec: SymbolSpec, ticks: np.ndarray | None = None, timeframe: str = "TICK",
                 source_m1: np.ndarray | None = None, synthesis: TickSynthesis | None = None,
                 columns: TickColumns | None = None) -> None:
        self.spec = spec
        self.timeframe = timeframe
        self.source_m1 = source_m1
        """The M1 bars the ticks were synthesized from ('every_tick'), None for stored ticks."""
        self.synthesis = synthesis
        self.stored = ticks  # TICKS_DTYPE (None until made, for synthesized ticks and ticks given as columns)
        if ticks is not None:
            columns = TickColumns.of_ticks(ticks)
        self.columns = columns
        """The stored ticks' columns (None for synthesized ticks)."""
        if columns is not None:
            self.size = columns.size
        else:
            assert synthesis is not None, "a tick tape needs its ticks or their synthesis"
            self.size = synthesis.size
        self.first = 0
        """The first tick of the loaded chunk."""
        self.loaded = 0
        """How many ticks the loaded chunk has (0: none loaded)."""
        self.chunk_msc = self.chunk_bid = self.chunk_ask = np.zeros(0, dtype=np.float64)
        """The loaded chunk's times (epoch milliseconds), bids and asks."""
        self.chunk_rows: np.ndarray | None = None
        self.lists: list[list[Any] | None] = [None, None, None, None, None]
        self.times = TickColumn(self, TIME)
        self.bid = TickColumn(self, BID)
        self.ask = TickColumn(self, ASK)
        self.spread_price = TickColumn(self, SPREAD)
        if columns is None:
            assert synthesis is not None and source_m1 is not None
            starts = synthesis.ends - synthesis.counts  # each candle's first tick; ticks stay inside its minute
            at, nights = self._rollovers(np.asarray(source_m1["time"], dtype=np.int64))
            at = starts[at]
            marks = synthesis.ends - 1  # each candle is a minute of its own
        else:
            msc = np.asarray(columns.time_msc, dtype=np.int64)
            at, nights = self._rollovers(msc, 1000)
            marks = minute_ends(msc)
        self.marks = marks
        """The last tick of each minute (positions): the points of the replay's equity curve."""
        self.rollovers = NightCounts(at, nights, self.size)
        self.rollover_ticks = at
        """The ticks with a rollover before them (indices, ascending): the only ones where swaps are charged."""

    @classmethod
    def from_m1(cls, spec: SymbolSpec, m1: np.ndarray) -> TickTape:
        """The 'every_tick' tape of ``m1`` (bid, effective spread): synthesized a chunk at a time when the bars are
        on whole minutes in order (as stored M1 bars are), else all at once."""
        times = np.asarray(m1["time"], dtype=np.int64)
        if len(times) and not (times % 60).any() and bool((times[1:] > times[:-1]).all()):
            return cls(spec, source_m1=m1, synthesis=TickSynthesis(m1, spec.digits))
        return cls(spec, ticks=synthesize_ticks_from_m1(m1, spec.digits), source_m1=m1)

    def _rollovers(self, times: np.ndarray, per_second: int = 1) -> tuple[np.ndarray, np.ndarray]:
        if swap_free(self.spec):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return rollover_points(times, self.spec.swap_rollover3days, per_second)

    def __len__(self) -> int:
        return self.size

    @property
    def ticks(self) -> np.ndarray:
        """Every tick (``TICKS_DTYPE``); synthesized ticks and ticks given as columns are made (all at once) the
        first time they are asked."""
        if self.stored is None:
            self.stored = self.rows(0, self.size)
        return self.stored

    def rows(self, start: int, end: int) -> np.ndarray:
        """Ticks ``start`` to ``end`` (exclusive) as ``TICKS_DTYPE`` rows."""
        if self.stored is not None:
            return self.stored[start:end]
        if self.columns is not None:
            return self.columns.rows(start, end)
        assert self.synthesis is not None
        return self.synthesis.rows(start, end)

    def times_msc(self, positions: np.ndarray) -> np.ndarray:
        """The times (epoch milliseconds) of the ticks at ``positions``."""
        if self.columns is not None:
            return self.columns.times_msc(positions)
        assert self.synthesis is not None
        return self.synthesis.times_msc(positions)

    def all_times_msc(self) -> np.ndarray:
        """Every tick's time (epoch milliseconds)."""
        if self.columns is not None:
            return np.asarray(self.columns.time_msc, dtype=np.int64)
        return np.asarray(self.ticks["time_msc"], dtype=np.int64)

    def load(self, index: int) -> int:
        """Load the chunk of tick ``index`` (its lists are made when asked); returns its first tick."""
        first = index - index % TICK_CHUNK
        if first != self.first or not self.loaded:
            if self.columns is not None:
                self.chunk_msc, self.chunk_bid, self.chunk_ask = self.columns.columns(first, first + TICK_CHUNK)
            else:
                assert self.synthesis is not None
                self.chunk_msc, self.chunk_bid, self.chunk_ask = self.synthesis.columns(first, first + TICK_CHUNK)
            self.chunk_rows = None
            self.first = first
            self.loaded = len(self.chunk_msc)
            self.lists = [None, None, None, None, None]
        return first

    def rows_of_chunk(self) -> np.ndarray:
        """The loaded chunk's ticks as ``TICKS_DTYPE`` rows (flags, volumes; made when first asked)."""
        if self.chunk_rows is None:
            self.chunk_rows = self.rows(self.first, self.first + self.loaded)
        return self.chunk_rows

    def minute_bars(self) -> np.ndarray:
        """M1 bars built from every tick (:func:`~mas.data.resample.columns_to_m1`)."""
        columns = self.columns if self.columns is not None else TickColumns.of_ticks(self.ticks)
        volume = None if columns.is_zero("volume") else columns.column("volume")
        return columns_to_m1(columns.time_msc, columns.bid, columns.ask, volume, self.spec.digits)

    def chunk_list(self, column: int) -> list[Any]:
        """The loaded chunk's ``column`` (:data:`TIME`, :data:`BID`, :data:`ASK`, :data:`SPREAD` or
        :data:`SECOND_STEPS`) as a list."""
        made = self.lists[column]
        if made is None:
            if column == TIME:
                made = (self.chunk_msc // 1000).tolist()
            elif column == SECOND_STEPS:
                made = np.diff(self.chunk_msc // 1000, prepend=0).tolist()
            elif column == SPREAD:
                made = (self.chunk_ask - self.chunk_bid).tolist()
            else:
                made = (self.chunk_bid if column == BID else self.chunk_ask).tolist()
            self.lists[column] = made
        return made


class TickColumn:
    """A column of a :class:`TickTape` read by index: ``times[i]`` (epoch seconds), ``bid[i]``, ``ask[i]`` or
    ``spread_price[i]``, from the tape's loaded chunk; ``np.asarray(column)`` makes the whole column."""

    def __init__(self, tape: TickTape, column: int) -> None:
        self.tape = tape
        self.column = column

    def __len__(self) -> int:
        return self.tape.size

    def __getitem__(self, index: int) -> Any:
        tape = self.tape
        offset = index - tape.first
        if not 0 <= offset < tape.loaded:
            if index < 0:
                index += tape.size
            if not 0 <= index < tape.size:
                raise IndexError(f"tick {index} is outside the tape's {tape.size} ticks")
            offset = index - tape.load(index)
        return tape.chunk_list(self.column)[offset]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        tape = self.tape
        if tape.columns is not None:
            bid, ask = tape.columns.bid, tape.columns.ask
        else:
            bid, ask = tape.ticks["bid"], tape.ticks["ask"]
        if self.column == TIME:
            values = tape.all_times_msc() // 1000
        elif self.column == SPREAD:
            values = ask - bid
        else:
            values = np.asarray(bid if self.column == BID else ask)
        return values if dtype is None else values.astype(dtype, copy=False)


def minute_ends(msc: np.ndarray, minute: int = 60_000) -> np.ndarray:
    """The position of the last time of each minute in ``msc`` (epoch milliseconds, ascending; epoch seconds with
    ``minute=60``): found by a search per minute boundary rather than a division per time (ticks outnumber minutes
    by tens)."""
    if not len(msc):
        return np.zeros(0, dtype=np.int64)
    first, last = int(msc[0]) // minute, int(msc[-1]) // minute
    ends = np.searchsorted(msc, np.arange(first + 1, last + 1, dtype=np.int64) * minute, side="left") - 1
    if len(ends):
        ends = ends[np.append(True, ends[1:] != ends[:-1])]  # minutes without ticks repeat the previous end
    return np.append(ends, len(msc) - 1).astype(np.int64)


class NightCounts:
    """Per tick, the rollover nights charged before it, read by index (``nights[i]``): 0 but at the few ticks
    that follow a rollover, so only those are kept (not an int per tick)."""

    def __init__(self, at: np.ndarray, nights: np.ndarray, size: int) -> None:
        self.at: dict[int, int] = dict(zip(at.tolist(), nights.tolist(), strict=True))
        self.size = size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> int:
        return self.at.get(index, 0)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        dense = np.zeros(self.size, dtype=np.int64 if dtype is None else dtype)
        if self.at:
            dense[np.fromiter(self.at.keys(), dtype=np.int64)] = np.fromiter(self.at.values(), dtype=np.int64)
        return dense


@dataclass
class SymbolTape:
    """One replayed symbol: bid OHLC and the spread in price units, read by index (:class:`FloatColumn`)."""

    spec: SymbolSpec
    timeframe: str
    rates: np.ndarray  # RATES_DTYPE with bid prices and the effective spread in points
    price_side_note: str
    times: TimeColumn = field(init=False)
    open: FloatColumn = field(init=False)
    high: FloatColumn = field(init=False)
    low: FloatColumn = field(init=False)
    close: FloatColumn = field(init=False)
    spread_price: FloatColumn = field(init=False)
    rollovers: list[int] = field(init=False)
    rollover_bars: list[int] = field(init=False)
    """The bars with a rollover before them (ascending): where ``rollovers`` is above 0."""
    bar_seconds: int = field(init=False)
    detail: PathDetail | TickPath | None = None

    def __post_init__(self) -> None:
        # the prices are read by index from the rates' own columns, a chunk of bars at a time (the clock reads
        # whole chunks itself): no Python float per bar and column is made for the whole replay up front
        rates = self.rates
        self.open, self.high = FloatColumn(rates["open"]), FloatColumn(rates["high"])
        self.low, self.close = FloatColumn(rates["low"]), FloatColumn(rates["close"])
        self.spread_price = FloatColumn(rates["spread"].astype(np.float64) * self.spec.point)
        self.times = TimeColumn(self.rates["time"])
        if swap_free(self.spec):
            self.rollovers, self.rollover_bars = [0] * len(rates), []
        else:
            nights = rollover_counts(rates["time"], self.spec.swap_rollover3days)
            self.rollovers, self.rollover_bars = nights.tolist(), np.flatnonzero(nights > 0).tolist()
        self.bar_seconds = timeframe_seconds(self.timeframe)


def path_envelope(tape: SymbolTape) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per bar: the lowest and highest bid and the smallest and largest spread its path can
    visit (the bar itself, and the M1 bars or ticks inside it when the model has them)."""
    detail = tape.detail
    if detail is None:
        return tape.low.values, tape.high.values, tape.spread_price.values, tape.spread_price.values
    low, high = np.array(tape.low.values), np.array(tape.high.values)
    spread_min, spread_max = np.array(tape.spread_price.values), np.array(tape.spread_price.values)
    count = len(tape.times)
    starts = np.asarray(detail.starts, dtype=np.int64)
    end = int(starts[count])
    if isinstance(detail, TickPath):
        path_low = path_high = detail.bid.values[:end]
        path_spread = detail.spread_price.values[:end]
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
    return low, high, spread_min, spread_max


def prepare_rates(series: BarSeries, spec: SymbolSpec, spread_points: int | None) -> tuple[np.ndarray, str]:
    """Bid-side rates with the effective spread: ``spread_points`` if given, else the data's
    spread column, else the symbol default. Ask-side data becomes bid = ask - spread.

    Data that needs no change (bid data whose spreads are the effective ones, ask data whose effective spread is
    zero everywhere) is returned as it is, not copied: like ``series.rates``, it may be a read-only view of the
    store's cache."""
    source = series.rates
    spread = int(spread_points) if spread_points is not None else None if series.has_spread else spec.spread
    ask_side = series.price_side == "ask"
    note = "the data is ask-side: bid = ask - spread" if ask_side else "bid prices from the data"
    if spread is None or bool((source["spread"] == spread).all()):
        if not ask_side or not source["spread"].any():  # nothing to change: ask data without a spread is its own bid
            return source, note
    rates = source.copy()
    if spread is not None:
        rates["spread"] = spread
    if ask_side:
        shift = rates["spread"].astype(np.float64) * spec.point
        if shift.any():  # with no spread at all the ask is the bid, as stored
            for col in ("open", "high", "low", "close"):
                rates[col] = np.round(rates[col] - shift, spec.digits + 2)
    return rates, note


def rollover_counts(times: np.ndarray, triple_day: int) -> np.ndarray:
    """Nights of swap charged between each bar's open and the previous bar's open.

    Rollover happens at 17:00 New York time (the FX convention; 21:00 or 22:00 UTC with
    daylight saving). Each weekday rollover counts one night, the ``triple_day`` one
    (MT5 ``DAY_OF_WEEK_*``, Wednesday by default) counts three, and weekends none.
    The first bar has no rollover before it.
    """
    t = np.asarray(times, dtype=np.int64)
    counts = np.zeros(t.size, dtype=np.int64)
    at, nights = rollover_points(t, triple_day)
    counts[at] = nights
    return counts


def rollover_points(times: np.ndarray, triple_day: int, per_second: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The positions in ``times`` (epoch seconds; with ``per_second=1000``, epoch milliseconds) with nights of swap
    charged before them, and those nights (:func:`rollover_counts` without the zeros)."""
    import pandas as pd  # only at preparation time, never in the replay loop

    t = np.asarray(times, dtype=np.int64)
    if t.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # New York's offset from UTC is whole hours and changes only on the hour (since 1883), so the session day is
    # the same for every time of one UTC hour: it is computed once per run of times in the same hour
    hour = 3600 * per_second
    firsts = _hour_runs(t, hour)
    ny = pd.to_datetime(t[firsts] // hour * 3600, unit="s", utc=True).tz_convert("America/New_York")
    run_day = (ny.tz_localize(None) - pd.Timedelta(hours=17)).normalize().to_numpy()
    run_day = run_day.astype("datetime64[D]").astype(np.int64)
    # weight of the rollover that opens session day d, by d's weekday (epoch day 0 is a Thursday)
    weights = np.array([_night_weight((d + 4) % 7, triple_day) for d in range(7)], dtype=np.int64)
    week_total = int(weights.sum())
    prefix = np.concatenate(([0], np.cumsum(weights)))

    def cumulative(day: np.ndarray) -> np.ndarray:
        return (day // 7) * week_total + prefix[(day % 7) + 1]

    # inside a run the session day stays: only a run's first time can follow a rollover
    nights = cumulative(run_day[1:]) - cumulative(run_day[:-1])
    charged = nights != 0
    return firsts[1:][charged].astype(np.int64), nights[charged]


def _hour_runs(t: np.ndarray, hour: int = 3600) -> np.ndarray:
    """The first position of each run of times in the same UTC hour (``hour``: its length in the times' unit; the
    first time starts one). Times in order are found by a search per hour boundary (far fewer than the times of a
    tick replay), others time by time."""
    if t.size > 1 and bool((t[1:] >= t[:-1]).all()):
        first, last = int(t[0]) // hour, int(t[-1]) // hour
        starts = np.searchsorted(t, np.arange(first + 1, last + 1, dtype=np.int64) * hour, side="left")
        starts = starts[np.concatenate(([True], starts[1:] != starts[:-1]))] if starts.size else starts
        return np.concatenate(([0], starts)).astype(np.int64)
    hours = t // hour
    return np.flatnonzero(np.concatenate(([True], hours[1:] != hours[:-1])))


def _night_weight(mt5_weekday: int, triple_day: int) -> int:
    """Nights charged by the rollover that opens a session on ``mt5_weekday`` (0 = Sunday)."""
    if mt5_weekday in (0, 6):  # the Sunday evening open and Saturday: no rollover
        return 0
    return 3 if mt5_weekday == triple_day else 1


def to_datetimes(times: np.ndarray) -> list[datetime]:
    """Epoch seconds -> naive UTC datetimes (the MAS callbacks' ``time``)."""
    return np.asarray(times, dtype="datetime64[s]").astype(object).tolist()


_FIRST_STAMP: Final = -62_135_596_800
"""Epoch seconds of ``datetime.min`` and ``datetime.max`` (whole seconds): numpy makes no datetime outside them."""
_LAST_STAMP: Final = 253_402_300_799


def step_breaks(times: np.ndarray, step: int) -> np.ndarray:
    """The positions in ``times`` (epoch seconds) whose time is not the previous one's plus ``step``: the first
    position and each gap (a weekend, a missing bar, a month of its own length). Between two breaks a bar's time,
    and its datetime, is the previous bar's plus ``step``. Every position is a break when a time lies outside
    ``datetime``'s years 1 to 9999 (numpy's conversion gives no datetime there)."""
    t = np.asarray(times, dtype=np.int64)
    if not len(t) or int(t.min()) < _FIRST_STAMP or int(t.max()) > _LAST_STAMP:
        return np.arange(len(t), dtype=np.int64)
    return np.concatenate(([0], np.flatnonzero(np.diff(t) != step) + 1)).astype(np.int64)


def epoch_seconds(value: Any) -> int:
    """A time argument of the MetaTrader5 functions as epoch seconds: a datetime (naive = UTC) or a
    number; None or 0 is 0."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_UTC)
        return int(value.timestamp())
    return int(value or 0)


class Quote:
    """Where the replay stands on one replayed symbol: its bar (or tick) index, and its current bid
    and spread in price units. ``index`` is -1 until the symbol's first bar or tick: no price yet.
    The clock writes these three on every bar, so they are plain attributes, not dict entries."""

    def __init__(self) -> None:
        self.index = -1
        self.bid = 0.0
        self.spread = 0.0


@dataclass
class Market:
    """Current prices of every replayed symbol and of symbols loaded for conversion."""

    tapes: dict[str, SymbolTape | TickTape] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    now: int = 0
    conversion_loader: Callable[[str], np.ndarray | None] | None = None
    _conversion: dict[str, np.ndarray | None] = field(default_factory=dict)

    def add(self, tape: SymbolTape | TickTape) -> None:
        """Replay ``tape``'s symbol (no price until its first bar or tick). Each symbol keeps one :class:`Quote`
        object for good (the account book's P&L forms hold it): a symbol added again has its quote reset."""
        name = tape.spec.name
        self.tapes[name] = tape
        quote = self.quotes.get(name)
        if quote is None:
            self.quotes[name] = Quote()
        else:
            quote.index, quote.bid, quote.spread = -1, 0.0, 0.0

    def set_bar(self, symbol: str, index: int) -> None:
        """Move ``symbol``'s quote to the close of its bar ``index``."""
        tape = self.tapes[symbol]
        assert isinstance(tape, SymbolTape), f"{symbol} is replayed as ticks"
        quote = self.quotes[symbol]
        quote.index = index
        quote.bid = tape.close[index]
        quote.spread = tape.spread_price[index]

    def has_price(self, symbol: str) -> bool:
        """Whether ``symbol`` is replayed and the replay has reached its first bar or tick."""
        quote = self.quotes.get(symbol)
        return quote is not None and quote.index >= 0

    def bid_ask(self, symbol: str) -> tuple[float, float]:
        """Current bid and ask of a replayed symbol; (0.0, 0.0) before its first bar or tick."""
        quote = self.quotes.get(symbol)
        if quote is None or quote.index < 0:
            return 0.0, 0.0
        return quote.bid, quote.bid + quote.spread

    def price_of(self, symbol: str) -> float | None:
        """Current bid of ``symbol``: replayed symbols from the cursor, others from conversion data."""
        if self.has_price(symbol):
            return self.quotes[symbol].bid
        if symbol in self.tapes:
            return None
        if symbol not in self._conversion:
            self._conversion[symbol] = self.conversion_loader(symbol) if self.conversion_loader else None
        table = self._conversion[symbol]
        if table is None or table.size == 0:
            return None
        idx = int(np.searchsorted(table["time"], self.now, side="right")) - 1
        if idx < 0:
            return None
        return float(table["close"][idx])

    def ask(self, symbol: str) -> float:
        """Current ask of a replayed symbol that has a price."""
        quote = self.quotes[symbol]
        return quote.bid + quote.spread
