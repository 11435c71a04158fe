"""The 21 MetaTrader 5 timeframes: names, MT5 constants, lengths and bar open times."""

from __future__ import annotations

import numpy as np

from mas.terminal import constants as c

TIMEFRAMES: dict[str, int] = {
    "M1": c.TIMEFRAME_M1, "M2": c.TIMEFRAME_M2, "M3": c.TIMEFRAME_M3, "M4": c.TIMEFRAME_M4,
    "M5": c.TIMEFRAME_M5, "M6": c.TIMEFRAME_M6, "M10": c.TIMEFRAME_M10, "M12": c.TIMEFRAME_M12,
    "M15": c.TIMEFRAME_M15, "M20": c.TIMEFRAME_M20, "M30": c.TIMEFRAME_M30, "H1": c.TIMEFRAME_H1,
    "H2": c.TIMEFRAME_H2, "H3": c.TIMEFRAME_H3, "H4": c.TIMEFRAME_H4, "H6": c.TIMEFRAME_H6,
    "H8": c.TIMEFRAME_H8, "H12": c.TIMEFRAME_H12, "D1": c.TIMEFRAME_D1, "W1": c.TIMEFRAME_W1,
    "MN1": c.TIMEFRAME_MN1,
}
"""Timeframe name -> the MetaTrader5 module's TIMEFRAME_* value."""

TIMEFRAME_NAMES: dict[int, str] = {v: k for k, v in TIMEFRAMES.items()}

_MINUTES = {"M": 1, "H": 60, "D": 1440, "W": 10080}


def timeframe_name(timeframe: str | int) -> str:
    """Normalise a name ('h1', 'H1') or an MT5 constant to the canonical name, or raise ValueError."""
    if isinstance(timeframe, str):
        name = timeframe.strip().upper()
        if name in TIMEFRAMES:
            return name
    elif isinstance(timeframe, (int, np.integer)) and int(timeframe) in TIMEFRAME_NAMES:
        return TIMEFRAME_NAMES[int(timeframe)]
    from mas.i18n.errors import InputError

    raise InputError("timeframe_invalid", value=timeframe, valid=" ".join(TIMEFRAMES))


def timeframe_seconds(timeframe: str | int) -> int:
    """Nominal bar length in seconds (MN1 counts 30 days; use bar_open_times for calendar bars)."""
    name = timeframe_name(timeframe)
    if name == "MN1":
        return 30 * 86400
    return _MINUTES[name[0]] * int(name[1:]) * 60


def bar_open_times(times: np.ndarray, timeframe: str | int) -> np.ndarray:
    """The open time (epoch seconds, UTC) of the ``timeframe`` bar that contains each of ``times``.

    MT5's conventions: intraday and daily bars are aligned to midnight, W1 bars open on
    Monday 00:00 and MN1 bars on the first day of the month.
    """
    name = timeframe_name(timeframe)
    t = np.asarray(times, dtype=np.int64)
    if name == "MN1":
        months = t.astype("datetime64[s]").astype("datetime64[M]")
        return months.astype("datetime64[s]").astype(np.int64)
    if name == "W1":
        # 1970-01-01 was a Thursday: shift so that weeks start on Monday.
        monday_offset = 3 * 86400
        week = 7 * 86400
        return (t + monday_offset) // week * week - monday_offset
    step = timeframe_seconds(name)
    return t // step * step
