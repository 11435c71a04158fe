"""A group backtest walks the path inside each bar with the model of a plain backtest ('ohlc', 'every_tick')."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from backtest.test_ohlc_model import m1_hour as _m1_hour
from mas import MAS
from mas.app.group_backtests import run_group_backtest
from mas.data.store import save_bars


class BracketBuy(MAS):
    """One buy with a stop and a target, at the first bar."""

    def receive_bars(self, symbol, data, is_end):
        if not hasattr(self, "sent"):
            self.sent = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "sl": 1.0950,
                                         "tp": 1.1050, "backtest_toggle": True})


@pytest.mark.parametrize(("model", "reason", "price"), [("open_prices", "sl", 1.0950), ("ohlc", "tp", 1.1050),
                                                        ("every_tick", "tp", 1.1050)])
def test_each_account_exits_where_the_models_path_says(model, reason, price):
    """In 10:00-11:00 the price rises to the TP first, then falls through the SL: without M1 detail the bullish H1
    bar is walked open -> low -> high (the SL first); with it ('ohlc', 'every_tick') the TP is hit first, at 10:09,
    on every account."""
    flat = _m1_hour("2017-03-06 09:00", [(0, 1.1), (59, 1.1)])
    swing = _m1_hour("2017-03-06 10:00", [(0, 1.1), (10, 1.1060), (40, 1.0940), (59, 1.1010)])
    after = _m1_hour("2017-03-06 11:00", [(0, 1.1010), (59, 1.1010)])
    save_bars("EURUSD", "M1", np.concatenate([flat, swing, after]), price_side="bid", has_spread=False)
    result = run_group_backtest(BracketBuy(), {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-06",
                                               "to": "2017-03-06", "spread": 0, "model": model},
                                [{"name": "a", "deposit": 10_000}, {"name": "b", "deposit": 30_000}],
                                allocation="multiplier", multipliers={"b": 3})
    for name, lots in (("a", 0.1), ("b", 0.3)):
        (trade,) = result.results[name].trades
        assert (trade.volume, trade.exit_reason) == (lots, reason)
        if model == "every_tick":  # a synthesized tick may jump past the target: filled there, never worse
            assert trade.close_price >= price
        else:
            assert trade.close_price == pytest.approx(price)
        if model != "open_prices":
            close = trade.close_time if isinstance(trade.close_time, datetime) else \
                datetime.fromisoformat(str(trade.close_time))
            assert datetime(2017, 3, 6, 10, 9) <= close.replace(tzinfo=None) < datetime(2017, 3, 6, 10, 10)
