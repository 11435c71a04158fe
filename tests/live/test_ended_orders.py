"""Pending orders that end unfilled on the server (expired, cancelled, rejected) are pushed once each."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from mas.live.sim_client import SimTerminalClient
from mas.terminal import constants as c

from .conftest import sim_login, wait_until
from .test_live_trading import Trader

_EPOCH = datetime(1970, 1, 1)
POLLS = 0.8  # several poll intervals of the fill poller


def ended(trader: Trader, order_id: str) -> list[dict]:
    """The statuses pushed for ``order_id`` that end it without a fill."""
    return [s for o, s in trader.statuses if o == order_id
            and s["state"] in (c.ORDER_STATE_CANCELED, c.ORDER_STATE_EXPIRED, c.ORDER_STATE_REJECTED)]


def pending(trader: Trader, order_type: str, offset: float, volume: float = 0.1, **extra) -> str:
    """A pending order ``offset`` away from the current ask (placed, not filled)."""
    ask = trader._live.symbol_info_tick("EURUSD").ask
    order_id = trader.send_order({"symbol": "EURUSD", "order_type": order_type, "price": round(ask + offset, 5),
                                  "volume": volume, "backtest_toggle": False, **extra})
    assert order_id is not None, trader.last_error()
    return order_id


def other_program(port: int) -> SimTerminalClient:
    """Another program on the same account (a phone, the MT5 terminal)."""
    term = SimTerminalClient("127.0.0.1", port)
    assert term.initialize(login=1001, password="demo-pass", server="MAS-Sim")
    return term


def cancel(term: SimTerminalClient, ticket: int) -> None:
    assert term.order_send({"action": c.TRADE_ACTION_REMOVE, "order": ticket}).retcode == c.TRADE_RETCODE_DONE


def test_expired_cancelled_and_rejected_orders_are_pushed_once(start_server):
    server = start_server()
    trader = Trader()
    assert trader.login(sim_login(server.port))
    server_now = _EPOCH + timedelta(seconds=int(trader._live.symbol_info_tick("EURUSD").time))

    expiring = pending(trader, "buy_limit", -0.05, expiration=server_now + timedelta(hours=6))
    by_other = pending(trader, "sell_limit", 0.05)
    by_us = pending(trader, "buy_limit", -0.06)
    too_big = pending(trader, "buy_stop", 0.0003, volume=90.0)  # no margin for it when it triggers
    other = other_program(server.port)
    cancel(other, int(by_other))
    other.shutdown()
    assert trader.cancel_order({"order_id": by_us}) is True

    assert wait_until(lambda: all(ended(trader, o) for o in (expiring, by_other, by_us, too_big)), timeout=10)
    time.sleep(POLLS)
    expected = {expiring: (c.ORDER_STATE_EXPIRED, c.TRADE_RETCODE_CANCEL, "Order expired"),
                by_other: (c.ORDER_STATE_CANCELED, c.TRADE_RETCODE_CANCEL, "Order canceled"),
                by_us: (c.ORDER_STATE_CANCELED, c.TRADE_RETCODE_CANCEL, "Order canceled"),
                too_big: (c.ORDER_STATE_REJECTED, c.TRADE_RETCODE_REJECT, "Order rejected")}
    for order_id, (state, retcode, message) in expected.items():
        (status,) = ended(trader, order_id)
        assert (status["state"], status["retcode"], status["message"]) == (state, retcode, message)
        assert status["request"]["symbol"] == "EURUSD" and status["request"]["volume"] > 0
    history = {o.ticket: o.state for o in server.exchange.accounts[1001].terminal.history_orders}
    assert {int(o): history[int(o)] for o in expected} == {int(o): s for o, (s, _, _) in expected.items()}
    assert trader.executions == [] and trader.get_pending_orders() == []
    trader.shutdown_mt5()


def test_orders_that_ended_while_away_are_pushed_once_at_the_next_login(start_server):
    server = start_server()
    before_first_login = other_program(server.port)  # history from before MAS ever ran is not news
    tick = before_first_login.symbol_info_tick("EURUSD")
    old = before_first_login.order_send({"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1,
                                         "type": c.ORDER_TYPE_BUY_LIMIT, "price": round(tick.ask - 0.05, 5)})
    cancel(before_first_login, old.order)
    before_first_login.shutdown()

    first = Trader()
    assert first.login(sim_login(server.port))
    kept = pending(first, "buy_limit", -0.05)
    time.sleep(POLLS)
    first.shutdown_mt5()
    assert first.statuses and not ended(first, kept) and not ended(first, str(old.order))

    other = other_program(server.port)
    cancel(other, int(kept))
    other.shutdown()

    second = Trader()
    assert second.login(sim_login(server.port))
    assert wait_until(lambda: ended(second, kept))
    time.sleep(POLLS)
    assert [s["state"] for s in ended(second, kept)] == [c.ORDER_STATE_CANCELED]
    assert [o for o, _ in second.statuses] == [kept]
    second.shutdown_mt5()

    third = Trader()  # a restart pushes nothing again
    assert third.login(sim_login(server.port))
    time.sleep(POLLS)
    assert third.statuses == []
    third.shutdown_mt5()


def test_an_old_pending_order_cancelled_later_is_pushed_once(start_server):
    """Orders set up long before the history window the poller reads each time are still found."""
    server = start_server(speed=3600 * 100)  # the poller's 2-day margin passes in half a second
    trader = Trader()
    assert trader.login(sim_login(server.port))
    old_in_session, old_while_away = pending(trader, "buy_limit", -0.05), pending(trader, "buy_limit", -0.06)
    time.sleep(1.5)  # about six market days
    assert trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert wait_until(lambda: trader.executions)  # the history the poller reads now starts days after the orders
    other = other_program(server.port)
    cancel(other, int(old_in_session))
    assert wait_until(lambda: ended(trader, old_in_session))
    trader.shutdown_mt5()
    time.sleep(1.5)
    cancel(other, int(old_while_away))
    other.shutdown()

    again = Trader()
    assert again.login(sim_login(server.port))
    assert wait_until(lambda: ended(again, old_while_away))
    time.sleep(POLLS)
    assert len(ended(trader, old_in_session)) == 1 and [o for o, _ in again.statuses] == [old_while_away]
    again.shutdown_mt5()
