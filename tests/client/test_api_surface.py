"""The documented client surface: imports, callbacks, errors, account queries during a replay."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

import mas
from mas import MAS
from mas.mas import MAS as MAS2

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31", "backtest_toggle": True}


def test_import_forms_and_module_as_base_class():
    class Client(mas):
        pass

    assert issubclass(Client, MAS) and mas.MAS is MAS is MAS2
    client = Client()
    assert client.receive_bars("EURUSD", {}, False) is None
    assert client.receive_ticks("EURUSD", {}, False) is None
    assert client.receive_order_status("1", {}) is None
    assert client.receive_order_execution("1", {}) is None


def test_login_with_placeholders_returns_false_and_says_why():
    client = MAS()
    assert client.login({"account": "YOUR_ACCOUNT", "password": "YOUR_PASSWORD", "server": "YOUR_SERVER"}) is False
    assert "YOUR_ACCOUNT" in client.last_error()[1]
    assert "YOUR_PASSWORD" not in client.last_error()[1]
    client.set_lang("zh-tw")
    assert client.login({"account": 123, "password": "secret", "server": "Demo"}) is False
    assert "登入失敗" in client.last_error()[1] and "secret" not in client.last_error()[1]
    client.set_lang("zh-cn")
    client.login({"account": 123, "server": "Demo"})
    assert "登录失败" in client.last_error()[1]
    with pytest.raises(ValueError, match="lang"):
        client.set_lang("fr")


class Recorder(mas):
    def __init__(self):
        super().__init__()
        self.bars = []
        self.ends = 0
        self.position = None
        self.seen_account = []
        self.history_bars = []

    def receive_bars(self, symbol, data, is_end):
        self.bars.append(data)
        self.ends += bool(is_end)
        n = len(self.bars)
        if n == 10:
            self.position = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                             "backtest_toggle": True})
        if n == 12:
            self.seen_account.append(self.get_account_info())
            self.positions = self.get_positions()
            self.history_bars = self.get_bars_from_pos({"symbol": symbol, "timeframe": "H1", "count": 5})
        if n == 20:
            self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1, "order_id": self.position,
                             "backtest_toggle": True})


def test_backtest_replays_the_year_and_every_query_works_during_it():
    client = Recorder()
    client.subscribe_bars({**YEAR, "captital": 5000})
    assert len(client.bars) == 6225 and client.ends == 1
    assert set(client.bars[0]) >= {"time", "open", "high", "low", "close", "volume", "timeframe"}
    account = client.seen_account[0]
    assert account["balance"] == 5000 and account["margin"] > 0
    assert account["equity"] == pytest.approx(account["balance"] + account["profit"], abs=0.011)
    assert client.positions[0]["ticket"] == int(client.position)
    frame = client.history_bars
    assert isinstance(frame, pd.DataFrame) and list(frame.columns)[:5] == ["time", "open", "high", "low", "close"]
    # never a future bar: the newest row is the bar being processed (the 12th)
    assert frame["time"].iloc[-1] == pd.Timestamp(client.bars[11]["time"])
    deals = client.get_order_history()
    assert [d["entry"] for d in deals if d["type"] in (0, 1)] == [0, 1]
    orders = client.get_history_orders()
    assert all(o["state"] == 4 for o in orders)
    assert client.get_history_orders_total({}) == len(orders)
    assert client.get_orders_total() == 0 and client.get_pending_orders() == []


def test_send_order_validation_names_the_field():
    client = MAS()
    with pytest.raises(ValueError, match="backtest_toggle"):
        client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1})
    with pytest.raises(ValueError, match="order_type"):
        client.send_order({"symbol": "EURUSD", "order_type": "purchase", "volume": 0.1, "backtest_toggle": True})
    with pytest.raises(ValueError, match="symbol"):
        client.send_order({"order_type": "buy", "volume": 0.1, "backtest_toggle": True})
    with pytest.raises(ValueError, match="volume"):
        client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": "lots", "backtest_toggle": True})
    with pytest.raises(ValueError, match="volume"):
        client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": -1, "backtest_toggle": True})


def test_rejections_return_none_push_status_and_set_last_error():
    statuses = []

    class Client(mas):
        def receive_bars(self, symbol, data, is_end):
            if not statuses:
                self.result = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.015,
                                               "backtest_toggle": True})
                self.live = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                             "backtest_toggle": False})

        def receive_order_status(self, order_id, status_data):
            statuses.append(status_data)

    client = Client()
    client.subscribe_bars({**YEAR, "to": "2017-01-03"})
    assert client.result is None and client.live is None
    assert statuses[0]["retcode"] == 10014 and "step" in statuses[0]["message"]
    assert statuses[1]["retcode"] == 10006 and "backtest" in statuses[1]["message"]
    assert "backtest" in client.last_error()[1]


def test_order_outside_a_replay_is_refused_not_filled():
    client = MAS()
    assert client.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.1, "backtest_toggle": True}) is None
    assert "replay" in client.last_error()[1]


def test_terminal_calls_without_broker():
    client = MAS()
    assert client.check_connection() is False
    assert client.initialize_mt5() is False and "login" in client.last_error()[1]
    assert client.reconnect_mt5() is False
    assert client.get_account_info().keys() == {"error"}
    assert client.get_symbols_total() >= 20
    names = [s["name"] for s in client.get_symbols({"group": "*JPY*"})]
    assert "USDJPY" in names and "EURUSD" not in names
    assert set(client.get_symbols()[0]) == {"name", "description", "digits", "point", "spread",
                                            "trade_contract_size", "volume_min", "volume_max", "volume_step",
                                            "currency_base", "currency_profit", "trade_mode"}
    assert client.calc_order_margin({"action": "buy", "symbol": "USDJPY", "volume": 1, "price": 110}) == 1000.0
    assert client.calc_order_margin({"action": "hold", "symbol": "USDJPY", "volume": 1, "price": 110}) == -1.0


def test_get_start_date_matches_the_docs():
    assert MAS.get_start_date("2025-06-30", "D1", 250) == "2024-07-15"
    with pytest.raises(ValueError, match="D1"):
        MAS.get_start_date("2025-06-30", "H1", 250)


def test_pending_orders_modify_cancel_and_sltp_through_the_facade():
    log = {}

    class Client(mas):
        def receive_bars(self, symbol, data, is_end):
            n = log.setdefault("n", 0) + 1
            log["n"] = n
            if n == 1:
                log["limit"] = self.send_order({"symbol": symbol, "order_type": "buy_limit", "volume": 0.1,
                                                "price": round(data["close"] - 0.05, 5), "backtest_toggle": True})
                log["pending"] = self.get_pending_orders()
                log["modified"] = self.modify_order({"order_id": log["limit"], "price": round(data["close"] - 0.06, 5)})
                log["cancelled"] = self.cancel_order({"order_id": log["limit"]})
                log["buy"] = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                              "backtest_toggle": True})
            if n == 3:
                log["sltp"] = self.modify_position_sltp({"position_id": log["buy"],
                                                         "sl": round(data["close"] - 0.01, 5)})
                log["pos"] = self.get_positions({"symbol": symbol})
                log["check"] = self.order_check({"symbol": symbol, "order_type": "buy", "volume": 1.0})

    client = Client()
    client.subscribe_bars({**YEAR, "to": "2017-01-05"})
    assert log["pending"][0]["ticket"] == int(log["limit"]) and log["pending"][0]["type"] == 2
    assert log["modified"] is True and log["cancelled"] is True
    assert log["sltp"] is True and log["pos"][0]["sl"] > 0
    assert log["check"]["retcode"] == 0 and log["check"]["margin"] > 0
    states = {o["ticket"]: o["state"] for o in client.get_history_orders()}
    assert states[int(log["limit"])] == 2  # ORDER_STATE_CANCELED
    with pytest.raises(ValueError, match="sl"):
        client.modify_position_sltp({"position_id": log["buy"]})


def test_multi_symbol_replay_merges_by_time(tmp_path):
    from mas.data.store import load_bars, save_bars

    rates = load_bars("EURUSD", "H1").rates.copy()
    rates["time"] += 1800  # a second symbol whose bars sit between EURUSD's
    save_bars("GBPUSD", "H1", rates[:50], price_side="bid", has_spread=False)
    seen = []

    class Client(mas):
        def receive_bars(self, symbol, data, is_end):
            seen.append((data["time"], symbol, is_end))

    Client().subscribe_bars({**YEAR, "symbol": ["EURUSD", "GBPUSD"], "to": "2017-01-04"})
    times = [t for t, _, _ in seen]
    assert times == sorted(times) and {s for _, s, _ in seen} == {"EURUSD", "GBPUSD"}
    assert sum(e for _, _, e in seen) == 1 and seen[-1][2] is True


def test_missing_data_is_a_clear_error():
    from mas.data.store import MissingDataError

    with pytest.raises(MissingDataError, match="USDCHF"):
        MAS().subscribe_bars({**YEAR, "symbol": "USDCHF"})


def test_order_statuses_follow_set_lang():
    messages = []

    class Client(mas):
        def receive_bars(self, symbol, data, is_end):
            if not messages:
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "backtest_toggle": True})

        def receive_order_status(self, order_id, status_data):
            messages.append((status_data["retcode"], status_data["message"]))

    client = Client()
    client.set_lang("zh-tw")
    client.subscribe_bars({**YEAR, "to": "2017-01-03"})
    assert messages[0] == (10009, "請求已受理：訂單將於下一根K線開盤價成交")
    assert messages[1] == (10009, "請求已執行")  # the fill at the next bar's open
    messages.clear()
    client.set_lang("zh-cn")
    client.subscribe_bars({**YEAR, "to": "2017-01-03"})
    assert messages[0] == (10009, "请求已受理：订单将于下一根K线开盘价成交")


def test_a_market_orders_first_status_is_the_originals_request_done():
    """The original SDK's backtest answers a market order with retcode 10009 and a plain "request
    accepted, fills at the next bar" message (no order-number prefix); the fill follows at the next bar."""
    events = []

    class Client(mas):
        def receive_bars(self, symbol, data, is_end):
            if not events:
                events.append(("sent", self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                                        "backtest_toggle": True}), data["time"]))

        def receive_order_status(self, order_id, status_data):
            events.append(("status", order_id, dict(status_data)))

        def receive_order_execution(self, order_id, execution_data):
            events.append(("fill", order_id, execution_data["time"]))

    Client().subscribe_bars({**YEAR, "to": "2017-01-03"})
    first_status = next(e for e in events if e[0] == "status")
    _, order_id, status = first_status
    assert events.index(first_status) == 0  # pushed while send_order runs, before it returns
    assert order_id == events[1][1]
    assert status["status"] == status["retcode"] == 10009
    assert status["message"] == "Request accepted: the order fills at the next bar's open"
    assert not status["message"].startswith("order")
    assert status["request"]["symbol"] == "EURUSD" and status["request"]["volume"] == 0.1
    fill = next(e for e in events if e[0] == "fill")
    assert fill[1] == order_id and fill[2] > events[1][2]  # filled at a later bar than the one it was sent on


