"""Bars and ticks the sim server serves, as a broker's server does.

Every stored bar of the replayed symbol is served up to the replay's present, also the ones
before ``--from`` (the replay starts there; the history does not). Position 0 of
``copy_rates_from_pos`` is the bar that is forming, as in MT5: while the market clock is inside
a bar that has not completed yet, that bar is served with what is known of it - the completed
bars of the replayed timeframe inside it, then the current quote (open = its first price, close =
the current bid; for the replayed timeframe itself that is one flat price, the bid). When the
market is closed (a weekend gap, the end of the data) position 0 is the last bar. Nothing after
the replay's current quote is ever served. Ticks are the replay's quotes: one at each completed
bar's close, with its bid and ask.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import numpy as np

from mas.data.timeframes import timeframe_seconds
from mas.sim.market import SymbolTape
from mas.terminal import constants as c
from mas.terminal.types import RATES_DTYPE, TICKS_DTYPE

_WEEK_ORIGIN = 3 * 86400  # 1970-01-04, a Sunday: MT5's weeks open on Sunday


class NoData(Exception):
    """A history request that cannot be answered; ``code`` / ``message`` go to ``last_error()``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def bar_open(epoch: int, timeframe: str) -> int:
    """Open time of the ``timeframe`` bar that contains ``epoch`` (weeks from Sunday, months from the 1st)."""
    if timeframe == "MN1":
        day = datetime.fromtimestamp(epoch, tz=timezone.utc)
        return int(datetime(day.year, day.month, 1, tzinfo=timezone.utc).timestamp())
    if timeframe == "W1":
        return (epoch - _WEEK_ORIGIN) // 604_800 * 604_800 + _WEEK_ORIGIN
    size = timeframe_seconds(timeframe)
    return epoch - epoch % size


class ServedHistory:
    """The stored history of one replayed symbol; ``loader(timeframe)`` gives all its stored bars."""

    def __init__(self, tape: SymbolTape, loader: Callable[[str], np.ndarray | None]) -> None:
        self.tape = tape
        self.loader = loader
        self.bar_seconds = int(tape.bar_seconds)
        self._cache: dict[str, np.ndarray | None] = {}
        stored = loader(tape.timeframe)
        first = int(tape.rates["time"][0])
        earlier = stored[stored["time"] < first] if stored is not None else tape.rates[:0]
        self.offset = len(earlier)  # the tape's bar i is bar offset + i here
        self.replay = np.concatenate([earlier.astype(RATES_DTYPE), tape.rates.astype(RATES_DTYPE)])
        self._cache[tape.timeframe] = self.replay

    def stored(self, timeframe: str) -> np.ndarray | None:
        """Every stored bar of ``timeframe`` (loaded once), or None when none is stored or buildable."""
        if timeframe not in self._cache:
            rates = self.loader(timeframe)
            self._cache[timeframe] = None if rates is None else rates.astype(RATES_DTYPE)
        return self._cache[timeframe]

    def bars(self, timeframe: str, cursor: int, forming: bool) -> np.ndarray:
        """Every ``timeframe`` bar up to the replay's present; the last is the forming (or last) bar."""
        stored = self.stored(timeframe)
        if stored is None:
            raise NoData(c.RES_E_NOT_FOUND, f"no {timeframe} bars of {self.tape.spec.name} are stored on this server")
        now = self.offset + cursor  # the last completed bar of the replay
        quote_time = int(self.replay["time"][now]) + self.bar_seconds
        anchor = int(self.tape.times[cursor + 1]) if forming else quote_time - 1
        size = timeframe_seconds(timeframe)
        times = stored["time"]
        at = int(np.searchsorted(times, anchor, side="right")) - 1
        if at >= 0 and (timeframe == "MN1" or int(times[at]) + size > anchor):
            cut = int(times[at])
        else:
            cut = bar_open(anchor, timeframe)
        done = int(np.searchsorted(times, cut, side="left"))
        if not forming and at >= 0 and int(times[at]) == cut and timeframe != "MN1" and cut + size <= quote_time:
            return stored[: done + 1].copy()  # the market is closed and the last bar is complete
        return np.concatenate([stored[:done], self._partial(cut, anchor, now)])

    def _partial(self, cut: int, anchor: int, now: int) -> np.ndarray:
        """The bar opened at ``cut``: the replay's completed bars in [cut, anchor), then the current bid."""
        times = self.replay["time"]
        lo = int(np.searchsorted(times, cut, side="left"))
        hi = min(int(np.searchsorted(times, anchor, side="left")), now + 1)
        inside = self.replay[lo:hi]
        bid = float(self.replay["close"][now])
        bar = np.zeros(1, dtype=RATES_DTYPE)
        bar["time"] = cut
        bar["open"] = inside["open"][0] if len(inside) else bid
        bar["high"] = max(float(inside["high"].max()), bid) if len(inside) else bid
        bar["low"] = min(float(inside["low"].min()), bid) if len(inside) else bid
        bar["close"] = bid
        bar["tick_volume"] = int(inside["tick_volume"].sum()) if len(inside) else 0
        bar["spread"] = self.replay["spread"][now]
        bar["real_volume"] = int(inside["real_volume"].sum()) if len(inside) else 0
        return bar

    def ticks(self, cursor: int, date_from: int, date_to: int | None, count: int | None) -> np.ndarray:
        """The replay's quotes up to now: one tick at each completed bar's close."""
        n = self.offset + cursor + 1
        ends = self.replay["time"][:n].astype(np.int64) + self.bar_seconds
        lo = int(np.searchsorted(ends, int(date_from), side="left"))
        hi = n if date_to is None else int(np.searchsorted(ends, int(date_to), side="right"))
        if count is not None:
            hi = min(hi, lo + max(0, int(count)))
        out = np.zeros(max(0, hi - lo), dtype=TICKS_DTYPE)
        if out.size:
            bid = self.replay["close"][lo:hi]
            out["time"] = ends[lo:hi]
            out["bid"] = bid
            out["ask"] = bid + self.replay["spread"][lo:hi] * self.tape.spec.point
            out["time_msc"] = ends[lo:hi] * 1000
            out["flags"] = c.TICK_FLAG_BID | c.TICK_FLAG_ASK
        return out


def copy_from_pos(bars: np.ndarray, start_pos: int, count: int) -> np.ndarray:
    """MT5's ``copy_rates_from_pos``: ``count`` bars ending ``start_pos`` bars back from the newest (0)."""
    end = len(bars) - start_pos
    return bars[max(0, end - count): max(0, end)].copy()


def copy_from(bars: np.ndarray, date_from: int, count: int) -> np.ndarray:
    """MT5's ``copy_rates_from``: the ``count`` bars that opened at or before ``date_from``."""
    end = int(np.searchsorted(bars["time"], date_from, side="right"))
    return bars[max(0, end - count): end].copy()


def copy_range(bars: np.ndarray, date_from: int, date_to: int) -> np.ndarray:
    """MT5's ``copy_rates_range``: the bars that opened in [date_from, date_to]."""
    t = bars["time"]
    return bars[(t >= date_from) & (t <= date_to)].copy()
