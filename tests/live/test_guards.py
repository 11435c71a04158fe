"""Per-profile risk guards: each refuses an opening order before anything is sent; closing always passes."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from mas.cli.broker import broker_app
from mas.live import guards as g
from mas.live import journal as j
from mas.live import profiles as pr
from mas.terminal import constants as c

from .conftest import wait_until
from .test_live_trading import Trader

LOGIN = 6001
WEDNESDAY = datetime(2024, 5, 15, 10, 0, tzinfo=timezone.utc)
SATURDAY = datetime(2024, 5, 18, 10, 0, tzinfo=timezone.utc)
BUY = {"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False}


# ---------------------------------------------------------------------- trading hours syntax
@pytest.mark.parametrize(("text", "moment", "allowed"), [
    ("Mon-Fri 07:00-20:00", WEDNESDAY, True),
    ("Mon-Fri 07:00-20:00", SATURDAY, False),
    ("Mon-Fri 07:00-20:00", datetime(2024, 5, 15, 20, 0), False),  # the end is exclusive
    ("Mon-Fri 07:00-20:00", datetime(2024, 5, 15, 6, 59), False),
    ("mon,WED 07:00-20:00", datetime(2024, 5, 14, 10, 0), False),  # Tuesday
    ("Sun 22:00-06:00", datetime(2024, 5, 20, 5, 59), True),  # into Monday
    ("Sun 22:00-06:00", datetime(2024, 5, 20, 6, 0), False),
    ("Fri-Mon 00:00-24:00", datetime(2024, 5, 19, 12, 0), True),  # a range across the week's end
    ("Fri-Mon 00:00-24:00", datetime(2024, 5, 21, 12, 0), False),
    ("09:00-10:00; Sat 12:00-13:00", datetime(2024, 5, 18, 12, 30), True),
    ("09:00-10:00; Sat 12:00-13:00", datetime(2024, 5, 14, 9, 30), True),  # no days: every day
])
def test_trading_hours(text, moment, allowed):
    assert g.TradingHours.parse(text).allows(moment) is allowed


@pytest.mark.parametrize("text", ["", "Mon-Fry 07:00-20:00", "Mon-Fri 7-20", "25:00-26:00", "07:00-07:00",
                                  "Mon-Fri 07:00-24:30", "__import__('os').system('true')"])
def test_malformed_trading_hours_are_refused_without_eval(text):
    with pytest.raises(g.GuardSpecError, match="trading_hours"):
        g.TradingHours.parse(text)


def test_a_reducing_order_on_a_netting_account_counts_as_closing():
    long = SimpleNamespace(type=c.POSITION_TYPE_BUY, volume=0.3, symbol="EURUSD")
    terminal = SimpleNamespace(account_info=lambda: SimpleNamespace(margin_mode=c.ACCOUNT_MARGIN_MODE_RETAIL_NETTING),
                               positions_get=lambda **_: (long,))
    sell = {"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_SELL, "volume": 0.3}
    assert g.closes_position(terminal, sell)
    assert not g.closes_position(terminal, {**sell, "volume": 0.4})  # would reverse: opens 0.1
    assert not g.closes_position(terminal, {**sell, "type": c.ORDER_TYPE_BUY})
    assert g.closes_position(terminal, {"action": c.TRADE_ACTION_CLOSE_BY, "position": 1, "position_by": 2})
    hedging = SimpleNamespace(account_info=lambda: SimpleNamespace(margin_mode=c.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING),
                              positions_get=lambda **_: (long,))
    assert not g.closes_position(hedging, sell)  # no position named: a new short
    assert g.closes_position(hedging, {**sell, "position": 5})


# ---------------------------------------------------------------------- profiles and mas broker
def test_profile_guards_round_trip_and_are_validated(tmp_path):
    path = tmp_path / "brokers.toml"
    pr.save_profile(pr.BrokerProfile(name="capped", terminal="sim", server="S", login=1, max_lots=0.5,
                                     max_positions=2, daily_loss_limit=250.0, trading_hours="Mon-Fri 07:00-20:00"),
                    path)
    loaded = pr.load_profiles(path)["capped"]
    guards = loaded.guards()
    assert (guards.max_lots, guards.max_positions, guards.daily_loss_limit) == (0.5, 2, 250.0)
    assert str(guards.trading_hours) == "Mon-Fri 07:00-20:00" and guards.profile == "capped"
    assert pr.BrokerProfile(name="free", terminal="sim").guards() is None
    with pytest.raises(pr.ProfileError, match="max_lots"):
        pr.BrokerProfile(name="x", max_lots=-1)
    path.write_text('[y]\nterminal = "sim"\ntrading_hours = "whenever"\n')
    with pytest.raises(pr.ProfileError, match="profile y: trading_hours"):
        pr.load_profiles(path)
    path.write_text('[z]\nterminal = "sim"\nmax_positions = 1.5\n')
    with pytest.raises(pr.ProfileError, match="max_positions"):
        pr.load_profiles(path)


def test_broker_add_sets_the_guards_and_list_shows_them():
    runner = CliRunner()
    added = runner.invoke(broker_app, ["add", "capped", "--terminal", "sim", "--server", "MAS-Sim", "--login", "9",
                                       "--host", "127.0.0.1", "--port", "18812", "--max-lots", "0.5",
                                       "--max-positions", "2", "--daily-loss-limit", "250",
                                       "--trading-hours", "Mon-Fri 07:00-20:00"])
    assert added.exit_code == 0, added.output
    listing = runner.invoke(broker_app, ["list"])
    assert ('capped: sim 127.0.0.1:18812 server=MAS-Sim login=9 password=none guards: max_lots=0.5 max_positions=2 '
            'daily_loss_limit=250 trading_hours="Mon-Fri 07:00-20:00" UTC') in listing.output
    bad = runner.invoke(broker_app, ["add", "bad", "--server", "s", "--login", "1", "--trading-hours", "8 to 5"])
    assert bad.exit_code == 2 and "trading_hours" in bad.output
    assert "bad" not in pr.load_profiles()


# ---------------------------------------------------------------------- against the sim server
@pytest.fixture
def clock(monkeypatch):
    """The guards' UTC clock, set by the test."""
    now = {"at": WEDNESDAY}
    monkeypatch.setattr(g, "utc_now", lambda: now["at"])
    return now


