"""Indicators: streaming == vectorized == TA-Lib on the real sample, KD against the MAS docs, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
import talib
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.strategy import indicators as ind

from .reference import kd_as_documented

TOL = 1e-9


def stream(indicator, *columns, width: int = 1) -> np.ndarray:
    """Feed the columns bar by bar: an array of the outputs (``width`` columns), NaN while warming up."""
    rows = []
    for values in zip(*columns, strict=True):
        out = indicator.update(*(float(v) for v in values))
        if out is None:
            rows.append([math.nan] * width)
        else:
            rows.append(list(out) if isinstance(out, tuple) else [out])
    arr = np.array(rows, dtype=float).reshape(-1, width)
    return arr[:, 0] if width == 1 else arr


def assert_same(actual, expected, tol: float = TOL, rtol: float = 0.0) -> None:
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), err_msg="warm-up differs")
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=tol, equal_nan=True)


@pytest.fixture(scope="module")
def hlc(sample):
    return tuple(sample[k].to_numpy(dtype=float) for k in ("high", "low", "close"))


# ------------------------------------------------------------------- TA-Lib on the real sample


@pytest.mark.parametrize("n", [1, 2, 5, 14, 20, 50, 200])
@pytest.mark.parametrize(
    ("cls", "func", "ref"),
    [
        (ind.SMA, ind.sma, talib.SMA),
        (ind.EMA, ind.ema, talib.EMA),
        (ind.WMA, ind.wma, talib.WMA),
    ],
    ids=["sma", "ema", "wma"],
)
def test_moving_averages_match_talib(sample, cls, func, ref, n):
    close = sample["close"].to_numpy(dtype=float)
    if n == 1 and ref is talib.EMA:
        expected = close.copy()  # TA-Lib refuses EMA(1); it is the series itself
    else:
        expected = ref(close, timeperiod=n)
    assert_same(stream(cls(n), close), expected)
    assert_same(func(close, n), expected)


@pytest.mark.parametrize("n", [2, 5, 14, 30, 100])
def test_highest_lowest_match_talib(sample, n):
    high, low = sample["high"].to_numpy(dtype=float), sample["low"].to_numpy(dtype=float)
    assert_same(stream(ind.Highest(n), high), talib.MAX(high, timeperiod=n), tol=0.0)
    assert_same(stream(ind.Lowest(n), low), talib.MIN(low, timeperiod=n), tol=0.0)
    assert_same(ind.highest(high, n), talib.MAX(high, timeperiod=n), tol=0.0)
    assert_same(ind.lowest(low, n), talib.MIN(low, timeperiod=n), tol=0.0)


@pytest.mark.parametrize("n", [2, 6, 14, 30])
def test_rsi_matches_talib(sample, n):
    close = sample["close"].to_numpy(dtype=float)
    expected = talib.RSI(close, timeperiod=n)
    assert_same(stream(ind.RSI(n), close), expected)
    assert_same(ind.rsi(close, n), expected)


@pytest.mark.parametrize(("fast", "slow", "signal"), [(12, 26, 9), (5, 35, 5), (3, 10, 16), (2, 3, 1)])
def test_macd_matches_talib(sample, fast, slow, signal):
    close = sample["close"].to_numpy(dtype=float)
    expected = np.column_stack(talib.MACD(close, fastperiod=fast, slowperiod=slow, signalperiod=signal))
    assert_same(stream(ind.MACD(fast, slow, signal), close, width=3), expected)
    assert_same(np.column_stack(ind.macd(close, fast, slow, signal)), expected)


def test_macd_line_starts_with_the_slow_ema(sample):
    close = sample["close"].to_numpy(dtype=float)[:40]
    m = ind.MACD()
    lines = []
    for x in close:
        m.update(float(x))
        lines.append(math.nan if m.macd_line is None else m.macd_line)
    assert np.isnan(lines[:25]).all() and not np.isnan(lines[25:]).any()
    # from bar 33 on it is TA-Lib's MACD line
    assert_same(lines[33:], talib.MACD(close, 12, 26, 9)[0][33:])


@pytest.mark.parametrize(("n", "nbdev"), [(20, 2.0), (10, 1.5), (2, 1.0), (50, 3.0)])
def test_bollinger_matches_talib(sample, n, nbdev):
    close = sample["close"].to_numpy(dtype=float)
    expected = np.column_stack(talib.BBANDS(close, timeperiod=n, nbdevup=nbdev, nbdevdn=nbdev, matype=0))
    assert_same(stream(ind.BollingerBands(n, nbdev), close, width=3), expected)
    assert_same(np.column_stack(ind.bollinger_bands(close, n, nbdev)), expected)


@pytest.mark.parametrize("n", [1, 5, 14, 30])
def test_atr_matches_talib(sample, hlc, n):
    high, low, close = hlc
    expected = talib.ATR(high, low, close, timeperiod=n)
    if n == 1:  # TA-Lib's ATR(1) is its TRANGE
        expected = talib.TRANGE(high, low, close)
    assert_same(stream(ind.ATR(n), high, low, close), expected)
    assert_same(ind.atr(high, low, close, n), expected)


def test_true_range_matches_talib(sample, hlc):
    high, low, close = hlc
    expected = talib.TRANGE(high, low, close)
    assert_same(stream(ind.TrueRange(), high, low, close), expected, tol=0.0)
    assert_same(ind.true_range(high, low, close), expected, tol=0.0)


def test_wilder_is_the_rsi_and_atr_smoothing(sample, hlc):
    high, low, close = hlc
    tr = talib.TRANGE(high, low, close)[1:]
    expected = talib.ATR(high, low, close, timeperiod=14)[1:]
    assert_same(stream(ind.WilderMA(14), tr), expected)
    assert_same(ind.wilder(tr, 14), expected)


# ------------------------------------------------------------------- KD: the MAS docs' formula


def test_kd_matches_the_docs_formula(sample, hlc):
    high, low, close = (list(map(float, a)) for a in hlc)
    k, d = kd_as_documented(high, low, close)
    expected = np.column_stack([k, d])
    assert not np.isnan(expected[8:]).any()  # no zero-range 9-bar window in the sample
    assert_same(stream(ind.KD(9, 3, 3), high, low, close, width=2), expected)
    assert_same(np.column_stack(ind.kd(high, low, close, 9, 3, 3)), expected)


def test_kd_first_value_starts_from_50():
    kd = ind.KD(3, 3, 3)
    assert kd.update(2.0, 1.0, 1.5) is None
    assert kd.update(2.0, 1.0, 1.5) is None
    k, d = kd.update(3.0, 1.0, 3.0)  # RSV = 100
    assert k == pytest.approx(2 / 3 * 50 + 100 / 3)
    assert d == pytest.approx(2 / 3 * 50 + k / 3)


def test_kd_zero_range_gives_neutral_rsv():
    kd = ind.KD(2, 3, 3)
    kd.update(1.0, 1.0, 1.0)
    assert kd.update(1.0, 1.0, 1.0) == (50.0, 50.0)
    k, d = ind.kd([1.0, 1.0], [1.0, 1.0], [1.0, 1.0], 2)
    assert (k[1], d[1]) == (50.0, 50.0)


# ------------------------------------------------------------------- shared helpers and edges


def test_rolling_window_keeps_the_last_n():
    w = ind.RollingStats(3)
    evicted = [w.push(x) for x in [1.0, 2.0, 3.0, 4.0, 10.0]]
    assert evicted == [None, None, None, 1.0, 2.0]
    assert w.values() == [3.0, 4.0, 10.0]
    assert w.total == pytest.approx(17.0)
    assert w.mean() == pytest.approx(17.0 / 3)
    assert w.variance() == pytest.approx(np.var([3.0, 4.0, 10.0]))


def test_vectorized_short_input_is_all_nan():
    assert np.isnan(ind.sma([1.0, 2.0], 3)).all()
    assert np.isnan(ind.ema([1.0, 2.0], 3)).all()
    assert np.isnan(ind.rsi([1.0, 2.0], 3)).all()
    assert all(np.isnan(a).all() for a in ind.macd(np.arange(30.0)))
    assert all(np.isnan(a).all() for a in ind.bollinger_bands([1.0], 2))
    assert len(ind.sma([], 3)) == 0


def test_rsi_of_a_flat_series_is_neutral():
    flat = [1.1] * 30
    assert stream(ind.RSI(14), flat)[-1] == 50.0
    assert ind.rsi(flat, 14)[-1] == 50.0


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: ind.SMA(0), "period"),
        (lambda: ind.EMA(1.5), "period"),
        (lambda: ind.WMA(True), "period"),
        (lambda: ind.RSI(-3), "period"),
        (lambda: ind.MACD(26, 12, 9), "fast"),
        (lambda: ind.MACD(12, 26, 0), "signal"),
        (lambda: ind.BollingerBands(20, -1.0), "nbdev"),
        (lambda: ind.KD(9, 0, 3), "k_smooth"),
        (lambda: ind.Highest(0), "period"),
        (lambda: ind.sma([1.0, 2.0], 0), "n"),
        (lambda: ind.sma([[1.0, 2.0]], 1), "values"),
        (lambda: ind.macd([1.0] * 40, 12, 12), "fast"),
    ],
)
def test_bad_parameters_raise_naming_them(make, name):
    with pytest.raises(ValueError, match=name):
        make()


# ------------------------------------------------------------------- properties

prices = st.lists(st.floats(0.5, 2.0, allow_nan=False), min_size=0, max_size=150)
periods = st.integers(1, 30)


@st.composite
def bars(draw, min_size=0, max_size=150):
    """(high, low, close) with low <= close <= high."""
    n = draw(st.integers(min_size, max_size))
    lows = draw(st.lists(st.floats(0.5, 2.0), min_size=n, max_size=n))
    spans = draw(st.lists(st.floats(0.0, 0.1), min_size=n, max_size=n))
    fracs = draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n))
    high = [lo + s for lo, s in zip(lows, spans, strict=True)]
    close = [lo + f * s for lo, f, s in zip(lows, fracs, spans, strict=True)]
    return high, lows, close


@given(st.floats(-1e6, 1e6), st.integers(1, 60), periods)
def test_averages_of_a_constant_are_the_constant(c, size, n):
    values = [c] * size
    for cls, func in ((ind.SMA, ind.sma), (ind.EMA, ind.ema), (ind.WMA, ind.wma), (ind.WilderMA, ind.wilder)):
        out = stream(cls(n), values)
        assert np.isnan(out).sum() == min(n - 1, size)
        np.testing.assert_allclose(out[n - 1 :], c, rtol=1e-12, atol=1e-9)
        assert_same(func(values, n), out, tol=1e-9, rtol=1e-12)


@given(prices, periods)
def test_rsi_is_within_0_100(values, n):
    for out in (stream(ind.RSI(n), values), ind.rsi(values, n)):
        finite = out[~np.isnan(out)]
        assert ((finite >= 0.0) & (finite <= 100.0)).all()


@given(prices, periods, st.floats(0.0, 4.0))
def test_bollinger_bands_are_ordered(values, n, nbdev):
    for out in (
        stream(ind.BollingerBands(n, nbdev), values, width=3),
        np.column_stack(ind.bollinger_bands(values, n, nbdev)),
    ):
        out = out.reshape(-1, 3)
        rows = out[~np.isnan(out[:, 0])]
        assert (rows[:, 0] >= rows[:, 1]).all() and (rows[:, 1] >= rows[:, 2]).all()


@given(bars(), st.integers(1, 20), st.integers(1, 5), st.integers(1, 5))
def test_kd_is_within_0_100(hlc, n, ks, ds):
    out = stream(ind.KD(n, ks, ds), *hlc, width=2)
    finite = out[~np.isnan(out)]
    assert ((finite >= -1e-9) & (finite <= 100.0 + 1e-9)).all()


@given(prices, periods)
def test_highest_and_lowest_are_the_window_extremes(values, n):
    hi, lo = stream(ind.Highest(n), values), stream(ind.Lowest(n), values)
    for i in range(n - 1, len(values)):
        window = values[i - n + 1 : i + 1]
        assert hi[i] == max(window) and lo[i] == min(window)
    assert np.isnan(hi[: n - 1]).all() and np.isnan(lo[: n - 1]).all()


@settings(max_examples=60)
@given(prices, periods)
def test_streaming_equals_vectorized_and_talib_on_random_series(values, n):
    x = np.array(values, dtype=float)
    cases = [
        (ind.SMA(n), ind.sma(x, n), talib.SMA(x, n) if n > 1 else x),
        (ind.WMA(n), ind.wma(x, n), talib.WMA(x, n) if n > 1 else x),
        (ind.EMA(n), ind.ema(x, n), talib.EMA(x, n) if n > 1 else x),
        (ind.Highest(n), ind.highest(x, n), talib.MAX(x, n) if n > 1 else x),
        (ind.Lowest(n), ind.lowest(x, n), talib.MIN(x, n) if n > 1 else x),
    ]
    for indicator, vectorized, reference in cases:
        assert_same(stream(indicator, x), vectorized)
        assert_same(vectorized, reference)
    bands = np.column_stack(ind.bollinger_bands(x, n)).reshape(-1, 3)
    assert_same(stream(ind.BollingerBands(n, 2.0), x, width=3), bands)
    if n > 1 and len(x):
        assert_same(bands, np.column_stack(talib.BBANDS(x, n, 2.0, 2.0, 0)))


@settings(max_examples=60)
@given(st.lists(st.floats(-0.01, 0.01).filter(lambda d: abs(d) > 1e-6), max_size=150), periods)
def test_rsi_equals_vectorized_and_talib_on_random_walks(steps, n):
    x = 1.1 + np.cumsum(np.array(steps, dtype=float))
    out = stream(ind.RSI(n), x)
    assert_same(out, ind.rsi(x, n), tol=1e-8)
    if n > 1 and len(x):
        assert_same(out, talib.RSI(x, n), tol=1e-8)


@settings(max_examples=60)
@given(prices, st.integers(1, 15), st.integers(1, 20), st.integers(1, 10))
def test_macd_equals_vectorized_and_talib_on_random_series(values, fast, extra, signal):
    slow = fast + extra
    x = np.array(values, dtype=float)
    out = stream(ind.MACD(fast, slow, signal), x, width=3)
    vec = np.column_stack(ind.macd(x, fast, slow, signal)).reshape(-1, 3)
    assert_same(out, vec)
    if fast > 1 and len(x):
        assert_same(vec, np.column_stack(talib.MACD(x, fast, slow, signal)).reshape(-1, 3))


@settings(max_examples=60)
@given(bars(), st.integers(1, 20))
def test_atr_and_kd_streaming_equal_vectorized(hlc, n):
    high, low, close = (np.array(a, dtype=float) for a in hlc)
    out = stream(ind.ATR(n), high, low, close)
    assert (out[~np.isnan(out)] >= 0.0).all()
    assert_same(out, ind.atr(high, low, close, n))
    if n > 1 and len(close):
        assert_same(out, talib.ATR(high, low, close, n))
    assert_same(
        stream(ind.KD(n, 3, 3), high, low, close, width=2),
        np.column_stack(ind.kd(high, low, close, n)).reshape(-1, 2),
    )
