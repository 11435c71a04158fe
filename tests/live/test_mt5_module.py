"""The ``MetaTrader5``-module terminal against a stand-in module that records the exact calls."""

from __future__ import annotations

import sys
import types
from datetime import datetime

import pytest

import mas
from mas.client import state_of
from mas.live.orders import order_tag
from mas.terminal import constants as c
from mas.terminal.types import OrderSendResult, TerminalInfo, Tick, TradeOrder, TradePosition, trade_request


class StandInMT5(types.ModuleType):
    """Records every call; answers like a connected terminal with one open position (ticket 900)."""

    def __init__(self) -> None:
        super().__init__("MetaTrader5")
        self.calls: list[tuple[str, tuple, dict]] = []
        self.requests: list[dict] = []
        self.next_order = 1000

    def _record(self, name: str, args: tuple, kwargs: dict) -> None:
        self.calls.append((name, args, kwargs))

    def initialize(self, *args, **kwargs):
        self._record("initialize", args, kwargs)
        return True

    def login(self, *args, **kwargs):
        self._record("login", args, kwargs)
        return True

    def shutdown(self):
        self._record("shutdown", (), {})

    def last_error(self):
        return (c.RES_S_OK, "Success")

    def terminal_info(self):
        values = dict.fromkeys(TerminalInfo._fields, 0)
        values["connected"] = True
        return TerminalInfo(**values)

    def symbol_info_tick(self, symbol):
        return Tick(time=1_700_000_000, bid=1.1000, ask=1.1002, last=0.0, volume=0, time_msc=1_700_000_000_000,
                    flags=6, volume_real=0.0)

    def order_send(self, request):
        self.requests.append(dict(request))
        self.next_order += 1
        retcode = c.TRADE_RETCODE_DONE if request["action"] != c.TRADE_ACTION_PENDING else c.TRADE_RETCODE_PLACED
        return OrderSendResult(retcode=retcode, deal=0, order=self.next_order, volume=request.get("volume", 0.0),
                               price=request.get("price", 0.0), bid=1.1, ask=1.1002, comment="Request executed",
                               request_id=1, retcode_external=0, request=trade_request(request))

    def positions_get(self, **kwargs):
        if kwargs.get("ticket") not in (None, 900):
            return ()
        values = dict.fromkeys(TradePosition._fields, 0)
        values.update(ticket=900, symbol="EURUSD", comment="", external_id="")
        return (TradePosition(**values),)

    def history_orders_get(self, *args, **kwargs):
        if kwargs.get("ticket") == 800:  # the order that opened position 900
            values = dict.fromkeys(TradeOrder._fields, 0)
            values.update(ticket=800, position_id=900, symbol="EURUSD", comment="", external_id="")
            return (TradeOrder(**values),)
        return ()

    def history_deals_get(self, *args, **kwargs):
        return ()

    def orders_get(self, **kwargs):
        return ()


@pytest.fixture
def mt5(monkeypatch):
    module = StandInMT5()
    monkeypatch.setitem(sys.modules, "MetaTrader5", module)
    return module


def test_login_initializes_the_terminal_at_its_path(mt5):
    client = mas.MAS()
    assert client.login({"account": 5150, "password": "pw", "server": "Broker-Live", "timeout": 9000,
                         "path": "C:/MT5/terminal64.exe"}) is True
    name, args, kwargs = mt5.calls[0]
    assert name == "initialize" and args == ("C:/MT5/terminal64.exe",)
    assert kwargs == {"login": 5150, "password": "pw", "server": "Broker-Live", "timeout": 9000}
    assert mt5.calls[1] == ("login", (5150,), {"password": "pw", "server": "Broker-Live", "timeout": 9000})
    assert client.check_connection() is True
    client.shutdown_mt5()
    assert mt5.calls[-1][0] == "shutdown"