def guarded_trader(server, monkeypatch, **limits) -> Trader:
    pr.save_profile(pr.BrokerProfile(name="guarded", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                                     port=server.port, **limits))
    monkeypatch.setenv("MAS_PASSWORD_GUARDED", "guarded-pass")
    trader = Trader()
    assert trader.login({"profile": "guarded"}), trader.last_error()
    return trader


def server_book(server) -> tuple:
    account = server.exchange.accounts[LOGIN].terminal
    return sorted(account.orders), sorted(account.positions), len(account.history_orders), len(account.deals)


def assert_refused(trader: Trader, server, params: dict, guard: str, limit: str) -> None:
    """``params`` is refused by ``guard`` naming ``limit``: nothing reaches the server, the journal says refused."""
    before = server_book(server)
    cid = f"refused-{len(trader.statuses)}"
    assert trader.send_order({**params, "client_order_id": cid}) is None
    order_id, status = trader.statuses[-1]
    assert order_id == "" and status["retcode"] == c.TRADE_RETCODE_REJECT == status["status"]
    assert status["state"] == c.ORDER_STATE_REJECTED
    assert f"risk guard {guard} of profile guarded" in status["message"] and limit in status["message"]
    assert guard in trader.last_error()[1] and limit in trader.last_error()[1]
    assert server_book(server) == before
    entry = j.Journal().find(LOGIN, "MAS-Sim", cid)
    assert entry.state == j.REFUSED and entry.retcode == c.TRADE_RETCODE_REJECT and guard in entry.comment
    assert entry.order_ticket is None and entry.deal_ticket is None


def test_max_lots_refuses_a_bigger_order(start_server, monkeypatch, clock):
    server = start_server()
    trader = guarded_trader(server, monkeypatch, max_lots=0.1)
    assert_refused(trader, server, {**BUY, "volume": 0.2}, "max_lots", "0.1 lots")
    assert trader.send_order(BUY) is not None, trader.last_error()
    trader.shutdown_mt5()


def test_a_refusal_is_said_in_the_language_of_set_lang(start_server, monkeypatch, clock):
    """The journal keeps the English reason; the strategy hears it in its language (set_lang)."""
    server = start_server()
    trader = guarded_trader(server, monkeypatch, max_lots=0.1, max_positions=1)
    trader.set_lang("zh-tw")
    assert trader.send_order({**BUY, "volume": 0.2, "client_order_id": "zh-1"}) is None
    assert "設定檔 guarded 的風控 max_lots：0.2 手超過每張訂單 0.1 手的上限" in trader.last_error()[1]
    assert "設定檔 guarded 的風控 max_lots" in trader.statuses[-1][1]["message"]
    assert "risk guard max_lots of profile guarded" in j.Journal().find(LOGIN, "MAS-Sim", "zh-1").comment
    assert trader.send_order(BUY) is not None, trader.last_error()
    trader.set_lang("zh-cn")
    assert trader.send_order(BUY) is None
    assert "配置 guarded 的风控 max_positions：已有 1 笔持仓与挂单，上限为 1" in trader.last_error()[1]
    trader.shutdown_mt5()


