"""A MAS client with ``backtest_toggle: False`` trading on the sim server, end to end."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import mas
from mas.client import state_of
from mas.terminal import constants as c

from .conftest import sim_login, wait_until


class Trader(mas):
    """Records every callback, and whether two ever ran at once."""

    def __init__(self, hold_s: float = 0.0) -> None:
        super().__init__()
        self.hold_s = hold_s
        self.bars: list[dict] = []
        self.ticks: list[dict] = []
        self.executions: list[tuple[str, dict]] = []
        self.statuses: list[tuple[str, dict]] = []
        self._inside = threading.Lock()
        self.overlaps = 0

    def _enter(self) -> None:
        if not self._inside.acquire(blocking=False):
            self.overlaps += 1
            return
        time.sleep(self.hold_s)
        self._inside.release()

    def receive_bars(self, symbol, data, is_end):
        self._enter()
        self.bars.append(data)

    def receive_ticks(self, symbol, data, is_end):
        self._enter()
        self.ticks.append(data)

    def receive_order_execution(self, order_id, execution_data):
        self._enter()
        self.executions.append((order_id, execution_data))

    def receive_order_status(self, order_id, status_data):
        self.statuses.append((order_id, status_data))

    def deals(self) -> list[int]:
        return [e["deal"] for _, e in self.executions]


MOVED_ON = (c.TRADE_RETCODE_INVALID_PRICE, c.TRADE_RETCODE_INVALID_STOPS)
"""What the server answers when the market passed a level between reading the price and sending the order."""


def send_at_market(trader: Trader, order_at: Callable[[float], dict], attempts: int = 20) -> str | None:
    """Send ``order_at(price)`` with the price just read; the test server's market moves 20 H1 bars a second, so a
    level set from the price may already be on the wrong side when the order arrives: then read it again and resend,
    as a trader would (a bounded number of times)."""
    for _ in range(attempts):
        price = trader.get_positions()[0]["price_current"]
        seen = len(trader.statuses)
        order_id = trader.send_order(order_at(price))
        if order_id is not None:
            return order_id
        if not any(status["retcode"] in MOVED_ON for _, status in trader.statuses[seen:]):
            return None
    return None


def test_login_trades_and_every_fill_is_pushed_once(start_server):
    server = start_server()
    trader = Trader()
    assert trader.login(sim_login(server.port)) is True, trader.last_error()
    assert trader.check_connection() is True
    assert trader.get_account_info()["login"] == 1001
    assert trader.get_version()["build"] > 0 and trader.get_symbols_total() >= 1

    order_id = trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert order_id is not None, trader.last_error()
    assert [o for o, _ in trader.executions] == [order_id]  # its fill came before send_order returned
    placed, filled = [s for o, s in trader.statuses if o == order_id]
    assert (placed["state"], filled["state"]) == (c.ORDER_STATE_PLACED, c.ORDER_STATE_FILLED)
    (position,) = trader.get_positions()
    assert position["ticket"] == int(order_id) and position["comment"].endswith("MAS Order")

    # a pending order on each side of the market: the server triggers one of them by itself
    for order_type, distance in (("buy_stop", 0.0004), ("sell_stop", -0.0008)):
        assert send_at_market(trader, lambda bid, d=distance, kind=order_type: {  # type: ignore[misc]
            "symbol": "EURUSD", "order_type": kind, "price": round(bid + d, 5), "volume": 0.1,
            "backtest_toggle": False}) is not None, trader.last_error()
    pending = {o["ticket"] for o in trader.get_pending_orders()}
    assert len(pending) == 2
    assert wait_until(lambda: any(int(o) in pending for o, _ in trader.executions), timeout=10)
    triggered = [(o, e) for o, e in trader.executions if int(o) in pending]
    assert triggered[0][1]["order_type"] in ("buy_stop", "sell_stop") and triggered[0][1]["entry"] == "in"
    assert any(s["message"] == "Pending order triggered" for o, s in trader.statuses if int(o) in pending)

    # a position with a tight stop loss: the server closes it, the close is pushed as an execution
    sl_order = send_at_market(trader, lambda bid: {"symbol": "EURUSD", "order_type": "sell", "volume": 0.1,
                                                   "sl": round(bid + 0.0004, 5), "backtest_toggle": False})
    assert sl_order is not None, trader.last_error()
    assert wait_until(lambda: any(e["reason"] == "sl" for _, e in trader.executions), timeout=10)
    closed = [e for _, e in trader.executions if e["reason"] == "sl"]
    assert closed[0]["position_id"] == int(sl_order) and closed[0]["entry"] == "out"
    assert any(s["message"] == "Stop loss hit" for _, s in trader.statuses)

    time.sleep(0.6)  # several poll intervals: nothing is pushed twice
    server_deals = [d.ticket for d in server.exchange.accounts[1001].terminal.deals if d.type in (0, 1)]
    assert sorted(trader.deals()) == server_deals
    assert len(set(trader.deals())) == len(trader.deals())
    assert trader.overlaps == 0
    trader.shutdown_mt5()
    assert trader.check_connection() is False


def test_wrong_password_and_unreachable_server_return_false(start_server):
    server = start_server()
    first = Trader()
    assert first.login(sim_login(server.port, password="right-one"))
    first.shutdown_mt5()
    second = Trader()
    assert second.login(sim_login(server.port, password="not-the-right-one")) is False
    code, text = second.last_error()
    assert code == c.RES_E_AUTH_FAILED and "Authorization failed" in text and "not-the-right-one" not in text
    server.stop()
    third = Trader()
    assert third.login(sim_login(server.port)) is False
    assert "unreachable" in third.last_error()[1] or "cannot reach" in third.last_error()[1]


def test_a_backtest_never_sends_a_live_order(start_server):
    server = start_server()

    class Mixed(Trader):
        def receive_bars(self, symbol, data, is_end):
            if not self.statuses:
                self.live_result = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                                    "backtest_toggle": False})

    client = Mixed()
    assert client.login(sim_login(server.port))
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-01", "to": "2017-03-01",
                           "backtest_toggle": True})
    assert client.live_result is None
    assert client.statuses[0][1]["retcode"] == c.TRADE_RETCODE_REJECT
    assert server.exchange.accounts[1001].terminal.positions == {}
    client.shutdown_mt5()


def test_switch_account_moves_to_another_account(start_server):
    server = start_server()
    trader = Trader()
    assert trader.login(sim_login(server.port, account=1))
    assert trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert trader.switch_account(sim_login(server.port, account=2)) is True
    assert trader.get_account_info()["login"] == 2 and trader.get_positions() == []
    trader.shutdown_mt5()


def test_fills_made_while_the_program_was_away_are_history_not_pushed_at_the_next_login(start_server):
    from mas.live.sim_client import SimTerminalClient

    server = start_server()
    first = Trader()
    assert first.login(sim_login(server.port))
    order_id = first.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert wait_until(lambda: len(first.executions) == 1)
    first.shutdown_mt5()

    # another program (a phone, the MT5 terminal) closes the position while this one is not running
    other = SimTerminalClient("127.0.0.1", server.port)
    assert other.initialize(login=1001, password="demo-pass", server="MAS-Sim")
    tick = other.symbol_info_tick("EURUSD")
    closed = other.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_SELL,
                               "volume": 0.1, "price": tick.bid, "position": int(order_id),
                               "type_filling": c.ORDER_FILLING_FOK})
    assert closed.retcode == c.TRADE_RETCODE_DONE
    other.shutdown()

    second = Trader()
    assert second.login(sim_login(server.port))
    poller = state_of(second).live.deal_poller
    assert [poller.poll() for _ in range(3)] == [0, 0, 0]  # made before this login: history, not a new fill
    assert second.executions == []
    (out,) = [d for d in second.get_order_history() if d["entry"] == c.DEAL_ENTRY_OUT]
    assert out["ticket"] == closed.deal and out["position_id"] == int(order_id)
    later = second.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert [o for o, _ in second.executions] == [later]  # what happens after the login is pushed
    second.shutdown_mt5()
