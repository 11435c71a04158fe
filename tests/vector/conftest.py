"""Fixtures of the vectorized engine's tests: the bundled EURUSD H1 2017 sample as the fast path sees it."""

from __future__ import annotations

import pytest

from mas.sim.market import prepare_rates
from mas.sim.symbols import resolve_spec
from mas.vector.candles import Candles
from mas.vector.market_data import MarketData

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31"}
"""The whole bundled sample: about 6,200 bars."""
QUARTER = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-03-31"}
"""Its first three months: about 1,500 bars."""


def candles_of(data: MarketData) -> Candles:
    """The candles the fast path reads: bid OHLC (the data's spread), tick volume."""
    symbol = resolve_spec("EURUSD")
    return Candles.from_rates(prepare_rates(data.series["EURUSD"], symbol, None)[0], symbol.point)


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory) -> dict[str, MarketData]:
    """The year and the quarter of the bundled sample, read with an empty MAS_HOME."""
    from mas.data.store import clear_cache

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAS_HOME", str(tmp_path_factory.mktemp("mas_home")))
        clear_cache()
        data = {"year": MarketData.load(YEAR), "quarter": MarketData.load(QUARTER)}
        clear_cache()
    return data


@pytest.fixture(scope="session")
def sample_candles(sample_data) -> dict[str, Candles]:
    """:func:`sample_data` as candles."""
    return {name: candles_of(data) for name, data in sample_data.items()}
