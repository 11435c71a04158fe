"""The faster ways of building a replay give exactly what the plain ways gave (issue 19).

- ``shared_floats`` (one float object per distinct price) is ``tolist`` bit for bit;
- ``rollover_counts`` (one time-zone conversion per UTC hour) is the per-time conversion;
- ``prepare_rates`` without a copy (bid data with its own spreads) holds what the copy held;
- a whole backtest with swaps, built the fast way, trades and values the account as one built the plain way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mas
import mas.sim.market as market
from mas.build_info import engine_build
from mas.data.store import BarSeries, load_bars
from mas.sim.market import prepare_rates, price_lists, rollover_counts, shared_floats
from mas.sim.settings import BacktestSettings
from mas.terminal.types import RATES_DTYPE

POINT = 1e-5


def _bits(values: list) -> np.ndarray:
    assert all(type(v) is float for v in values)
    return np.array(values, dtype=np.float64).view(np.int64)


def _plain_rollovers(times: np.ndarray, triple_day: int) -> np.ndarray:
    """The per-time computation ``rollover_counts`` made before (the reference)."""
    t = np.asarray(times, dtype=np.int64)
    if t.size == 0:
        return np.zeros(0, dtype=np.int64)
    ny = pd.to_datetime(t, unit="s", utc=True).tz_convert("America/New_York").tz_localize(None)
    session_day = (ny - pd.Timedelta(hours=17)).normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
    weights = np.array([market._night_weight((d + 4) % 7, triple_day) for d in range(7)], dtype=np.int64)
    prefix = np.concatenate(([0], np.cumsum(weights)))

    def cumulative(day: np.ndarray) -> np.ndarray:
        return (day // 7) * int(weights.sum()) + prefix[(day % 7) + 1]

    counts = np.zeros(t.size, dtype=np.int64)
    counts[1:] = cumulative(session_day[1:]) - cumulative(session_day[:-1])
    return counts


@pytest.fixture
def sample():
    return load_bars("EURUSD", "H1").rates


def test_shared_floats_are_tolist_on_the_sample(sample):
    for name in ("open", "high", "low", "close"):
        shared = shared_floats(sample[name], POINT, 0)
        np.testing.assert_array_equal(_bits(shared), sample[name].view(np.int64) if sample[name].flags.c_contiguous
                                      else np.ascontiguousarray(sample[name]).view(np.int64))
        assert len({id(v) for v in shared}) < len(shared)  # shared objects: the point of it
    spreads = sample["spread"].astype(np.float64) * POINT
    np.testing.assert_array_equal(_bits(shared_floats(spreads, POINT, 0)), spreads.view(np.int64))


def test_price_lists_are_the_columns_as_lists(sample):
    times, open_, high, low, close, spread = price_lists(sample, POINT)
    assert times == sample["time"].tolist()
    for got, name in ((open_, "open"), (high, "high"), (low, "low"), (close, "close")):
        np.testing.assert_array_equal(_bits(got), np.ascontiguousarray(sample[name]).view(np.int64))
    np.testing.assert_array_equal(_bits(spread), (sample["spread"].astype(np.float64) * POINT).view(np.int64))


def test_price_lists_of_a_long_minute_series():
    rng = np.random.default_rng(5)
    rates = np.zeros(market._MIN_SHARED + 1, dtype=RATES_DTYPE)
    rates["time"] = 1_483_315_200 + 60 * np.arange(rates.size)
    rates["open"] = np.round(1.1 + np.cumsum(rng.normal(0, 0.0001, rates.size)), 5)
    rates["close"] = np.round(rates["open"] + rng.normal(0, 0.0001, rates.size), 5)
    rates["high"] = np.maximum(rates["open"], rates["close"]) + 0.0001
    rates["low"] = np.round(np.minimum(rates["open"], rates["close"]) - 0.00002, 5)
    rates["spread"] = rng.integers(5, 20, rates.size)
    lists = price_lists(rates, POINT)
    assert lists[0] == rates["time"].tolist()
    for got, name in zip(lists[1:5], ("open", "high", "low", "close"), strict=True):
        np.testing.assert_array_equal(_bits(got), np.ascontiguousarray(rates[name]).view(np.int64))
    np.testing.assert_array_equal(_bits(lists[5]), (rates["spread"].astype(np.float64) * POINT).view(np.int64))
    assert len({id(v) for v in lists[4]}) < rates.size / 10 and len({id(v) for v in lists[5]}) == 15


def test_minute_prices_share_a_few_objects():
    rng = np.random.default_rng(11)
    closes = np.round(1.1 + np.cumsum(rng.normal(0, 0.0001, 50_000)), 5)  # a random walk of M1 closes
    shared = shared_floats(closes, POINT, 0)
    np.testing.assert_array_equal(_bits(shared), closes.view(np.int64))
    assert len({id(v) for v in shared}) == np.unique(closes).size < closes.size / 10


def test_shared_floats_fall_back_where_a_table_cannot_hold_the_prices():
    rng = np.random.default_rng(3)
    off_grid = np.round(1.1 + rng.normal(0, 0.001, 10_000), 7)  # two prices in one point: tolist
    wide = np.linspace(1.0, 1e6, 10_000)  # a million points apart: tolist
    special = np.full(10_000, 1.2)
    special[::7], special[1::7], special[2::7] = np.nan, 0.0, -0.0
    for values in (off_grid, wide, special):
        got = shared_floats(values, POINT, 0)
        np.testing.assert_array_equal(_bits(got), values.view(np.int64))
    assert shared_floats(np.zeros(0), POINT, 0) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-2_000, 2_000), min_size=0, max_size=6_000), st.sampled_from([1e-5, 1e-3, 0.01, 0.25]),
       st.floats(0.5, 200.0), st.booleans())
def test_shared_floats_equal_tolist_on_random_series(steps, point, base, jitter):
    values = np.round(base + np.asarray(steps, dtype=np.float64) * point, 10)
    if jitter and values.size:
        values[::3] = np.nextafter(values[::3], np.inf)  # a price a hair off its grid step
    got = shared_floats(values, point, 0)
    assert len(got) == values.size
    np.testing.assert_array_equal(_bits(got), values.view(np.int64))


def test_rollover_counts_on_the_sample_and_minutes_across_daylight_saving(sample):
    for day in (1, 3, 5):
        np.testing.assert_array_equal(rollover_counts(sample["time"], day), _plain_rollovers(sample["time"], day))
    # every minute of 2017-03-08 .. 2017-03-15 and 2017-10-30 .. 2017-11-08 (both DST switches in New York)
    minutes = np.concatenate([np.arange(1488931200, 1489536000, 60), np.arange(1509321600, 1510099200, 60)])
    np.testing.assert_array_equal(rollover_counts(minutes, 3), _plain_rollovers(minutes, 3))
    assert rollover_counts(np.zeros(0, dtype=np.int64), 3).size == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2_000_000_000), min_size=1, max_size=400), st.integers(0, 6), st.booleans())
def test_rollover_counts_equal_the_per_time_conversion(times, triple_day, sort):
    t = np.asarray(sorted(times) if sort else times, dtype=np.int64)
    np.testing.assert_array_equal(rollover_counts(t, triple_day), _plain_rollovers(t, triple_day))


def _series(rates: np.ndarray, side: str, has_spread: bool) -> BarSeries:
    return BarSeries("EURUSD", "H1", rates, price_side=side, has_spread=has_spread, source="test")


def _plain_prepare(series: BarSeries, spec, spread_points):
    """What ``prepare_rates`` returned before: always a copy, changed as needed."""
    rates = series.rates.copy()
    if spread_points is not None:
        rates["spread"] = int(spread_points)
    elif not series.has_spread:
        rates["spread"] = spec.spread
    if series.price_side == "ask":
        shift = rates["spread"].astype(np.float64) * spec.point
        if shift.any():
            for col in ("open", "high", "low", "close"):
                rates[col] = np.round(rates[col] - shift, spec.digits + 2)
    return rates


def test_prepare_rates_holds_what_the_copy_held(sample):
    spec = BacktestSettings(symbols=["EURUSD"], timeframe="H1", start=None, end=None).specs()["EURUSD"]
    varied = sample.copy()
    varied["spread"] = np.arange(varied.size) % 17
    varied.flags.writeable = False
    constant = sample.copy()
    constant["spread"] = 7
    constant.flags.writeable = False
    zero = sample.copy()
    zero["spread"] = 0
    zero.flags.writeable = False
    for rates in (varied, constant, zero):
        for side in ("bid", "ask"):
            for has_spread in (True, False):
                for spread in (None, 0, 7, 12):
                    series = _series(rates, side, has_spread)
                    got, _ = prepare_rates(series, spec, spread)
                    expected = _plain_prepare(series, spec, spread)
                    assert got.dtype == RATES_DTYPE
                    np.testing.assert_array_equal(got, expected)
    kept, note = prepare_rates(_series(varied, "bid", True), spec, None)
    assert kept is varied and note == "bid prices from the data"  # bid data with its spreads: not copied
    assert prepare_rates(_series(constant, "bid", True), spec, 7)[0] is constant  # the spread asked is the stored one
    kept, note = prepare_rates(_series(zero, "ask", False), spec, 0)  # ask data without a spread is its own bid
    assert kept is zero and note == "the data is ask-side: bid = ask - spread"
    assert prepare_rates(_series(zero, "ask", True), spec, None)[0] is zero
    assert prepare_rates(_series(zero, "ask", True), spec, 3)[0] is not zero  # a spread to take off: a copy


class _Flip(mas):
    """Long while SMA(5) > SMA(20), short while below, as the documentation writes a strategy."""

    def __init__(self):
        super().__init__()
        self.closes, self.side, self.order_id = [], 0, None

    def receive_bars(self, symbol, data, is_end):
        self.closes.append(data["close"])
        if len(self.closes) < 20 or is_end:
            return
        want = 1 if sum(self.closes[-5:]) / 5 > sum(self.closes[-20:]) / 20 else -1
        if want != self.side:
            if self.order_id is not None:
                self.send_order({"symbol": symbol, "order_type": "sell" if self.side > 0 else "buy", "volume": 0.1,
                                 "order_id": self.order_id, "backtest_toggle": True})
            self.order_id = self.send_order({"symbol": symbol, "order_type": "buy" if want > 0 else "sell",
                                             "volume": 0.1, "backtest_toggle": True})
            self.side = want


def _run() -> tuple:
    client = _Flip()
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "capital": 10_000, "backtest_toggle": True})
    result = client.backtest_result
    trades = [(t.open_time, t.close_time, t.open_price, t.close_price, t.profit, t.swap) for t in result.trades]
    return trades, result.equity.copy(), result.balance.copy()


@pytest.mark.skipif(engine_build() != "pure Python", reason="the plain paths are patched in by name: pure Python only")
def test_a_backtest_built_the_fast_way_equals_one_built_the_plain_way(monkeypatch):
    fast_trades, fast_equity, fast_balance = _run()
    assert any(swap != 0 for *_, swap in fast_trades)  # swaps charged: the rollovers matter
    monkeypatch.setattr(market, "_MIN_SHARED", 0)  # the sample is short: share its prices anyway
    fast_trades, fast_equity, fast_balance = _run()
    monkeypatch.setattr(market, "shared_floats", lambda values, point, size: np.ascontiguousarray(values).tolist())
    monkeypatch.setattr(market, "rollover_counts", _plain_rollovers)
    monkeypatch.setattr("mas.backtest.session.prepare_rates",
                        lambda series, spec, spread: (_plain_prepare(series, spec, spread), "bid prices from the data"))
    plain_trades, plain_equity, plain_balance = _run()
    assert fast_trades == plain_trades and len(fast_trades) > 50
    np.testing.assert_array_equal(fast_equity.view(np.int64), plain_equity.view(np.int64))
    np.testing.assert_array_equal(fast_balance.view(np.int64), plain_balance.view(np.int64))


def test_a_large_file_is_read_again_instead_of_kept_and_reads_the_same(monkeypatch):
    """A file of more than ``CACHE_MAX_BARS`` bars is not kept in the in-process cache (the replay makes its own
    copy of the bars); each load reads it again, column by column, and gives the same bars. What is resampled
    from it is still kept."""
    import mas.data.store as store
    from mas.data.store import clear_cache, save_bars

    rates = load_bars("EURUSD", "H1").rates[:3000].copy()
    save_bars("EURUSDX", "H1", rates, price_side="bid", has_spread=True)
    clear_cache()
    kept = load_bars("EURUSDX", "H1").rates
    assert len(store._file_cache) == 1
    monkeypatch.setattr(store, "CACHE_MAX_BARS", 2999)
    clear_cache()
    first, second = load_bars("EURUSDX", "H1").rates, load_bars("EURUSDX", "H1").rates
    assert not store._file_cache and not np.shares_memory(first, second)
    np.testing.assert_array_equal(first, kept)
    np.testing.assert_array_equal(second, rates)
    assert not first.flags.writeable
    daily = load_bars("EURUSDX", "D1").rates
    again = load_bars("EURUSDX", "D1").rates
    assert np.shares_memory(again, daily) and not store._file_cache  # the resampled bars are kept


class _Counter(mas):
    """Trades on a bar count only: its ``receive_bars`` never reads its bar (the replay hands it one shared dict)."""

    def __init__(self):
        super().__init__()
        self.count, self.order_id = 0, None

    def receive_bars(self, symbol, data, is_end):
        self.count += 1
        if self.count % 97 == 0:
            if self.order_id is not None:
                self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1, "order_id": self.order_id,
                                 "backtest_toggle": True})
            self.order_id = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                             "backtest_toggle": True})


class _Reader(_Counter):
    """The same trades; reads (and keeps) every bar, so it gets a dict of its own per bar."""

    def __init__(self):
        super().__init__()
        self.bars = []

    def receive_bars(self, symbol, data, is_end):
        self.bars.append(data)
        super().receive_bars(symbol, data, is_end)


def test_a_strategy_that_never_reads_its_bars_trades_and_values_the_same():
    params = {"symbol": "EURUSD", "timeframe": "H1", "capital": 10_000, "backtest_toggle": True}
    counter, reader = _Counter(), _Reader()
    counter.subscribe_bars(params)
    reader.subscribe_bars(params)
    ours, theirs = counter.backtest_result, reader.backtest_result
    assert [(t.open_time, t.close_price, t.profit) for t in ours.trades] == [
        (t.open_time, t.close_price, t.profit) for t in theirs.trades] and len(ours.trades) > 20
    np.testing.assert_array_equal(ours.equity, theirs.equity)
    rates = theirs.bars["EURUSD"]  # the replayed bars (bid prices)
    assert len(reader.bars) == len(rates) == counter.count and len({id(b) for b in reader.bars}) == len(rates)
    for k in (0, 1, len(rates) // 2, len(rates) - 1):
        bar, row = reader.bars[k], rates[k]
        assert bar["time"] == pd.Timestamp(int(row["time"]), unit="s").to_pydatetime()
        assert (bar["open"], bar["high"], bar["low"], bar["close"]) == tuple(float(row[f]) for f in
                                                                              ("open", "high", "low", "close"))
        assert bar["volume"] == bar["tick_volume"] == int(row["tick_volume"]) and bar["symbol"] == "EURUSD"
        assert list(bar) == ["symbol", "timeframe", "time", "open", "high", "low", "close", "volume", "tick_volume",
                             "spread", "real_volume"]