def test_account_records_have_the_originals_shapes():
    """get_positions / get_pending_orders / get_history_orders / get_order_history: times as datetime,
    ``*_msc`` as int milliseconds, unset order times None, and each position's opening ``order_id``."""
    seen = {}

    class Client(mas):
        def receive_bars(self, symbol, data, is_end):
            n = seen["n"] = seen.get("n", 0) + 1
            if n == 2:
                seen["buy"] = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                               "backtest_toggle": True})
                seen["sell"] = self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.2,
                                                "backtest_toggle": True})
                seen["limit"] = self.send_order({"symbol": symbol, "order_type": "buy_limit", "volume": 0.1,
                                                 "price": round(data["close"] - 0.05, 5), "backtest_toggle": True})
            if n == 4:
                seen["positions"] = self.get_positions()
                seen["pending"] = self.get_pending_orders()
                seen["bar_time"] = data["time"]

    client = Client()
    client.subscribe_bars({**YEAR, "to": "2017-01-04"})
    positions = sorted(seen["positions"], key=lambda pos: pos["ticket"])
    assert len(positions) == 2  # a hedging account: the buy and the sell each opened one
    for pos, sent in zip(positions, (seen["buy"], seen["sell"]), strict=True):
        assert list(pos) == ["order_id", "ticket", "symbol", "type", "magic", "identifier", "reason", "volume",
                             "price_open", "sl", "tp", "price_current", "swap", "profit", "comment", "external_id",
                             "time", "time_msc", "time_update", "time_update_msc"]
        assert type(pos["order_id"]) is int and str(pos["order_id"]) == sent  # the order that opened it
        assert type(pos["time"]) is datetime and type(pos["time_update"]) is datetime
        assert type(pos["time_msc"]) is int and type(pos["time_update_msc"]) is int
        assert pos["time_msc"] == (pos["time"] - datetime(1970, 1, 1)) // timedelta(milliseconds=1)
        assert pos["time"] <= seen["bar_time"]
    (pending,) = seen["pending"]
    assert str(pending["ticket"]) == seen["limit"] and pending["type"] == 2
    assert type(pending["time_setup"]) is datetime
    assert pending["time_expiration"] is None and pending["time_done"] is None  # unset while pending (GTC)
    assert list(pending)[:16] == ["ticket", "symbol", "type", "volume_initial", "volume_current", "price_open", "sl",
                                  "tp", "price_current", "price_stoplimit", "comment", "magic", "reason",
                                  "time_setup", "time_expiration", "time_done"]

    history = {str(o["ticket"]): o for o in client.get_history_orders()}
    assert set(history) == {seen["buy"], seen["sell"], seen["limit"]}
    for order in history.values():
        assert type(order["time_setup"]) is datetime and type(order["time_done"]) is datetime
        assert order["time_expiration"] is None and isinstance(order["state"], int)
    assert history[seen["limit"]]["state"] == 2  # canceled when the replay ended
    assert history[seen["limit"]]["time_done"] > history[seen["limit"]]["time_setup"]

    deals = [d for d in client.get_order_history() if d["type"] in (0, 1)]
    assert [str(d["order"]) for d in deals] == [seen["buy"], seen["sell"]]
    for deal in deals:
        assert list(deal)[:17] == ["ticket", "order", "position_id", "symbol", "type", "entry", "reason", "volume",
                                   "price", "commission", "swap", "fee", "profit", "comment", "external_id", "time",
                                   "time_msc"]
        assert type(deal["time"]) is datetime and type(deal["time_msc"]) is int
        assert deal["time_msc"] == (deal["time"] - datetime(1970, 1, 1)) // timedelta(milliseconds=1)
    assert {d["position_id"] for d in deals} == {p["order_id"] for p in positions}
