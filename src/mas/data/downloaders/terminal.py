"""Downloading history from a MetaTrader 5 terminal (``copy_rates_range`` / ``copy_ticks_range``).

Any terminal of the seam works: the ``MetaTrader5`` module, the ``mt5linux`` bridge, or the
simulated MT5 server (``sim://host:port``). Bars are bid candles with the broker's spreads;
stamps are the terminal's, shifted to UTC by ``tz_offset_hours`` (the broker's server offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from mas.data.resample import ticks_to_m1
from mas.data.store import StoreUpdate, save_bars
from mas.data.tick_store import TickStoreUpdate, save_ticks
from mas.data.timeframes import TIMEFRAMES, timeframe_name
from mas.terminal import constants as c
from mas.terminal.types import RATES_DTYPE, TICKS_DTYPE


class TerminalDownloadError(OSError):
    """The terminal refused or failed a history request; the message carries its last_error()."""


@dataclass(frozen=True)
class TerminalDownload:
    """What one download stored."""

    symbol: str
    timeframe: str  # "TICKS" for ticks
    rows: int
    first: datetime | None
    last: datetime | None
    bars: StoreUpdate | None
    ticks: TickStoreUpdate | None = None


def download_from_terminal(terminal: Any, symbol: str, first_day: date, last_day: date, *, timeframe: str = "M1",
                           ticks: bool = False, tz_offset_hours: float = 0.0, digits: int = 5) -> TerminalDownload:
    """Copy ``symbol``'s bars of ``timeframe`` (or its ticks, stored with M1 bars built from them) for
    the whole days ``first_day``..``last_day`` from ``terminal`` into the store."""
    if last_day < first_day:
        raise ValueError(f"--to ({last_day}) is before --from ({first_day})")
    shift = round(tz_offset_hours * 3600)
    start = datetime.combine(first_day, time()) + timedelta(seconds=shift)
    end = datetime.combine(last_day, time()) + timedelta(days=1, seconds=shift - 1)
    terminal.symbol_select(symbol, True)
    if ticks:
        raw = terminal.copy_ticks_range(symbol, start, end, c.COPY_TICKS_ALL)
        rows = _checked(terminal, raw, f"copy_ticks_range({symbol})")
        data = np.zeros(len(rows), dtype=TICKS_DTYPE)
        for name in TICKS_DTYPE.names:
            data[name] = rows[name]
        data["time_msc"] -= shift * 1000
        data["time"] = data["time_msc"] // 1000
        if data.size == 0:
            return TerminalDownload(symbol, "TICKS", 0, None, None, None)
        tick_update = save_ticks(symbol, data)
        bars = save_bars(symbol, "M1", ticks_to_m1(data, digits), price_side="bid", has_spread=True)
        return TerminalDownload(symbol, "TICKS", int(data.size), _utc(int(data["time"][0])),
                                _utc(int(data["time"][-1])), bars, tick_update)
    tf = timeframe_name(timeframe)
    raw = terminal.copy_rates_range(symbol, TIMEFRAMES[tf], start, end)
    rows = _checked(terminal, raw, f"copy_rates_range({symbol}, {tf})")
    data = np.zeros(len(rows), dtype=RATES_DTYPE)
    for name in RATES_DTYPE.names:
        data[name] = rows[name]
    data["time"] -= shift
    if data.size == 0:
        return TerminalDownload(symbol, tf, 0, None, None, None)
    update = save_bars(symbol, tf, data, price_side="bid", has_spread=True)
    return TerminalDownload(symbol, tf, int(data.size), _utc(int(data["time"][0])), _utc(int(data["time"][-1])),
                            update)


def _checked(terminal: Any, rows: Any, call: str) -> np.ndarray:
    if rows is None:
        code, text = terminal.last_error()
        raise TerminalDownloadError(f"{call} failed on the terminal ({code}: {text})")
    return np.asarray(rows)


def _utc(epoch_seconds: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=epoch_seconds)
