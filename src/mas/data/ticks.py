"""Tick arrays in the MetaTrader 5 layout (``TICKS_DTYPE``), built from columns.

MT5 marks each tick with what changed: ``TICK_FLAG_BID`` when the bid differs from the previous
tick's, ``TICK_FLAG_ASK`` when the ask does; the first tick of an array gets both. ``time`` is
``time_msc // 1000`` (UTC seconds); forex ticks have no last price (``last`` = 0).
"""

from __future__ import annotations

import numpy as np

from mas.terminal.constants import TICK_FLAG_ASK, TICK_FLAG_BID
from mas.terminal.types import TICKS_DTYPE


def make_ticks(
    time_msc: np.ndarray,
    bid: np.ndarray,
    ask: np.ndarray,
    *,
    volume: np.ndarray | None = None,
    volume_real: np.ndarray | None = None,
) -> np.ndarray:
    """A ``TICKS_DTYPE`` array from its columns (volumes default to 0), with MT5's change flags."""
    time_msc = np.asarray(time_msc, dtype=np.int64)
    ticks = np.zeros(time_msc.size, dtype=TICKS_DTYPE)
    ticks["time_msc"] = time_msc
    ticks["time"] = time_msc // 1000
    ticks["bid"] = bid
    ticks["ask"] = ask
    if volume is not None:
        ticks["volume"] = volume
    if volume_real is not None:
        ticks["volume_real"] = volume_real
    ticks["flags"] = change_flags(ticks["bid"], ticks["ask"])
    return ticks


def change_flags(bid: np.ndarray, ask: np.ndarray) -> np.ndarray:
    """``TICK_FLAG_BID`` / ``TICK_FLAG_ASK`` where the price differs from the previous tick's (the first tick: both)."""
    size = bid.size
    flags = np.empty(size, dtype=np.uint32)
    if size == 0:
        return flags
    changed = np.empty(size, dtype=bool)
    changed[0] = True
    np.not_equal(bid[1:], bid[:-1], out=changed[1:])
    np.multiply(changed, np.uint32(TICK_FLAG_BID), out=flags)
    np.not_equal(ask[1:], ask[:-1], out=changed[1:])
    flags |= changed * np.uint32(TICK_FLAG_ASK)
    return flags
