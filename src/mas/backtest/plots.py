"""The series a strategy plots on its trade chart during a backtest (``MAS.plot``).

:class:`SeriesRecorder` keeps, per symbol and series name, one value per bar: the bar the replay stands
on when ``plot`` is called (in ``receive_bars``, the bar just handed over; in ``receive_ticks``, the M1 bar
holding the tick). Plotting a series twice on one bar keeps the last value. :meth:`SeriesRecorder.series`
gives them as :class:`mas.results.PlottedSeries` for the result.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mas.i18n.errors import Text
from mas.results import PLOT_PANELS, PlottedSeries
from mas.sim.market import SymbolTape

MAX_NAME = 60


def _check(name: Any, value: Any, panel: Any) -> float:
    """The value as a float (NaN for None); ValueError naming the argument at fault."""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise ValueError(Text("plot_name", most=MAX_NAME, value=name))
    if panel not in PLOT_PANELS:
        raise ValueError(Text("plot_panel", valid=", ".join(map(repr, PLOT_PANELS)), value=panel))
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(Text("plot_value", name=name, value=value))
    number = float(value)
    return number if math.isfinite(number) else math.nan


class SeriesRecorder:
    """Plotted values of one replay, read against its simulated terminal's position in the bars."""

    def __init__(self, terminal: Any) -> None:
        self.terminal = terminal
        self._values: dict[tuple[str, str], dict[int, float]] = {}
        self._panels: dict[tuple[str, str], str] = {}

    def record(self, name: str, value: Any, symbol: str | None = None, panel: str = "price") -> bool:
        """Keep ``value`` of series ``name`` at ``symbol``'s current bar (default: the run's only symbol);
        False before the symbol's first bar. ValueError for a bad name, value, panel or symbol."""
        number = _check(name, value, panel)
        market = self.terminal.book.market
        if symbol is None:
            if len(market.tapes) != 1:
                raise ValueError(Text("plot_which_symbol", symbols=", ".join(market.tapes), name=name))
            symbol = next(iter(market.tapes))
        tape, quote = market.tapes.get(symbol), market.quotes.get(symbol)
        if tape is None or quote is None:
            raise ValueError(Text("plot_symbol_not_replayed", symbol=symbol, symbols=", ".join(market.tapes)))
        if quote.index < 0:
            return False
        when = int(tape.times[quote.index])
        if not isinstance(tape, SymbolTape):  # a tick replay: the chart's bar is the M1 bar holding the tick
            when -= when % 60
        key = (symbol, name)
        if self._panels.setdefault(key, panel) != panel:
            raise ValueError(Text("plot_one_panel", name=name, panel=self._panels[key]))
        self._values.setdefault(key, {})[when] = number
        return True

    def series(self) -> dict[str, dict[str, PlottedSeries]]:
        """``{symbol: {name: PlottedSeries}}`` of everything plotted so far, bars in time order."""
        out: dict[str, dict[str, PlottedSeries]] = {}
        for (symbol, name), by_time in self._values.items():
            times = np.fromiter(sorted(by_time), dtype=np.int64, count=len(by_time))
            values = np.array([by_time[int(t)] for t in times], dtype=np.float64)
            out.setdefault(symbol, {})[name] = PlottedSeries(times, values, self._panels[(symbol, name)])
        return out
