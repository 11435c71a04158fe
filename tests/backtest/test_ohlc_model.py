"""The 'ohlc' model: M1 bars drive the path inside each bar (the MT5 tester's 1-minute OHLC)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

import mas
from mas.data.store import MissingDataError, save_bars
from mas.terminal.types import RATES_DTYPE
from sim.terminals import epoch


def m1_hour(start: str, path: list[tuple[int, float]]) -> np.ndarray:
    """60 M1 bars from ``start`` whose closes follow the (minute, price) waypoints linearly."""
    minutes, prices = zip(*path, strict=True)
    closes = np.interp(np.arange(60), minutes, prices).round(5)
    opens = np.concatenate(([closes[0]], closes[:-1]))
    rates = np.zeros(60, dtype=RATES_DTYPE)
    rates["time"] = epoch(start) + 60 * np.arange(60)
    rates["open"], rates["close"] = opens, closes
    rates["high"] = np.maximum(opens, closes)
    rates["low"] = np.minimum(opens, closes)
    return rates


class BracketBuy(mas):
    def receive_bars(self, symbol, data, is_end):
        if not hasattr(self, "sent"):
            self.sent = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "sl": 1.0950,
                                         "tp": 1.1050, "backtest_toggle": True})


@pytest.mark.parametrize(("model", "reason"), [("open_prices", 4), ("ohlc", 5)])
def test_m1_path_decides_which_stop_is_hit_first(model, reason):
    flat = m1_hour("2017-03-06 09:00", [(0, 1.1), (59, 1.1)])
    # within 10:00-11:00 the price rises to the TP first, then falls through the SL, and closes up
    swing = m1_hour("2017-03-06 10:00", [(0, 1.1), (10, 1.1060), (40, 1.0940), (59, 1.1010)])
    after = m1_hour("2017-03-06 11:00", [(0, 1.1010), (59, 1.1010)])
    save_bars("EURUSD", "M1", np.concatenate([flat, swing, after]), price_side="bid", has_spread=False)
    client = BracketBuy()
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-06", "to": "2017-03-06",
                           "spread": 0, "model": model, "backtest_toggle": True})
    exits = [d for d in client.get_order_history() if d["entry"] == 1]
    assert len(exits) == 1 and exits[0]["reason"] == reason
    # a bullish H1 bar is walked open -> low -> high: the SL comes first without M1 detail
    assert exits[0]["price"] == pytest.approx(1.0950 if reason == 4 else 1.1050)
    if model == "ohlc":
        # inside the M1 bar of 10:09 (the walk interpolates the time along the minute's path)
        # get_order_history gives the deal time as a datetime (as the original SDK does)
        assert datetime(2017, 3, 6, 10, 9) <= exits[0]["time"] < datetime(2017, 3, 6, 10, 10)


def test_ohlc_model_without_m1_data_names_what_is_missing():
    with pytest.raises(MissingDataError, match="M1"):
        BracketBuy().subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-06",
                                     "to": "2017-03-07", "model": "ohlc", "backtest_toggle": True})
