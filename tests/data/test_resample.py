"""Resampling aggregates constituent bars exactly; bar open times follow MT5's calendar rules."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import groupby

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.data.resample import can_resample, resample_rates
from mas.data.timeframes import TIMEFRAMES, bar_open_times
from mas.terminal.types import RATES_DTYPE

SECONDS_2000_TO_2040 = (946_684_800, 2_208_988_800)


@st.composite
def minute_bars(draw, max_size: int = 300) -> np.ndarray:
    """Random M1 bars (sorted, unique, on the minute grid) with consistent OHLC."""
    start = draw(st.integers(*SECONDS_2000_TO_2040)) // 60 * 60
    steps = draw(st.lists(st.integers(1, 5000), min_size=1, max_size=max_size))
    times = start + 60 * np.cumsum(steps)
    size = times.size
    price = st.floats(0.5, 200.0, allow_nan=False)
    lows = np.array(draw(st.lists(price, min_size=size, max_size=size)))
    spans = np.array(draw(st.lists(st.floats(0.0, 5.0), min_size=size, max_size=size)))
    weights = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=2 * size, max_size=2 * size))).reshape(
        2, size
    )
    rates = np.zeros(size, dtype=RATES_DTYPE)
    rates["time"] = times
    rates["low"] = lows
    rates["high"] = lows + spans
    rates["open"] = lows + weights[0] * spans
    rates["close"] = lows + weights[1] * spans
    rates["tick_volume"] = draw(st.lists(st.integers(0, 10**9), min_size=size, max_size=size))
    rates["spread"] = draw(st.lists(st.integers(0, 500), min_size=size, max_size=size))
    rates["real_volume"] = draw(st.lists(st.integers(0, 10**9), min_size=size, max_size=size))
    return rates


TARGETS = st.sampled_from([tf for tf in TIMEFRAMES if tf != "M1"])


@settings(max_examples=150, deadline=None)
@given(rates=minute_bars(), target=TARGETS)
def test_resampled_bars_aggregate_their_constituents(rates, target):
    result = resample_rates(rates, target)
    keys = bar_open_times(rates["time"], target)
    groups = [
        (key, rates[[i for i, _ in members]]) for key, members in groupby(enumerate(keys), lambda p: p[1])
    ]

    assert result.dtype == RATES_DTYPE
    assert result["time"].tolist() == [key for key, _ in groups]
    for bar, (_, members) in zip(result, groups, strict=True):
        assert bar["open"] == members["open"][0]
        assert bar["high"] == members["high"].max()
        assert bar["low"] == members["low"].min()
        assert bar["close"] == members["close"][-1]
        assert bar["tick_volume"] == int(members["tick_volume"].sum())
        assert bar["spread"] == members["spread"].min()
        assert bar["real_volume"] == int(members["real_volume"].sum())
    assert result["tick_volume"].sum() == rates["tick_volume"].sum()
    assert np.all(np.diff(result["time"]) > 0)


@settings(max_examples=100, deadline=None)
@given(rates=minute_bars(), data=st.data())
def test_resampling_in_two_steps_equals_one_step(rates, data):
    middle = data.draw(st.sampled_from(["M5", "M15", "H1", "H4", "D1"]))
    target = data.draw(st.sampled_from([tf for tf in TIMEFRAMES if can_resample(middle, tf)]))
    np.testing.assert_array_equal(
        resample_rates(resample_rates(rates, middle), target), resample_rates(rates, target)
    )


@settings(max_examples=200)
@given(seconds=st.integers(*SECONDS_2000_TO_2040))
def test_w1_bars_open_on_monday_and_mn1_bars_on_the_first(seconds):
    week_open = int(bar_open_times(np.array([seconds]), "W1")[0])
    month_open = int(bar_open_times(np.array([seconds]), "MN1")[0])
    week_start = datetime.fromtimestamp(week_open, tz=timezone.utc)
    month_start = datetime.fromtimestamp(month_open, tz=timezone.utc)
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc)

    assert week_start.weekday() == 0 and week_start.time().isoformat() == "00:00:00"
    assert 0 <= seconds - week_open < 7 * 86400
    assert (month_start.year, month_start.month, month_start.day) == (moment.year, moment.month, 1)
    assert month_start.time().isoformat() == "00:00:00"


def test_known_calendar_bar_open_times():
    sunday_evening = int(datetime(2017, 1, 1, 22, tzinfo=timezone.utc).timestamp())
    leap_day = int(datetime(2016, 2, 29, 13, 45, tzinfo=timezone.utc).timestamp())
    assert (
        bar_open_times(np.array([sunday_evening]), "W1")[0]
        == datetime(2016, 12, 26, tzinfo=timezone.utc).timestamp()
    )
    assert (
        bar_open_times(np.array([leap_day]), "MN1")[0]
        == datetime(2016, 2, 1, tzinfo=timezone.utc).timestamp()
    )
    assert (
        bar_open_times(np.array([leap_day]), "H4")[0]
        == datetime(2016, 2, 29, 12, tzinfo=timezone.utc).timestamp()
    )


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("M1", "M5", True),
        ("M1", "MN1", True),
        ("H1", "H4", True),
        ("H1", "D1", True),
        ("H1", "W1", True),
        ("H4", "H12", True),
        ("D1", "MN1", True),
        ("H3", "H4", False),
        ("H2", "H3", False),
        ("H4", "H1", False),
        ("H1", "H1", False),
        ("W1", "MN1", False),
        ("M30", "H1", True),
    ],
)
def test_can_resample(source, target, expected):
    assert can_resample(source, target) is expected


@pytest.mark.parametrize("target", list(TIMEFRAMES))
def test_every_fixed_timeframe_is_buildable_from_m1(target):
    assert can_resample("M1", target) is (target != "M1")


def test_resample_refuses_unsorted_bars_and_accepts_empty():
    rates = np.zeros(2, dtype=RATES_DTYPE)
    rates["time"] = [120, 60]
    with pytest.raises(ValueError, match="sorted"):
        resample_rates(rates, "H1")
    assert resample_rates(np.empty(0, dtype=RATES_DTYPE), "H1").size == 0
