"""Tick replays (subscribe_ticks) and the tick models of bar replays."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

import mas
from mas.data.store import MissingDataError, save_bars
from mas.data.tick_store import save_ticks
from mas.terminal import constants as c
from mas.terminal.types import TICKS_DTYPE
from sim.terminals import epoch

from .test_ohlc_model import BracketBuy, m1_hour


def make_ticks(start: str, bids: list[float], spread: float = 0.0001, step_ms: int = 500) -> np.ndarray:
    ticks = np.zeros(len(bids), dtype=TICKS_DTYPE)
    ticks["time_msc"] = epoch(start) * 1000 + step_ms * np.arange(len(bids))
    ticks["time"] = ticks["time_msc"] // 1000
    ticks["bid"] = bids
    ticks["ask"] = np.round(np.asarray(bids) + spread, 5)
    ticks["flags"] = c.TICK_FLAG_BID | c.TICK_FLAG_ASK
    return ticks


class TickTrader(mas):
    def __init__(self):
        super().__init__()
        self.seen, self.ends, self.fills = [], 0, []

    def receive_ticks(self, symbol, data, is_end):
        self.seen.append(data)
        self.ends += bool(is_end)
        if len(self.seen) == 2:
            self.position = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "tp": 1.1012,
                                             "backtest_toggle": True})
        if len(self.seen) == 3:
            self.limit = self.send_order({"symbol": symbol, "order_type": "sell_limit", "volume": 0.1,
                                          "price": 1.1010, "backtest_toggle": True})

    def receive_order_execution(self, order_id, execution_data):
        self.fills.append(execution_data)


def test_tick_replay_fills_at_the_next_tick_and_triggers_on_ticks():
    bids = [1.1000, 1.1001, 1.1003, 1.1005, 1.1011, 1.1013, 1.1009]
    save_ticks("EURUSD", make_ticks("2017-03-06 10:00:00", bids))
    client = TickTrader()
    client.subscribe_ticks({"symbol": "EURUSD", "from": "2017-03-06", "to": "2017-03-06", "backtest_toggle": True})
    assert len(client.seen) == len(bids) and client.ends == 1 and client.seen[-1]["bid"] == bids[-1]
    assert set(client.seen[0]) >= {"time", "bid", "ask", "last", "volume"}
    buy, limit, tp = client.fills
    # the buy sent at tick 2 fills at tick 3's ask; the sell limit at 1.1010 fills on the tick that
    # reaches it (bid 1.1011: better than the limit); the TP at 1.1012 on the next tick (bid 1.1013)
    assert buy["price"] == pytest.approx(1.1004) and buy["time"].second == 1
    assert limit["price"] == pytest.approx(1.1011) and limit["order_type"] == "sell_limit"
    assert tp["reason"] == "tp" and tp["price"] == pytest.approx(1.1013)
    result = client.backtest_result
    assert result.settings["timeframe"] == "TICK" and len(result.equity_times) == 1  # one minute of ticks
    assert set(result.bars) == {"EURUSD"} and result.bars["EURUSD"]["tick_volume"][0] == len(bids)
    # H1 bars come from the stored ticks (the user's data before the bundled sample): the only one,
    # 10:00, is still forming at the end of these ticks, and only completed bars are known
    assert client.get_bars_from_pos({"symbol": "EURUSD", "timeframe": "H1", "count": 2}).empty


def test_trade_mode_on_quotes_only_is_refused_and_missing_ticks_name_the_command():
    save_ticks("EURUSD", make_ticks("2017-03-06 10:00:00", [1.1, 1.1]))
    with pytest.raises(ValueError, match="mode"):
        TickTrader().subscribe_ticks({"symbol": "EURUSD", "from": "2017-03-06", "to": "2017-03-06",
                                      "mode": "trade", "backtest_toggle": True})
    with pytest.raises(MissingDataError, match="mas data download"):
        TickTrader().subscribe_ticks({"symbol": "EURUSD", "from": "2017-04-06", "to": "2017-04-06",
                                      "backtest_toggle": True})


def test_every_tick_model_follows_the_m1_path():
    flat = m1_hour("2017-03-06 09:00", [(0, 1.1), (59, 1.1)])
    swing = m1_hour("2017-03-06 10:00", [(0, 1.1), (10, 1.1060), (40, 1.0940), (59, 1.1010)])
    after = m1_hour("2017-03-06 11:00", [(0, 1.1010), (59, 1.1010)])
    save_bars("EURUSD", "M1", np.concatenate([flat, swing, after]), price_side="bid", has_spread=False)
    client = BracketBuy()
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-06", "to": "2017-03-06",
                           "spread": 0, "model": "every_tick", "backtest_toggle": True})
    (exit_deal,) = [d for d in client.get_order_history() if d["entry"] == 1]
    # ticks are points: the TP (a limit) fills at the first tick at or beyond it, at that tick's bid,
    # which is inside the M1 bar that reached it
    minute = swing[9]
    assert exit_deal["reason"] == c.DEAL_REASON_TP and 1.1050 <= exit_deal["price"] <= minute["high"]
    assert datetime(2017, 3, 6, 10, 9) <= exit_deal["time"] < datetime(2017, 3, 6, 10, 10)


def test_real_ticks_model_drives_bar_backtests_with_stored_ticks():
    save_bars("EURUSD", "M1", m1_hour("2017-03-06 09:00", [(0, 1.1), (59, 1.1)]), price_side="bid",
              has_spread=False)
    save_bars("EURUSD", "M1", m1_hour("2017-03-06 10:00", [(0, 1.1), (59, 1.1)]), price_side="bid",
              has_spread=False)
    # the M1 bars say nothing happened at 10:xx, the stored ticks show a spike through the TP
    save_ticks("EURUSD", make_ticks("2017-03-06 10:20:00", [1.1, 1.1030, 1.1055, 1.1020], spread=0.0))
    client = BracketBuy()
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-06", "to": "2017-03-06",
                           "spread": 0, "model": "real_ticks", "backtest_toggle": True})
    (exit_deal,) = [d for d in client.get_order_history() if d["entry"] == 1]
    assert exit_deal["reason"] == c.DEAL_REASON_TP and exit_deal["price"] == pytest.approx(1.1055)
    assert exit_deal["time"] == datetime(2017, 3, 6, 10, 20, 1)
    assert exit_deal["time_msc"] == epoch("2017-03-06 10:20:01") * 1000
