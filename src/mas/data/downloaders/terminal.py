"""Downloading history from a MetaTrader 5 terminal (``copy_rates_range`` / ``copy_ticks_range``).

Any terminal of the seam works: the ``MetaTrader5`` module, the ``mt5linux`` bridge, or the
simulated MT5 server (``sim://host:port``). Bars are bid candles with the broker's spreads;
stamps are the terminal's, shifted to UTC by ``tz_offset_hours`` (the broker's server offset).

:func:`download_from_terminal` copies whole days (``mas data download --source mt5``);
:func:`load_bars_with_terminal` loads a range of bars, first copying from the terminal the parts
the store lacks. Both store through :func:`~mas.data.store.save_bars` (locked, validated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import numpy as np

from mas.data.quality import find_gaps
from mas.data.rates_file import read_rates_times
from mas.data.resample import ticks_to_m1
from mas.data.store import (
    BarSeries,
    StoreUpdate,
    canonical_symbol,
    dataset_path,
    epoch_seconds,
    load_bars,
    repair_hint,
    save_bars,
)
from mas.data.tick_store import TickStoreUpdate, save_ticks
from mas.data.timeframes import TIMEFRAMES, timeframe_name, timeframe_seconds
from mas.data.validation import CorruptDataError
from mas.i18n.errors import InputError, Text
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
        raise InputError("dl_to_before_from", last=last_day, first=first_day)
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
    data = _copy_rates(terminal, symbol, tf, start, end, shift)
    if data.size == 0:
        return TerminalDownload(symbol, tf, 0, None, None, None)
    update = save_bars(symbol, tf, data, price_side="bid", has_spread=True)
    return TerminalDownload(symbol, tf, int(data.size), _utc(int(data["time"][0])), _utc(int(data["time"][-1])),
                            update)


def load_bars_with_terminal(symbol: str, timeframe: str | int, start: datetime, end: datetime | None,
                            terminal: Any, *, tz_offset_hours: float = 0.0) -> BarSeries:
    """Bars of ``symbol`` with open times in ``[start, end]`` (naive times are UTC; ``end`` None: now),
    after copying from ``terminal`` (anything with MetaTrader5's ``copy_rates_range``, logged in) the
    parts the user's ``timeframe`` file lacks, and storing them (locked and validated by save_bars).

    Copied: the range before the first stored bar, the range after the last one, and one span
    covering every gap inside (open-market time of at least 30 minutes and one bar, see
    :func:`mas.data.quality.find_gaps`); at most three requests. ``symbol`` is passed to the
    terminal as given (broker suffixes kept) and stored under its canonical name.
    ``tz_offset_hours`` is the broker server's offset from UTC. Raises TerminalDownloadError when
    the terminal fails a request, ValueError when its bars fail validation or mix price sides with
    the stored file, MissingDataError when nothing covers the range.
    """
    name = canonical_symbol(symbol)
    tf = timeframe_name(timeframe)
    end = end if end is not None else datetime.now(timezone.utc)
    first, last = epoch_seconds(start, round_up=True), epoch_seconds(end, round_up=False)
    if first > last:
        raise InputError("start_after_end", start=start, end=end)
    path = dataset_path(name, tf)
    try:
        stored = read_rates_times(path) if path.exists() else np.empty(0, dtype=np.int64)
    except CorruptDataError as exc:
        raise exc.with_remedy(repair_hint(name, tf)) from None
    shift = round(tz_offset_hours * 3600)
    selected = False
    for lo, hi in missing_spans(stored, first, last, tf):
        if not selected:
            terminal.symbol_select(symbol, True)
            selected = True
        rates = _copy_rates(terminal, symbol, tf, _utc(lo + shift), _utc(hi + shift), shift)
        rates = rates[(rates["time"] >= lo) & (rates["time"] <= hi)]
        if rates.size:
            save_bars(name, tf, rates, price_side="bid", has_spread=True)
    return load_bars(name, tf, start, end)


def missing_spans(stored: np.ndarray, first: int, last: int, timeframe: str) -> list[tuple[int, int]]:
    """Inclusive ``(from, to)`` epoch-second spans of ``[first, last]`` that sorted ``stored`` bar
    times do not cover: before the first bar, after the last one, and one span over inner gaps."""
    inside = stored[(stored >= first) & (stored <= last)]
    if inside.size == 0:
        return [(first, last)]
    step = timeframe_seconds(timeframe)
    spans = []
    if first < inside[0]:
        spans.append((first, int(inside[0]) - 1))
    gaps = find_gaps(inside, timeframe)
    if gaps:
        spans.append((int(gaps[0].start.timestamp()), int(gaps[-1].end.timestamp()) - 1))
    if int(inside[-1]) + step <= last:
        spans.append((int(inside[-1]) + step, last))
    return spans


def _copy_rates(terminal: Any, symbol: str, tf: str, start: datetime, end: datetime, shift: int) -> np.ndarray:
    """``copy_rates_range`` as a ``RATES_DTYPE`` array with UTC times."""
    raw = terminal.copy_rates_range(symbol, TIMEFRAMES[tf], start, end)
    rows = _checked(terminal, raw, f"copy_rates_range({symbol}, {tf})")
    data = np.zeros(len(rows), dtype=RATES_DTYPE)
    for name in RATES_DTYPE.names:
        data[name] = rows[name]
    data["time"] -= shift
    return data


def _checked(terminal: Any, rows: Any, call: str) -> np.ndarray:
    if rows is None:
        code, text = terminal.last_error()
        raise TerminalDownloadError(Text("dl_terminal_failed", call=call, code=code, text=text))
    return np.asarray(rows)


def _utc(epoch_seconds: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=epoch_seconds)
