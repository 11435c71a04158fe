"""``backtest_toggle``: one strict rule on every call; a backtest inside a running one is refused."""

from __future__ import annotations

import numpy as np
import pytest

import mas
from mas.live import connect

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-03-31", "backtest_toggle": True}
NOT_BOOLS = [1, 0, "True", "False", "true", np.True_, np.False_, 1.0, [True]]


class RecordingTerminal:
    """A stand-in live terminal: records every call, answers nothing."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append(name)
            return None

        return call


@pytest.fixture
def live_client(monkeypatch):
    terminal = RecordingTerminal()
    monkeypatch.setattr(connect, "connect_terminal", lambda params, account: terminal)
    client = mas.MAS()
    assert client.login({"account": 1, "password": "x", "server": "stand-in", "poll_ms": 3_600_000})
    client.subscribe_bars(YEAR)  # a backtest first: its account stays the client's "last backtest"
    terminal.calls.clear()
    yield client, terminal
    client.shutdown_mt5()


ORDER_CALLS = {
    "send_order": {"symbol": "EURUSD", "order_type": "buy", "volume": 0.1},
    "cancel_order": {"order_id": 5},
    "modify_order": {"order_id": 5, "price": 1.1},
    "modify_position_sltp": {"position_id": 5, "sl": 1.0},
    "get_positions": {},
    "get_pending_orders": {},
    "subscribe_bars": {"symbol": "EURUSD", "timeframe": "H1"},
    "subscribe_ticks": {"symbol": "EURUSD"},
}


@pytest.mark.parametrize("value", NOT_BOOLS, ids=repr)
@pytest.mark.parametrize("call", list(ORDER_CALLS))
def test_a_toggle_that_is_not_a_real_bool_is_refused_and_nothing_reaches_the_broker(live_client, call, value):
    client, terminal = live_client
    with pytest.raises(ValueError, match="backtest_toggle: .*needs True \\(backtest\\) or False \\(live\\)"):
        getattr(client, call)({**ORDER_CALLS[call], "backtest_toggle": value})
    assert terminal.calls == []


def test_send_order_without_a_toggle_is_refused():
    with pytest.raises(ValueError, match="backtest_toggle: missing"):
        mas.MAS().send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1})


def test_a_live_cancel_during_a_replay_is_refused_never_sent(live_client):
    client, terminal = live_client

    class Canceller(mas):
        answers: list = []

        def receive_bars(self, symbol, data, is_end):
            if not self.answers:
                self.answers.append(self.cancel_order({"order_id": 5, "backtest_toggle": False}))

    canceller = Canceller()
    canceller.login({"account": 1, "password": "x", "server": "stand-in", "poll_ms": 3_600_000})
    terminal.calls.clear()
    canceller.subscribe_bars(YEAR)
    canceller.shutdown_mt5()
    assert Canceller.answers == [False]
    assert "order_send" not in terminal.calls
    assert "never sent from a backtest" in canceller.last_error()[1]


def test_backtest_toggle_attribute_defaults_to_backtest():
    class Strategy(mas):
        def receive_bars(self, symbol, data, is_end):
            if not self.get_positions():
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                 "backtest_toggle": self.backtest_toggle})

    class Forgetful(mas):
        def __init__(self):  # no super().__init__(): the class default still answers
            pass

    assert Strategy().backtest_toggle is True and Forgetful().backtest_toggle is True
    strategy = Strategy()
    strategy.subscribe_bars(YEAR)
    assert len(strategy.backtest_result.trades) == 1


class Nester(mas):
    """Starts another backtest from inside its own replay."""

    def __init__(self, inner_client=None):
        super().__init__()
        self.inner_client = inner_client
        self.error = None
        self.positions_before = self.positions_after = None
        self.bars = 0

    def receive_bars(self, symbol, data, is_end):
        self.bars += 1
        if self.bars == 1:
            self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "backtest_toggle": True})
        if self.bars == 10:
            self.positions_before = len(self.get_positions())
            self.equity_before = self.get_account_info()["balance"]
            try:
                (self.inner_client or self).subscribe_bars({**YEAR, "to": "2017-01-31"})
            except RuntimeError as exc:
                self.error = str(exc)
            self.positions_after = len(self.get_positions())
            self.equity_after = self.get_account_info()["balance"]


def test_a_backtest_inside_the_running_one_is_refused_and_the_running_one_is_untouched():
    client = Nester()
    client.subscribe_bars(YEAR)
    assert client.error is not None and "already running in this client" in client.error
    assert client.positions_before == client.positions_after == 1
    assert client.equity_before == client.equity_after
    assert client.bars == len(client.backtest_result.equity_times) > 1000
    assert client.backtest_result.trades[0].is_open


def test_another_client_may_backtest_inside_a_replay_in_isolation():
    inner = Nester()
    client = Nester(inner_client=inner)
    client.subscribe_bars(YEAR)
    assert client.error is None
    assert client.positions_before == client.positions_after == 1
    assert inner.backtest_result is not None and len(inner.backtest_result.equity_times) < client.bars


def test_modify_and_cancel_statuses_carry_the_originals_action():
    class PendingTrader(mas):
        def __init__(self):
            super().__init__()
            self.bars, self.statuses, self.answers = 0, [], []

        def receive_bars(self, symbol, data, is_end):
            self.bars += 1
            if self.bars == 1:
                self.ticket = self.send_order({"symbol": symbol, "order_type": "buy_limit", "volume": 0.1,
                                               "price": round(data["close"] - 0.02, 5), "backtest_toggle": True})
            elif self.bars == 2:
                self.answers.append(self.modify_order({"order_id": self.ticket, "price": round(data["close"] - 0.03, 5),
                                                       "backtest_toggle": True}))
            elif self.bars == 3:
                self.answers.append(self.cancel_order({"order_id": self.ticket, "backtest_toggle": True}))

        def receive_order_status(self, order_id, status_data):
            self.statuses.append((order_id, status_data.get("action"), status_data["retcode"]))

    trader = PendingTrader()
    trader.subscribe_bars({**YEAR, "to": "2017-01-10"})
    assert trader.answers == [True, True]
    actions = [action for order_id, action, _ in trader.statuses if order_id == trader.ticket]
    assert actions == [None, "modify", "cancel"]
