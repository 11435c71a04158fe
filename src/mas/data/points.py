"""Prices in points: a symbol's digits, and conversions between points and prices.

A point is ``10**-digits``: 0.00001 for EURUSD (5 digits), 0.001 for USDJPY (3 digits). The
digits of the built-in symbols are :data:`BUILTIN_DIGITS` (the data layer sits below the simulator, so the
contract table of :mod:`mas.sim.symbols` takes its digits from here, and a test holds the two equal); other
symbols have :data:`DEFAULT_DIGITS`.
"""

from __future__ import annotations

import numpy as np

from mas.i18n.errors import InputError

DEFAULT_DIGITS = 5
MAX_DIGITS = 10

BUILTIN_DIGITS: dict[str, int] = {
    "EURUSD": 5, "GBPUSD": 5, "USDJPY": 3, "USDCHF": 5, "USDCAD": 5, "AUDUSD": 5, "NZDUSD": 5, "EURGBP": 5,
    "EURJPY": 3, "EURCHF": 5, "EURAUD": 5, "EURCAD": 5, "GBPJPY": 3, "GBPCHF": 5, "AUDJPY": 3, "CHFJPY": 3,
    "CADJPY": 3, "NZDJPY": 3, "AUDNZD": 5, "AUDCAD": 5, "XAUUSD": 2,
}
"""Digits of the built-in symbols: 3 for yen-quoted pairs, 2 for gold, 5 for the other pairs."""


def symbol_digits(symbol: str) -> int:
    """The number of decimals of ``symbol``'s prices (case-insensitive; 5 when not built in)."""
    return BUILTIN_DIGITS.get(symbol.strip().upper(), DEFAULT_DIGITS)


def check_digits(digits: int) -> int:
    """``digits`` if it is a whole number in ``[0, MAX_DIGITS]``, else ValueError."""
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or not 0 <= digits <= MAX_DIGITS:
        raise InputError("digits_range", most=MAX_DIGITS, value=digits)
    return int(digits)


def points_to_prices(points: np.ndarray, digits: int) -> np.ndarray:
    """Integer points as float prices; dividing by ``10**digits`` gives the double nearest the decimal."""
    return np.asarray(points, dtype=np.float64) / 10.0 ** check_digits(digits)


def prices_to_points(prices: np.ndarray, digits: int) -> np.ndarray:
    """Float prices as the nearest whole number of points (int64)."""
    return np.rint(np.asarray(prices, dtype=np.float64) * 10.0 ** check_digits(digits)).astype(np.int64)
