"""`mas live` warm-up: recent bars feed the indicators first, no order is sent, and the live feed
continues right after them."""

from __future__ import annotations

from datetime import datetime

from mas.client import state_of
from mas.strategy.builtins import MACrossStrategy

from .conftest import wait_until
from .test_live_trading import sim_login


class Recording(MACrossStrategy):
    def __init__(self):
        super().__init__(fast=2, slow=3)
        self.backtest_toggle = False
        self.bars, self.answers = [], []

    def receive_bars(self, symbol, data, is_end):
        self.bars.append(data["time"])
        super().receive_bars(symbol, data, is_end)

    def send_order(self, params):
        answer = super().send_order(params)
        self.answers.append(answer)
        return answer


def test_warm_up_feeds_recent_bars_sends_nothing_and_the_feed_follows_on(start_server):
    server = start_server(speed=3600 * 200)
    assert wait_until(lambda: server.exchange.cursor > 80, timeout=10)
    client = Recording()
    assert client.login(sim_login(server.port)), client.last_error()
    try:
        last = state_of(client).live.warm_up("EURUSD", "H1", 60)
        assert len(client.bars) == 60 and last is not None
        assert client.answers and all(a is None for a in client.answers)  # crosses happened, orders were refused
        assert client.open_order_ids == {}
        account = next(iter(server.exchange.accounts.values()))
        assert not account.terminal.orders and len(account.terminal.deals) == 1  # the deposit only
        assert client.get_orders_total() == 0 and client.get_positions() == []
        seen = len(client.bars)
        client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "interval_ms": 20, "after_time": last,
                               "backtest_toggle": False})
        assert wait_until(lambda: len(client.bars) > seen + 3, timeout=10)
        # the feed's first bar is the server's very next bar after the warm-up's last: none skipped or repeated
        times = list(server.exchange.tape.times)
        following = times[times.index(last) + 1]
        assert int((client.bars[seen] - datetime(1970, 1, 1)).total_seconds()) == following
        assert wait_until(lambda: any(a is not None for a in client.answers), timeout=10)  # live orders go out
    finally:
        client.stop_all_subscriptions()
        client.shutdown_mt5()
