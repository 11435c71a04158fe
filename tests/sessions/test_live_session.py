"""The live session owns the terminal, feeds, deal poller and callback lock; the facade keeps one attribute;
a callback that raises is reported and never redelivered; both modes hand over the same bar dict."""

from __future__ import annotations

import numpy as np

import mas
from mas.client import state_of
from mas.data.tick_store import save_ticks
from mas.live.runner import callback_errors
from mas.live.session import LiveSession
from mas.sessions.events import BAR_KEYS, TICK_KEYS
from mas.terminal import constants as c
from mas.terminal.types import TICKS_DTYPE

from .conftest import sim_login, wait_until


def test_after_a_live_login_the_facade_keeps_exactly_one_instance_attribute(sim_server):
    client = mas.MAS()
    assert client.login(sim_login(sim_server.port)), client.last_error()
    try:
        assert list(vars(client)) == ["_MAS__state"]
        live = state_of(client).live
        assert isinstance(live, LiveSession) and live.terminal is not None and live.deal_poller is not None
        assert live.login_info is not None and "password" not in live.login_info
        assert client.check_connection() is True
        assert client.get_account_info()["login"] == 1001
    finally:
        client.shutdown_mt5()
    assert state_of(client).live.terminal is None and state_of(client).live.deal_poller is None
    assert client.check_connection() is False
    assert list(vars(client)) == ["_MAS__state"]


class Raising(mas):
    """Records each fill, then raises."""

    def __init__(self) -> None:
        super().__init__()
        self.deals: list[int] = []

    def receive_order_execution(self, order_id, execution_data):
        self.deals.append(execution_data["deal"])
        raise RuntimeError("a bug in the strategy")


def test_a_callback_that_raises_is_counted_and_never_redelivered(sim_server):
    client = Raising()
    assert client.login(sim_login(sim_server.port)), client.last_error()
    try:
        order = client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
        assert order is not None, client.last_error()
        assert len(client.deals) == 1 and callback_errors(client) == 1  # pushed before send_order returned
        poller = state_of(client).live.deal_poller
        assert [poller.poll() for _ in range(3)] == [0, 0, 0]
        closed = client.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.1, "order_id": order,
                                    "backtest_toggle": False})
        assert closed is not None, client.last_error()
        assert [poller.poll() for _ in range(3)] == [0, 0, 0]
        assert len(client.deals) == 2 and len(set(client.deals)) == 2 and callback_errors(client) == 2
        assert client.get_positions() == []
    finally:
        client.shutdown_mt5()


def test_a_live_order_from_inside_a_backtest_replay_is_refused_and_never_sent(sim_server):
    class Mixed(mas):
        def __init__(self) -> None:
            super().__init__()
            self.answers: list = []
            self.statuses: list[tuple] = []

        def receive_bars(self, symbol, data, is_end):
            if not self.answers:
                self.answers.append(self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                                     "backtest_toggle": False}))

        def receive_order_status(self, order_id, status_data):
            self.statuses.append((status_data["retcode"], status_data["state"]))

    client = Mixed()
    assert client.login(sim_login(sim_server.port)), client.last_error()
    try:
        client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-06",
                               "backtest_toggle": True})
        assert client.answers == [None]
        assert client.statuses == [(c.TRADE_RETCODE_REJECT, c.ORDER_STATE_REJECTED)]
        assert client.get_positions({"backtest_toggle": False}) == []  # nothing reached the broker
    finally:
        client.shutdown_mt5()


def test_backtest_and_live_hand_receive_bars_the_same_dict(sim_server):
    class Bars(mas):
        def __init__(self) -> None:
            super().__init__()
            self.bars: list[dict] = []

        def receive_bars(self, symbol, data, is_end):
            self.bars.append(data)

    tested = Bars()
    tested.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-06",
                           "backtest_toggle": True})
    live = Bars()
    assert live.login(sim_login(sim_server.port)), live.last_error()
    try:
        live.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "interval_ms": 50, "backtest_toggle": False})
        assert wait_until(lambda: len(live.bars) >= 2)
    finally:
        live.stop_all_subscriptions()
        live.shutdown_mt5()
    backtest_bar, live_bar = tested.bars[0], live.bars[0]
    assert tuple(backtest_bar) == tuple(live_bar) == BAR_KEYS
    assert {k: type(v) for k, v in backtest_bar.items()} == {k: type(v) for k, v in live_bar.items()}
    assert live_bar["symbol"] == "EURUSD" and live_bar["timeframe"] == "H1"
    assert state_of(live).live.feeds == {}  # the feeds belong to the live session, and are gone


def test_backtest_and_live_hand_receive_ticks_the_same_dict(sim_server):
    ticks = np.zeros(50, dtype=TICKS_DTYPE)
    ticks["time_msc"] = 1704189600000 + 500 * np.arange(50)  # 2024-01-02 10:00 UTC, a tick every 0.5 s
    ticks["time"] = ticks["time_msc"] // 1000
    ticks["bid"] = 1.1 + 0.0001 * np.arange(50)
    ticks["ask"] = np.round(ticks["bid"] + 0.0001, 5)
    ticks["flags"] = c.TICK_FLAG_BID | c.TICK_FLAG_ASK
    save_ticks("EURUSD", ticks)

    class Ticks(mas):
        def __init__(self) -> None:
            super().__init__()
            self.ticks: list[dict] = []

        def receive_ticks(self, symbol, data, is_end):
            self.ticks.append(data)

    tested = Ticks()
    tested.subscribe_ticks({"symbol": "EURUSD", "from": "2024-01-02", "to": "2024-01-02", "model": "real_ticks",
                            "backtest_toggle": True})
    live = Ticks()
    assert live.login(sim_login(sim_server.port)), live.last_error()
    try:
        live.subscribe_ticks({"symbol": "EURUSD", "interval_ms": 50, "backtest_toggle": False})
        assert wait_until(lambda: len(live.ticks) >= 1)
    finally:
        live.stop_all_subscriptions()
        live.shutdown_mt5()
    backtest_tick, live_tick = tested.ticks[0], live.ticks[0]
    assert len(tested.ticks) == 50 and tuple(backtest_tick) == tuple(live_tick) == TICK_KEYS
    assert {k: type(v) for k, v in backtest_tick.items()} == {k: type(v) for k, v in live_tick.items()}