def test_trading_hours_refuse_market_and_pending_orders_outside_them(start_server, monkeypatch, clock):
    server = start_server()
    trader = guarded_trader(server, monkeypatch, trading_hours="Mon-Fri 07:00-20:00")
    clock["at"] = SATURDAY
    assert_refused(trader, server, BUY, "trading_hours", '"Mon-Fri 07:00-20:00"')
    assert_refused(trader, server, {**BUY, "order_type": "buy_limit", "price": 0.9}, "trading_hours", "Sat 10:00")
    clock["at"] = WEDNESDAY
    assert trader.send_order({**BUY, "client_order_id": "refused-0"}) is not None  # a refused id may be sent later
    assert j.Journal().find(LOGIN, "MAS-Sim", "refused-0").state == j.DONE
    trader.shutdown_mt5()


def test_max_positions_counts_positions_and_pending_orders(start_server, monkeypatch, clock):
    server = start_server()
    trader = guarded_trader(server, monkeypatch, max_positions=2)
    first = trader.send_order({**BUY, "client_order_id": "first"})
    assert first is not None
    assert trader.send_order({**BUY, "order_type": "buy_limit", "price": 0.9}) is not None
    assert_refused(trader, server, BUY, "max_positions", "the limit is 2")
    assert_refused(trader, server, {**BUY, "order_type": "sell_stop", "price": 0.8}, "max_positions", "2 open")
    # the same client_order_id again is the existing order, not a new one to refuse
    assert trader.send_order({**BUY, "client_order_id": "first"}) == first
    trader.shutdown_mt5()


def test_daily_loss_limit_from_the_utc_days_starting_equity(start_server, monkeypatch, clock):
    server = start_server()
    journal = j.Journal()
    trader = guarded_trader(server, monkeypatch, daily_loss_limit=500.0)
    today = WEDNESDAY.date().isoformat()
    assert wait_until(lambda: journal.day_start_equity(LOGIN, "MAS-Sim", today) == 10_000.0)  # noted at login
    assert trader.send_order(BUY) is not None

    # the next UTC day started 5,000 above today's equity. It is recorded before the clock moves there:
    # the fill poller notes the day's first equity as soon as the day starts, and the first note stands.
    # The equity moves with the replayed prices (20 H1 bars a second) until the order is checked: the
    # 4,500 of headroom over the limit is 4,500 pips on 0.1 lot, far more than any replay moves meanwhile
    start = trader.get_account_info()["equity"] + 5_000.0
    assert journal.day_start_equity(LOGIN, "MAS-Sim", "2024-05-16", start) == start
    clock["at"] = WEDNESDAY.replace(day=16)
    assert_refused(trader, server, BUY, "daily_loss_limit", "the limit of 500.00 USD")
    assert f"against {start:.2f} at the start of 2024-05-16 UTC" in trader.statuses[-1][1]["message"]
    trader.shutdown_mt5()


def test_closing_is_never_blocked(start_server, monkeypatch, clock):
    """With every guard tripped, a position is still closed (and an opening order still refused)."""
    server = start_server()
    trader = guarded_trader(server, monkeypatch)
    opened = [trader.send_order({**BUY, "volume": 0.3}) for _ in range(2)]
    assert None not in opened
    trader.shutdown_mt5()

    trader = guarded_trader(server, monkeypatch, max_lots=0.1, max_positions=1, daily_loss_limit=100.0,
                            trading_hours="Mon-Fri 07:00-20:00")
    journal = j.Journal()  # Saturday started at 20,000 (recorded before the clock gets there: the first note stands)
    journal.day_start_equity(LOGIN, "MAS-Sim", SATURDAY.date().isoformat(), 20_000.0)
    clock["at"] = SATURDAY
    assert_refused(trader, server, BUY, "trading_hours", "Sat 10:00")
    clock["at"] = WEDNESDAY
    assert_refused(trader, server, {**BUY, "volume": 0.3}, "max_lots", "0.1 lots")

    clock["at"] = SATURDAY
    partial = trader.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.2, "order_id": opened[0],
                                 "backtest_toggle": False})
    assert partial is not None, trader.last_error()
    full = trader.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.3, "position": opened[1],
                              "backtest_toggle": False})
    assert full is not None, trader.last_error()
    assert [p["volume"] for p in trader.get_positions()] == [pytest.approx(0.1)]
    assert {e.state for e in journal.entries(LOGIN)} == {j.DONE, j.REFUSED}
    trader.shutdown_mt5()
