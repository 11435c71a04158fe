"""The simulated MT5 server over its real socket: accounts, the exposed surface, state across restarts."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import rpyc

from mas.live.sim_client import SimTerminalClient
from mas.live.simserver import ReplaySpec, SimExchange, SimServer
from mas.live.simserver.service import SimTerminalService
from mas.live.wire import MT5_FUNCTIONS
from mas.terminal import constants as c
from mas.terminal.types import RATES_DTYPE, AccountInfo, OrderSendResult, Tick, TradePosition

from .conftest import START, wait_until


def market_buy(term: SimTerminalClient, volume: float = 0.1, **extra) -> OrderSendResult:
    tick = term.symbol_info_tick("EURUSD")
    return term.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY,
                            "volume": volume, "price": tick.ask, "deviation": 10, "magic": 7, "comment": "t",
                            "type_filling": c.ORDER_FILLING_FOK, "type_time": c.ORDER_TIME_GTC, **extra})


def test_login_creates_the_account_then_checks_its_password(start_server):
    server = start_server()
    term = SimTerminalClient("127.0.0.1", server.port)
    assert term.initialize() is True
    assert term.account_info() is None and term.last_error()[0] == c.RES_E_AUTH_FAILED
    assert term.login(4242, password="first-secret", server="MAS-Sim") is True
    info = term.account_info()
    assert isinstance(info, AccountInfo) and info.login == 4242 and info.balance == 10_000.0
    assert term.login(4242, password="wrong", server="MAS-Sim") is False
    assert term.last_error() == (c.RES_E_AUTH_FAILED, "Authorization failed")
    assert term.account_info() is None
    other = SimTerminalClient("127.0.0.1", server.port)
    assert other.initialize(login=4242, password="first-secret", server="MAS-Sim") is True
    assert other.account_info().login == 4242
    stored = server.exchange.accounts[4242]
    assert b"first-secret" not in stored.salt + stored.digest and len(stored.digest) == 32
    term.shutdown()
    other.shutdown()


def test_results_are_the_metatrader5_types(start_server):
    server = start_server()
    term = SimTerminalClient("127.0.0.1", server.port)
    assert term.initialize(login=1, password="p", server="MAS-Sim")
    tick = term.symbol_info_tick("EURUSD")
    assert isinstance(tick, Tick) and tick.ask > tick.bid > 1.0
    rates = term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, 0, 3)
    assert isinstance(rates, np.ndarray) and rates.dtype == RATES_DTYPE and len(rates) >= 1
    result = market_buy(term)
    assert result.retcode == c.TRADE_RETCODE_DONE and result.deal > 0 and result.order > 0
    assert result.request.comment == "t"
    (position,) = term.positions_get()
    assert isinstance(position, TradePosition) and position.ticket == result.order and position.magic == 7
    assert term.positions_total() == 1 and term.symbols_total() == 1  # it lists only what it quotes
    assert [s.name for s in term.symbols_get()] == ["EURUSD"] and term.symbols_get("*USD*")[0].name == "EURUSD"
    assert term.order_calc_margin(c.ORDER_TYPE_BUY, "EURUSD", 1.0, tick.ask) == pytest.approx(1000 * tick.ask, rel=1e-3)
    assert term.symbol_info("NOPE") is None and term.last_error()[0] == c.RES_E_NOT_FOUND
    term.shutdown()


def test_the_service_exposes_only_the_metatrader5_functions(start_server):
    exposed = {name[len("exposed_"):] for name in dir(SimTerminalService)
               if name.startswith("exposed_") and getattr(SimTerminalService, name) is not None}
    assert exposed == set(MT5_FUNCTIONS)
    server = start_server()
    conn = rpyc.connect("127.0.0.1", server.port)
    try:
        with pytest.raises(AttributeError):
            conn.root._session  # noqa: B018
        with pytest.raises(AttributeError):
            conn.root.exchange  # noqa: B018
        with pytest.raises((AttributeError, TypeError)):
            conn.root.get_service_name()
        # a remote reference (here: a dict) is never accepted as an argument
        assert conn.root.initialize() is True
        assert conn.root.order_check({"action": 1}) is None
        assert conn.root.last_error()[0] == c.RES_E_INVALID_PARAMS
    finally:
        conn.close()
    assert server.host == "127.0.0.1"


def test_state_survives_a_restart(start_server, tmp_path, request):
    state = tmp_path / "sim.sqlite"
    server = start_server(speed=3600 * 10, state=state)
    term = SimTerminalClient("127.0.0.1", server.port)
    assert term.initialize(login=77, password="pw77", server="MAS-Sim")
    assert market_buy(term).retcode == c.TRADE_RETCODE_DONE
    tick = term.symbol_info_tick("EURUSD")
    pending = term.order_send({"action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY_LIMIT,
                               "volume": 0.2, "price": round(tick.bid - 0.05, 5), "type_filling": c.ORDER_FILLING_FOK,
                               "type_time": c.ORDER_TIME_GTC, "comment": "far limit"})
    assert pending.retcode == c.TRADE_RETCODE_PLACED
    assert wait_until(lambda: server.exchange.cursor >= 3)
    before = {"positions": [p.ticket for p in term.positions_get()], "orders": term.orders_get(),
              "deals": term.history_deals_get(0, 4102444800), "history": term.history_orders_get(0, 4102444800),
              "balance": term.account_info().balance}
    term.shutdown()
    server.stop()
    saved_cursor = server.exchange.cursor

    restored = SimExchange(ReplaySpec(start=START, speed=3600 * 10), state)
    assert restored.cursor == saved_cursor  # the replay goes on from the last settled bar
    again = SimServer(restored).start()
    request.addfinalizer(again.stop)
    term = SimTerminalClient("127.0.0.1", again.port)
    assert term.initialize(login=77, password="wrong", server="MAS-Sim") is False
    assert term.initialize(login=77, password="pw77", server="MAS-Sim") is True
    assert [p.ticket for p in term.positions_get()] == before["positions"]
    orders = term.orders_get()
    assert [(o.ticket, o.price_open, o.comment) for o in orders] == \
        [(o.ticket, o.price_open, o.comment) for o in before["orders"]]
    assert term.history_deals_get(0, 4102444800)[: len(before["deals"])] == before["deals"]
    assert term.history_orders_get(0, 4102444800)[: len(before["history"])] == before["history"]
    assert term.account_info().balance == pytest.approx(before["balance"], abs=50)
    assert market_buy(term).order > max(o.ticket for o in before["history"] + tuple(orders))
    term.shutdown()
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM accounts").fetchone()[0] == 1
