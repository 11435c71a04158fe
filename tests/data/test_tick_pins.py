"""The every-tick synthesis is pinned: real sample candles give exactly the ticks they gave before the
synthesis was rewritten for speed (times, bids, asks, flags and volumes, bit for bit), and any candles give
ticks that keep the model's invariants."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.data.rates_file import read_rates_file
from mas.data.sample import sample_dir
from mas.data.tick_model import TickSynthesis, synthesize_ticks_from_m1, ticks_per_candle
from mas.data.ticks import change_flags
from mas.terminal.constants import TICK_FLAG_ASK, TICK_FLAG_BID
from mas.terminal.types import RATES_DTYPE

H1 = read_rates_file(sample_dir() / "EURUSD_H1.parquet").rates
T0 = 1_704_186_000  # 2024-01-02 09:00 UTC


def as_minutes(bars: np.ndarray, scale: float = 1.0, digits: int = 5) -> np.ndarray:
    """Real candles restamped as M1 candles (a 7-minute gap after every 50), prices scaled to ``digits``, tick
    volumes 0..69 (every step count of the model) and spreads 0..16 points."""
    rates = np.array(bars, dtype=RATES_DTYPE, copy=True)
    i = np.arange(rates.size)
    rates["time"] = T0 + 60 * (i + (i // 50) * 7)
    for name in ("open", "high", "low", "close"):
        rates[name] = np.round(bars[name] * scale, digits)
    rates["tick_volume"] = i % 70
    rates["spread"] = i % 17
    return rates


# sha256 of the ticks' bytes as the first implementation synthesized them (one vectorized pass per 4096 candles)
PINNED = {
    "h1_as_is": (lambda: (H1[:300], 5, None, 3600), 18300,
                 "0775247006ca18a34cd86a16ba2884588a377389592e0d3fe8362c304ff41f10"),
    "minutes": (lambda: (as_minutes(H1[300:900]), 5, None, 60), 20394,
                "704a6a7a38d6eeb66a1bd359a69cd4f40aae7f6b61f0864268e37906af946383"),
    "minutes_spread12": (lambda: (as_minutes(H1[300:900]), 5, 12, 60), 20394,
                         "b83db16bd73086f3dd62485f57cc1ebca9a4aa4db8304332ec5c3e9b9ff86a4a"),
    "jpy_like": (lambda: (as_minutes(H1[1000:1400], 100.0, 3), 3, None, 60), 13510,
                 "62ee3801cb1fe0896636128f91f6506622c00a361bf3b4edeb778fcd25afacc1"),
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_sample_candles_give_the_pinned_ticks(name):
    make, size, digest = PINNED[name]
    rates, digits, spread, bar_seconds = make()
    ticks = synthesize_ticks_from_m1(rates, digits, spread=spread, bar_seconds=bar_seconds)
    assert ticks.size == size
    assert hashlib.sha256(ticks.tobytes()).hexdigest() == digest


def test_the_first_sample_candle_reads_as_pinned():
    ticks = synthesize_ticks_from_m1(as_minutes(H1[300:302]), 5)  # volumes 0 and 1: four ticks each
    bar = H1[300]
    assert (bar["open"], bar["high"], bar["low"], bar["close"]) == (1.0696, 1.06965, 1.068, 1.0686)
    assert ticks["bid"][:4].tolist() == [1.0696, 1.06965, 1.068, 1.0686]  # bearish: open, high, low, close
    assert ticks["bid"][4:].tolist() == [1.06855, 1.06792, 1.06886, 1.06868]  # bullish: open, low, high, close
    assert ticks["time_msc"][:4].tolist() == [T0 * 1000, T0 * 1000 + 15_000, T0 * 1000 + 30_000, T0 * 1000 + 45_000]
    assert ticks["ask"][:4].tolist() == ticks["bid"][:4].tolist()  # spread 0, then 1 point
    assert ticks["ask"][4:].tolist() == [b + 1e-5 for b in ticks["bid"][4:].tolist()]  # bid + spread, unrounded
    assert ticks["flags"].tolist() == [TICK_FLAG_BID | TICK_FLAG_ASK] * 8
    assert ticks["volume"].tolist() == [0] * 8 and ticks["last"].tolist() == [0.0] * 8


@st.composite
def candles(draw) -> tuple[np.ndarray, int, int]:
    digits = draw(st.sampled_from([2, 3, 5]))
    size = draw(st.integers(1, 60))
    minutes = np.cumsum(draw(st.lists(st.integers(1, 500), min_size=size, max_size=size)))
    bar_seconds = draw(st.sampled_from([60, 60, 3600]))
    rates = np.zeros(size, dtype=RATES_DTYPE)
    rates["time"] = T0 + bar_seconds * minutes
    low = np.array(draw(st.lists(st.integers(1, 10**7), min_size=size, max_size=size)))
    high = low + np.array(draw(st.lists(st.integers(0, 800), min_size=size, max_size=size)))
    ends = [np.array(draw(st.lists(st.floats(0, 1), min_size=size, max_size=size))) for _ in range(2)]
    scale = 10.0**digits
    rates["low"], rates["high"] = low / scale, high / scale
    rates["open"] = np.rint(low + (high - low) * ends[0]) / scale
    rates["close"] = np.rint(low + (high - low) * ends[1]) / scale
    rates["tick_volume"] = draw(st.lists(st.integers(0, 2**40), min_size=size, max_size=size))
    rates["spread"] = draw(st.lists(st.integers(0, 60), min_size=size, max_size=size))
    return rates, digits, bar_seconds


@settings(max_examples=200, deadline=None)
@given(data=candles())
def test_each_candles_ticks_walk_open_to_close_through_high_and_low_inside_its_bar(data):
    rates, digits, bar_seconds = data
    ticks = synthesize_ticks_from_m1(rates, digits, bar_seconds=bar_seconds)
    counts = ticks_per_candle(rates["tick_volume"])
    bounds = np.concatenate(([0], np.cumsum(counts)))
    assert ticks.size == bounds[-1]
    assert np.all(np.diff(ticks["time_msc"]) > 0)  # times increase, across candles too
    assert np.array_equal(ticks["time"], ticks["time_msc"] // 1000)
    point = 10.0**-digits
    for bar, lo, hi in zip(rates, bounds[:-1], bounds[1:], strict=True):
        bids, stamps = ticks["bid"][lo:hi], ticks["time_msc"][lo:hi]
        o, h, low, c = (float(bar[k]) for k in ("open", "high", "low", "close"))
        # the path's pivots, in the tester's order: each leg is walked in the same number of steps
        pivots = [o, low, h, c] if c >= o else [o, h, low, c]
        steps = (hi - lo - 1) // 3
        assert bids[::steps].tolist() == pivots
        for leg in range(3):
            walk = bids[leg * steps:(leg + 1) * steps + 1]
            assert np.all(np.diff(walk) >= 0) if pivots[leg + 1] >= pivots[leg] else np.all(np.diff(walk) <= 0)
        assert stamps[0] == bar["time"] * 1000 and stamps[-1] < (bar["time"] + bar_seconds) * 1000
        np.testing.assert_allclose(ticks["ask"][lo:hi] - bids, bar["spread"] * point, atol=point * 1e-3)
    np.testing.assert_allclose(ticks["bid"] / point, np.rint(ticks["bid"] / point), atol=1e-6)  # on the grid
    assert np.array_equal(ticks["flags"], change_flags(ticks["bid"], ticks["ask"]))
    assert not ticks["volume"].any() and not ticks["volume_real"].any() and not ticks["last"].any()


@settings(max_examples=100, deadline=None)
@given(bid=st.lists(st.sampled_from([1.1, 1.2, 1.3]), max_size=40),
       ask_shift=st.lists(st.sampled_from([0.0, 0.0001]), max_size=40))
def test_change_flags_mark_what_differs_from_the_previous_tick(bid, ask_shift):
    size = min(len(bid), len(ask_shift))
    bids = np.array(bid[:size], dtype=np.float64)
    asks = bids + np.array(ask_shift[:size], dtype=np.float64)
    flags = change_flags(bids, asks).tolist()
    expected = [(TICK_FLAG_BID if i == 0 or bids[i] != bids[i - 1] else 0)
                | (TICK_FLAG_ASK if i == 0 or asks[i] != asks[i - 1] else 0) for i in range(size)]
    assert flags == expected


@settings(max_examples=100, deadline=None)
@given(data=candles(), cuts=st.lists(st.integers(0, 4000), min_size=2, max_size=6))
def test_ticks_made_a_range_at_a_time_are_the_ticks_made_at_once(data, cuts):
    rates, digits, bar_seconds = data
    synthesis = TickSynthesis(rates, digits, bar_seconds=bar_seconds)
    whole = synthesize_ticks_from_m1(rates, digits, bar_seconds=bar_seconds)
    assert synthesis.size == whole.size
    bounds = sorted({min(cut, whole.size) for cut in cuts} | {0, whole.size})
    parts = [synthesis.rows(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    assert np.concatenate(parts).tobytes() == whole.tobytes()  # flags included: each range knows the tick before
    picks = np.array([min(cut, whole.size - 1) for cut in cuts])
    np.testing.assert_array_equal(synthesis.times_msc(picks), whole["time_msc"][picks])


def test_a_year_of_candles_is_made_in_ranges_like_at_once():
    rates = as_minutes(np.concatenate([H1] * 2))  # 12,450 candles: several blocks of candles
    synthesis = TickSynthesis(rates, 5)
    whole = synthesize_ticks_from_m1(rates, 5)
    for lo, hi in ((0, 1), (0, 200_000), (123_456, 123_457), (200_000, 400_000), (whole.size - 3, whole.size + 9)):
        assert synthesis.rows(lo, hi).tobytes() == whole[lo:hi].tobytes(), (lo, hi)
    assert synthesis.rows(5, 5).size == 0
