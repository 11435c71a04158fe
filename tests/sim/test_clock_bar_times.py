"""A replayed bar's ``time`` is the previous bar's plus the step between the chunk's breaks
(:func:`mas.sim.market.step_breaks`), read at the breaks: each bar dict holds numpy's conversion of the bar's epoch
seconds (a naive datetime to the second) across month and year ends, leap days, 1970 and far dates, for M1, H1, D1,
W1 and MN1 steps and gaps of any length; outside datetime's years numpy's own values (ints). The market's clock
(``market.now``) and the bar dicts' other fields stay what the rates say."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mas.data.store import load_bars
from mas.sessions.events import BAR_KEYS
from mas.sim.account import AccountSettings
from mas.sim.clock import CHUNK, run_bars
from mas.sim.market import Market, SymbolTape, items_list, prepare_rates, step_breaks, to_datetimes
from mas.sim.symbols import resolve_spec
from mas.sim.terminal import SimulatedTerminal

STEPS = {"M1": 60, "H1": 3600, "D1": 86400, "W1": 7 * 86400, "MN1": 30 * 86400}
FIRST, LAST = -62_135_596_800, 253_402_300_799  # datetime.min and datetime.max in epoch seconds
AROUND = [0, -86400, 951_782_400, 951_868_800 - 60, 4_107_456_000, 1_483_228_800 - 3600, 1_456_704_000,
          LAST - 90 * 86400, FIRST, LAST - 30 * 86400]
"""1970, the day before, 2000-02-29, its last minute, 2100-03-01 (no leap day), the last hour of 2016, 2016-02-29,
the end of year 9999 and the first day of year 1."""


@st.composite
def bar_times(draw) -> tuple[str, np.ndarray]:
    timeframe = draw(st.sampled_from(sorted(STEPS)))
    step = STEPS[timeframe]
    start = draw(st.one_of(st.sampled_from(AROUND), st.integers(FIRST, LAST)))
    gaps = draw(st.lists(st.one_of(st.just(step), st.just(step), st.integers(1, 40 * 86400)), min_size=0,
                         max_size=80))
    return timeframe, start + np.concatenate(([0], np.cumsum(np.asarray(gaps, dtype=np.int64))))


def chained(times: np.ndarray, step: int) -> list:
    """The replay's way to the bars' datetimes: read at the breaks, the previous one plus the step between."""
    breaks = set(step_breaks(times, step).tolist())
    made, stamp = [], None
    for j in range(len(times)):
        stamp = to_datetimes(times[j:j + 1])[0] if j in breaks else stamp + np.timedelta64(step, "s").item()
        made.append(stamp)
    return made


@settings(max_examples=300, deadline=None)
@given(bar_times())
@example(("MN1", np.array([951_782_400 - 86400 * 28, 951_782_400, 951_782_400 + 30 * 86400], dtype=np.int64)))
def test_breaks_and_steps_make_numpys_datetimes(case):
    timeframe, times = case
    made, expected = chained(times, STEPS[timeframe]), to_datetimes(times)
    assert made == expected
    assert [type(value) for value in made] == [type(value) for value in expected]


def test_breaks_are_the_first_bar_and_the_gaps():
    times = np.array([0, 60, 120, 300, 360, 400], dtype=np.int64)
    assert step_breaks(times, 60).tolist() == [0, 3, 5]
    assert step_breaks(times[:0], 60).tolist() == []
    assert step_breaks(np.array([LAST - 60, LAST, LAST + 60]), 60).tolist() == [0, 1, 2]  # past datetime.max
    assert to_datetimes(np.array([LAST, LAST + 1]))[1] == LAST + 1  # numpy's int there, as the replay hands on


def replayed_bars(rates: np.ndarray, timeframe: str) -> tuple[list[dict], list[int]]:
    spec = resolve_spec("EURUSD", {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}})
    tape = SymbolTape(spec=spec, timeframe=timeframe, rates=rates, price_side_note="test")
    market = Market()
    market.add(tape)
    terminal = SimulatedTerminal(AccountSettings(capital=10_000), {"EURUSD": spec}, market)
    seen: list[dict] = []
    clock: list[int] = []

    def on_bar(symbol: str, bar: dict, is_end: bool) -> None:
        seen.append(bar)
        clock.append(market.now)

    run_bars(terminal, [tape], on_bar)
    return seen, clock


def sample_rates(count: int) -> np.ndarray:
    spec = resolve_spec("EURUSD", {})
    sample, _ = prepare_rates(load_bars("EURUSD", "H1"), spec, None)
    return np.resize(sample, count)


@settings(max_examples=25, deadline=None)
@given(bar_times())
def test_the_replayed_bars_hold_numpys_datetimes(case):
    timeframe, times = case
    rates = sample_rates(len(times))
    rates["time"] = times
    seen, clock = replayed_bars(rates, timeframe)
    expected = to_datetimes(times)
    assert [bar["time"] for bar in seen] == expected
    assert [type(bar["time"]) for bar in seen] == [type(value) for value in expected]
    assert clock == (times + STEPS[timeframe]).tolist()


def test_a_replay_over_two_chunks_with_weekend_gaps():
    rates = sample_rates(CHUNK + 500)
    rates["time"] = 1_483_228_800 + 60 * np.arange(len(rates), dtype=np.int64)
    rates["time"][rates["time"] % (7 * 86400) < 2 * 86400] += 86400  # gaps and bars off the grid
    rates["time"] = np.maximum.accumulate(rates["time"]) + np.arange(len(rates))  # still ascending, some steps odd
    seen, clock = replayed_bars(rates, "M1")
    assert [bar["time"] for bar in seen] == to_datetimes(rates["time"])
    assert all(type(bar["time"]) is datetime for bar in seen)
    assert clock == (rates["time"] + 60).tolist()
    for bar, row in zip(seen[CHUNK - 3:CHUNK + 3], rates[CHUNK - 3:CHUNK + 3], strict=True):
        assert list(bar) == list(BAR_KEYS)
        assert bar["open"] == float(row["open"]) and type(bar["open"]) is float
        assert bar["close"] == float(row["close"]) and type(bar["close"]) is float
        assert bar["volume"] == bar["tick_volume"] == int(row["tick_volume"]) and type(bar["volume"]) is int
        assert bar["spread"] == int(row["spread"]) and bar["real_volume"] == int(row["real_volume"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(width=64), max_size=40), st.lists(st.integers(0, 2**64 - 1), max_size=40),
       st.sampled_from(["<", ">"]), st.integers(1, 3))
def test_items_list_is_tolist(floats_, volumes, order, stride):
    """The bar dicts' prices and volumes (:func:`~mas.sim.market.items_list`): numpy's ``tolist`` to the bit and
    the type, from strided columns in either byte order."""
    prices = np.array(floats_, dtype=f"{order}f8")[::stride]
    ints = np.array(volumes, dtype=f"{order}u8")[::stride]
    for column in (prices, ints):
        made, expected = items_list(column), column.tolist()
        assert [type(x) for x in made] == [type(x) for x in expected]
        assert np.array(made, dtype=column.dtype.newbyteorder("=")).tobytes() == \
            column.astype(column.dtype.newbyteorder("=")).tobytes()
