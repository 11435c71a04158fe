"""The optimizer's in-memory replay is subscribe_bars' backtest."""

from __future__ import annotations

import numpy as np
import pytest

from mas.app import load_strategy
from mas.vector.market_data import MarketData

from .conftest import Q1


@pytest.mark.parametrize("name, params", [("ma", {"fast": 5, "slow": 20}), ("kd", {}), ("bband", {"nbdev": 1.5})])
def test_replay_equals_subscribe_bars(name, params):
    from mas.optimize.replay import replay

    settings = {"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"], "commission": 3.5,
                "spread": 12}
    reference = load_strategy(name, params)
    reference.subscribe_bars({**settings, "backtest_toggle": True})
    expected = reference.backtest_result
    result = replay(load_strategy(name, params), MarketData.load(settings))
    assert [t.as_dict() for t in result.trades] == [t.as_dict() for t in expected.trades]
    np.testing.assert_array_equal(result.equity, expected.equity)
    np.testing.assert_array_equal(result.equity_times, expected.equity_times)
    assert {k: v for k, v in result.settings.items() if k != "elapsed_seconds"} == \
        {k: v for k, v in expected.settings.items() if k != "elapsed_seconds"}


def test_a_window_holds_only_its_bars():
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"]})
    times = data.times()
    window = data.window(int(times[100]), int(times[200]))
    assert window.series["EURUSD"].rates["time"].tolist() == times[100:200].tolist()
    with pytest.raises(ValueError, match="no EURUSD bars between"):
        data.window(0, 1)
