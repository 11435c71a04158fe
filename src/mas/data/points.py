"""Prices in points: a symbol's digits, and conversions between points and prices.

A point is ``10**-digits``: 0.00001 for EURUSD (5 digits), 0.001 for USDJPY (3 digits). The
digits come from the built-in symbol table (:data:`mas.sim.symbols.BUILTIN_SYMBOLS`); unknown
symbols have :data:`DEFAULT_DIGITS`.
"""

from __future__ import annotations

import numpy as np

DEFAULT_DIGITS = 5
MAX_DIGITS = 10


def symbol_digits(symbol: str) -> int:
    """The number of decimals of ``symbol``'s prices (case-insensitive; 5 when not built in)."""
    from mas.sim.symbols import BUILTIN_SYMBOLS

    spec = BUILTIN_SYMBOLS.get(symbol.strip().upper())
    return spec.digits if spec is not None else DEFAULT_DIGITS


def check_digits(digits: int) -> int:
    """``digits`` if it is a whole number in ``[0, MAX_DIGITS]``, else ValueError."""
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or not 0 <= digits <= MAX_DIGITS:
        raise ValueError(f"digits must be a whole number from 0 to {MAX_DIGITS}, not {digits!r}")
    return int(digits)


def points_to_prices(points: np.ndarray, digits: int) -> np.ndarray:
    """Integer points as float prices; dividing by ``10**digits`` gives the double nearest the decimal."""
    return np.asarray(points, dtype=np.float64) / 10.0 ** check_digits(digits)


def prices_to_points(prices: np.ndarray, digits: int) -> np.ndarray:
    """Float prices as the nearest whole number of points (int64)."""
    return np.rint(np.asarray(prices, dtype=np.float64) * 10.0 ** check_digits(digits)).astype(np.int64)
