"""``mas sim serve`` serves each account's tick value in that account's currency (symbol_info and symbols_get)."""

from __future__ import annotations

from datetime import datetime

import pytest

from mas.live.sim_client import SimTerminalClient
from mas.live.simserver import ReplaySpec, SimExchange, SimServer
from mas.live.simserver.access import AccountSeed
from mas.live.simserver.passwords import hash_password
from mas.terminal import constants as c


def _seed(login: int, currency: str) -> AccountSeed:
    salt, digest = hash_password("pw")
    return AccountSeed(login, salt, digest, currency=currency)


@pytest.fixture
def server():
    exchange = SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=1.0),
                           accounts={1001: _seed(1001, "USD"), 1002: _seed(1002, "EUR")})
    started = SimServer(exchange, port=0).start()
    yield started
    started.stop()


@pytest.mark.parametrize(("login", "currency"), [(1001, "USD"), (1002, "EUR")])
def test_each_account_gets_the_tick_value_in_its_currency(server, login, currency):
    term = SimTerminalClient("127.0.0.1", server.port)
    assert term.initialize(login=login, password="pw", server="MAS-Sim")
    try:
        assert term.account_info().currency == currency
        info = term.symbol_info("EURUSD")
        expected = 1.0 if currency == "USD" else 1.0 / info.bid  # 1 USD of a EURUSD tick, in EUR at the bid
        assert info.trade_tick_value == pytest.approx(expected, rel=1e-12)
        assert info.trade_tick_value_profit == info.trade_tick_value_loss == info.trade_tick_value
        (listed,) = term.symbols_get()
        assert listed.trade_tick_value == pytest.approx(info.trade_tick_value, rel=1e-12)
        profit = term.order_calc_profit(c.ORDER_TYPE_SELL, "EURUSD", 100.0, info.bid + info.trade_tick_size, info.bid)
        assert profit == pytest.approx(100 * info.trade_tick_value, abs=0.0051)
    finally:
        term.shutdown()
