"""Reference implementations for the strategy tests: the documented rules, written plainly."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import accumulate

import numpy as np
import talib


def kd_as_documented(high, low, close, n: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """A direct transcription of the MAS docs: RSV over 9 bars; K, D = 2/3 prev + 1/3 new; start 50."""
    k_prev, d_prev = 50.0, 50.0
    ks, ds = [], []
    for i in range(len(close)):
        if i < n - 1:
            ks.append(math.nan)
            ds.append(math.nan)
            continue
        highest_high = max(high[i - n + 1 : i + 1])
        lowest_low = min(low[i - n + 1 : i + 1])
        rsv = (close[i] - lowest_low) / (highest_high - lowest_low) * 100
        k = 2 / 3 * k_prev + 1 / 3 * rsv
        d = 2 / 3 * d_prev + 1 / 3 * k
        ks.append(k)
        ds.append(d)
        k_prev, d_prev = k, d
    return np.array(ks), np.array(ds)


def exact_sma_difference(close, fast: int = 5, slow: int = 20) -> np.ndarray:
    """sign(SMA(fast) - SMA(slow)) in exact decimal arithmetic on the quoted prices (NaN in warm-up).

    Averages of quoted prices are often exactly equal; exact arithmetic says when they truly are.
    """
    exact = [Fraction(repr(float(x))) for x in close]
    prefix = [Fraction(0), *accumulate(exact)]
    out = np.full(len(exact), np.nan)
    for i in range(slow - 1, len(exact)):
        diff = (prefix[i + 1] - prefix[i + 1 - fast]) / fast - (prefix[i + 1] - prefix[i + 1 - slow]) / slow
        out[i] = (diff > 0) - (diff < 0)
    return out


def _cross_up(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bar i where a[i-1] <= b[i-1] and a[i] > b[i] (both defined on both bars)."""
    out = np.zeros(len(a), dtype=bool)
    out[1:] = (a[:-1] <= b[:-1]) & (a[1:] > b[1:])
    return out


def _cross_down(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a), dtype=bool)
    out[1:] = (a[:-1] >= b[:-1]) & (a[1:] < b[1:])
    return out


def signals(name: str, high, low, close) -> tuple[np.ndarray, np.ndarray]:
    """(entry, exit) boolean arrays of a built-in's documented rules with default parameters."""
    high, low, close = (np.asarray(a, dtype=float) for a in (high, low, close))
    with np.errstate(invalid="ignore"):  # comparisons with NaN during warm-up are simply False
        if name == "ma":
            sign, zero = exact_sma_difference(close, 5, 20), np.zeros(len(close))
            return _cross_up(sign, zero), _cross_down(sign, zero)
        if name == "rsi":
            rsi = talib.RSI(close, 14)
            return rsi < 30, rsi > 70
        if name == "macd":
            line, signal, _ = talib.MACD(close, 12, 26, 9)
            return _cross_up(line, signal), _cross_down(line, signal)
        if name == "kd":
            k, d = kd_as_documented(list(high), list(low), list(close), 9)
            return _cross_up(k, d) & (k < 20), _cross_down(k, d) & (k > 80)
        if name == "bband":
            upper, _, lower = talib.BBANDS(close, 20, 2.0, 2.0, 0)
            return close <= lower, close >= upper
    raise ValueError(name)


def expected_orders(name: str, high, low, close) -> list[tuple[int, str]]:
    """(index of the bar whose close triggered it, "buy" or "sell") of a long-only replay.

    One position at a time; no order on the last bar (it could never fill).
    """
    entry, exit_ = signals(name, high, low, close)
    orders: list[tuple[int, str]] = []
    long = False
    for i in range(len(close) - 1):
        if entry[i] and not long:
            orders.append((i, "buy"))
            long = True
        elif exit_[i] and long:
            orders.append((i, "sell"))
            long = False
    return orders
