"""How far from the entry price a spec's stop loss, take profit or trailing stop sits: one definition,
used by the compiled strategy (one price at a time, :mod:`mas.strategy.compiler`) and by the fast path
(every signal bar at once, :mod:`mas.vector.engine`), so both place the same levels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    import numpy as np

__all__ = ["pip_size", "price_offset"]

Price = Union[float, "np.ndarray"]
"""A float, or a numpy array of them (one per signal bar): the arithmetic is the same, elementwise."""


def pip_size(digits: int, point: float) -> float:
    """One pip: 10 points on 5- and 3-digit quotes, else one point."""
    return point * 10 if digits in (3, 5) else point


def price_offset(distance: Any, price: Price, pip: float, point: float, atr: Price | None) -> Price | None:
    """The price offset of a spec ``Distance`` from ``price``: pips, points, percent of ``price``, or a multiple
    of ``atr`` (ATR(``distance.atr_period``) at the signal bar; None while it warms up gives None, an array's NaN
    stays NaN)."""
    unit, value = distance.unit, distance.value
    if unit == "pips":
        return value * pip
    if unit == "points":
        return value * point
    if unit == "percent":
        return price * value / 100.0
    return None if atr is None else value * atr
