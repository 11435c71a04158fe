"""Stochastic, Williams %R, CCI and ADX against TA-Lib on the real sample."""

from __future__ import annotations

import numpy as np
import pytest
import talib

from mas.strategy.indicators import ADX, CCI, Stochastic, WilliamsR


def streamed(indicator, high, low, close, pick=float):
    out = []
    for h, lo, c in zip(high, low, close, strict=True):
        value = indicator.update(h, lo, c)
        out.append(np.nan if value is None else pick(value))
    return np.array(out)


@pytest.mark.parametrize(("make", "reference", "pick"), [
    (lambda: ADX(14), lambda h, lo, c: talib.ADX(h, lo, c, 14), float),
    (lambda: ADX(5), lambda h, lo, c: talib.ADX(h, lo, c, 5), float),
    (lambda: CCI(20), lambda h, lo, c: talib.CCI(h, lo, c, 20), float),
    (lambda: WilliamsR(14), lambda h, lo, c: talib.WILLR(h, lo, c, 14), float),
    (lambda: Stochastic(14, 3, 3), lambda h, lo, c: talib.STOCH(h, lo, c, 14, 3, 0, 3, 0)[0], lambda v: v.k),
    (lambda: Stochastic(5, 3, 4), lambda h, lo, c: talib.STOCH(h, lo, c, 5, 3, 0, 4, 0)[1], lambda v: v.d),
])
def test_streaming_indicator_matches_talib(sample, make, reference, pick):
    h, lo, c = (sample[x].to_numpy(float) for x in ("high", "low", "close"))
    got, expected = streamed(make(), h, lo, c, pick), reference(h, lo, c)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-9, equal_nan=True)


def test_flat_ranges_give_talibs_zero():
    flat = [1.0] * 30
    assert streamed(WilliamsR(5), flat, flat, flat)[-1] == 0.0
    assert streamed(CCI(5), flat, flat, flat)[-1] == 0.0
    assert streamed(Stochastic(5, 3, 3), flat, flat, flat, lambda v: v.k)[-1] == 0.0
