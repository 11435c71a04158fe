"""Resampling equals pandas' aggregation of the same data, with MT5's bar open times."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.data.resample import resample_rates, ticks_to_m1
from mas.data.ticks import make_ticks
from mas.terminal.types import RATES_DTYPE

from .test_resample import minute_bars

PANDAS_RULES = {"M5": "5min", "H1": "1h", "H4": "4h", "D1": "1D", "W1": "W-MON", "MN1": "MS"}


def rates_frame(rates: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame({name: rates[name] for name in RATES_DTYPE.names if name != "time"})
    frame.index = pd.to_datetime(rates["time"], unit="s")
    return frame


@settings(max_examples=60, deadline=None)
@given(rates=minute_bars(), target=st.sampled_from(sorted(PANDAS_RULES)))
def test_m1_resampling_equals_pandas(rates, target):
    ours = resample_rates(rates, target)
    grouped = rates_frame(rates).resample(PANDAS_RULES[target], label="left", closed="left")
    theirs = grouped.agg(
        {"open": "first", "high": "max", "low": "min", "close": "last", "tick_volume": "sum", "spread": "min"}
    ).dropna(subset=["open"])
    assert ours["time"].tolist() == (theirs.index.astype("datetime64[s]").astype(np.int64)).tolist()
    for name in ("open", "high", "low", "close"):
        assert ours[name].tolist() == theirs[name].tolist()
    assert ours["tick_volume"].tolist() == theirs["tick_volume"].astype(np.uint64).tolist()
    assert ours["spread"].tolist() == theirs["spread"].astype(np.int64).tolist()


@st.composite
def tick_stream(draw) -> np.ndarray:
    start = draw(st.integers(946_684_800_000, 2_000_000_000_000))
    steps = np.cumsum(draw(st.lists(st.integers(0, 90_000), min_size=1, max_size=300)))
    size = steps.size
    bid = np.array(draw(st.lists(st.integers(100_000, 101_000), min_size=size, max_size=size))) / 1e5
    spread = np.array(draw(st.lists(st.integers(0, 30), min_size=size, max_size=size)))
    ticks = make_ticks(start + steps, bid, bid + spread / 1e5)
    ticks["volume"] = draw(st.lists(st.integers(0, 100), min_size=size, max_size=size))
    return ticks


@settings(max_examples=80, deadline=None)
@given(ticks=tick_stream())
def test_ticks_to_m1_equals_pandas(ticks):
    ours = ticks_to_m1(ticks, 5)
    frame = pd.DataFrame(
        {"bid": ticks["bid"], "spread": np.rint((ticks["ask"] - ticks["bid"]) * 1e5), "volume": ticks["volume"]},
        index=pd.to_datetime(ticks["time_msc"], unit="ms"),
    )
    theirs = frame.resample("1min").agg(
        open=("bid", "first"),
        high=("bid", "max"),
        low=("bid", "min"),
        close=("bid", "last"),
        ticks=("bid", "count"),
        spread=("spread", "min"),
        volume=("volume", "sum"),
    )
    theirs = theirs[theirs["ticks"] > 0]
    assert ours["time"].tolist() == theirs.index.astype("datetime64[s]").astype(np.int64).tolist()
    for name in ("open", "high", "low", "close"):
        assert ours[name].tolist() == theirs[name].tolist()
    assert ours["tick_volume"].tolist() == theirs["ticks"].tolist()
    assert ours["spread"].tolist() == theirs["spread"].astype(int).tolist()
    assert ours["real_volume"].tolist() == theirs["volume"].tolist()


def test_ticks_to_m1_refuses_unsorted_ticks():
    ticks = make_ticks(np.array([2000, 1000]), np.array([1.0, 1.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="sorted"):
        ticks_to_m1(ticks, 5)