def test_the_exact_requests_send_order_builds(mt5):
    client = mas.MAS()
    assert client.login({"account": 1, "password": "pw", "server": "S"})
    live = {"symbol": "EURUSD", "volume": 0.1, "backtest_toggle": False}
    assert client.send_order({**live, "order_type": "buy", "client_order_id": "a"}) == "1001"
    assert client.send_order({**live, "order_type": "sell", "deviation": 3, "magic": 42, "comment": "exit",
                              "type_filling": c.ORDER_FILLING_IOC, "order_id": "800"}) == "1002"
    expiry = datetime(2030, 1, 2, 3, 4, 5)
    assert client.send_order({**live, "order_type": "buy_limit", "price": 1.09, "sl": 1.08, "tp": 1.12,
                              "expiration": expiry}) == "1003"
    assert client.send_order({**live, "order_type": "sell_stop_limit", "price": 1.095, "stoplimit": 1.097,
                              "type_time": c.ORDER_TIME_DAY, "type_filling": c.ORDER_FILLING_RETURN}) == "1004"
    market_buy, close, limit, stop_limit = mt5.requests
    assert market_buy == {
        "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY, "volume": 0.1, "sl": 0.0, "tp": 0.0, "deviation": 10,
        "magic": 123456, "comment": f"{order_tag('a')} MAS Order", "type_time": c.ORDER_TIME_GTC,
        "type_filling": c.ORDER_FILLING_FOK, "action": c.TRADE_ACTION_DEAL, "price": 1.1002}
    assert close["type"] == c.ORDER_TYPE_SELL and close["position"] == 900 and close["price"] == 1.1
    assert (close["deviation"], close["magic"], close["type_filling"]) == (3, 42, c.ORDER_FILLING_IOC)
    assert close["comment"].endswith(" exit") and close["comment"].startswith("#")
    assert limit["action"] == c.TRADE_ACTION_PENDING and limit["type"] == c.ORDER_TYPE_BUY_LIMIT
    assert (limit["price"], limit["sl"], limit["tp"]) == (1.09, 1.08, 1.12)
    assert limit["type_time"] == c.ORDER_TIME_SPECIFIED and limit["expiration"] == expiry
    assert stop_limit["type"] == c.ORDER_TYPE_SELL_STOP_LIMIT and stop_limit["stoplimit"] == 1.097
    assert (stop_limit["type_time"], stop_limit["type_filling"]) == (c.ORDER_TIME_DAY, c.ORDER_FILLING_RETURN)
    assert all(len(r["comment"]) <= 31 for r in mt5.requests)
    client.shutdown_mt5()


def test_terminal_names(mt5):
    from mas.live.connect import LoginError, parse_target

    assert str(parse_target({})) == "mt5"
    assert str(parse_target({"terminal": "sim://10.0.0.5:9000"})) == "sim://10.0.0.5:9000"
    assert str(parse_target({"terminal": "mt5linux", "port": 18813})) == "mt5linux://127.0.0.1:18813"
    with pytest.raises(LoginError, match="unknown"):
        parse_target({"terminal": "fix://x"})
    client = mas.MAS()
    assert client.login({"account": 1, "password": "pw", "server": "S", "terminal": "mt5linux://127.0.0.1:1"}) \
        is False
    assert "mt5linux" in client.last_error()[1]


def test_mt5linux_results_become_local_types(monkeypatch):
    """The bridge's own named tuples and arrays are copied into the SDK's types."""
    from collections import namedtuple

    import numpy as np

    from mas.terminal.types import RATES_DTYPE, AccountInfo

    foreign_tick = namedtuple("Tick", Tick._fields)
    foreign_account = namedtuple("AccountInfo", AccountInfo._fields)
    logins = []

    class Bridge:
        def __init__(self, host, port):
            self.address = (host, port)

        def initialize(self, **kwargs):
            return True

        def login(self, account, **kwargs):
            logins.append((self.address, account, kwargs["server"]))
            return True

        def last_error(self):
            return (1, "Success")

        def symbol_info_tick(self, symbol):
            return foreign_tick(1, 1.1, 1.2, 0.0, 0, 1000, 6, 0.0)

        def account_info(self):
            return foreign_account(*([7] + [0] * (len(AccountInfo._fields) - 1)))

        def copy_rates_from_pos(self, *args):
            return np.zeros(3, dtype=RATES_DTYPE)

        def history_deals_get(self, *args, **kwargs):
            return ()

        def shutdown(self):
            return None

    monkeypatch.setitem(sys.modules, "mt5linux", types.SimpleNamespace(MetaTrader5=Bridge))
    client = mas.MAS()
    assert client.login({"account": 9, "password": "pw", "server": "B", "terminal": "mt5linux://127.0.0.1:18899"})
    assert logins == [(("127.0.0.1", 18899), 9, "B")]
    tick = state_of(client).live.terminal.symbol_info_tick("EURUSD")
    assert type(tick) is Tick and tick.ask == 1.2
    assert type(state_of(client).live.terminal.account_info()) is AccountInfo
    assert client.get_bars_from_pos({"symbol": "EURUSD", "timeframe": "H1", "count": 3}).shape == (3, 8)
    client.shutdown_mt5()
