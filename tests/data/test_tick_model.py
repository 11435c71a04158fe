"""The "every tick" model: ticks synthesized from M1 candles follow the documented MT5-style path."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.data.resample import ticks_to_m1
from mas.data.tick_model import MAX_STEPS, synthesize_ticks_from_m1, ticks_per_candle
from mas.terminal.types import RATES_DTYPE

T0 = 1_704_186_000  # 2024-01-02 09:00 UTC


def candle(open_, high, low, close, tick_volume=7, spread=3, time=T0) -> np.ndarray:
    rates = np.zeros(1, dtype=RATES_DTYPE)
    rates[0] = (time, open_, high, low, close, tick_volume, spread, 0)
    return rates


def test_bullish_candle_goes_open_low_high_close_with_midpoints():
    ticks = synthesize_ticks_from_m1(candle(1.1, 1.1005, 1.0998, 1.1003, tick_volume=7), 5)
    assert ticks["bid"].tolist() == [1.1, 1.0999, 1.0998, 1.10015, 1.1005, 1.1004, 1.1003]
    assert ticks["ask"].tolist() == [b + 3e-5 for b in ticks["bid"].tolist()]
    assert ticks["time_msc"].tolist() == [T0 * 1000 + i * 60_000 // 7 for i in range(7)]


def test_bearish_candle_goes_open_high_low_close():
    ticks = synthesize_ticks_from_m1(candle(1.1003, 1.1005, 1.0998, 1.1, tick_volume=2), 5)
    assert ticks["bid"].tolist() == [1.1003, 1.1005, 1.0998, 1.1]
    assert ticks["time_msc"].tolist() == [T0 * 1000, T0 * 1000 + 15_000, T0 * 1000 + 30_000, T0 * 1000 + 45_000]


def test_ticks_per_candle_follow_the_tick_volume_within_bounds():
    volumes = np.array([0, 1, 4, 5, 7, 8, 60, 61, 10**12], dtype=np.uint64)
    assert ticks_per_candle(volumes).tolist() == [4, 4, 4, 7, 7, 10, 61, 61, 3 * MAX_STEPS + 1]


def test_a_given_spread_overrides_the_candles():
    ticks = synthesize_ticks_from_m1(candle(150.0, 150.01, 149.99, 150.0, spread=0), 3, spread=12)
    assert np.allclose(ticks["ask"] - ticks["bid"], 0.012)


@st.composite
def candles(draw) -> tuple[np.ndarray, int]:
    digits = draw(st.sampled_from([2, 3, 5]))
    size = draw(st.integers(1, 50))
    minutes = np.cumsum(draw(st.lists(st.integers(1, 3000), min_size=size, max_size=size)))
    rates = np.zeros(size, dtype=RATES_DTYPE)
    rates["time"] = T0 + 60 * minutes
    low = np.array(draw(st.lists(st.integers(1, 10**7), min_size=size, max_size=size)))
    high = low + np.array(draw(st.lists(st.integers(0, 500), min_size=size, max_size=size)))

    def pick() -> np.ndarray:
        return low + (high - low) * np.array(draw(st.lists(st.floats(0, 1), min_size=size, max_size=size)))

    scale = 10.0**digits
    rates["low"], rates["high"] = low / scale, high / scale
    rates["open"], rates["close"] = np.rint(pick()) / scale, np.rint(pick()) / scale
    rates["tick_volume"] = draw(st.lists(st.integers(0, 200), min_size=size, max_size=size))
    rates["spread"] = draw(st.lists(st.integers(0, 50), min_size=size, max_size=size))
    return rates, digits


@settings(max_examples=150, deadline=None)
@given(data=candles())
def test_every_candle_is_walked_through_its_ohlc_in_the_mt5_order(data):
    rates, digits = data
    ticks = synthesize_ticks_from_m1(rates, digits)
    counts = ticks_per_candle(rates["tick_volume"])
    assert ticks.size == counts.sum()
    assert np.all(np.diff(ticks["time_msc"]) > 0)
    bounds = np.concatenate(([0], np.cumsum(counts)))
    for bar, lo, hi in zip(rates, bounds[:-1], bounds[1:], strict=True):
        bids = ticks["bid"][lo:hi]
        assert bids[0] == bar["open"] and bids[-1] == bar["close"]
        assert bids.max() == bar["high"] and bids.min() == bar["low"]
        first_low, first_high = int(np.argmax(bids == bar["low"])), int(np.argmax(bids == bar["high"]))
        if bar["close"] >= bar["open"] and bar["open"] != bar["high"]:
            assert first_low < first_high  # bullish: the low first
        if bar["close"] < bar["open"] and bar["open"] != bar["low"]:
            assert first_high < first_low  # bearish: the high first
        stamps = ticks["time_msc"][lo:hi]
        assert stamps[0] == bar["time"] * 1000 and stamps[-1] < (bar["time"] + 60) * 1000
        assert np.all(np.isclose(bids * 10.0**digits, np.rint(bids * 10.0**digits)))  # on the point grid

    rebuilt = ticks_to_m1(ticks, digits)
    for name in ("time", "open", "high", "low", "close", "spread"):
        np.testing.assert_array_equal(rebuilt[name], rates[name])
    np.testing.assert_array_equal(rebuilt["tick_volume"], counts)


def test_empty_input_gives_no_ticks():
    assert synthesize_ticks_from_m1(np.empty(0, dtype=RATES_DTYPE), 5).size == 0
